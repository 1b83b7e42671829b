import * as http from 'http';
import * as https from 'https';
import { ECRClient, GetAccountSettingCommand, PutAccountSettingCommand } from '@aws-sdk/client-ecr';
import {
  BatchGetAccountStatusCommand,
  DisableCommand,
  EnableCommand,
  Inspector2Client,
  UpdateConfigurationCommand,
} from '@aws-sdk/client-inspector2';
import { mockClient } from 'aws-sdk-client-mock';
import { CustomResourceEvent, Dependencies, handle, handler, isTransient } from '../../src/scanning/account-settings.lambda';

const inspector = mockClient(Inspector2Client);
const ecr = mockClient(ECRClient);
const sleeps: number[] = [];

function deps(): Dependencies {
  return {
    inspector: new Inspector2Client({ region: 'eu-west-1' }),
    ecr: new ECRClient({ region: 'eu-west-1' }),
    sleep: async (ms) => { sleeps.push(ms); },
    maxWaitMs: 60_000,
    retryBaseMs: 100,
    maxAttempts: 4,
  };
}

function status(s: string) {
  return { accounts: [{ accountId: '111111111111', state: { status: 'ENABLED' as const }, resourceState: { ecr: { status: s as any }, ec2: { status: 'DISABLED' as const } } }] } as any;
}

function inspectorEvent(type: 'Create' | 'Update' | 'Delete', props: Record<string, string | undefined> = {}, physicalId?: string): CustomResourceEvent {
  return {
    RequestType: type,
    PhysicalResourceId: physicalId,
    ResourceProperties: { Kind: 'Inspector', RescanDuration: 'DAYS_180', DisableOnDelete: 'false', ...props },
  };
}

function serviceError(name: string, message: string, httpStatusCode: number): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode }, $fault: httpStatusCode >= 500 ? 'server' : 'client' });
}

beforeEach(() => {
  inspector.reset();
  ecr.reset();
  sleeps.length = 0;
});

