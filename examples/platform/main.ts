import * as fs from 'fs';
import * as path from 'path';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { EcrComplianceChecks } from '../../src';
import { buildPlatformApp } from './app';
import { printAccessSummary, printAnnotations, printFindings, step, synthesizeStep } from '../summary';
import { CONTROL_TOWER_PLUGIN, controlTowerChecks, DISABLED_CONTROL_TOWER_RULES } from '../../test/util/control-tower';

/**
 * The main job: synthesize the example platform into ./cdk.out with
 * CloudFormation validation and the compliance packs, then print a summary.
 */
function main(): number {
  const outdir = path.resolve(process.env.CDK_OUTDIR ?? 'cdk.out');
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = step('Building the example platform app', () => buildPlatformApp({ outdir }));
  const controlTower = controlTowerChecks();
  Validations.of(app).addPlugins(
    new EcrComplianceChecks(app),
    new AwsSolutionsChecks(app),
    new NIST80053R5Checks(app),
    new HIPAASecurityChecks(app),
    new PCIDSS321Checks(app),
    // every AWS Control Tower proactive control but those switched off, with
    // their reasons, in test/util/control-tower.ts (rules run for the
    // resource types present)
    controlTower,
  );

  const failed = synthesizeStep(app, 'CloudFormation validation, five cdk-nag packs and the AWS Control Tower controls');

  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  const stacks = Object.entries<any>(manifest.artifacts ?? {}).filter(([, a]) => a.type === 'aws:cloudformation:stack');
  console.log(`Synthesized ${stacks.length} stacks into ${path.relative(process.cwd(), outdir) || '.'}`);
  const byType = new Map<string, number>();
  for (const [name, artifact] of stacks) {
    const template = JSON.parse(fs.readFileSync(path.join(outdir, artifact.properties.templateFile), 'utf8'));
    const resources = Object.values<any>(template.Resources ?? {});
    const env = artifact.environment.replace('aws://', '');
    const bytes = fs.statSync(path.join(outdir, artifact.properties.templateFile)).size;
    console.log(`  ${name.padEnd(36)} ${env.padEnd(28)} ${String(resources.length).padStart(4)}/500 resources ${String(bytes).padStart(8)}/1000000 template bytes`);
    for (const r of resources) byType.set(r.Type, (byType.get(r.Type) ?? 0) + 1);
  }
  console.log('Resources by type:');
  for (const [type, n] of [...byType.entries()].sort()) console.log(`  ${type.padEnd(44)} ${String(n).padStart(4)}`);

  const switchedOff = Object.keys(DISABLED_CONTROL_TOWER_RULES).join(', ');
  console.log(`AWS Control Tower: ${controlTower.ruleIds?.length} proactive controls (cfn-guard rules), each run on every template with a resource type it checks; switched off: ${switchedOff}`);
  const plugins = ['CloudFormation Validate', 'EcrCompliance', 'AwsSolutions', 'NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321', CONTROL_TOWER_PLUGIN];
  // an error of a construct fails the job, as it fails a deployment
  const { errors } = printAnnotations(app);
  const findings = printFindings(outdir, plugins);
  printAccessSummary(outdir);
  return failed || findings > 0 || errors > 0 ? 1 : 0;
}

process.exitCode = main();
