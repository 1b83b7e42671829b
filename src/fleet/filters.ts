/**
 * Compression of a fleet's registry-level repository filters into name
 * prefixes, so that thousands of repositories fit ECR's filter quotas:
 * pure functions, shared by the fleet construct and its tests.
 *
 * A filter chosen here never covers a known repository of the registry that
 * the filters of the repositories' own names would not cover anyway: a
 * prefix is used only when every known repository whose name starts with it
 * is a member of the set, or already covered by a member's own filter.
 * Prefixes are generalized from the longest down, and only as far as the
 * quota needs: a set that fits keeps one filter per repository.
 */
import { filterProblems } from '../registry/replication-checks';
import { scanningFilterProblems } from '../scanning/checks';

/** How a registry setting matches repository names. @internal */
export interface FilterSemantics {
  /** The quota's name, for messages. */
  readonly what: string;
  /** The filter that covers exactly the names starting with `prefix`, or undefined when ECR takes none. */
  prefixFilter(prefix: string): string | undefined;
  /** Whether the filter of a repository's own name covers another name. */
  ownFilterCovers(member: string, name: string): boolean;
}

/** Replication: PREFIX_MATCH filters; a name's own filter is a prefix of the names it covers. @internal */
export const REPLICATION_FILTERS: FilterSemantics = {
  what: 'PREFIX_MATCH replication filters',
  prefixFilter: (prefix) => (filterProblems([prefix]).length === 0 ? prefix : undefined),
  ownFilterCovers: (member, name) => name.startsWith(member),
};

/**
 * Scanning: WILDCARD filters; `prefix*` is anchored, while a name's own
 * filter (no `*`) covers every name that contains it (ECR User Guide,
 * "Filters to choose which repositories are scanned"). @internal
 */
export const SCANNING_FILTERS: FilterSemantics = {
  what: 'WILDCARD scanning filters',
  prefixFilter: (prefix) => (scanningFilterProblems(`${prefix}*`).length === 0 ? `${prefix}*` : undefined),
  ownFilterCovers: (member, name) => name.includes(member),
};

/** The result of compressing the filters of one rule. @internal */
export interface CompressedFilters {
  /** The members kept as their own name (the uncompressed filter). */
  readonly names: string[];
  /** The prefixes chosen, each with the filter that renders it. */
  readonly prefixes: { readonly prefix: string; readonly filter: string }[];
  /** How many filters the rule takes (names and prefixes). */
  readonly count: number;
  /** Whether the filters fit the quota. */
  readonly fits: boolean;
}

/**
 * Filters for `members` within `quota`: one per member when they fit, or
 * prefixes that cover no other known repository (`known`, the registry's
 * repositories, members included) than the members' own filters would.
 * When no compression fits, `fits` is false and `count` is the fewest
 * filters reachable.
 *
 * @internal
 */
export function compressFilters(members: string[], known: string[], quota: number, semantics: FilterSemantics): CompressedFilters {
  const memberSet = new Set(members);
  const exact = [...memberSet].sort();
  if (exact.length <= quota) return { names: exact, prefixes: [], count: exact.length, fits: true };

  // Known names the members' own filters cover: a prefix may cover these.
  const sortedKnown = [...new Set([...known, ...exact])].sort();
  const coveredAnyway = sortedKnown.map((name) => memberSet.has(name) || coveredByMember(name, memberSet, semantics));
  // uncovered[i]: how many of sortedKnown[0..i) a prefix must not cover.
  const uncovered = [0];
  coveredAnyway.forEach((c, i) => uncovered.push(uncovered[i] + (c ? 0 : 1)));
  const allowed = (prefix: string): boolean => {
    const lo = lowerBound(sortedKnown, prefix);
    const hi = lowerBound(sortedKnown, `${prefix}\uffff`);
    return uncovered[hi] - uncovered[lo] === 0;
  };

  // Current filters: a member's own name, or a chosen prefix. Generalize from the longest prefixes down.
  let current: { key: string; prefix: boolean }[] = exact.map((name) => ({ key: name, prefix: false }));
  const longest = Math.max(...exact.map((n) => n.length));
  for (let length = longest; length >= 1 && current.length > quota; length--) {
    const groups = new Map<string, { key: string; prefix: boolean }[]>();
    const rest: { key: string; prefix: boolean }[] = [];
    for (const f of current) {
      if (f.key.length < length) {
        rest.push(f);
        continue;
      }
      const p = f.key.slice(0, length);
      const group = groups.get(p) ?? [];
      group.push(f);
      groups.set(p, group);
    }
    // The largest groups first: the quota is reached with the fewest generalizations.
    const ordered = [...groups.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
    let count = current.length;
    const next: { key: string; prefix: boolean }[] = [...rest];
    for (const [p, group] of ordered) {
      const merge = count > quota && group.length >= 2 && semantics.prefixFilter(p) !== undefined && allowed(p);
      if (merge) {
        next.push({ key: p, prefix: true });
        count -= group.length - 1;
      } else {
        next.push(...group);
      }
    }
    current = next;
  }
  const names = current.filter((f) => !f.prefix).map((f) => f.key).sort();
  const prefixes = current.filter((f) => f.prefix).map((f) => ({ prefix: f.key, filter: semantics.prefixFilter(f.key)! }))
    .sort((a, b) => (a.prefix < b.prefix ? -1 : 1));
  return { names, prefixes, count: current.length, fits: current.length <= quota };
}

/**
 * Known repositories that a chosen prefix covers although neither they nor
 * a member's own filter are in the set: empty when the compression holds
 * for `known` (checked again at synth, when every repository of the app is
 * known).
 *
 * @internal
 */
export function prefixOvercoverage(
  members: string[], prefixes: string[], known: string[], semantics: FilterSemantics,
): { prefix: string; names: string[] }[] {
  const memberSet = new Set(members);
  const out: { prefix: string; names: string[] }[] = [];
  for (const prefix of prefixes) {
    const names = known.filter((n) => n.startsWith(prefix) && !memberSet.has(n) && !coveredByMember(n, memberSet, semantics));
    if (names.length > 0) out.push({ prefix, names: [...new Set(names)].sort() });
  }
  return out;
}

function coveredByMember(name: string, members: Set<string>, semantics: FilterSemantics): boolean {
  if (semantics === REPLICATION_FILTERS) {
    for (let i = 1; i < name.length; i++) if (members.has(name.slice(0, i))) return true;
    return false;
  }
  if (semantics === SCANNING_FILTERS) {
    for (let i = 0; i < name.length; i++) {
      for (let j = i + 1; j <= name.length; j++) if (members.has(name.slice(i, j))) return true;
    }
    return false;
  }
  for (const m of members) if (m !== name && semantics.ownFilterCovers(m, name)) return true;
  return false;
}

function lowerBound(sorted: string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
