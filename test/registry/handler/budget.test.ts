import { BatchGetAccountStatusCommand } from '@aws-sdk/client-inspector2';
import { context, deps, inspector, inspectorEvent, resetMocks, sleeps, status, useResponseServer } from './fixtures';
import { CustomResourceEvent, handle, handler } from '../../../src/registry/account-settings.lambda';
import { budgetMs, RESPONSE_RESERVE_MS } from '../../../src/registry/handler/budget';

/*
 * The time budget of a request (src/registry/handler/budget.ts): taken from the Lambda
 * context and the custom resource's service timeout, minus the time kept to respond, so
 * that CloudFormation always hears back before the function ends.
 */

beforeEach(resetMocks);

describe('the time budget', () => {
  test('the time budget is what the context leaves, capped by the service timeout, minus the time kept to respond', () => {
    const event = (timeout?: string): CustomResourceEvent => ({ RequestType: 'Create', ResourceProperties: { Kind: 'Inspector', ServiceTimeout: timeout } });
    expect(budgetMs(event('600'), { getRemainingTimeInMillis: () => 900_000 })).toBe(600_000 - RESPONSE_RESERVE_MS);
    expect(budgetMs(event(), { getRemainingTimeInMillis: () => 120_000 })).toBe(120_000 - RESPONSE_RESERVE_MS);
    expect(budgetMs(event('600'), { getRemainingTimeInMillis: () => 5_000 })).toBe(0);
  });

  test('given scanning that stays ENABLING, then the request fails without waiting past its deadline', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLING'));
    await expect(handle(inspectorEvent('Create'), deps(30_000))).rejects.toThrow(/still ENABLING after \d+ s: retry the deployment later/);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(30_000);
  });

  describe('with the response server', () => {
    const server = useResponseServer();

    test('given a Lambda context with little time left, when a wait cannot end in time, then the request fails and CloudFormation hears of it before the function times out', async () => {
      inspector.on(BatchGetAccountStatusCommand).resolves(status('ENABLING'));
      // every wait the handler plans, read from its timers rather than from a clock
      const timers = jest.spyOn(global, 'setTimeout');
      try {
        // 23 s left: 3 s of budget after the 20 s kept to respond.
        await handler(inspectorEvent('Create', {}, undefined, { ResponseURL: server.url(), RequestId: 'r5' }), context(23_000));
        expect(server.received).toHaveLength(1);
        expect(server.received[0].body).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/still ENABLING after \d+ s: retry the deployment later/) });
        const waits = timers.mock.calls.map(([, ms]) => Number(ms ?? 0));
        expect(waits.length).toBeGreaterThan(0);
        // no wait ends past the 3 s budget, so the answer leaves before the function's end
        expect(Math.max(...waits)).toBeLessThanOrEqual(3_000);
      } finally {
        timers.mockRestore();
      }
    }, 10_000);
  });
});
