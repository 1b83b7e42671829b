/**
 * `npm run bench:fleet [-- --json] [-- --rounds N] [-- --sizes 3000,10000,50000] [-- --validated]`:
 * synthesizes 3,000 and 10,000 repositories (or the `--sizes` given) through
 * RepositoryFleet and, in the same run, as raw CfnRepository resources with
 * pre-rendered properties across the same shard stacks, in two scenarios:
 * defaults, and realistic (organization pull policy, 3-rule lifecycle policy,
 * one tag exclusion filter per repository).
 * The raw L1 runs twice: as a hand-written loop makes it (`l1`: aws-cdk-lib
 * records a creation stack trace for each resource), and with its shard
 * stacks recording none (`l1-untraced`), as the fleet's do by default; the
 * second ratio is the fleet's cost without that saving.
 * These variants run with aws-cdk-lib's built-in CloudFormation validation
 * off (`CDK_VALIDATION=false`, as a user switches it off). `--validated` adds
 * the synthesis a user waits for by default: the fleet and the hand-written
 * raw L1 with that validation on (the variable unset).
 * Each run is its own process; variants alternate within a round. The
 * templates of every variant are checked for equivalence first. Reports the
 * median synthesis time (construction + app.synth; wall and CPU time, the
 * latter steadier on a shared machine), peak RSS, shard stacks,
 * the largest stack's resources and template bytes, the ratios, and how the
 * cost grows from one size to the next. Also times parsing and validating a
 * 10,000-entry catalog.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { median } from './worker-run';
import { CatalogFormat, RepositoryCatalog } from '../src';

const args = process.argv.slice(2);
const json = args.includes('--json');
const roundsArg = args.indexOf('--rounds');
const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : 3;
const sizesArg = args.indexOf('--sizes');
const sizes = (sizesArg >= 0 ? String(args[sizesArg + 1]).split(',').map(Number) : [3000, 10000]).sort((a, b) => a - b);
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !(Number.isInteger(rounds) && rounds >= 1)) {
  throw new Error(`usage: fleet.ts [--json] [--rounds N >= 1] [--sizes 3000,10000,50000] [--validated] (got rounds ${rounds}, sizes ${sizes.join(',')})`);
}
const validatedRuns = args.includes('--validated');
const scenarios = ['defaults', 'realistic'];
/** `+validation`: aws-cdk-lib's built-in CloudFormation validation on, as a user's synth runs it by default. */
const variants = ['fleet', 'l1', 'l1-untraced', ...(validatedRuns ? ['fleet+validation', 'l1+validation'] : [])];

interface Run { ms: number; cpuMs: number; maxRssMb: number; bytes: number; resources: number; stacks: number; maxStackResources: number; maxStackBytes: number; validated: boolean; digest: string }

function run(variant: string, scenario: string, count: number): Run {
  const validation = variant.endsWith('+validation');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-fleet-'));
  // the switch a user has: CDK_VALIDATION=false turns the validation off, without it the validation runs
  const env: NodeJS.ProcessEnv = { ...process.env, TS_NODE_PROJECT: path.join(__dirname, '..', 'test', 'tsconfig.json') };
  if (validation) delete env.CDK_VALIDATION;
  else env.CDK_VALIDATION = 'false';
  try {
    const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'fleet-worker.ts'), variant.replace('+validation', ''), scenario, String(count), outdir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      env,
      maxBuffer: 1 << 26,
    });
    const r: Run = JSON.parse(out.trim().split('\n').pop()!);
    if (r.validated !== validation) throw new Error(`${variant} (${scenario}, ${count}): CloudFormation validation ${r.validated ? 'ran' : 'did not run'}`);
    return r;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const results: any = { rounds, sizes, scenarios: {} as Record<string, any> };
