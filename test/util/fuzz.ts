import * as fs from 'fs';
import { Lazy, Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { describeFindings, strictStack, synthesize } from './harness';

/** Runs per property: `FUZZ_RUNS` (10,000 in `npm run fuzz`), 60 by default. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 60);
/** A jest timeout that fits FUZZ_RUNS synthesized inputs. */
export const FUZZ_TIMEOUT = Math.max(120_000, FUZZ_RUNS * 250);

/** What a clear validation error looks like: it names the construct and lists problems. */
export const VALIDATION_ERROR = /^(?:\S+ '[^']*'|\S+): \d+ problems?:\n {2}- /;

/**
 * What a clear error raised at synth looks like: CDK's validation report, one
 * '[path] message' per problem, from a construct's checks of values known at
 * synth (such as Lazy) or from app-level checks (name clashes, policy size).
 */
// aws-cdk-lib prints the construct's path in brackets: empty for the app itself (RoleDefaults.of(app)), whose errors name it `Name ''`.
export const SYNTH_VALIDATION_ERROR = /^Validation failed with the following errors:\n {2}(?:\[[^\]]+\] \S|\[\] \S+ '': )/;

/** What untyped callers (JavaScript, jsii languages) pass where a value of the type belongs. */
export const UNTYPED_VALUES: unknown[] = [null, undefined, 42, 'off-enum', true, {}, []];

/**
 * Mostly a value of `arb`, sometimes what an untyped caller passes instead: `null`,
 * `undefined`, a number, a string outside the type, a boolean, an object, a list.
 */
export function untyped<T>(arb: fc.Arbitrary<T>, weight = 40): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: arb, weight }, fc.constantFrom(...UNTYPED_VALUES) as fc.Arbitrary<any>);
}

/** Mostly the string itself, sometimes the same value as a `Lazy` string (known only at synth). */
export function lazy(arb: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof({ arbitrary: arb, weight: 3 }, arb.map((v) => Lazy.string({ produce: () => v })));
}

/** Mostly the number itself, sometimes the same value as a `Lazy` number. */
export function lazyNumber(arb: fc.Arbitrary<number>): fc.Arbitrary<number> {
  return fc.oneof({ arbitrary: arb, weight: 3 }, arb.map((v) => Lazy.number({ produce: () => v })));
}

/** Mostly the list itself, sometimes the same list as a `Lazy.list` (known only at synth). */
export function lazyList(arb: fc.Arbitrary<string[]>): fc.Arbitrary<string[]> {
  return fc.oneof({ arbitrary: arb, weight: 4 }, arb.map((v) => Lazy.list({ produce: () => v })));
}

/**
 * Throws random props at a construct: each input must either fail with a
 * clear validation error (matching `clearError`) or synthesize templates that
 * pass CloudFormation validation with no finding at all. Any other failure
 * (a crash, an unclear error, a finding) fails the property. With
 * `expectValid`, at least one input must synthesize valid templates.
 */
export function fuzzConstruct<T>(
  arbitrary: fc.Arbitrary<T>,
  build: (stack: Stack, props: T) => void,
  opts: { clearError?: RegExp; stack?: () => Stack; expectValid?: boolean } = {},
): void {
  const clearError = opts.clearError ?? VALIDATION_ERROR;
  const outcomes = { clearError: 0, clearErrorAtSynth: 0, validTemplates: 0 };
  fc.assert(
    fc.property(arbitrary, (props) => {
      const stack = (opts.stack ?? strictStack)();
      try {
        build(stack, props);
      } catch (e) {
        const message = (e as Error).message ?? String(e);
        if (e instanceof TypeError || !clearError.test(message)) throw new Error(`unclear error for ${describe(props)}: ${(e as Error).stack ?? message}`);
        outcomes.clearError++;
        if (process.env.FUZZ_STATS === 'errors') console.log(message.split('\n').slice(1).map((l) => l.replace(/'[^']*'|"[^"]*"|\d+/g, 'X')).join('|'));
        return;
      }
      let result;
      try {
        result = synthesize(stack.node.root as any);
      } catch (e) {
        const message = (e as Error).message ?? String(e);
        if (e instanceof TypeError || !SYNTH_VALIDATION_ERROR.test(message)) throw new Error(`unclear synth error for ${describe(props)}: ${message}`);
        outcomes.clearErrorAtSynth++;
        return;
      }
      fs.rmSync(result.assembly.directory, { recursive: true, force: true });
      if (result.cfnFindings.length > 0) {
        throw new Error(`template rejected for ${describe(props)}:\n${describeFindings(result.cfnFindings)}`);
      }
      if (result.controlTowerFindings.length > 0) {
        throw new Error(`AWS Control Tower findings for ${JSON.stringify(props)}:\n${describeFindings(result.controlTowerFindings)}`);
      }
      outcomes.validTemplates++;
    }),
    { numRuns: FUZZ_RUNS },
  );
  // FUZZ_STATS=1 prints how the inputs were classified.
  if (process.env.FUZZ_STATS) console.log(`${expect.getState().currentTestName}: ${JSON.stringify(outcomes)}`);
  // A property of mostly valid inputs must reach the template: one that only ever meets errors tests less than its name says.
  if (opts.expectValid && outcomes.validTemplates === 0) throw new Error(`no input synthesized a valid template: ${JSON.stringify(outcomes)}`);
}

/** Props for a message: JSON, with undefined shown (fast-check's own printer). */
function describe(props: unknown): string {
  return fc.stringify(props);
}
