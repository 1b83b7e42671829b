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
 *
 * This file is the Lambda entry point and a small dispatcher: each kind of
 * resource has its module in ./handler/ (inspector, account-setting,
 * delegated-admin, organization), next to the plumbing they share (calls
 * with retries, the stack's own resources, the time budget, the response).
 * esbuild bundles them into one file; they import only what the Lambda
 * runtime has (Node.js built-ins and the AWS SDK v3).
 */
import { accountSetting } from './handler/account-setting';
import { budgetMs, LambdaContext } from './handler/budget';
import { createClients } from './handler/clients';
import { delegatedAdmin } from './handler/delegated-admin';
import { inspector } from './handler/inspector';
import { organization } from './handler/organization';
import { CustomResourceEvent, Dependencies, Outcome, PartialFailure, progress } from './handler/request';
import { ADMIN_ID, INSPECTOR_ID, ORGANIZATION_ID, SETTING_ID } from './handler/resource-types';
import { fitResponse, respond, RespondOptions } from './handler/respond';

export { parseInspectorId } from './handler/inspector';
export { parseAdminId } from './handler/delegated-admin';
export { parseOrganizationId } from './handler/organization';
export { isTransient } from './handler/retry';
export { budgetMs, RESPONSE_RESERVE_MS } from './handler/budget';
export { createClients, SDK_CLIENT_CONFIG } from './handler/clients';
export { fitResponse, MAX_RESPONSE_BYTES, respond } from './handler/respond';
export { PartialFailure } from './handler/request';
export type { Role } from './handler/placement';
export type { LambdaContext } from './handler/budget';
export type { RespondOptions } from './handler/respond';
export type { CustomResourceEvent, Dependencies, Outcome } from './handler/request';

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
