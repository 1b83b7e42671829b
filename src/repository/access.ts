import { App, Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { guard, instanceOf, listOf, STRING } from '../internal/input';
import { addOrganizationProblems } from '../internal/organizations';
import { concretePolicyLength, statementSid } from '../internal/policy-text';
import { checkAccountId, isConcrete, Problems } from '../internal/problems';
import { checkAtSynth, holdsToken, SynthCheck } from '../internal/resolve';

/** Actions that pull images from a private repository (frozen: no module can widen a grant). @internal */
export const PULL_ACTIONS: readonly string[] = Object.freeze(['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']);
/** Actions that push images to a private repository (on top of pulling). @internal */
export const PUSH_ACTIONS: readonly string[] = Object.freeze(['ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart']);
/** What Lambda needs to read a container image. @internal */
const LAMBDA_ACTIONS = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];

/**
 * Who may use a repository, written as least-privilege resource policy
 * statements. The same access can be given to a repository, a repository
 * creation template, or the repositories that a pull-through cache creates.
 *
 * Same-account principals should use IAM grants instead
 * (`repository.grantPull(role)`), which need no resource policy.
 */
export class RepositoryAccess {
  /**
   * Pull access for principals of the given accounts (their administrators
   * still decide which of their principals may pull, with IAM policies).
   */
  public static pullFromAccounts(accountIds: string[]): RepositoryAccess {
    const check = checkAccounts('RepositoryAccess.pullFromAccounts', accountIds);
    return new RepositoryAccess('AccountPull', check, () => [new iam.PolicyStatement({
      sid: sidFor('AccountPull', accountIds),
      principals: accountIds.map((a) => new iam.AccountPrincipal(a)),
      actions: [...PULL_ACTIONS],
    })]);
  }

  /** Pull and push access for principals of the given accounts. */
  public static pushFromAccounts(accountIds: string[]): RepositoryAccess {
    const check = checkAccounts('RepositoryAccess.pushFromAccounts', accountIds);
    return new RepositoryAccess('AccountPush', check, () => [new iam.PolicyStatement({
      sid: sidFor('AccountPush', accountIds),
      principals: accountIds.map((a) => new iam.AccountPrincipal(a)),
      actions: [...PULL_ACTIONS, ...PUSH_ACTIONS],
    })]);
  }

  /**
   * Pull access for every principal of an AWS Organization
   * (`aws:PrincipalOrgID`).
   *
   * @param organizationId the organization's ID, for example `o-a1b2c3d4e5`
   */
  public static pullFromOrganization(organizationId: string): RepositoryAccess {
    const check = checkOrganization('RepositoryAccess.pullFromOrganization', organizationId, []);
    return new RepositoryAccess('OrganizationPull', check, () => [new iam.PolicyStatement({
      sid: sidFor('OrganizationPull', [organizationId]),
      principals: [new iam.StarPrincipal()],
      actions: [...PULL_ACTIONS],
      conditions: { StringEquals: { 'aws:PrincipalOrgID': organizationId } },
    })]);
  }

  /**
   * Pull access for principals in the given organizational units and
   * everything below them (`aws:PrincipalOrgPaths`).
   *
   * @param organizationId the organization's ID, for example `o-a1b2c3d4e5`
   * @param organizationalUnitPaths paths from the root, for example `r-ab12/ou-ab12-11111111`
   */
  public static pullFromOrganizationalUnits(organizationId: string, organizationalUnitPaths: string[]): RepositoryAccess {
    const check = checkOrganization('RepositoryAccess.pullFromOrganizationalUnits', organizationId, organizationalUnitPaths);
    return new RepositoryAccess('OrganizationalUnitPull', check, () => [new iam.PolicyStatement({
      sid: sidFor('OrganizationalUnitPull', [organizationId, ...organizationalUnitPaths]),
      principals: [new iam.StarPrincipal()],
      actions: [...PULL_ACTIONS],
      conditions: {
        'ForAnyValue:StringLike': {
          'aws:PrincipalOrgPaths': organizationalUnitPaths.map((p) => `${organizationId}/${p}/*`),
        },
      },
    })]);
  }

  /**
   * What AWS Lambda needs to create and run functions from this repository's
   * images in the given accounts (in the repository's region). Declaring it
   * here keeps Lambda from editing the repository policy behind
   * CloudFormation's back.
   *
   * For another account, its principals also get `ecr:BatchGetImage` and
   * `ecr:GetDownloadUrlForLayer`, which the function's creator needs.
   */
  public static pullFromLambda(accountIds: string[]): RepositoryAccess {
    const check = checkAccounts('RepositoryAccess.pullFromLambda', accountIds);
    return new RepositoryAccess('LambdaPull', check, () => [
      new iam.PolicyStatement({
        sid: sidFor('LambdaServicePull', accountIds),
        principals: [new iam.ServicePrincipal('lambda.amazonaws.com')],
        actions: LAMBDA_ACTIONS,
        conditions: {
          StringLike: {
            'aws:sourceArn': accountIds.map((a) => `arn:${Aws.PARTITION}:lambda:${Aws.REGION}:${a}:function:*`),
          },
        },
      }),
      new iam.PolicyStatement({
        sid: sidFor('LambdaAccountPull', accountIds),
        principals: accountIds.map((a) => new iam.AccountPrincipal(a)),
        actions: LAMBDA_ACTIONS,
      }),
    ]);
  }

