import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AppRegistries, trackSynthesis, warnOnce } from './app-registries';

/** A warning an app-wide check gives, on the construct it concerns. @internal */
export interface AppWarning {
  /** A construct inside a stack, so that the warning reaches `cdk synth` output. */
  readonly scope: IConstruct;
  /** The warning's stable ID (what `Annotations.acknowledgeWarning` takes). */
  readonly id: string;
  readonly message: string;
}

/** Checks registered per stack, by name (never process-global state: weak, per stack). */
const registered = new WeakMap<Stack, Set<string>>();

/**
 * Registers an app-wide warning check on the stack of `scope`, once per stack
 * and check name. It runs while the app is validated, once every construct
 * has contributed: the first stack that validates computes the warnings of
 * the whole app (one answer per synthesis phase, shared through the app's
 * registry index), and each warning is given once on its construct, whichever
 * stacks registered the check. A stage synthesized on its own runs the check
 * of its own stacks.
 *
 * @param name the check's name, also its memo key
 * @param compute every warning of the app, in a stable order
 * @internal
 */
export function registerAppCheck(scope: IConstruct, name: string, compute: (root: IConstruct) => AppWarning[]): void {
  const stack = Stack.of(scope);
  let names = registered.get(stack);
  if (!names) registered.set(stack, names = new Set());
  if (names.has(name)) return;
  names.add(name);
  trackSynthesis(stack);
  stack.node.addValidation({
    validate: () => {
      const root = stack.node.root;
      const warnings = AppRegistries.of(root).memo(root, `appCheck:${name}`, () => compute(root));
      for (const w of warnings) warnOnce(w.scope, { id: w.id, message: w.message });
      return [];
    },
  });
}

/** The construct a user declared: the L2 around a `Resource` L1, else the node itself. @internal */
export function ownerOf(node: IConstruct): IConstruct {
  const parent = node.node.scope;
  if (node.node.id === 'Resource' && parent && parent.node.path) return parent;
  return node;
}

/** A value resolved in its stack, or undefined when resolving it throws. @internal */
export function tryResolve(stack: Stack, value: unknown): unknown {
  try {
    return stack.resolve(value);
  } catch {
    return undefined;
  }
}
