/**
 * Amazon Inspector scanning of ECR images in this account
 * (`Custom::EcrInspectorScanning`): enables it, sets the rescan durations,
 * and records in the physical ID what it changed and what was there before.
 * In a member account it leaves alone what the delegated administrator owns
 * and reports what it skipped. A delete undoes only what this resource (or
 * the one of the same stack it took over from) did, only when the user
 * opted in, and never while another resource of the stack relies on it.
 */
import {
  BatchGetAccountStatusCommand,
  DisableCommand,
  EnableCommand,
  GetConfigurationCommand,
  UpdateConfigurationCommand,
} from '@aws-sdk/client-inspector2';
/* eslint-enable import/no-extraneous-dependencies */
import { Placement, isRefusal, placementOf } from './placement';
import { CustomResourceEvent, Dependencies, Outcome, PartialFailure, progress } from './request';
import { INSPECTOR_ID, INSPECTOR_TYPE } from './resource-types';
import { call } from './retry';
import { accountOf, othersInStack, stackView } from './stack';

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

class Report {
  public readonly skipped: string[] = [];
  public readonly data: Record<string, string> = {};
  public skip(what: string): void {
    if (!this.skipped.includes(what)) this.skipped.push(what);
  }
}

export async function inspector(event: CustomResourceEvent, deps: Dependencies): Promise<Outcome> {
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
