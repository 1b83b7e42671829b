import * as http from 'http';
import * as https from 'https';
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { ECRClient, GetAccountSettingCommand, PutAccountSettingCommand } from '@aws-sdk/client-ecr';
import {
  BatchGetAccountStatusCommand,
  DisableCommand,
  EnableCommand,
  GetConfigurationCommand,
  GetDelegatedAdminAccountCommand,
  Inspector2Client,
  UpdateConfigurationCommand,
} from '@aws-sdk/client-inspector2';
import { mockClient } from 'aws-sdk-client-mock';
import * as lambda from '../../src/registry/account-settings.lambda';
import { CustomResourceEvent, Dependencies, handle, handler, isTransient } from '../../src/registry/account-settings.lambda';

const inspector = mockClient(Inspector2Client);
const ecr = mockClient(ECRClient);
const cloudformation = mockClient(CloudFormationClient);
const sleeps: number[] = [];

const ACCOUNT = '111111111111';
const ADMIN = '222222222222';
const STACK_ID = `arn:aws:cloudformation:eu-west-1:${ACCOUNT}:stack/Platform/0d3a6c70-cd4e-11ef-9d5c-0a1b2c3d4e5f`;

/** Dependencies with a virtual clock that only sleeps advance. */
function deps(budgetMs = 600_000): Dependencies {
  let clock = 1_000_000;
  return {
    inspector: new Inspector2Client({ region: 'eu-west-1' }),
    ecr: new ECRClient({ region: 'eu-west-1' }),
    cloudformation: new CloudFormationClient({ region: 'eu-west-1' }),
    sleep: async (ms) => { sleeps.push(ms); clock += ms; },
    now: () => clock,
    deadline: clock + budgetMs,
    retryBaseMs: 100,
    maxAttempts: 4,
    // The first version's field: the handler at the time of the fixes waited this long.
    maxWaitMs: 60_000,
  } as Dependencies;
}

function status(s: string) {
  return { accounts: [{ accountId: ACCOUNT, state: { status: 'ENABLED' as const }, resourceState: { ecr: { status: s as any }, ec2: { status: 'DISABLED' as const } } }] } as any;
}

function rescanState(rescanDuration: string, pullDateRescanDuration?: string, pullDateRescanMode?: string) {
  return { ecrConfiguration: { rescanDurationState: { rescanDuration, pullDateRescanDuration, pullDateRescanMode, status: 'SUCCESS' } } } as any;
}

function inspectorEvent(type: 'Create' | 'Update' | 'Delete', props: Record<string, string | undefined> = {}, physicalId?: string, extra: Partial<CustomResourceEvent> = {}): CustomResourceEvent {
  return {
    RequestType: type,
    PhysicalResourceId: physicalId,
    StackId: STACK_ID,
    LogicalResourceId: 'Inspector0342A8C8',
    ResourceProperties: { Kind: 'Inspector', RescanDuration: 'DAYS_180', DisableOnDelete: 'false', ...props },
    ...extra,
  };
}

function serviceError(name: string, message: string, httpStatusCode: number): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode }, $fault: httpStatusCode >= 500 ? 'server' : 'client' });
}

/** The stack as ListStackResources shows it. */
function stackHolds(...resources: Array<[logicalId: string, type: string, physicalId: string, status?: string]>) {
  cloudformation.on(ListStackResourcesCommand).resolves({
    StackResourceSummaries: resources.map(([LogicalResourceId, ResourceType, PhysicalResourceId, ResourceStatus]) => ({
      LogicalResourceId, ResourceType, PhysicalResourceId, ResourceStatus: (ResourceStatus ?? 'CREATE_COMPLETE') as any, LastUpdatedTimestamp: new Date(0),
    })),
  });
}

beforeEach(() => {
  inspector.reset();
  ecr.reset();
  cloudformation.reset();
  sleeps.length = 0;
  // A standalone account by default: Inspector has no delegated administrator.
  inspector.on(GetDelegatedAdminAccountCommand).rejects(serviceError('ResourceNotFoundException', 'No delegated admin', 404));
  inspector.on(GetConfigurationCommand).resolves(rescanState('DAYS_14'));
  stackHolds();
});

