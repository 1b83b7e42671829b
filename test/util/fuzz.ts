import * as fs from 'fs';
import { Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { describeFindings, strictStack, synthesize } from './harness';

/** Runs per property: `FUZZ_RUNS` (10,000 in `npm run fuzz`), 60 by default. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 60);
/** A jest timeout that fits FUZZ_RUNS synthesized inputs. */
export const FUZZ_TIMEOUT = Math.max(120_000, FUZZ_RUNS * 250);

/** What a clear validation error looks like: it names the construct and lists problems. */
export const VALIDATION_ERROR = /^(?:\S+ '[^']*'|\S+): \d+ problems?:\n {2}- /;

/** What a clear app-level validation error looks like at synth. */
export const SYNTH_VALIDATION_ERROR = /^Validation failed with the following errors:\n {2}\[[^\]]*\] \S/;

/**
 * Throws random props at a construct: each input must either fail with a
 * clear validation error (matching `clearError`) or synthesize templates that
 * pass CloudFormation validation with no finding at all. Any other failure
 * (a crash, an unclear error, a finding) fails the property.
 */
export function fuzzConstruct<T>(
  arbitrary: fc.Arbitrary<T>,
  build: (stack: Stack, props: T) => void,
  opts: { clearError?: RegExp; stack?: () => Stack } = {},
): void {
  const clearError = opts.clearError ?? VALIDATION_ERROR;
  fc.assert(
    fc.property(arbitrary, (props) => {
      const stack = (opts.stack ?? strictStack)();
      try {
        build(stack, props);
      } catch (e) {
        const message = (e as Error).message ?? String(e);
        if (!clearError.test(message)) throw new Error(`unclear error for ${JSON.stringify(props)}: ${message}`);
        return;
      }
      let result;
      try {
        result = synthesize(stack.node.root as any);
      } catch (e) {
        // App-level checks (name clashes, policy size) fail synth with CDK's
        // validation report, one '[path] message' per problem.
        const message = (e as Error).message ?? String(e);
        if (!SYNTH_VALIDATION_ERROR.test(message)) throw new Error(`unclear synth error for ${JSON.stringify(props)}: ${message}`);
        return;
      }
      fs.rmSync(result.assembly.directory, { recursive: true, force: true });
      if (result.cfnFindings.length > 0) {
        throw new Error(`template rejected for ${JSON.stringify(props)}:\n${describeFindings(result.cfnFindings)}`);
      }
      if (result.controlTowerFindings.length > 0) {
        throw new Error(`AWS Control Tower findings for ${JSON.stringify(props)}:\n${describeFindings(result.controlTowerFindings)}`);
      }
    }),
    { numRuns: FUZZ_RUNS },
  );
}
