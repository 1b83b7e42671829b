import { Annotations, Lazy, Names, Stack, Token } from 'aws-cdk-lib';
import * as cfn from 'aws-cdk-lib/aws-cloudformation';
import { Construct } from 'constructs';
import { RegistryBaseline } from './baseline';
import { BOOLEAN, guard, guardConstruct, instanceOf, listOf, NUMBER, oneOf, optional, STRING, struct } from '../internal/input';
import { checkAccountId, isConcrete, isConcreteNumber, Problems, subjectOf } from '../internal/problems';
import { checkRegion } from '../internal/regions';
import { checkNowAndAtSynth } from '../internal/resolve';
import { RegionOptions } from '../region-options';
import { Registry } from '../registry/registry';

/** CloudFormation's limit on an inline StackSet template (`TemplateBody`), in bytes. */
const MAX_TEMPLATE_BODY_BYTES = 51_200;

const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
const STACK_SET_NAME = /^[a-zA-Z][a-zA-Z0-9-]{0,127}$/;

/**
 * Options of an organizational unit target.
 */
export interface OrganizationalUnitTargetOptions {
  /**
   * Accounts of these organizational units the StackSet leaves out (for
   * example suspended accounts or the account that runs the pipeline).
   *
   * @default - every account of the organizational units
   */
  readonly excludeAccounts?: string[];
}

/**
 * Where a service-managed StackSet deploys: organizational units (or the
 * organization root), optionally narrowed to some of their accounts.
 * StackSets never deploy to the organization's management account.
 */
export class StackSetTarget {
  /**
   * Every account of the organizational units (`ou-xxxx-xxxxxxxx`) or of
   * the whole organization (its root, `r-xxxx`), including accounts that
   * join them later when automatic deployment is on.
   */
  public static fromOrganizationalUnits(organizationalUnitIds: string[], options: OrganizationalUnitTargetOptions = {}): StackSetTarget {
    guard('StackSetTarget.fromOrganizationalUnits', {
      organizationalUnitIds: [organizationalUnitIds, listOf(STRING)],
      options: [options, { excludeAccounts: optional(listOf(STRING)) }],
    });
    const exclude = options.excludeAccounts;
    return new StackSetTarget([...organizationalUnitIds], exclude === undefined ? [] : [...exclude], exclude === undefined ? 'NONE' : 'DIFFERENCE');
  }

  /**
   * Only these accounts, each of which must be in one of the organizational
   * units (CloudFormation deploys to the intersection). Accounts that join
   * the units later are not deployed to.
   */
  public static fromAccounts(accounts: string[], organizationalUnitIds: string[]): StackSetTarget {
    guard('StackSetTarget.fromAccounts', { accounts: [accounts, listOf(STRING)], organizationalUnitIds: [organizationalUnitIds, listOf(STRING)] });
    return new StackSetTarget([...organizationalUnitIds], [...accounts], 'INTERSECTION');
  }

  private constructor(
    /** The organizational unit or root IDs. */
    public readonly organizationalUnitIds: string[],
    /** The accounts listed, deployed to (INTERSECTION) or left out (DIFFERENCE). */
    public readonly accounts: string[],
    /** CloudFormation's AccountFilterType. */
    public readonly accountFilterType: string,
  ) {}

  /** The accounts that are deployed to, when the target names them. @internal */
  public get _concreteAccounts(): string[] | undefined {
    return this.accountFilterType === 'INTERSECTION' ? this.accounts : undefined;
  }

