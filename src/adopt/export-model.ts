/**
 * The registry export: what runs in one account and region, in one JSON file.
 *
 * Every object below keeps the field names and value shapes of the Amazon ECR
 * API responses it comes from (as the AWS CLI prints them and the AWS SDK for
 * JavaScript v3 returns them), so that a reader can check a value against the
 * API reference. Only the envelope (`format`, `version`, `account`, `region`,
 * `repositories`, `registry`) and the per-repository read results folded into
 * each repository (`lifecyclePolicyText`, `repositoryPolicyText`, `tags`) are
 * the library's own.
 *
 * Timestamps (`createdAt`, `updatedAt`, ...) are kept as the source gave them
 * (an ISO string from the SDK written as JSON, epoch seconds from the CLI) and
 * never compared: they say nothing about what a template renders.
 *
 * This module is the one definition of the format; the reader, the live
 * export, the catalog import and the adoption plan all use it.
 *
 * @module
 */

/** The value of `format` in every export file. */
export const EXPORT_FORMAT = 'cdk-ecr-platform/registry-export';

/** The newest (and only) version of the format this library reads and writes. */
export const EXPORT_VERSION = 1;

/** A tag as ECR's `ListTagsForResource` returns it. */
export interface ExportedTag {
  readonly Key: string;
  readonly Value: string;
}

/** An entry of `imageTagMutabilityExclusionFilters`. */
export interface ExportedTagMutabilityExclusionFilter {
  readonly filterType: string; // WILDCARD
  readonly filter: string;
}

/** `encryptionConfiguration` of a repository or a creation template. */
export interface ExportedEncryption {
  readonly encryptionType: string; // AES256 | KMS | KMS_DSSE
  readonly kmsKey?: string;
}

/**
 * One repository: an item of `DescribeRepositories`, with the results of the
 * per-repository read calls folded in.
 */
export interface ExportedRepository {
  readonly repositoryArn: string;
  readonly registryId: string;
  readonly repositoryName: string;
  readonly repositoryUri?: string;
  readonly createdAt?: string | number;
  readonly imageTagMutability: string; // MUTABLE | IMMUTABLE | MUTABLE_WITH_EXCLUSION | IMMUTABLE_WITH_EXCLUSION
  readonly imageTagMutabilityExclusionFilters?: ExportedTagMutabilityExclusionFilter[];
  readonly imageScanningConfiguration?: { readonly scanOnPush: boolean };
  readonly encryptionConfiguration: ExportedEncryption;
  /** `GetLifecyclePolicy`'s `lifecyclePolicyText`; absent when ECR answers `LifecyclePolicyNotFoundException`. */
  readonly lifecyclePolicyText?: string;
  /** `GetRepositoryPolicy`'s `policyText`; absent when ECR answers `RepositoryPolicyNotFoundException`. */
  readonly repositoryPolicyText?: string;
  /** `ListTagsForResource`'s `tags` (empty when the repository has none). */
  readonly tags: ExportedTag[];
}

/** A repository filter of a replication rule (`DescribeRegistry`). */
export interface ExportedReplicationFilter {
  readonly filter: string;
  readonly filterType: string; // PREFIX_MATCH
}

/** `DescribeRegistry`'s `replicationConfiguration`. */
export interface ExportedReplicationConfiguration {
  readonly rules: Array<{
    readonly destinations: Array<{ readonly region: string; readonly registryId: string }>;
    readonly repositoryFilters?: ExportedReplicationFilter[];
  }>;
}

/** `GetRegistryScanningConfiguration`'s `scanningConfiguration`. */
export interface ExportedScanningConfiguration {
  readonly scanType: string; // BASIC | ENHANCED
  readonly rules: Array<{
    readonly scanFrequency: string; // SCAN_ON_PUSH | CONTINUOUS_SCAN | MANUAL
    readonly repositoryFilters: Array<{ readonly filter: string; readonly filterType: string }>; // WILDCARD
  }>;
}

