import { ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import {
  BatchGetAccountStatusCommand,
  DisableCommand,
  EnableCommand,
  GetConfigurationCommand,
  GetDelegatedAdminAccountCommand,
  UpdateConfigurationCommand,
} from '@aws-sdk/client-inspector2';
import {
  ACCOUNT, ADMIN, cloudformation, context, deps, inspector, inspectorEvent, rescanState,
  resetMocks, serviceError, sleeps, stackHolds, status, useResponseServer,
} from './fixtures';
import { handle, handler } from '../../../src/registry/account-settings.lambda';

/*
 * Amazon Inspector scanning of ECR images in this account (Kind Inspector,
 * src/registry/handler/inspector.ts): what a create, an update and a delete change, what
 * they record in the physical ID, and what a member of Inspector's organization leaves to
 * its delegated administrator.
 */

beforeEach(resetMocks);

describe('Amazon Inspector scanning of ECR', () => {
  test('create: enables Inspector for ECR when disabled, waits for ENABLED, sets the rescan durations and records what it did', async () => {
    inspector.on(BatchGetAccountStatusCommand)
      .resolvesOnce(status('DISABLED'))
      .resolvesOnce(status('ENABLING'))
      .resolves(status('ENABLED'));
    inspector.on(EnableCommand).resolves({ accounts: [], failedAccounts: [] });
    inspector.on(GetConfigurationCommand).resolves(rescanState('DAYS_14', 'DAYS_30', 'LAST_PULL_DATE'));
    inspector.on(UpdateConfigurationCommand).resolves({});

    const outcome = await handle(inspectorEvent('Create', { PullDateRescanDuration: 'DAYS_30', PullDateRescanMode: 'LAST_IN_USE_AT' }), deps());

    expect(outcome).toEqual({
      PhysicalResourceId: 'inspector-ecr:v2:owns=1:prior=DISABLED:rescan=DAYS_14,DAYS_30,LAST_PULL_DATE',
      Data: { Action: 'ENABLED', PriorStatus: 'DISABLED', Role: 'STANDALONE', Skipped: '' },
    });
    expect(inspector.commandCalls(EnableCommand)[0].args[0].input).toEqual({ resourceTypes: ['ECR'] });
    expect(inspector.commandCalls(UpdateConfigurationCommand)[0].args[0].input).toEqual({
      ecrConfiguration: { rescanDuration: 'DAYS_180', pullDateRescanDuration: 'DAYS_30', pullDateRescanMode: 'LAST_IN_USE_AT' },
    });
    expect(sleeps).toHaveLength(1);
  });

  test('create when already enabled: does not call Enable, does not own scanning, still converges the configuration', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLED'));
    inspector.on(UpdateConfigurationCommand).resolves({});
    const outcome = await handle(inspectorEvent('Create'), deps());
    expect(outcome.PhysicalResourceId).toBe('inspector-ecr:v2:owns=0:prior=ENABLED:rescan=DAYS_14,,');
    expect(outcome.Data.Action).toBe('ALREADY_ENABLED');
    expect(inspector.commandCalls(EnableCommand)).toHaveLength(0);
    expect(inspector.commandCalls(UpdateConfigurationCommand)).toHaveLength(1);
  });

  test('create without a rescan duration: Inspector\'s configuration is neither read nor changed', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLED'));
    const outcome = await handle(inspectorEvent('Create', { RescanDuration: undefined }), deps());
    expect(outcome.PhysicalResourceId).toBe('inspector-ecr:v2:owns=0:prior=ENABLED');
    expect(inspector.commandCalls(UpdateConfigurationCommand)).toHaveLength(0);
    expect(inspector.commandCalls(GetConfigurationCommand)).toHaveLength(0);
  });

  test('create while enabling is still in progress: waits (bounded, backing off) without calling Enable', async () => {
    inspector.on(BatchGetAccountStatusCommand)
      .resolvesOnce(status('ENABLING'))
      .resolvesOnce(status('ENABLING'))
      .resolves(status('ENABLED'));
    inspector.on(UpdateConfigurationCommand).resolves({});
    const outcome = await handle(inspectorEvent('Create'), deps());
    expect(outcome.Data.Action).toBe('ALREADY_ENABLED');
    expect(inspector.commandCalls(EnableCommand)).toHaveLength(0);
    expect(sleeps).toEqual([2_000, 4_000]);
  });

  test('Enable reporting a failed account fails with the service message', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status('DISABLED'));
    inspector.on(EnableCommand).resolves({ accounts: [], failedAccounts: [{ accountId: ACCOUNT, errorCode: 'ACCESS_DENIED', errorMessage: 'not allowed' }] });
    await expect(handle(inspectorEvent('Create'), deps())).rejects.toThrow(/could not be enabled for ECR: 111111111111: ACCESS_DENIED not allowed/);
  });

  test('update: keeps the record of the create and applies the new configuration', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLED'));
    inspector.on(UpdateConfigurationCommand).resolves({});
    const id = 'inspector-ecr:v2:owns=1:prior=DISABLED:rescan=DAYS_14,,';
    const outcome = await handle(inspectorEvent('Update', { RescanDuration: 'LIFETIME' }, id), deps());
    expect(outcome).toEqual({ PhysicalResourceId: id, Data: { Action: 'ALREADY_ENABLED', PriorStatus: 'DISABLED', Role: 'STANDALONE', Skipped: '' } });
    expect(inspector.commandCalls(UpdateConfigurationCommand)[0].args[0].input).toEqual({ ecrConfiguration: { rescanDuration: 'LIFETIME' } });
    expect(inspector.commandCalls(GetConfigurationCommand)).toHaveLength(0);
  });

  test('update of a resource created by the first version reads its record (inspector-ecr:prior=STATUS)', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLED'));
    inspector.on(UpdateConfigurationCommand).resolves({});
    const outcome = await handle(inspectorEvent('Update', {}, 'inspector-ecr:prior=DISABLED'), deps());
    expect(outcome.PhysicalResourceId).toBe('inspector-ecr:v2:owns=1:prior=DISABLED:rescan=DAYS_14,,');
  });

  test('update after someone disabled Inspector out of band: enables it again, and now owns it', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolvesOnce(status('DISABLED')).resolves(status('ENABLED'));
    inspector.on(EnableCommand).resolves({ accounts: [] });
    inspector.on(UpdateConfigurationCommand).resolves({});
    const outcome = await handle(inspectorEvent('Update', {}, 'inspector-ecr:v2:owns=0:prior=ENABLED:rescan=DAYS_14,,'), deps());
    expect(outcome.Data.Action).toBe('ENABLED');
    expect(outcome.PhysicalResourceId).toBe('inspector-ecr:v2:owns=1:prior=ENABLED:rescan=DAYS_14,,');
  });

  test.each<[string, string, string, boolean]>([
    ['default: never turns anything off', 'false', 'inspector-ecr:v2:owns=1:prior=DISABLED', false],
    ['opted in, and it turned it on: turns it off', 'true', 'inspector-ecr:v2:owns=1:prior=DISABLED', true],
    ['opted in, first-version record of turning it on: turns it off', 'true', 'inspector-ecr:prior=DISABLED', true],
    ['opted in, but it was on before: leaves it on', 'true', 'inspector-ecr:v2:owns=0:prior=ENABLED', false],
    ['opted in, but the create failed before doing anything: leaves it', 'true', 'inspector-ecr:failed', false],
  ])('delete, %s', async (_, disableOnDelete, physicalId, disables) => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLED'));
    inspector.on(DisableCommand).resolves({ accounts: [] });
    stackHolds(['Inspector0342A8C8', 'Custom::EcrInspectorScanning', physicalId, 'DELETE_IN_PROGRESS']);
    const outcome = await handle(inspectorEvent('Delete', { DisableOnDelete: disableOnDelete }, physicalId), deps());
    expect(inspector.commandCalls(DisableCommand)).toHaveLength(disables ? 1 : 0);
    if (disables) expect(inspector.commandCalls(DisableCommand)[0].args[0].input).toEqual({ resourceTypes: ['ECR'] });
    expect(outcome.PhysicalResourceId).toBe(physicalId);
    expect(outcome.Data.Action).toBe(disables ? 'DISABLED' : 'KEPT');
  });

  test('delete of a record replaced by an update (same logical ID, newer physical ID): changes nothing', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLED'));
    stackHolds(['Inspector0342A8C8', 'Custom::EcrInspectorScanning', 'inspector-ecr:v2:owns=1:prior=DISABLED', 'UPDATE_COMPLETE']);
    const outcome = await handle(inspectorEvent('Delete', { DisableOnDelete: 'true' }, 'inspector-ecr:prior=DISABLED'), deps());
    expect(outcome.Data).toMatchObject({ Action: 'KEPT', Reason: expect.stringMatching(/replaced/) });
    expect(inspector.commandCalls(DisableCommand)).toHaveLength(0);
  });

  test('delete when the stack cannot be read: never turns scanning off (another owner cannot be ruled out)', async () => {
    jest.spyOn(console, 'error').mockImplementationOnce(() => undefined);
    cloudformation.on(ListStackResourcesCommand).rejects(serviceError('AccessDeniedException', 'denied', 403));
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLED'));
    const outcome = await handle(inspectorEvent('Delete', { DisableOnDelete: 'true' }, 'inspector-ecr:v2:owns=1:prior=DISABLED'), deps());
    expect(outcome.Data.Action).toBe('KEPT');
    expect(inspector.commandCalls(DisableCommand)).toHaveLength(0);
  });

  test('given a construct moved to a new logical ID, then the new resource takes over the record, the old one\'s delete leaves scanning on, and the new one\'s delete turns it off', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLED'));
    inspector.on(UpdateConfigurationCommand).resolves({});
    inspector.on(DisableCommand).resolves({ accounts: [] });
    const oldId = 'inspector-ecr:prior=DISABLED';
    const moved = { LogicalResourceId: 'ImageSecurityInspector0342A8C8' };

    // Update phase: the new logical ID is created while the old resource is still in the stack.
    stackHolds(['Inspector0342A8C8', 'Custom::EcrInspectorScanning', oldId, 'UPDATE_COMPLETE'], ['ImageSecurityInspector0342A8C8', 'Custom::EcrInspectorScanning', '', 'CREATE_IN_PROGRESS']);
    const created = await handle(inspectorEvent('Create', { DisableOnDelete: 'true' }, undefined, moved), deps());
    expect(created.PhysicalResourceId).toMatch(/^inspector-ecr:v2:owns=1:prior=DISABLED/);
    expect(created.Data.TookOver).toBe('true');

    // Cleanup phase: the old resource is deleted while the new one stays.
    stackHolds(['Inspector0342A8C8', 'Custom::EcrInspectorScanning', oldId, 'DELETE_IN_PROGRESS'], ['ImageSecurityInspector0342A8C8', 'Custom::EcrInspectorScanning', created.PhysicalResourceId, 'CREATE_COMPLETE']);
    const oldDelete = await handle(inspectorEvent('Delete', { DisableOnDelete: 'true' }, oldId), deps());
    expect(oldDelete.Data).toMatchObject({ Action: 'KEPT', Reason: expect.stringMatching(/ImageSecurityInspector0342A8C8 of the same stack still uses it/) });
    expect(inspector.commandCalls(DisableCommand)).toHaveLength(0);

    // Later the construct is removed: the new resource undoes what the old one did.
    stackHolds(['ImageSecurityInspector0342A8C8', 'Custom::EcrInspectorScanning', created.PhysicalResourceId, 'DELETE_IN_PROGRESS']);
    const newDelete = await handle(inspectorEvent('Delete', { DisableOnDelete: 'true' }, created.PhysicalResourceId, moved), deps());
    expect(newDelete.Data.Action).toBe('DISABLED');
    expect(inspector.commandCalls(DisableCommand)).toHaveLength(1);
  });

  test('given an update that drops rescanDuration, then the configuration recorded before this resource set it is given back', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLED'));
    inspector.on(GetConfigurationCommand).resolves(rescanState('DAYS_180', 'DAYS_30', 'LAST_PULL_DATE'));
    inspector.on(UpdateConfigurationCommand).resolves({});
    const outcome = await handle(inspectorEvent('Update', { RescanDuration: undefined }, 'inspector-ecr:v2:owns=0:prior=ENABLED:rescan=DAYS_14,DAYS_90,LAST_IN_USE_AT', {
      OldResourceProperties: { Kind: 'Inspector', RescanDuration: 'DAYS_180', PullDateRescanDuration: 'DAYS_30', PullDateRescanMode: 'LAST_PULL_DATE' },
    }), deps());
    expect(inspector.commandCalls(UpdateConfigurationCommand).map((c) => c.args[0].input)).toEqual([
      { ecrConfiguration: { rescanDuration: 'DAYS_14', pullDateRescanDuration: 'DAYS_90', pullDateRescanMode: 'LAST_IN_USE_AT' } },
    ]);
    expect(outcome.Data.Rescan).toBe('RESTORED');
    expect(outcome.PhysicalResourceId).toBe('inspector-ecr:v2:owns=0:prior=ENABLED');
  });

  test('given an update that drops rescanDuration after someone else changed it, then the current value is left', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLED'));
    inspector.on(GetConfigurationCommand).resolves(rescanState('LIFETIME'));
    const outcome = await handle(inspectorEvent('Update', { RescanDuration: undefined }, 'inspector-ecr:v2:owns=0:prior=ENABLED:rescan=DAYS_14,,', {
      OldResourceProperties: { Kind: 'Inspector', RescanDuration: 'DAYS_180' },
    }), deps());
    expect(inspector.commandCalls(UpdateConfigurationCommand)).toHaveLength(0);
    expect(outcome.Data.Rescan).toBe('LEFT_CHANGED_SINCE');
  });

  test('given a resource that did not turn scanning on, when it is deleted with disableOnDelete, then the rescan durations recorded before it are given back', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLED'));
    inspector.on(GetConfigurationCommand).resolves(rescanState('DAYS_180'));
    inspector.on(UpdateConfigurationCommand).resolves({});
    const id = 'inspector-ecr:v2:owns=0:prior=ENABLED:rescan=DAYS_14,,';
    stackHolds(['Inspector0342A8C8', 'Custom::EcrInspectorScanning', id, 'DELETE_IN_PROGRESS']);
    const outcome = await handle(inspectorEvent('Delete', { DisableOnDelete: 'true' }, id), deps());
    expect(inspector.commandCalls(DisableCommand)).toHaveLength(0);
    expect(inspector.commandCalls(UpdateConfigurationCommand).map((c) => c.args[0].input)).toEqual([{ ecrConfiguration: { rescanDuration: 'DAYS_14' } }]);
    expect(outcome.Data).toMatchObject({ Action: 'KEPT', Rescan: 'RESTORED' });
  });

  describe('with the response server', () => {
    const server = useResponseServer();

    test('given a create that fails after enabling scanning, then CloudFormation gets a physical ID recording it, and the rollback\'s delete turns scanning off again', async () => {
      inspector.on(BatchGetAccountStatusCommand)
        .resolvesOnce(status('DISABLED'))
        .resolves(status('ENABLED'));
      inspector.on(EnableCommand).resolves({ accounts: [] });
      inspector.on(UpdateConfigurationCommand).rejects(serviceError('ValidationException', 'pullDateRescanMode is not supported here', 400));
      inspector.on(DisableCommand).resolves({ accounts: [] });
      const create = inspectorEvent('Create', { DisableOnDelete: 'true' }, undefined, { ResponseURL: server.url(), RequestId: 'r1' });
      await handler(create, context(300_000));

      expect(server.received).toHaveLength(1);
      expect(server.received[0].body).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/pullDateRescanMode is not supported/) });
      const physicalId = server.received[0].body.PhysicalResourceId;
      expect(physicalId).toMatch(/^inspector-ecr:v2:owns=1:prior=DISABLED/);

      stackHolds(['Inspector0342A8C8', 'Custom::EcrInspectorScanning', physicalId, 'DELETE_IN_PROGRESS']);
      const rollback = await handle(inspectorEvent('Delete', { DisableOnDelete: 'true' }, physicalId), deps());
      expect(rollback.Data.Action).toBe('DISABLED');
      expect(inspector.commandCalls(DisableCommand)).toHaveLength(1);
    });
  });
});

