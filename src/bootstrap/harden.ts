import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { EcrType, EncryptionType, KMS_ENCRYPTION_TYPES } from '../internal/ecr-facts';
import { BOOLEAN, formatProblems, guard, NUMBER, OBJECT, optional, STRING } from '../internal/input';
import { createLibraryKey } from '../internal/kms';
import { expireUntaggedRules } from '../lifecycle/builders';
import { LifecycleTagStatus } from '../lifecycle/enums';
import { LifecyclePolicy } from '../lifecycle/policy';
import { LifecyclePresets } from '../lifecycle/presets';

/** The logical ID of the CDK bootstrap template's container assets repository. */
export const BOOTSTRAP_REPOSITORY_ID = 'ContainerAssetsRepository';
/** The logical ID of the customer managed key added for it (beside the template's `FileAssetsBucketEncryptionKey`). */
export const BOOTSTRAP_REPOSITORY_KEY_ID = 'ContainerAssetsEncryptionKey';
/** The output from which the CDK CLI reads the bootstrap version. */
const VERSION_OUTPUT = 'BootstrapVersion';
/** Days after which untagged images expire when the template has no lifecycle policy (as `LifecyclePolicy.recommended()`). */
export const DEFAULT_UNTAGGED_IMAGE_EXPIRY_DAYS = 14;
/** What the hardened template's description says, once. */
const DESCRIPTION_NOTE = 'Container assets repository brought in line by cdk-ecr-platform (scan on push, immutable tags, customer managed key, only untagged images expire).';
/** CloudFormation's limit on a template description, in bytes. */
const MAX_DESCRIPTION_BYTES = 1024;
/** A KMS key or alias ARN, as an ECR repository's `KmsKey` takes it. */
const KMS_ARN = /^arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:(?:key|alias)\/[A-Za-z0-9/_-]+$/;

/**
 * How the CDK bootstrap template's container assets repository is brought in
 * line with the compliance pack.
 */
export interface CdkBootstrapHardeningOptions {
  /**
   * The ARN of an existing customer managed KMS key (or alias) to encrypt the
   * repository's images with, instead of a new key in the template.
   *
   * @default - a new key in the template (`ContainerAssetsEncryptionKey`): symmetric, rotation on, retained on delete, grants only for AWS services
   */
  readonly encryptionKeyArn?: string;

  /**
   * Leave the repository's encryption as the template has it (ECR's AES256
   * default). ECR sets a repository's encryption when it creates it, and
   * CloudFormation cannot replace a named repository: an environment that is
   * already bootstrapped keeps AES256 (Security Hub ECR.5 stays a warning to
   * acknowledge) unless it is bootstrapped again with a new qualifier.
   *
   * @default false
   */
  readonly keepAes256Encryption?: boolean;

  /**
   * Replace the template's lifecycle policy with one that expires untagged
   * images this many days after they were pushed. Tagged images (every CDK
   * asset image is tagged with its asset hash) never expire.
   *
   * @default - the template's lifecycle policy is kept when it expires only untagged images; a template without one gets a 14-day rule
   */
  readonly untaggedImageExpiryDays?: number;
}

/** What hardening produced: the template, or every reason it cannot be hardened. */
export interface HardenedBootstrapTemplate {
  /** The hardened template, when there is no problem. */
  readonly template?: Record<string, any>;
  /** Every problem, each saying what to change. */
  readonly problems: string[];
  /** What was changed or kept, one line each, for the command's report. */
  readonly changes: string[];
}

/**
 * The AWS CDK bootstrap template, read as the CDK CLI prints it with
 * `cdk bootstrap --show-template --json`.
 */
