/**
 * Custom resource handler for the registry settings that have no
 * CloudFormation resource: Amazon Inspector scanning of ECR images (enable,
 * rescan durations) and the ECR account settings (PutAccountSetting).
 *
 * The AWS SDK v3 clients come from the Lambda Node.js runtime: the bundle
 * marks `@aws-sdk/*` external, so deployments carry a few kilobytes and
 * install nothing from the network.
 *
 * What it promises:
 * - It knows the account's place in Amazon Inspector's organization
 *   (standalone, member of a delegated administrator, the delegated
 *   administrator itself) and, in a member account, leaves alone what the
 *   administrator owns (enabling, rescan durations, disabling): it reports
 *   what it skipped in the response data instead of failing.
 * - It records what it changed, and what was there before, in the physical
 *   resource ID (CloudFormation hands it back on update and delete, also
 *   after a failed create). A delete undoes only what this resource (or the
 *   resource of the same stack it took over from) changed, only when the
 *   user opted in, only if the value is still the one it set, and never
 *   while another resource of the same stack still relies on it.
 * - It always answers CloudFormation: within a time budget taken from the
 *   Lambda context and the custom resource's service timeout, with a
 *   response of at most 4,096 bytes, sent again when the upload fails.
 */
/* eslint-disable import/no-extraneous-dependencies */
import * as https from 'https';
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { ECRClient, GetAccountSettingCommand, PutAccountSettingCommand } from '@aws-sdk/client-ecr';
import {
  AssociateMemberCommand,
  BatchGetAccountStatusCommand,
  DescribeOrganizationConfigurationCommand,
  DisableCommand,
  DisableDelegatedAdminAccountCommand,
  EnableCommand,
  EnableDelegatedAdminAccountCommand,
  GetConfigurationCommand,
  GetDelegatedAdminAccountCommand,
  Inspector2Client,
  ListDelegatedAdminAccountsCommand,
  ListMembersCommand,
  UpdateConfigurationCommand,
  UpdateOrganizationConfigurationCommand,
} from '@aws-sdk/client-inspector2';
/* eslint-enable import/no-extraneous-dependencies */
import { accountSettingSettable } from '../internal/ecr-facts';

/** The CloudFormation custom resource request fields this handler reads. */
export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResourceProperties: Record<string, string | undefined>;
  readonly OldResourceProperties?: Record<string, string | undefined>;
  readonly PhysicalResourceId?: string;
  readonly ResponseURL?: string;
  readonly StackId?: string;
  readonly RequestId?: string;
  readonly LogicalResourceId?: string;
  readonly ResourceType?: string;
}

/** What a request produced. */
export interface Outcome {
  readonly PhysicalResourceId: string;
  readonly Data: Record<string, string>;
}

/** The clients and clock the handler uses; tests pass their own. */
export interface Dependencies {
  readonly inspector: Inspector2Client;
  readonly ecr: ECRClient;
  /** Reads the stack's own resources (ownership); absent: ownership is judged from the physical ID alone. */
  readonly cloudformation?: CloudFormationClient;
  readonly sleep: (ms: number) => Promise<void>;
  /** The current time in milliseconds. */
  readonly now: () => number;
  /** The time (as `now()` counts) by which the request must be handled, leaving time to respond. */
  readonly deadline: number;
  /** The first retry delay of a transient error, doubled each attempt. */
  readonly retryBaseMs: number;
  /** Attempts of one call before a transient error fails the request. */
  readonly maxAttempts: number;
}

/** A failure that carries the physical ID recording what was done before it. */
export class PartialFailure extends Error {
  constructor(message: string, public readonly physicalResourceId: string) {
    super(message);
    this.name = 'PartialFailure';
  }
}

const INSPECTOR_ID = 'inspector-ecr';
const SETTING_ID = 'ecr-account-setting';
const INSPECTOR_TYPE = 'Custom::EcrInspectorScanning';
const SETTING_TYPE = 'Custom::EcrAccountSetting';
const SETTING_NAMES = new Set(['BASIC_SCAN_TYPE_VERSION', 'REGISTRY_POLICY_SCOPE', 'BLOB_MOUNTING']);

/** The physical ID recording what a request has done so far, for a response sent when its time runs out. */
const progress = new WeakMap<CustomResourceEvent, string>();

