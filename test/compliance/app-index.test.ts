import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Lazy, Stack, Tags } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import { buildPlatformApp } from '../../examples/platform/app';
import { AppIndex } from '../../src/compliance/app-index';
import { ENV } from '../util/harness';

/** The resource types whose properties the pack's rules read. */
const READ_TYPES = [
  'AWS::ECR::Repository',
  'AWS::ECR::PublicRepository',
  'AWS::ECR::RepositoryCreationTemplate',
  'AWS::ECR::RegistryPolicy',
  'AWS::ECR::PullThroughCacheRule',
  'AWS::ECR::ReplicationConfiguration',
  'AWS::ECR::RegistryScanningConfiguration',
  'AWS::SecretsManager::Secret',
];

/**
 * Every property of a resource that the index gives equals the synthesized
 * template's, and every property the template has that a rule reads is given.
 */
function expectSameAsTemplate(app: App, outdir: string): number {
  const index = new AppIndex(app);
  let compared = 0;
  for (const type of READ_TYPES) {
    for (const { resource, stack } of index.ofType(type)) {
      const template = JSON.parse(fs.readFileSync(path.join(outdir, stack.templateFile), 'utf8'));
      const rendered = template.Resources[stack.resolve(resource.logicalId)]?.Properties ?? {};
      const given = index.propertiesOf(resource);
      for (const key of Object.keys(given)) {
        expect({ type, key, value: given[key] }).toEqual({ type, key, value: rendered[key] });
      }
      for (const key of RULE_READS[type] ?? []) {
        expect({ type, key, value: given[key] }).toEqual({ type, key, value: rendered[key] });
      }
      compared++;
    }
  }
  return compared;
}

/** The properties each rule of the pack reads, per type. */
const RULE_READS: Record<string, string[]> = {
  'AWS::ECR::Repository': ['RepositoryName', 'ImageTagMutability', 'ImageScanningConfiguration', 'EncryptionConfiguration', 'LifecyclePolicy', 'RepositoryPolicyText'],
  'AWS::ECR::PublicRepository': ['RepositoryPolicyText', 'Tags'],
  'AWS::ECR::RepositoryCreationTemplate': ['ImageTagMutability', 'EncryptionConfiguration', 'LifecyclePolicy', 'RepositoryPolicy'],
  'AWS::ECR::RegistryPolicy': ['PolicyText'],
  'AWS::ECR::PullThroughCacheRule': ['CredentialArn'],
  'AWS::ECR::ReplicationConfiguration': ['ReplicationConfiguration'],
  'AWS::ECR::RegistryScanningConfiguration': ['Rules', 'ScanType'],
  'AWS::SecretsManager::Secret': ['Name', 'KmsKeyId'],
};

describe('AppIndex', () => {
  test('the pack reads L1 resources through their public typed attributes, never a private CDK method', () => {
    const dir = path.join(__dirname, '../../src/compliance');
    const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
    const offenders = walk(dir).filter((f) => /_toCloudFormation|as any\)\._/.test(fs.readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  test('given the example platform app, then every property the index reads equals the synthesized template', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-index-'));
    const app = buildPlatformApp({ outdir });
    app.synth();
    expect(expectSameAsTemplate(app, outdir)).toBeGreaterThan(20);
  });

  test('given raw L1 resources with Lazy structs, tags from an aspect and keys by reference, then the index reads them as the template has them', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-index-'));
    const app = new App({ outdir, context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
    // ECR Public exists in us-east-1 only.
    const stack = new Stack(app, 'Raw', { env: { account: ENV.account, region: 'us-east-1' } });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new ecr.CfnRepository(stack, 'Repo', {
      repositoryName: 'raw/api',
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [{ imageTagMutabilityExclusionFilterType: 'WILDCARD', imageTagMutabilityExclusionFilterValue: 'dev-*' }],
      imageScanningConfiguration: Lazy.any({ produce: () => ({ scanOnPush: true }) }),
      encryptionConfiguration: { encryptionType: 'KMS', kmsKey: key.keyArn },
      lifecyclePolicy: {
        lifecyclePolicyText: JSON.stringify({
          rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 }, action: { type: 'expire' } }],
        }),
      },
      tags: [{ key: 'team', value: 'raw' }],
    });
    new ecr.CfnPublicRepository(stack, 'Public', { repositoryName: 'raw-public' });
    new ecr.CfnReplicationConfiguration(stack, 'Replication', {
      replicationConfiguration: { rules: [{ destinations: [{ region: 'eu-central-1', registryId: ENV.account }], repositoryFilters: [{ filter: 'raw/', filterType: 'PREFIX_MATCH' }] }] },
    });
    new ecr.CfnRegistryScanningConfiguration(stack, 'Scanning', {
      scanType: 'BASIC',
      rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }],
    });
    new ecr.CfnRepositoryCreationTemplate(stack, 'Template', {
      prefix: 'raw',
      appliedFor: ['REPLICATION'],
      resourceTags: [{ key: 'team', value: 'raw' }],
      encryptionConfiguration: { encryptionType: 'AES256' },
    });
    Tags.of(app).add('cost-center', '42');
    app.synth();
    expect(expectSameAsTemplate(app, outdir)).toBe(5);
    const index = new AppIndex(app);
    const repo = index.ofType('AWS::ECR::Repository')[0].resource;
    expect(index.propertiesOf(repo).ImageScanningConfiguration).toEqual({ ScanOnPush: true });
    expect(index.propertiesOf(repo).Tags).toEqual([{ Key: 'cost-center', Value: '42' }, { Key: 'team', Value: 'raw' }]);
  });

  test('given a generic CfnResource of a type the pack checks, then it has no properties rather than guessed ones', () => {
    const app = new App();
    const stack = new Stack(app, 'Generic', { env: ENV });
    const generic = new CfnResource(stack, 'Repo', { type: 'AWS::ECR::Repository', properties: { ImageTagMutability: 'IMMUTABLE' } });
    expect(new AppIndex(app).propertiesOf(generic)).toEqual({});
  });

  test('resources of a type are grouped by registry: same literal account and region, or the stack alone', () => {
    const app = new App();
    const a = new Stack(app, 'A', { env: ENV });
    const b = new Stack(app, 'B', { env: ENV });
    const agnostic = new Stack(app, 'Agnostic');
    const other = new Stack(app, 'Other', { env: { account: ENV.account, region: 'us-east-1' } });
    for (const s of [a, b, agnostic, other]) new ecr.CfnRegistryPolicy(s, 'Policy', { policyText: {} });
    const index = new AppIndex(app);
    const stacksOf = (s: Stack) => index.inRegistryOf(s, 'AWS::ECR::RegistryPolicy').map((r) => r.stack.stackName);
    expect(stacksOf(a)).toEqual(['A', 'B']);
    expect(stacksOf(agnostic)).toEqual(['Agnostic']);
    expect(stacksOf(other)).toEqual(['Other']);
    expect(index.stacksIn(ENV.account, ENV.region)).toEqual([a, b]);
  });
});
