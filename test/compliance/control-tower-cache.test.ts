import * as fs from 'fs';
import * as path from 'path';
import { App, IPolicyValidationPluginBeta1, Stack, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { PrivateRepository } from '../../src';
import { acknowledgeControlTower, CONTROL_TOWER_PLUGIN, controlTowerChecks, CT } from '../util/control-tower';
import { strictApp } from '../util/harness';

/**
 * The fast tier remembers each template's Control Tower verdict by the hash
 * of its text (test/util/control-tower.ts): the report of a synthesis must be
 * the one cfn-guard gives when it runs every time, whether the verdicts are
 * new, remembered from an earlier synthesis, or shared by identical
 * templates of one synthesis.
 */

/** An app of several stacks: failing rules, acknowledged ones, two identical templates and a clean one. */
function build(app: App): void {
  const env = (i: number) => ({ account: String(100000000000 + i), region: 'eu-west-1' });
  const mutable = (s: Stack) => new ecr.CfnRepository(s, 'Repo', { imageTagMutability: 'MUTABLE', imageScanningConfiguration: { scanOnPush: false } });
  mutable(new Stack(app, 'A', { env: env(1) }));
  mutable(new Stack(app, 'B', { env: env(1) })); // the same template text as A
  const acknowledged = new Stack(app, 'C', { env: env(2) });
  acknowledgeControlTower(mutable(acknowledged), [CT.ECR_TAG_IMMUTABILITY, CT.ECR_SCAN_ON_PUSH, CT.ECR_LIFECYCLE], 'chosen for this test');
  new PrivateRepository(new Stack(app, 'D', { env: env(3) }), 'Repo', { repositoryName: 'team/app' });
}

/** The Control Tower part of the validation report, without the app's folder and the stack traces (they name the test's lines). */
function report(plugin: IPolicyValidationPluginBeta1): string {
  const app = strictApp();
  build(app);
  Validations.of(app).addPlugins(plugin);
  try {
    app.synth();
  } catch (e) {
    // synthesis fails on the unacknowledged findings: the report is written first
    if (!/Validation failed|cdk-validator-cfnguard/.test(String((e as Error).message))) throw e;
  }
  const text = fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8');
  const reports = JSON.parse(text.split(app.outdir).join('<outdir>')).pluginReports.filter((r: any) => r.pluginName === CONTROL_TOWER_PLUGIN);
  return JSON.stringify(reports, (key, value) => (/stackTraces?$/i.test(key) ? undefined : value), 1);
}

describe('Control Tower verdicts remembered by template', () => {
  const everyTime = report(controlTowerChecks('off'));

  test('the report without remembering has violations, acknowledged ones and both identical stacks', () => {
    const r = JSON.parse(everyTime)[0];
    const paths = (vs: any[]) => vs.flatMap((v) => v.violatingConstructs.map((c: any) => c.constructPath));
    expect(paths(r.violations)).toEqual(expect.arrayContaining(['A/Repo', 'B/Repo']));
    expect(paths(r.suppressedViolations)).toEqual(expect.arrayContaining(['C/Repo']));
    expect(paths([...r.violations, ...r.suppressedViolations]).filter((p: string) => p.startsWith('D/'))).toEqual([]);
  });

  test('given new verdicts, then the report is the one cfn-guard gives every time', () => {
    expect(report(controlTowerChecks('memory'))).toBe(everyTime);
  });

  test('given remembered verdicts, then the report of a second synthesis is the same', () => {
    const plugin = controlTowerChecks('memory');
    report(plugin);
    expect(report(plugin)).toBe(everyTime);
  });
});
