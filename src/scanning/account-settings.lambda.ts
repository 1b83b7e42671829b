/**
 * Custom resource handler for the registry settings that have no
 * CloudFormation resource: Amazon Inspector scanning of ECR images (enable,
 * rescan durations) and the ECR account settings (PutAccountSetting).
 *
 * The AWS SDK v3 clients come from the Lambda Node.js runtime: the bundle
 * marks `@aws-sdk/*` external, so deployments carry a few kilobytes and
 * install nothing from the network.
 *
 * Every request converges to the requested state whatever the account's
 * state was, and a delete turns nothing off unless the user opted in, and
 * then only what was off before this resource turned it on: the prior state
 * is kept in the physical resource ID.
 */
/* eslint-disable import/no-extraneous-dependencies */
import * as https from 'https';
import { ECRClient, GetAccountSettingCommand, PutAccountSettingCommand } from '@aws-sdk/client-ecr';
import {
  BatchGetAccountStatusCommand,
  DisableCommand,
  EnableCommand,
  Inspector2Client,
  UpdateConfigurationCommand,
} from '@aws-sdk/client-inspector2';
/* eslint-enable import/no-extraneous-dependencies */

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
  readonly sleep: (ms: number) => Promise<void>;
  /** How long to wait for Inspector to finish enabling or disabling. */
  readonly maxWaitMs: number;
  /** The first retry delay of a transient error, doubled each attempt. */
  readonly retryBaseMs: number;
  /** Attempts of one call before a transient error fails the request. */
  readonly maxAttempts: number;
}

const INSPECTOR_ID = 'inspector-ecr';
const SETTING_ID = 'ecr-account-setting';

/** Handles one request: returns the outcome or throws the error to report. */
export async function handle(event: CustomResourceEvent, deps: Dependencies): Promise<Outcome> {
  const props = event.ResourceProperties;
  switch (props.Kind) {
    case 'Inspector':
      return inspector(event, deps);
    case 'AccountSetting':
      return accountSetting(event, deps);
    default:
      throw new Error(`unknown Kind '${props.Kind}': expected Inspector or AccountSetting`);
  }
}

async function inspector(event: CustomResourceEvent, deps: Dependencies): Promise<Outcome> {
  const props = event.ResourceProperties;
  if (event.RequestType === 'Delete') {
    const prior = priorOf(event.PhysicalResourceId, INSPECTOR_ID);
    const optedIn = props.DisableOnDelete === 'true' && prior !== undefined && prior !== 'ENABLED';
    if (optedIn && await ecrStatus(deps) === 'ENABLED') {
      await call(deps, 'inspector2:Disable', () => deps.inspector.send(new DisableCommand({ resourceTypes: ['ECR'] })));
      return { PhysicalResourceId: event.PhysicalResourceId!, Data: { Action: 'DISABLED' } };
    }
    return { PhysicalResourceId: event.PhysicalResourceId ?? INSPECTOR_ID, Data: { Action: 'KEPT' } };
  }

  const before = await settled(deps);
  let action = 'ALREADY_ENABLED';
  if (before !== 'ENABLED') {
    const result = await call(deps, 'inspector2:Enable', () => deps.inspector.send(new EnableCommand({ resourceTypes: ['ECR'] })));
    const failed = result.failedAccounts ?? [];
    if (failed.length > 0) {
      throw new Error(`Amazon Inspector could not be enabled for ECR: ${failed.map((f) => `${f.accountId}: ${f.errorCode} ${f.errorMessage}`).join('; ')}`);
    }
    const after = await settled(deps);
    if (after !== 'ENABLED') throw new Error(`Amazon Inspector scanning of ECR is ${after} after enabling: expected ENABLED`);
    action = 'ENABLED';
  }

  if (props.RescanDuration) {
    await call(deps, 'inspector2:UpdateConfiguration', () => deps.inspector.send(new UpdateConfigurationCommand({
      ecrConfiguration: {
        rescanDuration: props.RescanDuration as any,
        pullDateRescanDuration: (props.PullDateRescanDuration || undefined) as any,
        pullDateRescanMode: (props.PullDateRescanMode || undefined) as any,
      },
    })));
  }

  // An update keeps the state recorded when the resource was created.
  const physicalId = event.RequestType === 'Update' && event.PhysicalResourceId?.startsWith(`${INSPECTOR_ID}:`)
    ? event.PhysicalResourceId
    : `${INSPECTOR_ID}:prior=${before}`;
  return { PhysicalResourceId: physicalId, Data: { Action: action, PriorStatus: priorOf(physicalId, INSPECTOR_ID) ?? before } };
}

