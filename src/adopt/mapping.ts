import { ExportedRepository, ExportedTag, RegistryExportFile } from './export-model';
import { EcrType } from '../internal/ecr-facts';

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
 *
 * The replacement flags are the resource schema's `createOnlyProperties`
 * (`RepositoryName`, `EncryptionConfiguration` and its two fields); its
 * `primaryIdentifier`, which CloudFormation's resource import asks for, is
 * `RepositoryName` (`REPOSITORY_IDENTIFIER`). Both are checked against the
 * CloudFormation resource specification the CDK CLI ships (the database
 * `cdk diff` tells replacements by), so a drift fails the tests.
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

/** What CloudFormation's resource import identifies a repository by (the schema's `primaryIdentifier`). */
export const REPOSITORY_IDENTIFIER = 'RepositoryName';

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
 * tags sorted by key, exclusion filters by value). A property whose live value is ECR's default when the
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
  // A set (a tag any filter matches is excluded): in filter order, as the catalog import writes them.
  const exclusions = [...repository.imageTagMutabilityExclusionFilters ?? []]
    .sort((a, b) => (a.filter < b.filter ? -1 : a.filter > b.filter ? 1 : 0));
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

/**
 * The registry-level resources: for each CloudFormation type the fleet's
 * registry stack (or any app) can render, what CloudFormation's resource
 * import identifies it by (the type's `primaryIdentifier`) and, per
 * property, whether a change replaces the resource.
 *
 * | Type | Identifier | From the export | Replaced when |
 * |---|---|---|---|
 * | `AWS::ECR::ReplicationConfiguration` | `RegistryId` (the account) | `DescribeRegistry`'s `replicationConfiguration` | never (`PutReplicationConfiguration`) |
 * | `AWS::ECR::RegistryPolicy` | `RegistryId` | `GetRegistryPolicy`'s `policyText` | never (`PutRegistryPolicy`) |
 * | `AWS::ECR::RegistryScanningConfiguration` | `RegistryId` | `GetRegistryScanningConfiguration` | never (`PutRegistryScanningConfiguration`) |
 * | `AWS::ECR::SigningConfiguration` | `RegistryId` | `GetSigningConfiguration` | never (`PutSigningConfiguration`) |
 * | `AWS::ECR::PullThroughCacheRule` | `EcrRepositoryPrefix` | `DescribePullThroughCacheRules` | any property, `CredentialArn` and `CustomRoleArn` included (all six are create-only in the resource schema, although ECR's `UpdatePullThroughCacheRule` could change those two) |
 * | `AWS::ECR::RepositoryCreationTemplate` | `Prefix` | `DescribeRepositoryCreationTemplates` | `Prefix` only (`UpdateRepositoryCreationTemplate` takes every other field) |
 * | `AWS::ECR::PullTimeUpdateExclusion` | `PrincipalArn` | `ListPullTimeUpdateExclusions` | `PrincipalArn` (its only property) |
 * | `Custom::EcrAccountSetting` | none: a custom resource cannot be imported | `GetAccountSetting` | never (`PutAccountSetting`) |
 *
 * The identifiers are the types' `primaryIdentifier` and the replacing
 * properties their `createOnlyProperties`, as the CloudFormation resource
 * specification the CDK CLI ships says (`aws-cdk/db.json.gz`, the database
 * `cdk diff` marks replacements from; the test of this mapping reads it, so
 * a drift fails). Every one of these types supports resource import
 * (CloudFormation User Guide, "Resource type support").
 */
export const REGISTRY_RESOURCES: ReadonlyArray<RegistryResourceMapping> = [
  { type: EcrType.REPLICATION_CONFIGURATION, identifier: 'RegistryId', singleton: true, replacedBy: [] },
  { type: EcrType.REGISTRY_POLICY, identifier: 'RegistryId', singleton: true, replacedBy: [] },
  { type: EcrType.REGISTRY_SCANNING_CONFIGURATION, identifier: 'RegistryId', singleton: true, replacedBy: [] },
  { type: EcrType.SIGNING_CONFIGURATION, identifier: 'RegistryId', singleton: true, replacedBy: [] },
  {
    type: 'AWS::ECR::PullThroughCacheRule',
    identifier: 'EcrRepositoryPrefix',
    singleton: false,
    replacedBy: ['EcrRepositoryPrefix', 'UpstreamRegistryUrl', 'UpstreamRegistry', 'UpstreamRepositoryPrefix', 'CredentialArn', 'CustomRoleArn'],
  },
  { type: 'AWS::ECR::RepositoryCreationTemplate', identifier: 'Prefix', singleton: false, replacedBy: ['Prefix'] },
  { type: 'AWS::ECR::PullTimeUpdateExclusion', identifier: 'PrincipalArn', singleton: false, replacedBy: ['PrincipalArn'] },
  { type: 'Custom::EcrAccountSetting', identifier: 'Name', singleton: false, replacedBy: [], notImportable: true },
];

/** One registry-level type of the mapping. */
export interface RegistryResourceMapping {
  readonly type: string;
  /** The property that identifies the resource: CloudFormation's `primaryIdentifier` (`RegistryId` is read-only: the account). */
  readonly identifier: string;
  /** One per account and region. */
  readonly singleton: boolean;
  /** The properties whose change replaces the resource. */
  readonly replacedBy: readonly string[];
  /** A custom resource, which CloudFormation's resource import does not take. */
  readonly notImportable?: boolean;
}