/** Handles one request: returns the outcome or throws the error to report. */
export async function handle(event: CustomResourceEvent, deps: Dependencies): Promise<Outcome> {
  const props = event.ResourceProperties;
  switch (props.Kind) {
    case 'Inspector':
      return inspector(event, deps);
    case 'AccountSetting':
      return accountSetting(event, deps);
    case 'InspectorDelegatedAdmin':
      return delegatedAdmin(event, deps);
    case 'InspectorOrganization':
      return organization(event, deps);
    default:
      throw new Error(`unknown Kind '${props.Kind}': expected Inspector, AccountSetting, InspectorDelegatedAdmin or InspectorOrganization`);
  }
}

// ---------------------------------------------------------------------------
// Amazon Inspector

/** The account's place in Amazon Inspector's organization. */
export type Role = 'STANDALONE' | 'DELEGATED_ADMINISTRATOR' | 'MEMBER' | 'UNKNOWN';

interface Placement {
  readonly role: Role;
  readonly administrator?: string;
}

/** What an Inspector resource changed, and what it found before. */
interface InspectorRecord {
  /** This resource (or the one of the same stack it took over from) turned ECR scanning on. */
  owns: boolean;
  /** The ECR scanning status found by the create. */
  prior: string;
  /** The rescan configuration found before this resource first set it (rescanDuration, pullDateRescanDuration, pullDateRescanMode). */
  rescan?: RescanConfig;
}

/** rescanDuration, pullDateRescanDuration, pullDateRescanMode ('' when unset). */
type RescanConfig = [string, string, string];

function formatInspectorId(r: InspectorRecord): string {
  const config = r.rescan ? `:rescan=${r.rescan.join(',')}` : '';
  return `${INSPECTOR_ID}:v2:owns=${r.owns ? 1 : 0}:prior=${r.prior}${config}`;
}

/** Reads a physical ID written by this handler, including the first format (`inspector-ecr:prior=STATUS`). */
export function parseInspectorId(physicalId: string | undefined): InspectorRecord | undefined {
  if (!physicalId) return undefined;
  const v2 = physicalId.match(/^inspector-ecr:v2:owns=([01]):prior=([A-Z_]*)(?::rescan=([A-Z0-9_]*),([A-Z0-9_]*),([A-Z_]*))?$/);
  if (v2) {
    return { owns: v2[1] === '1', prior: v2[2], rescan: v2[3] !== undefined ? [v2[3], v2[4], v2[5]] : undefined };
  }
  const v1 = physicalId.match(/^inspector-ecr:prior=([A-Z_]+)$/);
  if (v1) return { owns: v1[1] !== 'ENABLED', prior: v1[1] };
  return undefined;
}

