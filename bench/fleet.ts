/**
 * `npm run bench:fleet [-- --json] [-- --rounds N]`: synthesizes 3,000 and
 * 10,000 repositories through RepositoryFleet and, in the same run, as raw
 * CfnRepository resources with pre-rendered properties across the same shard
 * stacks, in two scenarios: defaults, and realistic (organization pull
 * policy, 3-rule lifecycle policy, one tag exclusion filter per repository).
 * The raw L1 runs twice: as a hand-written loop makes it (`l1`: aws-cdk-lib
 * records a creation stack trace for each resource), and with its shard
 * stacks recording none (`l1-untraced`), as the fleet's do by default; the
 * second ratio is the fleet's cost without that saving.
 * Each run is its own process; variants alternate within a round. The
 * templates of every variant are checked for equivalence first. Reports the
 * median synthesis time (construction + app.synth; wall and CPU time, the
 * latter steadier on a shared machine), peak RSS, shard stacks,
 * the largest stack's resources and bytes, and the ratios. aws-cdk-lib's
 * built-in CloudFormation validation is off in the workers (it costs the
 * same in both variants). Also times parsing and validating a 10,000-entry
 * catalog.
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
const sizes = [3000, 10000];
const scenarios = ['defaults', 'realistic'];
const variants = ['fleet', 'l1', 'l1-untraced'];

interface Run { ms: number; cpuMs: number; maxRssMb: number; bytes: number; resources: number; stacks: number; maxStackResources: number; maxStackBytes: number; digest: string }

function run(variant: string, scenario: string, count: number): Run {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-fleet-'));
  try {
    const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'fleet-worker.ts'), variant, scenario, String(count), outdir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, CDK_VALIDATION: 'false', TS_NODE_PROJECT: path.join(__dirname, '..', 'test', 'tsconfig.json') },
      maxBuffer: 1 << 26,
    });
    return JSON.parse(out.trim().split('\n').pop()!);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const results: any = { rounds, scenarios: {} as Record<string, any> };
for (const scenario of scenarios) {
  results.scenarios[scenario] = {};
  for (const count of sizes) {
    const runs: Record<string, Run[]> = { 'fleet': [], 'l1': [], 'l1-untraced': [] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) runs[v].push(run(v, scenario, count));
    }
    for (const v of ['l1', 'l1-untraced']) {
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
    results.scenarios[scenario][count] = summary;
  }
  const s = results.scenarios[scenario];
  s.scaling = {
    fleet10kVs3k: s[10000].fleet.medianMs / s[3000].fleet.medianMs,
    l110kVs3k: s[10000].l1.medianMs / s[3000].l1.medianMs,
    fleetCpu10kVs3k: s[10000].fleet.medianCpuMs / s[3000].fleet.medianCpuMs,
  };
}

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
  for (const scenario of scenarios) {
    console.log(`\n${scenario} (median of ${rounds} runs each, variants alternating):`);
    console.log('  repos   variant       synth ms     CPU ms   peak RSS MB   stacks   max resources   max bytes');
    for (const count of sizes) {
      const s = results.scenarios[scenario][count];
      for (const v of variants) {
        console.log(`  ${String(count).padStart(5)}   ${v.padEnd(11)} ${s[v].medianMs.toFixed(0).padStart(9)} ${s[v].medianCpuMs.toFixed(0).padStart(10)} ${s[v].medianMaxRssMb.toFixed(0).padStart(13)} ${String(s[v].stacks).padStart(8)} ${String(s[v].maxStackResources).padStart(15)} ${String(s[v].maxStackBytes).padStart(11)}`);
      }
      console.log(`          fleet/L1 time ${s.ratios.timeVsL1.toFixed(3)}x, CPU time ${s.ratios.cpuTimeVsL1.toFixed(3)}x, memory ${s.ratios.memoryVsL1.toFixed(3)}x`);
      console.log(`          fleet/untraced L1 time ${s.ratios.timeVsUntracedL1.toFixed(3)}x, CPU time ${s.ratios.cpuTimeVsUntracedL1.toFixed(3)}x`);
    }
    const sc = results.scenarios[scenario].scaling;
    console.log(`  10,000 vs 3,000: fleet ${sc.fleet10kVs3k.toFixed(2)}x (CPU ${sc.fleetCpu10kVs3k.toFixed(2)}x), L1 ${sc.l110kVs3k.toFixed(2)}x`);
  }
  console.log(`\n10,000-entry catalog parsed and validated in ${results.catalog10k.medianMs.toFixed(0)} ms (median of 5; first run ${results.catalog10k.firstMs.toFixed(0)} ms)`);
}
