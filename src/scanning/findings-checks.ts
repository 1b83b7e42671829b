import { FindingSeverity, FindingStringComparison } from './enums';
import type { FindingDateRange, FindingNumberRange, FindingStringFilter, FindingSuppressionProps } from './finding-filters';
import { ACCOUNT_ID_PATTERN as ACCOUNT } from '../internal/ecr-facts';
import { isConcrete, isConcreteNumber } from '../internal/problems';

/** Severities from lowest to highest. */
const ORDER = [FindingSeverity.INFORMATIONAL, FindingSeverity.LOW, FindingSeverity.MEDIUM, FindingSeverity.HIGH, FindingSeverity.CRITICAL];

/** The severities at or above a threshold, lowest first. @internal */
export function severitiesFrom(minimum: FindingSeverity): FindingSeverity[] {
  return ORDER.slice(ORDER.indexOf(minimum));
}

/**
 * The EventBridge pattern of active Amazon Inspector findings of ECR images
 * with one of these severities.
 *
 * @internal
 */
export function inspectorFindingPattern(severities: FindingSeverity[], repositoryNames?: string[]): any {
  const resources: Record<string, unknown> = { type: ['AWS_ECR_CONTAINER_IMAGE'] };
  if (repositoryNames) resources.details = { awsEcrContainerImage: { repositoryName: [...repositoryNames] } };
  return {
    source: ['aws.inspector2'],
    detailType: ['Inspector2 Finding'],
    detail: { severity: [...severities], status: ['ACTIVE'], resources },
  };
}

/**
 * The EventBridge pattern of completed basic scans that counted at least one
 * finding of one of these severities.
 *
 * @internal
 */
export function basicScanPattern(severities: FindingSeverity[], repositoryNames?: string[]): any {
  const counts = severities.map((s) => ({ 'finding-severity-counts': { [s]: [{ numeric: ['>', 0] }] } }));
  const detail: Record<string, unknown> = { 'scan-status': ['COMPLETE'] };
  if (repositoryNames) detail['repository-name'] = [...repositoryNames];
  if (counts.length === 1) Object.assign(detail, counts[0]);
  else detail.$or = counts;
  return { source: ['aws.ecr'], detailType: ['ECR Image Scan'], detail };
}

const MAX_NAME = 128;
const MAX_DESCRIPTION = 512;
const MAX_VALUE = 1024;
/** Values per criterion (Inspector API, FilterCriteria). */
const MAX_VALUES = 10;
const MAX_TAG_KEY = 128;
const MAX_TAG_VALUE = 256;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const FINDING_ARN = /^arn:aws[a-z-]*:inspector2:[a-z0-9-]+:\d{12}:finding\/[A-Za-z0-9]+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
const COMPARISONS = Object.values(FindingStringComparison) as string[];

/**
 * Seconds since the epoch of an ISO-8601 date (a date alone is midnight UTC).
 *
 * @internal
 */
export function epochSeconds(date: string | undefined): number | undefined {
  if (date === undefined) return undefined;
  return Math.floor(Date.parse(date.length === 10 ? `${date}T00:00:00Z` : date) / 1000);
}

function stringFilterProblems(name: string, f: FindingStringFilter, problems: string[]): void {
  if (!COMPARISONS.includes(f.comparison)) problems.push(`${name} comparison '${f.comparison}' is not one of ${COMPARISONS.join(', ')}`);
  if (isConcrete(f.value) && (typeof f.value !== 'string' || f.value.length < 1 || f.value.length > MAX_VALUE)) {
    problems.push(`${name} value '${String(f.value).slice(0, 40)}' has ${String(f.value ?? '').length} characters: Amazon Inspector takes 1 to ${MAX_VALUE}`);
  }
}

function rangeProblems(name: string, range: FindingNumberRange | undefined, lowest: number, highest: number, problems: string[]): void {
  if (range === undefined) return;
  if (range.min === undefined && range.max === undefined) problems.push(`${name} has neither min nor max: leave it out, or set a bound`);
  for (const [bound, v] of [['min', range.min], ['max', range.max]] as const) {
    if (v === undefined || (typeof v === 'number' && !isConcreteNumber(v))) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lowest || v > highest) problems.push(`${name}.${bound} is ${v}: it must be a number from ${lowest} to ${highest}`);
  }
  if (isConcreteNumber(range.min) && isConcreteNumber(range.max) && range.min > range.max) problems.push(`${name}.min ${range.min} is greater than max ${range.max}`);
}

