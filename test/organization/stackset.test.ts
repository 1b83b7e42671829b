import { App, Stack, Stage } from 'aws-cdk-lib';
import { CodePipeline, CodePipelineSource, ShellStep } from 'aws-cdk-lib/pipelines';
import {
  PullThroughCacheRule,
  RegistryBaseline,
  RegistryBaselineStackSet,
  RegistryScanning,
  RepositoryCreationTemplate,
  RepositoryCreationTemplateAppliedFor,
  ImageEncryption,
  ScanFrequency,
  StackSetTarget,
  UpstreamRegistry,
} from '../../src';
import { strictApp, validTemplate } from '../util/harness';

const OU = 'ou-ab12-cd34ef56';
const MANAGEMENT = { account: '999999999999', region: 'us-east-1' };

function baselineIn(scope: App | Stage): RegistryBaseline {
  const baseline = new RegistryBaseline(scope, 'Baseline');
  RegistryScanning.of(baseline).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['*'] });
  new RepositoryCreationTemplate(baseline, 'Kms', { prefix: 'secure', appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH], encryption: ImageEncryption.kms() });
  new PullThroughCacheRule(baseline, 'EcrPublic', { ecrRepositoryPrefix: 'ecr-public', upstream: UpstreamRegistry.ecrPublic() });
  return baseline;
}

/** Every value of a JSON document, with the key it is under. */
function* entries(value: unknown, key = ''): Generator<[string, unknown]> {
  yield [key, value];
  if (Array.isArray(value)) for (const v of value) yield* entries(v, `${key}[]`);
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) yield* entries(v, k);
}

describe('RegistryBaselineStackSet template body', () => {
  test('given a baseline with a KMS creation template, then walking the body finds every reference inside it: no parameter, no import, no asset, nothing of the bootstrap stack', () => {
    const app = strictApp();
    const baseline = baselineIn(app);
    const stack = new Stack(app, 'Organization', { env: MANAGEMENT });
    new RegistryBaselineStackSet(stack, 'Baseline', { baseline, target: StackSetTarget.fromOrganizationalUnits([OU]), regions: ['eu-west-1'] });
    const stackSet = Object.values<any>(validTemplate(stack, { nag: true }).findResources('AWS::CloudFormation::StackSet'))[0];
    const body = JSON.parse(stackSet.Properties.TemplateBody);
    const resources = new Set(Object.keys(body.Resources));
    const refs: string[] = [];
    const atts: string[] = [];
    const subs: string[] = [];
    for (const [key, value] of entries(body)) {
      expect(key).not.toBe('Fn::ImportValue');
      if (key === 'Ref') refs.push(value as string);
      if (key === 'Fn::GetAtt') atts.push(Array.isArray(value) ? String(value[0]) : String(value).split('.')[0]);
      if (key === 'Fn::Sub') subs.push(...[...JSON.stringify(value).matchAll(/\$\{([^}!]+)\}/g)].map((m) => m[1].split('.')[0]));
      if (typeof value === 'string') expect(value).not.toMatch(/cdk-[a-z0-9]{9}-|AssetParameters|BootstrapVersion|aws-cdk:asset/);
    }
    expect(refs.length + atts.length).toBeGreaterThan(0); // the creation template names its key
    expect([...refs, ...atts, ...subs].filter((target) => !resources.has(target) && !target.startsWith('AWS::'))).toEqual([]);
    expect(body.Parameters ?? {}).toEqual({});
    expect(body.Rules ?? {}).toEqual({});
    expect(Object.values<any>(body.Resources).filter((r) => /^(AWS::Lambda::|AWS::CloudFormation::|Custom::)/.test(r.Type) || r.Metadata?.['aws:asset:path'])).toEqual([]);
  });
});

