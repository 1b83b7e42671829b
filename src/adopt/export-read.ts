/*
 * The reader of a registry export file: every problem it has, each naming the
 * file and the JSON path, all of them in one run, and never a throw whatever
 * the input. A value ECR would never return (a tag mutability, an encryption
 * type, a filter type it does not have; an ARN that does not name the
 * repository it belongs to) is a problem: the catalog import and the adoption
 * plan read only exports that say what ECR can hold.
 */
import { EXPORT_FORMAT, EXPORT_VERSION, RegistryExportFile } from './export-model';
import {
  ACCOUNT_ID_PATTERN, EncryptionType, hasTagMutabilityExclusions, IMAGE_TAG_MUTABILITIES, KMS_ENCRYPTION_TYPES, MANUAL_SCAN_FREQUENCY,
  REPLICATION_FILTER_TYPE, REPOSITORY_ARN_PATTERN, ROOT_PREFIX, SCANNING_FILTER_TYPE, SIGNING_FILTER_TYPE, TAG_MUTABILITY_EXCLUSION_FILTER_TYPE,
  tagMutabilityValue, TEMPLATE_PREFIX_PATTERN,
} from '../internal/ecr-facts';
import { describeValue } from '../internal/input';
import { Problems } from '../internal/problems';
import { partitionOf, REGION_SHAPE } from '../internal/regions';
import { parseTimestamp } from '../lifecycle/timestamp';
import { BasicScanTypeVersion, BlobMounting, RegistryPolicyScope } from '../registry/account-settings';
import { RepositoryCreationTemplateAppliedFor } from '../repository/creation-template';
import { checkRepositoryName } from '../repository/names';
import { ScanFrequency, ScanType } from '../scanning/enums';

/** What `readRegistryExport` found: the export when it has no problem, and every problem. */
export interface RegistryExportReading {
  readonly registryExport?: RegistryExportFile;
  readonly problems: string[];
}

/** The values `GetAccountSetting` can return per setting name (older values included: they are read, never set). */
const ACCOUNT_SETTING_VALUES: Readonly<Record<string, readonly string[]>> = {
  BASIC_SCAN_TYPE_VERSION: Object.values(BasicScanTypeVersion),
  REGISTRY_POLICY_SCOPE: Object.values(RegistryPolicyScope),
  BLOB_MOUNTING: Object.values(BlobMounting),
};

/** The scan frequencies of a registry scanning rule: the library's, and MANUAL, which ECR returns for rules without scan on push. */
const SCAN_FREQUENCIES: readonly string[] = [...Object.values(ScanFrequency), MANUAL_SCAN_FREQUENCY];

/** How to make an export, for the messages about a file that is not one. */
const HOW_TO_EXPORT = 'make an export with `cdk-ecr-platform registry export --from-cli DIR --out export.json` '
  + '(DIR holding the saved outputs of the `aws ecr` read calls, see docs/adoption.md) or `cdk-ecr-platform registry export --region REGION --out export.json`';

/**
 * The AWS CLI outputs that are not an export, recognised by the field that only
 * they have at the top: the command that printed them.
 */
const CLI_OUTPUTS: ReadonlyArray<readonly [string, string]> = [
  ['repositories', 'aws ecr describe-repositories'],
  ['lifecyclePolicyText', 'aws ecr get-lifecycle-policy'],
  ['tags', 'aws ecr list-tags-for-resource'],
  ['replicationConfiguration', 'aws ecr describe-registry'],
  ['scanningConfiguration', 'aws ecr get-registry-scanning-configuration'],
  ['pullThroughCacheRules', 'aws ecr describe-pull-through-cache-rules'],
  ['repositoryCreationTemplates', 'aws ecr describe-repository-creation-templates'],
  ['signingConfiguration', 'aws ecr get-signing-configuration'],
  ['pullTimeUpdateExclusions', 'aws ecr list-pull-time-update-exclusions'],
  ['images', 'aws ecr list-images'],
  ['imageDetails', 'aws ecr describe-images'],
];

/**
 * Reads an export file: the export when it has no problem, and every problem,
 * each starting with the file and the JSON path (`export.json:
 * repositories[12].encryptionConfiguration.encryptionType: ...`), or with the
 * file, line and column for text that is not JSON. Never throws.
 */
