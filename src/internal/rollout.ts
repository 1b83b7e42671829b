import { Stack } from 'aws-cdk-lib';

/**
 * Marks stacks whose template is rolled out to many accounts and regions
 * (a registry baseline): the registry's environment-agnostic warning does not
 * apply to them, the rollout's own clash check does.
 */
const ROLLED_OUT = Symbol.for('cdk-ecr-platform.rolledOut');

/** Marks a stack as rolled out to many environments. @internal */
export function markRolledOut(stack: Stack): void {
  Object.defineProperty(stack, ROLLED_OUT, { value: true });
}

/** Whether a stack is rolled out to many environments. @internal */
export function isRolledOut(stack: Stack): boolean {
  return (stack as unknown as Record<symbol, unknown>)[ROLLED_OUT] === true;
}
