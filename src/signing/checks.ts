import { isConcrete } from '../internal/problems';

/** ECR's limits on a signing configuration. @internal */
export const MAX_SIGNING_RULES = 10;
/** @internal */
export const MAX_SIGNING_FILTERS_PER_RULE = 100;
/** @internal */
export const MAX_SIGNING_FILTER_LENGTH = 256;
const SIGNING_FILTER = /^(?:[a-z0-9*]+(?:[._-][a-z0-9*]+)*\/)*[a-z0-9*]+(?:[._-][a-z0-9*]+)*$/;
const SIGNING_PROFILE_ARN = /^arn:aws(-[a-z]+)*:signer:[a-z0-9-]+:[0-9]{12}:\/signing-profiles\/[a-zA-Z0-9_]{2,}$/;
const MAX_ARN = 200;

/** One signing rule of the model. @internal */
export interface SigningRuleModel {
  readonly signingProfileArn: string;
  /** WILDCARD_MATCH filters; undefined signs every repository. */
  readonly filters: string[] | undefined;
}

/**
 * Every problem of a signing configuration: rule count, profile ARNs,
 * filter count and syntax. The single validator of the model.
 *
 * @internal
 */
export function signingConfigurationProblems(rules: SigningRuleModel[]): string[] {
  const problems: string[] = [];
  if (rules.length > MAX_SIGNING_RULES) {
    problems.push(`the signing configuration has ${rules.length} rules: ECR takes at most ${MAX_SIGNING_RULES} (rules with the same signing profile are merged)`);
  }
  for (const rule of rules) {
    problems.push(...signingProfileArnProblems(rule.signingProfileArn));
    if (rule.filters === undefined) continue;
    if (rule.filters.length === 0) problems.push('repositoryFilters is empty: leave it out to sign every repository, or name at least one filter');
    if (rule.filters.length > MAX_SIGNING_FILTERS_PER_RULE) {
      problems.push(`the signing rule for ${rule.signingProfileArn} has ${rule.filters.length} repository filters: ECR takes at most ${MAX_SIGNING_FILTERS_PER_RULE} per rule (use a wildcard such as 'team/*')`);
    }
    for (const f of rule.filters) problems.push(...signingFilterProblems(f));
  }
  return problems;
}

/** Problems with an AWS Signer profile ARN. @internal */
export function signingProfileArnProblems(arn: string): string[] {
  if (!isConcrete(arn)) return [];
  if (arn.length > MAX_ARN || !SIGNING_PROFILE_ARN.test(arn)) {
    return [`signingProfileArn '${arn}' is not an AWS Signer profile ARN (arn:PARTITION:signer:REGION:ACCOUNT:/signing-profiles/NAME, at most ${MAX_ARN} characters)`];
  }
  return [];
}

/** Problems with one WILDCARD_MATCH signing filter. @internal */
export function signingFilterProblems(filter: string): string[] {
  if (!isConcrete(filter)) return [];
  if (filter.length < 1 || filter.length > MAX_SIGNING_FILTER_LENGTH) {
    return [`repository filter '${filter}' has ${filter.length} characters: ECR takes 1 to ${MAX_SIGNING_FILTER_LENGTH}`];
  }
  if (!SIGNING_FILTER.test(filter)) {
    return [`repository filter '${filter}' is not a signing filter: path segments of lowercase letters, digits and '*', separated by single '.', '_' or '-' (for example 'platform/*')`];
  }
  return [];
}

