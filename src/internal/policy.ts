/**
 * Condition keys that restrict a `*` principal to known accounts or to an
 * AWS Organization. A statement with a `*` principal is acceptable only when
 * one of these keys is present (lower-cased comparison: IAM keys are
 * case-insensitive).
 *
 * @internal
 */
export const RESTRICTING_CONDITION_KEYS = [
  'aws:principalaccount',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:sourceaccount',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:sourcearn',
];

/** Whether an IAM `Principal` element (already resolved to JSON) includes `*`. @internal */
export function hasStarPrincipal(principal: unknown): boolean {
  if (principal === '*') return true;
  if (principal && typeof principal === 'object') {
    const aws = (principal as Record<string, unknown>).AWS;
    const list = Array.isArray(aws) ? aws : [aws];
    return list.includes('*');
  }
  return false;
}

/** Whether a `Condition` element uses a key that restricts the caller to accounts or an organization. @internal */
export function hasRestrictingCondition(condition: unknown): boolean {
  if (!condition || typeof condition !== 'object') return false;
  for (const block of Object.values(condition as Record<string, unknown>)) {
    if (!block || typeof block !== 'object') continue;
    for (const key of Object.keys(block as Record<string, unknown>)) {
      if (RESTRICTING_CONDITION_KEYS.includes(key.toLowerCase())) return true;
    }
  }
  return false;
}

/**
 * Problems with the statements of a resource policy (JSON form): an `Allow`
 * with a `*` principal and no account or organization condition.
 *
 * @internal
 */
export function openAccessProblems(statements: any[]): string[] {
  const problems: string[] = [];
  statements.forEach((s, i) => {
    if (s?.Effect !== 'Allow') return;
    if (hasStarPrincipal(s.Principal) && !hasRestrictingCondition(s.Condition)) {
      problems.push(`policy statement ${s.Sid ? `'${s.Sid}'` : `#${i + 1}`} allows the '*' principal without an account or organization condition (aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalAccount, aws:SourceAccount): restrict it or name the principals`);
    }
  });
  return problems;
}
