import { Lazy, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { tagMutabilityValue } from '../internal/ecr-facts';
import { isConcrete, Problems } from '../internal/problems';
import { resolveKnown } from '../internal/resolve';

/** A tag mutability exclusion filter (WILDCARD). @internal */
export const EXCLUSION_FILTER = /^[0-9a-zA-Z._*-]{1,128}$/;
const MAX_EXCLUSION_FILTERS = 5;

/** What ECR receives for tag mutability: the setting and its WILDCARD exclusion filters. @internal */
export interface RenderedTagMutability {
  readonly imageTagMutability: string;
  readonly imageTagMutabilityExclusionFilters?: { imageTagMutabilityExclusionFilterType: string; imageTagMutabilityExclusionFilterValue: string }[];
}

/**
 * Checks tag mutability exclusion filters (1 to 5 filters of 1 to 128
 * characters from `[0-9a-zA-Z._*-]`, no duplicates). Used by repositories and
 * repository creation templates alike, at the call site and again at synth on
 * resolved values (see `checkNowAndAtSynth`), where a list still unresolved is
 * known only at deploy and refused.
 *
 * @internal
 */
export function checkTagMutabilityExclusions(problems: Problems, exclusions: string[] | undefined, atSynth = false): void {
  if (exclusions === undefined) return;
  if (Token.isUnresolved(exclusions)) {
    if (atSynth) {
      problems.add('imageTagMutabilityExclusions is a CDK list token known only at deploy time (such as Fn.split of an import or parameter): '
        + 'CloudFormation needs one filter object per entry, so list the filters in code or give a Lazy.list that synth can resolve');
    }
    return;
  }
  if (exclusions.length < 1 || exclusions.length > MAX_EXCLUSION_FILTERS) {
    problems.add(`imageTagMutabilityExclusions has ${exclusions.length} filters: ECR takes 1 to ${MAX_EXCLUSION_FILTERS} (leave it out for none)`);
  }
  for (const f of exclusions.filter(isConcrete)) {
    if (!EXCLUSION_FILTER.test(f)) {
      problems.add(`imageTagMutabilityExclusions filter '${f}' must be 1 to 128 characters from [0-9a-zA-Z._*-]`);
    }
  }
  if (new Set(exclusions).size !== exclusions.length) problems.add('imageTagMutabilityExclusions lists the same filter twice');
}

/**
 * Renders the setting: `IMMUTABLE`/`MUTABLE`, or `..._WITH_EXCLUSION` with
 * WILDCARD filters. A list token (`Lazy.list`) is rendered at synth from its
 * resolved entries.
 *
 * @internal
 */
export function renderTagMutability(scope: IConstruct, mutability: string, exclusions: string[] | undefined): RenderedTagMutability {
  if (exclusions !== undefined && Token.isUnresolved(exclusions)) {
    // A list known only at deploy stays a token: it is refused by checkTagMutabilityExclusions
    // at synth, and rendered here without filters so that resolution does not fail first.
    const known = () => {
      const resolved = resolveKnown(scope, exclusions);
      return Token.isUnresolved(resolved) ? undefined : resolved;
    };
    return {
      imageTagMutability: Lazy.string({ produce: () => renderTagMutability(scope, mutability, known()).imageTagMutability }),
      imageTagMutabilityExclusionFilters: Lazy.any({
        produce: () => renderTagMutability(scope, mutability, known()).imageTagMutabilityExclusionFilters,
      }) as any,
    };
  }
  const withExclusions = exclusions !== undefined && exclusions.length > 0;
  return {
    imageTagMutability: tagMutabilityValue(mutability, withExclusions),
    imageTagMutabilityExclusionFilters: withExclusions
      ? exclusions.map((f) => ({ imageTagMutabilityExclusionFilterType: 'WILDCARD', imageTagMutabilityExclusionFilterValue: f }))
      : undefined,
  };
}