/** Finds the account's role from Inspector's delegated administrator. */
async function placementOf(deps: Dependencies, account: string | undefined): Promise<Placement> {
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
function isRefusal(e: any): boolean {
  return e?.name === 'AccessDeniedException' || e?.name === 'ValidationException'
    || /member account/i.test(String(e?.message ?? ''));
}

class Report {
  public readonly skipped: string[] = [];
  public readonly data: Record<string, string> = {};
  public skip(what: string): void {
    if (!this.skipped.includes(what)) this.skipped.push(what);
  }
}

async function inspector(event: CustomResourceEvent, deps: Dependencies): Promise<Outcome> {
  if (event.RequestType === 'Delete') return inspectorDelete(event, deps);
  const account = accountOf(event);
  const report = new Report();
  const update = event.RequestType === 'Update';
  const recorded = update ? parseInspectorId(event.PhysicalResourceId) : undefined;
  const record: InspectorRecord = recorded ? { ...recorded } : { owns: false, prior: '' };
  // What to report if this request fails part way: an update keeps its
  // physical ID; a create returns what it did, so the rollback undoes it.
  const failedId = (): string => (update && event.PhysicalResourceId) ? event.PhysicalResourceId : formatInspectorId({ ...record, prior: record.prior || 'UNKNOWN' });
  try {
    const placement = await placementOf(deps, account);
    report.data.Role = placement.role;
    if (placement.administrator) report.data.DelegatedAdministrator = placement.administrator;
    // The delegated administrator's rescan durations apply to every member.
    if (placement.role === 'DELEGATED_ADMINISTRATOR') report.data.Scope = 'ORGANIZATION';
    const member = placement.role === 'MEMBER';

    const before = await settled(deps);
    if (!recorded) record.prior = before;
    let action = 'ALREADY_ENABLED';

    // A construct moved to a new logical ID: the new resource finds
    // scanning on and takes over the record of the old one, whose delete
    // then leaves it on.
    if (!update && before === 'ENABLED') {
      const previous = (await othersInStack(event, deps, INSPECTOR_TYPE)).map((o) => parseInspectorId(o.physicalId)).find((r) => r?.owns);
      if (previous) {
        record.owns = true;
        record.prior = previous.prior;
        record.rescan = previous.rescan;
        report.data.TookOver = 'true';
      }
    }

    if (before !== 'ENABLED') {
      if (member) {
        report.skip('Enable');
        action = 'LEFT_TO_ADMINISTRATOR';
      } else {
        const enabled = await adminOwned(placement, report, 'Enable', async () => {
          const result = await call(deps, 'inspector2:Enable', () => deps.inspector.send(new EnableCommand({ resourceTypes: ['ECR'] })));
          const failed = result.failedAccounts ?? [];
          if (failed.length > 0) {
            throw Object.assign(new Error(`Amazon Inspector could not be enabled for ECR: ${failed.map((f) => `${f.accountId}: ${f.errorCode} ${f.errorMessage}`).join('; ')}`), {
              name: failed.some((f) => f.errorCode === 'ACCESS_DENIED') ? 'AccessDeniedException' : 'EnableFailed',
            });
          }
        });
        if (enabled) {
          // From here on, this resource owns scanning: a rollback turns it off again.
          record.owns = true;
          progress.set(event, failedId());
          const after = await settled(deps);
          if (after !== 'ENABLED') throw new Error(`Amazon Inspector scanning of ECR is ${after} after enabling: expected ENABLED`);
          action = 'ENABLED';
        } else {
          action = 'LEFT_TO_ADMINISTRATOR';
        }
      }
    }

    await rescan(event, deps, placement, record, report);

    report.data.Action = action;
    report.data.PriorStatus = record.prior;
    report.data.Skipped = report.skipped.join(',');
    return { PhysicalResourceId: formatInspectorId(record), Data: report.data };
  } catch (e: any) {
    throw new PartialFailure(e?.message ?? String(e), failedId());
  }
}

/** Sets, or gives back when dropped, the rescan durations. */
async function rescan(event: CustomResourceEvent, deps: Dependencies, placement: Placement, record: InspectorRecord, report: Report): Promise<void> {
  const props = event.ResourceProperties;
  const member = placement.role === 'MEMBER';
  if (props.RescanDuration) {
    if (member) {
      report.skip('UpdateConfiguration');
      return;
    }
    if (!record.rescan) {
      const found = await currentRescan(deps, placement, report);
      if (found === undefined) return;
      record.rescan = found;
    }
    await adminOwned(placement, report, 'UpdateConfiguration', () => call(deps, 'inspector2:UpdateConfiguration', () => deps.inspector.send(new UpdateConfigurationCommand({
      ecrConfiguration: {
        rescanDuration: props.RescanDuration as any,
        pullDateRescanDuration: (props.PullDateRescanDuration || undefined) as any,
        pullDateRescanMode: (props.PullDateRescanMode || undefined) as any,
      },
    }))));
    return;
  }
  // rescanDuration was dropped: give back the recorded configuration if
  // the current one is still the one this resource set.
  if (!record.rescan) return;
  const recordedRescan = record.rescan;
  record.rescan = undefined;
  if (member) {
    report.skip('UpdateConfiguration');
    return;
  }
  const restored = await restoreRescan(event.OldResourceProperties ?? {}, recordedRescan, deps, placement, report);
  report.data.Rescan = restored;
}

async function currentRescan(deps: Dependencies, placement: Placement, report: Report): Promise<RescanConfig | undefined> {
  let found: RescanConfig | undefined;
  await adminOwned(placement, report, 'GetConfiguration', async () => {
    const config = await call(deps, 'inspector2:GetConfiguration', () => deps.inspector.send(new GetConfigurationCommand({})));
    const state = config.ecrConfiguration?.rescanDurationState;
    found = [state?.rescanDuration ?? '', state?.pullDateRescanDuration ?? '', state?.pullDateRescanMode ?? ''];
  });
  return found;
}

/** Writes the recorded rescan configuration back if the current one is what `set` asked for. */
async function restoreRescan(
  set: Record<string, string | undefined>, recorded: RescanConfig, deps: Dependencies, placement: Placement, report: Report,
): Promise<string> {
  const current = await currentRescan(deps, placement, report);
  if (current === undefined) return 'LEFT';
  const ours = current[0] === set.RescanDuration
    && (!set.PullDateRescanDuration || current[1] === set.PullDateRescanDuration)
    && (!set.PullDateRescanMode || current[2] === set.PullDateRescanMode);
  if (!ours) return 'LEFT_CHANGED_SINCE';
  if (!recorded[0]) return 'LEFT_NOTHING_RECORDED';
  const done = await adminOwned(placement, report, 'UpdateConfiguration', () => call(deps, 'inspector2:UpdateConfiguration', () => deps.inspector.send(new UpdateConfigurationCommand({
    ecrConfiguration: {
      rescanDuration: recorded[0] as any,
      pullDateRescanDuration: (recorded[1] || undefined) as any,
      pullDateRescanMode: (recorded[2] || undefined) as any,
    },
  }))));
  return done ? 'RESTORED' : 'LEFT';
}

/**
 * Runs a change the delegated administrator may own. When the account's
 * role is unknown, a refusal is reported as skipped instead of failing.
 */
async function adminOwned(placement: Placement, report: Report, what: string, fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (e: any) {
    const cause = e?.cause ?? e;
    if (placement.role === 'UNKNOWN' && isRefusal(cause)) {
      report.skip(what);
      return false;
    }
    throw e;
  }
}

async function inspectorDelete(event: CustomResourceEvent, deps: Dependencies): Promise<Outcome> {
  const props = event.ResourceProperties;
  const physicalId = event.PhysicalResourceId ?? `${INSPECTOR_ID}:none`;
  const kept = (reason: string, extra: Record<string, string> = {}): Outcome => ({ PhysicalResourceId: physicalId, Data: { Action: 'KEPT', Reason: reason, ...extra } });
  const record = parseInspectorId(event.PhysicalResourceId);
  if (props.DisableOnDelete !== 'true') return kept('disableOnDelete is not set');
  if (!record) return kept('nothing recorded');
  if (!record.owns && !record.rescan) return kept('this resource did not turn scanning on');

  const stack = await stackView(event, deps, INSPECTOR_TYPE);
  if (stack === undefined) return kept('the stack\'s resources could not be read, so another owner cannot be ruled out');
  if (stack.replaced) return kept('replaced by a newer record of the same resource');
  if (stack.others.length > 0) return kept(`${stack.others[0].logicalId} of the same stack still uses it`);

  const report = new Report();
  const placement = await placementOf(deps, accountOf(event));
  report.data.Role = placement.role;
  if (placement.administrator) report.data.DelegatedAdministrator = placement.administrator;
  if (placement.role === 'MEMBER') {
    report.skip(record.owns ? 'Disable' : 'UpdateConfiguration');
    return { PhysicalResourceId: physicalId, Data: { ...report.data, Action: 'LEFT_TO_ADMINISTRATOR', Skipped: report.skipped.join(',') } };
  }

  if (record.owns) {
    // Turning scanning off also drops its configuration: nothing else to give back.
    if (await ecrStatus(deps) === 'ENABLED') {
      const done = await adminOwned(placement, report, 'Disable', () => call(deps, 'inspector2:Disable', () => deps.inspector.send(new DisableCommand({ resourceTypes: ['ECR'] }))));
      if (done) return { PhysicalResourceId: physicalId, Data: { ...report.data, Action: 'DISABLED', Skipped: '' } };
    }
  } else if (record.rescan) {
    report.data.Rescan = await restoreRescan(props, record.rescan, deps, placement, report);
  }
  return { PhysicalResourceId: physicalId, Data: { ...report.data, Action: 'KEPT', Skipped: report.skipped.join(',') } };
}

// ---------------------------------------------------------------------------
// Amazon Inspector across an organization

const ADMIN_ID = 'inspector-delegated-admin';
const ADMIN_TYPE = 'Custom::EcrInspectorDelegatedAdmin';
const ORGANIZATION_ID = 'inspector-organization-ecr';
const ORGANIZATION_TYPE = 'Custom::EcrInspectorOrganization';
/** Accounts per inspector2:Enable request. */
const ENABLE_BATCH = 100;

/** The delegated administrator designation: `inspector-delegated-admin:ACCOUNT:owns=0|1`. */
export function parseAdminId(physicalId: string | undefined): { account: string; owns: boolean } | undefined {
  const m = physicalId?.match(/^inspector-delegated-admin:(\d{12}):owns=([01])$/);
  return m ? { account: m[1], owns: m[2] === '1' } : undefined;
}

/** The organization's ECR auto-enable: `inspector-organization-ecr:owns=0|1`. */
export function parseOrganizationId(physicalId: string | undefined): { owns: boolean } | undefined {
  const m = physicalId?.match(/^inspector-organization-ecr:owns=([01])$/);
  return m ? { owns: m[1] === '1' } : undefined;
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
async function delegatedAdmin(event: CustomResourceEvent, deps: Dependencies): Promise<Outcome> {
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

/**
 * The delegated administrator turns on ECR scanning for the organization:
 * auto-enable for accounts that join (keeping the other resource types'
 * auto-enable as they are) and, when asked, Enable for every associated
 * member now. A delete turns auto-enable for ECR off again only when this
 * resource turned it on, the user opted in, and no other resource of the
 * stack relies on it; members' scanning is never turned off.
 */
async function organization(event: CustomResourceEvent, deps: Dependencies): Promise<Outcome> {
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

/** The ECR scanning status of this account in Amazon Inspector. */
async function ecrStatus(deps: Dependencies): Promise<string> {
  const result = await call(deps, 'inspector2:BatchGetAccountStatus', () => deps.inspector.send(new BatchGetAccountStatusCommand({})));
  const failed = result.failedAccounts ?? [];
  if (failed.length > 0) {
    throw new Error(`Amazon Inspector account status unavailable: ${failed.map((f) => `${f.errorCode} ${f.errorMessage}`).join('; ')}`);
  }
  return result.accounts?.[0]?.resourceState?.ecr?.status ?? 'DISABLED';
}

const TRANSITIONAL = new Set(['ENABLING', 'DISABLING', 'SUSPENDING']);

/** Waits, within the time budget, until the ECR status is no longer in transition. */
async function settled(deps: Dependencies): Promise<string> {
  const start = deps.now();
  let delay = 2_000;
  for (;;) {
    const status = await ecrStatus(deps);
    if (!TRANSITIONAL.has(status)) return status;
    if (deps.now() + delay >= deps.deadline) {
      throw new Error(`Amazon Inspector scanning of ECR is still ${status} after ${Math.round((deps.now() - start) / 1000)} s: retry the deployment later`);
    }
    await deps.sleep(delay);
    delay = Math.min(delay * 2, 30_000);
  }
}

// ---------------------------------------------------------------------------
// ECR account settings

function parseSettingId(physicalId: string | undefined): { name: string; prior: string | undefined } | undefined {
  const m = physicalId?.match(new RegExp(`^${SETTING_ID}:([A-Z_]+)(?::prior=([A-Za-z0-9_]*))?$`));
  if (!m) return undefined;
  return { name: m[1], prior: m[2] ? m[2] : undefined };
}

async function accountSetting(event: CustomResourceEvent, deps: Dependencies): Promise<Outcome> {
  const props = event.ResourceProperties;
  const name = props.Name;
  const value = props.Value;
  if (!name) throw new Error('Name is missing');
  if (event.RequestType === 'Delete') return settingDelete(event, deps, name);
  if (!SETTING_NAMES.has(name)) throw new Error(`unknown account setting '${name}': expected one of ${[...SETTING_NAMES].join(', ')}`);

  if (!value) throw new Error(`Value of ${name} is missing`);
  const recorded = parseSettingId(event.PhysicalResourceId);
  const keep = event.RequestType === 'Update' && recorded?.name === name;
  const current = await call(deps, 'ecr:GetAccountSetting', () => deps.ecr.send(new GetAccountSettingCommand({ name })));
  let before = current.value;
  let action = 'UNCHANGED';
  const data: Record<string, string> = {};
  if (before !== value) {
    await put(deps, name, value);
    action = 'SET';
  } else if (!keep) {
    // A construct moved to a new logical ID: take over the record of the
    // resource of the same stack that set this value.
    const previous = (await othersInStack(event, deps, SETTING_TYPE))
      .map((o) => parseSettingId(o.physicalId))
      .find((r) => r?.name === name && r.prior !== undefined && r.prior !== value);
    if (previous) {
      before = previous.prior;
      data.TookOver = 'true';
    }
  }
  const physicalId = keep ? event.PhysicalResourceId! : `${SETTING_ID}:${name}:prior=${before ?? ''}`;
  return { PhysicalResourceId: physicalId, Data: { ...data, Action: action, Value: value } };
}

async function settingDelete(event: CustomResourceEvent, deps: Dependencies, name: string): Promise<Outcome> {
  const props = event.ResourceProperties;
  const physicalId = event.PhysicalResourceId ?? `${SETTING_ID}:${name}`;
  const kept = (reason: string): Outcome => ({ PhysicalResourceId: physicalId, Data: { Action: 'KEPT', Reason: reason } });
  const recorded = parseSettingId(event.PhysicalResourceId);
  if (props.RestoreOnDelete !== 'true') return kept('restoreOnDelete is not set');
  if (!recorded || recorded.prior === undefined || recorded.name !== name) return kept('nothing recorded');
  if (recorded.prior === props.Value) return kept('this resource did not change the value');
  if (!accountSettingSettable(name, recorded.prior)) {
    // ECR no longer sets CLAIR or V1: the call would fail the delete. Under
    // V1, registry policy statements that need V2 (any action beyond
    // replication and pull through cache) would stop working too.
    const v2 = name === 'REGISTRY_POLICY_SCOPE' ? ', and registry policy statements written for V2 would stop working' : '';
    return kept(`${name} is never put back to ${recorded.prior}: ECR no longer sets that value${v2}`);
  }
  const stack = await stackView(event, deps, SETTING_TYPE, (id) => parseSettingId(id)?.name === name);
  if (stack === undefined) return kept('the stack\'s resources could not be read, so another owner cannot be ruled out');
  if (stack.others.length > 0) return kept(`${stack.others[0].logicalId} of the same stack still sets ${name}`);
  const current = await call(deps, 'ecr:GetAccountSetting', () => deps.ecr.send(new GetAccountSettingCommand({ name })));
  if (current.value !== props.Value) return kept(`${name} is ${current.value ?? 'unset'}, not ${props.Value}: changed since this resource set it`);
  await put(deps, name, recorded.prior);
  return { PhysicalResourceId: physicalId, Data: { Action: 'RESTORED', Value: recorded.prior } };
}

async function put(deps: Dependencies, name: string, value: string): Promise<void> {
  await call(deps, 'ecr:PutAccountSetting', () => deps.ecr.send(new PutAccountSettingCommand({ name, value })));
}

// ---------------------------------------------------------------------------
// The stack's own resources

interface StackResource {
  readonly logicalId: string;
  readonly physicalId: string;
}

/** The account ID of the request, from the stack ARN. */
function accountOf(event: CustomResourceEvent): string | undefined {
  const fromArn = (arn: string | undefined) => arn?.split(':')[4] || undefined;
  return fromArn(event.StackId) ?? fromArn(event.ResourceProperties.ServiceToken);
}

interface StackEntry extends StackResource {
  readonly type: string;
  readonly status: string;
}

async function listStack(event: CustomResourceEvent, deps: Dependencies): Promise<StackEntry[] | undefined> {
  if (!deps.cloudformation || !event.StackId) return undefined;
  const out: StackEntry[] = [];
  let token: string | undefined;
  do {
    const page = await call(deps, 'cloudformation:ListStackResources', () => deps.cloudformation!.send(new ListStackResourcesCommand({ StackName: event.StackId, NextToken: token })));
    for (const r of page.StackResourceSummaries ?? []) {
      out.push({ logicalId: r.LogicalResourceId ?? '', physicalId: r.PhysicalResourceId ?? '', type: r.ResourceType ?? '', status: r.ResourceStatus ?? '' });
    }
    token = page.NextToken;
  } while (token);
  return out;
}

function live(status: string): boolean {
  return !status.startsWith('DELETE_') && status !== 'CREATE_FAILED';
}

/** The other live resources of this type in the same stack (empty when the stack cannot be read). */
async function othersInStack(event: CustomResourceEvent, deps: Dependencies, type: string): Promise<StackResource[]> {
  try {
    const all = await listStack(event, deps);
    return (all ?? []).filter((r) => r.type === type && r.logicalId !== event.LogicalResourceId && live(r.status));
  } catch {
    return [];
  }
}

/**
 * What a delete needs to know of its stack: whether this physical ID was
 * replaced by a newer one of the same logical resource, and which other
 * live resources of the same type (matching `same`) remain. Undefined when
 * the stack cannot be read.
 */
async function stackView(
  event: CustomResourceEvent, deps: Dependencies, type: string, same: (physicalId: string) => boolean = () => true,
): Promise<{ replaced: boolean; others: StackResource[] } | undefined> {
  if (!deps.cloudformation || !event.StackId) return { replaced: false, others: [] };
  let all;
  try {
    all = await listStack(event, deps);
  } catch (e: any) {
    console.error(e);
    return undefined;
  }
  if (all === undefined) return { replaced: false, others: [] };
  const self = all.find((r) => r.logicalId === event.LogicalResourceId);
  const prefixes: Record<string, string> = { [INSPECTOR_TYPE]: INSPECTOR_ID, [ADMIN_TYPE]: ADMIN_ID, [ORGANIZATION_TYPE]: ORGANIZATION_ID };
  const prefix = `${prefixes[type] ?? SETTING_ID}:`;
  const replaced = self !== undefined && self.physicalId !== '' && self.physicalId !== event.PhysicalResourceId && self.physicalId.startsWith(prefix) && live(self.status);
  const others = all.filter((r) => r.type === type && r.logicalId !== event.LogicalResourceId && live(r.status) && same(r.physicalId));
  return { replaced, others };
}

// ---------------------------------------------------------------------------
// Calls, retries and the time budget

/** Errors that are never retried: quotas do not recover in seconds. */
const QUOTA = new Set(['LimitExceededException', 'ServiceQuotaExceededException']);

const TRANSIENT = new Set([
  'ThrottlingException', 'TooManyRequestsException', 'Throttling', 'RequestLimitExceeded',
  'InternalServerException', 'ServiceUnavailableException', 'ServerException',
]);

/** Whether an error is worth retrying: throttling and 5xx, never a quota. */
export function isTransient(error: any): boolean {
  if (QUOTA.has(error?.name)) return false;
  if (error?.$retryable) return true;
  if (TRANSIENT.has(error?.name)) return true;
  const status = error?.$metadata?.httpStatusCode;
  return typeof status === 'number' && (status >= 500 || status === 429);
}

function describe(what: string, e: any, attempt: number): Error {
  return Object.assign(new Error(`${what} failed${attempt > 1 ? ` after ${attempt} attempts` : ''}: ${e?.name ?? 'Error'}: ${e?.message ?? String(e)}`), { cause: e });
}

/**
 * Calls the API, retrying transient errors with exponential backoff and
 * full jitter, within the time budget. The SDK clients make one attempt
 * each (see `createClients`): this is the only layer of retries.
 */
async function call<T>(deps: Dependencies, what: string, fn: () => Promise<T>, options: { raw?: boolean } = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    if (deps.now() >= deps.deadline) throw new Error(`${what} not attempted: the time budget of this request is spent`);
    try {
      return await fn();
    } catch (e: any) {
      const delay = Math.random() * deps.retryBaseMs * 2 ** (attempt - 1);
      if (!isTransient(e) || attempt >= deps.maxAttempts || deps.now() + delay >= deps.deadline) {
        if (options.raw && !isTransient(e)) throw e;
        throw describe(what, e, attempt);
      }
      await deps.sleep(delay);
    }
  }
}

// ---------------------------------------------------------------------------
// The Lambda entry point and the response to CloudFormation

/** What the handler reads of the Lambda context. */
export interface LambdaContext {
  getRemainingTimeInMillis(): number;
}

/** Time kept back from the budget to send the response (with retries). */
export const RESPONSE_RESERVE_MS = 20_000;

/** CloudFormation's limit on a custom resource response. */
export const MAX_RESPONSE_BYTES = 4_096;

/**
 * The SDK client configuration: one attempt per call (the handler's own
 * retries are the only layer) and bounded connection and request times.
 */
export const SDK_CLIENT_CONFIG = {
  maxAttempts: 1,
  requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
};

/** The clients of the Lambda function. */
export function createClients(): Pick<Dependencies, 'inspector' | 'ecr' | 'cloudformation'> {
  return {
    inspector: new Inspector2Client(SDK_CLIENT_CONFIG),
    ecr: new ECRClient(SDK_CLIENT_CONFIG),
    cloudformation: new CloudFormationClient(SDK_CLIENT_CONFIG),
  };
}

/**
 * The time budget of a request: what the Lambda context leaves, capped by
 * the custom resource's service timeout, minus the time kept to respond.
 */
export function budgetMs(event: CustomResourceEvent, context: LambdaContext | undefined): number {
  const remaining = context?.getRemainingTimeInMillis?.() ?? 15 * 60_000;
  const serviceTimeout = Number(event.ResourceProperties?.ServiceTimeout) * 1000;
  const limit = Number.isFinite(serviceTimeout) && serviceTimeout > 0 ? Math.min(remaining, serviceTimeout) : remaining;
  return Math.max(0, limit - RESPONSE_RESERVE_MS);
}

/** The Lambda entry point: handles the request and reports to CloudFormation. */
export async function handler(event: CustomResourceEvent, context?: LambdaContext): Promise<void> {
  const budget = budgetMs(event, context);
  await run(event, {
    ...createClients(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    deadline: Date.now() + budget,
    retryBaseMs: 1_000,
    maxAttempts: 5,
  });
}

/** Handles a request within its deadline and always sends a response. */
export async function run(event: CustomResourceEvent, deps: Dependencies, options: RespondOptions = {}): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the request ran out of its time budget: retry the deployment later')), Math.max(0, deps.deadline - deps.now()));
  });
  let response: Record<string, unknown>;
  try {
    const outcome = await Promise.race([handle(event, deps), timeout]);
    response = { Status: 'SUCCESS', ...outcome };
  } catch (e: any) {
    console.error(e);
    const kinds: Record<string, string> = { Inspector: INSPECTOR_ID, InspectorDelegatedAdmin: ADMIN_ID, InspectorOrganization: ORGANIZATION_ID };
    const kind = kinds[event.ResourceProperties?.Kind ?? ''] ?? SETTING_ID;
    response = {
      Status: 'FAILED',
      Reason: String(e?.message ?? e),
      PhysicalResourceId: e instanceof PartialFailure ? e.physicalResourceId : progress.get(event) ?? event.PhysicalResourceId ?? `${kind}:failed`,
    };
  } finally {
    clearTimeout(timer);
  }
  const body = fitResponse({ ...response, StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId });
  try {
    await respond(event, body, options);
  } catch (e) {
    // Nothing more can be done: CloudFormation fails the resource at its service timeout.
    console.error(e);
  }
}

/**
 * The response document as text of at most 4,096 bytes: the failure reason
 * is cut, by UTF-8 bytes after JSON escaping, without splitting a character.
 */
export function fitResponse(body: Record<string, unknown>): string {
  const full = JSON.stringify(body);
  if (Buffer.byteLength(full) <= MAX_RESPONSE_BYTES) return full;
  const reason = Array.from(String(body.Reason ?? ''));
  const text = (n: number) => JSON.stringify({ ...body, Reason: n < reason.length ? `${reason.slice(0, n).join('')} [cut]` : reason.join('') });
  let lo = 0;
  let hi = reason.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (Buffer.byteLength(text(mid)) <= MAX_RESPONSE_BYTES) lo = mid; else hi = mid - 1;
  }
  const cut = text(lo);
  if (Buffer.byteLength(cut) <= MAX_RESPONSE_BYTES) return cut;
  // Even without a reason it is too large (data): answer with the essentials.
  return JSON.stringify({
    Status: body.Status,
    Reason: 'response too large; see the function\'s log',
    PhysicalResourceId: body.PhysicalResourceId,
    StackId: body.StackId,
    RequestId: body.RequestId,
    LogicalResourceId: body.LogicalResourceId,
  });
}

/** How the response is sent. */
export interface RespondOptions {
  readonly attempts?: number;
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Sends the response document to CloudFormation's pre-signed URL. A
 * network error or a status other than 2xx is tried again, with backoff
 * and jitter, within the time kept back for responding.
 */
export async function respond(event: CustomResourceEvent, text: string, options: RespondOptions = {}): Promise<void> {
  const attempts = options.attempts ?? 4;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const status = await put1(event.ResponseURL!, text, options.timeoutMs ?? 4_000);
      if (status >= 200 && status < 300) return;
      last = new Error(`the response upload answered HTTP ${status}`);
    } catch (e) {
      last = e;
    }
    if (attempt < attempts) await sleep(250 * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
  }
  throw new Error(`the response could not be sent to CloudFormation after ${attempts} attempts: ${(last as any)?.message ?? last}`);
}

function put1(responseUrl: string, text: string, timeoutMs: number): Promise<number> {
  const url = new URL(responseUrl);
  return new Promise((resolve, reject) => {
    const request = https.request({
      hostname: url.hostname,
      path: `${url.pathname}${url.search}`,
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(text) },
      timeout: timeoutMs,
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(text);
  });
}
