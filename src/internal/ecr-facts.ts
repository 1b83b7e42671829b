/*
 * Amazon ECR's own rules, written once. Constructs and the compliance pack
 * import them from here, so that a fact AWS changes is changed in one place.
 * Each fact names the page it comes from. Nothing here depends on another
 * module of the library.
 */

// ---------------------------------------------------------------------------
// Resource types
// ---------------------------------------------------------------------------

/** CloudFormation resource types of ECR the library renders or checks. @internal */
export const EcrType = Object.freeze({
  REPOSITORY: 'AWS::ECR::Repository',
  PUBLIC_REPOSITORY: 'AWS::ECR::PublicRepository',
  REGISTRY_POLICY: 'AWS::ECR::RegistryPolicy',
  REPLICATION_CONFIGURATION: 'AWS::ECR::ReplicationConfiguration',
  REGISTRY_SCANNING_CONFIGURATION: 'AWS::ECR::RegistryScanningConfiguration',
  SIGNING_CONFIGURATION: 'AWS::ECR::SigningConfiguration',
  REPOSITORY_CREATION_TEMPLATE: 'AWS::ECR::RepositoryCreationTemplate',
  PULL_THROUGH_CACHE_RULE: 'AWS::ECR::PullThroughCacheRule',
  PULL_TIME_UPDATE_EXCLUSION: 'AWS::ECR::PullTimeUpdateExclusion',
});

/**
 * Resource types ECR keeps once per account and region: a second one
 * overwrites the first (CloudFormation resource reference, AWS::ECR::*;
 * ECR API PutRegistryPolicy, PutReplicationConfiguration,
 * PutRegistryScanningConfiguration, PutSigningConfiguration).
 *
 * @internal
 */
export const REGISTRY_SINGLETON_TYPES: readonly string[] = Object.freeze([
  EcrType.REGISTRY_POLICY,
  EcrType.REPLICATION_CONFIGURATION,
  EcrType.REGISTRY_SCANNING_CONFIGURATION,
  EcrType.SIGNING_CONFIGURATION,
]);

/** Where each resource type keeps its IAM policy document (a repository, registry or template policy). @internal */
export const POLICY_PROPERTY: Readonly<Record<string, string>> = Object.freeze({
  [EcrType.REPOSITORY]: 'RepositoryPolicyText',
  [EcrType.PUBLIC_REPOSITORY]: 'RepositoryPolicyText',
  [EcrType.REGISTRY_POLICY]: 'PolicyText',
  [EcrType.REPOSITORY_CREATION_TEMPLATE]: 'RepositoryPolicy',
});

// ---------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------

/** The action that creates a repository: ECR calls it for replication, pull-through caches and creation on push. @internal */
export const CREATE_REPOSITORY_ACTION = 'ecr:CreateRepository';

/** The action that imports an upstream image into a pull-through cache repository. @internal */
export const BATCH_IMPORT_UPSTREAM_IMAGE_ACTION = 'ecr:BatchImportUpstreamImage';

/** The action a replication source calls in the destination registry. @internal */
export const REPLICATE_IMAGE_ACTION = 'ecr:ReplicateImage';

/**
 * What the destination registry's policy must allow the source account for
 * cross-account replication (ECR User Guide, "Private registry permissions",
 * cross-account replication example).
 *
 * @internal
 */
export const REPLICATION_ACTIONS: readonly string[] = Object.freeze([CREATE_REPOSITORY_ACTION, REPLICATE_IMAGE_ACTION]);

/**
 * What a principal needs to pull through a pull-through cache for the first
 * time, when ECR creates the cached repository (ECR User Guide, "IAM
 * permissions required to sync an upstream registry with an Amazon ECR
 * private registry").
 *
 * @internal
 */
export const PULL_THROUGH_ACTIONS: readonly string[] = Object.freeze([BATCH_IMPORT_UPSTREAM_IMAGE_ACTION, CREATE_REPOSITORY_ACTION]);

/**
 * What ECR reads in a private ECR upstream registry for an ECR-to-ECR
 * pull-through cache (ECR User Guide, "Setting up permissions for
 * cross-account ECR to ECR PTC": the upstream's registry policy).
 *
 * @internal
 */
