import * as fs from 'fs';
import * as path from 'path';
import { App, Aws, CfnCondition, CfnOutput, Fn, RemovalPolicy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  ImageTagMutability,
  PullThroughCacheRule,
  PullTimeUpdateExclusion,
  Registry,
  RegistryBaseline,
  RegistryScanning,
  RegistrySettingKind,
  RegistrySigning,
  ReplicationDestination,
  RepositoryAccess,
  RepositoryCreationTemplate,
  RepositoryCreationTemplateAppliedFor,
  ImageEncryption,
  ScanFrequency,
  ScanType,
  UpstreamRegistry,
} from '../../src';
import { strictApp, synthesize } from '../util/harness';

/** The template CDK writes for the baseline, without CDK's path metadata: what the StackSet body must equal. */
function synthesizedTemplate(app: App, baseline: RegistryBaseline): any {
  const assembly = synthesize(app).assembly;
  const template = JSON.parse(JSON.stringify(assembly.getStackArtifact(baseline.artifactId).template));
  for (const resource of Object.values<any>(template.Resources ?? {})) {
    if (resource.Metadata) {
      delete resource.Metadata['aws:cdk:path'];
      if (Object.keys(resource.Metadata).length === 0) delete resource.Metadata;
    }
  }
  return template;
}

/** A baseline with every registry setting a baseline can hold, and the keys and roles they create. */
function everySetting(app: App): RegistryBaseline {
  const baseline = new RegistryBaseline(app, 'Baseline', { description: 'every setting', tags: { 'owner': 'platform', 'cost-center': '42' } });
  const scanning = RegistryScanning.of(baseline);
  scanning.useScanType(ScanType.ENHANCED);
  scanning.addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['*'] });
  scanning.addRule({ frequency: ScanFrequency.CONTINUOUS_SCAN, repositoryFilters: ['prod/*', 'critical'] });
  new RepositoryCreationTemplate(baseline, 'OnPush', { prefix: 'ROOT', appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH, RepositoryCreationTemplateAppliedFor.REPLICATION] });
  new RepositoryCreationTemplate(baseline, 'Secure', {
    prefix: 'secure/',
    appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH],
    encryption: ImageEncryption.kms(),
    resourceTags: { team: 'platform' },
    access: [RepositoryAccess.pullFromAccounts(['222222222222'])],
    imageTagMutability: ImageTagMutability.IMMUTABLE,
    imageTagMutabilityExclusions: ['latest', 'dev-*'],
    description: 'secure repositories',
  });
  new RepositoryCreationTemplate(baseline, 'Plain', { prefix: 'plain', appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH], encryption: ImageEncryption.AES256 });
  new PullThroughCacheRule(baseline, 'EcrPublic', { ecrRepositoryPrefix: 'ecr-public', upstream: UpstreamRegistry.ecrPublic() });
  new PullThroughCacheRule(baseline, 'K8s', { ecrRepositoryPrefix: 'k8s', upstream: UpstreamRegistry.kubernetes(), createTemplate: false });
  const registry = Registry.of(baseline);
  registry.allowReplicationFrom('222222222222', ['team/']);
  registry.allowPullThroughCacheFrom('333333333333', 'shared');
  registry.addReplicationRule({ destinations: [ReplicationDestination.of('444444444444', 'eu-west-1')], repositoryFilters: ['team/'] });
  registry.applyRemovalPolicy(RemovalPolicy.RETAIN);
  RegistrySigning.of(baseline).addRule({ signingProfileArn: 'arn:aws:signer:eu-west-1:111111111111:/signing-profiles/platform', repositoryFilters: ['platform/*'] });
  new PullTimeUpdateExclusion(baseline, 'Scanner', { principalArn: 'arn:aws:iam::111111111111:role/scanner' });
  const condition = new CfnCondition(baseline, 'InEurope', { expression: Fn.conditionEquals(Aws.REGION, 'eu-west-1') });
  const raw = new ecr.CfnRepositoryCreationTemplate(baseline, 'Raw', { prefix: 'raw', appliedFor: ['CREATE_ON_PUSH'], description: 'declared with aws-cdk-lib' });
  raw.cfnOptions.condition = condition;
  new CfnOutput(baseline, 'RawPrefix', { value: raw.prefix, description: 'the raw prefix' });
  return baseline;
}

