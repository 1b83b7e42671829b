import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AppProps, Stack, StackProps, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { CONTROL_TOWER_PLUGIN, controlTowerChecks } from './control-tower';
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
  /** Every AWS Control Tower finding not acknowledged with a reason (synthesis fails on any). */
  readonly controlTowerFindings: Finding[];
}

/**
 * AWS Control Tower's proactive controls, without the rules switched off in
 * `control-tower.ts`: one plugin instance for every synthesis of the test run.
 */
const CONTROL_TOWER = controlTowerChecks();

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

/** Runs AWS Control Tower's proactive controls on every template of the app's synthesis. */
export function addControlTowerChecks(app: App): void {
  Validations.of(app).addPlugins(CONTROL_TOWER);
}

/**
 * Synthesizes an app and reads the validation report. Throws when synthesis
 * fails (construct validation errors, error-level findings, and any
 * unacknowledged AWS Control Tower finding: the Control Tower rules run on
 * every synthesis).
 */
export function synthesize(app: App, opts: { nag?: boolean } = {}): SynthResult {
  if (opts.nag) addNagPacks(app);
  addControlTowerChecks(app);
  const assembly = app.synth();
  const findings = readFindings(assembly.directory);
  return {
    assembly,
    cfnFindings: findings.filter((f) => f.plugin === 'CloudFormation Validate'),
    nagFindings: findings.filter((f) => f.plugin !== 'CloudFormation Validate' && f.plugin !== CONTROL_TOWER_PLUGIN),
    controlTowerFindings: findings.filter((f) => f.plugin === CONTROL_TOWER_PLUGIN),
  };
}

/** Reads every violation from `validation-report.json` (empty when there is none). */
export function readFindings(dir: string): Finding[] {
  const file = path.join(dir, 'validation-report.json');
  if (!fs.existsSync(file)) return [];
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const out: Finding[] = [];
  for (const pr of report.pluginReports ?? []) {
    // cfn-guard sometimes reports a failed rule a second time at a template
    // path outside any resource (the plugin renders it with an empty
    // construct path, which nothing can acknowledge): such an entry is
    // dropped when the same rule is reported at a resource too, acknowledged
    // or not.
    const located = new Set([...(pr.violations ?? []), ...(pr.suppressedViolations ?? [])]
      .filter((v: any) => (v.violatingConstructs ?? []).some((c: any) => c.constructPath))
      .map((v: any) => v.ruleName));
    for (const v of pr.violations ?? []) {
      const constructs = (v.violatingConstructs ?? [{ constructPath: '?' }]).filter((c: any) => c.constructPath || !located.has(v.ruleName));
      for (const c of constructs) {
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
  if (result.controlTowerFindings.length > 0) {
    throw new Error(`AWS Control Tower findings:\n${describeFindings(result.controlTowerFindings)}`);
  }
  if (opts.nag && result.nagFindings.length > 0) {
    throw new Error(`cdk-nag findings:\n${describeFindings(result.nagFindings)}`);
  }
  const template = JSON.parse(fs.readFileSync(path.join(result.assembly.directory, stack.templateFile), 'utf8'));
  return Template.fromJSON(template);
}
