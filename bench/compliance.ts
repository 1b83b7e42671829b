/**
 * `npm run bench:compliance [-- --json] [-- --rounds N]`: what the
 * compliance pack adds to the synthesis of 3,000 repositories. Each run is
 * its own process (bench/repository-worker.ts, this library's
 * PrivateRepository with defaults), with and without EcrComplianceChecks,
 * alternating. Target: at most 25% more time than synthesis without a pack.
 */
import { median, runWorker } from './worker-run';

const args = process.argv.slice(2);
const json = args.includes('--json');
const roundsArg = args.indexOf('--rounds');
const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : 5;
const count = 3000;

const without: number[] = [];
const withPack: number[] = [];
for (let round = 0; round < rounds; round++) {
  if (round % 2 === 0) {
    without.push(runWorker('library', count, { BENCH_PACK: '0' }).ms);
    withPack.push(runWorker('library', count, { BENCH_PACK: '1' }).ms);
  } else {
    withPack.push(runWorker('library', count, { BENCH_PACK: '1' }).ms);
    without.push(runWorker('library', count, { BENCH_PACK: '0' }).ms);
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
