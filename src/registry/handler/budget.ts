/**
 * The time budget of a request: the handler answers CloudFormation before
 * the Lambda function or the custom resource's service timeout ends.
 */
import { CustomResourceEvent } from './request';

/** What the handler reads of the Lambda context. */
export interface LambdaContext {
  getRemainingTimeInMillis(): number;
}

/** Time kept back from the budget to send the response (with retries). */
export const RESPONSE_RESERVE_MS = 20_000;

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