export const UPSTREAM_PULL_ACTIONS: readonly string[] = Object.freeze(['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']);

/**
 * The only actions a registry policy may name with the V1 registry policy
 * scope, lower-cased (ECR User Guide, "Registry permissions", registry
 * policy scope).
 *
 * @internal
 */
export const V1_REGISTRY_POLICY_ACTIONS: readonly string[] = Object.freeze(
  [...new Set([...REPLICATION_ACTIONS, ...PULL_THROUGH_ACTIONS])].map((a) => a.toLowerCase()),
);

// ---------------------------------------------------------------------------
// Pull-through cache
// ---------------------------------------------------------------------------

/**
 * The name prefix ECR requires for pull-through cache credential secrets
 * (ECR User Guide, "Storing your upstream repository credentials in an
 * AWS Secrets Manager secret").
 *
 * @internal
 */
export const CREDENTIAL_SECRET_PREFIX = 'ecr-pullthroughcache/';

// ---------------------------------------------------------------------------
// Encryption
// ---------------------------------------------------------------------------

/** The `EncryptionType` values of a repository or creation template (CloudFormation AWS::ECR::Repository EncryptionConfiguration). @internal */
export const EncryptionType = Object.freeze({
  AES256: 'AES256',
  KMS: 'KMS',
  KMS_DSSE: 'KMS_DSSE',
});

/** The encryption types that use an AWS KMS key: with a key named, a customer managed one (Security Hub ECR.5). @internal */
export const KMS_ENCRYPTION_TYPES: readonly string[] = Object.freeze([EncryptionType.KMS, EncryptionType.KMS_DSSE]);

/** The only regions where ECR offers KMS_DSSE (ECR User Guide, "Encryption at rest"). @internal */
export const KMS_DSSE_REGIONS: readonly string[] = Object.freeze(['us-gov-west-1', 'us-gov-east-1']);

/**
 * The alias name of Amazon ECR's AWS managed key: the key ECR uses for KMS or
 * KMS_DSSE when no key is given (ECR API, EncryptionConfiguration: "If no key
 * is specified, the default AWS managed KMS key for Amazon ECR will be used";
 * KMS_DSSE takes it as KMS does).
 *
 * @internal
 */
export const AWS_MANAGED_KEY_ALIAS = 'aws/ecr';

// ---------------------------------------------------------------------------
// Tag mutability
// ---------------------------------------------------------------------------

/** The suffix of a tag mutability with exclusion filters (`IMMUTABLE_WITH_EXCLUSION`, `MUTABLE_WITH_EXCLUSION`). @internal */
const WITH_EXCLUSION = '_WITH_EXCLUSION';

/** The `ImageTagMutability` ECR receives for a setting and whether it has exclusion filters (CloudFormation AWS::ECR::Repository). @internal */
export function tagMutabilityValue(mutability: string, withExclusions: boolean): string {
  return withExclusions ? `${mutability}${WITH_EXCLUSION}` : mutability;
}

/** Whether an `ImageTagMutability` value is one with exclusion filters (`*_WITH_EXCLUSION`). @internal */
export function hasTagMutabilityExclusions(mutability: string): boolean {
  return mutability.endsWith(WITH_EXCLUSION);
}

/**
 * The `ImageTagMutability` values that keep tags immutable, as Security Hub
 * ECR.2 reads them (exclusions allowed).
 *
 * @internal
 */
export const IMMUTABLE_TAG_MUTABILITIES: readonly string[] = Object.freeze(['IMMUTABLE', tagMutabilityValue('IMMUTABLE', true)]);

/**
 * The only `ImageTagMutability` AWS Control Tower's CT.ECR.PR.3 accepts
 * (`ecr_private_tag_immutability_enabled_check`: `IMMUTABLE_WITH_EXCLUSION` fails).
 *
 * @internal
 */
export const CONTROL_TOWER_TAG_MUTABILITY = IMMUTABLE_TAG_MUTABILITIES[0];

/**
 * AWS Control Tower's proactive controls on ECR repositories, by control ID:
 * what each requires of an AWS::ECR::Repository, and the rule name under which
 * AWS publishes it as a cfn-guard rule (`@cdklabs/cdk-validator-cfnguard`,
 * `rules/control-tower/cfn-guard/ecr/ct-ecr-pr-N.guard`), which is the rule ID
 * its policy validation plugin (`cdk-validator-cfnguard`) reports.
 *
 * @internal
 */
