import {
  DescribePullThroughCacheRulesCommand, DescribeRegistryCommand, DescribeRepositoriesCommand, DescribeRepositoryCreationTemplatesCommand, ECRClient,
  ECRServiceException, GetAccountSettingCommand, GetLifecyclePolicyCommand, GetRegistryPolicyCommand, GetRegistryScanningConfigurationCommand,
  GetRepositoryPolicyCommand, GetSigningConfigurationCommand, LifecyclePolicyNotFoundException, LimitExceededException,
  ListPullTimeUpdateExclusionsCommand, ListTagsForResourceCommand, RegistryPolicyNotFoundException, Repository, RepositoryPolicyNotFoundException,
  SigningConfigurationNotFoundException, ValidationException,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { cliFolderFileName } from '../../src/adopt/export-from-cli';
import { CALLS_PER_REPOSITORY, DEFAULT_CONCURRENCY, LIVE_EXPORT_ACTIONS, REGISTRY_CALLS, REPOSITORIES_PER_PAGE } from '../../src/adopt/export-live';
import { readRegistryExport } from '../../src/adopt/export-read';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, main } from '../../src/cli/main';
import { loadEcrSdk } from '../../src/cli/registry-export';
import { fakeIo } from '../cli/fake-io';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const PAGE = 2; // repositories per page of the mocked DescribeRepositories, to have several pages with few repositories

const ecr = mockClient(ECRClient);

/** A repository as DescribeRepositories returns it (the SDK gives createdAt as a Date). */
function repository(name: string, i: number): Repository {
  return {
    repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${name}`,
    registryId: ACCOUNT,
    repositoryName: name,
    repositoryUri: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${name}`,
    createdAt: new Date(Date.UTC(2025, 0, 1 + i)),
    imageTagMutability: i % 2 === 0 ? 'IMMUTABLE' : 'MUTABLE',
    imageScanningConfiguration: { scanOnPush: i % 2 === 0 },
    encryptionConfiguration: i % 3 === 0 ? { encryptionType: 'KMS', kmsKey: `arn:aws:kms:${REGION}:${ACCOUNT}:key/k${i}` } : { encryptionType: 'AES256' },
  };
}

const LIFECYCLE = '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}]}';
const POLICY = '{"Version":"2012-10-17","Statement":[{"Sid":"Pull","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":"ecr:BatchGetImage"}]}';

/**
 * Mocks a registry of `n` repositories (names out of order, several pages): every other
 * repository has a lifecycle policy, every third a repository policy; the others answer
 * the NotFound exceptions, constructed as the SDK does.
 */
