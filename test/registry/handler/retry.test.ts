import { BatchGetAccountStatusCommand, EnableCommand, UpdateConfigurationCommand } from '@aws-sdk/client-inspector2';
import { deps, inspector, inspectorEvent, resetMocks, serviceError, sleeps, status } from './fixtures';
import { handle } from '../../../src/registry/account-settings.lambda';
import { createClients } from '../../../src/registry/handler/clients';
import { isTransient } from '../../../src/registry/handler/retry';

/*
 * Calls to AWS (src/registry/handler/retry.ts, clients.ts): one layer of retries, for
 * throttling and server errors only, with backoff and jitter; anything else fails at once
 * with the service's message.
 */

beforeEach(resetMocks);

describe('calls to AWS', () => {
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

  test.each(['LimitExceededException', 'ServiceQuotaExceededException'])('given %s (a quota, not a transient error), then the call is not retried', async (name) => {
    expect(isTransient({ name, $metadata: { httpStatusCode: 400 } })).toBe(false);
    inspector.on(BatchGetAccountStatusCommand).rejects(serviceError(name, 'quota reached', 400));
    await expect(handle(inspectorEvent('Create'), deps())).rejects.toThrow(`inspector2:BatchGetAccountStatus failed: ${name}: quota reached`);
    expect(inspector.commandCalls(BatchGetAccountStatusCommand)).toHaveLength(1);
    expect(sleeps).toHaveLength(0);
  });

  test('given the function\'s SDK clients, then they make a single attempt per call (the handler\'s retries are the only layer)', async () => {
    const clients = createClients() as any;
    expect(await clients.inspector.config.maxAttempts()).toBe(1);
    expect(await clients.ecr.config.maxAttempts()).toBe(1);
    expect(await clients.cloudformation.config.maxAttempts()).toBe(1);
  });
});