describe('Inspector custom resource handler', () => {
  test('create: enables Inspector for ECR when disabled, waits for ENABLED, sets the rescan durations and records the prior state', async () => {
    inspector.on(BatchGetAccountStatusCommand)
      .resolvesOnce(status('DISABLED'))
      .resolvesOnce(status('ENABLING'))
      .resolves(status('ENABLED'));
    inspector.on(EnableCommand).resolves({ accounts: [], failedAccounts: [] });
    inspector.on(UpdateConfigurationCommand).resolves({});

    const outcome = await handle(inspectorEvent('Create', { PullDateRescanDuration: 'DAYS_30', PullDateRescanMode: 'LAST_IN_USE_AT' }), deps());

    expect(outcome).toEqual({ PhysicalResourceId: 'inspector-ecr:prior=DISABLED', Data: { Action: 'ENABLED', PriorStatus: 'DISABLED' } });
    expect(inspector.commandCalls(EnableCommand)[0].args[0].input).toEqual({ resourceTypes: ['ECR'] });
    expect(inspector.commandCalls(UpdateConfigurationCommand)[0].args[0].input).toEqual({
      ecrConfiguration: { rescanDuration: 'DAYS_180', pullDateRescanDuration: 'DAYS_30', pullDateRescanMode: 'LAST_IN_USE_AT' },
    });
    expect(sleeps).toHaveLength(1);
  });

  test('create when already enabled: does not call Enable, still converges the configuration', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLED'));
    inspector.on(UpdateConfigurationCommand).resolves({});
    const outcome = await handle(inspectorEvent('Create'), deps());
    expect(outcome.PhysicalResourceId).toBe('inspector-ecr:prior=ENABLED');
    expect(outcome.Data.Action).toBe('ALREADY_ENABLED');
    expect(inspector.commandCalls(EnableCommand)).toHaveLength(0);
    expect(inspector.commandCalls(UpdateConfigurationCommand)).toHaveLength(1);
  });

  test('create without a rescan duration: Inspector\'s configuration is left alone', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLED'));
    await handle(inspectorEvent('Create', { RescanDuration: undefined }), deps());
    expect(inspector.commandCalls(UpdateConfigurationCommand)).toHaveLength(0);
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

  test('enabling that never finishes fails after the bounded wait with a clear message', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLING'));
    await expect(handle(inspectorEvent('Create'), { ...deps(), maxWaitMs: 10_000 })).rejects.toThrow(/still ENABLING after \d+ s: retry the deployment later/);
  });

  test('Enable reporting a failed account fails with the service message', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status('DISABLED'));
    inspector.on(EnableCommand).resolves({ accounts: [], failedAccounts: [{ accountId: '111111111111', errorCode: 'ACCESS_DENIED', errorMessage: 'not allowed' }] });
    await expect(handle(inspectorEvent('Create'), deps())).rejects.toThrow(/could not be enabled for ECR: 111111111111: ACCESS_DENIED not allowed/);
  });

  test('update: keeps the physical ID (and so the state recorded at create) and applies the new configuration', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLED'));
    inspector.on(UpdateConfigurationCommand).resolves({});
    const outcome = await handle(inspectorEvent('Update', { RescanDuration: 'LIFETIME' }, 'inspector-ecr:prior=DISABLED'), deps());
    expect(outcome).toEqual({ PhysicalResourceId: 'inspector-ecr:prior=DISABLED', Data: { Action: 'ALREADY_ENABLED', PriorStatus: 'DISABLED' } });
    expect(inspector.commandCalls(UpdateConfigurationCommand)[0].args[0].input).toEqual({ ecrConfiguration: { rescanDuration: 'LIFETIME' } });
  });

  test('update after someone disabled Inspector out of band: enables it again', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolvesOnce(status('DISABLED')).resolves(status('ENABLED'));
    inspector.on(EnableCommand).resolves({ accounts: [] });
    inspector.on(UpdateConfigurationCommand).resolves({});
    const outcome = await handle(inspectorEvent('Update', {}, 'inspector-ecr:prior=ENABLED'), deps());
    expect(outcome.Data.Action).toBe('ENABLED');
    expect(outcome.PhysicalResourceId).toBe('inspector-ecr:prior=ENABLED');
  });

  test.each<[string, string, string, boolean]>([
    ['default: never turns anything off', 'false', 'inspector-ecr:prior=DISABLED', false],
    ['opted in, and it was off before: turns it off', 'true', 'inspector-ecr:prior=DISABLED', true],
    ['opted in, but it was on before: leaves it on', 'true', 'inspector-ecr:prior=ENABLED', false],
    ['opted in, but the create failed (no recorded state): leaves it', 'true', 'inspector-ecr:failed', false],
  ])('delete, %s', async (_, disableOnDelete, physicalId, disables) => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLED'));
    inspector.on(DisableCommand).resolves({ accounts: [] });
    const outcome = await handle(inspectorEvent('Delete', { DisableOnDelete: disableOnDelete }, physicalId), deps());
    expect(inspector.commandCalls(DisableCommand)).toHaveLength(disables ? 1 : 0);
    if (disables) expect(inspector.commandCalls(DisableCommand)[0].args[0].input).toEqual({ resourceTypes: ['ECR'] });
    expect(outcome.PhysicalResourceId).toBe(physicalId);
    expect(inspector.commandCalls(BatchGetAccountStatusCommand)).toHaveLength(disables ? 1 : 0);
  });

  test('throttling and 5xx errors are retried with exponential backoff, then succeed', async () => {
    inspector.on(BatchGetAccountStatusCommand)
      .rejectsOnce(serviceError('ThrottlingException', 'Rate exceeded', 429))
      .rejectsOnce(serviceError('InternalServerException', 'Internal error', 500))
      .resolves(status('ENABLED'));
    inspector.on(UpdateConfigurationCommand).resolves({});
    await expect(handle(inspectorEvent('Create'), deps())).resolves.toMatchObject({ PhysicalResourceId: 'inspector-ecr:prior=ENABLED' });
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(50);
    expect(sleeps[0]).toBeLessThanOrEqual(100);
    expect(sleeps[1]).toBeGreaterThanOrEqual(100);
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

describe('ECR account setting handler', () => {
  function settingEvent(type: 'Create' | 'Update' | 'Delete', props: Record<string, string> = {}, physicalId?: string): CustomResourceEvent {
    return {
      RequestType: type,
      PhysicalResourceId: physicalId,
      ResourceProperties: { Kind: 'AccountSetting', Name: 'BASIC_SCAN_TYPE_VERSION', Value: 'AWS_NATIVE', RestoreOnDelete: 'false', ...props },
    };
  }

  test('create: records the prior value and sets the new one', async () => {
    ecr.on(GetAccountSettingCommand).resolves({ name: 'BASIC_SCAN_TYPE_VERSION', value: 'CLAIR' });
    ecr.on(PutAccountSettingCommand).resolves({});
    const outcome = await handle(settingEvent('Create'), deps());
    expect(outcome).toEqual({ PhysicalResourceId: 'ecr-account-setting:BASIC_SCAN_TYPE_VERSION:prior=CLAIR', Data: { Action: 'SET', Value: 'AWS_NATIVE' } });
    expect(ecr.commandCalls(PutAccountSettingCommand)[0].args[0].input).toEqual({ name: 'BASIC_SCAN_TYPE_VERSION', value: 'AWS_NATIVE' });
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
    ['default: keeps the value', 'false', 'ecr-account-setting:BASIC_SCAN_TYPE_VERSION:prior=CLAIR', undefined],
    ['opted in: restores the recorded value', 'true', 'ecr-account-setting:BASIC_SCAN_TYPE_VERSION:prior=CLAIR', 'CLAIR'],
    ['opted in, nothing recorded: keeps the value', 'true', 'ecr-account-setting:BASIC_SCAN_TYPE_VERSION:prior=', undefined],
  ])('delete, %s', async (_, restore, physicalId, restored) => {
    ecr.on(PutAccountSettingCommand).resolves({});
    await handle(settingEvent('Delete', { RestoreOnDelete: restore }, physicalId), deps());
    const calls = ecr.commandCalls(PutAccountSettingCommand);
    expect(calls.map((c) => c.args[0].input.value)).toEqual(restored ? [restored] : []);
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
});