export class CdkBootstrapTemplate {
  /**
   * A copy of the CDK bootstrap template whose container assets repository
   * passes the compliance pack and AWS Control Tower's ECR controls: scan on
   * push, `IMMUTABLE` tags (CDK publishes an asset image under its hash and
   * only when that tag is absent), a customer managed key, and a lifecycle
   * policy that expires untagged images only, so that no image a deployed
   * stack references by its tag is ever expired. Every other resource, every
   * parameter, condition and output, and the bootstrap version are left as
   * they are; the description gets one sentence.
   *
   * Throws an error listing every problem when the template is not a CDK
   * bootstrap template, or when its lifecycle policy could expire a tagged
   * image (give `untaggedImageExpiryDays` to replace it).
   *
   * @param template the template as JSON data (`JSON.parse` of `cdk bootstrap --show-template --json`)
   * @param options how to encrypt the repository and expire untagged images
   */
  public static hardenContainerAssets(template: { [key: string]: any }, options: CdkBootstrapHardeningOptions = {}): { [key: string]: any } {
    guard('CdkBootstrapTemplate.hardenContainerAssets', {
      template: [template, OBJECT],
      options: [options, {
        encryptionKeyArn: optional(STRING),
        keepAes256Encryption: optional(BOOLEAN),
        untaggedImageExpiryDays: optional(NUMBER),
      }],
    });
    const result = hardenBootstrapTemplate(template, options);
    if (result.template === undefined) throw new Error(formatProblems('CdkBootstrapTemplate.hardenContainerAssets', result.problems));
    return result.template;
  }

  private constructor() {}
}

/** A plain object (not null, not a list). */
function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy of JSON data. */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

/**
 * Hardens the container assets repository of a CDK bootstrap template (see
 * `CdkBootstrapTemplate.hardenContainerAssets`), collecting every problem
 * instead of throwing. The input is not modified.
 *
 * @internal
 */
export function hardenBootstrapTemplate(input: unknown, options: CdkBootstrapHardeningOptions = {}): HardenedBootstrapTemplate {
  const problems: string[] = [];
  const changes: string[] = [];
  checkOptions(options, problems);

  if (!isObject(input)) {
    return { problems: [...problems, 'the template is not a JSON object'], changes };
  }
  const repository = isObject(input.Resources) ? input.Resources[BOOTSTRAP_REPOSITORY_ID] : undefined;
  if (!isObject(repository) || repository.Type !== EcrType.REPOSITORY) {
    problems.push(`the template has no ${BOOTSTRAP_REPOSITORY_ID} of type ${EcrType.REPOSITORY}: it is not the CDK bootstrap template (print it with \`cdk bootstrap --show-template --json\`)`);
  }
  if (!isObject(input.Outputs) || !isObject(input.Outputs[VERSION_OUTPUT])) {
    problems.push(`the template has no ${VERSION_OUTPUT} output, from which the CDK CLI reads the bootstrap version: it is not the modern CDK bootstrap template`);
  }
  if (problems.length > 0) return { problems, changes };

  const template = copy(input);
  const props: Record<string, any> = isObject(template.Resources[BOOTSTRAP_REPOSITORY_ID].Properties)
    ? template.Resources[BOOTSTRAP_REPOSITORY_ID].Properties
    : (template.Resources[BOOTSTRAP_REPOSITORY_ID].Properties = {});

  // Security Hub ECR.1 and Control Tower CT.ECR.PR.2: the repository's own scan on push
  if (props.ImageScanningConfiguration?.ScanOnPush === true) {
    changes.push('scan on push: kept on');
  } else {
    props.ImageScanningConfiguration = { ...(isObject(props.ImageScanningConfiguration) ? props.ImageScanningConfiguration : {}), ScanOnPush: true };
    changes.push('scan on push: turned on');
  }

  // Security Hub ECR.2 and Control Tower CT.ECR.PR.3: IMMUTABLE exactly. CDK publishes an asset
  // image under a tag that is its content hash, and only after checking that the tag is absent.
  if (props.ImageTagMutability === 'IMMUTABLE' && props.ImageTagMutabilityExclusionFilters === undefined) {
    changes.push('tag mutability: IMMUTABLE kept');
  } else {
    props.ImageTagMutability = 'IMMUTABLE';
    delete props.ImageTagMutabilityExclusionFilters;
    changes.push('tag mutability: set to IMMUTABLE');
  }

  hardenLifecyclePolicy(props, options, problems, changes);
  const key = hardenEncryption(template, props, options, problems, changes);
  if (problems.length > 0) return { problems, changes };

  if (key !== undefined) {
    // the key goes just before the repository, as the file assets key precedes its bucket
    const resources: Record<string, any> = {};
    for (const [id, resource] of Object.entries<any>(template.Resources)) {
      if (id === BOOTSTRAP_REPOSITORY_ID) resources[BOOTSTRAP_REPOSITORY_KEY_ID] = key;
      if (id !== BOOTSTRAP_REPOSITORY_KEY_ID) resources[id] = resource;
    }
    template.Resources = resources;
  }

  const description = typeof template.Description === 'string' ? template.Description : '';
  if (!description.includes(DESCRIPTION_NOTE)) {
    const next = description === '' ? DESCRIPTION_NOTE : `${description}${/[.!?]\s*$/.test(description) ? '' : '.'} ${DESCRIPTION_NOTE}`;
    if (Buffer.byteLength(next, 'utf8') <= MAX_DESCRIPTION_BYTES) template.Description = next;
  }
  return { template, problems, changes };
}

