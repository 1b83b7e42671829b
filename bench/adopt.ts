/*
 * Benchmark: `catalog import` of a generated export, end to end as the command runs it
 * (read and check the export, build the catalog and placement, write both), and
 * `catalog plan --live` of the imported catalog against the same export (the fleet
 * synthesized in memory, then compared), for 1,000 and 10,000 repositories.
 *
 *   npx ts-node --project test/tsconfig.json --transpile-only bench/adopt.ts [--json]
 *
 * The export comes from the test fixture generator (realistic variety, deterministic seed).
 * It reports the median of RUNS runs per size (the first run of a process also loads the
 * modules), in wall time and in the CPU time of the process (user + system): on a shared
 * machine the wall time grows with the others' load, the CPU time much less.
 * Target (issue 23): each under 5 s for 10,000.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { nodeIo } from '../src/cli/common';
import { main } from '../src/cli/main';
import { generateRegistryExport } from '../test/adopt/fixture';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);

const median = (runs: number[]) => [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)];
const results: {
  repositories: number; importMs: number; importRunsMs: number[]; planMs: number; planRunsMs: number[]; importCpuMs: number; planCpuMs: number;
}[] = [];
for (const size of SIZES) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-catalog-import-'));
  const from = path.join(dir, 'export.json');
  writeFileSync(from, `${JSON.stringify(generateRegistryExport({ repositories: size, seed: 1 }), null, 2)}\n`);
  const catalog = path.join(dir, 'repositories.yaml');
  const placement = path.join(dir, 'placement.json');
  const io = { ...nodeIo(), stdout: () => undefined, stderr: (t: string) => process.stderr.write(t) };
  const cpuRuns: Record<string, number[]> = { import: [], plan: [] };
  const timed = (args: string[], what: string, kind: 'import' | 'plan') => {
    const start = performance.now();
    const cpu = process.cpuUsage();
    const code = main(args, io);
    if (code !== 0) throw new Error(`${what} exited with ${code}`);
    const used = process.cpuUsage(cpu);
    cpuRuns[kind].push(Math.round((used.user + used.system) / 1000));
    return Math.round(performance.now() - start);
  };
  const importRunsMs: number[] = [];
  const planRunsMs: number[] = [];
  for (let run = 0; run < RUNS; run++) importRunsMs.push(timed(['catalog', 'import', '--from', from, '--out', catalog, '--placement', placement, '--force'], 'catalog import', 'import'));
  for (let run = 0; run < RUNS; run++) planRunsMs.push(timed(['catalog', 'plan', '--catalog', catalog, '--placement', placement, '--live', from, '--format', 'json'], 'catalog plan --live', 'plan'));
  rmSync(dir, { recursive: true, force: true });
  results.push({
    repositories: size, importMs: median(importRunsMs), importRunsMs, planMs: median(planRunsMs), planRunsMs,
    importCpuMs: median(cpuRuns.import), planCpuMs: median(cpuRuns.plan),
  });
}
if (process.argv.includes('--json')) {
  process.stdout.write(`${JSON.stringify({ cpus: os.cpus().length, results }, null, 2)}\n`);
} else {
  for (const r of results) {
    process.stdout.write(`${r.repositories} repositories: catalog import median ${r.importMs} ms (runs ${r.importRunsMs.join(', ')}; CPU ${r.importCpuMs} ms), `
      + `catalog plan --live median ${r.planMs} ms (runs ${r.planRunsMs.join(', ')}; CPU ${r.planCpuMs} ms)\n`);
  }
}