function mockRegistry(n: number): Repository[] {
  const repositories = Array.from({ length: n }, (_, i) => repository(`team${(n - i) % 10}/app-${String(i).padStart(3, '0')}`, i));
  ecr.reset();
  ecr.on(DescribeRepositoriesCommand).callsFake((input) => {
    const start = input.nextToken === undefined ? 0 : Number(input.nextToken);
    const end = start + PAGE;
    const nextToken = end < repositories.length ? String(end) : undefined;
    return { repositories: repositories.slice(start, end), nextToken, $metadata: { httpStatusCode: 200 } };
  });
  const index = (name: string | undefined) => repositories.findIndex((r) => r.repositoryName === name);
  ecr.on(GetLifecyclePolicyCommand).callsFake((input) => {
    if (index(input.repositoryName) % 2 === 0) return { registryId: ACCOUNT, repositoryName: input.repositoryName, lifecyclePolicyText: LIFECYCLE };
    throw new LifecyclePolicyNotFoundException({ message: 'Lifecycle policy does not exist for the repository', $metadata: {} });
  });
  ecr.on(GetRepositoryPolicyCommand).callsFake((input) => {
    if (index(input.repositoryName) % 3 === 0) return { registryId: ACCOUNT, repositoryName: input.repositoryName, policyText: POLICY };
    throw new RepositoryPolicyNotFoundException({ message: 'Repository policy does not exist', $metadata: {} });
  });
  ecr.on(ListTagsForResourceCommand).callsFake((input) => ({
    tags: index(input.resourceArn?.split('/').slice(1).join('/')) % 2 === 0 ? [{ Key: 'team', Value: 'a' }, { Key: 'cost-center', Value: '42' }] : [],
  }));
  ecr.on(DescribeRegistryCommand).resolves({
    registryId: ACCOUNT,
    replicationConfiguration: { rules: [{ destinations: [{ region: 'us-east-1', registryId: ACCOUNT }], repositoryFilters: [{ filter: 'team1', filterType: 'PREFIX_MATCH' }] }] },
  });
  ecr.on(GetRegistryPolicyCommand).rejects(new RegistryPolicyNotFoundException({ message: 'Registry policy does not exist', $metadata: {} }));
  ecr.on(GetRegistryScanningConfigurationCommand).resolves({
    registryId: ACCOUNT, scanningConfiguration: { scanType: 'BASIC', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }] },
  });
  ecr.on(DescribePullThroughCacheRulesCommand).resolves({
    pullThroughCacheRules: [
      { ecrRepositoryPrefix: 'quay', upstreamRegistryUrl: 'quay.io', registryId: ACCOUNT, createdAt: new Date(Date.UTC(2025, 1, 1)), upstreamRegistry: 'quay' },
      { ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws', registryId: ACCOUNT, upstreamRegistry: 'ecr-public' },
    ],
  });
  ecr.on(DescribeRepositoryCreationTemplatesCommand).resolves({
    registryId: ACCOUNT,
    repositoryCreationTemplates: [{ prefix: 'ROOT', appliedFor: ['PULL_THROUGH_CACHE'], imageTagMutability: 'MUTABLE', encryptionConfiguration: { encryptionType: 'AES256' } }],
  });
  ecr.on(GetAccountSettingCommand).callsFake((input) => ({
    name: input.name, value: { BASIC_SCAN_TYPE_VERSION: 'AWS_NATIVE', BLOB_MOUNTING: 'ENABLED', REGISTRY_POLICY_SCOPE: 'V2' }[input.name as string],
  }));
  ecr.on(GetSigningConfigurationCommand).rejects(new SigningConfigurationNotFoundException({ message: 'No signing configuration', $metadata: {} }));
  ecr.on(ListPullTimeUpdateExclusionsCommand).resolves({ pullTimeUpdateExclusions: [`arn:aws:iam::${ACCOUNT}:role/z`, `arn:aws:iam::${ACCOUNT}:role/a`] });
  return repositories;
}

function exportCommand(extra: string[] = []): string[] {
  return ['registry', 'export', '--region', REGION, '--out', 'export.json', ...extra];
}

afterAll(() => ecr.restore());

