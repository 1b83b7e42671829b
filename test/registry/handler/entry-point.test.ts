import { GetAccountSettingCommand } from '@aws-sdk/client-ecr';
import { deps, ecr, resetMocks, serviceError, useResponseServer } from './fixtures';
import { handle, handler } from '../../../src/registry/account-settings.lambda';

/*
 * The Lambda entry point (src/registry/account-settings.lambda.ts): it dispatches each
 * request to the module of its kind and reports the outcome to CloudFormation.
 */

beforeEach(resetMocks);

describe('the Lambda entry point', () => {
  const server = useResponseServer();

  test('an unknown kind fails', async () => {
    await expect(handle({ RequestType: 'Create', ResourceProperties: { Kind: 'Other' } }, deps())).rejects.toThrow(/unknown Kind 'Other'/);
  });

  test('reports a failure to CloudFormation with the error as the reason', async () => {
    ecr.on(GetAccountSettingCommand).rejects(serviceError('AccessDeniedException', 'not authorized to perform ecr:GetAccountSetting', 403));
    await handler({
      RequestType: 'Create',
      ResponseURL: server.url(),
      StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/S/1',
      RequestId: 'r1',
      LogicalResourceId: 'Setting',
      ResourceProperties: { Kind: 'AccountSetting', Name: 'REGISTRY_POLICY_SCOPE', Value: 'V2' },
    });
    expect(server.received).toHaveLength(1);
    expect(server.received[0].method).toBe('PUT');
    expect(server.received[0].path).toBe('/response?signature=x');
    expect(server.received[0].body).toEqual({
      Status: 'FAILED',
      Reason: 'ecr:GetAccountSetting failed: AccessDeniedException: not authorized to perform ecr:GetAccountSetting',
      PhysicalResourceId: 'ecr-account-setting:failed',
      StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/S/1',
      RequestId: 'r1',
      LogicalResourceId: 'Setting',
    });
  });

  test('reports success with the physical ID and data', async () => {
    ecr.on(GetAccountSettingCommand).resolves({ value: 'V2' });
    await handler({
      RequestType: 'Create',
      ResponseURL: server.url(),
      RequestId: 'r2',
      ResourceProperties: { Kind: 'AccountSetting', Name: 'REGISTRY_POLICY_SCOPE', Value: 'V2' },
    });
    expect(server.received[0].body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'ecr-account-setting:REGISTRY_POLICY_SCOPE:prior=V2', Data: { Action: 'UNCHANGED' } });
  });
});