async function accountSetting(event: CustomResourceEvent, deps: Dependencies): Promise<Outcome> {
  const props = event.ResourceProperties;
  const name = props.Name;
  const value = props.Value;
  if (!name) throw new Error('Name is missing');

  if (event.RequestType === 'Delete') {
    const recorded = parseSettingId(event.PhysicalResourceId);
    if (props.RestoreOnDelete === 'true' && recorded && recorded.prior !== undefined && recorded.name === name) {
      await put(deps, name, recorded.prior);
      return { PhysicalResourceId: event.PhysicalResourceId!, Data: { Action: 'RESTORED', Value: recorded.prior } };
    }
    return { PhysicalResourceId: event.PhysicalResourceId ?? `${SETTING_ID}:${name}`, Data: { Action: 'KEPT' } };
  }

  if (!value) throw new Error(`Value of ${name} is missing`);
  const recorded = parseSettingId(event.PhysicalResourceId);
  const keep = event.RequestType === 'Update' && recorded?.name === name;
  const current = await call(deps, 'ecr:GetAccountSetting', () => deps.ecr.send(new GetAccountSettingCommand({ name })));
  const before = current.value;
  let action = 'UNCHANGED';
  if (before !== value) {
    await put(deps, name, value);
    action = 'SET';
  }
  const physicalId = keep ? event.PhysicalResourceId! : `${SETTING_ID}:${name}:prior=${before ?? ''}`;
  return { PhysicalResourceId: physicalId, Data: { Action: action, Value: value } };
}

async function put(deps: Dependencies, name: string, value: string): Promise<void> {
  await call(deps, 'ecr:PutAccountSetting', () => deps.ecr.send(new PutAccountSettingCommand({ name, value })));
}

function priorOf(physicalId: string | undefined, prefix: string): string | undefined {
  const m = physicalId?.match(new RegExp(`^${prefix}:prior=([A-Z_]+)$`));
  return m ? m[1] : undefined;
}

function parseSettingId(physicalId: string | undefined): { name: string; prior: string | undefined } | undefined {
  const m = physicalId?.match(new RegExp(`^${SETTING_ID}:([A-Z_]+)(?::prior=([A-Za-z0-9_]*))?$`));
  if (!m) return undefined;
  return { name: m[1], prior: m[2] ? m[2] : undefined };
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

/** Waits, bounded, until the ECR status is no longer in transition. */
async function settled(deps: Dependencies): Promise<string> {
  let waited = 0;
  let delay = 2_000;
  for (;;) {
    const status = await ecrStatus(deps);
    if (!TRANSITIONAL.has(status)) return status;
    if (waited >= deps.maxWaitMs) {
      throw new Error(`Amazon Inspector scanning of ECR is still ${status} after ${Math.round(waited / 1000)} s: retry the deployment later`);
    }
    await deps.sleep(delay);
    waited += delay;
    delay = Math.min(delay * 2, 30_000);
  }
}

const TRANSIENT = new Set([
  'ThrottlingException', 'TooManyRequestsException', 'Throttling', 'RequestLimitExceeded',
  'InternalServerException', 'ServiceUnavailableException', 'ServerException', 'LimitExceededException',
]);

/** Whether an error is worth retrying: throttling and 5xx. */
export function isTransient(error: any): boolean {
  if (error?.$retryable) return true;
  if (TRANSIENT.has(error?.name)) return true;
  const status = error?.$metadata?.httpStatusCode;
  return typeof status === 'number' && (status >= 500 || status === 429);
}

/** Calls the API, retrying transient errors with exponential backoff and jitter. */
async function call<T>(deps: Dependencies, what: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e: any) {
      if (!isTransient(e) || attempt >= deps.maxAttempts) {
        throw new Error(`${what} failed${attempt > 1 ? ` after ${attempt} attempts` : ''}: ${e?.name ?? 'Error'}: ${e?.message ?? String(e)}`);
      }
      const delay = deps.retryBaseMs * 2 ** (attempt - 1);
      await deps.sleep(delay / 2 + Math.random() * delay / 2);
    }
  }
}

/** The Lambda entry point: handles the request and reports to CloudFormation. */
export async function handler(event: CustomResourceEvent): Promise<void> {
  const deps: Dependencies = {
    inspector: new Inspector2Client({}),
    ecr: new ECRClient({}),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    maxWaitMs: 10 * 60_000,
    retryBaseMs: 1_000,
    maxAttempts: 6,
  };
  let response: Record<string, unknown>;
  try {
    const outcome = await handle(event, deps);
    response = { Status: 'SUCCESS', ...outcome };
  } catch (e: any) {
    console.error(e);
    response = {
      Status: 'FAILED',
      Reason: String(e?.message ?? e).slice(0, 3_000),
      PhysicalResourceId: event.PhysicalResourceId ?? `${event.ResourceProperties.Kind === 'Inspector' ? INSPECTOR_ID : SETTING_ID}:failed`,
    };
  }
  await respond(event, { ...response, StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId });
}

/** Sends the response document to CloudFormation's pre-signed URL. */
export function respond(event: CustomResourceEvent, body: Record<string, unknown>): Promise<void> {
  const text = JSON.stringify(body);
  const url = new URL(event.ResponseURL!);
  return new Promise((resolve, reject) => {
    const request = https.request({
      hostname: url.hostname,
      path: `${url.pathname}${url.search}`,
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(text) },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    request.on('error', reject);
    request.end(text);
  });
}