export const CONTROL_TOWER_ECR_CONTROLS = Object.freeze({
  'CT.ECR.PR.1': Object.freeze({ guardRule: 'ecr_private_lifecycle_policy_configured_check', requires: 'a lifecycle policy (non-empty LifecyclePolicyText)' }),
  'CT.ECR.PR.2': Object.freeze({ guardRule: 'ecr_private_image_scanning_enabled_check', requires: 'scan on push (ImageScanningConfiguration.ScanOnPush true)' }),
  'CT.ECR.PR.3': Object.freeze({ guardRule: 'ecr_private_tag_immutability_enabled_check', requires: 'tag mutability IMMUTABLE exactly (no exclusions)' }),
});

/** A Control Tower control on ECR repositories (`CT.ECR.PR.1` to `CT.ECR.PR.3`). @internal */
export type ControlTowerEcrControl = keyof typeof CONTROL_TOWER_ECR_CONTROLS;

/** The plugin name under which `@cdklabs/cdk-validator-cfnguard` reports cfn-guard findings (the namespace of their acknowledgement IDs). @internal */
export const CFN_GUARD_PLUGIN = 'cdk-validator-cfnguard';

/**
 * Every `imageTagMutability` ECR returns for a repository or creation template
 * (ECR API, Repository and RepositoryCreationTemplate: MUTABLE, IMMUTABLE,
 * IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION).
 *
 * @internal
 */
export const IMAGE_TAG_MUTABILITIES: readonly string[] = Object.freeze(
  ['MUTABLE', 'IMMUTABLE'].flatMap((m) => [m, tagMutabilityValue(m, true)]),
);

// ---------------------------------------------------------------------------
// Filter types
// ---------------------------------------------------------------------------

/** The only `filterType` of a tag mutability exclusion filter (ECR API, ImageTagMutabilityExclusionFilter). @internal */
export const TAG_MUTABILITY_EXCLUSION_FILTER_TYPE = 'WILDCARD';

/** The only `filterType` of a registry scanning rule's repository filter (ECR API, ScanningRepositoryFilter). @internal */
export const SCANNING_FILTER_TYPE = 'WILDCARD';

/** The only `filterType` of a replication rule's repository filter (ECR API, RepositoryFilter). @internal */
export const REPLICATION_FILTER_TYPE = 'PREFIX_MATCH';

/** The only `filterType` of a signing rule's repository filter (ECR API, SigningRepositoryFilter). @internal */
export const SIGNING_FILTER_TYPE = 'WILDCARD_MATCH';

/**
 * The scan frequency ECR returns for a registry scanning rule that scans
 * neither on push nor continuously (ECR API, RegistryScanningRule
 * `scanFrequency`: SCAN_ON_PUSH, CONTINUOUS_SCAN, MANUAL). The library never
 * sets it; an export can hold it.
 *
 * @internal
 */
export const MANUAL_SCAN_FREQUENCY = 'MANUAL';

// ---------------------------------------------------------------------------
// Repository names, prefixes and ARNs
// ---------------------------------------------------------------------------

/** One repository namespace or name part (ECR API CreateRepository, repositoryName pattern). */
const NAME_PART = '[a-z0-9]+(?:[._-][a-z0-9]+)*';

/**
 * ECR's repository name pattern (CreateRepository API). The CloudFormation
 * schema accepts a slightly wider set (`__`, `--`); the library accepts what
 * both take.
 *
 * @internal
 */
export const REPOSITORY_NAME_PATTERN = new RegExp(`^(?:${NAME_PART}/)*${NAME_PART}$`);

/**
 * A repository creation template prefix other than `ROOT`: a repository
 * namespace, optionally ending with '/' (CloudFormation
 * AWS::ECR::RepositoryCreationTemplate, Prefix).
 *
 * @internal
 */
export const TEMPLATE_PREFIX_PATTERN = new RegExp(`^(?:${NAME_PART}/)*${NAME_PART}/?$`);

