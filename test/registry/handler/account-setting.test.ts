import { GetAccountSettingCommand, PutAccountSettingCommand } from '@aws-sdk/client-ecr';
import { deps, ecr, resetMocks, serviceError, settingEvent, stackHolds } from './fixtures';
import { handle } from '../../../src/registry/account-settings.lambda';

/*
 * ECR account settings (Kind AccountSetting, src/registry/handler/account-setting.ts):
 * the value found before is recorded in the physical ID, and a delete puts it back only
 * when asked, when it is still this resource's value, and when ECR still accepts it.
 */

beforeEach(resetMocks);

describe('ECR account setting', () => {
  test('create: records the prior value and sets the new one', async () => {
    ecr.on(GetAccountSettingCommand).resolves({ name: 'BASIC_SCAN_TYPE_VERSION', value: 'CLAIR' });
    ecr.on(PutAccountSettingCommand).resolves({});
    const outcome = await handle(settingEvent('Create'), deps());
    expect(outcome).toEqual({ PhysicalResourceId: 'ecr-account-setting:BASIC_SCAN_TYPE_VERSION:prior=CLAIR', Data: { Action: 'SET', Value: 'AWS_NATIVE' } });
    expect(ecr.commandCalls(PutAccountSettingCommand)[0].args[0].input).toEqual({ name: 'BASIC_SCAN_TYPE_VERSION', value: 'AWS_NATIVE' });
  });

  test('create of BLOB_MOUNTING: sets it like the other settings', async () => {
    ecr.on(GetAccountSettingCommand).resolves({ name: 'BLOB_MOUNTING', value: 'DISABLED' });
    ecr.on(PutAccountSettingCommand).resolves({});
    const outcome = await handle(settingEvent('Create', { Name: 'BLOB_MOUNTING', Value: 'ENABLED' }), deps());
    expect(outcome).toEqual({ PhysicalResourceId: 'ecr-account-setting:BLOB_MOUNTING:prior=DISABLED', Data: { Action: 'SET', Value: 'ENABLED' } });
    expect(ecr.commandCalls(PutAccountSettingCommand)[0].args[0].input).toEqual({ name: 'BLOB_MOUNTING', value: 'ENABLED' });
  });

  test('delete of BLOB_MOUNTING with restoreOnDelete: puts back the recorded value', async () => {
    ecr.on(GetAccountSettingCommand).resolves({ name: 'BLOB_MOUNTING', value: 'ENABLED' });
    ecr.on(PutAccountSettingCommand).resolves({});
    const id = 'ecr-account-setting:BLOB_MOUNTING:prior=DISABLED';
    const outcome = await handle(settingEvent('Delete', { Name: 'BLOB_MOUNTING', Value: 'ENABLED', RestoreOnDelete: 'true' }, id), deps());
    expect(outcome.Data).toEqual({ Action: 'RESTORED', Value: 'DISABLED' });
    expect(ecr.commandCalls(PutAccountSettingCommand)[0].args[0].input).toEqual({ name: 'BLOB_MOUNTING', value: 'DISABLED' });
  });

  test('an unknown setting name fails before any call', async () => {
    await expect(handle(settingEvent('Create', { Name: 'SOMETHING_ELSE', Value: 'X' }), deps())).rejects.toThrow(/unknown account setting 'SOMETHING_ELSE'/);
    expect(ecr.calls()).toHaveLength(0);
  });

  test('create when already set: no write', async () => {
    ecr.on(GetAccountSettingCommand).resolves({ name: 'BASIC_SCAN_TYPE_VERSION', value: 'AWS_NATIVE' });
    const outcome = await handle(settingEvent('Create'), deps());
    expect(outcome.Data.Action).toBe('UNCHANGED');
    expect(ecr.commandCalls(PutAccountSettingCommand)).toHaveLength(0);
  });

  test('update of the value keeps the recorded prior value; a new setting name gets a new physical ID', async () => {
    ecr.on(GetAccountSettingCommand).resolves({ value: 'V1' });
    ecr.on(PutAccountSettingCommand).resolves({});
    const same = await handle(settingEvent('Update', { Value: 'CLAIR' }, 'ecr-account-setting:BASIC_SCAN_TYPE_VERSION:prior=CLAIR'), deps());
    expect(same.PhysicalResourceId).toBe('ecr-account-setting:BASIC_SCAN_TYPE_VERSION:prior=CLAIR');
    const renamed = await handle(settingEvent('Update', { Name: 'REGISTRY_POLICY_SCOPE', Value: 'V2' }, 'ecr-account-setting:BASIC_SCAN_TYPE_VERSION:prior=CLAIR'), deps());
    expect(renamed.PhysicalResourceId).toBe('ecr-account-setting:REGISTRY_POLICY_SCOPE:prior=V1');
  });

  test.each<[string, string, string, string | undefined]>([
    ['default: keeps the value', 'false', 'ecr-account-setting:BLOB_MOUNTING:prior=DISABLED', undefined],
    ['opted in: restores the recorded value', 'true', 'ecr-account-setting:BLOB_MOUNTING:prior=DISABLED', 'DISABLED'],
    ['opted in, nothing recorded: keeps the value', 'true', 'ecr-account-setting:BLOB_MOUNTING:prior=', undefined],
  ])('delete, %s', async (_, restore, physicalId, restored) => {
    ecr.on(GetAccountSettingCommand).resolves({ value: 'ENABLED' });
    ecr.on(PutAccountSettingCommand).resolves({});
    await handle(settingEvent('Delete', { Name: 'BLOB_MOUNTING', Value: 'ENABLED', RestoreOnDelete: restore }, physicalId), deps());
    const calls = ecr.commandCalls(PutAccountSettingCommand);
    expect(calls.map((c) => c.args[0].input.value)).toEqual(restored ? [restored] : []);
  });

  test('restoreOnDelete never puts back CLAIR, which ECR no longer sets (the call would fail the delete)', async () => {
    ecr.on(GetAccountSettingCommand).resolves({ name: 'BASIC_SCAN_TYPE_VERSION', value: 'AWS_NATIVE' });
    ecr.on(PutAccountSettingCommand).resolves({});
    const outcome = await handle(settingEvent('Delete', { RestoreOnDelete: 'true' }, 'ecr-account-setting:BASIC_SCAN_TYPE_VERSION:prior=CLAIR'), deps());
    expect(ecr.commandCalls(PutAccountSettingCommand)).toHaveLength(0);
    expect(outcome.Data).toMatchObject({ Action: 'KEPT', Reason: expect.stringMatching(/never put back to CLAIR: ECR no longer sets that value/) });
  });

  test('given restoreOnDelete and a value someone changed since this resource set it, when the resource is deleted, then the value is left', async () => {
    ecr.on(GetAccountSettingCommand).resolves({ name: 'BLOB_MOUNTING', value: 'DISABLED' });
    ecr.on(PutAccountSettingCommand).resolves({});
    const outcome = await handle(settingEvent('Delete', { Name: 'BLOB_MOUNTING', Value: 'ENABLED', RestoreOnDelete: 'true' }, 'ecr-account-setting:BLOB_MOUNTING:prior=DISABLED'), deps());
    // The recorded value happens to equal today's, but it was set by someone else: nothing is written.
    expect(ecr.commandCalls(PutAccountSettingCommand)).toHaveLength(0);
    expect(outcome.Data).toMatchObject({ Action: 'KEPT', Reason: expect.stringMatching(/changed since this resource set it/) });
  });

  test('given restoreOnDelete and a recorded REGISTRY_POLICY_SCOPE of V1, when the resource is deleted, then V1 is never put back (V2-only registry policy statements would break)', async () => {
    ecr.on(GetAccountSettingCommand).resolves({ name: 'REGISTRY_POLICY_SCOPE', value: 'V2' });
    ecr.on(PutAccountSettingCommand).resolves({});
    const outcome = await handle(settingEvent('Delete', { Name: 'REGISTRY_POLICY_SCOPE', Value: 'V2', RestoreOnDelete: 'true' }, 'ecr-account-setting:REGISTRY_POLICY_SCOPE:prior=V1'), deps());
    expect(ecr.commandCalls(PutAccountSettingCommand)).toHaveLength(0);
    expect(outcome.Data).toMatchObject({ Action: 'KEPT', Reason: expect.stringMatching(/never put back to V1/) });
  });

  test('a moved settings construct: the new resource takes over the recorded prior value, the old one\'s delete leaves the value', async () => {
    ecr.on(GetAccountSettingCommand).resolves({ value: 'ENABLED' });
    ecr.on(PutAccountSettingCommand).resolves({});
    const oldId = 'ecr-account-setting:BLOB_MOUNTING:prior=DISABLED';
    const blob = { Name: 'BLOB_MOUNTING', Value: 'ENABLED' };
    stackHolds(['SettingsBLOBMOUNTING', 'Custom::EcrAccountSetting', oldId, 'UPDATE_COMPLETE']);
    const created = await handle(settingEvent('Create', blob, undefined, { LogicalResourceId: 'PlatformSettingsBLOBMOUNTING' }), deps());
    expect(created.PhysicalResourceId).toBe(oldId);
    expect(created.Data.TookOver).toBe('true');

    stackHolds(['SettingsBLOBMOUNTING', 'Custom::EcrAccountSetting', oldId, 'DELETE_IN_PROGRESS'], ['PlatformSettingsBLOBMOUNTING', 'Custom::EcrAccountSetting', oldId, 'CREATE_COMPLETE']);
    const deleted = await handle(settingEvent('Delete', { ...blob, RestoreOnDelete: 'true' }, oldId, { LogicalResourceId: 'SettingsBLOBMOUNTING' }), deps());
    expect(deleted.Data).toMatchObject({ Action: 'KEPT', Reason: expect.stringMatching(/PlatformSettingsBLOBMOUNTING of the same stack still sets BLOB_MOUNTING/) });
    expect(ecr.commandCalls(PutAccountSettingCommand)).toHaveLength(0);
  });

  test('an invalid value fails with the service message', async () => {
    ecr.on(GetAccountSettingCommand).resolves({ value: 'V1' });
    ecr.on(PutAccountSettingCommand).rejects(serviceError('InvalidParameterException', 'Invalid value V3', 400));
    await expect(handle(settingEvent('Create', { Name: 'REGISTRY_POLICY_SCOPE', Value: 'V3' }), deps())).rejects.toThrow('ecr:PutAccountSetting failed: InvalidParameterException: Invalid value V3');
  });
});
