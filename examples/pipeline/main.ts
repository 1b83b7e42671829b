import * as fs from 'fs';
import * as path from 'path';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { buildPipelineApp } from './app';
import { printAnnotations, printFindings, step, synthesizeStep } from '../summary';

/**
 * `npm run pipeline` (the pipeline's Synth step runs it too): synthesizes the
 * example pipeline app into examples/pipeline/cdk.out with CloudFormation
 * validation, the compliance packs and AWS Control Tower's controls, prints
 * every stack (nested stage assemblies included), and exits non-zero on any
 * unacknowledged finding.
 */
function main(): number {
  const outdir = path.resolve(process.env.CDK_OUTDIR ?? path.join(__dirname, 'cdk.out'));
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = step('Building the example pipeline app', () => buildPipelineApp({ outdir, context: { '@aws-cdk/core:validateAgainstDefaultRules': true } }));

  const failed = synthesizeStep(app, 'CloudFormation validation, the compliance packs and the AWS Control Tower controls');

  const assembly = new CloudAssembly(outdir);
  const stacks = assembly.stacksRecursively;
  console.log(`Synthesized ${stacks.length} stacks into ${path.relative(process.cwd(), outdir) || '.'}`);
  for (const stack of stacks) {
    const resources = Object.keys(stack.template.Resources ?? {}).length;
    const bytes = fs.statSync(stack.templateFullPath).size;
    const env = `${stack.environment.account}/${stack.environment.region}`;
    console.log(`  ${stack.hierarchicalId.padEnd(56)} ${env.padEnd(26)} ${String(resources).padStart(4)}/500 resources ${String(bytes).padStart(8)}/1000000 template bytes`);
  }

  const { errors } = printAnnotations(app);
  const findings = printFindings(outdir, ['CloudFormation Validate', 'EcrCompliance', 'AwsSolutions', 'NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321', 'AWS Control Tower']);
  return failed || findings > 0 || errors > 0 ? 1 : 0;
}

process.exitCode = main();
