import { isConcrete, Problems } from '../internal/problems';

const EXCLUSION_FILTER = /^[0-9a-zA-Z._*-]{1,128}$/;
const MAX_EXCLUSION_FILTERS = 5;

/** What ECR receives for tag mutability: the setting and its WILDCARD exclusion filters. @internal */
export interface RenderedTagMutability {
  readonly imageTagMutability: string;
  readonly imageTagMutabilityExclusionFilters?: { imageTagMutabilityExclusionFilterType: string; imageTagMutabilityExclusionFilterValue: string }[];
}

/**
 * Checks tag mutability exclusion filters (1 to 5 filters of 1 to 128
 * characters from `[0-9a-zA-Z._*-]`, no duplicates) and renders the setting:
 * `IMMUTABLE`/`MUTABLE`, or `..._WITH_EXCLUSION` with WILDCARD filters.
 * Used by repositories and repository creation templates alike.
 *
 * @internal
 */
export function checkedTagMutability(problems: Problems, mutability: string, exclusions: string[] | undefined): RenderedTagMutability {
  if (exclusions !== undefined) {
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
  const withExclusions = exclusions !== undefined && exclusions.length > 0;
  return {
    imageTagMutability: withExclusions ? `${mutability}_WITH_EXCLUSION` : mutability,
    imageTagMutabilityExclusionFilters: withExclusions
      ? exclusions.map((f) => ({ imageTagMutabilityExclusionFilterType: 'WILDCARD', imageTagMutabilityExclusionFilterValue: f }))
      : undefined,
  };
}
