import { RegionInfo } from 'aws-cdk-lib/region-info';
import { isConcrete, Problems } from './problems';
import { RegionOptions } from '../region-options';
import { editDistance } from './edit-distance';

/** The shape of every AWS region name, including `eusc-de-east-1` and `us-isob-east-1`. @internal */
export const REGION_SHAPE = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

let known: Set<string> | undefined;

/** The regions aws-cdk-lib's region-info knows, across all partitions. @internal */
export function knownRegions(): Set<string> {
  known ??= new Set(RegionInfo.regions.map((r) => r.name));
  return known;
}

/** The partitions of the regions aws-cdk-lib knows (`aws`, `aws-cn`, `aws-us-gov`, ...). @internal */
export function knownPartitions(): Set<string> {
  return new Set(RegionInfo.regions.flatMap((r) => (r.partition ? [r.partition] : [])));
}

/** The partition of a known region (`aws`, `aws-cn`, `aws-us-gov`, ...), undefined when unknown. @internal */
export function partitionOf(region: string): string | undefined {
  return knownRegions().has(region) ? RegionInfo.get(region).partition : undefined;
}

/**
 * Checks a region name: its shape, and that aws-cdk-lib knows it (unless
 * `allowUnknownRegion`). Skips tokens. A misspelt name gets the closest known
 * names as a suggestion.
 *
 * @internal
 */
export function checkRegion(problems: Problems, what: string, value: string, options: RegionOptions = {}): void {
  if (!isConcrete(value)) return;
  if (typeof value !== 'string' || !REGION_SHAPE.test(value)) {
    problems.add(`${what} '${value}' is not an AWS region name${suggestion(String(value)) || " (for example 'eu-west-1')"}`);
    return;
  }
  if (options?.allowUnknownRegion || knownRegions().has(value)) return;
  problems.add(`${what} '${value}' is not a region aws-cdk-lib knows${suggestion(value)}. For a region newer than your aws-cdk-lib, upgrade aws-cdk-lib or pass { allowUnknownRegion: true }`);
}

function suggestion(value: string): string {
  const close = closest(value);
  return close.length > 0 ? ` (did you mean ${close.map((c) => `'${c}'`).join(' or ')}?)` : '';
}

/** Known regions within edit distance 3, closest first (at most 3). */
function closest(value: string): string[] {
  const scored = [...knownRegions()]
    .map((r) => ({ r, d: editDistance(value, r) }))
    .filter((x) => x.d <= 3)
    .sort((a, b) => a.d - b.d || a.r.localeCompare(b.r));
  if (scored.length === 0) return [];
  const best = scored[0].d;
  return scored.filter((x) => x.d === best).slice(0, 3).map((x) => x.r);
}

