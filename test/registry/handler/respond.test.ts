import { GetAccountSettingCommand } from '@aws-sdk/client-ecr';
import { context, ecr, resetMocks, serviceError, STACK_ID, useResponseServer } from './fixtures';
import { handler } from '../../../src/registry/account-settings.lambda';
import { fitResponse } from '../../../src/registry/handler/respond';

/*
 * The response to CloudFormation (src/registry/handler/respond.ts): at most 4,096 bytes of
 * valid JSON, sent again when the upload fails, and never a reason for the function to hang.
 */

beforeEach(resetMocks);

describe('the response to CloudFormation', () => {
  const server = useResponseServer();

  test('given response uploads answered with errors, then the response is sent again until it is accepted', async () => {
    ecr.on(GetAccountSettingCommand).resolves({ value: 'V2' });
    server.answers = [500, 403];
    await handler({
      RequestType: 'Create',
      ResponseURL: server.url(),
      StackId: STACK_ID,
      RequestId: 'r6',
      LogicalResourceId: 'Setting',
      ResourceProperties: { Kind: 'AccountSetting', Name: 'REGISTRY_POLICY_SCOPE', Value: 'V2' },
    }, context(60_000));
    expect(server.received).toHaveLength(3);
    expect(server.received.map((r) => r.body.Status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
  });

  test('given every response upload failing, then the function still ends (and logs), leaving CloudFormation to its service timeout', async () => {
    ecr.on(GetAccountSettingCommand).resolves({ value: 'V2' });
    server.answers = [500, 500, 500, 500];
    await expect(handler({
      RequestType: 'Create',
      ResponseURL: server.url(),
      StackId: STACK_ID,
      RequestId: 'r6b',
      LogicalResourceId: 'Setting',
      ResourceProperties: { Kind: 'AccountSetting', Name: 'REGISTRY_POLICY_SCOPE', Value: 'V2' },
    }, context(60_000))).resolves.toBeUndefined();
    expect(server.received).toHaveLength(4);
    expect(console.error).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringMatching(/could not be sent to CloudFormation after 4 attempts: the response upload answered HTTP 500/) }));
  });

  test('given a long multi-byte failure message, then the response is at most 4,096 bytes, cut without breaking a character', async () => {
    // Three UTF-8 bytes per character, and characters JSON must escape.
    const message = 'アクセスが拒否されました ✓ "\u0001" 🔐 '.repeat(300);
    ecr.on(GetAccountSettingCommand).rejects(serviceError('AccessDeniedException', message, 403));
    await handler({
      RequestType: 'Create',
      ResponseURL: server.url(),
      StackId: STACK_ID,
      RequestId: 'r7',
      LogicalResourceId: 'Setting',
      ResourceProperties: { Kind: 'AccountSetting', Name: 'REGISTRY_POLICY_SCOPE', Value: 'V2' },
    }, context(60_000));
    expect(server.received).toHaveLength(1);
    expect(server.received[0].bytes).toBeLessThanOrEqual(4_096);
    expect(server.received[0].body.Status).toBe('FAILED');
    expect(server.received[0].body.Reason).toMatch(/^ecr:GetAccountSetting failed: AccessDeniedException: アクセスが拒否されました ✓ "\u0001" 🔐/);
    expect(server.received[0].body.Reason).not.toMatch(/\uFFFD/);
    expect(server.received[0].body.Reason.length).toBeGreaterThan(1_000);
  });

  test('fitResponse: any reason, any characters, at most 4,096 bytes of valid JSON', () => {
    for (const unit of ['a', '"', '\\', '\u0001', 'é', '✓', '🔐', '\uD800']) {
      const text = fitResponse({ Status: 'FAILED', Reason: unit.repeat(5_000), PhysicalResourceId: 'x', StackId: STACK_ID, RequestId: 'r', LogicalResourceId: 'L' });
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(4_096);
      const parsed = JSON.parse(text);
      expect(parsed.Status).toBe('FAILED');
      expect(parsed.Reason.length).toBeGreaterThan(100);
    }
  });
});