describe('registry export --region (live, AWS SDK mocked)', () => {
  test('given several pages of repositories, then every repository is exported in name order, with its policies and tags, and the export reads clean', async () => {
    const repositories = mockRegistry(5);
    const io = fakeIo();
    expect(await main(exportCommand(), io)).toBe(EXIT_OK);
    expect(io.err).toBe('');
    const reading = readRegistryExport(io.written['export.json'], 'export.json');
    expect(reading.problems).toEqual([]);
    const exported = reading.registryExport!;
    expect(exported.account).toBe(ACCOUNT);
    expect(exported.repositories.map((r) => r.repositoryName)).toEqual(repositories.map((r) => r.repositoryName!).sort());
    const byName = new Map(exported.repositories.map((r) => [r.repositoryName, r]));
    repositories.forEach((r, i) => {
      const e = byName.get(r.repositoryName!)!;
      expect(e.lifecyclePolicyText).toBe(i % 2 === 0 ? LIFECYCLE : undefined);
      expect(e.repositoryPolicyText).toBe(i % 3 === 0 ? POLICY : undefined);
      expect(e.tags).toEqual(i % 2 === 0 ? [{ Key: 'cost-center', Value: '42' }, { Key: 'team', Value: 'a' }] : []);
      expect(e.createdAt).toBe(r.createdAt!.toISOString());
      expect(e.encryptionConfiguration).toEqual(r.encryptionConfiguration);
    });
    expect(exported.registry.registryPolicyText).toBeUndefined();
    expect(exported.registry.signingConfiguration).toBeUndefined();
    expect(exported.registry.unavailable).toBeUndefined();
    expect(exported.registry.pullThroughCacheRules!.map((r) => r.ecrRepositoryPrefix)).toEqual(['ecr-public', 'quay']);
    expect(exported.registry.pullTimeUpdateExclusions).toEqual([`arn:aws:iam::${ACCOUNT}:role/a`, `arn:aws:iam::${ACCOUNT}:role/z`]);
    expect(exported.registry.accountSettings).toEqual({ BASIC_SCAN_TYPE_VERSION: 'AWS_NATIVE', BLOB_MOUNTING: 'ENABLED', REGISTRY_POLICY_SCOPE: 'V2' });
    expect(io.written['export.json']).not.toContain('$metadata');
    expect(io.out).toBe(`wrote export.json: 5 repositories of ${ACCOUNT} in ${REGION} (3 lifecycle policies, 2 repository policies)\n`);
  });

  test.each([0, 1, 7, 23])('given %i repositories, then it makes exactly pages + 3 per repository + the registry calls', async (n) => {
    mockRegistry(n);
    const io = fakeIo();
    expect(await main(exportCommand(['--format', 'json']), io)).toBe(EXIT_OK);
    expect(JSON.parse(io.out)).toEqual({
      source: `ECR in ${REGION}`,
      out: 'export.json',
      account: ACCOUNT,
      region: REGION,
      repositories: n,
      lifecyclePolicies: Math.ceil(n / 2),
      repositoryPolicies: Math.ceil(n / 3),
      replicationRules: 1,
      pullThroughCacheRules: 2,
      repositoryCreationTemplates: 1,
      unavailable: {},
      problems: [],
    });
    const pages = Math.max(1, Math.ceil(n / PAGE));
    expect(ecr.commandCalls(DescribeRepositoriesCommand)).toHaveLength(pages);
    expect(ecr.calls()).toHaveLength(pages + CALLS_PER_REPOSITORY * n + REGISTRY_CALLS);
    expect(REGISTRY_CALLS).toBe(10);
    // The paginator asks for the largest page ECR gives.
    expect(ecr.commandCalls(DescribeRepositoriesCommand)[0].args[0].input).toMatchObject({ maxResults: REPOSITORIES_PER_PAGE });
  });

  test('given the same registry answered in another order, then the file is byte-identical', async () => {
    mockRegistry(6);
    const first = fakeIo();
    await main(exportCommand(), first);
    const shuffled = [...mockRegistry(6)].reverse();
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: shuffled });
    const second = fakeIo();
    await main(exportCommand(), second);
    const strip = (text: string) => text.replace(/"exportedAt": "[^"]*"/, '');
    expect(strip(second.written['export.json'])).toBe(strip(first.written['export.json']));
  });

  test('given the same registry saved as AWS CLI outputs, then --from-cli makes the same export as the live one', async () => {
    const repositories = mockRegistry(5);
    const live = fakeIo();
    expect(await main(exportCommand(), live)).toBe(EXIT_OK);
    // The folder of docs/adoption.md, from the same (mocked) answers: JSON as the CLI prints it, {} for NotFound.
    const client = new ECRClient({ region: REGION });
    const save = async (command: any, absent?: string) => {
      try {
        const { $metadata, ...output } = await client.send(command) as any;
        return `${JSON.stringify(output, null, 4)}\n`;
      } catch (error) {
        if ((error as Error).name !== absent) throw error;
        return '{}\n';
      }
    };
    const files: Record<string, string> = {
      'cli/describe-repositories.json': `${JSON.stringify({ repositories }, null, 4)}\n`,
      'cli/describe-registry.json': await save(new DescribeRegistryCommand({})),
      'cli/get-registry-policy.json': await save(new GetRegistryPolicyCommand({}), 'RegistryPolicyNotFoundException'),
      'cli/get-registry-scanning-configuration.json': await save(new GetRegistryScanningConfigurationCommand({})),
      'cli/describe-pull-through-cache-rules.json': await save(new DescribePullThroughCacheRulesCommand({})),
      'cli/describe-repository-creation-templates.json': await save(new DescribeRepositoryCreationTemplatesCommand({})),
      'cli/get-signing-configuration.json': await save(new GetSigningConfigurationCommand({}), 'SigningConfigurationNotFoundException'),
      'cli/list-pull-time-update-exclusions.json': await save(new ListPullTimeUpdateExclusionsCommand({})),
    };
    for (const name of ['BASIC_SCAN_TYPE_VERSION', 'BLOB_MOUNTING', 'REGISTRY_POLICY_SCOPE']) {
      files[`cli/account-settings/${name}.json`] = await save(new GetAccountSettingCommand({ name }));
    }
    for (const r of repositories) {
      const file = cliFolderFileName(r.repositoryName!);
      files[`cli/lifecycle-policies/${file}`] = await save(new GetLifecyclePolicyCommand({ repositoryName: r.repositoryName }), 'LifecyclePolicyNotFoundException');
      files[`cli/repository-policies/${file}`] = await save(new GetRepositoryPolicyCommand({ repositoryName: r.repositoryName }), 'RepositoryPolicyNotFoundException');
      files[`cli/tags/${file}`] = await save(new ListTagsForResourceCommand({ resourceArn: r.repositoryArn }));
    }
    const cli = fakeIo(files);
    expect(await main(['registry', 'export', '--from-cli', 'cli', '--out', 'export.json'], cli)).toBe(EXIT_OK);
    expect(cli.written['export.json']).toBe(live.written['export.json'].replace(/ {2}"exportedAt": "[^"]*",\n/, ''));
  });

  test('given many repositories, then at most 8 per-repository calls are in flight at once', async () => {
    mockRegistry(40);
    let inFlight = 0;
    let most = 0;
    const slow = async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return { tags: [] };
    };
    ecr.on(ListTagsForResourceCommand).callsFake(slow);
    expect(await main(exportCommand(), fakeIo())).toBe(EXIT_OK);
    expect(most).toBe(DEFAULT_CONCURRENCY);
  });

  test('given --registry-id, then the calls that take a registry ID name it', async () => {
    mockRegistry(1);
    expect(await main(exportCommand(['--registry-id', ACCOUNT]), fakeIo())).toBe(EXIT_OK);
    expect(ecr.commandCalls(DescribeRepositoriesCommand)[0].args[0].input).toMatchObject({ registryId: ACCOUNT });
    expect(ecr.commandCalls(GetLifecyclePolicyCommand)[0].args[0].input).toMatchObject({ registryId: ACCOUNT });
  });

  test('given a missing permission, then the message names the IAM action and the resource, it exits 2, and no file is written', async () => {
    mockRegistry(4);
    const denied = new ECRServiceException({
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: `User: arn:aws:iam::${ACCOUNT}:user/ci is not authorized to perform: ecr:GetLifecyclePolicy on resource: arn:aws:ecr:${REGION}:${ACCOUNT}:repository/x`,
    });
    ecr.on(GetLifecyclePolicyCommand).rejects(denied);
    const io = fakeIo();
    expect(await main(exportCommand(), io)).toBe(EXIT_USAGE);
    expect(io.err).toMatch(new RegExp(`^registry export: access denied: ecr:GetLifecyclePolicy on arn:aws:ecr:${REGION}:${ACCOUNT}:repository/team\\d/app-\\d{3}: `
      + 'the export needs ecr:GetLifecyclePolicy'));
    expect(io.err).toContain('Nothing was written.');
    expect(io.written).toEqual({});
    expect(io.out).toBe('');
  });

  test('given a registry call refused, then the message names its action and the registry', async () => {
    mockRegistry(1);
    ecr.on(GetRegistryScanningConfigurationCommand).rejects(new ECRServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: {}, message: 'denied' }));
    const io = fakeIo();
    expect(await main(exportCommand(), io)).toBe(EXIT_USAGE);
    expect(io.err).toContain(`access denied: ecr:GetRegistryScanningConfiguration on the registry in ${REGION}`);
    expect(io.written).toEqual({});
  });

  test('given a region without managed signing or pull-time exclusions, then the export is written and says they are unavailable', async () => {
    mockRegistry(2);
    ecr.on(GetSigningConfigurationCommand).rejects(new ECRServiceException({ name: 'UnknownOperationException', $fault: 'client', $metadata: {}, message: 'unknown operation' }));
    // ValidationException is declared by the call in ECR's model: the SDK throws its own class for it.
    ecr.on(ListPullTimeUpdateExclusionsCommand).rejects(new ValidationException({ $metadata: { httpStatusCode: 400 }, message: 'not supported' }));
    const io = fakeIo();
    expect(await main(exportCommand(), io)).toBe(EXIT_OK);
    const exported = readRegistryExport(io.written['export.json'], 'export.json').registryExport!;
    expect(exported.registry.unavailable).toEqual({
      pullTimeUpdateExclusions: 'ecr:ListPullTimeUpdateExclusions answered ValidationException: not supported',
      signingConfiguration: 'ecr:GetSigningConfiguration answered UnknownOperationException: unknown operation',
    });
    expect(io.out).toContain('not read: registry.signingConfiguration: ecr:GetSigningConfiguration answered UnknownOperationException');
  });

  test('given an account setting the region does not know, then the export is written without it and says it is unavailable', async () => {
    mockRegistry(1);
    ecr.on(GetAccountSettingCommand, { name: 'BLOB_MOUNTING' }).rejects(new ValidationException({ $metadata: { httpStatusCode: 400 }, message: 'invalid setting name' }));
    const io = fakeIo();
    expect(await main(exportCommand(), io)).toBe(EXIT_OK);
    const exported = readRegistryExport(io.written['export.json'], 'export.json').registryExport!;
    expect(exported.registry.accountSettings).toEqual({ BASIC_SCAN_TYPE_VERSION: 'AWS_NATIVE', REGISTRY_POLICY_SCOPE: 'V2' });
    expect(exported.registry.unavailable).toEqual({ 'accountSettings.BLOB_MOUNTING': 'ecr:GetAccountSetting answered ValidationException: invalid setting name' });
  });

  test('given a documented error of an optional call that does not say "not served" (a service limit), or access denied, then the export fails', async () => {
    mockRegistry(1);
    ecr.on(ListPullTimeUpdateExclusionsCommand).rejects(new LimitExceededException({ $metadata: { httpStatusCode: 400 }, message: 'limit' }));
    const limited = fakeIo();
    expect(await main(exportCommand(), limited)).toBe(EXIT_USAGE);
    expect(limited.err).toContain('ecr:ListPullTimeUpdateExclusions on the registry in eu-west-1 failed: LimitExceededException: limit');
    expect(limited.written).toEqual({});
    ecr.on(ListPullTimeUpdateExclusionsCommand).rejects(new ECRServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'denied' }));
    const denied = fakeIo();
    expect(await main(exportCommand(), denied)).toBe(EXIT_USAGE);
    expect(denied.err).toContain('access denied: ecr:ListPullTimeUpdateExclusions on the registry in eu-west-1');
  });

  test('given a server error on an optional call, then the export fails rather than calling it unavailable', async () => {
    mockRegistry(1);
    ecr.on(GetSigningConfigurationCommand).rejects(new ECRServiceException({ name: 'ServerException', $fault: 'server', $metadata: {}, message: 'boom' }));
    const io = fakeIo();
    expect(await main(exportCommand(), io)).toBe(EXIT_USAGE);
    expect(io.err).toContain('ecr:GetSigningConfiguration on the registry in eu-west-1 failed: ServerException: boom');
    expect(io.written).toEqual({});
  });

  test('given a value this version does not know, then the file is written and the problem reported (exit 1)', async () => {
    mockRegistry(1);
    ecr.on(GetAccountSettingCommand).callsFake((input) => ({ name: input.name, value: input.name === 'BLOB_MOUNTING' ? 'PAUSED' : 'V2' }));
    const io = fakeIo();
    expect(await main(exportCommand(), io)).toBe(EXIT_INVALID);
    expect(io.written['export.json']).toContain('"BLOB_MOUNTING": "PAUSED"');
    expect(io.err).toContain('registry.accountSettings.BLOB_MOUNTING: "PAUSED" is not a value ECR returns (ENABLED, DISABLED)');
  });

  test('given a terminal and a slow export, then the progress is shown on stderr', async () => {
    mockRegistry(3);
    let now = 0;
    const io = { ...fakeIo(), stderrIsTTY: true, clock: () => (now += 600) };
    const err: string[] = [];
    io.stderr = (text: string) => { err.push(text); };
    expect(await main(exportCommand(), io)).toBe(EXIT_OK);
    expect(err.join('')).toContain('read 3 of 3 repositories...');
  });

  test('given neither --region nor --from-cli, or a bad region, then it is a usage error', async () => {
    const io = fakeIo();
    expect(await main(['registry', 'export', '--out', 'x.json'], io)).toBe(EXIT_USAGE);
    expect(io.err).toContain('give --region REGION (a live export) or --from-cli DIR (saved AWS CLI outputs)');
    const bad = fakeIo();
    expect(await main(exportCommand(['--registry-id', '12']), bad)).toBe(EXIT_USAGE);
    expect(bad.err).toContain('--registry-id "12" is not an AWS account ID (12 digits)');
  });

  test('given no AWS SDK installed, then the message says to install @aws-sdk/client-ecr', () => {
    const missing = () => { throw Object.assign(new Error('Cannot find module \'@aws-sdk/client-ecr\''), { code: 'MODULE_NOT_FOUND' }); };
    expect(() => loadEcrSdk(missing)).toThrow('run `npm install @aws-sdk/client-ecr` where cdk-ecr-platform is installed');
    expect(loadEcrSdk().ECRClient).toBe(ECRClient);
  });

  test('the IAM actions of the live export are exactly the read calls it makes', async () => {
    mockRegistry(1);
    expect(await main(exportCommand(), fakeIo())).toBe(EXIT_OK);
    const called = [...new Set(ecr.calls().map((c) => `ecr:${(c.args[0] as any).constructor.name.replace(/Command$/, '')}`))].sort();
    expect(called).toEqual(LIVE_EXPORT_ACTIONS);
  });
});