function checkOptions(options: CdkBootstrapHardeningOptions, problems: string[]): void {
  const { encryptionKeyArn, keepAes256Encryption, untaggedImageExpiryDays } = options;
  if (encryptionKeyArn !== undefined && !KMS_ARN.test(encryptionKeyArn)) {
    problems.push(`encryptionKeyArn ${JSON.stringify(encryptionKeyArn)} is not the ARN of a KMS key or alias (arn:PARTITION:kms:REGION:ACCOUNT:key/ID or .../alias/NAME)`);
  }
  if (encryptionKeyArn !== undefined && keepAes256Encryption === true) {
    problems.push('encryptionKeyArn and keepAes256Encryption contradict each other: give one');
  }
  if (untaggedImageExpiryDays !== undefined) {
    // the lifecycle model's own check of the rule it renders, without the rule's name
    for (const problem of LifecyclePolicy.fromRules(expireUntaggedRules(untaggedImageExpiryDays)).validate()) {
      problems.push(`untaggedImageExpiryDays ${untaggedImageExpiryDays}: ${problem.replace(/^rules\[\d+\] \([^)]*\): /, '')}`);
    }
  }
}

/**
 * Keeps a lifecycle policy that expires only untagged images, or writes one.
 * CDK references an asset image by its tag (the asset hash) from every
 * template that uses it, so a rule that selects tagged images (by count or by
 * age) could expire an image that a deployed stack, or the previous version
 * a rollback returns to, still needs. Untagged images are never referenced by
 * tag, and ECR does not act on an image that an image index still references
 * before the index itself.
 */
function hardenLifecyclePolicy(props: Record<string, any>, options: CdkBootstrapHardeningOptions, problems: string[], changes: string[]): void {
  if (options.untaggedImageExpiryDays !== undefined) {
    if (problems.length > 0) return; // the days were refused
    props.LifecyclePolicy = { LifecyclePolicyText: LifecyclePresets.expireUntagged(options.untaggedImageExpiryDays).toJson() };
    changes.push(`lifecycle policy: untagged images expire ${options.untaggedImageExpiryDays} days after push; tagged images never expire`);
    return;
  }
  const existing = props.LifecyclePolicy;
  if (existing === undefined) {
    props.LifecyclePolicy = { LifecyclePolicyText: LifecyclePresets.expireUntagged(DEFAULT_UNTAGGED_IMAGE_EXPIRY_DAYS).toJson() };
    changes.push(`lifecycle policy: added; untagged images expire ${DEFAULT_UNTAGGED_IMAGE_EXPIRY_DAYS} days after push; tagged images never expire`);
    return;
  }
  const text = isObject(existing) ? existing.LifecyclePolicyText : undefined;
  if (typeof text !== 'string') {
    problems.push(`${BOOTSTRAP_REPOSITORY_ID}'s LifecyclePolicy has no literal LifecyclePolicyText that can be checked: give untaggedImageExpiryDays to replace it`);
    return;
  }
  const textProblems = LifecyclePolicy.validateJson(text);
  if (textProblems.length > 0) {
    problems.push(...textProblems.map((p) => `${BOOTSTRAP_REPOSITORY_ID}'s lifecycle policy: ${p}`));
    return;
  }
  const tagged = LifecyclePolicy.fromJson(text).rules.filter((rule) => rule.tagStatus !== LifecycleTagStatus.UNTAGGED);
  for (const rule of tagged) {
    problems.push(`${BOOTSTRAP_REPOSITORY_ID}'s lifecycle policy: the rule with rulePriority ${rule.rulePriority} selects ${rule.tagStatus} images, so it can expire an asset image that a deployed stack references by its tag: give untaggedImageExpiryDays to replace the policy with one that expires only untagged images (\`cdk gc\` removes tagged images that no stack references)`);
  }
  if (tagged.length === 0) changes.push('lifecycle policy: kept (it expires only untagged images)');
}

