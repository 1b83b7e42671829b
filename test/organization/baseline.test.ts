import * as path from 'path';
import { App, Aws, CfnParameter, Fn, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  BasicScanTypeVersion,
  EcrAccountSettings,
  InspectorScanning,
  PullThroughCacheCredentials,
  PullThroughCacheRule,
  RegistryBaseline,
  RegistryBaselineStackSet,
  RegistryScanning,
  RepositoryCreationTemplate,
  RepositoryCreationTemplateAppliedFor,
  ImageEncryption,
  ScanFrequency,
  StackSetCallAs,
  StackSetRegionConcurrency,
  StackSetTarget,
  UpstreamRegistry,
} from '../../src';
import { ENV, strictApp, synthesize, validTemplate } from '../util/harness';

const OU = 'ou-ab12-cd34ef56';
const OU2 = 'ou-ab12-99887766';

/** A baseline with the registry settings every account gets. */
function fullBaseline(app: App, id = 'Baseline'): RegistryBaseline {
  const baseline = new RegistryBaseline(app, id);
  RegistryScanning.of(baseline).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['*'] });
  new RepositoryCreationTemplate(baseline, 'OnPush', { prefix: 'ROOT', appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH, RepositoryCreationTemplateAppliedFor.REPLICATION] });
  new RepositoryCreationTemplate(baseline, 'Kms', { prefix: 'secure', appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH], encryption: ImageEncryption.kms(), resourceTags: { team: 'platform' } });
  new PullThroughCacheRule(baseline, 'EcrPublic', { ecrRepositoryPrefix: 'ecr-public', upstream: UpstreamRegistry.ecrPublic() });
  new PullThroughCacheRule(baseline, 'K8s', { ecrRepositoryPrefix: 'k8s', upstream: UpstreamRegistry.kubernetes() });
  return baseline;
}

function rollout(app: App, baseline: RegistryBaseline, target = StackSetTarget.fromOrganizationalUnits([OU]), regions = ['eu-west-1', 'us-east-1']): { stack: Stack; stackSet: RegistryBaselineStackSet } {
  const stack = new Stack(app, 'Organization', { env: { account: '999999999999', region: 'us-east-1' } });
  const stackSet = new RegistryBaselineStackSet(stack, 'Baseline', { baseline, target, regions });
  return { stack, stackSet };
}

/** Every key of a JSON value, at any depth. */
function keysOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {value.forEach((v) => keysOf(v, out));} else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      keysOf(v, out);
    }
  }
  return out;
}

