/**
 * Amazon Inspector's ECR scanning across the organization, from the
 * delegated administrator (`Custom::EcrInspectorOrganization`): auto-enable
 * for accounts that join and, when asked, scanning for the members now.
 */
import {
  AssociateMemberCommand,
  DescribeOrganizationConfigurationCommand,
  EnableCommand,
  ListMembersCommand,
  UpdateOrganizationConfigurationCommand,
} from '@aws-sdk/client-inspector2';
/* eslint-enable import/no-extraneous-dependencies */
import { isRefusal, placementOf } from './placement';
import { CustomResourceEvent, Dependencies, Outcome, progress } from './request';
import { ORGANIZATION_ID, ORGANIZATION_TYPE } from './resource-types';
import { call } from './retry';
import { accountOf, stackView } from './stack';

/** Accounts per inspector2:Enable request. */
const ENABLE_BATCH = 100;

/** The organization's ECR auto-enable: `inspector-organization-ecr:owns=0|1`. */
export function parseOrganizationId(physicalId: string | undefined): { owns: boolean } | undefined {
  const m = physicalId?.match(/^inspector-organization-ecr:owns=([01])$/);
  return m ? { owns: m[1] === '1' } : undefined;
}

/**
 * The delegated administrator turns on ECR scanning for the organization:
 * auto-enable for accounts that join (keeping the other resource types'
 * auto-enable as they are) and, when asked, Enable for every associated
 * member now. A delete turns auto-enable for ECR off again only when this
 * resource turned it on, the user opted in, and no other resource of the
 * stack relies on it; members' scanning is never turned off.
 */
export async function organization(event: CustomResourceEvent, deps: Dependencies): Promise<Outcome> {
  const props = event.ResourceProperties;
  const physicalId = event.PhysicalResourceId;
  if (event.RequestType === 'Delete') {
    const record = parseOrganizationId(physicalId);
    const kept = (reason: string): Outcome => ({ PhysicalResourceId: physicalId ?? `${ORGANIZATION_ID}:none`, Data: { Action: 'KEPT', Reason: reason } });
    if (props.DisableOnDelete !== 'true') return kept('disableOnDelete is not set');
    if (!record?.owns) return kept('this resource did not turn auto-enable on');
    const stack = await stackView(event, deps, ORGANIZATION_TYPE);
    if (stack === undefined) return kept('the stack\'s resources could not be read, so another owner cannot be ruled out');
    if (stack.replaced) return kept('replaced by a newer record of the same resource');
    if (stack.others.length > 0) return kept(`${stack.others[0].logicalId} of the same stack still uses it`);
    try {
      const config = await call(deps, 'inspector2:DescribeOrganizationConfiguration', () => deps.inspector.send(new DescribeOrganizationConfigurationCommand({})));
      if (!config.autoEnable?.ecr) return kept('auto-enable for ECR is already off');
      await call(deps, 'inspector2:UpdateOrganizationConfiguration', () => deps.inspector.send(new UpdateOrganizationConfigurationCommand({ autoEnable: { ec2: false, ...config.autoEnable, ecr: false } })));
    } catch (e: any) {
      if (isRefusal(e?.cause ?? e)) return kept(`not permitted: ${e?.message ?? e}`);
      throw e;
    }
    return { PhysicalResourceId: physicalId!, Data: { Action: 'AUTO_ENABLE_OFF' } };
  }

  const placement = await placementOf(deps, accountOf(event));
  if (placement.role !== 'DELEGATED_ADMINISTRATOR' && placement.role !== 'UNKNOWN') {
    throw new Error(placement.role === 'MEMBER'
      ? `this account is a member of Amazon Inspector's organization, whose delegated administrator is ${placement.administrator}: deploy the organization configuration there`
      : 'Amazon Inspector has no delegated administrator in this region: designate one from the management account (InspectorDelegatedAdministrator) and deploy the organization configuration in it');
  }
  const previous = event.RequestType === 'Update' ? parseOrganizationId(physicalId) : undefined;
  const config = await call(deps, 'inspector2:DescribeOrganizationConfiguration', () => deps.inspector.send(new DescribeOrganizationConfigurationCommand({})));
  let owns = previous?.owns ?? false;
  const data: Record<string, string> = { Role: placement.role };
  if (config.autoEnable?.ecr) {
    data.AutoEnable = 'ALREADY_ON';
  } else {
    await call(deps, 'inspector2:UpdateOrganizationConfiguration', () => deps.inspector.send(new UpdateOrganizationConfigurationCommand({
      autoEnable: { ec2: false, ...config.autoEnable, ecr: true },
    })));
    owns = true;
    data.AutoEnable = 'TURNED_ON';
  }
  const id = `${ORGANIZATION_ID}:owns=${owns ? 1 : 0}`;
  progress.set(event, id);
  if (props.EnableExistingMembers === 'true') Object.assign(data, await enableExistingMembers(deps, accountOf(event)));
  return { PhysicalResourceId: id, Data: data };
}