  /** Every problem of the target, with its lists as given or as resolved at synth. @internal */
  public _problems(organizationalUnitIds = this.organizationalUnitIds, accounts = this.accounts): string[] {
    const problems = new Problems('');
    if (organizationalUnitIds.length === 0) {
      problems.add('the target names no organizational unit: a service-managed StackSet deploys to organizational units (or the root, r-xxxx)');
    }
    for (const id of organizationalUnitIds) {
      if (isConcrete(id) && !OU_ID.test(id) && !ROOT_ID.test(id)) {
        problems.add(`organizational unit '${id}' is neither an organizational unit ID ('ou-' then 4 to 32 lowercase letters or digits, '-', 8 to 32 more, for example 'ou-ab12-cd34ef56') nor a root ID ('r-' then 4 to 32, for example 'r-ab12')`);
      }
    }
    duplicates(problems, 'organizational unit', organizationalUnitIds);
    if (this.accountFilterType === 'INTERSECTION' && accounts.length === 0) {
      problems.add('fromAccounts names no account: name at least one, or use fromOrganizationalUnits');
    }
    if (this.accountFilterType === 'DIFFERENCE' && accounts.length === 0) {
      problems.add('excludeAccounts is empty: leave it out to deploy to every account of the organizational units');
    }
    for (const a of accounts) checkAccountId(problems, 'account', a);
    duplicates(problems, 'account', accounts);
    return problems.list;
  }

  /** The DeploymentTargets of the StackSet. @internal */
  public _render(): cfn.CfnStackSet.DeploymentTargetsProperty {
    return {
      organizationalUnitIds: this.organizationalUnitIds,
      accounts: this.accounts.length > 0 ? this.accounts : undefined,
      accountFilterType: this.accounts.length > 0 ? this.accountFilterType : undefined,
    };
  }
}

/**
 * Who the StackSet is created as.
 */
export enum StackSetCallAs {
  /** The organization's management account (the stack is deployed there). */
  SELF = 'SELF',
  /** A delegated administrator for CloudFormation StackSets (the stack is deployed there). */
  DELEGATED_ADMIN = 'DELEGATED_ADMIN',
}
Object.freeze(StackSetCallAs);

/**
 * How the StackSet proceeds through regions.
 */
export enum StackSetRegionConcurrency {
  /** One region at a time, in the order given (CloudFormation's default). */
  SEQUENTIAL = 'SEQUENTIAL',
  /** Every region at the same time. */
  PARALLEL = 'PARALLEL',
}
Object.freeze(StackSetRegionConcurrency);

/**
 * Properties of a registry baseline StackSet.
 */
export interface RegistryBaselineStackSetProps {
  /** The baseline rolled out; its template goes inline into the StackSet (at most 51,200 bytes). */
  readonly baseline: RegistryBaseline;

  /** The organizational units (and optionally accounts) to deploy to. */
  readonly target: StackSetTarget;

  /** The regions to deploy to, in the order of a sequential rollout. */
  readonly regions: string[];

  /**
   * How region names are checked.
   *
   * @default - known regions only
   */
  readonly regionOptions?: RegionOptions;

  /**
   * The name of the StackSet: a letter, then letters, digits and hyphens, at
   * most 128 characters, unique in the region.
   *
   * @default - derived from the construct path
   */
  readonly stackSetName?: string;

  /**
   * The management account (SELF) or a delegated administrator for StackSets.
   *
   * @default StackSetCallAs.SELF
   */
  readonly callAs?: StackSetCallAs;

  /**
   * Whether accounts that join a target organizational unit get the
   * baseline automatically (and accounts that leave are removed from the
   * StackSet).
   *
   * @default true
   */
  readonly autoDeployment?: boolean;

  /**
   * With automatic deployment: whether an account that leaves the target
   * keeps its baseline stack (its registry settings and any KMS key of a
   * creation template) instead of having it deleted.
   *
   * @default true
   */
  readonly retainStacksOnAccountRemoval?: boolean;

  /**
   * Failed stack instances tolerated per region before CloudFormation stops
   * the operation there. Not with `failureTolerancePercentage`.
   *
   * @default - 0 (CloudFormation's default) unless `failureTolerancePercentage` is set
   */
  readonly failureToleranceCount?: number;

  /**
   * Percentage of stack instances per region that may fail (0 to 100). Not
   * with `failureToleranceCount`.
   *
   * @default - see `failureToleranceCount`
   */
  readonly failureTolerancePercentage?: number;

  /**
   * Accounts deployed at the same time per region; at most
   * `failureToleranceCount + 1`. Not with `maxConcurrentPercentage`.
   *
   * @default - 1 (CloudFormation's default) unless `maxConcurrentPercentage` is set
   */
  readonly maxConcurrentCount?: number;

