/*
 * Benchmark: `catalog import` of a generated 10,000-repository export, end to end as the
 * command runs it (read and check the export, build the catalog and placement, write both).
 *
 *   npx ts-node --project test/tsconfig.json --transpile-only bench/catalog-import.ts [--json]
 *
 * The export comes from the test fixture generator (realistic variety, deterministic seed).
 * It reports the median of RUNS runs per size. Target (issue 23): under 5 s for 10,000.
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

const results: { repositories: number; medianMs: number; runsMs: number[] }[] = [];
for (const size of SIZES) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-catalog-import-'));
  const from = path.join(dir, 'export.json');
  writeFileSync(from, `${JSON.stringify(generateRegistryExport({ repositories: size, seed: 1 }), null, 2)}\n`);
  const runsMs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const io = { ...nodeIo(), stdout: () => undefined, stderr: (t: string) => process.stderr.write(t) };
    const start = performance.now();
    const code = main(['catalog', 'import', '--from', from, '--out', path.join(dir, 'repositories.yaml'), '--placement', path.join(dir, 'placement.json'), '--force'], io);
    runsMs.push(Math.round(performance.now() - start));
    if (code !== 0) throw new Error(`catalog import exited with ${code}`);
  }
  rmSync(dir, { recursive: true, force: true });
  const sorted = [...runsMs].sort((a, b) => a - b);
  results.push({ repositories: size, medianMs: sorted[Math.floor(sorted.length / 2)], runsMs });
}
if (process.argv.includes('--json')) {
  process.stdout.write(`${JSON.stringify({ cpus: os.cpus().length, results }, null, 2)}\n`);
} else {
  for (const r of results) process.stdout.write(`catalog import of ${r.repositories} repositories: median ${r.medianMs} ms (runs ${r.runsMs.join(', ')} ms)\n`);
}
