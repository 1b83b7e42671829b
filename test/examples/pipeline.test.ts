import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { addCompliancePacks, buildPipelineApp } from '../../examples/pipeline/app';
import { CONTROL_TOWER_PLUGIN, controlTowerChecks } from '../util/control-tower';
import { addControlTowerChecks, describeFindings, readFindings, VALIDATE_FLAG } from '../util/harness';

/** Where CDK Pipelines puts its own infrastructure: the pipeline stack and its cross-region support stack. */
const PIPELINE_INFRASTRUCTURE = /^(PlatformPipeline\/|cross-region-stack-)/;

describe('example pipeline app', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-'));
  const app = buildPipelineApp({ outdir, context: { [VALIDATE_FLAG]: true } });
  addControlTowerChecks(app);
  // Plugins of the App check its own stacks; each stage gets the Control Tower rules too.
  const controlTower = controlTowerChecks();
  for (const stage of app.node.children.filter((c): c is Stage => Stage.isStage(c))) Validations.of(stage).addPlugins(controlTower);
  let error: Error | undefined;
  try {
    app.synth();
  } catch (e) {
    error = e as Error;
  }
  const findings = readFindings(outdir);
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));

  test('it synthesizes offline: the pipeline stack and one nested assembly per stage', () => {
    const artifacts = Object.keys(manifest.artifacts);
    expect(artifacts).toEqual(expect.arrayContaining([
      'PlatformPipeline',
      'assembly-BaselineTemplate',
      'assembly-Organization-eu-west-1', 'assembly-Organization-us-east-1',
      'assembly-Security-eu-west-1', 'assembly-Security-us-east-1',
      'assembly-Registry-eu-west-1', 'assembly-Registry-us-east-1',
    ]));
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

  test('no CloudFormation validation finding anywhere', () => {
    expect(describeFindings(findings.filter((f) => f.plugin === 'CloudFormation Validate'))).toBe('');
  });

  test('the platform stages pass the compliance packs and the Control Tower rules; the findings that stop synthesis are all in CDK Pipelines\' own infrastructure', () => {
    const platform = findings.filter((f) => f.plugin !== 'CloudFormation Validate' && !PIPELINE_INFRASTRUCTURE.test(f.path));
    expect(describeFindings(platform)).toBe('');
    // Known gap: the pipeline's artifact buckets, keys and roles (aws-cdk-lib/pipelines) are not yet made to pass the packs.
    expect(findings.some((f) => f.plugin === CONTROL_TOWER_PLUGIN && PIPELINE_INFRASTRUCTURE.test(f.path))).toBe(true);
    expect(error).toBeDefined();
    expect(error!.message).not.toMatch(/^\s+(BaselineTemplate|Organization-|Security-|Registry-)/m);
  });

  test('a finding in a platform stage stops synthesis (the packs run on every stage)', () => {
    const probe = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-probe-')) });
    const stage = new Stage(probe, 'Registry-eu-west-1', { env: { account: '333333333333', region: 'eu-west-1' } });
    addCompliancePacks(stage);
    new s3.Bucket(new Stack(stage, 'Registry'), 'Unlogged');
    expect(() => probe.synth()).toThrow(/Registry-eu-west-1\/Registry\/Unlogged\/Resource/);
  });
});