describe('RegistryBaseline', () => {
  test('given the registry settings of an account, then the baseline template is self-contained and passes every check', () => {
    const app = strictApp();
    const baseline = fullBaseline(app);
    const template = validTemplate(baseline, { nag: true }).toJSON();
    const types = Object.values<any>(template.Resources).map((r) => r.Type);
    expect(types).toEqual(expect.arrayContaining(['AWS::ECR::RegistryScanningConfiguration', 'AWS::ECR::RepositoryCreationTemplate', 'AWS::ECR::PullThroughCacheRule', 'AWS::KMS::Key']));
    expect(types.filter((t) => /^(AWS::Lambda::|Custom::|AWS::CloudFormation::)/.test(t))).toEqual([]);
    expect(template.Parameters ?? {}).toEqual({});
    expect(template.Rules ?? {}).toEqual({});
    expect(keysOf(template)).not.toContain('Fn::ImportValue');
  });

  test('given EcrAccountSettings in a baseline, then synth fails naming it and the Lambda it needs', () => {
    const app = strictApp();
    const baseline = new RegistryBaseline(app, 'Baseline');
    expect(() => new EcrAccountSettings(baseline, 'Settings', { basicScanTypeVersion: BasicScanTypeVersion.AWS_NATIVE }))
      .toThrow(/^EcrAccountSettings 'Baseline\/Settings': 1 problem:\n {2}- the scope is a registry baseline, .* needs a Lambda-backed custom resource/);
    expect(() => new InspectorScanning(baseline, 'Inspector')).toThrow(/^InspectorScanning 'Baseline\/Inspector': 1 problem:\n {2}- the scope is a registry baseline/);
  });

  test('given a Lambda function, an asset, a parameter, an import and credentials in a baseline, then one error lists each with its construct', () => {
    const app = strictApp();
    const baseline = new RegistryBaseline(app, 'Baseline');
    new lambda.Function(baseline, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
    new s3assets.Asset(baseline, 'File', { path: path.join(__dirname, 'baseline.test.ts') });
    const prefix = new CfnParameter(baseline, 'Prefix', { type: 'String' });
    new ecr.CfnRepositoryCreationTemplate(baseline, 'Imported', { prefix: Fn.importValue('SharedPrefix'), appliedFor: ['CREATE_ON_PUSH'] });
    new ecr.CfnRepositoryCreationTemplate(baseline, 'Param', { prefix: prefix.valueAsString, appliedFor: ['CREATE_ON_PUSH'] });
    new PullThroughCacheRule(baseline, 'Hub', {
      ecrRepositoryPrefix: 'docker-hub',
      upstream: UpstreamRegistry.dockerHub(),
      credentials: PullThroughCacheCredentials.fromSecret(secretsmanager.Secret.fromSecretCompleteArn(baseline, 'Secret', 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:ecr-pullthroughcache/hub-AbCdEf')),
    });
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/'Baseline\/Fn\/Resource' renders AWS::Lambda::Function, a Lambda function/);
    expect(message).toMatch(/an asset \(file .*\) was added/);
    expect(message).toMatch(/'Baseline\/Prefix' is a parameter/);
    expect(message).toMatch(/'Baseline\/Imported' references a value of another stack \(Fn::ImportValue\)/);
    expect(message).toMatch(/'Baseline\/Hub\/Resource' has upstream credentials/);
  });

  test('given a reference to a resource of another stack, then the baseline refuses the import it would need', () => {
    const app = strictApp();
    const other = new Stack(app, 'Other');
    const repo = new ecr.CfnRepository(other, 'Repo');
    const baseline = new RegistryBaseline(app, 'Baseline');
    new ecr.CfnRepositoryCreationTemplate(baseline, 'T', { prefix: repo.ref, appliedFor: ['CREATE_ON_PUSH'] });
    expect(() => app.synth()).toThrow(/'Baseline\/T' references a value of another stack \(Fn::ImportValue\)/);
  });

  test('given a baseline, then the registry does not warn that it is environment-agnostic', () => {
    const app = strictApp();
    const baseline = fullBaseline(app);
    validTemplate(baseline);
    Annotations.fromStack(baseline).hasNoWarning('*', Match.stringLikeRegexp('without a concrete account and region'));
  });
});

describe('RegistryBaselineStackSet', () => {
  test('given a baseline rolled out to an OU in two regions, then a service-managed StackSet carries its template inline', () => {
    const app = strictApp();
    const baseline = fullBaseline(app);
    const { stack } = rollout(app, baseline);
    const template = validTemplate(stack, { nag: true });
    const baselineJson = validTemplate(baseline).toJSON();
    const stackSets = template.findResources('AWS::CloudFormation::StackSet');
    const props = Object.values<any>(stackSets)[0].Properties;
    expect(props).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      CallAs: 'SELF',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: true },
      OperationPreferences: { RegionConcurrencyType: 'SEQUENTIAL', RegionOrder: ['eu-west-1', 'us-east-1'] },
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: [OU] }, Regions: ['eu-west-1', 'us-east-1'] }],
      Capabilities: ['CAPABILITY_IAM'],
    });
    const body = JSON.parse(props.TemplateBody);
    // The body is the baseline's template, without CDK's path metadata.
    expect(Object.keys(body.Resources).sort()).toEqual(Object.keys(baselineJson.Resources).sort());
    expect(keysOf(body)).not.toContain('aws:cdk:path');
    // Self-contained: walked, no asset parameter, no Lambda, no import, no custom resource.
    expect(body.Parameters ?? {}).toEqual({});
    expect(keysOf(body)).not.toContain('Fn::ImportValue');
    expect(Object.values<any>(body.Resources).map((r) => r.Type).filter((t: string) => !/^AWS::(ECR|IAM|KMS)::/.test(t))).toEqual([]);
    expect(Buffer.byteLength(props.TemplateBody)).toBeLessThanOrEqual(51_200);
    // No asset is published for the organization stack either.
    expect(template.toJSON().Parameters ?? {}).toEqual({ BootstrapVersion: expect.anything() });
  });

  test('given every option, then they are rendered', () => {
    const app = strictApp();
    const baseline = fullBaseline(app);
    const stack = new Stack(app, 'Organization', { env: ENV });
    new RegistryBaselineStackSet(stack, 'Baseline', {
      baseline,
      target: StackSetTarget.fromAccounts(['222222222222', '333333333333'], [OU, 'r-ab12']),
      regions: ['eu-west-1'],
      stackSetName: 'ecr-baseline',
      callAs: StackSetCallAs.DELEGATED_ADMIN,
      autoDeployment: true,
      retainStacksOnAccountRemoval: false,
      failureToleranceCount: 2,
      maxConcurrentCount: 3,
      regionConcurrency: StackSetRegionConcurrency.PARALLEL,
    });
    validTemplate(stack, { nag: true }).hasResourceProperties('AWS::CloudFormation::StackSet', {
      StackSetName: 'ecr-baseline',
      CallAs: 'DELEGATED_ADMIN',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      OperationPreferences: { FailureToleranceCount: 2, MaxConcurrentCount: 3, RegionConcurrencyType: 'PARALLEL' },
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: [OU, 'r-ab12'], Accounts: ['222222222222', '333333333333'], AccountFilterType: 'INTERSECTION' }, Regions: ['eu-west-1'] }],
    });
  });

  test('given excluded accounts, then the target is the OU minus them', () => {
    const app = strictApp();
    const { stack } = rollout(app, fullBaseline(app), StackSetTarget.fromOrganizationalUnits([OU], { excludeAccounts: ['222222222222'] }));
    Template.fromJSON(validTemplate(stack).toJSON()).hasResourceProperties('AWS::CloudFormation::StackSet', {
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: [OU], Accounts: ['222222222222'], AccountFilterType: 'DIFFERENCE' } }],
    });
  });

  test('given bad targets, regions and operation preferences, then one error lists every problem', () => {
    const app = strictApp();
    const baseline = fullBaseline(app);
    const stack = new Stack(app, 'Organization', { env: ENV });
    expect(() => new RegistryBaselineStackSet(stack, 'Baseline', {
      baseline,
      target: StackSetTarget.fromAccounts(['1234', '222222222222', '222222222222'], ['ou-AB12-cd34ef56', OU2, OU2, 'r-x']),
      regions: ['eu-west-1', 'eu-west-1', 'eu-wset-1', 'Europe'],
      stackSetName: '1-baseline',
      failureToleranceCount: 1,
      failureTolerancePercentage: 10,
      maxConcurrentCount: 5,
      autoDeployment: false,
      retainStacksOnAccountRemoval: true,
    })).toThrow(new RegExp([
      "^RegistryBaselineStackSet 'Organization/Baseline': 1\\d problems:",
      "organizational unit 'ou-AB12-cd34ef56' is neither an organizational unit ID",
      "organizational unit 'r-x' is neither",
      `organizational unit '${OU2}' is listed twice`,
      "account '1234' is not an AWS account ID",
      "account '222222222222' is listed twice",
      "region 'eu-wset-1' is not a region aws-cdk-lib knows \\(did you mean 'eu-west-1'\\?\\)",
      "region 'Europe' is not an AWS region name",
      "region 'eu-west-1' is listed twice",
      "stackSetName '1-baseline' must start with a letter",
      'retainStacksOnAccountRemoval applies to automatic deployment only',
      'failureToleranceCount and failureTolerancePercentage are both set',
      'maxConcurrentCount is 5, but CloudFormation deploys to at most failureToleranceCount \\+ 1 \\(2\\)',
    ].join('[\\s\\S]*')));
  });

  test('given no OU and no region, then it fails clearly', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Organization', { env: ENV });
    expect(() => new RegistryBaselineStackSet(stack, 'Baseline', { baseline: fullBaseline(app), target: StackSetTarget.fromOrganizationalUnits([]), regions: [] }))
      .toThrow(/the target names no organizational unit[\s\S]*regions is empty/);
  });

  test('given a baseline larger than 51,200 bytes, then synth fails with its size', () => {
    const app = strictApp();
    const baseline = new RegistryBaseline(app, 'Baseline');
    for (let i = 0; i < 60; i++) {
      new RepositoryCreationTemplate(baseline, `T${i}`, { prefix: `team-${i}`, appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH], description: 'x'.repeat(200) });
    }
    rollout(app, baseline);
    expect(() => app.synth()).toThrow(/RegistryBaselineStackSet 'Organization\/Baseline': the template of baseline 'Baseline' has \d+ bytes, but CloudFormation takes at most 51200/);
  });

  test('given a StackSet inside a baseline, then it fails', () => {
    const app = strictApp();
    const baseline = fullBaseline(app);
    expect(() => new RegistryBaselineStackSet(baseline, 'Nested', { baseline, target: StackSetTarget.fromOrganizationalUnits([OU]), regions: ['eu-west-1'] }))
      .toThrow(/the StackSet is inside a registry baseline/);
  });
});

