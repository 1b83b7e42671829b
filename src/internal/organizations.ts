import { isConcrete, Problems } from './problems';

/** An AWS Organizations ID. @internal */
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
/** A path from an organization's root to an organizational unit. @internal */
export const OU_PATH = /^r-[0-9a-z]{4,32}(\/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})+$/;

/**
 * Adds a problem for an organization ID and each organizational unit path
 * that AWS Organizations would not accept (values known only at deploy are
 * skipped).
 */
export function addOrganizationProblems(problems: Problems, organizationId: string, paths: readonly string[]): void {
  if (isConcrete(organizationId) && !ORGANIZATION_ID.test(organizationId)) {
    problems.add(`organizationId '${organizationId}' is not an AWS Organizations ID: it looks like 'o-' followed by 10 to 32 lowercase letters or digits`);
  }
  for (const p of paths.filter(isConcrete)) {
    if (!OU_PATH.test(p)) {
      problems.add(`organizational unit path '${p}' must run from the root to the unit, like 'r-ab12/ou-ab12-11111111' (no organization ID, no trailing '/')`);
    }
  }
}