describe('Inspector custom resource handler', () => {
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

  test('throttling and 5xx errors are retried with exponential backoff and full jitter, then succeed', async () => {
    inspector.on(BatchGetAccountStatusCommand)
      .rejectsOnce(serviceError('ThrottlingException', 'Rate exceeded', 429))
      .rejectsOnce(serviceError('InternalServerException', 'Internal error', 500))
      .resolves(status('ENABLED'));
    inspector.on(UpdateConfigurationCommand).resolves({});
    await expect(handle(inspectorEvent('Create'), deps())).resolves.toMatchObject({ PhysicalResourceId: 'inspector-ecr:v2:owns=0:prior=ENABLED:rescan=DAYS_14,,' });
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(0);
    expect(sleeps[0]).toBeLessThanOrEqual(100);
    expect(sleeps[1]).toBeGreaterThanOrEqual(0);
    expect(sleeps[1]).toBeLessThanOrEqual(200);
  });

  test('throttling that never ends fails after the last attempt, with the service message', async () => {
    inspector.on(BatchGetAccountStatusCommand).rejects(serviceError('ThrottlingException', 'Rate exceeded', 429));
    await expect(handle(inspectorEvent('Create'), deps())).rejects.toThrow('inspector2:BatchGetAccountStatus failed after 4 attempts: ThrottlingException: Rate exceeded');
    expect(sleeps).toHaveLength(3);
  });

  test('access denied fails at once with the service message', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status('DISABLED'));
    inspector.on(EnableCommand).rejects(serviceError('AccessDeniedException', 'User is not authorized to perform: inspector2:Enable', 403));
    await expect(handle(inspectorEvent('Create'), deps())).rejects.toThrow('inspector2:Enable failed: AccessDeniedException: User is not authorized to perform: inspector2:Enable');
    expect(sleeps).toHaveLength(0);
  });

  test('a validation error fails at once with the service message', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLED'));
    inspector.on(UpdateConfigurationCommand).rejects(serviceError('ValidationException', 'Invalid rescanDuration', 400));
    await expect(handle(inspectorEvent('Create', { RescanDuration: 'DAYS_3' }), deps())).rejects.toThrow(/UpdateConfiguration failed: ValidationException: Invalid rescanDuration/);
  });

  test.each([
    [{ name: 'ThrottlingException' }, true],
    [{ name: 'X', $metadata: { httpStatusCode: 503 } }, true],
    [{ name: 'X', $retryable: {} }, true],
    [{ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }, false],
    [{ name: 'ValidationException', $metadata: { httpStatusCode: 400 } }, false],
    [undefined, false],
  ])('isTransient(%j) is %s', (error, transient) => {
    expect(isTransient(error)).toBe(transient);
  });
});

describe('Inspector in an organization', () => {
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
});

/**
 * The eleven scenarios of the review: each test fails on the handler as it
 * was before these fixes.
 */