describe('clashes between the baseline and the stacks of the app', () => {
  test('given an account target and a stack of that account and region with its own scanning configuration, then synth fails', () => {
    const app = strictApp();
    const baseline = fullBaseline(app);
    rollout(app, baseline, StackSetTarget.fromAccounts(['222222222222'], [OU]));
    const workload = new Stack(app, 'Workload', { env: { account: '222222222222', region: 'eu-west-1' } });
    RegistryScanning.of(workload).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['app/*'] });
    expect(() => synthesize(app)).toThrow(/deploys baseline 'Baseline' to account 222222222222 in eu-west-1, where stack 'Workload' renders AWS::ECR::RegistryScanningConfiguration/);
  });

  test('given the same creation template prefix, then synth fails too', () => {
    const app = strictApp();
    const baseline = fullBaseline(app);
    rollout(app, baseline, StackSetTarget.fromAccounts(['222222222222'], [OU]));
    const workload = new Stack(app, 'Workload', { env: { account: '222222222222', region: 'us-east-1' } });
    new RepositoryCreationTemplate(workload, 'Secure', { prefix: 'secure', appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH] });
    expect(() => synthesize(app)).toThrow(/renders AWS::ECR::RepositoryCreationTemplate with prefix 'secure'/);
  });

  test('given an account target and a stack of another region or account, then there is no clash', () => {
    const app = strictApp();
    const baseline = fullBaseline(app);
    rollout(app, baseline, StackSetTarget.fromAccounts(['222222222222'], [OU]));
    const elsewhere = new Stack(app, 'Elsewhere', { env: { account: '222222222222', region: 'ap-southeast-2' } });
    RegistryScanning.of(elsewhere).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['*'] });
    const other = new Stack(app, 'Other', { env: { account: '444444444444', region: 'eu-west-1' } });
    RegistryScanning.of(other).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['*'] });
    expect(() => synthesize(app)).not.toThrow();
    Annotations.fromStack(other).hasNoWarning('*', Match.stringLikeRegexp('baseline'));
  });

  test('given an OU target and a stack in a target region, then a warning says they may overwrite each other', () => {
    const app = strictApp();
    const baseline = fullBaseline(app);
    rollout(app, baseline);
    const workload = new Stack(app, 'Workload', { env: { account: '222222222222', region: 'eu-west-1' } });
    RegistryScanning.of(workload).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['app/*'] });
    synthesize(app);
    Annotations.fromStack(workload).hasWarning('/Workload', Match.stringLikeRegexp(`renders AWS::ECR::RegistryScanningConfiguration .*which baseline 'Baseline' also renders.*organizational units ${OU}`));
  });

  test('given an OU target with the account excluded, then there is no warning', () => {
    const app = strictApp();
    const baseline = fullBaseline(app);
    rollout(app, baseline, StackSetTarget.fromOrganizationalUnits([OU], { excludeAccounts: ['222222222222'] }));
    const workload = new Stack(app, 'Workload', { env: { account: '222222222222', region: 'eu-west-1' } });
    RegistryScanning.of(workload).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['app/*'] });
    synthesize(app);
    Annotations.fromStack(workload).hasNoWarning('*', Match.stringLikeRegexp('baseline'));
  });
});

describe('RegistryBaseline in a Stage with an environment', () => {
  test('given a Stage with an account, then the baseline stays environment-agnostic, so the body names no account', () => {
    const app = strictApp();
    const stage = new Stage(app, 'Templates', { env: { account: '999999999999', region: 'us-east-1' } });
    const baseline = new RegistryBaseline(stage, 'Baseline');
    new RepositoryCreationTemplate(baseline, 'Kms', { prefix: 'secure', appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH], encryption: ImageEncryption.kms() });
    expect(baseline.account).toBe(Aws.ACCOUNT_ID);
    expect(JSON.stringify(baseline._template())).not.toContain('999999999999');
  });
});