for (const scenario of scenarios) {
  results.scenarios[scenario] = {};
  for (const count of sizes) {
    const runs: Record<string, Run[]> = Object.fromEntries(variants.map((v) => [v, []]));
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) runs[v].push(run(v, scenario, count));
    }
    for (const v of variants.slice(1)) {
      if (runs.fleet[0].digest !== runs[v][0].digest) {
        throw new Error(`fleet and ${v} templates differ (${scenario}, ${count}): ${runs.fleet[0].digest.slice(0, 12)} vs ${runs[v][0].digest.slice(0, 12)}`);
      }
    }
    const summary: Record<string, any> = {};
    for (const v of variants) {
      const first = runs[v][0];
      summary[v] = {
        medianMs: median(runs[v].map((r) => r.ms)),
        medianCpuMs: median(runs[v].map((r) => r.cpuMs)),
        medianMaxRssMb: median(runs[v].map((r) => r.maxRssMb)),
        stacks: first.stacks,
        maxStackResources: first.maxStackResources,
        maxStackBytes: first.maxStackBytes,
      };
    }
    summary.ratios = {
      timeVsL1: summary.fleet.medianMs / summary.l1.medianMs,
      cpuTimeVsL1: summary.fleet.medianCpuMs / summary.l1.medianCpuMs,
      memoryVsL1: summary.fleet.medianMaxRssMb / summary.l1.medianMaxRssMb,
      timeVsUntracedL1: summary.fleet.medianMs / summary['l1-untraced'].medianMs,
      cpuTimeVsUntracedL1: summary.fleet.medianCpuMs / summary['l1-untraced'].medianCpuMs,
    };
    if (validatedRuns) {
      const fv = summary['fleet+validation'];
      const lv = summary['l1+validation'];
      Object.assign(summary.ratios, {
        validatedTimeVsValidatedL1: fv.medianMs / lv.medianMs,
        validatedCpuTimeVsValidatedL1: fv.medianCpuMs / lv.medianCpuMs,
        validatedMemoryVsValidatedL1: fv.medianMaxRssMb / lv.medianMaxRssMb,
        validatedVsUnvalidatedFleet: fv.medianMs / summary.fleet.medianMs,
      });
    }
    results.scenarios[scenario][count] = summary;
  }
  // how the cost grows from each size to the next (linear growth: the ratio of the sizes)
  const s = results.scenarios[scenario];
  s.scaling = {};
  for (let i = 1; i < sizes.length; i++) {
    const [a, b] = [sizes[i - 1], sizes[i]];
    s.scaling[`${b}vs${a}`] = {
      sizes: b / a,
      fleet: s[b].fleet.medianMs / s[a].fleet.medianMs,
      fleetCpu: s[b].fleet.medianCpuMs / s[a].fleet.medianCpuMs,
      l1: s[b].l1.medianMs / s[a].l1.medianMs,
      ...(validatedRuns ? { fleetValidated: s[b]['fleet+validation'].medianMs / s[a]['fleet+validation'].medianMs } : {}),
    };
  }
}

// The targets: 50,000 repositories under 30 s and 1 GB without validation; 50,000 at most 5.5x 10,000;
// with validation, the fleet at most 1.05x raw L1 with validation.
const targets: { target: string; value: string; met: boolean }[] = [];
for (const scenario of scenarios) {
  const s = results.scenarios[scenario];
  if (s[50000]) {
    targets.push({ target: `${scenario}: 50,000 under 30 s`, value: `${(s[50000].fleet.medianMs / 1000).toFixed(1)} s`, met: s[50000].fleet.medianMs < 30_000 });
    targets.push({ target: `${scenario}: 50,000 under 1 GB (1,000 MB) peak RSS`, value: `${s[50000].fleet.medianMaxRssMb.toFixed(0)} MB`, met: s[50000].fleet.medianMaxRssMb < 1000 });
    if (s[10000]) {
      const r = s[50000].fleet.medianMs / s[10000].fleet.medianMs;
      targets.push({ target: `${scenario}: 50,000 at most 5.5x 10,000`, value: `${r.toFixed(2)}x`, met: r <= 5.5 });
    }
  }
  if (validatedRuns) {
    for (const count of sizes) {
      const r = s[count].ratios.validatedTimeVsValidatedL1;
      targets.push({ target: `${scenario}: ${count.toLocaleString('en-US')} validated at most 1.05x validated L1`, value: `${r.toFixed(3)}x`, met: r <= 1.05 });
    }
  }
}
results.targets = targets;

