/**
 * Amazon Inspector's delegated administrator, designated from the
 * organization's management account (`Custom::EcrInspectorDelegatedAdmin`).
 */
import {
  DisableDelegatedAdminAccountCommand,
  EnableDelegatedAdminAccountCommand,
  ListDelegatedAdminAccountsCommand,
} from '@aws-sdk/client-inspector2';
/* eslint-enable import/no-extraneous-dependencies */
import { isRefusal } from './placement';
import { CustomResourceEvent, Dependencies, Outcome } from './request';
import { ADMIN_ID, ADMIN_TYPE } from './resource-types';
import { call } from './retry';
import { stackView } from './stack';

/** The delegated administrator designation: `inspector-delegated-admin:ACCOUNT:owns=0|1`. */
export function parseAdminId(physicalId: string | undefined): { account: string; owns: boolean } | undefined {
  const m = physicalId?.match(/^inspector-delegated-admin:(\d{12}):owns=([01])$/);
  return m ? { account: m[1], owns: m[2] === '1' } : undefined;
}

/** The enabled delegated administrator of Inspector, from the management account. */
async function currentAdmin(deps: Dependencies): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await call(deps, 'inspector2:ListDelegatedAdminAccounts', () => deps.inspector.send(new ListDelegatedAdminAccountsCommand({ nextToken })));
    const enabled = (page.delegatedAdminAccounts ?? []).find((a) => a.status === 'ENABLED' || a.status === 'DISABLE_IN_PROGRESS');
    if (enabled?.accountId) return enabled.accountId;
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

/**
 * The management account designates Inspector's delegated administrator (in
 * this region). An account already designated is left as it is and not
 * owned; another account designated fails the request (one administrator per
 * organization). A delete removes the designation only when this resource
 * made it, the user opted in, and it is still that account.
 */
export async function delegatedAdmin(event: CustomResourceEvent, deps: Dependencies): Promise<Outcome> {
  const props = event.ResourceProperties;
  const wanted = props.AdministratorAccount ?? '';
  const physicalId = event.PhysicalResourceId;
  if (event.RequestType === 'Delete') {
    const record = parseAdminId(physicalId);
    const kept = (reason: string): Outcome => ({ PhysicalResourceId: physicalId ?? `${ADMIN_ID}:none`, Data: { Action: 'KEPT', Reason: reason } });
    if (props.DisableOnDelete !== 'true') return kept('disableOnDelete is not set');
    if (!record?.owns) return kept('this resource did not designate the administrator');
    const stack = await stackView(event, deps, ADMIN_TYPE);
    if (stack === undefined) return kept('the stack\'s resources could not be read, so another owner cannot be ruled out');
    if (stack.replaced) return kept('replaced by a newer record of the same resource');
    if (stack.others.some((o) => parseAdminId(o.physicalId)?.account === record.account)) return kept('another resource of the stack designates the same account');
    if (await currentAdmin(deps) !== record.account) return kept(`${record.account} is no longer the delegated administrator`);
    try {
      await call(deps, 'inspector2:DisableDelegatedAdminAccount', () => deps.inspector.send(new DisableDelegatedAdminAccountCommand({ delegatedAdminAccountId: record.account })));
    } catch (e: any) {
      if (isRefusal(e?.cause ?? e)) return kept(`not permitted: ${e?.message ?? e}`);
      throw e;
    }
    return { PhysicalResourceId: physicalId!, Data: { Action: 'DISABLED' } };
  }
  if (!/^\d{12}$/.test(wanted)) throw new Error(`AdministratorAccount '${wanted}' is not an AWS account ID`);
  const previous = event.RequestType === 'Update' ? parseAdminId(physicalId) : undefined;
  const current = await currentAdmin(deps);
  if (current === wanted) {
    const owns = previous?.account === wanted && previous.owns;
    return { PhysicalResourceId: `${ADMIN_ID}:${wanted}:owns=${owns ? 1 : 0}`, Data: { Action: 'ALREADY_DESIGNATED', AdministratorAccount: wanted } };
  }
  if (current !== undefined) {
    throw new Error(`Amazon Inspector's delegated administrator in this region is ${current}, not ${wanted}: an organization has one, so remove ${current} first (aws inspector2 disable-delegated-admin-account)`);
  }
  const result = await call(deps, 'inspector2:EnableDelegatedAdminAccount', () => deps.inspector.send(new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: wanted })));
  return { PhysicalResourceId: `${ADMIN_ID}:${wanted}:owns=1`, Data: { Action: 'DESIGNATED', AdministratorAccount: result.delegatedAdminAccountId ?? wanted } };
}
