/**
 * The response to CloudFormation: a document of at most 4,096 bytes, sent
 * to the pre-signed URL and sent again when the upload fails.
 */
import * as https from 'https';
import { CustomResourceEvent } from './request';

/** CloudFormation's limit on a custom resource response. */
export const MAX_RESPONSE_BYTES = 4_096;

/**
 * The response document as text of at most 4,096 bytes: the failure reason
 * is cut, by UTF-8 bytes after JSON escaping, without splitting a character.
 */
export function fitResponse(body: Record<string, unknown>): string {
  const full = JSON.stringify(body);
  if (Buffer.byteLength(full) <= MAX_RESPONSE_BYTES) return full;
  const reason = Array.from(String(body.Reason ?? ''));
  const text = (n: number) => JSON.stringify({ ...body, Reason: n < reason.length ? `${reason.slice(0, n).join('')} [cut]` : reason.join('') });
  let lo = 0;
  let hi = reason.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (Buffer.byteLength(text(mid)) <= MAX_RESPONSE_BYTES) lo = mid; else hi = mid - 1;
  }
  const cut = text(lo);
  if (Buffer.byteLength(cut) <= MAX_RESPONSE_BYTES) return cut;
  // Even without a reason it is too large (data): answer with the essentials.
  return JSON.stringify({
    Status: body.Status,
    Reason: 'response too large; see the function\'s log',
    PhysicalResourceId: body.PhysicalResourceId,
    StackId: body.StackId,
    RequestId: body.RequestId,
    LogicalResourceId: body.LogicalResourceId,
  });
}

/** How the response is sent. */
export interface RespondOptions {
  readonly attempts?: number;
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Sends the response document to CloudFormation's pre-signed URL. A
 * network error or a status other than 2xx is tried again, with backoff
 * and jitter, within the time kept back for responding.
 */
export async function respond(event: CustomResourceEvent, text: string, options: RespondOptions = {}): Promise<void> {
  const attempts = options.attempts ?? 4;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const status = await put1(event.ResponseURL!, text, options.timeoutMs ?? 4_000);
      if (status >= 200 && status < 300) return;
      last = new Error(`the response upload answered HTTP ${status}`);
    } catch (e) {
      last = e;
    }
    if (attempt < attempts) await sleep(250 * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
  }
  throw new Error(`the response could not be sent to CloudFormation after ${attempts} attempts: ${(last as any)?.message ?? last}`);
}

function put1(responseUrl: string, text: string, timeoutMs: number): Promise<number> {
  const url = new URL(responseUrl);
  return new Promise((resolve, reject) => {
    const request = https.request({
      hostname: url.hostname,
      path: `${url.pathname}${url.search}`,
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(text) },
      timeout: timeoutMs,
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(text);
  });
}