  /**
   * Percentage of accounts deployed at the same time per region (1 to 100).
   * Not with `maxConcurrentCount`.
   *
   * @default - see `maxConcurrentCount`
   */
  readonly maxConcurrentPercentage?: number;

  /**
   * Regions one at a time or all at once.
   *
   * @default StackSetRegionConcurrency.SEQUENTIAL
   */
  readonly regionConcurrency?: StackSetRegionConcurrency;
}

/**
 * Rolls a `RegistryBaseline` out to every account of organizational units,
 * in several regions, with a service-managed StackSet
 * (`AWS::CloudFormation::StackSet`, permission model SERVICE_MANAGED). The
 * baseline's template goes inline (`TemplateBody`), so nothing is uploaded:
 * synthesis fails when it exceeds CloudFormation's 51,200 bytes.
 *
 * Deploy the stack that holds it in the management account (callAs SELF) or
 * in a delegated administrator for StackSets (callAs DELEGATED_ADMIN), with
 * trusted access between CloudFormation StackSets and AWS Organizations
 * enabled.
 *
 * A stack of the same app that renders a registry-level resource of the
 * baseline (a scanning configuration, a creation template prefix, ...) in an
 * account and region the StackSet deploys to would overwrite it, or fail to
 * create it: synthesis fails when the target names that account, and warns
 * when the target is organizational units (synth cannot know their accounts).
 */
export class RegistryBaselineStackSet extends Construct {
  /** The underlying CloudFormation resource. */
  public readonly cfnStackSet: cfn.CfnStackSet;
  /** The baseline rolled out. */
  public readonly baseline: RegistryBaseline;
  /** The target. */
  public readonly target: StackSetTarget;
  /** The regions. */
  public readonly regions: string[];

  private readonly callAs: StackSetCallAs;
  /** The stacks the clash check has seen. */
  private readonly checkedStacks = new Set<Stack>();