describe('the StackSet body of a registry baseline', () => {
  test('given every registry setting, their keys, roles, conditions and outputs, then the body equals the synthesized template, byte for byte', () => {
    const app = strictApp();
    const baseline = everySetting(app);
    const expected = synthesizedTemplate(app, baseline);
    const body = baseline._template();
    expect(body).toEqual(expected);
    expect(JSON.stringify(body)).toEqual(JSON.stringify(expected));
    expect(Object.keys(body.Resources).length).toBeGreaterThan(15);
  });

  test.each([
    ['the platform example', '../../examples/platform/app', 'buildRegistryBaseline'],
  ])('given %s, then the body equals the synthesized template', (_name, modulePath, builder) => {
    const app = strictApp();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const baseline: RegistryBaseline = require(modulePath)[builder](app);
    const expected = synthesizedTemplate(app, baseline);
    expect(JSON.stringify(baseline._template())).toEqual(JSON.stringify(expected));
  });

  test('given a resource with a nested structure that no registry setting renders, then synth fails naming it', () => {
    const app = strictApp();
    const baseline = new RegistryBaseline(app, 'Baseline');
    RegistryScanning.of(baseline).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['*'] });
    new ecr.CfnRepositoryCreationTemplate(baseline, 'Raw', { prefix: 'raw', appliedFor: ['CREATE_ON_PUSH'], encryptionConfiguration: { encryptionType: 'AES256' } });
    expect(() => app.synth()).toThrow(/'Baseline\/Raw' sets EncryptionConfiguration of AWS::ECR::RepositoryCreationTemplate to a nested structure/);
  });

  test('given resources of other services with flat properties, then they are carried as they are', () => {
    const app = strictApp();
    const baseline = new RegistryBaseline(app, 'Baseline', { tags: { owner: 'platform' } });
    new sns.Topic(baseline, 'Topic', { displayName: 'registry events', enforceSSL: true });
    const role = new iam.Role(baseline, 'Role', { assumedBy: new iam.AccountRootPrincipal(), description: 'reads the registry' });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['ecr:DescribeRegistry'], resources: ['*'] }));
    new iam.Policy(baseline, 'Attached', { roles: [role], statements: [new iam.PolicyStatement({ actions: ['ecr:DescribeRepositories'], resources: ['*'] })] });
    const expected = synthesizedTemplate(app, baseline);
    expect(JSON.stringify(baseline._template())).toEqual(JSON.stringify(expected));
  });

  test('given an iam.Policy attached to nothing, then synth fails naming it, as aws-cdk-lib may leave it out of the template', () => {
    const app = strictApp();
    const baseline = new RegistryBaseline(app, 'Baseline');
    RegistryScanning.of(baseline).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['*'] });
    new iam.Policy(baseline, 'Loose', { statements: [new iam.PolicyStatement({ actions: ['ecr:DescribeRegistry'], resources: ['*'] })] });
    expect(() => app.synth()).toThrow(/'Baseline\/Loose' is a policy with no statement or attached to no role, user or group/);
  });

  test('the baseline renders its body without the private _toCloudFormation of aws-cdk-lib', () => {
    const source = fs.readFileSync(path.join(__dirname, '../../src/organization/baseline.ts'), 'utf8');
    expect(source).not.toMatch(/_toCloudFormation/);
  });
});

describe('Registry.settings', () => {
  test('given a baseline with every setting, then each is listed once with its kind, key, owner and resources', () => {
    const app = strictApp();
    const baseline = everySetting(app);
    const settings = Registry.of(baseline).settings;
    const listed = settings.map((s) => [s.kind, s.key, s.owner, s.resources.map((r) => r.cfnResourceType)]);
    expect(listed).toEqual(expect.arrayContaining([
      [RegistrySettingKind.SCANNING, undefined, 'Baseline/EcrRegistry/Scanning', ['AWS::ECR::RegistryScanningConfiguration']],
      [RegistrySettingKind.CREATION_TEMPLATE, 'ROOT', 'Baseline/OnPush', ['AWS::ECR::RepositoryCreationTemplate']],
      [RegistrySettingKind.CREATION_TEMPLATE, 'secure', 'Baseline/Secure', ['AWS::ECR::RepositoryCreationTemplate']],
      [RegistrySettingKind.CREATION_TEMPLATE, 'plain', 'Baseline/Plain', ['AWS::ECR::RepositoryCreationTemplate']],
      [RegistrySettingKind.CREATION_TEMPLATE, 'ecr-public', 'Baseline/EcrPublic/Template', ['AWS::ECR::RepositoryCreationTemplate']],
      [RegistrySettingKind.PULL_THROUGH_CACHE_RULE, 'ecr-public', 'Baseline/EcrPublic', ['AWS::ECR::PullThroughCacheRule']],
      [RegistrySettingKind.PULL_THROUGH_CACHE_RULE, 'k8s', 'Baseline/K8s', ['AWS::ECR::PullThroughCacheRule']],
      [RegistrySettingKind.REGISTRY_POLICY, undefined, 'Baseline/EcrRegistry', ['AWS::ECR::RegistryPolicy']],
      [RegistrySettingKind.REPLICATION, undefined, 'Baseline/EcrRegistry', ['AWS::ECR::ReplicationConfiguration']],
      [RegistrySettingKind.SIGNING, undefined, 'Baseline/EcrRegistry/Signing', ['AWS::ECR::SigningConfiguration']],
      [RegistrySettingKind.PULL_TIME_UPDATE_EXCLUSION, 'arn:aws:iam::111111111111:role/scanner', 'Baseline/Scanner', ['AWS::ECR::PullTimeUpdateExclusion']],
    ]));
    expect(settings).toHaveLength(11);
    expect(settings.find((s) => s.kind === RegistrySettingKind.CREATION_TEMPLATE && s.key === 'secure')?.description).toBe("AWS::ECR::RepositoryCreationTemplate with prefix 'secure'");
  });
});
