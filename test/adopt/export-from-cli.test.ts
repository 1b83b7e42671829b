import * as path from 'path';
import { cliFolderFileName } from '../../src/adopt/export-from-cli';
import { readRegistryExport } from '../../src/adopt/export-read';
import { EXIT_INVALID, EXIT_OK, main } from '../../src/cli/main';
import { fakeIo } from '../cli/fake-io';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-2';
const DIR = 'ecr-export';

/** The JSON the AWS CLI prints (CLI v1 prints times as epoch seconds). */
const json = (value: unknown) => `${JSON.stringify(value, null, 4)}\n`;

function repository(name: string, mutability = 'MUTABLE') {
  return {
    repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${name}`,
    registryId: ACCOUNT,
    repositoryName: name,
    repositoryUri: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${name}`,
    createdAt: 1717171717.123,
    imageTagMutability: mutability,
    imageScanningConfiguration: { scanOnPush: false },
    encryptionConfiguration: { encryptionType: 'AES256' },
  };
}

const LIFECYCLE = '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":100},"action":{"type":"expire"}}]}';

/** A folder as the commands of docs/adoption.md make it: `{}` where ECR answered NotFound. */
function folder(): Record<string, string> {
  const f = (file: string) => path.join(DIR, file);
  return {
    [f('describe-repositories.json')]: json({ repositories: [repository('web'), repository('team/api', 'IMMUTABLE'), repository('base')] }),
    [f('lifecycle-policies/web.json')]: json({ registryId: ACCOUNT, repositoryName: 'web', lifecyclePolicyText: LIFECYCLE, lastEvaluatedAt: 1717171717 }),
    [f('lifecycle-policies/team+api.json')]: '{}\n',
    [f('lifecycle-policies/base.json')]: '{}\n',
    [f('repository-policies/web.json')]: '{}\n',
    [f('repository-policies/team+api.json')]: json({ registryId: ACCOUNT, repositoryName: 'team/api', policyText: '{\n  "Version" : "2012-10-17",\n  "Statement" : [ ]\n}' }),
    [f('repository-policies/base.json')]: '{}\n',
    [f('tags/web.json')]: json({ tags: [{ Key: 'z', Value: '1' }, { Key: 'a', Value: '2' }] }),
    [f('tags/team+api.json')]: json({ tags: [] }),
    [f('tags/base.json')]: json({ tags: [] }),
    [f('describe-registry.json')]: json({ registryId: ACCOUNT, replicationConfiguration: { rules: [] } }),
    [f('get-registry-policy.json')]: '{}\n',
    [f('get-registry-scanning-configuration.json')]: json({ registryId: ACCOUNT, scanningConfiguration: { scanType: 'BASIC', rules: [] } }),
    [f('describe-pull-through-cache-rules.json')]: json({ pullThroughCacheRules: [] }),
    [f('describe-repository-creation-templates.json')]: json({ registryId: ACCOUNT, repositoryCreationTemplates: [] }),
    [f('account-settings/BASIC_SCAN_TYPE_VERSION.json')]: json({ name: 'BASIC_SCAN_TYPE_VERSION', value: 'AWS_NATIVE' }),
    [f('account-settings/BLOB_MOUNTING.json')]: json({ name: 'BLOB_MOUNTING', value: 'DISABLED' }),
    [f('account-settings/REGISTRY_POLICY_SCOPE.json')]: json({ name: 'REGISTRY_POLICY_SCOPE', value: 'V2' }),
    [f('list-pull-time-update-exclusions.json')]: json({ pullTimeUpdateExclusions: [] }),
  };
}

const COMMAND = ['registry', 'export', '--from-cli', DIR, '--out', 'export.json'];