/** One registry-level resource as the export says it runs, in the form a template holds it. */
export interface LiveRegistryResource {
  readonly type: string;
  /** The identifier's value (the account for a singleton). */
  readonly id: string;
  readonly properties: Record<string, unknown>;
}

/**
 * The registry-level resources that render exactly what the export says runs
 * (see `REGISTRY_RESOURCES`): a singleton only when the registry has it
 * (replication rules, a registry policy, a signing configuration; the
 * scanning configuration always, ECR's default being BASIC without rules),
 * and one resource per pull-through cache rule, creation template, pull-time
 * update exclusion and account setting.
 */
export function registryResources(live: RegistryExportFile): LiveRegistryResource[] {
  const registry = live.registry ?? {};
  const account = live.account;
  const out: LiveRegistryResource[] = [];
  const filters = (list: ReadonlyArray<{ filter: string; filterType: string }> | undefined) =>
    (list ?? []).map((f) => ({ Filter: f.filter, FilterType: f.filterType }));
  const rules = registry.replicationConfiguration?.rules ?? [];
  if (rules.length > 0) {
    out.push({
      type: EcrType.REPLICATION_CONFIGURATION,
      id: account,
      properties: {
        ReplicationConfiguration: {
          Rules: rules.map((r) => ({
            Destinations: r.destinations.map((d) => ({ Region: d.region, RegistryId: d.registryId })),
            ...(r.repositoryFilters && r.repositoryFilters.length > 0 ? { RepositoryFilters: filters(r.repositoryFilters) } : {}),
          })),
        },
      },
    });
  }
  if (registry.registryPolicyText !== undefined) {
    out.push({ type: EcrType.REGISTRY_POLICY, id: account, properties: { PolicyText: JSON.parse(registry.registryPolicyText) } });
  }
  const scanning = registry.scanningConfiguration ?? { scanType: 'BASIC', rules: [] };
  out.push({
    type: EcrType.REGISTRY_SCANNING_CONFIGURATION,
    id: account,
    properties: {
      ScanType: scanning.scanType,
      Rules: scanning.rules.map((r) => ({ ScanFrequency: r.scanFrequency, RepositoryFilters: filters(r.repositoryFilters) })),
    },
  });
  const signing = registry.signingConfiguration?.rules ?? [];
  if (signing.length > 0) {
    out.push({
      type: EcrType.SIGNING_CONFIGURATION,
      id: account,
      properties: {
        Rules: signing.map((r) => ({
          SigningProfileArn: r.signingProfileArn,
          ...(r.repositoryFilters && r.repositoryFilters.length > 0 ? { RepositoryFilters: filters(r.repositoryFilters) } : {}),
        })),
      },
    });
  }
  for (const rule of registry.pullThroughCacheRules ?? []) {
    out.push({
      type: 'AWS::ECR::PullThroughCacheRule',
      id: rule.ecrRepositoryPrefix,
      properties: definedOnly({
        EcrRepositoryPrefix: rule.ecrRepositoryPrefix,
        UpstreamRegistryUrl: rule.upstreamRegistryUrl,
        UpstreamRegistry: rule.upstreamRegistry,
        UpstreamRepositoryPrefix: rule.upstreamRepositoryPrefix,
        CredentialArn: rule.credentialArn,
        CustomRoleArn: rule.customRoleArn,
      }),
    });
  }
  for (const t of registry.repositoryCreationTemplates ?? []) {
    const exclusions = t.imageTagMutabilityExclusionFilters ?? [];
    out.push({
      type: 'AWS::ECR::RepositoryCreationTemplate',
      id: t.prefix,
      properties: definedOnly({
        Prefix: t.prefix,
        Description: t.description,
        AppliedFor: [...t.appliedFor],
        EncryptionConfiguration: t.encryptionConfiguration
          ? definedOnly({ EncryptionType: t.encryptionConfiguration.encryptionType, KmsKey: t.encryptionConfiguration.kmsKey })
          : undefined,
        ImageTagMutability: t.imageTagMutability,
        ImageTagMutabilityExclusionFilters: exclusions.length > 0
          ? exclusions.map((f) => ({ ImageTagMutabilityExclusionFilterType: f.filterType, ImageTagMutabilityExclusionFilterValue: f.filter }))
          : undefined,
        LifecyclePolicy: t.lifecyclePolicy,
        RepositoryPolicy: t.repositoryPolicy,
        ResourceTags: t.resourceTags && t.resourceTags.length > 0 ? sortedTags(t.resourceTags) : undefined,
        CustomRoleArn: t.customRoleArn,
      }),
    });
  }
  for (const principal of registry.pullTimeUpdateExclusions ?? []) {
    out.push({ type: 'AWS::ECR::PullTimeUpdateExclusion', id: principal, properties: { PrincipalArn: principal } });
  }
  for (const name of Object.keys(registry.accountSettings ?? {}).sort()) {
    out.push({ type: 'Custom::EcrAccountSetting', id: name, properties: { Name: name, Value: registry.accountSettings![name] } });
  }
  return out;
}

function definedOnly(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
