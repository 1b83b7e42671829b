import { Annotations, ArnFormat, ContextProvider, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import { Construct } from 'constructs';
import { policyPushers, RepositoryAccess } from './access';
import { checkEncryptionRegion, encryptionKeyFor, renderEncryption, ImageEncryption } from './encryption';
import { checkRepositoryName } from './names';
import { renderedLength, RepositoryPolicyText, sharedRendering, sharedStatements, stackEncryption } from './policy-cache';
import { addToRepositoryPolicy, checkRepositoryPolicySize } from './statement-checks';
import { checkTagMutabilityExclusions, renderTagMutability } from './tag-mutability';
import { acknowledgeRule } from '../internal/acknowledge';
import { ACCOUNT_ID_PATTERN, MAX_POLICY_TEXT } from '../internal/ecr-facts';
import { BOOLEAN, formatProblems, guard, guardConstruct, instanceOf, listOf, OBJECT, oneOf, optional, STRING } from '../internal/input';
import { hasStarPrincipal, policyStatements } from '../internal/policy';
import { checkAccountId, checkRemovalPolicy, isConcrete, Problems, subjectOf } from '../internal/problems';
import { checkNowAndAtSynth, resolveKnown } from '../internal/resolve';
import { LifecyclePolicy, LifecyclePolicyRule } from '../lifecycle';
import { attachLifecyclePolicy } from '../lifecycle/attach';
import { validateLifecyclePolicy } from '../lifecycle/validate';
import { checkPhysicalNames } from '../registry/physical-names';
import { Registry } from '../registry/registry';
import { ReplicationDestination } from '../registry/replication';
import { ScanFrequency } from '../scanning/enums';
import { RegistryScanning } from '../scanning/registry-scanning';
import { _atSynth, _grantSignPayload, describeProfiles, signingProfilesCovering } from '../signing/registry-signing';

/**
 * Whether image tags can be overwritten.
 */
export enum ImageTagMutability {
  /** A tag, once pushed, always names the same image (except tags that match an exclusion filter). */
  IMMUTABLE = 'IMMUTABLE',
  /** Tags can be moved to other images (except tags that match an exclusion filter). */
  MUTABLE = 'MUTABLE',
}
Object.freeze(ImageTagMutability);

/**
 * Properties of a private repository.
 */
export interface PrivateRepositoryProps {
  /**
   * The repository's name: 2 to 256 characters, lowercase letters and digits
   * separated by `.`, `_`, `-` and `/`.
   *
   * @default - CloudFormation generates a unique name
   */
  readonly repositoryName?: string;

  /**
   * Whether tags can be overwritten.
   *
   * @default ImageTagMutability.IMMUTABLE
   */
  readonly imageTagMutability?: ImageTagMutability;

  /**
   * Wildcard filters (`*` matches any run of characters) naming tags that do
   * not follow `imageTagMutability`: for example `['latest']` keeps a moving
   * `latest` tag in an immutable repository. 1 to 5 filters of up to 128
   * characters from `[0-9a-zA-Z._*-]`.
   *
   * @default - no exclusions
   */
  readonly imageTagMutabilityExclusions?: string[];

  /**
   * How images are encrypted at rest. Changing it replaces the repository.
   *
   * @default - KMS with the stack's shared customer managed key (one key per
   * stack, rotation on, retained on delete)
   */
  readonly encryption?: ImageEncryption;

  /**
   * The lifecycle policy. More rules can be added with `addLifecycleRule()`.
   *
   * @default LifecyclePolicy.recommended()
   */
  readonly lifecyclePolicy?: LifecyclePolicy;

  /**
   * The registry (12-digit AWS account ID) of the lifecycle policy:
   * CloudFormation's `LifecyclePolicy.RegistryId`, aws-cdk-lib's
   * `lifecycleRegistryId`. CloudFormation creates the repository in the
   * registry of the stack's account, so only that account's ID names this
   * repository; another one gets a warning.
   *
   * @default - the registry of the stack's account
   */
  readonly lifecycleRegistryId?: string;

  /**
   * Who else may use the repository (other accounts, an organization,
   * Lambda). More can be added with `allow()`.
   *
   * @default - no resource policy
   */
  readonly access?: RepositoryAccess[];

  /**
   * What happens to the repository when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Delete the images too when the repository is deleted. Only with
   * `removalPolicy: RemovalPolicy.DESTROY`.
   *
   * @default false
   */
  readonly emptyOnDelete?: boolean;

  /**
   * Per-repository scan on push: the repository's own
   * `ImageScanningConfiguration.ScanOnPush`, as in aws-cdk-lib. It applies
   * only while the account and region have no registry scanning
   * configuration: once one exists (see `RegistryScanning`), ECR scans a
   * repository that matches none of its filters only when asked (BASIC) or
   * not at all (ENHANCED), whatever this setting says. Control Tower
   * CT.ECR.PR.2 still checks this setting.
   *
   * A different mechanism from `addToRegistryScanning()`, which writes a
   * filter into the registry scanning configuration of the account and
   * region (and so makes this setting of every repository there moot).
   *
   * @default true
   */
  readonly imageScanOnPush?: boolean;
}

/**
 * Attributes of an existing repository.
 */
export interface PrivateRepositoryAttributes {
  /** The repository's name. */
  readonly repositoryName: string;
  /** The repository's ARN. */
  readonly repositoryArn: string;
}

/**
 * Which existing repository `PrivateRepository.fromLookup` looks up: by name
 * or by ARN, in the stack's account and region.
 */
export interface PrivateRepositoryLookupOptions {
  /**
   * The repository's name.
   *
   * @default - the name in `repositoryArn`
   */
  readonly repositoryName?: string;

  /**
   * The repository's ARN, in the stack's account and region.
   *
   * @default - the repository named `repositoryName`
   */
  readonly repositoryArn?: string;
}

/** What untyped callers must pass (built on first use: classes of other modules may still be loading). */
let spec: ReturnType<typeof buildPropsSpec> | undefined;
const propsSpec = () => spec ??= buildPropsSpec();
const buildPropsSpec = () => ({
  repositoryName: optional(STRING),
  imageTagMutability: optional(oneOf(ImageTagMutability)),
  imageTagMutabilityExclusions: optional(listOf(STRING)),
  encryption: optional(instanceOf(ImageEncryption)),
  lifecyclePolicy: optional(instanceOf(LifecyclePolicy)),
  lifecycleRegistryId: optional(STRING),
  access: optional(listOf(instanceOf(RepositoryAccess))),
  removalPolicy: optional(oneOf(RemovalPolicy)),
  emptyOnDelete: optional(BOOLEAN),
  imageScanOnPush: optional(BOOLEAN),
});

/**
 * A private Amazon ECR repository with secure defaults: immutable tags,
 * a lifecycle policy, retained when it leaves the stack, and a resource
 * policy that never opens it to everyone.
 *
 * It implements `aws_ecr.IRepository`, so it works wherever the official
 * repository does (ECS, Lambda, CodeBuild, grants, events).
 */
export class PrivateRepository extends ecr.RepositoryBase {
  /**
   * An existing repository in the stack's account and region, by name.
   */
  public static fromRepositoryName(scope: Construct, id: string, repositoryName: string): ecr.IRepository {
    const problems = new Problems(subjectOf('PrivateRepository.fromRepositoryName', scope, id));
    guard(problems.subject, { repositoryName: [repositoryName, STRING] });
    checkRepositoryName(problems, repositoryName);
    problems.throwIfAny();
    return ecr.Repository.fromRepositoryName(scope, id, repositoryName);
  }

  /**
   * An existing repository, by ARN (`arn:PARTITION:ecr:REGION:ACCOUNT:repository/NAME`).
   * A token ARN cannot be parsed: use `fromRepositoryAttributes`.
   */
  public static fromRepositoryArn(scope: Construct, id: string, repositoryArn: string): ecr.IRepository {
    const problems = new Problems(subjectOf('PrivateRepository.fromRepositoryArn', scope, id));
    guard(problems.subject, { repositoryArn: [repositoryArn, STRING] });
    if (Token.isUnresolved(repositoryArn)) {
      problems.add('repositoryArn is a token, so the repository name cannot be read from it: use PrivateRepository.fromRepositoryAttributes with the name and the ARN');
      problems.throwIfAny();
    }
    readRepositoryArn(problems, repositoryArn);
    problems.throwIfAny();
    return ecr.Repository.fromRepositoryArn(scope, id, repositoryArn);
  }

  /**
   * An existing repository, by name and ARN (either may be a token).
   */
  public static fromRepositoryAttributes(scope: Construct, id: string, attrs: PrivateRepositoryAttributes): ecr.IRepository {
    const problems = new Problems(subjectOf('PrivateRepository.fromRepositoryAttributes', scope, id));
    guard(problems.subject, { attrs: [attrs, { repositoryName: STRING, repositoryArn: STRING }] });
    checkRepositoryName(problems, attrs.repositoryName);
    if (isConcrete(attrs.repositoryArn) && isConcrete(attrs.repositoryName)
      && !attrs.repositoryArn.endsWith(`:repository/${attrs.repositoryName}`)) {
      problems.add(`repositoryArn '${attrs.repositoryArn}' does not name repository '${attrs.repositoryName}'`);
    }
    problems.throwIfAny();
    return ecr.Repository.fromRepositoryAttributes(scope, id, attrs);
  }

  /**
   * An existing repository of the stack's account and region, looked up by
   * name or ARN when the CDK CLI synthesizes the app, like aws-cdk-lib's
   * `Repository.fromLookup`: the same context provider (Cloud Control) and
   * the same context key, so a value that `cdk.context.json` holds for one
   * serves the other. The CLI fails synthesis when the repository does not
   * exist. The stack needs a literal account and region, and the name or
   * ARN must be literal (the lookup runs before deployment); an ARN of
   * another account or region is refused, because the lookup reads the
   * stack's.
   *
   * Until the CLI has looked it up (and in a test whose app has no context
   * value for it), the repository is the one of that name in the stack's
   * account and region.
   *
   * @param options the repository's name or ARN
   */
  public static fromLookup(scope: Construct, id: string, options: PrivateRepositoryLookupOptions): ecr.IRepository {
    const problems = new Problems(subjectOf('PrivateRepository.fromLookup', scope, id));
    guard(problems.subject, { options: [options, { repositoryName: optional(STRING), repositoryArn: optional(STRING) }] });
    const { repositoryName, repositoryArn } = options ?? {};
    const stack = Stack.of(scope);
    const envKnown = isConcrete(stack.account) && isConcrete(stack.region);
    if (!envKnown) {
      problems.add(`stack '${stack.node.path}' has no literal account and region, and the lookup reads the repository there: give the stack an env with both`);
    }
    if (repositoryName === undefined && repositoryArn === undefined) problems.add('give repositoryName or repositoryArn');
    for (const [what, value] of [['repositoryName', repositoryName], ['repositoryArn', repositoryArn]] as const) {
      if (value !== undefined && Token.isUnresolved(value)) problems.add(`${what} is a token: the lookup runs before deployment, so it needs the literal value`);
    }
    problems.throwIfAny();
    if (repositoryName !== undefined) checkRepositoryName(problems, repositoryName);
    let name = repositoryName;
    if (repositoryArn !== undefined) {
      const arn = readRepositoryArn(problems, repositoryArn);
      if (arn && repositoryName !== undefined && arn.name !== repositoryName) {
        problems.add(`repositoryArn '${repositoryArn}' does not name repository '${repositoryName}'`);
      }
      if (arn && envKnown && (arn.account !== stack.account || arn.region !== stack.region)) {
        problems.add(`repositoryArn '${repositoryArn}' is in ${arn.account}/${arn.region}, but the lookup reads the stack's account and region (${stack.account}/${stack.region}): `
          + 'use fromRepositoryArn for a repository elsewhere');
      }
      name ??= arn?.name;
    }
    problems.throwIfAny();

    const found = ContextProvider.getValue(scope, {
      provider: cxschema.ContextProvider.CC_API_PROVIDER,
      props: { typeName: 'AWS::ECR::Repository', exactIdentifier: name, propertiesToReturn: ['Arn'] },
      dummyValue: [{ Arn: stack.formatArn({ service: 'ecr', resource: 'repository', resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }) }],
    }).value;
    const arn = Array.isArray(found) && found.length === 1 ? found[0]?.Arn : undefined;
    if (typeof arn !== 'string') {
      problems.add(`the lookup of repository '${name}' gave ${JSON.stringify(found)}, not one repository with its Arn: remove its entry from cdk.context.json and synthesize again`);
    } else if (isConcrete(arn)) {
      const read = readRepositoryArn(problems, arn);
      if (read && read.name !== name) problems.add(`the lookup of repository '${name}' gave the ARN '${arn}' of another repository: remove its entry from cdk.context.json and synthesize again`);
    }
    problems.throwIfAny();
    return ecr.Repository.fromRepositoryAttributes(scope, id, { repositoryName: name!, repositoryArn: arn });
  }

  /** How images are encrypted at rest. */
  public readonly encryption: ImageEncryption;
  /** The customer managed key, for KMS encryption (none for AES256 and the AWS managed key). */
  public readonly encryptionKey?: kms.IKey;
  /** The underlying CloudFormation resource. */
  public readonly cfnRepository: ecr.CfnRepository;
  /** The lifecycle policy given (or the default), with the rules added so far. */
  private lifecycle: LifecyclePolicy;
  /** The lifecycle policy before `addLifecycleRule()`, and whether it was the default. */
  private readonly lifecycleBase: { readonly policy: LifecyclePolicy; readonly isDefault: boolean };
  /** The registry ID of the lifecycle policy, as given. */
  private readonly lifecycleRegistryId?: string;
  private policy?: iam.PolicyDocument;
  /** The token that renders `policy` (the resource holds it, or a shared rendering of the same policy). */
  private policyText?: RepositoryPolicyText;
  /**
   * Whether synthesis checks the size of this repository's policy. A policy
   * of shared statements that renders what another repository's policy
   * rendered when checked needs no check of its own.
   */
  private policySizeChecked = false;
  // Name and ARN tokens are made on first use: most repositories of a large
  // fleet never have them read, and each token costs synthesis time.
  private nameToken?: string;
  private arnToken?: string;
  /** Principals given push permissions through grants, which ECR's managed signing needs to sign as. */
  private readonly pushers: iam.IGrantable[] = [];
  /** The statements added to the repository policy, in order. */
  private readonly policyStatements: iam.PolicyStatement[] = [];
  /** Principals allowed to push by the repository policy. */
  private readonly policyPushers: string[] = [];
  /** A policy document the repository keeps as it runs (see `_keepPolicyDocument`), rendered before the statements added here. */
  private keptPolicy?: { readonly document: Record<string, unknown>; readonly statements: unknown[] };

  constructor(scope: Construct, id: string, props: PrivateRepositoryProps = {}) {
    guardConstruct('PrivateRepository', scope, id, props, propsSpec());
    super(scope, id, { physicalName: props.repositoryName });
    checkPhysicalNames(this);
    const problems = new Problems(subjectOf('PrivateRepository', scope, id));
    const tagMutability = props.imageTagMutability ?? ImageTagMutability.IMMUTABLE;

    checkNowAndAtSynth(this, problems, { name: props.repositoryName, exclusions: props.imageTagMutabilityExclusions }, (p, v, atSynth) => {
      checkRepositoryName(p, v.name);
      checkTagMutabilityExclusions(p, v.exclusions, atSynth);
    });
    const mutability = renderTagMutability(this, tagMutability, props.imageTagMutabilityExclusions);
    checkEncryptionRegion(problems, this, props.encryption);

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    checkRemovalPolicy(problems, removalPolicy);
    if (props.emptyOnDelete && removalPolicy !== RemovalPolicy.DESTROY) {
      problems.add(`emptyOnDelete is true but removalPolicy is ${removalPolicy}: images can only be deleted with the repository, so set removalPolicy to RemovalPolicy.DESTROY or drop emptyOnDelete`);
    }

    const lifecycle = attachLifecyclePolicy(this, problems, props.lifecyclePolicy);
    this.lifecycle = lifecycle.policy;
    this.lifecycleBase = { policy: lifecycle.policy, isDefault: props.lifecyclePolicy === undefined };
    this.lifecycleRegistryId = props.lifecycleRegistryId;
    if (props.lifecycleRegistryId !== undefined) checkLifecycleRegistryId(this, problems, props.lifecycleRegistryId);
    problems.throwIfAny();

    this.encryption = props.encryption ?? stackEncryption(this);
    this.encryptionKey = encryptionKeyFor(this, this.encryption, `Encrypts the images of ECR repository ${this.node.path}`);

    this.cfnRepository = new ecr.CfnRepository(this, 'Resource', {
      repositoryName: this.physicalName,
      imageTagMutability: mutability.imageTagMutability,
      imageTagMutabilityExclusionFilters: mutability.imageTagMutabilityExclusionFilters,
      encryptionConfiguration: renderEncryption(this.encryption, this.encryptionKey),
      lifecyclePolicy: { lifecyclePolicyText: lifecycle.text, registryId: props.lifecycleRegistryId },
      imageScanningConfiguration: { scanOnPush: props.imageScanOnPush ?? true },
      emptyOnDelete: props.emptyOnDelete ? true : undefined,
    });
    this.cfnRepository.applyRemovalPolicy(removalPolicy);

    for (const access of props.access ?? []) this.allow(access);
  }

  /** The lifecycle policy in force: the one given (or the default), followed by the rules added with `addLifecycleRule()`. */
  public get lifecyclePolicy(): LifecyclePolicy {
    return this.lifecycle;
  }

  /**
   * Adds a rule to the lifecycle policy, like aws-cdk-lib's
   * `addLifecycleRule`, with this library's `LifecyclePolicyRule`. The policy in
   * force becomes the one given (or the default, `LifecyclePolicy.recommended()`)
   * followed by the added rules, as `LifecyclePolicy.combine` joins them:
   * explicit priorities are kept, the other rules are numbered again across
   * the whole policy, `any` rules last.
   *
   * The whole policy is checked at each call, and a rule that ECR would
   * reject with the others (a second `any` or `untagged` rule in a storage
   * class, a priority used twice, more than 50 rules, text over 30,720
   * characters) is refused with every problem. The policy text is rendered
   * at synth, with every rule added by then; a repository that never calls
   * this method renders exactly as before.
   *
   * @param rule the rule to add
   */
  public addLifecycleRule(rule: LifecyclePolicyRule): void {
    const subject = `PrivateRepository.addLifecycleRule '${this.node.path}'`;
    guard(subject, { rule: [rule, OBJECT] });
    const first = this.lifecycle === this.lifecycleBase.policy;
    const policy = LifecyclePolicy.combine(this.lifecycle, LifecyclePolicy.fromRules([rule]));
    const problems = new Problems(subject);
    const found = policy.validate();
    if (found.length > 0) problems.addAll([...found, this.lifecycleOrigin()], 'lifecyclePolicy: ');
    problems.throwIfAny();
    this.lifecycle = policy;
    if (!first) return;

    this.cfnRepository.lifecyclePolicy = {
      lifecyclePolicyText: Lazy.uncachedString({ produce: () => this.lifecycle.toJson() }),
      registryId: this.lifecycleRegistryId,
    };
    // Rules with tokens are checked again at synth, once, with every rule added by then.
    this.node.addValidation({
      validate: () => {
        if (!Token.isUnresolved(this.lifecycle.toJson())) return [];
        const atSynth = (p: LifecyclePolicy) => validateLifecyclePolicy(resolveKnown(this, p.rules), true);
        // A policy given with problems of its own is reported by its own check.
        if (Token.isUnresolved(this.lifecycleBase.policy.toJson()) && atSynth(this.lifecycleBase.policy).length > 0) return [];
        const problemsAtSynth = atSynth(this.lifecycle);
        return problemsAtSynth.length === 0 ? []
          : [formatProblems(subject, [...problemsAtSynth, this.lifecycleOrigin()].map((m) => `lifecyclePolicy: ${m}`))];
      },
    });
  }

  /** Where the rules of the lifecycle policy come from, for messages. */
  private lifecycleOrigin(): string {
    const n = this.lifecycleBase.policy.rules.length;
    const given = this.lifecycleBase.isDefault
      ? 'the default LifecyclePolicy.recommended() (give lifecyclePolicy to start from other rules)'
      : 'lifecyclePolicy';
    return `rules[0] to rules[${n - 1}] are those of ${given}; the rules from rules[${n}] on were added with addLifecycleRule()`;
  }

  /** The repository's name. */
  public get repositoryName(): string {
    return this.nameToken ??= this.getResourceNameAttribute(this.cfnRepository.ref);
  }

  /** The repository's ARN. */
  public get repositoryArn(): string {
    return this.arnToken ??= this.getResourceArnAttribute(this.cfnRepository.attrArn, {
      service: 'ecr',
      resource: 'repository',
      resourceName: this.physicalName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /**
   * Lets a principal push images. Where a signing rule of the registry
   * (`RegistrySigning`, in any stack of the same account and region) covers
   * this repository, the principal also gets `signer:SignPayload` on the
   * rule's signing profile: ECR signs with the identity of the pusher.
   */
  public grantPush(grantee: iam.IGrantable): iam.Grant {
    const grant = super.grantPush(grantee);
    this._addPusher(grantee);
    return grant;
  }

  /**
   * Lets a principal push images (and pull them): the push and pull actions
   * on this repository and `ecr:GetAuthorizationToken` on `*` (no
   * resource-level permission; reported as `AwsSolutions-IAM5[Resource::*]`
   * on the grantee, see `grantPull`). Like `grantPush`, it adds
   * `signer:SignPayload` where a signing rule covers this repository.
   */
  public grantPullPush(grantee: iam.IGrantable): iam.Grant {
    const grant = super.grantPullPush(grantee);
    this._addPusher(grantee);
    return grant;
  }

  /**
   * Lets a principal restore archived images of this repository to the
   * standard storage class (`ecr:UpdateImageStorageClass`) and find them
   * (`ecr:DescribeImages`, `ecr:ListImages`, which show archived images with
   * their status). IAM has no condition on the target storage class, so the
   * principal can also archive images by hand. Lifecycle policies archive
   * images (`LifecyclePresets.archiveUnpulled`); restored images behave like
   * newly pushed ones.
   */
  public grantRestoreArchivedImages(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'ecr:UpdateImageStorageClass', 'ecr:DescribeImages', 'ecr:ListImages');
  }

  /** Warns, at synth, when principals that push through the repository policy push to a signed repository. */
  private addPolicyPushers(principals: string[]): void {
    const first = this.policyPushers.length === 0;
    this.policyPushers.push(...principals);
    if (!first) return;
    _atSynth(this, () => {
      const name = isConcrete(this.physicalName) ? this.physicalName : undefined;
      const profiles = [...new Set(signingProfilesCovering(Stack.of(this), name))];
      if (profiles.length === 0) return;
      Annotations.of(this).addWarningV2('cdk-ecr-platform:policyPusherMustSign',
        `${this.policyPushers.join(', ')} may push to '${name ?? this.node.path}' through its repository policy, and ECR signs its images with the identity of the pusher: `
        + `each pushing principal needs signer:SignPayload on ${describeProfiles(this, profiles)} in its own IAM policy (and, from another account, a cross-account permission on the signing profile), or its pushes carry no signature.`);
    });
  }

  /**
   * Records a principal given push permissions by a grant (here, or through
   * a reference to this repository): where a signing rule covers the
   * repository, it also gets `signer:SignPayload` at synth.
   *
   * @internal
   */
  public _addPusher(grantee: iam.IGrantable): void {
    this.pushers.push(grantee);
    if (this.pushers.length > 1) return;
    _atSynth(this, () => {
      const name = isConcrete(this.physicalName) ? this.physicalName : undefined;
      const profiles = signingProfilesCovering(Stack.of(this), name);
      for (const pusher of this.pushers) _grantSignPayload(this, pusher, profiles, `pushes to '${name ?? this.node.path}'`);
    });
  }

  /**
   * Lets others use the repository, through its resource policy.
   */
  public allow(access: RepositoryAccess): void {
    guard(() => `PrivateRepository.allow '${this.node.path}'`, { access: [access, instanceOf(RepositoryAccess)] });
    access._checkAtSynth(this);
    // A subclass that overrides addToResourcePolicy sees every statement.
    const shared = this.addToResourcePolicy === PrivateRepository.prototype.addToResourcePolicy ? sharedStatements(access) : undefined;
    if (shared?.checked) {
      // Statements checked once already: the document is made only if something needs it (see policyDocument()).
      this.policy?.addStatements(...shared.statements);
      this.policyStatements.push(...shared.statements);
      for (const pushers of shared.pushers) if (pushers) this.addPolicyPushers([...pushers]);
    } else {
      for (const statement of shared?.statements ?? access._statements()) {
        this.addToResourcePolicy(statement);
        const pushers = policyPushers(statement);
        if (pushers) this.addPolicyPushers(pushers);
      }
      if (shared) shared.checked = true;
    }
    if (this.policyStatements.length > 0) {
      const rendering = sharedRendering(this, this.policy, this.policyStatements);
      if (rendering === undefined) {
        this.setPolicyText(this.policyDocument().text);
        this.checkPolicySize();
      } else {
        this.setPolicyText(rendering);
        // A combination of shared statements that no repository had alone may be too long.
        if (renderedLength(this, rendering) > MAX_POLICY_TEXT) this.checkPolicySize();
      }
    }
    if (access._isOrganizationWide) {
      acknowledgeRule(this.cfnRepository, 'AwsSolutions-ECR1',
        'The only * principal in this repository policy is restricted to an AWS Organization by aws:PrincipalOrgID or aws:PrincipalOrgPaths; every other * statement is refused by the construct.');
    }
  }

  /**
   * Adds a statement to the repository policy. A statement that allows the
   * `*` principal without a condition that restricts it to named accounts or
   * organizations, or that names resources, is refused.
   */
  public addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    guard(() => `PrivateRepository.addToResourcePolicy '${this.node.path}'`, { statement: [statement, instanceOf(iam.PolicyStatement)] });
    // Shared statements held without a document so far go into it first.
    if (!this.policy && this.policyStatements.length > 0) this.policyDocument();
    this.policy = addToRepositoryPolicy(`PrivateRepository '${this.node.path}'`, this, this.policy, (document) => {
      this.policyText = new RepositoryPolicyText(document, this.policyStatements);
      this.policySizeChecked = true;
      return this.policyText;
    }, statement);
    this.policyStatements.push(statement);
    // A policy begun with shared statements is checked from its first statement of its own.
    this.checkPolicySize();
    // The document is handed out below, so it may change: the resource renders it through the token from now on.
    this.setPolicyText(this.policyText);
    return { statementAdded: true, policyDependable: this.policy };
  }

  /**
   * Keeps a repository policy document exactly as it runs (an adopted
   * repository's `GetRepositoryPolicy` text, checked by the caller): its
   * Version and statements render as given, followed by the statements of
   * `allow()` and `addToResourcePolicy()`. A `*` principal that every
   * statement restricts is acknowledged for AwsSolutions-ECR1, as `allow()`
   * does for organization access; `acceptedOpenAccess` is the reason an
   * unrestricted one was accepted (the repository then acknowledges
   * EcrCompliance-OpenAccess with it).
   *
   * @internal
   */
  public _keepPolicyDocument(document: Record<string, unknown>, statements: unknown[], restricted: boolean, acceptedOpenAccess?: string): void {
    const own = this.cfnRepository.repositoryPolicyText;
    this.keptPolicy = { document, statements };
    this.setPolicyText(own);
    if (statements.some((s) => hasStarPrincipal((s as { Principal?: unknown })?.Principal))) {
      if (restricted) {
        acknowledgeRule(this.cfnRepository, 'AwsSolutions-ECR1',
          'Every * principal in this repository policy is restricted to named accounts or organizations by its condition (the library\'s open-access check); the policy is kept as it runs.');
      } else if (acceptedOpenAccess !== undefined) {
        acknowledgeRule(this.cfnRepository, 'AwsSolutions-ECR1', acceptedOpenAccess);
      }
    }
  }

  /** Sets the policy the resource renders: the kept document's statements first, then `own` (the statements added here). */
  private setPolicyText(own: unknown): void {
    const kept = this.keptPolicy;
    if (!kept) {
      this.cfnRepository.repositoryPolicyText = own;
      return;
    }
    if (own === undefined) {
      this.cfnRepository.repositoryPolicyText = kept.document;
      return;
    }
    this.cfnRepository.repositoryPolicyText = Lazy.any({
      produce: () => {
        const statements = policyStatements(Stack.of(this).resolve(own)) ?? [];
        return { ...kept.document, Statement: [...kept.statements, ...statements] };
      },
    });
  }

  /** Checks the size of the repository policy at synth, once. */
  private checkPolicySize(): void {
    if (this.policySizeChecked) return;
    this.policySizeChecked = true;
    checkRepositoryPolicySize(`PrivateRepository '${this.node.path}'`, this, this.policyDocument().text);
  }

  /**
   * The repository policy document with every statement so far, and the
   * token that renders it, made on first use. A repository whose policy is
   * made only of shared statements holds their shared rendering and needs
   * neither, unless a statement of its own is added.
   */
  private policyDocument(): { document: iam.PolicyDocument; text: RepositoryPolicyText } {
    if (!this.policy || !this.policyText) {
      this.policy = new iam.PolicyDocument({ statements: [...this.policyStatements] });
      this.policyText = new RepositoryPolicyText(this.policy, this.policyStatements);
    }
    return { document: this.policy, text: this.policyText };
  }

  /**
   * Lets a principal pull images: `ecr:BatchCheckLayerAvailability`,
   * `ecr:BatchGetImage` and `ecr:GetDownloadUrlForLayer` on this repository,
   * and `ecr:GetAuthorizationToken` on `*`, because that action has no
   * resource-level permission. cdk-nag's AwsSolutions-IAM5 reports the `*` on
   * the grantee's policy as `AwsSolutions-IAM5[Resource::*]`: acknowledge it
   * on the grantee with `Validations.of(role).acknowledge(...)`.
   */
  public grantPull(grantee: iam.IGrantable): iam.Grant {
    return super.grantPull(grantee);
  }

  /**
   * Replicates this repository's images to other registries: adds its name as
   * a PREFIX_MATCH filter to the registry's replication rule for exactly these
   * destinations (one rule per set of destinations). A destination in another
   * account whose stack is in the same app gets the registry policy statement
   * it needs. Replicas take their settings from a repository creation template
   * applied for REPLICATION in the destination. The repository needs a
   * literal `repositoryName`.
   *
   * ECR's replication filters are prefixes with no exact-match form: the
   * filter `app` also replicates `app-legacy` and `apply`, now and whenever
   * such a repository is created. A warning names the other repositories of
   * the app it covers; `Registry.replicateNamespace('team-a/', ...)`
   * replicates a whole namespace instead.
   */
  public replicateTo(destinations: ReplicationDestination[]): void {
    guard(() => `PrivateRepository.replicateTo '${this.node.path}'`, { destinations: [destinations, listOf(instanceOf(ReplicationDestination))] });
    Registry.of(this)._replicateRepository(`PrivateRepository '${this.node.path}'`, this.physicalName, destinations, this);
  }

  /**
   * Scans this repository's images through the registry scanning
   * configuration of its account and region (`RegistryScanning`): adds its
   * name as a WILDCARD filter to the rule of the given frequency. The
   * repository needs a literal `repositoryName`.
   *
   * - `SCAN_ON_PUSH`: scanned when an image is pushed.
   * - `CONTINUOUS_SCAN`: scanned on push and again whenever Amazon Inspector
   *   learns of a new vulnerability; makes the registry's scan type ENHANCED
   *   (billed per image).
   *
   * This is not the `imageScanOnPush` property, the repository's own
   * setting: once the account and region have a registry scanning
   * configuration, ECR ignores the repository setting of every repository
   * there, and a repository that matches no filter is scanned only when asked
   * (BASIC) or not at all (ENHANCED).
   *
   * ECR matches a filter without `*` against every repository name that
   * contains it and has no exact-match form, so the filter also covers, for
   * example, `team/api-gateway` for a repository named `team/api`; a warning
   * names the other repositories of the app it covers.
   *
   * @param frequency the rule to add this repository to
   */
  public addToRegistryScanning(frequency: ScanFrequency): void {
    guard(() => `PrivateRepository.addToRegistryScanning '${this.node.path}'`, { frequency: [frequency, oneOf(ScanFrequency)] });
    RegistryScanning.of(this)._addRepository(`PrivateRepository '${this.node.path}'`, this.physicalName, frequency, this);
  }
}

/**
 * Checks the registry ID of a repository's lifecycle policy: 12 digits (at
 * synth too when it is a Lazy), and a warning when it is not the stack's
 * account, whose registry holds the repository.
 */
function checkLifecycleRegistryId(repository: PrivateRepository, problems: Problems, registryId: string): void {
  checkNowAndAtSynth(repository, problems, { registryId }, (p, v) => checkAccountId(p, 'lifecycleRegistryId', v.registryId));
  const account = Stack.of(repository).account;
  if (isConcrete(registryId) && isConcrete(account) && registryId !== account) {
    Annotations.of(repository).addWarningV2('cdk-ecr-platform:lifecycleRegistryIdOtherAccount',
      `lifecycleRegistryId is '${registryId}', but CloudFormation creates the repository in the registry of the stack's account '${account}': `
      + 'the lifecycle policy names a repository of another registry. Leave lifecycleRegistryId out (the default is the stack\'s registry).');
  }
}

/**
 * Reads an ECR repository ARN (`arn:PARTITION:ecr:REGION:ACCOUNT:repository/NAME`),
 * recording its problems. Undefined when it is not one.
 */
function readRepositoryArn(problems: Problems, repositoryArn: string): { name: string; account: string; region: string } | undefined {
  const parts = repositoryArn.split(':');
  const resource = parts.slice(5).join(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[2] !== 'ecr' || !resource.startsWith('repository/')) {
    problems.add(`repositoryArn '${repositoryArn}' is not an ECR repository ARN: expected 'arn:PARTITION:ecr:REGION:ACCOUNT:repository/NAME'`);
    return undefined;
  }
  const name = resource.slice('repository/'.length);
  checkRepositoryName(problems, name);
  if (!ACCOUNT_ID_PATTERN.test(parts[4])) problems.add(`repositoryArn '${repositoryArn}' has account '${parts[4]}': expected 12 digits`);
  if (!parts[3]) problems.add(`repositoryArn '${repositoryArn}' has no region`);
  return { name, account: parts[4], region: parts[3] };
}
