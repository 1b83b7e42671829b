/*
 * The assembly of a registry export from the responses of ECR's read calls,
 * whichever way they were made: the live export (AWS SDK for JavaScript v3)
 * and the saved outputs of the AWS CLI (`registry export --from-cli`) both
 * end here, so that an export is the same file whatever its source.
 *
 * The output is deterministic: repositories in name order, tags in key
 * order, pull-through cache rules and creation templates in prefix order,
 * account settings in name order, and of every object only the fields of the
 * export format, in its order (response metadata such as `$metadata` is
 * dropped). Timestamps are kept as the source gave them, a `Date` of the SDK
 * written as an ISO 8601 string.
 */
import {
  EXPORT_FORMAT, EXPORT_VERSION, ExportedCreationTemplate, ExportedPullThroughCacheRule, ExportedRegistry, ExportedRepository, ExportedTag,
  RegistryExportFile,
} from './export-model';
import { sortedTags } from './mapping';

/** A response of an ECR read call (or an item of one), as the SDK returns it or the AWS CLI prints it. */
export type ApiObject = { readonly [field: string]: unknown };

/** The account settings an export reads with `GetAccountSetting`, one call each. */
export const EXPORTED_ACCOUNT_SETTINGS: readonly string[] = ['BASIC_SCAN_TYPE_VERSION', 'BLOB_MOUNTING', 'REGISTRY_POLICY_SCOPE'];

/** The responses of the read calls for one registry. */
export interface RegistryReadResponses {
  readonly region: string;
  /** The registry ID asked for (`--registry-id`); otherwise `DescribeRegistry`'s, or the repositories'. */
  readonly registryId?: string;
  /** When the calls were made (ISO 8601). */
  readonly exportedAt?: string;
  /** Every page of `DescribeRepositories`. */
  readonly describeRepositories: ReadonlyArray<ApiObject>;
  /** `GetLifecyclePolicy` per repository name; a repository without an entry has no lifecycle policy. */
  readonly lifecyclePolicies: ReadonlyMap<string, ApiObject>;
  /** `GetRepositoryPolicy` per repository name; a repository without an entry has no repository policy. */
  readonly repositoryPolicies: ReadonlyMap<string, ApiObject>;
  /** `ListTagsForResource` per repository name (every page's tags together). */
  readonly tags: ReadonlyMap<string, ApiObject>;
  readonly describeRegistry?: ApiObject;
  /** `GetRegistryPolicy`; undefined when ECR answered RegistryPolicyNotFoundException. */
  readonly registryPolicy?: ApiObject;
  readonly registryScanningConfiguration?: ApiObject;
  /** Every page of `DescribePullThroughCacheRules`. */
  readonly pullThroughCacheRules?: ReadonlyArray<ApiObject>;
  /** Every page of `DescribeRepositoryCreationTemplates`. */
  readonly repositoryCreationTemplates?: ReadonlyArray<ApiObject>;
  /** The `GetAccountSetting` responses. */
  readonly accountSettings?: ReadonlyArray<ApiObject>;
  /** `GetSigningConfiguration`; undefined when ECR answered SigningConfigurationNotFoundException. */
  readonly signingConfiguration?: ApiObject;
  /** Every page of `ListPullTimeUpdateExclusions`. */
  readonly pullTimeUpdateExclusions?: ReadonlyArray<ApiObject>;
  /** The registry settings that could not be read, with ECR's answer (see ExportedRegistry.unavailable). */
  readonly unavailable?: { readonly [field: string]: string };
}

/** An assembled export, or why there is none. */
export interface AssembledExport {
  readonly registryExport?: RegistryExportFile;
  readonly problems: string[];
}

