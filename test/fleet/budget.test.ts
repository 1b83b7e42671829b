import { shardBudgetProblems } from '../../src/fleet/budget';

describe('shardBudgetProblems', () => {
  test.each([
    [400, 800_000, []],
    [10, 50_000, []],
    [500, 1_000_000, []],
    [9, 800_000, ["maxResourcesPerStack 9 must be a whole number from 10 to 500 (CloudFormation's limit per stack)"]],
    [501, 800_000, ["maxResourcesPerStack 501 must be a whole number from 10 to 500 (CloudFormation's limit per stack)"]],
    [12.5, 800_000, ["maxResourcesPerStack 12.5 must be a whole number from 10 to 500 (CloudFormation's limit per stack)"]],
    [400, 49_999, ["maxTemplateBytesPerStack 49999 must be a whole number from 50000 to 1000000 (CloudFormation's limit per template)"]],
    [600, 5_000_000, [
      "maxResourcesPerStack 600 must be a whole number from 10 to 500 (CloudFormation's limit per stack)",
      "maxTemplateBytesPerStack 5000000 must be a whole number from 50000 to 1000000 (CloudFormation's limit per template)",
    ]],
  ])('given %p resources and %p bytes per stack, then the problems are %j', (resources, bytes, expected) => {
    expect(shardBudgetProblems(resources, bytes)).toEqual(expected);
  });
});
