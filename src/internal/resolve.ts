import { DefaultTokenResolver, Stack, StringConcat, Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { formatProblems, Problems } from './problems';

/*
 * Tokens whose value is known at synth time (`Lazy` values, most of all) skip the checks
 * at the call site, because their value is not known yet. `checkNowAndAtSynth` runs a
 * check at the call site and, when its inputs hold a token, runs the SAME check again at
 * synth on the resolved inputs. Values that stay unknown until deploy (`Fn.importValue`,
 * parameters, attributes: anything that resolves to an intrinsic function) are kept as
 * tokens, so the check still skips them.
 */

/** True when the value holds an unresolved token anywhere in plain data (lists, plain objects). @internal */
export function holdsToken(value: unknown): boolean {
  if (isToken(value)) return true;
  if (Array.isArray(value)) return value.some(holdsToken);
  if (isPlainObject(value)) return Object.values(value).some(holdsToken);
  return false;
}

/**
 * A copy of plain data in which every token that resolves to a literal of its kind
 * (a string, a number, a list of strings) is replaced by that literal. Tokens that
 * resolve to intrinsic functions stay tokens. Class instances are not entered.
 *
 * @internal
 */
/**
 * Resolves a value in its stack, or, for a scope outside any stack (an App or a
 * Stage given to an app-wide setting), with aws-cdk-lib's default resolver: a
 * `Lazy` value is produced either way.
 */
function resolveIn(scope: IConstruct, value: unknown): unknown {
  let stack: Stack | undefined;
  try {
    stack = Stack.of(scope);
  } catch {
    stack = undefined; // outside any stack
  }
  if (stack) return stack.resolve(value);
  return Tokenization.resolve(value, { scope, resolver: new DefaultTokenResolver(new StringConcat()) });
}

export function resolveKnown<T>(scope: IConstruct, value: T): T {
  if (isToken(value)) {
    let resolved: unknown;
    try {
      resolved = resolveIn(scope, value);
    } catch {
      return value; // not resolvable here (such as PhysicalName.GENERATE_IF_NEEDED): unknown, so unchecked
    }
    if (typeof value === 'string' && typeof resolved === 'string') return resolved as T;
    if (typeof value === 'number' && typeof resolved === 'number') return resolved as T;
    if (Array.isArray(value) && Array.isArray(resolved) && resolved.every((x) => typeof x === 'string')) return resolved as T;
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => resolveKnown(scope, v)) as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveKnown(scope, v);
    return out as T;
  }
  return value;
}

/**
 * Runs `check` on `inputs` now, recording into `problems`; when the inputs hold a token,
 * runs it again at synth on the resolved inputs and fails synthesis with the problems
 * found then (naming the same subject).
 *
 * @internal
 */
export function checkNowAndAtSynth<T>(scope: IConstruct, problems: Problems, inputs: T, check: SynthCheck<T>): void {
  check(problems, inputs, false);
  checkAtSynth(scope, problems, inputs, check);
}

/**
 * A check of some inputs: records problems; `atSynth` is true when the inputs are
 * resolved (tokens left are known only at deploy). @internal
 */
export type SynthCheck<T> = (problems: Problems, inputs: T, atSynth: boolean) => void;

/**
 * When the inputs hold a token, runs `check` at synth on the resolved inputs (the
 * call site has already run it on the inputs as given). @internal
 */
export function checkAtSynth<T>(scope: IConstruct, problems: Problems, inputs: T, check: SynthCheck<T>): void {
  if (!holdsToken(inputs)) return;
  scope.node.addValidation({
    validate: () => {
      const atSynth = problems.fresh();
      check(atSynth, resolveKnown(scope, inputs), true);
      return atSynth.empty ? [] : [formatProblems(atSynth.subject, atSynth.list)];
    },
  });
}

/** A string, number or list token (a list token is a one-item list, not a token to `Token.isUnresolved`). */
function isToken(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 1 && typeof value[0] === 'string' && Tokenization.reverseList(value) !== undefined;
  return Token.isUnresolved(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