/** Builds the export from the responses of the read calls. */
export function assembleRegistryExport(responses: RegistryReadResponses): AssembledExport {
  const items = responses.describeRepositories.flatMap((page) => listOf(page.repositories));
  const repositories = items.map((item) => repositoryOf(item, responses)).sort((a, b) => compare(a.repositoryName, b.repositoryName));
  const account = responses.registryId ?? stringOf(responses.describeRegistry?.registryId) ?? repositories.find((r) => r.registryId)?.registryId;
  if (account === undefined) {
    return { problems: ['the registry ID is unknown: DescribeRegistry gave none and there is no repository; give the registry ID'] };
  }
  return {
    problems: [],
    registryExport: clean({
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      account,
      region: responses.region,
      exportedAt: responses.exportedAt,
      repositories,
      registry: registryOf(responses),
    }) as unknown as RegistryExportFile,
  };
}

/** The export as its file holds it: indented JSON, one final newline. */
export function renderRegistryExport(registryExport: RegistryExportFile): string {
  return `${JSON.stringify(registryExport, null, 2)}\n`;
}

function repositoryOf(item: ApiObject, responses: RegistryReadResponses): ExportedRepository {
  const name = String(item.repositoryName);
  const exclusions = listOf(item.imageTagMutabilityExclusionFilters).map((f) => ({ filterType: f.filterType, filter: f.filter }));
  const scanning = objectOf(item.imageScanningConfiguration);
  const encryption = objectOf(item.encryptionConfiguration);
  return clean({
    repositoryArn: item.repositoryArn,
    registryId: item.registryId,
    repositoryName: item.repositoryName,
    repositoryUri: item.repositoryUri,
    createdAt: timeOf(item.createdAt),
    imageTagMutability: item.imageTagMutability,
    imageTagMutabilityExclusionFilters: exclusions.length > 0 ? exclusions : undefined,
    imageScanningConfiguration: scanning ? { scanOnPush: scanning.scanOnPush } : undefined,
    encryptionConfiguration: encryption ? { encryptionType: encryption.encryptionType, kmsKey: encryption.kmsKey } : undefined,
    lifecyclePolicyText: responses.lifecyclePolicies.get(name)?.lifecyclePolicyText,
    repositoryPolicyText: responses.repositoryPolicies.get(name)?.policyText,
    tags: tagsOf(responses.tags.get(name)?.tags),
  }) as unknown as ExportedRepository;
}

function registryOf(responses: RegistryReadResponses): ExportedRegistry {
  const replication = objectOf(responses.describeRegistry?.replicationConfiguration);
  const scanning = objectOf(responses.registryScanningConfiguration?.scanningConfiguration);
  const signing = objectOf(responses.signingConfiguration?.signingConfiguration);
  const settings = responses.accountSettings?.filter((s) => typeof s.name === 'string' && s.value !== undefined)
    .sort((a, b) => compare(String(a.name), String(b.name)));
  const unavailable = responses.unavailable && Object.keys(responses.unavailable).length > 0
    ? Object.fromEntries(Object.entries(responses.unavailable).sort(([a], [b]) => compare(a, b))) : undefined;
  return clean({
    replicationConfiguration: replication ? {
      rules: listOf(replication.rules).map((rule) => ({
        destinations: listOf(rule.destinations).map((d) => ({ region: d.region, registryId: d.registryId })),
        repositoryFilters: rule.repositoryFilters === undefined ? undefined : filtersOf(rule.repositoryFilters),
      })),
    } : undefined,
    registryPolicyText: responses.registryPolicy?.policyText,
    scanningConfiguration: scanning ? {
      scanType: scanning.scanType,
      rules: listOf(scanning.rules).map((rule) => ({
        scanFrequency: rule.scanFrequency,
        repositoryFilters: filtersOf(rule.repositoryFilters),
      })),
    } : undefined,
    pullThroughCacheRules: responses.pullThroughCacheRules === undefined ? undefined
      : responses.pullThroughCacheRules.flatMap((page) => listOf(page.pullThroughCacheRules)).map(cacheRuleOf)
        .sort((a, b) => compare(a.ecrRepositoryPrefix, b.ecrRepositoryPrefix)),
    repositoryCreationTemplates: responses.repositoryCreationTemplates === undefined ? undefined
      : responses.repositoryCreationTemplates.flatMap((page) => listOf(page.repositoryCreationTemplates)).map(templateOf)
        .sort((a, b) => compare(a.prefix, b.prefix)),
    accountSettings: settings === undefined ? undefined : Object.fromEntries(settings.map((s) => [s.name, s.value])),
    signingConfiguration: signing ? {
      rules: listOf(signing.rules).map((rule) => ({
        signingProfileArn: rule.signingProfileArn,
        repositoryFilters: rule.repositoryFilters === undefined ? undefined : filtersOf(rule.repositoryFilters),
      })),
    } : undefined,
    pullTimeUpdateExclusions: responses.pullTimeUpdateExclusions === undefined ? undefined
      : responses.pullTimeUpdateExclusions.flatMap((page) => (Array.isArray(page.pullTimeUpdateExclusions) ? page.pullTimeUpdateExclusions : []))
        .sort((a, b) => compare(String(a), String(b))),
    unavailable,
  }) as unknown as ExportedRegistry;
}

