/**
 * An ECR account setting (`Custom::EcrAccountSetting`, PutAccountSetting):
 * sets the value and records the one found before in the physical ID; a
 * delete puts that value back only when the user opted in, the value is
 * still the one this resource set, ECR still accepts the recorded value,
 * and no other resource of the stack sets the same name.
 */
import { GetAccountSettingCommand, PutAccountSettingCommand } from '@aws-sdk/client-ecr';
/* eslint-enable import/no-extraneous-dependencies */
import { CustomResourceEvent, Dependencies, Outcome } from './request';
import { SETTING_ID, SETTING_TYPE } from './resource-types';
import { call } from './retry';
import { othersInStack, stackView } from './stack';
import { accountSettingSettable } from '../../internal/ecr-facts';

const SETTING_NAMES = new Set(['BASIC_SCAN_TYPE_VERSION', 'REGISTRY_POLICY_SCOPE', 'BLOB_MOUNTING']);

function parseSettingId(physicalId: string | undefined): { name: string; prior: string | undefined } | undefined {
  const m = physicalId?.match(new RegExp(`^${SETTING_ID}:([A-Z_]+)(?::prior=([A-Za-z0-9_]*))?$`));
  if (!m) return undefined;
  return { name: m[1], prior: m[2] ? m[2] : undefined };
}

export async function accountSetting(event: CustomResourceEvent, deps: Dependencies): Promise<Outcome> {
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
