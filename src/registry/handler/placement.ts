/**
 * The account's place in Amazon Inspector's organization (standalone,
 * member of a delegated administrator, the delegated administrator itself),
 * and how to tell a refusal by the administrator from a failure.
 */
import { GetDelegatedAdminAccountCommand } from '@aws-sdk/client-inspector2';
/* eslint-enable import/no-extraneous-dependencies */
import { Dependencies } from './request';
import { call, describe } from './retry';

/** The account's place in Amazon Inspector's organization. */
export type Role = 'STANDALONE' | 'DELEGATED_ADMINISTRATOR' | 'MEMBER' | 'UNKNOWN';

export interface Placement {
  readonly role: Role;
  readonly administrator?: string;
}

/** Finds the account's role from Inspector's delegated administrator. */
export async function placementOf(deps: Dependencies, account: string | undefined): Promise<Placement> {
  try {
    const result = await call(deps, 'inspector2:GetDelegatedAdminAccount', () => deps.inspector.send(new GetDelegatedAdminAccountCommand({})), { raw: true });
    const admin = result.delegatedAdmin;
    const gone = new Set(['REMOVED', 'RESIGNED', 'DELETED', 'DISABLED']);
    if (!admin?.accountId || gone.has(admin.relationshipStatus ?? '')) return { role: 'STANDALONE' };
    if (account === undefined) return { role: 'UNKNOWN', administrator: admin.accountId };
    return { role: admin.accountId === account ? 'DELEGATED_ADMINISTRATOR' : 'MEMBER', administrator: admin.accountId };
  } catch (e: any) {
    if (e?.name === 'ResourceNotFoundException') return { role: 'STANDALONE' };
    // Refused (an account of an organization that may not read it, or a
    // service control policy): the role is unknown, so changes the
    // administrator may own are tried, and a refusal is reported, not fatal.
    if (e?.name === 'AccessDeniedException') return { role: 'UNKNOWN' };
    throw e?.cause ? e : describe('inspector2:GetDelegatedAdminAccount', e, 1);
  }
}

/** Whether an error says the caller may not do this (the account's administrator owns it). */
export function isRefusal(e: any): boolean {
  return e?.name === 'AccessDeniedException' || e?.name === 'ValidationException'
    || /member account/i.test(String(e?.message ?? ''));
}
