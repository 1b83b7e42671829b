/**
 * `npm run bench:compliance [-- --json] [-- --rounds N]`: what the
 * compliance pack adds to the synthesis of 3,000 repositories. Each run is
 * its own process (bench/repository-worker.ts, this library's
 * PrivateRepository with defaults), with and without EcrComplianceChecks,
 * alternating. Target: at most 25% more time than synthesis without a pack.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const args = process.argv.slice(2);
const json = args.includes('--json');
const roundsArg = args.indexOf('--rounds');
const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : 5;
const count = 3000;

function runOnce(pack: boolean): { ms: number; maxRssMb: number } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pack-'));
  try {
    const out = execFileSync(process.execPath, [
      '-r', 'ts-node/register/transpile-only', path.join(__dirname, 'repository-worker.ts'), 'library', String(count), outdir,
    ], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, CDK_VALIDATION: 'false', BENCH_PACK: pack ? '1' : '0', TS_NODE_PROJECT: path.join(__dirname, '..', 'test', 'tsconfig.json') },
      maxBuffer: 1 << 26,
    });
    return JSON.parse(out.trim().split('\n').pop()!);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const without: number[] = [];
const withPack: number[] = [];
for (let round = 0; round < rounds; round++) {
  if (round % 2 === 0) {
    without.push(runOnce(false).ms);
    withPack.push(runOnce(true).ms);
  } else {
    withPack.push(runOnce(true).ms);
    without.push(runOnce(false).ms);
  }
}
const result = {
  repositories: count,
  rounds,
  medianMsWithoutPack: median(without),
  medianMsWithPack: median(withPack),
  ratio: median(withPack) / median(without),
  targetAtMost125Percent: median(withPack) / median(without) <= 1.25,
};
if (json) console.log(JSON.stringify(result, null, 2));
else {
  console.log(`${count} repositories, median of ${rounds} runs each (alternating):`);
  console.log(`  without pack ${result.medianMsWithoutPack.toFixed(0)} ms, with EcrComplianceChecks ${result.medianMsWithPack.toFixed(0)} ms: ${result.ratio.toFixed(3)}x (target <= 1.25x: ${result.targetAtMost125Percent})`);
}
