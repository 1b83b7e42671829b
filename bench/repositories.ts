/**
 * `npm run bench [-- --json] [-- --rounds N] [-- --scenario defaults|realistic]
 * [-- --no-creation-traces] [-- --wrapped]`: synthesizes repositories in
 * two scenarios, each run in its own process with the variants alternating
 * within a round:
 *
 * - defaults (100, 1,000 and 3,000 repositories): this library's
 *   PrivateRepository with no settings, aws-cdk-lib's Repository configured
 *   to produce the same resources, and raw CfnRepository with pre-rendered
 *   properties;
 * - realistic (1,000 and 3,000 repositories): PrivateRepository with an
 *   organization pull policy, a 3-rule lifecycle policy and one tag exclusion
 *   filter each, against raw CfnRepository with the same properties
 *   pre-rendered (policy document, lifecycle text, exclusion filters).
 *
 * The templates of all variants are checked for equivalence first. Reports
 * median wall and CPU time of synthesis (construction + app.synth; CPU time
 * is steadier on a shared machine), peak RSS,
 * template bytes and resources per repository, and ratios. aws-cdk-lib's
 * built-in CloudFormation validation is turned off in the workers
 * (CDK_VALIDATION=false): it costs the same in every variant and would hide
 * the cost of the constructs themselves. `--no-creation-traces` turns off
 * aws-cdk-lib's creation stack trace of each CloudFormation element
 * (`aws:cdk:disable-creation-stack-traces`) in every variant alike, which
 * shows the constructs' own cost more clearly; apps keep them by default.
 * `--wrapped` adds, to the realistic scenario, the raw CfnRepository inside
 * a plain construct (the library's nesting without its code).
 */
import { median, runWorker, WorkerRun } from './worker-run';

const args = process.argv.slice(2);
const json = args.includes('--json');
const roundsArg = args.indexOf('--rounds');
const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : 5;
// --no-creation-traces: aws-cdk-lib records no creation stack trace per CloudFormation element, in every variant alike
const noCreationTraces = args.includes('--no-creation-traces');
const workerEnv: Record<string, string> = noCreationTraces ? { BENCH_NO_CREATION_TRACES: '1' } : {};
// --wrapped: also the realistic CfnRepository inside a plain construct (the construct layer's own cost)
const withWrapped = args.includes('--wrapped');
const onlyArg = args.indexOf('--scenario');
const only = onlyArg >= 0 ? args[onlyArg + 1] : undefined;
const scenarios: { name: string; sizes: number[]; variants: string[] }[] = [
  { name: 'defaults', sizes: [100, 1000, 3000], variants: ['library', 'l2', 'l1'] },
  { name: 'realistic', sizes: [1000, 3000], variants: ['library', 'l1', ...(withWrapped ? ['wrapped'] : [])] },
];

const results: any = { rounds, creationTraces: !noCreationTraces, scenarios: {} as Record<string, any> };
for (const scenario of scenarios) {
  if (only !== undefined && scenario.name !== only) continue;
  const { variants } = scenario;
  const bySize: Record<string, any> = {};
  results.scenarios[scenario.name] = { sizes: bySize };
  for (const count of scenario.sizes) {
    const runs: Record<string, WorkerRun[]> = Object.fromEntries(variants.map((v) => [v, []]));
    for (let round = 0; round < rounds; round++) {
      // rotate the order each round so no variant always runs first
      const order = variants.map((_, i) => variants[(i + round) % variants.length]);
      for (const v of order) runs[v].push(runWorker(v, count, workerEnv, scenario.name));
    }
    const digests = new Set(variants.map((v) => runs[v][0].digest));
    if (digests.size !== 1) {
      throw new Error(`the variants do not produce equivalent templates (${scenario.name}, ${count} repositories): ${variants.map((v) => `${v}=${runs[v][0].digest.slice(0, 12)}`).join(' ')}`);
    }
    const summary: Record<string, any> = {};
    for (const v of variants) {
      summary[v] = {
        medianMs: median(runs[v].map((r) => r.ms)),
        medianCpuMs: median(runs[v].map((r) => r.cpuMs)),
        medianMaxRssMb: median(runs[v].map((r) => r.maxRssMb)),
        templateBytesPerRepository: runs[v][0].bytes / count,
        resourcesPerRepository: runs[v][0].resources / count,
      };
    }
    const ratios: Record<string, number> = {
      timeVsL1: summary.library.medianMs / summary.l1.medianMs,
      cpuTimeVsL1: summary.library.medianCpuMs / summary.l1.medianCpuMs,
      memoryVsL1: summary.library.medianMaxRssMb / summary.l1.medianMaxRssMb,
      bytesVsL1: summary.library.templateBytesPerRepository / summary.l1.templateBytesPerRepository,
    };
    if (summary.wrapped) {
      ratios.timeVsWrapped = summary.library.medianMs / summary.wrapped.medianMs;
      ratios.wrappedTimeVsL1 = summary.wrapped.medianMs / summary.l1.medianMs;
    }
    if (summary.l2) {
      ratios.timeVsL2 = summary.library.medianMs / summary.l2.medianMs;
      ratios.memoryVsL2 = summary.library.medianMaxRssMb / summary.l2.medianMaxRssMb;
    }
    summary.ratios = ratios;
    summary.equivalent = true;
    bySize[count] = summary;
    if (!json) {
      console.log(`\n${scenario.name}, ${count} repositories (median of ${rounds} runs each, variants alternating):`);
      console.log('  variant   synth ms     CPU ms   peak RSS MB   bytes/repo   resources/repo');
      for (const v of variants) {
        const s = summary[v];
        console.log(`  ${v.padEnd(8)} ${s.medianMs.toFixed(0).padStart(9)} ${s.medianCpuMs.toFixed(0).padStart(10)} ${s.medianMaxRssMb.toFixed(0).padStart(13)} ${s.templateBytesPerRepository.toFixed(1).padStart(12)} ${s.resourcesPerRepository.toFixed(2).padStart(16)}`);
      }
      console.log(`  library/L1 time ${ratios.timeVsL1.toFixed(3)}x (CPU ${ratios.cpuTimeVsL1.toFixed(3)}x)${ratios.timeVsL2 !== undefined ? `, library/L2 time ${ratios.timeVsL2.toFixed(3)}x` : ''}, library/L1 bytes ${ratios.bytesVsL1.toFixed(3)}x, library/L1 memory ${ratios.memoryVsL1.toFixed(3)}x`);
      if (ratios.timeVsWrapped !== undefined) console.log(`  wrapped/L1 time ${ratios.wrappedTimeVsL1.toFixed(3)}x, library/wrapped time ${ratios.timeVsWrapped.toFixed(3)}x`);
    }
  }
}
const defaults3000 = results.scenarios.defaults?.sizes[3000].ratios;
const realistic3000 = results.scenarios.realistic?.sizes[3000].ratios;
results.targets = {
  ...(defaults3000 ? {
    timeAtMost110PercentOfL1: defaults3000.timeVsL1 <= 1.10,
    noSlowerThanL2: defaults3000.timeVsL2 <= 1.0,
    bytesWithin5PercentOfL1: Math.abs(defaults3000.bytesVsL1 - 1) <= 0.05,
  } : {}),
  ...(realistic3000 ? { realisticTimeAtMost110PercentOfL1: realistic3000.timeVsL1 <= 1.10 } : {}),
};
if (json) console.log(JSON.stringify(results, null, 2));
else console.log(`\ntargets at 3,000: ${JSON.stringify(results.targets)}`);