describe('review scenarios', () => {
  test('1. a member account with a delegated administrator: UpdateConfiguration is skipped and reported, the deployment succeeds', async () => {
    inspector.on(GetDelegatedAdminAccountCommand).resolves({ delegatedAdmin: { accountId: ADMIN, relationshipStatus: 'ENABLED' } });
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLED'));
    inspector.on(UpdateConfigurationCommand).rejects(serviceError('AccessDeniedException', 'Member accounts in an organization cannot update this setting', 403));
    const outcome = await handle(inspectorEvent('Create'), deps());
    expect(outcome.Data).toMatchObject({ Action: 'ALREADY_ENABLED', Role: 'MEMBER', DelegatedAdministrator: ADMIN, Skipped: 'UpdateConfiguration' });
    expect(inspector.commandCalls(UpdateConfigurationCommand)).toHaveLength(0);
  });

  describe('with the response server', () => {
    let server: http.Server;
    let received: Array<{ path: string; bytes: number; body: any }>;
    let answers: number[];
    let port: number;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const httpsModule: typeof https = require('https');

    beforeAll(async () => {
      server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => body += c);
        req.on('end', () => {
          received.push({ path: req.url!, bytes: Buffer.byteLength(body), body: JSON.parse(body) });
          res.statusCode = answers.shift() ?? 200;
          res.end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as any).port;
    });
    beforeEach(() => {
      received = [];
      answers = [];
      jest.spyOn(console, 'error').mockImplementation(() => undefined);
      // The response goes to a pre-signed S3 URL over HTTPS; the test answers over plain HTTP on localhost.
      jest.spyOn(httpsModule, 'request').mockImplementation(((options: any, cb: any) => http.request({ ...options, port }, cb)) as any);
    });
    afterEach(() => jest.restoreAllMocks());
    afterAll(() => server.close());

    const url = () => `https://127.0.0.1:${port}/response?signature=x`;
    const context = (ms: number) => ({ getRemainingTimeInMillis: () => ms });

    test('2. a create that fails after enabling answers with a physical ID recording it; the rollback\'s delete turns scanning off again', async () => {
      inspector.on(BatchGetAccountStatusCommand)
        .resolvesOnce(status('DISABLED'))
        .resolves(status('ENABLED'));
      inspector.on(EnableCommand).resolves({ accounts: [] });
      inspector.on(UpdateConfigurationCommand).rejects(serviceError('ValidationException', 'pullDateRescanMode is not supported here', 400));
      inspector.on(DisableCommand).resolves({ accounts: [] });
      const create = inspectorEvent('Create', { DisableOnDelete: 'true' }, undefined, { ResponseURL: url(), RequestId: 'r1' });
      await handler(create, context(300_000));

      expect(received).toHaveLength(1);
      expect(received[0].body).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/pullDateRescanMode is not supported/) });
      const physicalId = received[0].body.PhysicalResourceId;
      expect(physicalId).toMatch(/^inspector-ecr:v2:owns=1:prior=DISABLED/);

      stackHolds(['Inspector0342A8C8', 'Custom::EcrInspectorScanning', physicalId, 'DELETE_IN_PROGRESS']);
      const rollback = await handle(inspectorEvent('Delete', { DisableOnDelete: 'true' }, physicalId), deps());
      expect(rollback.Data.Action).toBe('DISABLED');
      expect(inspector.commandCalls(DisableCommand)).toHaveLength(1);
    });

    test('5. the time budget comes from the Lambda context: a wait that cannot end in time fails, and CloudFormation hears of it before the function times out', async () => {
      inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLING'));
      // every wait the handler plans, read from its timers rather than from a clock
      const timers = jest.spyOn(global, 'setTimeout');
      try {
        // 23 s left: 3 s of budget after the 20 s kept to respond.
        await handler(inspectorEvent('Create', {}, undefined, { ResponseURL: url(), RequestId: 'r5' }), context(23_000));
        expect(received).toHaveLength(1);
        expect(received[0].body).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/still ENABLING after \d+ s: retry the deployment later/) });
        const waits = timers.mock.calls.map(([, ms]) => Number(ms ?? 0));
        expect(waits.length).toBeGreaterThan(0);
        // no wait ends past the 3 s budget, so the answer leaves before the function's end
        expect(Math.max(...waits)).toBeLessThanOrEqual(3_000);
      } finally {
        timers.mockRestore();
      }
    }, 10_000);

    test('6. a response upload answered with an error is sent again until it is accepted', async () => {
      ecr.on(GetAccountSettingCommand).resolves({ value: 'V2' });
      answers = [500, 403];
      await handler({
        RequestType: 'Create',
        ResponseURL: url(),
        StackId: STACK_ID,
        RequestId: 'r6',
        LogicalResourceId: 'Setting',
        ResourceProperties: { Kind: 'AccountSetting', Name: 'REGISTRY_POLICY_SCOPE', Value: 'V2' },
      }, context(60_000));
      expect(received).toHaveLength(3);
      expect(received.map((r) => r.body.Status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    });

    test('6. when every upload fails, the function still ends (and logs), leaving CloudFormation to its service timeout', async () => {
      ecr.on(GetAccountSettingCommand).resolves({ value: 'V2' });
      answers = [500, 500, 500, 500];
      await expect(handler({
        RequestType: 'Create',
        ResponseURL: url(),
        StackId: STACK_ID,
        RequestId: 'r6b',
        LogicalResourceId: 'Setting',
        ResourceProperties: { Kind: 'AccountSetting', Name: 'REGISTRY_POLICY_SCOPE', Value: 'V2' },
      }, context(60_000))).resolves.toBeUndefined();
      expect(received).toHaveLength(4);
      expect(console.error).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringMatching(/could not be sent to CloudFormation after 4 attempts: the response upload answered HTTP 500/) }));
    });

    test('7. a multi-byte failure message still gives a response of at most 4,096 bytes, cut without breaking a character', async () => {
      // Three UTF-8 bytes per character, and characters JSON must escape.
      const message = 'アクセスが拒否されました ✓ "\u0001" 🔐 '.repeat(300);
      ecr.on(GetAccountSettingCommand).rejects(serviceError('AccessDeniedException', message, 403));
      await handler({
        RequestType: 'Create',
        ResponseURL: url(),
        StackId: STACK_ID,
        RequestId: 'r7',
        LogicalResourceId: 'Setting',
        ResourceProperties: { Kind: 'AccountSetting', Name: 'REGISTRY_POLICY_SCOPE', Value: 'V2' },
      }, context(60_000));
      expect(received).toHaveLength(1);
      expect(received[0].bytes).toBeLessThanOrEqual(4_096);
      expect(received[0].body.Status).toBe('FAILED');
      expect(received[0].body.Reason).toMatch(/^ecr:GetAccountSetting failed: AccessDeniedException: アクセスが拒否されました ✓ "\u0001" 🔐/);
      expect(received[0].body.Reason).not.toMatch(/\uFFFD/);
      expect(received[0].body.Reason.length).toBeGreaterThan(1_000);
    });
  });

  test('3. delete in a member account: Disable (which members may not call) is skipped and reported; the stack deletes', async () => {
    inspector.on(GetDelegatedAdminAccountCommand).resolves({ delegatedAdmin: { accountId: ADMIN, relationshipStatus: 'ENABLED' } });
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLED'));
    inspector.on(DisableCommand).rejects(serviceError('AccessDeniedException', 'A member account cannot disable Amazon Inspector', 403));
    stackHolds(['Inspector0342A8C8', 'Custom::EcrInspectorScanning', 'inspector-ecr:prior=DISABLED', 'DELETE_IN_PROGRESS']);
    const outcome = await handle(inspectorEvent('Delete', { DisableOnDelete: 'true' }, 'inspector-ecr:prior=DISABLED'), deps());
    expect(outcome.Data).toMatchObject({ Action: 'LEFT_TO_ADMINISTRATOR', Role: 'MEMBER', Skipped: 'Disable' });
    expect(inspector.commandCalls(DisableCommand)).toHaveLength(0);
  });

  test('4. a moved construct: the new resource takes over the record, the old one\'s delete leaves scanning on, the new one\'s delete turns it off', async () => {
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

  test('5. a wait never goes past the deadline of the request', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLING'));
    await expect(handle(inspectorEvent('Create'), deps(30_000))).rejects.toThrow(/still ENABLING after \d+ s: retry the deployment later/);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(30_000);
  });

  test.each(['LimitExceededException', 'ServiceQuotaExceededException'])('8. %s is a quota, not a transient error: no retry', async (name) => {
    expect(isTransient({ name, $metadata: { httpStatusCode: 400 } })).toBe(false);
    inspector.on(BatchGetAccountStatusCommand).rejects(serviceError(name, 'quota reached', 400));
    await expect(handle(inspectorEvent('Create'), deps())).rejects.toThrow(`inspector2:BatchGetAccountStatus failed: ${name}: quota reached`);
    expect(inspector.commandCalls(BatchGetAccountStatusCommand)).toHaveLength(1);
    expect(sleeps).toHaveLength(0);
  });

  test('8. one layer of retries: the function\'s SDK clients make a single attempt per call', async () => {
    const clients = (lambda as any).createClients();
    expect(await clients.inspector.config.maxAttempts()).toBe(1);
    expect(await clients.ecr.config.maxAttempts()).toBe(1);
    expect(await clients.cloudformation.config.maxAttempts()).toBe(1);
  });

  test('10. dropping rescanDuration gives back the configuration recorded before this resource set it', async () => {
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

  test('10. dropping rescanDuration after someone else changed it: leaves the current value', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLED'));
    inspector.on(GetConfigurationCommand).resolves(rescanState('LIFETIME'));
    const outcome = await handle(inspectorEvent('Update', { RescanDuration: undefined }, 'inspector-ecr:v2:owns=0:prior=ENABLED:rescan=DAYS_14,,', {
      OldResourceProperties: { Kind: 'Inspector', RescanDuration: 'DAYS_180' },
    }), deps());
    expect(inspector.commandCalls(UpdateConfigurationCommand)).toHaveLength(0);
    expect(outcome.Data.Rescan).toBe('LEFT_CHANGED_SINCE');
  });

  test('10. delete with disableOnDelete of a resource that did not turn scanning on: gives back the recorded rescan durations', async () => {
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
});

describe('ECR account setting handler', () => {
  function settingEvent(type: 'Create' | 'Update' | 'Delete', props: Record<string, string> = {}, physicalId?: string, extra: Partial<CustomResourceEvent> = {}): CustomResourceEvent {
    return {
      RequestType: type,
      PhysicalResourceId: physicalId,
      StackId: STACK_ID,
      LogicalResourceId: 'SettingsBASICSCANTYPEVERSION',
      ResourceProperties: { Kind: 'AccountSetting', Name: 'BASIC_SCAN_TYPE_VERSION', Value: 'AWS_NATIVE', RestoreOnDelete: 'false', ...props },
      ...extra,
    };
  }

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

  test('11. restoreOnDelete leaves a value someone changed since this resource set it', async () => {
    ecr.on(GetAccountSettingCommand).resolves({ name: 'BLOB_MOUNTING', value: 'DISABLED' });
    ecr.on(PutAccountSettingCommand).resolves({});
    const outcome = await handle(settingEvent('Delete', { Name: 'BLOB_MOUNTING', Value: 'ENABLED', RestoreOnDelete: 'true' }, 'ecr-account-setting:BLOB_MOUNTING:prior=DISABLED'), deps());
    // The recorded value happens to equal today's, but it was set by someone else: nothing is written.
    expect(ecr.commandCalls(PutAccountSettingCommand)).toHaveLength(0);
    expect(outcome.Data).toMatchObject({ Action: 'KEPT', Reason: expect.stringMatching(/changed since this resource set it/) });
  });

  test('11. restoreOnDelete never puts REGISTRY_POLICY_SCOPE back to V1 (V2-only registry policy statements would break)', async () => {
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

  test('an unknown kind fails', async () => {
    await expect(handle({ RequestType: 'Create', ResourceProperties: { Kind: 'Other' } }, deps())).rejects.toThrow(/unknown Kind 'Other'/);
  });
});

describe('the Lambda entry point', () => {
  let server: http.Server;
  let received: any[];
  let url: string;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const httpsModule: typeof https = require('https');

  beforeAll(async () => {
    received = [];
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => body += c);
      req.on('end', () => {
        received.push({ method: req.method, path: req.url, body: JSON.parse(body) });
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as any).port}/response?signature=x`;
    // The response goes to a pre-signed S3 URL over HTTPS; the test answers over plain HTTP on localhost.
    jest.spyOn(httpsModule, 'request').mockImplementation(((options: any, cb: any) => http.request({ ...options, port: (server.address() as any).port }, cb)) as any);
  });
  afterAll(() => {
    jest.restoreAllMocks();
    server.close();
  });

  test('reports a failure to CloudFormation with the error as the reason', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    ecr.on(GetAccountSettingCommand).rejects(serviceError('AccessDeniedException', 'not authorized to perform ecr:GetAccountSetting', 403));
    await handler({
      RequestType: 'Create',
      ResponseURL: url,
      StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/S/1',
      RequestId: 'r1',
      LogicalResourceId: 'Setting',
      ResourceProperties: { Kind: 'AccountSetting', Name: 'REGISTRY_POLICY_SCOPE', Value: 'V2' },
    });
    expect(received).toHaveLength(1);
    expect(received[0].method).toBe('PUT');
    expect(received[0].path).toBe('/response?signature=x');
    expect(received[0].body).toEqual({
      Status: 'FAILED',
      Reason: 'ecr:GetAccountSetting failed: AccessDeniedException: not authorized to perform ecr:GetAccountSetting',
      PhysicalResourceId: 'ecr-account-setting:failed',
      StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/S/1',
      RequestId: 'r1',
      LogicalResourceId: 'Setting',
    });
  });

  test('reports success with the physical ID and data', async () => {
    received.length = 0;
    ecr.on(GetAccountSettingCommand).resolves({ value: 'V2' });
    await handler({
      RequestType: 'Create',
      ResponseURL: url,
      RequestId: 'r2',
      ResourceProperties: { Kind: 'AccountSetting', Name: 'REGISTRY_POLICY_SCOPE', Value: 'V2' },
    });
    expect(received[0].body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'ecr-account-setting:REGISTRY_POLICY_SCOPE:prior=V2', Data: { Action: 'UNCHANGED' } });
  });

  test('the time budget is what the context leaves, capped by the service timeout, minus the time kept to respond', () => {
    const event = (timeout?: string): CustomResourceEvent => ({ RequestType: 'Create', ResourceProperties: { Kind: 'Inspector', ServiceTimeout: timeout } });
    expect(lambda.budgetMs(event('600'), { getRemainingTimeInMillis: () => 900_000 })).toBe(600_000 - lambda.RESPONSE_RESERVE_MS);
    expect(lambda.budgetMs(event(), { getRemainingTimeInMillis: () => 120_000 })).toBe(120_000 - lambda.RESPONSE_RESERVE_MS);
    expect(lambda.budgetMs(event('600'), { getRemainingTimeInMillis: () => 5_000 })).toBe(0);
  });

  test('fitResponse: any reason, any characters, at most 4,096 bytes of valid JSON', () => {
    for (const unit of ['a', '"', '\\', '\u0001', 'é', '✓', '🔐', '\uD800']) {
      const text = lambda.fitResponse({ Status: 'FAILED', Reason: unit.repeat(5_000), PhysicalResourceId: 'x', StackId: STACK_ID, RequestId: 'r', LogicalResourceId: 'L' });
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(4_096);
      const parsed = JSON.parse(text);
      expect(parsed.Status).toBe('FAILED');
      expect(parsed.Reason.length).toBeGreaterThan(100);
    }
  });
});