  constructor(scope: Construct, id: string, props: RegistryBaselineStackSetProps) {
    guardConstruct('RegistryBaselineStackSet', scope, id, props, {
      baseline: instanceOf(RegistryBaseline),
      target: instanceOf(StackSetTarget),
      regions: listOf(STRING),
      regionOptions: optional(struct({ allowUnknownRegion: optional(BOOLEAN) })),
      stackSetName: optional(STRING),
      callAs: optional(oneOf(StackSetCallAs)),
      autoDeployment: optional(BOOLEAN),
      retainStacksOnAccountRemoval: optional(BOOLEAN),
      failureToleranceCount: optional(NUMBER),
      failureTolerancePercentage: optional(NUMBER),
      maxConcurrentCount: optional(NUMBER),
      maxConcurrentPercentage: optional(NUMBER),
      regionConcurrency: optional(oneOf(StackSetRegionConcurrency)),
    });
    super(scope, id);
    const subject = subjectOf('RegistryBaselineStackSet', scope, id);
    const problems = new Problems(subject);

    if (RegistryBaseline.isRegistryBaseline(Stack.of(this))) {
      problems.add('the StackSet is inside a registry baseline: declare it in a stack of the management account or of a delegated administrator');
    }
    const lists = { ous: props.target.organizationalUnitIds, accounts: props.target.accounts, regions: props.regions };
    checkNowAndAtSynth(this, problems, lists, (p, v) => {
      p.addAll(props.target._problems(v.ous, v.accounts));
      if (v.regions.length === 0) p.add('regions is empty: name at least one region');
      for (const r of v.regions) checkRegion(p, 'region', r, props.regionOptions);
      duplicates(p, 'region', v.regions);
    });
    if (props.stackSetName !== undefined && isConcrete(props.stackSetName) && !STACK_SET_NAME.test(props.stackSetName)) {
      problems.add(`stackSetName '${props.stackSetName}' must start with a letter and have only letters, digits and hyphens, at most 128 characters`);
    }
    const autoDeployment = props.autoDeployment ?? true;
    if (!autoDeployment && props.retainStacksOnAccountRemoval !== undefined) {
      problems.add('retainStacksOnAccountRemoval applies to automatic deployment only: leave it out, or turn autoDeployment on');
    }
    operationProblems(problems, props);
    problems.throwIfAny();

    this.baseline = props.baseline;
    this.target = props.target;
    this.regions = [...props.regions];
    this.callAs = props.callAs ?? StackSetCallAs.SELF;
    const name = props.stackSetName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }).replace(/[^A-Za-z0-9-]/g, '');

    this.cfnStackSet = new cfn.CfnStackSet(this, 'Resource', {
      stackSetName: /^[A-Za-z]/.test(name) ? name : `S${name}`.slice(0, 128),
      description: Lazy.string({ produce: () => this.baseline.templateOptions.description }),
      permissionModel: 'SERVICE_MANAGED',
      callAs: this.callAs,
      autoDeployment: {
        enabled: autoDeployment,
        retainStacksOnAccountRemoval: autoDeployment ? props.retainStacksOnAccountRemoval ?? true : undefined,
      },
      operationPreferences: {
        failureToleranceCount: props.failureToleranceCount,
        failureTolerancePercentage: props.failureTolerancePercentage,
        maxConcurrentCount: props.maxConcurrentCount,
        maxConcurrentPercentage: props.maxConcurrentPercentage,
        regionConcurrencyType: props.regionConcurrency ?? StackSetRegionConcurrency.SEQUENTIAL,
        regionOrder: this.regions,
      },
      capabilities: Lazy.list({ produce: () => capabilities(this.baseline._template()) }, { omitEmpty: true }),
      stackInstancesGroup: [{ deploymentTargets: props.target._render(), regions: this.regions }],
      templateBody: Lazy.string({ produce: () => this.templateBody() }),
    });

    this.node.addValidation({ validate: () => [...this.sizeProblems(), ...this.clashes()] });
    // CDK Pipelines synthesizes (and so validates) each stage when it is
    // added to the pipeline: stacks of stages added after this StackSet's
    // stage are checked when the app synthesizes.
    this.node.root.node.addValidation({ validate: () => this.clashes() });
  }

  /** The baseline template, as the StackSet carries it. */
  private templateBody(): string {
    return JSON.stringify(this.baseline._template());
  }

  private sizeProblems(): string[] {
    if (this.baseline._dependencies().length > 0) return []; // the baseline reports those
    const bytes = Buffer.byteLength(this.templateBody(), 'utf8');
    if (bytes <= MAX_TEMPLATE_BODY_BYTES) return [];
    return [`RegistryBaselineStackSet '${this.node.path}': the template of baseline '${this.baseline.node.path}' has ${bytes} bytes, but CloudFormation takes at most ${MAX_TEMPLATE_BODY_BYTES} in a StackSet's TemplateBody: split the baseline into two baselines and StackSets (for example creation templates apart from scanning)`];
  }

  /**
   * Registry-level resources that a stack of the app renders in an account
   * and region the StackSet deploys the baseline to.
   */
  private clashes(): string[] {
    const baselineRegistry = Registry._tryOf(this.baseline);
    if (!baselineRegistry || baselineRegistry._rendered.size === 0) return [];
    const errors: string[] = [];
    const accounts = this.target._concreteAccounts;
    const excluded = accounts === undefined ? new Set(this.target.accounts) : new Set<string>();
    const deployer = Stack.of(this);
    for (const stack of this.node.root.node.findAll().filter((c): c is Stack => Stack.isStack(c))) {
      // Each stack is checked once, by whichever validation sees it first.
      if (this.checkedStacks.has(stack)) continue;
      this.checkedStacks.add(stack);
      if (RegistryBaseline.isRegistryBaseline(stack)) continue;
      const registry = Registry._tryOf(stack);
      if (!registry) continue;
      const shared = [...registry._rendered.keys()].filter((k) => baselineRegistry._rendered.has(k));
      if (shared.length === 0) continue;
      const regionKnown = isConcrete(stack.region);
      if (regionKnown && !this.regions.includes(stack.region)) continue;
      const accountKnown = isConcrete(stack.account);
      if (accountKnown && excluded.has(stack.account)) continue;
      // Service-managed StackSets never deploy to the management account.
      if (this.callAs === StackSetCallAs.SELF && accountKnown && isConcrete(deployer.account) && stack.account === deployer.account) continue;
      const what = shared.map((k) => `${k} (declared by '${registry._rendered.get(k)}')`).join(', ');
      if (accounts !== undefined && accountKnown && regionKnown && accounts.includes(stack.account)) {
        errors.push(`RegistryBaselineStackSet '${this.node.path}' deploys baseline '${this.baseline.node.path}' to account ${stack.account} in ${stack.region}, where stack '${stack.node.path}' renders ${what} too: ECR keeps one per account and region, so the two would overwrite each other (or the second would fail to create it). Keep the setting in the baseline only, or leave the account out of the target.`);
      } else if (accounts === undefined || !accountKnown || !regionKnown) {
        Annotations.of(stack).addWarningV2('cdk-ecr-platform:baselineClash',
          `Stack '${stack.node.path}' renders ${what}, which baseline '${this.baseline.node.path}' also renders, and RegistryBaselineStackSet '${this.node.path}' deploys it to organizational units ${this.target.organizationalUnitIds.join(', ')}${accountKnown ? '' : ' (this stack has no concrete account)'}${regionKnown ? '' : ' (this stack has no concrete region)'}: if the stack's account is in one of them, the two overwrite each other. Keep the setting in one place.`);
      }
    }
    return errors;
  }
}

