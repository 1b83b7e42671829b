import { compressFilters, REPLICATION_FILTERS, SCANNING_FILTERS } from './filters';
import { MAX_FILTERS_PER_RULE } from '../registry/replication-checks';
import { MAX_SCANNING_FILTERS_PER_RULE } from '../scanning/checks';

/*
 * The repository filter quotas of a fleet's registry rules, after the
 * fleet's compression into prefixes: shared by the catalog, which knows
 * every repository of the fleet, and the fleet.
 */

/**
 * The problem of a replication rule whose repositories need more
 * PREFIX_MATCH filters than ECR takes, even compressed into prefixes that
 * leave out every other known repository; undefined when they fit.
 *
 * @param destinations the rule's destinations, as messages name them (`destinationKey`)
 * @param members the repositories the rule replicates
 * @param known every repository of the registry, members included
 * @internal
 */
export function replicationFilterQuotaProblem(destinations: string, members: string[], known: string[]): string | undefined {
  if (members.length <= MAX_FILTERS_PER_RULE) return undefined;
  const compressed = compressFilters(members, known, MAX_FILTERS_PER_RULE, REPLICATION_FILTERS);
  return compressed.fits ? undefined : replicationFilterQuotaMessage(destinations, members.length, compressed.count);
}

/** The message of a replication rule that needs `needed` filters for `members` repositories. @internal */
export function replicationFilterQuotaMessage(destinations: string, members: number, needed: number): string {
  return `the replication rule to ${destinations} needs at least ${needed} PREFIX_MATCH filters for its ${members} repositories (no shorter prefix leaves out the registry's other repositories): ECR takes at most ${MAX_FILTERS_PER_RULE} per rule, ${needed - MAX_FILTERS_PER_RULE} too many. Give the replicated repositories a namespace of their own (for example 'replicated/'), or split them across sets of destinations`;
}

/**
 * The problem of a CONTINUOUS_SCAN rule whose repositories need more
 * WILDCARD filters than ECR takes, even compressed into prefixes that leave
 * out every other known repository; undefined when they fit.
 *
 * @param members the continuously scanned repositories
 * @param known every repository of the registry, members included
 * @internal
 */
export function continuousScanFilterQuotaProblem(members: string[], known: string[]): string | undefined {
  if (members.length <= MAX_SCANNING_FILTERS_PER_RULE) return undefined;
  const compressed = compressFilters(members, known, MAX_SCANNING_FILTERS_PER_RULE, SCANNING_FILTERS);
  return compressed.fits ? undefined : continuousScanFilterQuotaMessage(members.length, compressed.count);
}

/** The message of a CONTINUOUS_SCAN rule that needs `needed` filters for `members` repositories. @internal */
export function continuousScanFilterQuotaMessage(members: number, needed: number): string {
  return `the CONTINUOUS_SCAN scanning rule needs at least ${needed} WILDCARD filters for its ${members} repositories (no shorter prefix leaves out the registry's other repositories): ECR takes at most ${MAX_SCANNING_FILTERS_PER_RULE} per rule, ${needed - MAX_SCANNING_FILTERS_PER_RULE} too many. Give the continuously scanned repositories a namespace of their own (for example 'scanned/')`;
}
