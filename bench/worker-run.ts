import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** What one run of bench/repository-worker.ts prints. */
export interface WorkerRun { variant: string; scenario: string; count: number; ms: number; cpuMs: number; maxRssMb: number; bytes: number; resources: number; digest: string }

/**
 * Runs bench/repository-worker.ts in its own process (aws-cdk-lib's built-in
 * CloudFormation validation off: it costs the same in every variant) and
 * returns its measurements.
 */
export function runWorker(variant: string, count: number, env: Record<string, string> = {}, scenario = 'defaults'): WorkerRun {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  try {
    const out = execFileSync(process.execPath, [
      '-r', 'ts-node/register/transpile-only', path.join(__dirname, 'repository-worker.ts'), variant, String(count), outdir, scenario,
    ], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, ...env, CDK_VALIDATION: 'false', TS_NODE_PROJECT: path.join(__dirname, '..', 'test', 'tsconfig.json') },
      maxBuffer: 1 << 26,
    });
    return JSON.parse(out.trim().split('\n').pop()!);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The median of a list of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