  /**
   * Any statement of your own. A statement with a `*` principal must carry an
   * account or organization condition.
   */
  public static fromStatement(statement: iam.PolicyStatement): RepositoryAccess {
    guard('RepositoryAccess.fromStatement', { statement: [statement, instanceOf(iam.PolicyStatement)] });
    return new RepositoryAccess('Custom', undefined, () => [statement]);
  }

  /** Whether the factory's inputs hold a token, found on first use. */
  private holdsToken?: boolean;

  private constructor(
    /**
     * Which factory made this access (`AccountPull`, `OrganizationPull`, `Custom`, ...):
     * the library's own checks ask it through internal getters such as
     * `_isOrganizationWide`. Not part of the public API.
     */
    private readonly kind: string,
    /** The factory's check of its inputs, to run again at synth when they hold tokens. */
    private readonly inputCheck: DeferredCheck | undefined,
    private readonly build: () => iam.PolicyStatement[],
  ) {}

  /**
   * Checks the factory's inputs again at synth, on the scope that uses this
   * access, when they held tokens (a `Lazy` account or organization ID is
   * known only then; a deploy-time value stays unchecked). The factory has
   * already checked every literal.
   *
   * @internal
   */
  public _checkAtSynth(scope: IConstruct): void {
    // Inputs without a token (the usual case, shared by thousands of repositories) need nothing at synth.
    if (!this.inputCheck || !(this.holdsToken ??= holdsToken(this.inputCheck.inputs))) return;
    checkAtSynth(scope, new Problems(`${this.inputCheck.subject} (used by '${scope.node.path}')`), this.inputCheck.inputs, this.inputCheck.check);
  }

  /**
   * The statements this access writes into a resource policy.
   *
   * @internal
   */
  public _statements(): iam.PolicyStatement[] {
    return this.build();
  }

  /**
   * A key that two accesses share exactly when they render the same
   * statements (the factory and its inputs), or undefined for a statement of
   * the user's own.
   *
   * @internal
   */
  public get _renderKey(): string | undefined {
    return this.inputCheck ? `${this.kind}:${JSON.stringify(this.inputCheck.inputs)}` : undefined;
  }

  /** Whether it grants a `*` principal restricted by an organization condition. @internal */
  public get _isOrganizationWide(): boolean {
    return this.kind === 'OrganizationPull' || this.kind === 'OrganizationalUnitPull';
  }
}

/** The statement's Sid: the kind and its values, or the kind alone when a value is a token. */
function sidFor(kind: string, values: string[]): string {
  return statementSid(kind, values) ?? kind;
}

/** A factory's check and its inputs, kept to run again at synth. */
interface DeferredCheck {
  readonly subject: string;
  readonly inputs: any;
  readonly check: SynthCheck<any>;
}

const accountsCheck: SynthCheck<{ accountIds: string[] }> = (problems, { accountIds }) => {
  if (accountIds.length === 0) problems.add('accountIds is empty: name at least one account');
  accountIds.forEach((a) => checkAccountId(problems, 'account', a));
  const seen = new Set<string>();
  for (const a of accountIds.filter(isConcrete)) {
    if (seen.has(a)) problems.add(`account '${a}' is listed twice`);
    seen.add(a);
  }
};

function checkAccounts(what: string, accountIds: string[]): DeferredCheck {
  guard(what, { accountIds: [accountIds, listOf(STRING)] });
  const problems = new Problems(what);
  const inputs = { accountIds };
  accountsCheck(problems, inputs, false);
  problems.throwIfAny();
  return { subject: what, inputs, check: accountsCheck };
}

const organizationCheck: SynthCheck<{ organizationId: string; paths: string[]; units: boolean }> = (problems, { organizationId, paths, units }) => {
  if (units && paths.length === 0) problems.add('organizationalUnitPaths is empty: name at least one organizational unit');
  addOrganizationProblems(problems, organizationId, paths);
};

function checkOrganization(what: string, organizationId: string, paths: string[]): DeferredCheck {
  guard(what, { organizationId: [organizationId, STRING], organizationalUnitPaths: [paths, listOf(STRING)] });
  const problems = new Problems(what);
  const inputs = { organizationId, paths, units: what.endsWith('Units') };
  organizationCheck(problems, inputs, false);
  problems.throwIfAny();
  return { subject: what, inputs, check: organizationCheck };
}

/** A stack of its own, in an app that never synthesizes, to resolve access policies outside any app. */
let detached: Stack | undefined;

/**
 * The repository policy these accesses write, resolved as a template holds
 * it (the partition and region stay CloudFormation intrinsics): for
 * measuring a policy before any repository or stack exists (the catalog's
 * size check, the fleet's placement estimate).
 *
 * @internal
 */
export function resolvedAccessPolicy(access: RepositoryAccess[]): unknown {
  return detachedStack().resolve(new iam.PolicyDocument({ statements: access.flatMap((a) => a._statements()) }));
}

/** The length ECR counts of the repository policy these accesses write (`concretePolicyLength`). @internal */
export function accessPolicyLength(access: RepositoryAccess[]): number {
  return concretePolicyLength(detachedStack(), resolvedAccessPolicy(access));
}

function detachedStack(): Stack {
  return detached ??= new Stack(new App({ autoSynth: false }), 'AccessPolicy');
}