function cacheRuleOf(rule: ApiObject): ExportedPullThroughCacheRule {
  return clean({
    ecrRepositoryPrefix: rule.ecrRepositoryPrefix,
    upstreamRegistryUrl: rule.upstreamRegistryUrl,
    registryId: rule.registryId,
    createdAt: timeOf(rule.createdAt),
    updatedAt: timeOf(rule.updatedAt),
    credentialArn: rule.credentialArn,
    customRoleArn: rule.customRoleArn,
    upstreamRepositoryPrefix: rule.upstreamRepositoryPrefix,
    upstreamRegistry: rule.upstreamRegistry,
  }) as unknown as ExportedPullThroughCacheRule;
}

function templateOf(template: ApiObject): ExportedCreationTemplate {
  const encryption = objectOf(template.encryptionConfiguration);
  const exclusions = listOf(template.imageTagMutabilityExclusionFilters).map((f) => ({ filterType: f.filterType, filter: f.filter }));
  return clean({
    prefix: template.prefix,
    description: template.description,
    encryptionConfiguration: encryption ? { encryptionType: encryption.encryptionType, kmsKey: encryption.kmsKey } : undefined,
    resourceTags: template.resourceTags === undefined ? undefined : tagsOf(template.resourceTags),
    imageTagMutability: template.imageTagMutability,
    imageTagMutabilityExclusionFilters: exclusions.length > 0 ? exclusions : undefined,
    repositoryPolicy: template.repositoryPolicy,
    lifecyclePolicy: template.lifecyclePolicy,
    appliedFor: Array.isArray(template.appliedFor) ? template.appliedFor : [],
    customRoleArn: template.customRoleArn,
    createdAt: timeOf(template.createdAt),
    updatedAt: timeOf(template.updatedAt),
  }) as unknown as ExportedCreationTemplate;
}

/** Repository filters as `{ filter, filterType }`. */
function filtersOf(filters: unknown): Array<{ filter: unknown; filterType: unknown }> {
  return listOf(filters).map((f) => ({ filter: f.filter, filterType: f.filterType }));
}

function tagsOf(tags: unknown): ExportedTag[] {
  return sortedTags(listOf(tags) as unknown as ExportedTag[]);
}

/** The objects of a list field (anything else is no item). */
function listOf(value: unknown): ApiObject[] {
  return Array.isArray(value) ? value.filter((v): v is ApiObject => typeof v === 'object' && v !== null) : [];
}

function objectOf(value: unknown): ApiObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as ApiObject : undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A timestamp as the export keeps it: the SDK's Date as ISO 8601, the CLI's epoch seconds or string as they are. */
function timeOf(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

/** The object without its undefined fields, in the order it was written. */
function clean(object: { readonly [field: string]: unknown }): { [field: string]: unknown } {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}

/** Code-point order, the same in every locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
