/**
 * Calls to AWS with the handler's one layer of retries: transient errors
 * (throttling, 5xx) are tried again with exponential backoff and full
 * jitter, within the request's time budget; quotas and refusals are not.
 */
import { Dependencies } from './request';

/** Errors that are never retried: quotas do not recover in seconds. */
const QUOTA = new Set(['LimitExceededException', 'ServiceQuotaExceededException']);

const TRANSIENT = new Set([
  'ThrottlingException', 'TooManyRequestsException', 'Throttling', 'RequestLimitExceeded',
  'InternalServerException', 'ServiceUnavailableException', 'ServerException',
]);

/** Whether an error is worth retrying: throttling and 5xx, never a quota. */
export function isTransient(error: any): boolean {
  if (QUOTA.has(error?.name)) return false;
  if (error?.$retryable) return true;
  if (TRANSIENT.has(error?.name)) return true;
  const status = error?.$metadata?.httpStatusCode;
  return typeof status === 'number' && (status >= 500 || status === 429);
}

export function describe(what: string, e: any, attempt: number): Error {
  return Object.assign(new Error(`${what} failed${attempt > 1 ? ` after ${attempt} attempts` : ''}: ${e?.name ?? 'Error'}: ${e?.message ?? String(e)}`), { cause: e });
}

/**
 * Calls the API, retrying transient errors with exponential backoff and
 * full jitter, within the time budget. The SDK clients make one attempt
 * each (see `createClients`): this is the only layer of retries.
 */
export async function call<T>(deps: Dependencies, what: string, fn: () => Promise<T>, options: { raw?: boolean } = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    if (deps.now() >= deps.deadline) throw new Error(`${what} not attempted: the time budget of this request is spent`);
    try {
      return await fn();
    } catch (e: any) {
      const delay = Math.random() * deps.retryBaseMs * 2 ** (attempt - 1);
      if (!isTransient(e) || attempt >= deps.maxAttempts || deps.now() + delay >= deps.deadline) {
        if (options.raw && !isTransient(e)) throw e;
        throw describe(what, e, attempt);
      }
      await deps.sleep(delay);
    }
  }
}
