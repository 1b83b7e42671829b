import { RegistryRef } from './app-registries';
import { ReplicationDestination } from './replication';
import { isConcrete } from '../internal/problems';

/** How many replication rules one registry takes. @internal */
export const MAX_REPLICATION_RULES = 10;
/** How many repository filters one replication rule takes. @internal */
export const MAX_FILTERS_PER_RULE = 100;
/**
 * Distinct destinations across all rules of a registry. The documented limits
 * differ between sources (25 or 100): 25 is the safe maximum.
 *
 * @internal
 */
export const MAX_DESTINATIONS = 25;

/**
 * The problem of a registry with more replication rules than ECR takes, or
 * undefined. Rules with the same destinations are merged, so `rules` is the
 * number of distinct sets of destinations.
 *
 * @internal
 */
export function replicationRuleCountProblem(rules: number): string | undefined {
  if (rules <= MAX_REPLICATION_RULES) return undefined;
  return `the registry would have ${rules} replication rules: ECR takes at most ${MAX_REPLICATION_RULES} (rules with the same destinations are merged, so reuse a set of destinations)`;
}

/**
 * The problem of a registry that replicates to more distinct destinations
 * than ECR takes, or undefined.
 *
 * @internal
 */
export function destinationCountProblem(destinations: number): string | undefined {
  if (destinations <= MAX_DESTINATIONS) return undefined;
  return `the registry would replicate to ${destinations} distinct destinations: ECR takes at most ${MAX_DESTINATIONS}`;
}

/** ECR's PREFIX_MATCH filter pattern (RepositoryFilter, API reference), 2 to 256 characters. */
const FILTER = /^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*\/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$/;

/** The key of a set of destinations: order and duplicates do not matter. @internal */
export function destinationKey(destinations: ReplicationDestination[]): string {
  return [...new Set(destinations.map((d) => d._ref.key))].sort().join(',');
}

/**
 * Problems with the destinations of one rule: none, duplicates, the source
 * registry itself.
 *
 * @internal
 */
export function destinationProblems(destinations: ReplicationDestination[], source: { account: string; region: string }): string[] {
  const problems: string[] = [];
  if (destinations.length === 0) problems.push('destinations is empty: name at least one ReplicationDestination');
  const seen = new Set<string>();
  for (const d of destinations) {
    const key = d._ref.key;
    if (seen.has(key)) problems.push(`destination ${key} is listed twice in one rule`);
    seen.add(key);
    const from = new RegistryRef(source.account, source.region);
    if (from.isConcrete && d._ref.equals(from)) {
      problems.push(`destination ${key} is the source registry itself: ECR cannot replicate a registry into itself`);
    }
    const to = d._ref.partition;
    if (from.partition !== undefined && to !== undefined && from.partition !== to) {
      problems.push(`destination ${key} is in partition ${to}, but the source registry (${source.region}) is in ${from.partition}: ECR replicates only within a partition`);
    }
  }
  return problems;
}

/** Problems with PREFIX_MATCH repository filters. Skips tokens. @internal */
export function filterProblems(filters: string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const f of filters.filter(isConcrete)) {
    if (f.length < 2 || f.length > 256) problems.push(`repository filter '${f}' has ${f.length} characters: ECR takes 2 to 256`);
    if (!FILTER.test(f)) problems.push(`repository filter '${f}' is not a repository name prefix: lowercase letters, digits, '.', '_', '-' and '/' between namespaces, not starting with a separator`);
    if (seen.has(f)) problems.push(`repository filter '${f}' is listed twice`);
    seen.add(f);
  }
  return problems;
}
