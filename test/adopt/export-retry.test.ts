import { Readable } from 'stream';
import * as sdk from '@aws-sdk/client-ecr';
import { ECRClient } from '@aws-sdk/client-ecr';
import { assembleRegistryExport, renderRegistryExport } from '../../src/adopt/export-assemble';
import { readLiveRegistry, REGISTRY_CALLS } from '../../src/adopt/export-live';
import { readRegistryExport } from '../../src/adopt/export-read';
import { MAX_ATTEMPTS } from '../../src/cli/registry-export';

/*
 * The live export with a real ECR client whose HTTP is answered in memory: the SDK's
 * own serialization, error parsing and standard retry strategy run (aws-sdk-client-mock
 * replaces send(), so it cannot show a retry).
 */

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';

describe('the SDK\'s standard retries (real client, HTTP answered in memory)', () => {
  /** Answers the JSON protocol's calls by target; the first DescribeRegistry is throttled. */
  function handler(answers: Record<string, (n: number) => { status: number; body: object }>) {
    const seen: string[] = [];
    return {
      seen,
      handle: async (request: { headers: Record<string, string> }) => {
        const operation = request.headers['x-amz-target'].split('.')[1];
        seen.push(operation);
        const answer = (answers[operation] ?? (() => ({ status: 200, body: {} })))(seen.filter((s) => s === operation).length);
        const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
        if (answer.status !== 200) headers['x-amzn-errortype'] = (answer.body as { __type: string }).__type;
        return { response: { statusCode: answer.status, headers, body: Readable.from([Buffer.from(JSON.stringify(answer.body))]) } };
      },
      updateHttpClientConfig: () => undefined,
      httpHandlerConfigs: () => ({}),
    };
  }

  test('given a ThrottlingException on the first attempt, then the SDK retries it and the export completes', async () => {
    const http = handler({
      DescribeRepositories: () => ({ status: 200, body: { repositories: [{ repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/web`, registryId: ACCOUNT, repositoryName: 'web', createdAt: 1735689600, imageTagMutability: 'MUTABLE', encryptionConfiguration: { encryptionType: 'AES256' } }] } }),
      DescribeRegistry: (n) => (n === 1
        ? { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } }
        : { status: 200, body: { registryId: ACCOUNT } }),
      GetLifecyclePolicy: () => ({ status: 400, body: { __type: 'LifecyclePolicyNotFoundException', message: 'none' } }),
      GetRepositoryPolicy: () => ({ status: 400, body: { __type: 'RepositoryPolicyNotFoundException', message: 'none' } }),
      GetRegistryPolicy: () => ({ status: 400, body: { __type: 'RegistryPolicyNotFoundException', message: 'none' } }),
      GetSigningConfiguration: () => ({ status: 400, body: { __type: 'SigningConfigurationNotFoundException', message: 'none' } }),
      ListTagsForResource: () => ({ status: 200, body: { tags: [{ Key: 'b', Value: '2' }, { Key: 'a', Value: '1' }] } }),
      GetAccountSetting: () => ({ status: 200, body: { name: 'BLOB_MOUNTING', value: 'ENABLED' } }),
    });
    const client = new ECRClient({
      region: REGION,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      requestHandler: http as any,
      // The command line's own settings: the standard retry mode (one retry of a throttled call waits at most 0.5 s).
      retryMode: 'standard',
      maxAttempts: MAX_ATTEMPTS,
    });
    const responses = await readLiveRegistry(client as any, sdk, { region: REGION, exportedAt: '2026-01-01T00:00:00.000Z' });
    expect(http.seen.filter((s) => s === 'DescribeRegistry')).toHaveLength(2);
    expect(http.seen).toHaveLength(1 + 3 + REGISTRY_CALLS + 1);
    const assembled = assembleRegistryExport(responses);
    expect(assembled.problems).toEqual([]);
    const exported = assembled.registryExport!;
    expect(exported.repositories[0]).toMatchObject({ repositoryName: 'web', tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] });
    expect(exported.repositories[0].lifecyclePolicyText).toBeUndefined();
    expect(readRegistryExport(renderRegistryExport(exported), 'export.json').problems).toEqual([]);
  });

  test('given the optional calls answered over HTTP with an unknown operation and a validation error, then the SDK names them so and the settings are unavailable', async () => {
    const http = handler({
      GetRegistryPolicy: () => ({ status: 400, body: { __type: 'RegistryPolicyNotFoundException', message: 'none' } }),
      GetSigningConfiguration: () => ({ status: 400, body: { __type: 'UnknownOperationException', message: 'unknown operation' } }),
      ListPullTimeUpdateExclusions: () => ({ status: 400, body: { __type: 'com.amazonaws.ecr#ValidationException', message: 'not supported' } }),
      GetAccountSetting: () => ({ status: 200, body: { name: 'BLOB_MOUNTING', value: 'ENABLED' } }),
    });
    const client = new ECRClient({
      region: REGION, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, requestHandler: http as any, retryMode: 'standard', maxAttempts: MAX_ATTEMPTS,
    });
    const responses = await readLiveRegistry(client as any, sdk, { region: REGION, exportedAt: '2026-01-01T00:00:00.000Z' });
    expect(responses.unavailable).toEqual({
      signingConfiguration: 'ecr:GetSigningConfiguration answered UnknownOperationException: unknown operation',
      pullTimeUpdateExclusions: 'ecr:ListPullTimeUpdateExclusions answered ValidationException: not supported',
    });
    // Neither is retried: client errors.
    expect(http.seen.filter((s) => s === 'GetSigningConfiguration' || s === 'ListPullTimeUpdateExclusions')).toHaveLength(2);
  });

  test('given an AccessDeniedException over HTTP, then it is not retried and names the action', async () => {
    const http = handler({
      DescribeRepositories: () => ({ status: 400, body: { __type: 'AccessDeniedException', message: 'User: x is not authorized to perform: ecr:DescribeRepositories' } }),
    });
    const client = new ECRClient({
      region: REGION, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, requestHandler: http as any, retryMode: 'standard', maxAttempts: MAX_ATTEMPTS,
    });
    await expect(readLiveRegistry(client as any, sdk, { region: REGION })).rejects.toThrow(
      `access denied: ecr:DescribeRepositories on the registry in ${REGION}: the export needs ecr:DescribeRepositories`);
    expect(http.seen).toEqual(['DescribeRepositories']);
  });
});
