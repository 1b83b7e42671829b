import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

let printed: string | undefined;

/**
 * The bootstrap template of the AWS CDK CLI installed with the tests, exactly
 * as `cdk bootstrap --show-template --json` prints it: offline, without AWS
 * credentials or configuration (a fresh home folder, no AWS_* variables).
 * Printed once per test file, parsed afresh on each call.
 */
export function cliBootstrapTemplate(): Record<string, any> {
  if (printed === undefined) {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-home-'));
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, USERPROFILE: home, CDK_DISABLE_CLI_TELEMETRY: 'true' };
    printed = execFileSync(process.execPath, [require.resolve('aws-cdk/bin/cdk'), 'bootstrap', '--show-template', '--json', '--no-notices'], {
      cwd: home, env, encoding: 'utf8', timeout: 60_000,
    });
  }
  return JSON.parse(printed);
}

/** The version of the AWS CDK CLI installed with the tests. */
export function cliVersion(): string {
  return JSON.parse(fs.readFileSync(require.resolve('aws-cdk/package.json'), 'utf8')).version;
}
