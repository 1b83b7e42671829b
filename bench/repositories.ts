/**
 * `npm run bench [-- --json] [-- --rounds N]`: synthesizes 100, 1,000 and 3,000
 * repositories with this library's PrivateRepository (defaults), aws-cdk-lib's
 * Repository configured to produce the same resources, and raw CfnRepository
 * with pre-rendered properties. Each run is its own process; variants
 * alternate within a round. The three templates are checked for equivalence
 * first. Reports median wall time of synthesis (construction + app.synth),
 * peak RSS, template bytes and resources per repository, and ratios.
 * aws-cdk-lib's built-in CloudFormation validation is turned off in the
 * workers (CDK_VALIDATION=false): it costs the same in every variant and
 * would hide the cost of the constructs themselves.
 */
import { median, runWorker, WorkerRun } from './worker-run';

const args = process.argv.slice(2);
const json = args.includes('--json');
const roundsArg = args.indexOf('--rounds');
const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : 5;
const sizes = [100, 1000, 3000];
const variants = ['library', 'l2', 'l1'];

const results: any = { rounds, sizes: {} as Record<string, any> };
for (const count of sizes) {
  const runs: Record<string, WorkerRun[]> = { library: [], l2: [], l1: [] };
  for (let round = 0; round < rounds; round++) {
    // rotate the order each round so no variant always runs first
    const order = variants.map((_, i) => variants[(i + round) % variants.length]);
    for (const v of order) runs[v].push(runWorker(v, count));
  }
  const digests = new Set(variants.map((v) => runs[v][0].digest));
  if (digests.size !== 1) {
    throw new Error(`the three variants do not produce equivalent templates at ${count} repositories: ${variants.map((v) => `${v}=${runs[v][0].digest.slice(0, 12)}`).join(' ')}`);
  }
  const summary: Record<string, any> = {};
  for (const v of variants) {
    summary[v] = {
      medianMs: median(runs[v].map((r) => r.ms)),
      medianMaxRssMb: median(runs[v].map((r) => r.maxRssMb)),
      templateBytesPerRepository: runs[v][0].bytes / count,
      resourcesPerRepository: runs[v][0].resources / count,
    };
  }
  summary.ratios = {
    timeVsL1: summary.library.medianMs / summary.l1.medianMs,
    timeVsL2: summary.library.medianMs / summary.l2.medianMs,
    memoryVsL1: summary.library.medianMaxRssMb / summary.l1.medianMaxRssMb,
    memoryVsL2: summary.library.medianMaxRssMb / summary.l2.medianMaxRssMb,
    bytesVsL1: summary.library.templateBytesPerRepository / summary.l1.templateBytesPerRepository,
  };
  summary.equivalent = true;
  results.sizes[count] = summary;
  if (!json) {
    console.log(`\n${count} repositories (median of ${rounds} runs each, variants alternating):`);
    console.log('  variant   synth ms   peak RSS MB   bytes/repo   resources/repo');
    for (const v of variants) {
      const s = summary[v];
      console.log(`  ${v.padEnd(8)} ${s.medianMs.toFixed(0).padStart(9)} ${s.medianMaxRssMb.toFixed(0).padStart(13)} ${s.templateBytesPerRepository.toFixed(1).padStart(12)} ${s.resourcesPerRepository.toFixed(2).padStart(16)}`);
    }
    const r = summary.ratios;
    console.log(`  library/L1 time ${r.timeVsL1.toFixed(3)}x, library/L2 time ${r.timeVsL2.toFixed(3)}x, library/L1 bytes ${r.bytesVsL1.toFixed(3)}x, library/L1 memory ${r.memoryVsL1.toFixed(3)}x`);
  }
}
const at3000 = results.sizes[3000].ratios;
results.targets = {
  timeAtMost110PercentOfL1: at3000.timeVsL1 <= 1.10,
  noSlowerThanL2: at3000.timeVsL2 <= 1.0,
  bytesWithin5PercentOfL1: Math.abs(at3000.bytesVsL1 - 1) <= 0.05,
};
if (json) console.log(JSON.stringify(results, null, 2));
else console.log(`\ntargets at 3,000: ${JSON.stringify(results.targets)}`);
