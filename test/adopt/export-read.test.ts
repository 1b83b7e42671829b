import * as sdk from '@aws-sdk/client-ecr';
import { EXPORT_FORMAT, RegistryExportFile } from '../../src/adopt/export-model';
import { readRegistryExport } from '../../src/adopt/export-read';
import {
  EncryptionType, IMAGE_TAG_MUTABILITIES, MANUAL_SCAN_FREQUENCY, REPLICATION_FILTER_TYPE, SCANNING_FILTER_TYPE, SIGNING_FILTER_TYPE,
  TAG_MUTABILITY_EXCLUSION_FILTER_TYPE,
} from '../../src/internal/ecr-facts';
import { RepositoryCreationTemplateAppliedFor } from '../../src/repository/creation-template';
import { ScanFrequency, ScanType } from '../../src/scanning/enums';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';

/** A small export as ECR's read calls make it: two repositories and every registry setting. */
function validExport(): any {
  return {
    format: EXPORT_FORMAT,
    version: 1,
    account: ACCOUNT,
    region: REGION,
    exportedAt: '2026-01-01T00:00:00.000Z',
    repositories: [
      {
        repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/team/api`,
        registryId: ACCOUNT,
        repositoryName: 'team/api',
        repositoryUri: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/team/api`,
        createdAt: 1700000000.5,
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest' }],
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: { encryptionType: 'KMS', kmsKey: `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` },
        lifecyclePolicyText: '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":7},"action":{"type":"expire"}}]}',
        repositoryPolicyText: '{"Version":"2012-10-17","Statement":[]}',
        tags: [{ Key: 'team', Value: 'platform' }],
      },
      {
        repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/web`,
        registryId: ACCOUNT,
        repositoryName: 'web',
        createdAt: '2024-05-01T10:00:00+00:00',
        imageTagMutability: 'MUTABLE',
        encryptionConfiguration: { encryptionType: 'AES256' },
        tags: [],
      },
    ],
    registry: {
      replicationConfiguration: { rules: [{ destinations: [{ region: 'us-east-1', registryId: ACCOUNT }], repositoryFilters: [{ filter: 'team', filterType: 'PREFIX_MATCH' }] }] },
      registryPolicyText: '{"Version":"2012-10-17","Statement":[]}',
      scanningConfiguration: { scanType: 'ENHANCED', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }] },
      pullThroughCacheRules: [{ ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws', registryId: ACCOUNT, upstreamRegistry: 'ecr-public' }],
      repositoryCreationTemplates: [{ prefix: 'ROOT', appliedFor: ['PULL_THROUGH_CACHE'], imageTagMutability: 'MUTABLE', encryptionConfiguration: { encryptionType: 'AES256' } }],
      accountSettings: { BASIC_SCAN_TYPE_VERSION: 'AWS_NATIVE', BLOB_MOUNTING: 'DISABLED', REGISTRY_POLICY_SCOPE: 'V1' },
      signingConfiguration: { rules: [{ signingProfileArn: `arn:aws:signer:${REGION}:${ACCOUNT}:/signing-profiles/p`, repositoryFilters: [{ filter: 'team/*', filterType: 'WILDCARD_MATCH' }] }] },
      pullTimeUpdateExclusions: [`arn:aws:iam::${ACCOUNT}:role/scanner`],
    },
  };
}

function problemsOf(value: unknown): string[] {
  return readRegistryExport(typeof value === 'string' ? value : JSON.stringify(value, null, 2), 'export.json').problems;
}

describe('readRegistryExport', () => {
  test('given a valid export, then it reads clean and returns the export', () => {
    const reading = readRegistryExport(JSON.stringify(validExport()), 'export.json');
    expect(reading.problems).toEqual([]);
    expect((reading.registryExport as RegistryExportFile).repositories.map((r) => r.repositoryName)).toEqual(['team/api', 'web']);
  });

  test('given KMS and KMS_DSSE without a kmsKey (ECR\'s AWS managed key), then it reads clean and keeps no key', () => {
    const e = validExport();
    delete e.repositories[0].encryptionConfiguration.kmsKey;
    e.repositories[1].encryptionConfiguration = { encryptionType: 'KMS_DSSE' };
    const reading = readRegistryExport(JSON.stringify(e), 'export.json');
    expect(reading.problems).toEqual([]);
    expect(reading.registryExport!.repositories.map((r) => r.encryptionConfiguration)).toEqual([{ encryptionType: 'KMS' }, { encryptionType: 'KMS_DSSE' }]);
  });

  test('given an export with a byte order mark and an empty registry, then it reads clean', () => {
    expect(problemsOf(`\ufeff${JSON.stringify({ ...validExport(), registry: {} })}`)).toEqual([]);
  });

  test.each<[string, string, RegExp]>([
    ['truncated JSON', '{\n  "format": "cdk-ecr-platform/registry-export",\n  "repositories": [', /^export\.json:3:\d+: is not valid JSON: .*truncated/],
    ['malformed JSON', '{\n  "format": 1 2\n}', /^export\.json:2:\d+: is not valid JSON: /],
    ['an empty file', '', /^export\.json: is empty, not a registry export: make an export with `cdk-ecr-platform registry export --from-cli DIR/],
    ['a list', '[]', /^export\.json: is a list of 0, not a registry export/],
    ['a string', '"export"', /^export\.json: is "export", not a registry export/],
  ])('given %s, then one problem says so, with its position when it has one', (_name, text, message) => {
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  test.each<[string, unknown, string]>([
    ['describe-repositories', { repositories: [validExport().repositories[0]] }, 'aws ecr describe-repositories'],
    ['get-lifecycle-policy', { registryId: ACCOUNT, repositoryName: 'web', lifecyclePolicyText: '{}' }, 'aws ecr get-lifecycle-policy'],
    ['get-repository-policy', { registryId: ACCOUNT, repositoryName: 'web', policyText: '{}' }, 'aws ecr get-repository-policy'],
    ['get-registry-policy', { registryId: ACCOUNT, policyText: '{}' }, 'aws ecr get-registry-policy'],
    ['list-tags-for-resource', { tags: [] }, 'aws ecr list-tags-for-resource'],
    ['describe-registry', { registryId: ACCOUNT, replicationConfiguration: { rules: [] } }, 'aws ecr describe-registry'],
    ['get-account-setting', { name: 'BLOB_MOUNTING', value: 'ENABLED' }, 'aws ecr get-account-setting'],
  ])('given the output of %s pasted instead of an export, then it names the command and says how to export', (_name, value, command) => {
    expect(problemsOf(value)).toEqual([
      `export.json: is the output of \`${command}\`, not a registry export: make an export with \`cdk-ecr-platform registry export --from-cli DIR --out export.json\``
      + ' (DIR holding the saved outputs of the `aws ecr` read calls, see docs/adoption.md) or `cdk-ecr-platform registry export --region REGION --out export.json`',
    ]);
  });

  test('given another format or version, then it says which version this library reads', () => {
    expect(problemsOf({ ...validExport(), version: 2 })).toEqual([
      `export.json: version: 2 is not a version this library reads (it reads version 1 of ${EXPORT_FORMAT}): it was written by a newer cdk-ecr-platform; upgrade this one, or export again with it`,
    ]);
    expect(problemsOf({ ...validExport(), version: '1' })[0]).toMatch(/^export\.json: version: "1" is not a version this library reads \(it reads version 1 of/);
    expect(problemsOf({ ...validExport(), format: 'terraform-state' })[0]).toMatch(/^export\.json: format: "terraform-state" is not a registry export's format/);
    expect(problemsOf({ version: 1, account: ACCOUNT })[0]).toMatch(/^export\.json: format is missing/);
  });

  test('given an export whose format is lost, then it says so, and does not take it for the AWS CLI output whose field it also has', () => {
    const { format, ...lost } = validExport();
    expect(format).toBe(EXPORT_FORMAT);
    expect(problemsOf(lost)).toEqual([
      `export.json: format is missing: a registry export has "format": "${EXPORT_FORMAT}" (this file has an export's account, region, exportedAt)`,
    ]);
  });

  test('given a principal listed twice in the pull-time update exclusions, then it is a problem, as for duplicate prefixes', () => {
    const e = validExport();
    e.registry.pullTimeUpdateExclusions = [`arn:aws:iam::${ACCOUNT}:role/scanner`, `arn:aws:iam::${ACCOUNT}:role/scanner`];
    expect(problemsOf(e)).toEqual([
      `export.json: registry.pullTimeUpdateExclusions[1]: "arn:aws:iam::${ACCOUNT}:role/scanner" is also in registry.pullTimeUpdateExclusions[0]: ECR keeps one per principal`,
    ]);
  });

  test('given a placement file or a JSON catalog given as the export, then it names what the file is', () => {
    expect(problemsOf({ version: 1, shards: { Shard1: ['team/api'] } })[0]).toMatch(/^export\.json: is a fleet placement file, not a registry export: make an export with/);
    expect(problemsOf({ repositories: [{ name: 'team/api' }] })[0]).toMatch(/^export\.json: is a repository catalog, not a registry export: make an export with/);
  });

  test('given a time that is text ECR never returns, then it is a problem; ISO 8601 as the SDK and AWS CLI v2 write it, and epoch seconds, are not', () => {
    const e = validExport();
    e.repositories[0].createdAt = 'yesterday';
    e.repositories[1].createdAt = '2024-05-01T12:34:56.789000+02:00';
    expect(problemsOf(e)).toEqual(['export.json: repositories[0].createdAt: "yesterday" is not a time (an ISO 8601 string or epoch seconds)']);
  });

  test.each<[string, (e: any) => void, string]>([
    ['an encryption type ECR does not have', (e) => { e.repositories[1].encryptionConfiguration.encryptionType = 'AES'; },
      'export.json: repositories[1].encryptionConfiguration.encryptionType: "AES" is not a value ECR returns (AES256, KMS, KMS_DSSE)'],
    ['KMS with a key that is no string', (e) => { e.repositories[0].encryptionConfiguration.kmsKey = 7; },
      'export.json: repositories[0].encryptionConfiguration.kmsKey: 7 is not a string'],
    ['AES256 with a key', (e) => { e.repositories[1].encryptionConfiguration.kmsKey = 'arn:aws:kms:eu-west-1:123456789012:key/x'; },
      'export.json: repositories[1].encryptionConfiguration.kmsKey: is set with AES256 encryption, which uses no KMS key'],
    ['a tag mutability ECR does not have', (e) => { e.repositories[1].imageTagMutability = 'LOCKED'; },
      'export.json: repositories[1].imageTagMutability: "LOCKED" is not a value ECR returns (MUTABLE, MUTABLE_WITH_EXCLUSION, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION)'],
    ['exclusion filters without a _WITH_EXCLUSION mutability', (e) => { e.repositories[0].imageTagMutability = 'IMMUTABLE'; },
      'export.json: repositories[0].imageTagMutability: IMMUTABLE has imageTagMutabilityExclusionFilters: ECR keeps exclusion filters only with IMMUTABLE_WITH_EXCLUSION'],
    ['a _WITH_EXCLUSION mutability without filters', (e) => { e.repositories[1].imageTagMutability = 'MUTABLE_WITH_EXCLUSION'; },
      'export.json: repositories[1].imageTagMutability: MUTABLE_WITH_EXCLUSION has no imageTagMutabilityExclusionFilters: ECR returns the filters of a mutability with exclusions'],
    ['an exclusion filter type other than WILDCARD', (e) => { e.repositories[0].imageTagMutabilityExclusionFilters[0].filterType = 'PREFIX_MATCH'; },
      'export.json: repositories[0].imageTagMutabilityExclusionFilters[0].filterType: "PREFIX_MATCH" is not a value ECR returns (WILDCARD)'],
    ['a repository name ECR refuses', (e) => {
      e.repositories[1].repositoryName = 'Web';
      e.repositories[1].repositoryArn = 'arn:aws:ecr:eu-west-1:123456789012:repository/Web';
    }, 'export.json: repositories[1].repositoryName: "Web" breaks ECR\'s naming rule: lowercase letters and digits in groups separated by one \'.\', \'_\' or \'-\', '
      + 'with \'/\' between namespaces, starting and ending with a letter or digit'],
    ['a duplicate repository', (e) => { e.repositories.push({ ...e.repositories[1] }); },
      'export.json: repositories[2].repositoryName: "web" is also the name of repositories[1]: each repository appears once'],
    ['an ARN of another repository', (e) => { e.repositories[1].repositoryArn = 'arn:aws:ecr:eu-west-1:123456789012:repository/api'; },
      'export.json: repositories[1].repositoryArn: "arn:aws:ecr:eu-west-1:123456789012:repository/api" does not name this repository: its name "api" is not the repositoryName "web"'],
    ['an ARN of another account, region and partition', (e) => { e.repositories[1].repositoryArn = 'arn:aws-cn:ecr:us-east-1:210987654321:repository/web'; },
      'export.json: repositories[1].repositoryArn: "arn:aws-cn:ecr:us-east-1:210987654321:repository/web" does not name this repository: its region "us-east-1" is not '
      + 'the export\'s "eu-west-1"; its partition "aws-cn" is not "aws", the partition of eu-west-1; its account "210987654321" is not the registryId "123456789012"'],
    ['a repository of another account', (e) => {
      e.repositories[1].registryId = '210987654321';
      e.repositories[1].repositoryArn = 'arn:aws:ecr:eu-west-1:210987654321:repository/web';
    },
    'export.json: repositories[1].registryId: "210987654321" is not the export\'s account "123456789012"'],
    ['a policy text that is not JSON', (e) => { e.repositories[0].repositoryPolicyText = '{"Version": '; },
      'export.json: repositories[0].repositoryPolicyText: is not JSON: Unexpected end of JSON input'],
    ['a lifecycle policy that is a JSON string', (e) => { e.repositories[0].lifecyclePolicyText = '"rules"'; },
      'export.json: repositories[0].lifecyclePolicyText: is "rules" in JSON, not a policy document (a JSON object)'],
    ['a replication filter type other than PREFIX_MATCH', (e) => { e.registry.replicationConfiguration.rules[0].repositoryFilters[0].filterType = 'WILDCARD'; },
      'export.json: registry.replicationConfiguration.rules[0].repositoryFilters[0].filterType: "WILDCARD" is not a value ECR returns (PREFIX_MATCH)'],
    ['a scan type ECR does not have', (e) => { e.registry.scanningConfiguration.scanType = 'INSPECTOR'; },
      'export.json: registry.scanningConfiguration.scanType: "INSPECTOR" is not a value ECR returns (BASIC, ENHANCED)'],
    ['a scan frequency ECR does not have', (e) => { e.registry.scanningConfiguration.rules[0].scanFrequency = 'DAILY'; },
      'export.json: registry.scanningConfiguration.rules[0].scanFrequency: "DAILY" is not a value ECR returns (SCAN_ON_PUSH, CONTINUOUS_SCAN, MANUAL)'],
    ['an appliedFor ECR does not have', (e) => { e.registry.repositoryCreationTemplates[0].appliedFor = ['REPLICATION', 'ON_PULL']; },
      'export.json: registry.repositoryCreationTemplates[0].appliedFor[1]: "ON_PULL" is not a value ECR returns (PULL_THROUGH_CACHE, REPLICATION, CREATE_ON_PUSH)'],
    ['an account setting value ECR does not have', (e) => { e.registry.accountSettings.BLOB_MOUNTING = 'ON'; },
      'export.json: registry.accountSettings.BLOB_MOUNTING: "ON" is not a value ECR returns (ENABLED, DISABLED)'],
    ['an account setting ECR does not have', (e) => { e.registry.accountSettings.TURBO = 'ON'; },
      'export.json: registry.accountSettings.TURBO: is not an account setting this library reads (BASIC_SCAN_TYPE_VERSION, REGISTRY_POLICY_SCOPE, BLOB_MOUNTING)'],
    ['an account setting named like a property of every object', (e) => { e.registry.accountSettings = JSON.parse('{"constructor": "x"}'); },
      'export.json: registry.accountSettings.constructor: is not an account setting this library reads (BASIC_SCAN_TYPE_VERSION, REGISTRY_POLICY_SCOPE, BLOB_MOUNTING)'],
    ['a signing filter type ECR does not have', (e) => { e.registry.signingConfiguration.rules[0].repositoryFilters[0].filterType = 'WILDCARD'; },
      'export.json: registry.signingConfiguration.rules[0].repositoryFilters[0].filterType: "WILDCARD" is not a value ECR returns (WILDCARD_MATCH)'],
    ['two cache rules with one prefix', (e) => { e.registry.pullThroughCacheRules.push({ ...e.registry.pullThroughCacheRules[0] }); },
      'export.json: registry.pullThroughCacheRules[1].ecrRepositoryPrefix: "ecr-public" is also in registry.pullThroughCacheRules[0]: ECR keeps one per prefix'],
    ['a duplicate tag key', (e) => { e.repositories[0].tags.push({ Key: 'team', Value: 'other' }); },
      'export.json: repositories[0].tags[1].Key: "team" is also the key of repositories[0].tags[0]: a resource has one value per tag key'],
    ['a timestamp that is neither text nor a number', (e) => { e.repositories[0].createdAt = { seconds: 1 }; },
      'export.json: repositories[0].createdAt: an object is not a time (an ISO 8601 string or epoch seconds)'],
    ['an account that is not 12 digits', (e) => { e.account = '1234'; e.repositories = []; },
      'export.json: account: "1234" is not an AWS account ID (12 digits)'],
  ])('given %s, then the problem names the file, the JSON path and the rule', (_name, edit, message) => {
    const e = validExport();
    edit(e);
    expect(problemsOf(e)).toEqual([message]);
  });

  test('given several problems, then every one is reported in one run, and no export is returned', () => {
    const e = validExport();
    e.repositories[0].encryptionConfiguration.encryptionType = 'AES';
    e.repositories[1].tags = 'none';
    delete e.repositories[1].imageTagMutability;
    e.registry.scanningConfiguration.rules[0].repositoryFilters[0].filterType = 'PREFIX_MATCH';
    e.registry.pullTimeUpdateExclusions = ['scanner'];
    const reading = readRegistryExport(JSON.stringify(e), 'export.json');
    expect(reading.registryExport).toBeUndefined();
    expect(reading.problems).toEqual([
      'export.json: repositories[0].encryptionConfiguration.encryptionType: "AES" is not a value ECR returns (AES256, KMS, KMS_DSSE)',
      'export.json: repositories[1].imageTagMutability: is missing: it must be a string',
      'export.json: repositories[1].tags: "none" is not a list',
      'export.json: registry.scanningConfiguration.rules[0].repositoryFilters[0].filterType: "PREFIX_MATCH" is not a value ECR returns (WILDCARD)',
      'export.json: registry.pullTimeUpdateExclusions[0]: "scanner" is not a principal ARN',
    ]);
  });

  test('given missing required parts, then each is named', () => {
    expect(problemsOf({ format: EXPORT_FORMAT, version: 1 })).toEqual([
      'export.json: account: is missing: it must be a string',
      'export.json: region: is missing: it must be a string',
      'export.json: repositories: is missing: it must be a list',
      'export.json: registry: is missing: it must be an object',
    ]);
  });
});

describe('the value sets the reader accepts', () => {
  const sorted = (values: readonly string[]) => [...values].sort();
  test('are the enums of the installed AWS SDK\'s ECR client (its model of ECR\'s API)', () => {
    expect(sorted(IMAGE_TAG_MUTABILITIES)).toEqual(sorted(Object.values(sdk.ImageTagMutability)));
    expect(sorted(Object.values(EncryptionType))).toEqual(sorted(Object.values(sdk.EncryptionType)));
    expect(sorted(Object.values(ScanType))).toEqual(sorted(Object.values(sdk.ScanType)));
    expect(sorted([...Object.values(ScanFrequency), MANUAL_SCAN_FREQUENCY])).toEqual(sorted(Object.values(sdk.ScanFrequency)));
    expect(sorted(Object.values(RepositoryCreationTemplateAppliedFor))).toEqual(sorted(Object.values(sdk.RCTAppliedFor)));
    expect([TAG_MUTABILITY_EXCLUSION_FILTER_TYPE]).toEqual(Object.values(sdk.ImageTagMutabilityExclusionFilterType));
    expect([SCANNING_FILTER_TYPE]).toEqual(Object.values(sdk.ScanningRepositoryFilterType));
    expect([REPLICATION_FILTER_TYPE]).toEqual(Object.values(sdk.RepositoryFilterType));
    expect([SIGNING_FILTER_TYPE]).toEqual(Object.values(sdk.SigningRepositoryFilterType));
  });
});