function dateProblems(name: string, range: FindingDateRange | undefined, problems: string[]): void {
  if (range === undefined) return;
  if (range.start === undefined && range.end === undefined) problems.push(`${name} has neither start nor end: leave it out, or set a bound`);
  for (const [bound, v] of [['start', range.start], ['end', range.end]] as const) {
    if (v === undefined || !isConcrete(v)) continue;
    if (typeof v !== 'string' || !ISO_DATE.test(v) || Number.isNaN(epochSeconds(v))) {
      problems.push(`${name}.${bound} '${v}' is not an ISO-8601 date such as 2026-01-31 or 2026-01-31T12:00:00Z`);
    }
  }
  const start = isConcrete(range.start) ? epochSeconds(range.start) : undefined;
  const end = isConcrete(range.end) ? epochSeconds(range.end) : undefined;
  if (start !== undefined && end !== undefined && !Number.isNaN(start) && !Number.isNaN(end) && start > end) {
    problems.push(`${name}.start ${range.start} is after end ${range.end}`);
  }
}

/** Every problem of a suppression rule. @internal */
export function suppressionProblems(props: FindingSuppressionProps): string[] {
  const problems: string[] = [];
  if (isConcrete(props.reason) && (props.reason.length < 1 || props.reason.length > MAX_DESCRIPTION)) {
    problems.push(`reason has ${props.reason.length} characters: Amazon Inspector takes 1 to ${MAX_DESCRIPTION}`);
  }
  if (isConcrete(props.filterName) && (props.filterName.length < 1 || props.filterName.length > MAX_NAME)) {
    problems.push(`filterName has ${props.filterName.length} characters: Amazon Inspector takes 1 to ${MAX_NAME}`);
  }
  const lists: Array<[string, unknown[] | undefined]> = [
    ['repositoryNames', props.repositoryNames],
    ['repositoryNamePrefixes', props.repositoryNamePrefixes],
    ['repositoryNameFilters', props.repositoryNameFilters],
    ['imageTags', props.imageTags],
    ['imageTagFilters', props.imageTagFilters],
    ['imageDigests', props.imageDigests],
    ['imageArchitectures', props.imageArchitectures],
    ['registryIds', props.registryIds],
    ['accountIds', props.accountIds],
    ['findingArns', props.findingArns],
    ['resourceIdFilters', props.resourceIdFilters],
    ['relatedVulnerabilities', props.relatedVulnerabilities],
    ['vulnerabilitySources', props.vulnerabilitySources],
    ['vendorSeverities', props.vendorSeverities],
    ['resourceTags', props.resourceTags],
    ['vulnerabilityIds', props.vulnerabilityIds],
    ['severities', props.severities],
    ['fixAvailable', props.fixAvailable],
    ['vulnerablePackages', props.vulnerablePackages],
    ['findingStatus', props.findingStatus],
    ['titles', props.titles],
  ];
  let criteria = 0;
  for (const [name, values] of lists) {
    if (values === undefined) continue;
    if (values.length === 0) {
      problems.push(`${name} is empty: leave it out, or name at least one value`);
      continue;
    }
    criteria++;
    if (values.length > MAX_VALUES) problems.push(`${name} has ${values.length} values: Amazon Inspector takes at most ${MAX_VALUES} per criterion`);
    for (const v of values) {
      if (typeof v !== 'string') continue;
      if (isConcrete(v) && (v.length < 1 || v.length > MAX_VALUE)) {
        problems.push(`${name} value '${v.slice(0, 40)}' has ${v.length} characters: Amazon Inspector takes 1 to ${MAX_VALUE}`);
      }
    }
  }
  const repositoryValues = (props.repositoryNames?.length ?? 0) + (props.repositoryNamePrefixes?.length ?? 0)
    + (props.repositoryNameFilters?.length ?? 0);
  if (repositoryValues > MAX_VALUES) {
    problems.push(`repositoryNames, repositoryNamePrefixes and repositoryNameFilters have ${repositoryValues} values together: they render one criterion of at most ${MAX_VALUES}`);
  }
  const tagValues = (props.imageTags?.length ?? 0) + (props.imageTagFilters?.length ?? 0);
  if (tagValues > MAX_VALUES) problems.push(`imageTags and imageTagFilters have ${tagValues} values together: they render one criterion of at most ${MAX_VALUES}`);
  for (const f of props.repositoryNameFilters ?? []) stringFilterProblems('repositoryNameFilters', f, problems);
  for (const f of props.imageTagFilters ?? []) stringFilterProblems('imageTagFilters', f, problems);
  for (const f of props.titles ?? []) stringFilterProblems('titles', f, problems);
  for (const f of props.resourceIdFilters ?? []) stringFilterProblems('resourceIdFilters', f, problems);
  for (const d of props.imageDigests ?? []) {
    if (isConcrete(d) && !DIGEST.test(d)) problems.push(`imageDigests value '${d.slice(0, 80)}' is not an image digest: 'sha256:' and 64 lowercase hexadecimal digits`);
  }
  for (const [name, ids] of [['registryIds', props.registryIds], ['accountIds', props.accountIds]] as const) {
    for (const a of ids ?? []) {
      if (isConcrete(a) && !ACCOUNT.test(a)) problems.push(`${name} value '${a}' is not a 12-digit account ID`);
    }
  }
  for (const arn of props.findingArns ?? []) {
    if (isConcrete(arn) && typeof arn === 'string' && !FINDING_ARN.test(arn)) {
      problems.push(`findingArns value '${arn.slice(0, 120)}' is not an Amazon Inspector finding ARN: arn:<partition>:inspector2:<region>:<12-digit account>:finding/<id>`);
    }
  }
  for (const t of props.resourceTags ?? []) {
    if (isConcrete(t.key) && (typeof t.key !== 'string' || t.key.length < 1 || t.key.length > MAX_TAG_KEY)) {
      problems.push(`resourceTags key '${String(t.key).slice(0, 40)}' must have 1 to ${MAX_TAG_KEY} characters`);
    }
    if (t.value !== undefined && isConcrete(t.value) && t.value.length > MAX_TAG_VALUE) problems.push(`resourceTags value of '${t.key}' has ${t.value.length} characters: at most ${MAX_TAG_VALUE}`);
  }
  (props.vulnerablePackages ?? []).forEach((p, i) => {
    const fields: Array<[string, FindingStringFilter | undefined]> = [
      ['name', p.name], ['version', p.version], ['release', p.release], ['architecture', p.architecture], ['filePath', p.filePath], ['sourceLayerHash', p.sourceLayerHash],
    ];
    if (fields.every(([, f]) => f === undefined) && p.epoch === undefined) problems.push(`vulnerablePackages[${i}] names no field: set a name, version or another field`);
    for (const [field, f] of fields) if (f) stringFilterProblems(`vulnerablePackages[${i}].${field}`, f, problems);
    rangeProblems(`vulnerablePackages[${i}].epoch`, p.epoch, 0, Number.MAX_SAFE_INTEGER, problems);
  });
  rangeProblems('epssScore', props.epssScore, 0, 1, problems);
  rangeProblems('inspectorScore', props.inspectorScore, 0, 10, problems);
  rangeProblems('imageInUseCount', props.imageInUseCount, 0, Number.MAX_SAFE_INTEGER, problems);
  const ranges: Array<[string, unknown]> = [
    ['imagePushedAt', props.imagePushedAt], ['firstObservedAt', props.firstObservedAt], ['lastObservedAt', props.lastObservedAt], ['updatedAt', props.updatedAt],
  ];
  for (const [name, range] of ranges) dateProblems(name, range as FindingDateRange | undefined, problems);
  criteria += [props.imagePushedAt, props.imageInUseCount, props.exploitAvailable, props.epssScore, props.inspectorScore,
    props.firstObservedAt, props.lastObservedAt, props.updatedAt].filter((c) => c !== undefined).length;
  if (criteria === 0) {
    problems.push('the filter names no criterion: it would match every ECR finding, so name repositories, image tags, vulnerability IDs, severities or another criterion');
  }
  return problems;
}