describe('registry export --from-cli', () => {
  test('given a folder of saved AWS CLI outputs, then the export holds every repository, in name order, and reads clean', async () => {
    const io = fakeIo(folder());
    expect(await main(COMMAND, io)).toBe(EXIT_OK);
    const reading = readRegistryExport(io.written['export.json'], 'export.json');
    expect(reading.problems).toEqual([]);
    const exported = reading.registryExport!;
    expect(exported).toMatchObject({ account: ACCOUNT, region: REGION });
    expect(exported.exportedAt).toBeUndefined();
    expect(exported.repositories.map((r) => r.repositoryName)).toEqual(['base', 'team/api', 'web']);
    const [base, api, web] = exported.repositories;
    expect(web.lifecyclePolicyText).toBe(LIFECYCLE);
    expect(web.tags).toEqual([{ Key: 'a', Value: '2' }, { Key: 'z', Value: '1' }]);
    expect(api.repositoryPolicyText).toContain('"Version" : "2012-10-17"'); // kept as ECR returned it
    expect(base.lifecyclePolicyText).toBeUndefined();
    expect(base.repositoryPolicyText).toBeUndefined();
    expect(base.createdAt).toBe(1717171717.123);
    expect(exported.registry.registryPolicyText).toBeUndefined();
    expect(exported.registry.accountSettings).toEqual({ BASIC_SCAN_TYPE_VERSION: 'AWS_NATIVE', BLOB_MOUNTING: 'DISABLED', REGISTRY_POLICY_SCOPE: 'V2' });
    // No signing file: a region without managed signing, said so rather than read as "no signing".
    expect(exported.registry.unavailable).toEqual({ signingConfiguration: 'get-signing-configuration.json is not in the folder' });
  });

  test('given the same folder twice, then the files are byte-identical', async () => {
    const first = fakeIo(folder());
    const second = fakeIo(folder());
    await main(COMMAND, first);
    await main(COMMAND, second);
    expect(second.written['export.json']).toBe(first.written['export.json']);
  });

  test('the file name of a repository with namespaces writes each / as +', () => {
    expect(cliFolderFileName('team/backend/api')).toBe('team+backend+api.json');
  });

  test('given missing and wrong files, then every problem is listed, it exits 1, and nothing is written', async () => {
    const files = folder();
    delete files[path.join(DIR, 'tags', 'team+api.json')];
    delete files[path.join(DIR, 'get-registry-policy.json')];
    files[path.join(DIR, 'describe-registry.json')] = json({ tags: [] });
    files[path.join(DIR, 'lifecycle-policies', 'web.json')] = '{"registryId": "1234';
    const io = fakeIo(files);
    expect(await main(COMMAND, io)).toBe(EXIT_INVALID);
    expect(io.written).toEqual({});
    expect(io.err.split('\n')).toEqual([
      `Cannot export from ${DIR} (4 problems); nothing was written:`,
      expect.stringMatching(/^- ecr-export\/lifecycle-policies\/web\.json: is not valid JSON \(.*\): save the output of `aws ecr get-lifecycle-policy --repository-name 'web' --output json` there$/),
      '- ecr-export/describe-registry.json: is not the output of `aws ecr describe-registry`: it has no registryId',
      '- ecr-export/get-registry-policy.json is missing: save the output of `aws ecr get-registry-policy --output json` there',
      '- ecr-export/tags/team+api.json is missing: save the output of `aws ecr list-tags-for-resource --resource-arn ARN --output json` there',
      '',
    ]);
  });

  test('given one page of a paginated call, then it says to save every page', async () => {
    const files = { ...folder(), [path.join(DIR, 'describe-pull-through-cache-rules.json')]: json({ pullThroughCacheRules: [], NextToken: 'abc' }) };
    const io = fakeIo(files);
    expect(await main(COMMAND, io)).toBe(EXIT_INVALID);
    expect(io.err).toContain('- ecr-export/describe-pull-through-cache-rules.json: holds one page of `aws ecr describe-pull-through-cache-rules` (it has a next token)');
  });

  test('given one page of list-pull-time-update-exclusions, which the AWS CLI does not page through, then it says to follow nextToken and merge the pages', async () => {
    const page = json({ pullTimeUpdateExclusions: [`arn:aws:iam::${ACCOUNT}:role/scanner`], nextToken: 'eyJ0b2tlbiI6MX0=' });
    const io = fakeIo({ ...folder(), [path.join(DIR, 'list-pull-time-update-exclusions.json')]: page });
    expect(await main(COMMAND, io)).toBe(EXIT_INVALID);
    expect(io.err).toContain('- ecr-export/list-pull-time-update-exclusions.json: holds one page of `aws ecr list-pull-time-update-exclusions` (it has a nextToken), '
      + 'and the AWS CLI does not fetch the other pages of this call itself: call it again with --next-token TOKEN');
    expect(io.written).toEqual({});
    // The pages merged into one object: read, every principal kept.
    const merged = json({ pullTimeUpdateExclusions: [`arn:aws:iam::${ACCOUNT}:role/scanner`, `arn:aws:iam::${ACCOUNT}:role/audit`] });
    const ok = fakeIo({ ...folder(), [path.join(DIR, 'list-pull-time-update-exclusions.json')]: merged });
    expect(await main(COMMAND, ok)).toBe(EXIT_OK);
    expect(readRegistryExport(ok.written['export.json'], 'export.json').registryExport!.registry.pullTimeUpdateExclusions).toEqual([
      `arn:aws:iam::${ACCOUNT}:role/audit`, `arn:aws:iam::${ACCOUNT}:role/scanner`,
    ]);
  });

  test('given a whole per-repository folder missing, then one problem names the folder', async () => {
    const files = Object.fromEntries(Object.entries(folder()).filter(([file]) => !file.includes('repository-policies')));
    const io = fakeIo(files);
    expect(await main([...COMMAND, '--format', 'json'], io)).toBe(EXIT_INVALID);
    expect(JSON.parse(io.out)).toEqual({
      source: DIR,
      out: null,
      problems: ['ecr-export/repository-policies/ is missing or empty: it needs one file per repository (3); see docs/adoption.md for the commands'],
    });
  });

  test('given an empty registry, then the region comes from --region, and without it the problem says to give it', async () => {
    const files = { ...folder(), [path.join(DIR, 'describe-repositories.json')]: json({ repositories: [] }) };
    const withRegion = fakeIo({ ...files });
    expect(await main([...COMMAND, '--region', 'eu-central-1'], withRegion)).toBe(EXIT_OK);
    expect(readRegistryExport(withRegion.written['export.json'], 'x').registryExport).toMatchObject({ region: 'eu-central-1', account: ACCOUNT, repositories: [] });
    const without = fakeIo({ ...files });
    expect(await main(COMMAND, without)).toBe(EXIT_INVALID);
    expect(without.err).toContain('the region is unknown (no repository ARN names it): give --region REGION');
  });
});
