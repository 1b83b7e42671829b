import * as http from 'http';
import * as https from 'https';
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { ECRClient } from '@aws-sdk/client-ecr';
import { GetConfigurationCommand, GetDelegatedAdminAccountCommand, Inspector2Client } from '@aws-sdk/client-inspector2';
import { mockClient } from 'aws-sdk-client-mock';
import { CustomResourceEvent, Dependencies, LambdaContext } from '../../../src/registry/account-settings.lambda';

/*
 * What the tests of the settings handler share: mocked AWS clients, a virtual clock, the
 * events CloudFormation sends, and a local server that stands for CloudFormation's
 * pre-signed response URL.
 */

export const inspector = mockClient(Inspector2Client);
export const ecr = mockClient(ECRClient);
export const cloudformation = mockClient(CloudFormationClient);
/** Every wait the handler made through `Dependencies.sleep`, in order. */
export const sleeps: number[] = [];

export const ACCOUNT = '111111111111';
export const ADMIN = '222222222222';
export const STACK_ID = `arn:aws:cloudformation:eu-west-1:${ACCOUNT}:stack/Platform/0d3a6c70-cd4e-11ef-9d5c-0a1b2c3d4e5f`;

/** Dependencies with a virtual clock that only sleeps advance. */
export function deps(budgetMs = 600_000): Dependencies {
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

/** BatchGetAccountStatus showing ECR scanning in the given status. */
export function status(s: string) {
  return { accounts: [{ accountId: ACCOUNT, state: { status: 'ENABLED' as const }, resourceState: { ecr: { status: s as any }, ec2: { status: 'DISABLED' as const } } }] } as any;
}

/** GetConfiguration showing the given rescan durations. */
export function rescanState(rescanDuration: string, pullDateRescanDuration?: string, pullDateRescanMode?: string) {
  return { ecrConfiguration: { rescanDurationState: { rescanDuration, pullDateRescanDuration, pullDateRescanMode, status: 'SUCCESS' } } } as any;
}

/** A request for Amazon Inspector scanning (Kind Inspector). */
export function inspectorEvent(type: 'Create' | 'Update' | 'Delete', props: Record<string, string | undefined> = {}, physicalId?: string, extra: Partial<CustomResourceEvent> = {}): CustomResourceEvent {
  return {
    RequestType: type,
    PhysicalResourceId: physicalId,
    StackId: STACK_ID,
    LogicalResourceId: 'Inspector0342A8C8',
    ResourceProperties: { Kind: 'Inspector', RescanDuration: 'DAYS_180', DisableOnDelete: 'false', ...props },
    ...extra,
  };
}

/** A request for an ECR account setting (Kind AccountSetting). */
export function settingEvent(type: 'Create' | 'Update' | 'Delete', props: Record<string, string> = {}, physicalId?: string, extra: Partial<CustomResourceEvent> = {}): CustomResourceEvent {
  return {
    RequestType: type,
    PhysicalResourceId: physicalId,
    StackId: STACK_ID,
    LogicalResourceId: 'SettingsBASICSCANTYPEVERSION',
    ResourceProperties: { Kind: 'AccountSetting', Name: 'BASIC_SCAN_TYPE_VERSION', Value: 'AWS_NATIVE', RestoreOnDelete: 'false', ...props },
    ...extra,
  };
}

/** An error as the AWS SDK v3 throws it. */
export function serviceError(name: string, message: string, httpStatusCode: number): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode }, $fault: httpStatusCode >= 500 ? 'server' : 'client' });
}

/** The stack as ListStackResources shows it. */
export function stackHolds(...resources: Array<[logicalId: string, type: string, physicalId: string, status?: string]>) {
  cloudformation.on(ListStackResourcesCommand).resolves({
    StackResourceSummaries: resources.map(([LogicalResourceId, ResourceType, PhysicalResourceId, ResourceStatus]) => ({
      LogicalResourceId, ResourceType, PhysicalResourceId, ResourceStatus: (ResourceStatus ?? 'CREATE_COMPLETE') as any, LastUpdatedTimestamp: new Date(0),
    })),
  });
}

/**
 * Resets the mocks before each test: a standalone account by default (Inspector has no
 * delegated administrator), rescan durations of 14 days, an empty stack.
 */
export function resetMocks(): void {
  inspector.reset();
  ecr.reset();
  cloudformation.reset();
  sleeps.length = 0;
  inspector.on(GetDelegatedAdminAccountCommand).rejects(serviceError('ResourceNotFoundException', 'No delegated admin', 404));
  inspector.on(GetConfigurationCommand).resolves(rescanState('DAYS_14'));
  stackHolds();
}

/** A Lambda context with the given time left. */
export function context(ms: number): LambdaContext {
  return { getRemainingTimeInMillis: () => ms };
}

/** What the response server received: one entry per upload. */
export interface Upload {
  readonly method: string;
  readonly path: string;
  readonly bytes: number;
  readonly body: any;
}

/** The response server of a test file, see `useResponseServer`. */
export interface ResponseServer {
  /** The uploads received since the test began. */
  readonly received: Upload[];
  /** The HTTP statuses of the next uploads, in order (200 once they run out). */
  answers: number[];
  /** The pre-signed response URL the events carry. */
  url(): string;
}

/**
 * Registers the hooks of a local server that stands for CloudFormation's pre-signed
 * response URL. The response goes over HTTPS; the server answers over plain HTTP on
 * localhost. Each test starts with no uploads and console.error silenced.
 */
export function useResponseServer(): ResponseServer {
  let server: http.Server;
  let port: number;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const httpsModule: typeof https = require('https');
  const state: ResponseServer = {
    received: [],
    answers: [],
    url: () => `https://127.0.0.1:${port}/response?signature=x`,
  };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => body += c);
      req.on('end', () => {
        state.received.push({ method: req.method!, path: req.url!, bytes: Buffer.byteLength(body), body: JSON.parse(body) });
        res.statusCode = state.answers.shift() ?? 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as any).port;
  });
  beforeEach(() => {
    state.received.length = 0;
    state.answers = [];
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    jest.spyOn(httpsModule, 'request').mockImplementation(((options: any, cb: any) => http.request({ ...options, port }, cb)) as any);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => server.close());
  return state;
}