// Parsing and validating a 10,000-entry catalog.
const lines = ['defaults:', '  lifecycle:', '    - { preset: expireUntagged, days: 7 }', '    - { preset: keepLastReleases, count: 20, patterns: [\'v*\'] }',
  '    - { preset: capTotal, count: 500 }', '  access:', '    organization: o-a1b2c3d4e5', 'repositories:'];
for (let i = 0; i < 10000; i++) lines.push(`  - name: team-${i % 50}/service-${i}`, `    owner: team-${i % 50}`, '    tagMutabilityExclusions: [latest]');
const catalogText = lines.join('\n');
const catalogRuns: number[] = [];
for (let i = 0; i < 5; i++) {
  const start = process.hrtime.bigint();
  RepositoryCatalog.fromText(catalogText, CatalogFormat.YAML, 'catalog.yaml');
  catalogRuns.push(Number(process.hrtime.bigint() - start) / 1e6);
}
results.catalog10k = { medianMs: median(catalogRuns), firstMs: catalogRuns[0] };

if (json) {
  console.log(JSON.stringify(results, null, 2));
} else {
  const fmt = (n: number) => n.toLocaleString('en-US');
  for (const scenario of scenarios) {
    console.log(`\n${scenario} (median of ${rounds} runs each, variants alternating${validatedRuns ? '; +validation: aws-cdk-lib\'s CloudFormation validation on' : ''}):`);
    console.log('   repos   variant            synth ms     CPU ms   peak RSS MB   stacks   max resources   largest template bytes');
    for (const count of sizes) {
      const s = results.scenarios[scenario][count];
      for (const v of variants) {
        console.log(`  ${String(count).padStart(6)}   ${v.padEnd(16)} ${s[v].medianMs.toFixed(0).padStart(9)} ${s[v].medianCpuMs.toFixed(0).padStart(10)} ${s[v].medianMaxRssMb.toFixed(0).padStart(13)} ${String(s[v].stacks).padStart(8)} ${String(s[v].maxStackResources).padStart(15)} ${String(s[v].maxStackBytes).padStart(24)}`);
      }
      console.log(`           fleet/L1 time ${s.ratios.timeVsL1.toFixed(3)}x, CPU time ${s.ratios.cpuTimeVsL1.toFixed(3)}x, memory ${s.ratios.memoryVsL1.toFixed(3)}x`);
      console.log(`           fleet/untraced L1 time ${s.ratios.timeVsUntracedL1.toFixed(3)}x, CPU time ${s.ratios.cpuTimeVsUntracedL1.toFixed(3)}x`);
      if (validatedRuns) {
        console.log(`           validated fleet/validated L1 time ${s.ratios.validatedTimeVsValidatedL1.toFixed(3)}x, CPU time ${s.ratios.validatedCpuTimeVsValidatedL1.toFixed(3)}x, memory ${s.ratios.validatedMemoryVsValidatedL1.toFixed(3)}x; validation makes the fleet's synth ${s.ratios.validatedVsUnvalidatedFleet.toFixed(2)}x`);
      }
    }
    for (const [pair, sc] of Object.entries<any>(results.scenarios[scenario].scaling)) {
      const [b, a] = pair.split('vs').map(Number);
      console.log(`  ${fmt(b)} vs ${fmt(a)} (${sc.sizes.toFixed(2)}x the repositories): fleet ${sc.fleet.toFixed(2)}x (CPU ${sc.fleetCpu.toFixed(2)}x), L1 ${sc.l1.toFixed(2)}x${sc.fleetValidated === undefined ? '' : `, validated fleet ${sc.fleetValidated.toFixed(2)}x`}`);
    }
  }
  if (targets.length > 0) {
    console.log('\ntargets:');
    for (const t of targets) console.log(`  ${t.met ? 'met   ' : 'MISSED'} ${t.target}: ${t.value}`);
  }
  console.log(`\n10,000-entry catalog parsed and validated in ${results.catalog10k.medianMs.toFixed(0)} ms (median of 5; first run ${results.catalog10k.firstMs.toFixed(0)} ms)`);
}