/** Member statuses that an association cannot change (the account is gone, suspended or out of the region). */
const NOT_ASSOCIABLE = new Set(['ACCOUNT_SUSPENDED', 'REGION_DISABLED', 'DELETED']);
/** Enable answers for accounts whose ECR scanning is on, or turning on. */
const ENABLED_ALREADY = new Set(['ALREADY_ENABLED', 'ENABLE_IN_PROGRESS']);
/** Time kept from the budget when associating and enabling members, so the response is still sent in time. */
const MEMBERS_RESERVE_MS = 60_000;

/** Every member of Inspector's organization, associated or not, with its relationship status. */
async function listMembers(deps: Dependencies, onlyAssociated: boolean): Promise<Array<{ accountId: string; status: string }>> {
  const out: Array<{ accountId: string; status: string }> = [];
  let nextToken: string | undefined;
  do {
    const page = await call(deps, 'inspector2:ListMembers', () => deps.inspector.send(new ListMembersCommand({ onlyAssociated, nextToken })));
    for (const m of page.members ?? []) if (m.accountId) out.push({ accountId: m.accountId, status: m.relationshipStatus ?? '' });
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/**
 * Turns ECR scanning on for the accounts of the organization now. After its
 * designation, the delegated administrator associates the organization's
 * accounts itself (Inspector's documentation), so every account that is not
 * associated is associated first (`inspector2:AssociateMember`, which only
 * starts the association), then ECR scanning is enabled for every associated
 * account, 100 per call (`inspector2:Enable` with `accountIds`); an account
 * whose ECR scanning is already on or turning on counts as enabled. Accounts
 * that cannot be associated or enabled (suspended, leaving) are reported in
 * `MembersFailed`, not fatal; accounts whose association has not completed,
 * or that the time budget did not reach, are counted in `MembersPending`.
 */
async function enableExistingMembers(deps: Dependencies, self: string | undefined): Promise<Record<string, string>> {
  const failed: string[] = [];
  const inTime = () => deps.now() + MEMBERS_RESERVE_MS < deps.deadline;
  const all = (await listMembers(deps, false)).filter((m) => m.accountId !== self);
  const toAssociate = all.filter((m) => m.status !== 'ENABLED' && !NOT_ASSOCIABLE.has(m.status));
  for (const m of all) if (NOT_ASSOCIABLE.has(m.status)) failed.push(`${m.accountId} ${m.status}`);
  const started: string[] = [];
  let notStarted = 0;
  for (const m of toAssociate) {
    if (!inTime()) {
      notStarted++;
      continue;
    }
    try {
      await call(deps, 'inspector2:AssociateMember', () => deps.inspector.send(new AssociateMemberCommand({ accountId: m.accountId })));
      started.push(m.accountId);
    } catch (e: any) {
      const cause = e?.cause ?? e;
      failed.push(`${m.accountId} ${cause?.name ?? 'Error'}`);
    }
  }
  // Association completes asynchronously: wait, within the budget, for the accounts it started.
  let associated = new Set((await listMembers(deps, true)).map((m) => m.accountId));
  const waiting = () => started.some((a) => !associated.has(a));
  for (let delay = 2_000; waiting() && delay <= 32_000 && deps.now() + delay + MEMBERS_RESERVE_MS < deps.deadline; delay *= 2) {
    await deps.sleep(delay);
    associated = new Set((await listMembers(deps, true)).map((m) => m.accountId));
  }
  associated.delete(self ?? '');
  const members = [...associated];
  let enabled = 0;
  let pending = notStarted + started.filter((a) => !associated.has(a)).length;
  for (let i = 0; i < members.length; i += ENABLE_BATCH) {
    const batch = members.slice(i, i + ENABLE_BATCH);
    if (!inTime()) {
      pending += members.length - i;
      break;
    }
    const result = await call(deps, 'inspector2:Enable', () => deps.inspector.send(new EnableCommand({ accountIds: batch, resourceTypes: ['ECR'] })));
    const refused = (result.failedAccounts ?? []).filter((f) => !ENABLED_ALREADY.has(f.errorCode ?? ''));
    for (const f of refused) failed.push(`${f.accountId} ${f.errorCode}`);
    enabled += batch.length - refused.length;
  }
  return {
    MembersAssociated: String(started.length),
    MembersEnabled: String(enabled),
    MembersPending: String(Math.max(0, pending)),
    // Suspended or leaving accounts cannot be enabled: reported, not fatal.
    MembersFailed: failed.join(',').slice(0, 1000),
  };
}