/** An item of `DescribePullThroughCacheRules`. */
export interface ExportedPullThroughCacheRule {
  readonly ecrRepositoryPrefix: string;
  readonly upstreamRegistryUrl: string;
  readonly registryId?: string;
  readonly createdAt?: string | number;
  readonly updatedAt?: string | number;
  readonly credentialArn?: string;
  readonly customRoleArn?: string;
  readonly upstreamRepositoryPrefix?: string;
  readonly upstreamRegistry?: string;
}

/** An item of `DescribeRepositoryCreationTemplates`. */
export interface ExportedCreationTemplate {
  readonly prefix: string;
  readonly description?: string;
  readonly encryptionConfiguration?: ExportedEncryption;
  readonly resourceTags?: ExportedTag[];
  readonly imageTagMutability?: string;
  readonly imageTagMutabilityExclusionFilters?: ExportedTagMutabilityExclusionFilter[];
  readonly repositoryPolicy?: string;
  readonly lifecyclePolicy?: string;
  readonly appliedFor: string[]; // REPLICATION | PULL_THROUGH_CACHE | CREATE_ON_PUSH
  readonly customRoleArn?: string;
  readonly createdAt?: string | number;
  readonly updatedAt?: string | number;
}

/** `GetSigningConfiguration`'s `signingConfiguration`. */
export interface ExportedSigningConfiguration {
  readonly rules: Array<{
    readonly signingProfileArn: string;
    readonly repositoryFilters?: Array<{ readonly filter: string; readonly filterType: string }>;
  }>;
}

/** The registry-wide settings of the account and region. */
export interface ExportedRegistry {
  /** `DescribeRegistry`'s `replicationConfiguration`; absent or with no rules when nothing replicates. */
  readonly replicationConfiguration?: ExportedReplicationConfiguration;
  /** `GetRegistryPolicy`'s `policyText`; absent when ECR answers `RegistryPolicyNotFoundException`. */
  readonly registryPolicyText?: string;
  /** `GetRegistryScanningConfiguration`'s `scanningConfiguration`. */
  readonly scanningConfiguration?: ExportedScanningConfiguration;
  /** `DescribePullThroughCacheRules`' `pullThroughCacheRules`. */
  readonly pullThroughCacheRules?: ExportedPullThroughCacheRule[];
  /** `DescribeRepositoryCreationTemplates`' `repositoryCreationTemplates`. */
  readonly repositoryCreationTemplates?: ExportedCreationTemplate[];
  /** `GetAccountSetting` per setting name (`BASIC_SCAN_TYPE_VERSION`, `REGISTRY_POLICY_SCOPE`, `BLOB_MOUNTING`): name to value. */
  readonly accountSettings?: { readonly [name: string]: string };
  /** `GetSigningConfiguration`'s `signingConfiguration`; absent when the registry has none. */
  readonly signingConfiguration?: ExportedSigningConfiguration;
  /** `ListPullTimeUpdateExclusions`' `pullTimeUpdateExclusions` (principal ARNs). */
  readonly pullTimeUpdateExclusions?: string[];
  /**
   * The settings above that could not be read, by field name, with ECR's
   * answer (`signingConfiguration`: a region without managed signing). A
   * field named here is unknown, not empty: the import and the plan leave it
   * alone. Absent when every setting was read.
   */
  readonly unavailable?: { readonly [field: string]: string };
}

/** A whole export file. */
export interface RegistryExportFile {
  readonly format: string; // EXPORT_FORMAT
  readonly version: number; // EXPORT_VERSION
  /** The registry (account) ID. */
  readonly account: string;
  readonly region: string;
  /** When the export was taken (ISO 8601); informational. */
  readonly exportedAt?: string;
  /** Every repository, in name order. */
  readonly repositories: ExportedRepository[];
  readonly registry: ExportedRegistry;
}
