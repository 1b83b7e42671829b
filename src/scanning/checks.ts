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

/**
 * A regular expression for an anchored wildcard pattern (`*` matches any run
 * of characters, the rest literally). This is how IAM matches actions; for
 * ECR scanning filters use `scanningFilterMatcher`.
 *
 * @internal
 */
export function wildcardMatcher(filter: string): RegExp {
  const pattern = filter.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}$`);
}

/** Whether an anchored wildcard pattern matches a name (IAM action matching). @internal */
export function wildcardMatches(filter: string, name: string): boolean {
  return wildcardMatcher(filter).test(name);
}

/**
 * A regular expression for an ECR scanning filter, matched the way ECR
 * matches it (User Guide, "Filters to choose which repositories are
 * scanned"): a filter with no wildcard matches every repository name that
 * contains it (`prod` matches `repo-prod` and `prodrepo`); a filter with `*`
 * is anchored at both ends, `*` standing for zero or more characters
 * (`prod*` matches `prodrepo`, not `repo-prod`).
 *
 * @internal
 */
export function scanningFilterMatcher(filter: string): RegExp {
  let matcher = scanningMatchers.get(filter);
  if (!matcher) {
    matcher = filter.includes('*') ? wildcardMatcher(filter) : wildcardMatcher(`*${filter}*`);
    scanningMatchers.set(filter, matcher);
  }
  return matcher;
}
/** Compiled scanning filters: a filter's expression never changes. */
const scanningMatchers = new Map<string, RegExp>();

/** Whether an ECR scanning filter covers a repository name (see `scanningFilterMatcher`). @internal */
export function scanningFilterMatches(filter: string, name: string): boolean {
  return scanningFilterMatcher(filter).test(name);
}

/**
 * How ECR scans a repository's images.
 *
 * @internal
 */
export type ScanningMode = 'SCAN_ON_PUSH' | 'CONTINUOUS_SCAN' | 'MANUAL' | 'DISABLED';

/** A registry scanning configuration as ECR reads it. @internal */
export interface RegistryScanningModel {
  readonly scanType: ScanType;
  readonly rules: ScanningRuleModel[];
}

/** The answer of `repositoryScanning`. @internal */
export interface RepositoryScanningAnswer {
  /** How the repository's images are scanned; undefined when it cannot be known at synth (a token name). */
  readonly mode?: ScanningMode;
  /** Whether the answer comes from the repository's own scan-on-push setting or the registry's configuration. */
  readonly source: 'repository' | 'registry';
  /** Whether images are scanned without anyone asking (on push or continuously). */
  readonly scanned?: boolean;
}

/**
 * The one answer to "is this repository scanned, and how?", with ECR's rules
 * (User Guide, "Filters to choose which repositories are scanned"):
 *
 * - no registry scanning configuration: the repository's own scan-on-push
 *   setting decides (SCAN_ON_PUSH or MANUAL);
 * - BASIC: a repository matching a scan-on-push filter is scanned on push;
 *   any other is set to the MANUAL frequency, whatever its own setting;
 * - ENHANCED: a repository matching a continuous-scanning filter is scanned
 *   continuously (continuous wins over scan on push), one matching only a
 *   scan-on-push filter on push; any other has scanning DISABLED.
 *
 * `repositoryName` undefined means a name unknown at synth: the answer is
 * known only when a `*` filter covers every name.
 *
 * @internal
 */
export function repositoryScanning(repositoryName: string | undefined, ownScanOnPush: boolean | undefined,
  registry: RegistryScanningModel | undefined): RepositoryScanningAnswer {
  if (!registry) {
    const mode: ScanningMode = ownScanOnPush === true ? 'SCAN_ON_PUSH' : 'MANUAL';
    return { mode, source: 'repository', scanned: mode === 'SCAN_ON_PUSH' };
  }
  const covers = (frequency: ScanFrequency): boolean | undefined => {
    const filters = registry.rules.filter((r) => r.frequency === frequency).flatMap((r) => r.filters);
    if (filters.includes('*')) return true;
    if (repositoryName === undefined || !isConcrete(repositoryName)) return filters.length === 0 ? false : undefined;
    return filters.some((f) => isConcrete(f) && scanningFilterMatches(f, repositoryName));
  };
  const order = registry.scanType === ScanType.ENHANCED
    ? [ScanFrequency.CONTINUOUS_SCAN, ScanFrequency.SCAN_ON_PUSH]
    : [ScanFrequency.SCAN_ON_PUSH];
  let unknown = false;
  for (const frequency of order) {
    const c = covers(frequency);
    if (c === true && !unknown) return { mode: frequency, source: 'registry', scanned: true };
    if (c === true) return { source: 'registry', scanned: true };
    if (c === undefined) unknown = true;
  }
  if (unknown) return { source: 'registry' };
  const mode: ScanningMode = registry.scanType === ScanType.ENHANCED ? 'DISABLED' : 'MANUAL';
  return { mode, source: 'registry', scanned: false };
}
