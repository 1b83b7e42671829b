import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack, Stage } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { addCompliancePacks, addControlTowerChecks, buildPipelineApp } from '../../examples/pipeline/app';
import { CONTROL_TOWER_PLUGIN } from '../util/control-tower';
import { describeFindings, readFindings, VALIDATE_FLAG } from '../util/harness';

/** The stacks CDK Pipelines adds of its own: the pipeline stack and the support stack of each other region. */
const PIPELINE_INFRASTRUCTURE = /^(PlatformPipeline|cross-region-stack-[0-9]+:[a-z0-9-]+)$/;

function pipelineApp(prefix: string): { app: App; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { app: buildPipelineApp({ outdir, context: { [VALIDATE_FLAG]: true } }), outdir };
}

/** Every acknowledgement of the construct tree: where, which rule, why. */
function acknowledgements(app: App): Array<{ path: string; id: string; reason: string }> {
  return app.node.findAll().flatMap((c) => c.node.metadata
    .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
    .flatMap((m) => Object.entries<string>(m.data).map(([id, reason]) => ({ path: c.node.path, id, reason }))));
}

describe('example pipeline app', () => {
  // The app registers the compliance packs and AWS Control Tower's controls itself (as `npm run pipeline` and the pipeline's Synth step run it).
  const { app, outdir } = pipelineApp('pipeline-');
  let error: Error | undefined;
  try {
    app.synth();
  } catch (e) {
    error = e as Error;
  }
  const findings = readFindings(outdir);
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  const stacks = new CloudAssembly(outdir).stacksRecursively;
  const templateOf = (id: string) => Template.fromJSON(stacks.find((s) => s.hierarchicalId === id)!.template);

  test('it synthesizes offline: the pipeline stack, the support stack of eu-west-1 and one nested assembly per stage', () => {
    expect(error?.message).toBeUndefined();
    const artifacts = Object.keys(manifest.artifacts);
    expect(artifacts).toEqual(expect.arrayContaining([
      'PlatformPipeline',
      'assembly-BaselineTemplate',
      'assembly-Organization-eu-west-1', 'assembly-Organization-us-east-1',
      'assembly-Security-eu-west-1', 'assembly-Security-us-east-1',
      'assembly-Registry-eu-west-1', 'assembly-Registry-us-east-1',
    ]));
    expect(stacks.map((s) => s.hierarchicalId).sort()).toEqual([
      'BaselineTemplate/RegistryBaseline',
      'Organization-eu-west-1/Organization', 'Organization-us-east-1/Organization',
      'PlatformPipeline',
      'Registry-eu-west-1/Registry', 'Registry-us-east-1/Registry',
      'Security-eu-west-1/InspectorOrganization', 'Security-us-east-1/InspectorOrganization',
      'cross-region-stack-888888888888:eu-west-1',
    ]);
    const pipeline = JSON.parse(fs.readFileSync(path.join(outdir, 'PlatformPipeline.template.json'), 'utf8'));
    const stages = Object.values<any>(pipeline.Resources).find((r) => r.Type === 'AWS::CodePipeline::Pipeline').Properties.Stages.map((s: any) => s.Name);
    // Organization first, then Inspector's administrator, then the registry stacks one region at a time.
    expect(stages).toEqual(['Source', 'Build', 'UpdatePipeline', 'Assets', 'Organization', 'Security', 'Registry-eu-west-1', 'Registry-us-east-1']);
  });

  test('the organization stage carries the baseline StackSet; the baseline itself is not deployed by the pipeline', () => {
    const org = path.join(outdir, 'assembly-Organization-us-east-1');
    const file = fs.readdirSync(org).find((f) => f.endsWith('.template.json'))!;
    const template = JSON.parse(fs.readFileSync(path.join(org, file), 'utf8'));
    const stackSet = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::CloudFormation::StackSet');
    expect(stackSet.Properties.StackInstancesGroup[0].DeploymentTargets.OrganizationalUnitIds).toEqual(['ou-ab12-cd34ef56']);
    const bodyTypes = Object.values<any>(JSON.parse(stackSet.Properties.TemplateBody).Resources).map((r) => r.Type);
    expect(bodyTypes).toContain('AWS::ECR::RegistryScanningConfiguration');
    expect(bodyTypes).toContain('AWS::ECR::RepositoryCreationTemplate');
    const pipeline = fs.readFileSync(path.join(outdir, 'PlatformPipeline.template.json'), 'utf8');
    expect(pipeline).not.toMatch(/RegistryBaseline/);
  });

  test('every stack, the pipeline\'s own included, has no unacknowledged finding: CloudFormation validation, the five packs, Control Tower', () => {
    expect(describeFindings(findings)).toBe('');
    expect(error).toBeUndefined();
  });

  test('the Synth step runs the checked synthesis and hands its cloud assembly to the pipeline', () => {
    const synth = templateOf('PlatformPipeline').findResources('AWS::CodeBuild::Project', {
      Properties: { Source: { BuildSpec: Match.stringLikeRegexp('npm run pipeline') } },
    });
    const spec = JSON.parse(Object.values<any>(synth)[0].Properties.Source.BuildSpec);
    expect(spec.phases.build.commands).toEqual(['npm ci', 'npm run pipeline']);
    expect(spec.artifacts['base-directory']).toBe('examples/pipeline/cdk.out');
  });

  test.each(['PlatformPipeline', 'cross-region-stack-888888888888:eu-west-1'])('the artifact bucket of %s is versioned, locked, logged, expired, notified and encrypted with a rotated key that only AWS services grant on', (id) => {
    const template = templateOf(id);
    const logs = Object.keys(template.findResources('AWS::S3::Bucket', { Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } } }));
    expect(logs).toHaveLength(1);
    // S3 does not deliver access logs to a bucket with Object Lock
    expect(template.toJSON().Resources[logs[0]].Properties.ObjectLockEnabled).toBeUndefined();
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      ObjectLockEnabled: true,
      LoggingConfiguration: { DestinationBucketName: { Ref: logs[0] } },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 } })]) },
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
    // SSL only, on both buckets
    expect(Object.keys(template.findResources('AWS::S3::BucketPolicy', {
      Properties: { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) } },
    }))).toHaveLength(2);
    const keys = Object.values<any>(template.findResources('AWS::KMS::Key'));
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.Properties.KeyPolicy.Statement).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 'kms:CreateGrant' }));
    }
  });

  test('every CodeBuild project of the pipeline logs to an encrypted log group kept a year', () => {
    const template = templateOf('PlatformPipeline');
    const projects = Object.values<any>(template.findResources('AWS::CodeBuild::Project'));
    expect(projects.length).toBe(3); // Synth, SelfMutation and one project for every file asset
    for (const p of projects) expect(p.Properties.LogsConfig.CloudWatchLogs.Status).toBe('ENABLED');
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365, KmsKeyId: Match.anyValue() });
  });

  test('acknowledgements are precise: a wildcard finding is acknowledged by its exact text, never a whole rule; every one has a reason', () => {
    const acks = acknowledgements(app).filter((a) => PIPELINE_INFRASTRUCTURE.test(a.path.split('/')[0]));
    expect(acks.length).toBeGreaterThan(0);
    expect(acks.filter((a) => a.id === 'AwsSolutions-IAM5')).toEqual([]);
    expect(acks.filter((a) => a.id.includes('AwsSolutions-IAM5') && !/\[(Action|Resource)::.+\]$/.test(a.id))).toEqual([]);
    for (const a of acks) expect(a.reason.length).toBeGreaterThan(60);
    // The acknowledgement of "*" is made on the roles whose statements need it, not on the pipeline as a whole.
    expect(acks.filter((a) => a.id.endsWith('[Resource::*]')).map((a) => a.path).sort()).toEqual([
      'PlatformPipeline/Pipeline/Assets/FileRole',
      'PlatformPipeline/Pipeline/Pipeline/Role',
      'PlatformPipeline/Pipeline/UpdatePipeline/SelfMutation/Role',
    ]);
  });

  /** Adds, to each stack, a bucket without access logs and a bucket named against S3's rules, and checks each plugin reports them. */
  function expectEveryPluginReports(probed: Stack[], synth: () => void, dir: string): void {
    for (const stack of probed) {
      new s3.Bucket(stack, 'Unlogged');
      // uppercase and underscores: CloudFormation refuses the name
      new CfnResource(stack, 'Misnamed', { type: 'AWS::S3::Bucket', properties: { BucketName: 'Not_A_Bucket_Name' } });
    }
    expect(synth).toThrow(/Unlogged/);
    const found = readFindings(dir);
    for (const stack of probed) {
      const at = (plugin: string, id: string) => found.filter((f) => f.plugin === plugin && f.path.startsWith(`${stack.node.path}/${id}`)).map((f) => f.rule);
      expect(at('AwsSolutions', 'Unlogged')).toContain('AwsSolutions-S1');
      expect(at('NIST.800.53.R5', 'Unlogged')).toContain('NIST.800.53.R5-S3BucketLoggingEnabled');
      expect(at('HIPAA.Security', 'Unlogged')).toContain('HIPAA.Security-S3BucketLoggingEnabled');
      expect(at('PCI.DSS.321', 'Unlogged')).toContain('PCI.DSS.321-S3BucketLoggingEnabled');
      expect(at(CONTROL_TOWER_PLUGIN, 'Unlogged')).toContain('s3_bucket_logging_enabled_check');
      expect(at('CloudFormation Validate', 'Misnamed').length).toBeGreaterThan(0);
    }
  }

  test('a finding in the pipeline stack or a support stack stops synthesis: every plugin checks CDK Pipelines\' own stacks', () => {
    const probe = pipelineApp('pipeline-probe-');
    const own = probe.app.node.findAll().filter((c): c is Stack => Stack.isStack(c) && PIPELINE_INFRASTRUCTURE.test(c.node.path));
    expect(own.map((s) => s.node.path).sort()).toEqual(['PlatformPipeline', 'cross-region-stack-888888888888:eu-west-1']);
    expectEveryPluginReports(own, () => probe.app.synth(), probe.outdir);
  });

  test('a finding in a stage stops synthesis: the app registers the packs and the Control Tower controls so that they check every stage', () => {
    // CDK Pipelines synthesizes each stage when it is added, so a probe cannot
    // change the stages of the example app: this app is registered the same way.
    const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-stage-probe-'));
    const probe = new App({ outdir: probeDir, context: { [VALIDATE_FLAG]: true } });
    addCompliancePacks(probe);
    const stage = new Stage(probe, 'Registry-eu-west-1', { env: { account: '333333333333', region: 'eu-west-1' } });
    const stack = new Stack(stage, 'Registry');
    addControlTowerChecks(probe);
    expectEveryPluginReports([stack], () => probe.synth(), probeDir);
  });
});