describe('RegistryBaselineStackSet on deletion', () => {
  test('given a baseline\'s scanning configuration, then the StackSet body keeps it when a stack instance is deleted (RetainExceptOnCreate), unlike its templates and cache rules', () => {
    const app = strictApp();
    const baseline = baselineIn(app);
    const stack = new Stack(app, 'Organization', { env: MANAGEMENT });
    new RegistryBaselineStackSet(stack, 'Baseline', { baseline, target: StackSetTarget.fromOrganizationalUnits([OU]), regions: ['eu-west-1'] });
    const stackSet = Object.values<any>(validTemplate(stack, { nag: true }).findResources('AWS::CloudFormation::StackSet'))[0];
    const body = JSON.parse(stackSet.Properties.TemplateBody);
    const policies = Object.values<any>(body.Resources)
      .filter((r) => r.Type.startsWith('AWS::ECR::'))
      .map((r) => [r.Type, r.DeletionPolicy, r.UpdateReplacePolicy])
      .sort((a, b) => a[0].localeCompare(b[0]));
    expect(policies).toEqual([
      ['AWS::ECR::PullThroughCacheRule', undefined, undefined],
      ['AWS::ECR::RegistryScanningConfiguration', 'RetainExceptOnCreate', 'Retain'],
      ['AWS::ECR::RepositoryCreationTemplate', undefined, undefined],
      ['AWS::ECR::RepositoryCreationTemplate', undefined, undefined],
    ]);
  });
});

describe('clash detection when stages are synthesized one by one (CDK Pipelines)', () => {
  /** A pipeline that deploys the StackSet's stage, then a workload stage: CDK Pipelines synthesizes each stage as it is added. */
  function pipelineApp(target: StackSetTarget): { app: App; workload: Stack } {
    const app = new App();
    const templates = new Stage(app, 'Templates');
    const baseline = baselineIn(templates);
    const pipelineStack = new Stack(app, 'Pipeline', { env: { account: '888888888888', region: 'us-east-1' } });
    const pipeline = new CodePipeline(pipelineStack, 'Pipeline', {
      crossAccountKeys: true,
      synth: new ShellStep('Synth', {
        input: CodePipelineSource.connection('example/platform', 'main', { connectionArn: 'arn:aws:codeconnections:us-east-1:888888888888:connection/0f9a1b2c-3d4e-5f60-7182-93a4b5c6d7e8' }),
        commands: ['npm ci', 'npx cdk synth'],
      }),
    });
    const organization = new Stage(app, 'Organization', { env: MANAGEMENT });
    new RegistryBaselineStackSet(new Stack(organization, 'StackSet'), 'Baseline', { baseline, target, regions: ['eu-west-1'] });
    pipeline.addStage(organization);
    // added (and synthesized) after the StackSet's stage
    const workloads = new Stage(app, 'Workloads', { env: { account: '222222222222', region: 'eu-west-1' } });
    const workload = new Stack(workloads, 'Registry');
    RegistryScanning.of(workload).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['app/*'] });
    pipeline.addStage(workloads);
    return { app, workload };
  }

  test('given an account target and a later stage of that account and region with its own scanning configuration, then synth fails', () => {
    const { app } = pipelineApp(StackSetTarget.fromAccounts(['222222222222'], [OU]));
    expect(() => app.synth()).toThrow(/RegistryBaselineStackSet 'Organization\/StackSet\/Baseline' deploys baseline 'Templates\/Baseline' to account 222222222222 in eu-west-1, where stack 'Workloads\/Registry' renders AWS::ECR::RegistryScanningConfiguration/);
  });

  test('given an account target and a later stage of another account, then synth succeeds', () => {
    const { app } = pipelineApp(StackSetTarget.fromAccounts(['444444444444'], [OU]));
    expect(() => app.synth()).not.toThrow();
  });

  test('given a plain app, then each clash is reported once', () => {
    const app = strictApp();
    const baseline = baselineIn(app);
    new RegistryBaselineStackSet(new Stack(app, 'Organization', { env: MANAGEMENT }), 'Baseline', {
      baseline, target: StackSetTarget.fromAccounts(['222222222222'], [OU]), regions: ['eu-west-1'],
    });
    const workload = new Stack(app, 'Workload', { env: { account: '222222222222', region: 'eu-west-1' } });
    RegistryScanning.of(workload).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['app/*'] });
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.match(/where stack 'Workload' renders AWS::ECR::RegistryScanningConfiguration/g)).toHaveLength(1);
  });
});
