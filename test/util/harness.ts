import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AppProps, Stack, StackProps, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { EcrComplianceChecks } from '../../src';

/** The context flag that runs AWS's offline CloudFormation rules (cfn-lint rule set) at synth. */
export const VALIDATE_FLAG = '@aws-cdk/core:validateAgainstDefaultRules';

/** Accounts and regions used across tests. */
export const ENV = { account: '111111111111', region: 'eu-west-1' };

/** One finding of a validation plugin. */
export interface Finding {
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly description: string;
  readonly path: string;
}

/** What a synthesis produced. */
export interface SynthResult {
  readonly assembly: CloudAssembly;
  /** Every CloudFormation validation finding, whatever its severity. */
  readonly cfnFindings: Finding[];
  /** Every cdk-nag finding not acknowledged with a reason. */
  readonly nagFindings: Finding[];
}

/** An App whose synthesis runs CloudFormation validation, writing into a fresh temp folder. */
export function strictApp(props: AppProps = {}): App {
  return new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ecr-platform-')),
    ...props,
    context: { [VALIDATE_FLAG]: true, ...(props.context ?? {}) },
  });
}

/** A stack in a strict App with a concrete environment. */
export function strictStack(props: StackProps = {}, id = 'Stack'): Stack {
  return new Stack(strictApp(), id, { env: ENV, ...props });
}

/** The cdk-nag packs every construct must be clean under: cdk-nag's four standard packs and this library's own. */
export function addNagPacks(app: App): void {
  Validations.of(app).addPlugins(
    new EcrComplianceChecks(app),
    new AwsSolutionsChecks(app),
    new NIST80053R5Checks(app),
    new HIPAASecurityChecks(app),
    new PCIDSS321Checks(app),
  );
}

/**
 * Synthesizes an app and reads the validation report. Throws when synthesis
 * fails (construct validation errors, error-level findings).
 */
export function synthesize(app: App, opts: { nag?: boolean } = {}): SynthResult {
  if (opts.nag) addNagPacks(app);
  const assembly = app.synth();
  const findings = readFindings(assembly.directory);
  return {
    assembly,
    cfnFindings: findings.filter((f) => f.plugin === 'CloudFormation Validate'),
    nagFindings: findings.filter((f) => f.plugin !== 'CloudFormation Validate'),
  };
}

/** Reads every violation from `validation-report.json` (empty when there is none). */
export function readFindings(dir: string): Finding[] {
  const file = path.join(dir, 'validation-report.json');
  if (!fs.existsSync(file)) return [];
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const out: Finding[] = [];
  for (const pr of report.pluginReports ?? []) {
    for (const v of pr.violations ?? []) {
      for (const c of v.violatingConstructs ?? [{ constructPath: '?' }]) {
        out.push({ plugin: pr.pluginName, rule: v.ruleName, severity: v.severity, description: v.description, path: c.constructPath });
      }
    }
  }
  return out;
}

/** Formats findings for an assertion message. */
export function describeFindings(findings: Finding[]): string {
  return findings.map((f) => `${f.severity} ${f.rule} at ${f.path}: ${f.description}`).join('\n');
}

/**
 * Synthesizes the stack's app with CloudFormation validation raised to
 * errors (warnings fail too) and returns the stack's template.
 */
export function validTemplate(stack: Stack, opts: { nag?: boolean } = {}): Template {
  const app = stack.node.root as App;
  const result = synthesize(app, opts);
  if (result.cfnFindings.length > 0) {
    throw new Error(`CloudFormation validation findings:\n${describeFindings(result.cfnFindings)}`);
  }
  if (opts.nag && result.nagFindings.length > 0) {
    throw new Error(`cdk-nag findings:\n${describeFindings(result.nagFindings)}`);
  }
  const template = JSON.parse(fs.readFileSync(path.join(result.assembly.directory, stack.templateFile), 'utf8'));
  return Template.fromJSON(template);
}