describe('Amazon Inspector scanning in an organization', () => {
  test('the delegated administrator sets the rescan durations (for every member) and reports its role', async () => {
    inspector.on(GetDelegatedAdminAccountCommand).resolves({ delegatedAdmin: { accountId: ACCOUNT, relationshipStatus: 'ENABLED' } });
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLED'));
    inspector.on(UpdateConfigurationCommand).resolves({});
    const outcome = await handle(inspectorEvent('Create'), deps());
    expect(outcome.Data).toMatchObject({ Role: 'DELEGATED_ADMINISTRATOR', Scope: 'ORGANIZATION', Skipped: '' });
    expect(inspector.commandCalls(UpdateConfigurationCommand)).toHaveLength(1);
  });

  test('a member whose scanning is off: does not enable it (the administrator does), and does not fail', async () => {
    inspector.on(GetDelegatedAdminAccountCommand).resolves({ delegatedAdmin: { accountId: ADMIN, relationshipStatus: 'ENABLED' } });
    inspector.on(BatchGetAccountStatusCommand).resolves(status('DISABLED'));
    const outcome = await handle(inspectorEvent('Create'), deps());
    expect(outcome.Data).toMatchObject({ Action: 'LEFT_TO_ADMINISTRATOR', Role: 'MEMBER', DelegatedAdministrator: ADMIN, Skipped: 'Enable,UpdateConfiguration' });
    expect(outcome.PhysicalResourceId).toBe('inspector-ecr:v2:owns=0:prior=DISABLED');
    expect(inspector.commandCalls(EnableCommand)).toHaveLength(0);
  });

  test('role unknown (the delegated administrator cannot be read): a refused UpdateConfiguration is reported, not fatal', async () => {
    inspector.on(GetDelegatedAdminAccountCommand).rejects(serviceError('AccessDeniedException', 'not allowed', 403));
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLED'));
    inspector.on(UpdateConfigurationCommand).rejects(serviceError('AccessDeniedException', 'Member accounts in an organization cannot update this setting', 403));
    const outcome = await handle(inspectorEvent('Create'), deps());
    expect(outcome.Data).toMatchObject({ Role: 'UNKNOWN', Skipped: 'UpdateConfiguration' });
  });

  test('standalone: a refused UpdateConfiguration still fails the deployment with the service message', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLED'));
    inspector.on(UpdateConfigurationCommand).rejects(serviceError('AccessDeniedException', 'denied by a service control policy', 403));
    await expect(handle(inspectorEvent('Create'), deps())).rejects.toThrow(/UpdateConfiguration failed: AccessDeniedException: denied by a service control policy/);
  });

  test('given a member account of a delegated administrator, when a create asks for rescan durations, then UpdateConfiguration is skipped and reported, and the deployment succeeds', async () => {
    inspector.on(GetDelegatedAdminAccountCommand).resolves({ delegatedAdmin: { accountId: ADMIN, relationshipStatus: 'ENABLED' } });
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLED'));
    inspector.on(UpdateConfigurationCommand).rejects(serviceError('AccessDeniedException', 'Member accounts in an organization cannot update this setting', 403));
    const outcome = await handle(inspectorEvent('Create'), deps());
    expect(outcome.Data).toMatchObject({ Action: 'ALREADY_ENABLED', Role: 'MEMBER', DelegatedAdministrator: ADMIN, Skipped: 'UpdateConfiguration' });
    expect(inspector.commandCalls(UpdateConfigurationCommand)).toHaveLength(0);
  });

  test('given a member account, when a resource that turned scanning on is deleted with disableOnDelete, then Disable (which members may not call) is skipped and reported, and the stack deletes', async () => {
    inspector.on(GetDelegatedAdminAccountCommand).resolves({ delegatedAdmin: { accountId: ADMIN, relationshipStatus: 'ENABLED' } });
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLED'));
    inspector.on(DisableCommand).rejects(serviceError('AccessDeniedException', 'A member account cannot disable Amazon Inspector', 403));
    stackHolds(['Inspector0342A8C8', 'Custom::EcrInspectorScanning', 'inspector-ecr:prior=DISABLED', 'DELETE_IN_PROGRESS']);
    const outcome = await handle(inspectorEvent('Delete', { DisableOnDelete: 'true' }, 'inspector-ecr:prior=DISABLED'), deps());
    expect(outcome.Data).toMatchObject({ Action: 'LEFT_TO_ADMINISTRATOR', Role: 'MEMBER', Skipped: 'Disable' });
    expect(inspector.commandCalls(DisableCommand)).toHaveLength(0);
  });
});
