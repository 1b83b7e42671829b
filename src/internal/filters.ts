/**
 * The repository filters of a rule after adding some: a rule without filters
 * covers every repository, so merging with it stays "every repository"; else
 * the union, each filter once, in the order first added. Used by the
 * replication, scanning and signing configurations, whose rules are merged by
 * destinations, frequency and signing profile.
 *
 * @param existing the rule as it is, or undefined when there is no rule yet
 * @param added the filters to add, or undefined for every repository
 * @internal
 */
export function mergeFilters(
  existing: { readonly filters: readonly string[] | undefined } | undefined,
  added: readonly string[] | undefined,
): string[] | undefined {
  if (existing === undefined) return added === undefined ? undefined : [...new Set(added)];
  if (existing.filters === undefined || added === undefined) return undefined;
  return [...new Set([...existing.filters, ...added])];
}