export function readRegistryExport(text: string, file: string): RegistryExportReading {
  try {
    return readChecked(text, file);
  } catch (error) {
    // Nothing above throws by design; a bug must still not crash a reader of untrusted input.
    return { problems: [`${file}: cannot be read: ${error instanceof Error ? error.message : String(error)}`] };
  }
}

function readChecked(text: string, file: string): RegistryExportReading {
  const source = typeof text === 'string' ? text.replace(/^\ufeff/, '') : '';
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    return { problems: [jsonProblem(source, file, error)] };
  }
  const envelope = envelopeProblem(value, file);
  if (envelope !== undefined) return { problems: [envelope] };
  const checker = new ExportChecker(file);
  checker.checkFile(value as Record<string, unknown>);
  const problems = checker.problems;
  return problems.length > 0 ? { problems } : { registryExport: value as RegistryExportFile, problems };
}

/** Text that is not JSON: one problem with the line and column of the error (`file:3:17: ...`). */
function jsonProblem(text: string, file: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const at = /at position (\d+)/.exec(message);
  const offset = at ? Number(at[1]) : /end of (?:JSON|data) input|Unterminated|Unexpected end/i.test(message) ? text.length : undefined;
  if (text.trim() === '') return `${file}: is empty, not a registry export: ${HOW_TO_EXPORT}`;
  const truncated = offset !== undefined && offset >= text.trimEnd().length ? ' (the file ends too early: is it truncated?)' : '';
  const reason = message.replace(/ in JSON at position \d+.*$/, '').replace(/,? ?\(line \d+ column \d+\)$/, '');
  if (offset === undefined) return `${file}: is not valid JSON: ${reason}`;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${file}:${line}:${column}: is not valid JSON: ${reason}${truncated}`;
}

/** What is wrong with the file as a whole: not an object, another file, another version. */
function envelopeProblem(value: unknown, file: string): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `${file}: is ${describeValue(value)}, not a registry export (a JSON object with "format": "${EXPORT_FORMAT}"): ${HOW_TO_EXPORT}`;
  }
  const object = value as Record<string, unknown>;
  // An export whose format is lost (edited by hand): the export's own fields say so, not a CLI output's field it also has.
  if (object.format === undefined && 'shards' in object) {
    return `${file}: is a fleet placement file, not a registry export: ${HOW_TO_EXPORT}`;
  }
  const repositories = Array.isArray(object.repositories) ? object.repositories as unknown[] : [];
  if (object.format === undefined && repositories.some((r) => typeof r === 'object' && r !== null && 'name' in r && !('repositoryName' in r))) {
    return `${file}: is a repository catalog, not a registry export: ${HOW_TO_EXPORT}`;
  }
  const exportFields = ['account', 'region', 'exportedAt'].filter((field) => field in object);
  if (object.format === undefined && exportFields.length > 0) {
    return `${file}: format is missing: a registry export has "format": "${EXPORT_FORMAT}" (this file has an export's ${exportFields.join(', ')})`;
  }
  if (object.format === undefined) {
    const cli = CLI_OUTPUTS.find(([field]) => field in object)
      ?? ('policyText' in object ? ['', 'repositoryName' in object ? 'aws ecr get-repository-policy' : 'aws ecr get-registry-policy'] as const : undefined)
      ?? ('name' in object && 'value' in object ? ['', 'aws ecr get-account-setting'] as const : undefined);
    if (cli !== undefined) return `${file}: is the output of \`${cli[1]}\`, not a registry export: ${HOW_TO_EXPORT}`;
    return `${file}: format is missing: a registry export has "format": "${EXPORT_FORMAT}"; ${HOW_TO_EXPORT}`;
  }
  if (object.format !== EXPORT_FORMAT) {
    return `${file}: format: ${describeValue(object.format)} is not a registry export's format ("${EXPORT_FORMAT}"): ${HOW_TO_EXPORT}`;
  }
  if (object.version !== EXPORT_VERSION) {
    const newer = typeof object.version === 'number' && object.version > EXPORT_VERSION
      ? ': it was written by a newer cdk-ecr-platform; upgrade this one, or export again with it' : '';
    return `${file}: version: ${describeValue(object.version)} is not a version this library reads (it reads version ${EXPORT_VERSION} of ${EXPORT_FORMAT})${newer}`;
  }
  return undefined;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The checks of an export's content, each problem with its JSON path. */
class ExportChecker {
  readonly problems: string[] = [];
  private account: string | undefined;
  private region: string | undefined;
  /** The partition of the export's region, when aws-cdk-lib knows the region. */
  private partition: string | undefined;

  constructor(private readonly file: string) {}

  checkFile(root: Json): void {
    this.account = this.string(root, 'account', '') && this.pattern(root.account, 'account', ACCOUNT_ID_PATTERN, 'an AWS account ID (12 digits)')
      ? root.account as string : undefined;
    this.region = this.string(root, 'region', '') && this.pattern(root.region, 'region', REGION_SHAPE, 'an AWS region name (for example eu-west-1)')
      ? root.region as string : undefined;
    this.partition = this.region !== undefined ? partitionOf(this.region) : undefined;
    this.optionalString(root, 'exportedAt', '');
    const repositories = this.list(root, 'repositories', '', true);
    const seen = new Map<string, number>();
    repositories?.forEach((item, i) => this.repository(item, `repositories[${i}]`, seen));
    if (this.object(root, 'registry', '', true)) this.registry(root.registry as Json, 'registry');
  }

  private add(path: string, message: string): void {
    this.problems.push(`${this.file}: ${path}${message.startsWith(' ') ? '' : ': '}${message}`);
  }

  private at(parent: string, field: string): string {
    return parent === '' ? field : `${parent}.${field}`;
  }

  /** A required string (or optional when `optional`); false when absent or not a string. */
  private string(parent: Json, field: string, path: string, optional = false): boolean {
    const value = parent[field];
    if (value === undefined && optional) return false;
    if (typeof value !== 'string') {
      this.add(this.at(path, field), value === undefined ? 'is missing: it must be a string' : `${describeValue(value)} is not a string`);
      return false;
    }
    return true;
  }

  private optionalString(parent: Json, field: string, path: string): boolean {
    return this.string(parent, field, path, true);
  }

  private pattern(value: unknown, path: string, pattern: RegExp, what: string): boolean {
    if (pattern.test(value as string)) return true;
    this.add(path, `${describeValue(value)} is not ${what}`);
    return false;
  }

  private oneOf(parent: Json, field: string, path: string, values: readonly string[], optional = false): boolean {
    if (!this.string(parent, field, path, optional)) return false;
    if (values.includes(parent[field] as string)) return true;
    this.add(this.at(path, field), `${describeValue(parent[field])} is not a value ECR returns (${values.join(', ')})`);
    return false;
  }

  private object(parent: Json, field: string, path: string, required = false): boolean {
    const value = parent[field];
    if (value === undefined && !required) return false;
    if (!isObject(value)) {
      this.add(this.at(path, field), value === undefined ? 'is missing: it must be an object' : `${describeValue(value)} is not an object`);
      return false;
    }
    return true;
  }

  private list(parent: Json, field: string, path: string, required = false): unknown[] | undefined {
    const value = parent[field];
    if (value === undefined && !required) return undefined;
    if (!Array.isArray(value)) {
      this.add(this.at(path, field), value === undefined ? 'is missing: it must be a list' : `${describeValue(value)} is not a list`);
      return undefined;
    }
    return value;
  }

  /** A list of objects: each object item with its path; an item that is not an object is a problem. */
  private objects(parent: Json, field: string, path: string, required = false): Array<[Json, string]> {
    const items = this.list(parent, field, path, required) ?? [];
    const out: Array<[Json, string]> = [];
    items.forEach((item, i) => {
      const itemPath = `${this.at(path, field)}[${i}]`;
      if (isObject(item)) out.push([item, itemPath]);
      else this.add(itemPath, `${describeValue(item)} is not an object`);
    });
    return out;
  }

  private timestamp(parent: Json, field: string, path: string): void {
    const value = parent[field];
    if (value === undefined || (typeof value === 'number' && Number.isFinite(value))) return;
    // A string must read as a time (parseTimestamp: ISO 8601 as the SDK and AWS CLI v2 print it), not any text.
    if (typeof value === 'string' && !Number.isNaN(parseTimestamp(value))) return;
    this.add(this.at(path, field), `${describeValue(value)} is not a time (an ISO 8601 string or epoch seconds)`);
  }

  /** A policy document held as text: it must be a JSON object. */
  private policyText(parent: Json, field: string, path: string): void {
    if (!this.optionalString(parent, field, path)) return;
    let document: unknown;
    try {
      document = JSON.parse(parent[field] as string);
    } catch (error) {
      this.add(this.at(path, field), `is not JSON: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (!isObject(document)) this.add(this.at(path, field), `is ${describeValue(document)} in JSON, not a policy document (a JSON object)`);
  }

  private accountId(parent: Json, field: string, path: string, optional = false): void {
    if (this.string(parent, field, path, optional)) this.pattern(parent[field], this.at(path, field), ACCOUNT_ID_PATTERN, 'an AWS account ID (12 digits)');
  }

  private tags(parent: Json, field: string, path: string, required: boolean): void {
    const keys = new Map<string, number>();
    this.objects(parent, field, path, required).forEach(([tag, tagPath], i) => {
      if (this.string(tag, 'Key', tagPath)) {
        const key = tag.Key as string;
        const first = keys.get(key);
        if (first !== undefined) this.add(`${tagPath}.Key`, `${JSON.stringify(key)} is also the key of ${this.at(path, field)}[${first}]: a resource has one value per tag key`);
        else keys.set(key, i);
      }
      this.string(tag, 'Value', tagPath);
    });
  }

  private encryption(parent: Json, path: string, required: boolean): void {
    if (!this.object(parent, 'encryptionConfiguration', path, required)) return;
    const encryption = parent.encryptionConfiguration as Json;
    const at = this.at(path, 'encryptionConfiguration');
    if (!this.oneOf(encryption, 'encryptionType', at, Object.values(EncryptionType))) return;
    const type = encryption.encryptionType as string;
    // KMS or KMS_DSSE without kmsKey is ECR's AWS managed key (as CreateRepository takes it without one).
    this.optionalString(encryption, 'kmsKey', at);
    if (!KMS_ENCRYPTION_TYPES.includes(type) && encryption.kmsKey !== undefined) {
      this.add(`${at}.kmsKey`, `is set with ${type} encryption, which uses no KMS key`);
    }
  }

  /** imageTagMutability and its exclusion filters, which go together. */
  private tagMutability(parent: Json, path: string, required: boolean): void {
    const known = this.oneOf(parent, 'imageTagMutability', path, IMAGE_TAG_MUTABILITIES, !required);
    const filters = this.objects(parent, 'imageTagMutabilityExclusionFilters', path);
    for (const [filter, filterPath] of filters) {
      this.oneOf(filter, 'filterType', filterPath, [TAG_MUTABILITY_EXCLUSION_FILTER_TYPE]);
      if (this.string(filter, 'filter', filterPath) && filter.filter === '') this.add(`${filterPath}.filter`, 'is empty');
    }
    if (!known) return;
    const mutability = parent.imageTagMutability as string;
    const withExclusion = hasTagMutabilityExclusions(mutability);
    const at = this.at(path, 'imageTagMutability');
    if (withExclusion && filters.length === 0) {
      this.add(at, `${mutability} has no imageTagMutabilityExclusionFilters: ECR returns the filters of a mutability with exclusions`);
    } else if (!withExclusion && filters.length > 0) {
      this.add(at, `${mutability} has imageTagMutabilityExclusionFilters: ECR keeps exclusion filters only with ${tagMutabilityValue(mutability, true)}`);
    }
  }

  private repository(item: unknown, path: string, seen: Map<string, number>): void {
    if (!isObject(item)) {
      this.add(path, `${describeValue(item)} is not an object`);
      return;
    }
    const index = Number(/\[(\d+)\]$/.exec(path)![1]);
    let name: string | undefined;
    if (this.string(item, 'repositoryName', path)) {
      name = item.repositoryName as string;
      const nameProblems = new Problems(path);
      checkRepositoryName(nameProblems, name);
      const quoted = `repositoryName '${name}' `;
      for (const problem of nameProblems.list) this.add(`${path}.repositoryName`, `${describeValue(name)} ${problem.startsWith(quoted) ? problem.slice(quoted.length) : problem}`);
      const first = seen.get(name);
      if (first !== undefined) this.add(`${path}.repositoryName`, `${JSON.stringify(name)} is also the name of repositories[${first}]: each repository appears once`);
      else seen.set(name, index);
    }
    let registryId: string | undefined;
    if (this.string(item, 'registryId', path)
      && this.pattern(item.registryId, `${path}.registryId`, ACCOUNT_ID_PATTERN, 'an AWS account ID (12 digits)')) {
      registryId = item.registryId as string;
      if (this.account !== undefined && registryId !== this.account) {
        this.add(`${path}.registryId`, `${JSON.stringify(registryId)} is not the export's account ${JSON.stringify(this.account)}`);
      }
    }
    if (this.string(item, 'repositoryArn', path)) this.repositoryArn(item.repositoryArn as string, `${path}.repositoryArn`, registryId, name);
    this.optionalString(item, 'repositoryUri', path);
    this.timestamp(item, 'createdAt', path);
    this.tagMutability(item, path, true);
    if (this.object(item, 'imageScanningConfiguration', path) && typeof (item.imageScanningConfiguration as Json).scanOnPush !== 'boolean') {
      this.add(`${path}.imageScanningConfiguration.scanOnPush`, `${describeValue((item.imageScanningConfiguration as Json).scanOnPush)} is not true or false`);
    }
    this.encryption(item, path, true);
    this.policyText(item, 'lifecyclePolicyText', path);
    this.policyText(item, 'repositoryPolicyText', path);
    this.tags(item, 'tags', path, true);
  }

  /** `arn:PARTITION:ecr:REGION:ACCOUNT:repository/NAME`, naming this repository in this account and region. */
  private repositoryArn(arn: string, path: string, registryId: string | undefined, name: string | undefined): void {
    if (!REPOSITORY_ARN_PATTERN.test(arn)) {
      this.add(path, `${describeValue(arn)} is not a repository ARN (arn:PARTITION:ecr:REGION:ACCOUNT:repository/NAME)`);
      return;
    }
    const [, partition, , region, account] = arn.split(':');
    const arnName = arn.slice(arn.indexOf(':repository/') + ':repository/'.length);
    const differences: string[] = [];
    if (this.region !== undefined && region !== this.region) differences.push(`its region ${JSON.stringify(region)} is not the export's ${JSON.stringify(this.region)}`);
    if (this.partition !== undefined && partition !== this.partition) {
      differences.push(`its partition ${JSON.stringify(partition)} is not ${JSON.stringify(this.partition)}, the partition of ${this.region}`);
    }
    if (registryId !== undefined && account !== registryId) differences.push(`its account ${JSON.stringify(account)} is not the registryId ${JSON.stringify(registryId)}`);
    if (name !== undefined && arnName !== name) differences.push(`its name ${JSON.stringify(arnName)} is not the repositoryName ${JSON.stringify(name)}`);
    if (differences.length > 0) this.add(path, `${describeValue(arn)} does not name this repository: ${differences.join('; ')}`);
  }

  private registry(registry: Json, path: string): void {
    if (this.object(registry, 'replicationConfiguration', path)) {
      const at = `${path}.replicationConfiguration`;
      for (const [rule, rulePath] of this.objects(registry.replicationConfiguration as Json, 'rules', at, true)) {
        for (const [destination, destinationPath] of this.objects(rule, 'destinations', rulePath, true)) {
          if (this.string(destination, 'region', destinationPath)) {
            this.pattern(destination.region, `${destinationPath}.region`, REGION_SHAPE, 'an AWS region name (for example eu-west-1)');
          }
          this.accountId(destination, 'registryId', destinationPath);
        }
        for (const [filter, filterPath] of this.objects(rule, 'repositoryFilters', rulePath)) {
          this.string(filter, 'filter', filterPath);
          this.oneOf(filter, 'filterType', filterPath, [REPLICATION_FILTER_TYPE]);
        }
      }
    }
    this.policyText(registry, 'registryPolicyText', path);
    if (this.object(registry, 'scanningConfiguration', path)) {
      const scanning = registry.scanningConfiguration as Json;
      const at = `${path}.scanningConfiguration`;
      this.oneOf(scanning, 'scanType', at, Object.values(ScanType));
      for (const [rule, rulePath] of this.objects(scanning, 'rules', at, true)) {
        this.oneOf(rule, 'scanFrequency', rulePath, SCAN_FREQUENCIES);
        for (const [filter, filterPath] of this.objects(rule, 'repositoryFilters', rulePath, true)) {
          this.string(filter, 'filter', filterPath);
          this.oneOf(filter, 'filterType', filterPath, [SCANNING_FILTER_TYPE]);
        }
      }
    }
    const prefixes = new Map<string, number>();
    this.objects(registry, 'pullThroughCacheRules', path).forEach(([rule, rulePath], i) => {
      if (this.string(rule, 'ecrRepositoryPrefix', rulePath)) this.unique(prefixes, rule.ecrRepositoryPrefix as string, i, `${rulePath}.ecrRepositoryPrefix`, `${path}.pullThroughCacheRules`);
      this.string(rule, 'upstreamRegistryUrl', rulePath);
      this.accountId(rule, 'registryId', rulePath, true);
      for (const field of ['credentialArn', 'customRoleArn', 'upstreamRepositoryPrefix', 'upstreamRegistry']) this.optionalString(rule, field, rulePath);
      this.timestamp(rule, 'createdAt', rulePath);
      this.timestamp(rule, 'updatedAt', rulePath);
    });
    const templates = new Map<string, number>();
    this.objects(registry, 'repositoryCreationTemplates', path).forEach(([template, templatePath], i) => {
      if (this.string(template, 'prefix', templatePath)) {
        const prefix = template.prefix as string;
        if (prefix !== ROOT_PREFIX) this.pattern(prefix, `${templatePath}.prefix`, TEMPLATE_PREFIX_PATTERN, `${ROOT_PREFIX} or a repository namespace`);
        this.unique(templates, prefix, i, `${templatePath}.prefix`, `${path}.repositoryCreationTemplates`);
      }
      this.optionalString(template, 'description', templatePath);
      this.encryption(template, templatePath, false);
      this.tags(template, 'resourceTags', templatePath, false);
      this.tagMutability(template, templatePath, false);
      this.policyText(template, 'repositoryPolicy', templatePath);
      this.policyText(template, 'lifecyclePolicy', templatePath);
      const appliedFor = this.list(template, 'appliedFor', templatePath, true);
      if (appliedFor !== undefined && appliedFor.length === 0) this.add(`${templatePath}.appliedFor`, 'is empty: ECR returns at least one of PULL_THROUGH_CACHE, REPLICATION, CREATE_ON_PUSH');
      const appliedForValues: readonly string[] = Object.values(RepositoryCreationTemplateAppliedFor);
      appliedFor?.forEach((value, j) => {
        if (typeof value !== 'string' || !appliedForValues.includes(value)) {
          this.add(`${templatePath}.appliedFor[${j}]`, `${describeValue(value)} is not a value ECR returns (${appliedForValues.join(', ')})`);
        }
      });
      this.optionalString(template, 'customRoleArn', templatePath);
      this.timestamp(template, 'createdAt', templatePath);
      this.timestamp(template, 'updatedAt', templatePath);
    });
    if (this.object(registry, 'accountSettings', path)) {
      const settings = registry.accountSettings as Json;
      for (const name of Object.keys(settings)) {
        const values = Object.prototype.hasOwnProperty.call(ACCOUNT_SETTING_VALUES, name) ? ACCOUNT_SETTING_VALUES[name] : undefined;
        if (values === undefined) this.add(`${path}.accountSettings.${name}`, `is not an account setting this library reads (${Object.keys(ACCOUNT_SETTING_VALUES).join(', ')})`);
        else this.oneOf(settings, name, `${path}.accountSettings`, values);
      }
    }
    if (this.object(registry, 'signingConfiguration', path)) {
      for (const [rule, rulePath] of this.objects(registry.signingConfiguration as Json, 'rules', `${path}.signingConfiguration`, true)) {
        this.string(rule, 'signingProfileArn', rulePath);
        for (const [filter, filterPath] of this.objects(rule, 'repositoryFilters', rulePath)) {
          this.string(filter, 'filter', filterPath);
          this.oneOf(filter, 'filterType', filterPath, [SIGNING_FILTER_TYPE]);
        }
      }
    }
    const principals = new Map<string, number>();
    this.list(registry, 'pullTimeUpdateExclusions', path)?.forEach((principal, i) => {
      if (typeof principal !== 'string' || !principal.startsWith('arn:')) this.add(`${path}.pullTimeUpdateExclusions[${i}]`, `${describeValue(principal)} is not a principal ARN`);
      else this.unique(principals, principal, i, `${path}.pullTimeUpdateExclusions[${i}]`, `${path}.pullTimeUpdateExclusions`, 'principal');
    });
    if (this.object(registry, 'unavailable', path)) {
      const unavailable = registry.unavailable as Json;
      for (const field of Object.keys(unavailable)) this.string(unavailable, field, `${path}.unavailable`);
    }
  }

  private unique(seen: Map<string, number>, key: string, index: number, path: string, list: string, per = 'prefix'): void {
    const first = seen.get(key);
    if (first !== undefined) this.add(path, `${JSON.stringify(key)} is also in ${list}[${first}]: ECR keeps one per ${per}`);
    else seen.set(key, index);
  }
}