/**
 * Encrypts the repository with a customer managed key (Security Hub ECR.5):
 * the given one, the one the template already names, or a new key made as
 * every key of the library. Returns the new key's resource, if one is needed.
 */
function hardenEncryption(
  template: Record<string, any>,
  props: Record<string, any>,
  options: CdkBootstrapHardeningOptions,
  problems: string[],
  changes: string[],
): Record<string, any> | undefined {
  const current = props.EncryptionConfiguration;
  const type = isObject(current) ? current.EncryptionType : undefined;
  const usesCustomerKey = KMS_ENCRYPTION_TYPES.includes(type) && isObject(current) && current.KmsKey !== undefined;
  const isOurKey = usesCustomerKey && JSON.stringify(current.KmsKey) === JSON.stringify(keyArnOf(BOOTSTRAP_REPOSITORY_KEY_ID));

  if (options.keepAes256Encryption === true) {
    if (current !== undefined && type !== EncryptionType.AES256) {
      problems.push(`keepAes256Encryption: the template already encrypts ${BOOTSTRAP_REPOSITORY_ID} with ${JSON.stringify(type)}`);
    } else {
      changes.push('encryption: AES256 kept (Security Hub ECR.5 stays a warning)');
    }
    return undefined;
  }
  if (usesCustomerKey && !isOurKey) {
    if (options.encryptionKeyArn !== undefined && JSON.stringify(current.KmsKey) !== JSON.stringify(options.encryptionKeyArn)) {
      problems.push(`encryptionKeyArn: the template already encrypts ${BOOTSTRAP_REPOSITORY_ID} with the key ${JSON.stringify(current.KmsKey)}, and a repository's key cannot change without replacing it`);
    } else {
      changes.push('encryption: the template\'s customer managed key kept');
    }
    return undefined;
  }
  if (options.encryptionKeyArn !== undefined) {
    if (isOurKey) delete template.Resources[BOOTSTRAP_REPOSITORY_KEY_ID];
    props.EncryptionConfiguration = { EncryptionType: EncryptionType.KMS, KmsKey: options.encryptionKeyArn };
    changes.push(`encryption: KMS with the key ${options.encryptionKeyArn}`);
    return undefined;
  }
  const existing = template.Resources[BOOTSTRAP_REPOSITORY_KEY_ID];
  const key = libraryKeyResource();
  if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(key)) {
    problems.push(`the template already has a resource ${BOOTSTRAP_REPOSITORY_KEY_ID}, the logical ID of the key this adds: give encryptionKeyArn to use an existing key instead`);
    return undefined;
  }
  props.EncryptionConfiguration = { EncryptionType: EncryptionType.KMS, KmsKey: keyArnOf(BOOTSTRAP_REPOSITORY_KEY_ID) };
  changes.push(isOurKey
    ? `encryption: KMS with the key ${BOOTSTRAP_REPOSITORY_KEY_ID} kept`
    : `encryption: KMS with a new key ${BOOTSTRAP_REPOSITORY_KEY_ID} (rotation on, retained on delete); ECR sets a repository's encryption when it creates it, so an environment already bootstrapped needs keepAes256Encryption (or a new qualifier)`);
  return key;
}

function keyArnOf(logicalId: string): Record<string, unknown> {
  return { 'Fn::GetAtt': [logicalId, 'Arn'] };
}

/**
 * The CloudFormation resource of a customer managed key made the way the
 * library makes every key (`createLibraryKey`), rendered in a stack of its own:
 * rotation on, retained, and a key policy that gives the account the key and
 * lets only AWS services create grants (as ECR does for the repository).
 */
function libraryKeyResource(): Record<string, any> {
  const stack = new Stack(new App({ autoSynth: false }), 'CdkBootstrap');
  const key = createLibraryKey(stack, BOOTSTRAP_REPOSITORY_KEY_ID, {
    description: 'Encrypts the images of the CDK bootstrap container assets repository',
  });
  const rendered = stack.resolve((key.node.defaultChild as CfnElement)._toCloudFormation()) as { Resources: Record<string, any> };
  const [resource] = Object.values(rendered.Resources);
  const out: Record<string, any> = { Type: resource.Type, Properties: resource.Properties };
  if (resource.UpdateReplacePolicy !== undefined) out.UpdateReplacePolicy = resource.UpdateReplacePolicy;
  if (resource.DeletionPolicy !== undefined) out.DeletionPolicy = resource.DeletionPolicy;
  return out;
}
