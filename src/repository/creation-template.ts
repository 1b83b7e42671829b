import { Stack, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';
import { RepositoryAccess } from './access';
import { readPolicyDocument } from './adopted-settings';
import { checkEncryptionRegion, defaultRepositoryEncryption, encryptionKeyFor, renderEncryption, ImageEncryption } from './encryption';
import { ImageTagMutability } from './private-repository';
import { repositoryPolicyStatementProblems } from './statement-checks';
import { checkTagMutabilityExclusions, renderTagMutability } from './tag-mutability';
import { CREATE_REPOSITORY_ACTION, MAX_POLICY_TEXT, normalizePrefix, REPLICATE_IMAGE_ACTION, REPOSITORY_TAG_LIMITS, repositoryNamePrefix, ROOT_PREFIX, TEMPLATE_PREFIX_PATTERN } from '../internal/ecr-facts';
import { BOOLEAN, guardConstruct, instanceOf, listOf, mapOf, OBJECT, oneOf, optional, STRING } from '../internal/input';
import { concretePolicyLength, policySizeProblem } from '../internal/policy-text';
import { isConcrete, Problems, subjectOf } from '../internal/problems';
import { checkAtSynth, checkNowAndAtSynth } from '../internal/resolve';
import { LifecyclePolicy } from '../lifecycle';
import { attachLifecyclePolicy } from '../lifecycle/attach';
import { checkPhysicalNames } from '../registry/physical-names';
import { Registry } from '../registry/registry';
import { RegistrySettingKind } from '../registry/settings';

/** What untyped callers must pass (built on use: classes of other modules may still be loading). */
const propsSpec = () => ({
  prefix: STRING,
  appliedFor: listOf(oneOf(RepositoryCreationTemplateAppliedFor)),
  lifecyclePolicy: optional(instanceOf(LifecyclePolicy)),
  access: optional(listOf(instanceOf(RepositoryAccess))),
  encryption: optional(instanceOf(ImageEncryption)),
  imageTagMutability: optional(oneOf(ImageTagMutability)),
  imageTagMutabilityExclusions: optional(listOf(STRING)),
  resourceTags: optional(mapOf(STRING)),
  description: optional(STRING),
  customRole: optional(OBJECT),
  noLifecyclePolicy: optional(BOOLEAN),
  repositoryPolicyText: optional(STRING),
  createRole: optional(BOOLEAN),
});

/**
 * When ECR applies a repository creation template.
 */
export enum RepositoryCreationTemplateAppliedFor {
  /** Repositories a pull-through cache rule creates. */
  PULL_THROUGH_CACHE = 'PULL_THROUGH_CACHE',
  /** Repositories replication creates in this registry. */
  REPLICATION = 'REPLICATION',
  /** Repositories created by the first push to a name that does not exist yet. */
  CREATE_ON_PUSH = 'CREATE_ON_PUSH',
}
Object.freeze(RepositoryCreationTemplateAppliedFor);

const MAX_PREFIX = 256;
const MAX_DESCRIPTION = 256;
// ECR's tag limits (one home: the facts module); a template's resource tags may have empty values.
const { maxTags: MAX_TAGS, maxKeyLength, maxValueLength, reservedPrefix } = REPOSITORY_TAG_LIMITS;
const TAG_KEY = new RegExp(`^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,${maxKeyLength}}$`, 'u');
const TAG_VALUE = new RegExp(`^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,${maxValueLength}}$`, 'u');

/**
 * Properties of a repository creation template.
 */
export interface RepositoryCreationTemplateProps {
  /**
   * The repository name prefix the template applies to (`prod` matches
   * `prod/...`), or `ROOT` for every repository that no other template
   * matches. One template per prefix and registry.
   */
  readonly prefix: string;

  /**
   * When ECR applies the template: at least one of pull-through cache,
   * replication, create on push.
   */
  readonly appliedFor: RepositoryCreationTemplateAppliedFor[];

  /**
   * The lifecycle policy of the repositories ECR creates.
   *
   * @default LifecyclePolicy.recommended()
   */
  readonly lifecyclePolicy?: LifecyclePolicy;

  /**
   * Who else may use the repositories ECR creates (their repository policy).
   *
   * @default - no repository policy
   */
  readonly access?: RepositoryAccess[];

  /**
   * How the repositories ECR creates encrypt images at rest.
   *
   * @default - KMS with the stack's shared customer managed key (a custom
   * role that may use it is created)
   */
  readonly encryption?: ImageEncryption;

  /**
   * Whether tags can be overwritten in the repositories ECR creates.
   *
   * @default ImageTagMutability.IMMUTABLE
   */
  readonly imageTagMutability?: ImageTagMutability;

  /**
   * Wildcard filters naming tags that do not follow `imageTagMutability`:
   * 1 to 5 filters of up to 128 characters from `[0-9a-zA-Z._*-]`.
   *
   * @default - no exclusions
   */
  readonly imageTagMutabilityExclusions?: string[];

  /**
   * Tags of the repositories ECR creates (at most 50). ECR needs a custom
   * role to tag them: one is created unless `customRole` is given.
   *
   * @default - no tags
   */
  readonly resourceTags?: Record<string, string>;

  /**
   * A description of the template, up to 256 characters.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * The role ECR assumes to create repositories with tags or a KMS key. It
   * must trust `ecr.amazonaws.com` and allow `ecr:CreateRepository`,
   * `ecr:TagResource` and, for KMS, `kms:CreateGrant`, `kms:RetireGrant` and
   * `kms:DescribeKey` on the key.
   *
   * @default - a least-privilege role is created when the template has tags or uses KMS; otherwise ECR's service-linked role is used
   */
  readonly customRole?: iam.IRole;

  /**
   * Whether the repositories ECR creates get no lifecycle policy at all (as
   * a template that runs without one). The compliance pack checks the
   * repositories themselves: each needs a policy of its own.
   *
   * @default false: `lifecyclePolicy`, or LifecyclePolicy.recommended()
   */
  readonly noLifecyclePolicy?: boolean;

  /**
   * The repository policy of the repositories ECR creates, as a JSON text
   * (for example as `DescribeRepositoryCreationTemplates` returns it for a
   * template that runs). It is rendered as given, after the checks of an
   * adopted repository policy (its shape) and ECR's size quota; the
   * compliance pack reports a statement open to anyone
   * (`EcrCompliance-OpenAccess`).
   * Give either this or `access`.
   *
   * @default - the statements of `access`, or no repository policy
   */
  readonly repositoryPolicyText?: string;

  /**
   * Whether a least-privilege role is created for a template with tags or
   * KMS encryption when no `customRole` is given. `false` keeps ECR's
   * service-linked role, as a template that runs without a custom role
   * does: ECR documents a custom role for templates with tags or a KMS key,
   * so repositories ECR creates from such a template may fail to be created.
   *
   * @default true
   */
  readonly createRole?: boolean;
}

/**
 * A repository creation template (`AWS::ECR::RepositoryCreationTemplate`):
 * the settings ECR gives the repositories it creates for a pull-through
 * cache, for replication into this registry, or on first push. Lifecycle
 * policies and repository policies are not replicated, so a template applied
 * for REPLICATION is how replicas get theirs.
 */
export class RepositoryCreationTemplate extends Construct {
  /** The prefix the template applies to. */
  public readonly prefix: string;
  /** The lifecycle policy of the repositories ECR creates (none with `noLifecyclePolicy`). */
  public readonly lifecyclePolicy?: LifecyclePolicy;
  /** The customer managed key, for KMS encryption. */
  public readonly encryptionKey?: kms.IKey;
  /** The role ECR assumes, when the template needs or was given one. */
  public readonly customRole?: iam.IRole;
  /** The underlying CloudFormation resource. */
  public readonly cfnTemplate: ecr.CfnRepositoryCreationTemplate;

  constructor(scope: Construct, id: string, props: RepositoryCreationTemplateProps) {
    guardConstruct('RepositoryCreationTemplate', scope, id, props, propsSpec());
    super(scope, id);
    const subject = subjectOf('RepositoryCreationTemplate', scope, id);
    checkPhysicalNames(this);
    const problems = new Problems(subject);

    this.prefix = props.prefix;
    const appliedFor = props.appliedFor;
    if (appliedFor.length === 0) problems.add('appliedFor is empty: name at least one of PULL_THROUGH_CACHE, REPLICATION, CREATE_ON_PUSH');
    if (new Set(appliedFor).size !== appliedFor.length) problems.add('appliedFor lists the same scenario twice');
    checkEncryptionRegion(problems, this, props.encryption);

    const tagMutability = props.imageTagMutability ?? ImageTagMutability.IMMUTABLE;
    const tags = Object.entries(props.resourceTags ?? {});
    const values = { prefix: props.prefix, exclusions: props.imageTagMutabilityExclusions, description: props.description, tags };
    checkNowAndAtSynth(this, problems, values, (p, v, atSynth) => {
      if (isConcrete(v.prefix) && v.prefix !== ROOT_PREFIX) {
        if (v.prefix.length < 1 || v.prefix.length > MAX_PREFIX) {
          p.add(`prefix '${v.prefix}' has ${v.prefix.length} characters: it must have 1 to ${MAX_PREFIX}`);
        }
        if (!TEMPLATE_PREFIX_PATTERN.test(v.prefix)) {
          p.add(`prefix '${v.prefix}' is neither 'ROOT' nor a repository namespace: lowercase letters and digits in groups separated by one '.', '_' or '-', with '/' between namespaces`);
        }
      }
      checkTagMutabilityExclusions(p, v.exclusions, atSynth);
      if (isConcrete(v.description) && v.description.length > MAX_DESCRIPTION) {
        p.add(`description has ${v.description.length} characters: ECR takes at most ${MAX_DESCRIPTION}`);
      }
      if (v.tags.length > MAX_TAGS) p.add(`resourceTags has ${v.tags.length} tags: ECR takes at most ${MAX_TAGS}`);
      for (const [k, value] of v.tags) {
        if (isConcrete(k) && (!TAG_KEY.test(k) || k.toLowerCase().startsWith(reservedPrefix))) {
          p.add(`resourceTags key '${k}' must be 1 to ${maxKeyLength} letters, digits, spaces or _.:/=+-@ and must not start with '${reservedPrefix}'`);
        }
        if (isConcrete(value) && !TAG_VALUE.test(value)) p.add(`resourceTags value '${value}' of key '${k}' must be up to ${maxValueLength} letters, digits, spaces or _.:/=+-@`);
      }
    });
    const mutability = renderTagMutability(this, tagMutability, props.imageTagMutabilityExclusions);

    if (props.noLifecyclePolicy && props.lifecyclePolicy) problems.add('noLifecyclePolicy is true and lifecyclePolicy is given: give one of them');
    const lifecycle = props.noLifecyclePolicy ? undefined : attachLifecyclePolicy(this, problems, props.lifecyclePolicy);
    this.lifecyclePolicy = lifecycle?.policy;

    for (const a of props.access ?? []) a._checkAtSynth(this);
    const statements = (props.access ?? []).flatMap((a) => a._statements());
    for (const s of statements) problems.addAll(repositoryPolicyStatementProblems(this, s));
    let repositoryPolicy: string | undefined;
    if (props.repositoryPolicyText !== undefined) {
      if (statements.length > 0) problems.add('repositoryPolicyText and access are both given: give the policy one way');
      repositoryPolicy = givenPolicyText(problems, props.repositoryPolicyText);
    } else if (statements.length > 0) {
      const document = new iam.PolicyDocument({ statements });
      repositoryPolicy = Stack.of(this).toJsonString(document);
      const tooLong = policySizeProblem('the repository policy', concretePolicyLength(this, document),
        `Give access to fewer, wider principals (an organization or organizational unit rather than many accounts): every repository ECR creates from this template gets this policy, and ECR refuses policies over ${MAX_POLICY_TEXT} characters.`);
      if (tooLong) problems.add(tooLong);
    }

    // One template per prefix and registry; ECR reads 'team' and 'team/' as the same prefix.
    // A prefix known only at synth (Lazy) is claimed once resolved, so that duplicates are found.
    const claim = (prefix: string) => ({ kind: RegistrySettingKind.CREATION_TEMPLATE, key: normalizePrefix(prefix), owner: this, subject });
    const registry = Registry.of(this);
    const clash = isConcrete(props.prefix) ? registry._checkClaim(claim(props.prefix)) : undefined;
    if (clash !== undefined) problems.add(clash);
    checkAtSynth(this, problems, props.prefix, (p, prefix) => {
      if (!isConcrete(prefix)) return;
      const atSynth = registry._claim(claim(prefix));
      if (atSynth !== undefined) p.add(atSynth);
    });
    problems.throwIfAny();
    if (isConcrete(props.prefix)) registry._claim(claim(props.prefix));

    const encryption = props.encryption ?? defaultRepositoryEncryption(this);
    this.encryptionKey = encryptionKeyFor(this, encryption, `Encrypts the images of the repositories ECR creates from template ${this.node.path}`);

    const needsRole = (tags.length > 0 || encryption.usesKms) && props.createRole !== false;
    this.customRole = props.customRole ?? (needsRole ? this.createRole(appliedFor, tags.length > 0) : undefined);

    const encryptionConfiguration = renderEncryption(encryption, this.encryptionKey);
    const customRoleArn = this.customRole?.roleArn;
    this.cfnTemplate = new ecr.CfnRepositoryCreationTemplate(this, 'Resource', {
      prefix: props.prefix,
      appliedFor,
      description: props.description,
      imageTagMutability: mutability.imageTagMutability,
      imageTagMutabilityExclusionFilters: mutability.imageTagMutabilityExclusionFilters,
      lifecyclePolicy: lifecycle?.text,
      repositoryPolicy,
      encryptionConfiguration,
      resourceTags: tags.length > 0 ? tags.map(([key, value]) => ({ key, value })) : undefined,
      customRoleArn,
    });
    Registry.of(this)._renderAs(this.cfnTemplate, (resolve) => {
      const exclusions: any[] | undefined = resolve(mutability.imageTagMutabilityExclusionFilters);
      return {
        AppliedFor: appliedFor,
        CustomRoleArn: customRoleArn,
        Description: props.description,
        EncryptionConfiguration: encryptionConfiguration && {
          EncryptionType: encryptionConfiguration.encryptionType,
          KmsKey: encryptionConfiguration.kmsKey,
        },
        ImageTagMutability: mutability.imageTagMutability,
        ImageTagMutabilityExclusionFilters: exclusions?.map((f) => ({
          ImageTagMutabilityExclusionFilterType: f.imageTagMutabilityExclusionFilterType,
          ImageTagMutabilityExclusionFilterValue: f.imageTagMutabilityExclusionFilterValue,
        })),
        LifecyclePolicy: lifecycle?.text,
        Prefix: props.prefix,
        RepositoryPolicy: repositoryPolicy,
        ResourceTags: tags.length > 0 ? tags.map(([Key, Value]) => ({ Key, Value })) : undefined,
      };
    });
  }

  /**
   * A role for ECR with only what this template needs: create (and tag, and
   * for replication replicate into) repositories under the prefix, and use
   * the template's key.
   */
  private createRole(appliedFor: RepositoryCreationTemplateAppliedFor[], tagged: boolean): iam.IRole {
    const registry = Registry.of(this);
    const repositories = registry.arnForRepositories(repositoryNamePrefix(this.prefix));
    const ecrActions = [CREATE_REPOSITORY_ACTION];
    if (appliedFor.includes(RepositoryCreationTemplateAppliedFor.REPLICATION)) ecrActions.push(REPLICATE_IMAGE_ACTION);
    if (tagged) ecrActions.push('ecr:TagResource');
    const statements = [new iam.PolicyStatement({ actions: ecrActions, resources: [repositories] })];
    if (this.encryptionKey) {
      statements.push(new iam.PolicyStatement({
        actions: ['kms:CreateGrant', 'kms:DescribeKey', 'kms:RetireGrant'],
        resources: [this.encryptionKey.keyArn],
      }));
    }
    const policy = new iam.ManagedPolicy(this, 'RolePolicy', {
      description: `What ECR needs to create repositories from template ${this.node.path}`,
      statements,
    });
    acknowledgeFindings(policy, {
      id: `AwsSolutions-IAM5[Resource::${nagResourceString(Stack.of(this), repositories)}]`,
      reason: 'ECR creates repositories whose names are not known in advance: the wildcard covers only repository names under the template prefix in this registry.',
    });
    const role = new iam.Role(this, 'Role', {
      // Against the confused deputy: ECR may assume it only for this account.
      // Repository creation templates have no ARN, so aws:SourceArn does not apply.
      assumedBy: new iam.ServicePrincipal('ecr.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      }),
      description: `Assumed by ECR to create repositories from template ${this.node.path}`,
      managedPolicies: [policy],
    });
    return role;
  }
}

/**
 * A repository policy given as its JSON text: checked as an adopted
 * repository policy is (its shape) and against ECR's size quota (open
 * access is the compliance pack's `EcrCompliance-OpenAccess`); its text as
 * given when it reads, otherwise undefined.
 */
function givenPolicyText(problems: Problems, text: string): string | undefined {
  if (!isConcrete(text)) return text;
  const read = readPolicyDocument(text);
  problems.addAll(read.problems, 'repositoryPolicyText: ');
  const tooLong = policySizeProblem('repositoryPolicyText', text.length,
    'Every repository ECR creates from this template gets this policy: shorten it.');
  if (tooLong) problems.add(tooLong);
  return read.document ? text : undefined;
}

/**
 * Acknowledges cdk-nag findings. A finding ID built from a `Lazy` prefix that breaks the
 * prefix rule (such as one with a bracket) cannot be written; that prefix is refused at
 * synth by the prefix check, so its acknowledgement is left out rather than failing here.
 *
 * @internal
 */
export function acknowledgeFindings(scope: IConstruct, ...acknowledgements: { id: string; reason: string }[]): void {
  for (const acknowledgement of acknowledgements) {
    try {
      Validations.of(scope).acknowledge(acknowledgement);
    } catch (e) {
      if (!/Invalid validation rule ID/.test(String((e as Error).message))) throw e;
    }
  }
}

/** How cdk-nag writes a resource string in a finding ID: `Ref`s as `<Name>`, imports by export name. @internal */
export function nagResourceString(stack: Stack, value: string): string {
  const resolved = stack.resolve(value);
  const part = (p: any): string => (typeof p === 'string' ? p : p?.Ref ? `<${p.Ref}>`
    : typeof p?.['Fn::ImportValue'] === 'string' ? p['Fn::ImportValue'] : JSON.stringify(p));
  if (typeof resolved === 'string') return resolved;
  if (resolved?.['Fn::Join']) return (resolved['Fn::Join'][1] as any[]).map(part).join(resolved['Fn::Join'][0]);
  return JSON.stringify(resolved);
}
