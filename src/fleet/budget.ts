import { TEMPLATE_BYTE_LIMIT } from './template-size';

/** CloudFormation's hard limit on resources per stack. @internal */
export const STACK_RESOURCE_LIMIT = 500;
/** The fewest resources a shard stack's budget may allow. @internal */
export const MIN_RESOURCES_PER_STACK = 10;
/** The fewest template bytes a shard stack's budget may allow. @internal */
export const MIN_TEMPLATE_BYTES_PER_STACK = 50_000;
/** The resource budget of a shard stack unless set: headroom under CloudFormation's 500. @internal */
export const DEFAULT_RESOURCES_PER_STACK = 400;
/** The template byte budget of a shard stack unless set: headroom under CloudFormation's 1,000,000. @internal */
export const DEFAULT_TEMPLATE_BYTES_PER_STACK = 800_000;

/**
 * The problems of a shard budget (`maxResourcesPerStack`,
 * `maxTemplateBytesPerStack`): each must be a whole number within what
 * CloudFormation takes per stack and large enough to hold a repository.
 * Empty when the budget is valid.
 *
 * @internal
 */
export function shardBudgetProblems(maxResources: number, maxBytes: number): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(maxResources) || maxResources < MIN_RESOURCES_PER_STACK || maxResources > STACK_RESOURCE_LIMIT) {
    problems.push(`maxResourcesPerStack ${maxResources} must be a whole number from ${MIN_RESOURCES_PER_STACK} to ${STACK_RESOURCE_LIMIT} (CloudFormation's limit per stack)`);
  }
  if (!Number.isInteger(maxBytes) || maxBytes < MIN_TEMPLATE_BYTES_PER_STACK || maxBytes > TEMPLATE_BYTE_LIMIT) {
    problems.push(`maxTemplateBytesPerStack ${maxBytes} must be a whole number from ${MIN_TEMPLATE_BYTES_PER_STACK} to ${TEMPLATE_BYTE_LIMIT} (CloudFormation's limit per template)`);
  }
  return problems;
}