/**
 * The prefix that stands for every repository: a creation template or a
 * pull-through cache rule with it applies to every repository no other
 * prefix matches (ECR User Guide, "Repository creation templates";
 * CloudFormation AWS::ECR::PullThroughCacheRule, EcrRepositoryPrefix).
 *
 * @internal
 */
export const ROOT_PREFIX = 'ROOT';

/**
 * A prefix as ECR compares it: `team` and `team/` are the same prefix, so
 * the trailing '/' is dropped; `ROOT` stays as is.
 *
 * @internal
 */
export function normalizePrefix(prefix: string): string {
  return prefix.replace(/\/$/, '');
}

/**
 * The repository name prefix a template or cache prefix covers, with its
 * trailing '/' (`team` and `team/` both cover `team/...`), or undefined for
 * `ROOT` (every repository).
 *
 * @internal
 */
export function repositoryNamePrefix(prefix: string | undefined): string | undefined {
  if (prefix === undefined || prefix === ROOT_PREFIX) return undefined;
  return `${normalizePrefix(prefix)}/`;
}

/** Whether a template or cache prefix covers a repository name (`ROOT` covers every name). @internal */
export function prefixCovers(prefix: string, repositoryName: string): boolean {
  const namePrefix = repositoryNamePrefix(prefix);
  return namePrefix === undefined || repositoryName.startsWith(namePrefix);
}

/** A registry ID, which is the registry's AWS account ID: 12 digits (ECR API, registryId pattern). @internal */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/**
 * An ECR repository ARN or ARN pattern, `arn:PARTITION:ecr:REGION:ACCOUNT:repository/NAME`
 * (Service Authorization Reference, Amazon ECR resource types).
 *
 * @internal
 */
export const REPOSITORY_ARN_PATTERN = /^arn:[^:]+:ecr:[^:]*:[^:]*:repository\/.+$/;

// ---------------------------------------------------------------------------
// Quotas
// ---------------------------------------------------------------------------

/**
 * The longest policy text ECR takes for a repository policy (SetRepositoryPolicy,
 * private and public), a registry policy (PutRegistryPolicy) and a creation
 * template's repository policy (CreateRepositoryCreationTemplate): 10,240
 * characters.
 *
 * @internal
 */
export const MAX_POLICY_TEXT = 10240;

/**
 * Tags of a repository (ECR API reference, Tag and TagResource; AWS tagging
 * restrictions): at most 50 per resource, keys of 1 to 128 characters,
 * values of up to 256, and the `aws:` prefix (any case) reserved for AWS on
 * keys and values. ECR's API takes an empty value, but CloudFormation's
 * `AWS::ECR::Repository` schema takes values of 1 character or more (its
 * validation reports an empty one), so a template cannot hold one.
 *
 * @internal
 */
export const REPOSITORY_TAG_LIMITS = Object.freeze({ maxTags: 50, maxKeyLength: 128, minValueLength: 1, maxValueLength: 256, reservedPrefix: 'aws:' });

/**
 * The longest about text and usage text of an ECR Public repository's
 * catalog data (ECR Public API, RepositoryCatalogDataInput).
 *
 * @internal
 */
export const MAX_PUBLIC_CATALOG_TEXT = 10240;

// ---------------------------------------------------------------------------
// Account settings
// ---------------------------------------------------------------------------

/**
 * The values `ecr:PutAccountSetting` takes today, per setting name (ECR API
 * reference, PutAccountSetting: basic scan type `AWS_NATIVE`, registry
 * policy scope `V2`, blob mounting `ENABLED` or `DISABLED`). Older pages list
 * `CLAIR` and `V1` too, and `GetAccountSetting` can still return `V1`: such
 * values are read, never set.
 *
 * @internal
 */
export const SETTABLE_ACCOUNT_SETTING_VALUES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  BASIC_SCAN_TYPE_VERSION: Object.freeze(['AWS_NATIVE']),
  REGISTRY_POLICY_SCOPE: Object.freeze(['V2']),
  BLOB_MOUNTING: Object.freeze(['ENABLED', 'DISABLED']),
});

/** Whether `ecr:PutAccountSetting` takes this value for this setting today. @internal */
export function accountSettingSettable(name: string, value: string): boolean {
  return SETTABLE_ACCOUNT_SETTING_VALUES[name]?.includes(value) ?? false;
}
