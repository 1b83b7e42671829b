import { ExportedRepository, ExportedTag } from './export-model';

/**
 * The one mapping between what ECR's read calls return for a repository and
 * the properties of `AWS::ECR::Repository` that render it.
 *
 * | ECR API field (export) | CloudFormation property | update |
 * |---|---|---|
 * | `repositoryName` | `RepositoryName` | replacement |
 * | `encryptionConfiguration.encryptionType` / `.kmsKey` | `EncryptionConfiguration.EncryptionType` / `.KmsKey` | replacement |
 * | `imageTagMutability` | `ImageTagMutability` | in place |
 * | `imageTagMutabilityExclusionFilters[].filterType` / `.filter` | `ImageTagMutabilityExclusionFilters[].ImageTagMutabilityExclusionFilterType` / `...Value` | in place |
 * | `imageScanningConfiguration.scanOnPush` | `ImageScanningConfiguration.ScanOnPush` | in place |
 * | `lifecyclePolicyText` (`GetLifecyclePolicy`) | `LifecyclePolicy.LifecyclePolicyText` | in place |
 * | `repositoryPolicyText` (`GetRepositoryPolicy`'s `policyText`) | `RepositoryPolicyText` (a JSON object) | in place |
 * | `tags` (`ListTagsForResource`) | `Tags` | in place |
 *
 * `EmptyOnDelete` has no API field (it is CloudFormation's behaviour on
 * delete), and `registryId`, `repositoryArn`, `repositoryUri` and `createdAt`
 * are identifiers or read-only.
 */
export const REPOSITORY_PROPERTIES: ReadonlyArray<RepositoryPropertyMapping> = [
  { property: 'RepositoryName', apiField: 'repositoryName', replacement: true },
  { property: 'EncryptionConfiguration', apiField: 'encryptionConfiguration', replacement: true },
  { property: 'ImageTagMutability', apiField: 'imageTagMutability', replacement: false },
  { property: 'ImageTagMutabilityExclusionFilters', apiField: 'imageTagMutabilityExclusionFilters', replacement: false },
  { property: 'ImageScanningConfiguration', apiField: 'imageScanningConfiguration', replacement: false },
  { property: 'LifecyclePolicy', apiField: 'lifecyclePolicyText', replacement: false },
  { property: 'RepositoryPolicyText', apiField: 'repositoryPolicyText', replacement: false },
  { property: 'Tags', apiField: 'tags', replacement: false },
];

/** One row of the mapping. */
export interface RepositoryPropertyMapping {
  /** The property of `AWS::ECR::Repository`. */
  readonly property: string;
  /** The field of the export's repository it comes from. */
  readonly apiField: string;
  /** Whether CloudFormation replaces the repository when the property changes (ECR cannot change it in place). */
  readonly replacement: boolean;
}

/**
 * The `AWS::ECR::Repository` properties that render exactly what the export
 * says runs, in the form a template holds them (policy texts as objects,
 * tags sorted by key). A property whose live value is ECR's default when the
 * template omits it (no lifecycle policy, no repository policy, no tags, no
 * exclusion filters) is left out.
 */
export function repositoryProperties(repository: ExportedRepository): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    RepositoryName: repository.repositoryName,
    EncryptionConfiguration: {
      EncryptionType: repository.encryptionConfiguration.encryptionType,
      ...(repository.encryptionConfiguration.kmsKey !== undefined ? { KmsKey: repository.encryptionConfiguration.kmsKey } : {}),
    },
    ImageTagMutability: repository.imageTagMutability,
    ImageScanningConfiguration: { ScanOnPush: repository.imageScanningConfiguration?.scanOnPush ?? false },
  };
  const exclusions = repository.imageTagMutabilityExclusionFilters ?? [];
  if (exclusions.length > 0) {
    properties.ImageTagMutabilityExclusionFilters = exclusions.map((f) => ({
      ImageTagMutabilityExclusionFilterType: f.filterType,
      ImageTagMutabilityExclusionFilterValue: f.filter,
    }));
  }
  if (repository.lifecyclePolicyText !== undefined) {
    properties.LifecyclePolicy = { LifecyclePolicyText: repository.lifecyclePolicyText };
  }
  if (repository.repositoryPolicyText !== undefined) {
    properties.RepositoryPolicyText = JSON.parse(repository.repositoryPolicyText);
  }
  if (repository.tags.length > 0) properties.Tags = sortedTags(repository.tags);
  return properties;
}

/** Tags in key order, as `{ Key, Value }` (the shape of both the API and the template). */
export function sortedTags(tags: ReadonlyArray<ExportedTag>): ExportedTag[] {
  return [...tags].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0)).map((t) => ({ Key: t.Key, Value: t.Value }));
}
