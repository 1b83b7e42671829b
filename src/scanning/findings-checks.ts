import { FindingSeverity } from './enums';
import type { FindingSuppressionProps } from './findings';
import { isConcrete } from '../internal/problems';

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

/** Every problem of a suppression rule. @internal */
export function suppressionProblems(props: FindingSuppressionProps): string[] {
  const problems: string[] = [];
  if (isConcrete(props.reason) && (props.reason.length < 1 || props.reason.length > MAX_DESCRIPTION)) {
    problems.push(`reason has ${props.reason.length} characters: Amazon Inspector takes 1 to ${MAX_DESCRIPTION}`);
  }
  if (isConcrete(props.filterName) && (props.filterName.length < 1 || props.filterName.length > MAX_NAME)) {
    problems.push(`filterName has ${props.filterName.length} characters: Amazon Inspector takes 1 to ${MAX_NAME}`);
  }
  const lists: Array<[string, string[] | undefined]> = [
    ['repositoryNames', props.repositoryNames],
    ['repositoryNamePrefixes', props.repositoryNamePrefixes],
    ['imageTags', props.imageTags],
    ['vulnerabilityIds', props.vulnerabilityIds],
    ['severities', props.severities],
  ];
  let criteria = 0;
  for (const [name, values] of lists) {
    if (values === undefined) continue;
    if (values.length === 0) {
      problems.push(`${name} is empty: leave it out, or name at least one value`);
      continue;
    }
    criteria++;
    for (const v of values) {
      if (isConcrete(v) && (v.length < 1 || v.length > MAX_VALUE)) {
        problems.push(`${name} value '${v.slice(0, 40)}' has ${v.length} characters: Amazon Inspector takes 1 to ${MAX_VALUE}`);
      }
    }
  }
  if (criteria === 0) {
    problems.push('the suppression names no criterion: it would suppress every ECR finding, so name repositories, image tags, vulnerability IDs or severities');
  }
  return problems;
}
