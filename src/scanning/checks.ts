import { ScanFrequency, ScanType } from './enums';
import { isConcrete } from '../internal/problems';

/** ECR's limits on a registry scanning configuration. */
/** @internal */
export const MAX_SCANNING_RULES = 2;
/** @internal */
export const MAX_SCANNING_FILTERS_PER_RULE = 100;
/** @internal */
export const MAX_SCANNING_FILTER_LENGTH = 255;
const SCANNING_FILTER = /^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$/;

/** Frequencies each scan type accepts. */
const ALLOWED: Record<ScanType, ScanFrequency[]> = {
  [ScanType.BASIC]: [ScanFrequency.SCAN_ON_PUSH],
  [ScanType.ENHANCED]: [ScanFrequency.SCAN_ON_PUSH, ScanFrequency.CONTINUOUS_SCAN],
};

/** One scanning rule of the model: a frequency and its WILDCARD filters. @internal */
export interface ScanningRuleModel {
  readonly frequency: ScanFrequency;
  readonly filters: string[];
}

/**
 * Every problem of a scanning configuration: rule count, one rule per
 * frequency, frequencies the scan type allows, filter count and syntax.
 * The single validator of the model, used by every entry point.
 *
 * @internal
 */
export function scanningConfigurationProblems(scanType: ScanType, rules: ScanningRuleModel[]): string[] {
  const problems: string[] = [];
  if (rules.length > MAX_SCANNING_RULES) {
    problems.push(`the scanning configuration has ${rules.length} rules: ECR takes at most ${MAX_SCANNING_RULES} (one per frequency)`);
  }
  const seen = new Set<ScanFrequency>();
  for (const rule of rules) {
    if (seen.has(rule.frequency)) problems.push(`two scanning rules have frequency ${rule.frequency}: ECR takes one rule per frequency`);
    seen.add(rule.frequency);
    if (!ALLOWED[scanType].includes(rule.frequency)) {
      problems.push(`scan type ${scanType} does not support ${rule.frequency}: it allows ${ALLOWED[scanType].join(' and ')} (use ScanType.ENHANCED for continuous scanning)`);
    }
    if (rule.filters.length > MAX_SCANNING_FILTERS_PER_RULE) {
      problems.push(`the ${rule.frequency} rule has ${rule.filters.length} repository filters: ECR takes at most ${MAX_SCANNING_FILTERS_PER_RULE} per rule (use a wildcard such as 'team/*')`);
    }
    for (const f of rule.filters) problems.push(...scanningFilterProblems(f));
  }
  return problems;
}

/** Problems with one WILDCARD scanning filter. @internal */
export function scanningFilterProblems(filter: string): string[] {
  if (!isConcrete(filter)) return [];
  if (filter.length < 1 || filter.length > MAX_SCANNING_FILTER_LENGTH) {
    return [`repository filter '${filter}' has ${filter.length} characters: ECR takes 1 to ${MAX_SCANNING_FILTER_LENGTH}`];
  }
  if (!SCANNING_FILTER.test(filter)) {
    return [`repository filter '${filter}' is not a scanning filter: lowercase letters, digits and '*', separated by single '.', '_', '-' or '/' (for example 'platform/*')`];
  }
  return [];
}

/** A regular expression for a WILDCARD filter (`*` matches any run of characters). @internal */
export function wildcardMatcher(filter: string): RegExp {
  const pattern = filter.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}$`);
}

/** Whether a WILDCARD filter matches a name. @internal */
export function wildcardMatches(filter: string, name: string): boolean {
  return wildcardMatcher(filter).test(name);
}