/** Capabilities the baseline needs: IAM ones when it creates IAM resources. */
function capabilities(template: any): string[] {
  const types = Object.values<any>(template.Resources ?? {}).map((r) => String(r.Type));
  const iam = types.filter((t) => t.startsWith('AWS::IAM::'));
  if (iam.length === 0) return [];
  const named = Object.values<any>(template.Resources ?? {}).some((r) => String(r.Type).startsWith('AWS::IAM::')
    && ['RoleName', 'PolicyName', 'ManagedPolicyName', 'UserName', 'GroupName', 'InstanceProfileName'].some((k) => r.Properties?.[k] !== undefined && r.Type !== 'AWS::IAM::Policy'));
  return named ? ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'] : ['CAPABILITY_IAM'];
}

function operationProblems(problems: Problems, props: RegistryBaselineStackSetProps): void {
  const { failureToleranceCount: ftc, failureTolerancePercentage: ftp, maxConcurrentCount: mcc, maxConcurrentPercentage: mcp } = props;
  if (ftc !== undefined && ftp !== undefined) problems.add('failureToleranceCount and failureTolerancePercentage are both set: CloudFormation takes one of them');
  if (mcc !== undefined && mcp !== undefined) problems.add('maxConcurrentCount and maxConcurrentPercentage are both set: CloudFormation takes one of them');
  const integer = (what: string, v: number | undefined, min: number, max: number) => {
    if (isConcreteNumber(v) && (!Number.isInteger(v) || v < min || v > max)) problems.add(`${what} is ${v}: it must be a whole number from ${min} to ${max}`);
  };
  integer('failureToleranceCount', ftc, 0, 100_000);
  integer('failureTolerancePercentage', ftp, 0, 100);
  integer('maxConcurrentCount', mcc, 1, 100_000);
  integer('maxConcurrentPercentage', mcp, 1, 100);
  const effectiveFtc = ftc ?? (ftp === undefined ? 0 : undefined);
  if (isConcreteNumber(mcc) && effectiveFtc !== undefined && isConcreteNumber(effectiveFtc) && Number.isInteger(mcc) && mcc > effectiveFtc + 1) {
    problems.add(`maxConcurrentCount is ${mcc}, but CloudFormation deploys to at most failureToleranceCount + 1 (${effectiveFtc + 1}) accounts at a time: raise failureToleranceCount or lower maxConcurrentCount`);
  }
}

function duplicates(problems: Problems, what: string, values: string[]): void {
  const seen = new Set<string>();
  const reported = new Set<string>();
  for (const v of values) {
    if (!isConcrete(v) || Token.isUnresolved(v)) continue;
    if (seen.has(v) && !reported.has(v)) {
      problems.add(`${what} '${v}' is listed twice`);
      reported.add(v);
    }
    seen.add(v);
  }
}
