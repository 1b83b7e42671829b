import * as fc from 'fast-check';
import { compressFilters, FilterSemantics, prefixOvercoverage, REPLICATION_FILTERS, SCANNING_FILTERS } from '../../src/fleet/filters';
import { filterProblems } from '../../src/registry/replication-checks';
import { scanningFilterProblems } from '../../src/scanning/checks';
import { FUZZ_RUNS } from '../util/fuzz';

/** How ECR matches a rendered filter: PREFIX_MATCH, or WILDCARD (contains without '*', anchored with '*'). */
function matches(semantics: FilterSemantics, filter: string, name: string): boolean {
  if (semantics === REPLICATION_FILTERS) return name.startsWith(filter);
  if (!filter.includes('*')) return name.includes(filter);
  const pattern = filter.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}$`).test(name);
}

/** Valid repository names from a small alphabet, so that names share prefixes often. */
const part = fc.stringMatching(/^[ab1][ab1]{0,3}$/);
const repositoryName = fc.tuple(fc.constantFrom('', 'a/', 'b/', 'ab/', 'a/b/'), part, fc.option(part, { nil: undefined }))
  .map(([ns, p1, p2]) => `${ns}${p1}${p2 !== undefined ? `-${p2}` : ''}`)
  .filter((n) => n.length >= 2);

describe.each([
  ['replication', REPLICATION_FILTERS],
  ['scanning', SCANNING_FILTERS],
])('compressFilters (%s)', (_name, semantics) => {
  test('given random repositories of a registry, a random subset to cover and a random quota, when compressed, then the filters cover every member, cover no other known repository that the members\' own filters would not, are valid ECR filters, and fit the quota or say how many are needed', () => {
    fc.assert(fc.property(
      fc.uniqueArray(repositoryName, { minLength: 1, maxLength: 60 }),
      fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
      fc.integer({ min: 1, max: 12 }),
      (names, pick, quota) => {
        const members = names.filter((_, i) => pick[i]);
        fc.pre(members.length > 0);
        const result = compressFilters(members, names, quota, semantics);
        const filters = [...result.names, ...result.prefixes.map((p) => p.filter)];
        expect(result.count).toBe(filters.length);
        if (members.length <= quota) {
          expect(result.fits).toBe(true);
          expect(result.prefixes).toEqual([]);
          expect(result.names.sort()).toEqual([...new Set(members)].sort());
        }
        if (!result.fits) expect(result.count).toBeGreaterThan(quota);
        else expect(result.count).toBeLessThanOrEqual(quota);
        // every member is covered
        for (const m of members) expect(filters.some((f) => matches(semantics, f, m))).toBe(true);
        // what the filters cover beyond the members is covered by the members' own names anyway
        for (const n of names) {
          if (members.includes(n)) continue;
          if (filters.some((f) => matches(semantics, f, n))) {
            expect(members.some((m) => matches(semantics, m, n))).toBe(true);
          }
        }
        expect(prefixOvercoverage(members, result.prefixes.map((p) => p.prefix), names, semantics)).toEqual([]);
        // every filter is one ECR takes
        for (const f of result.prefixes.map((p) => p.filter)) {
          expect(semantics === REPLICATION_FILTERS ? filterProblems([f]) : scanningFilterProblems(f)).toEqual([]);
        }
      },
    ), { numRuns: Math.max(FUZZ_RUNS, 200) });
  });

  test('given members that each share every prefix with a repository outside the set, when compressed under a small quota, then it does not fit and says how many filters are needed', () => {
    const members = Array.from({ length: 30 }, (_, i) => `m${i}-r`);
    const others = Array.from({ length: 30 }, (_, i) => `m${i}-n`);
    const result = compressFilters(members, [...members, ...others], 10, semantics);
    expect(result.fits).toBe(false);
    expect(result.count).toBe(30);
  });
});
