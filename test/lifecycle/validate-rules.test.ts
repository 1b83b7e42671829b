import { CountType, LifecyclePolicy, LifecyclePolicyRule, LifecycleTagStatus } from '../../src/lifecycle';
import { validateLifecyclePolicy } from '../../src/lifecycle/validate';

/*
 * LifecyclePolicy.validateRules: the lifecycle check of every jsii language (a free function
 * such as validateLifecyclePolicy is dropped by jsii, so Python, Java, .NET and Go cannot
 * call it).
 */

const releases = (overrides: Partial<LifecyclePolicyRule> = {}): LifecyclePolicyRule => ({
  description: 'releases',
  tagStatus: LifecycleTagStatus.TAGGED,
  tagPatternList: ['v*'],
  countType: CountType.IMAGE_COUNT_MORE_THAN,
  countNumber: 10,
  ...overrides,
});

describe('LifecyclePolicy.validateRules', () => {
  test('given valid rules without priorities, then there are no problems', () => {
    expect(LifecyclePolicy.validateRules([
      releases(),
      { tagStatus: LifecycleTagStatus.UNTAGGED, countType: CountType.SINCE_IMAGE_PUSHED, countNumber: 14 },
      { tagStatus: LifecycleTagStatus.ANY, countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 1000 },
    ])).toEqual([]);
  });

  test.each<[string, LifecyclePolicyRule[], string]>([
    ['no rules', [], 'has no rules; add at least one rule'],
    ['a duplicate priority', [releases({ rulePriority: 2 }), releases({ rulePriority: 2, description: 'other' })],
      'rules[1] (rulePriority 2, "other"): rulePriority 2 is also used by rules[0] (rulePriority 2, "releases")'],
    ['countNumber 0', [releases({ countNumber: 0 })], 'countNumber 0 is not an integer of at least 1'],
    ['a tagged rule with no list', [releases({ tagPatternList: undefined })], 'needs a tagPatternList or a tagPrefixList, but neither is set'],
    ['an any rule below another rule', [{ tagStatus: LifecycleTagStatus.ANY, countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 5, rulePriority: 1 }, releases({ rulePriority: 2 })],
      'an "any" rule must have the highest rulePriority'],
  ])('given %s, then it reports the problem, as fromRules(rules).validate() does', (_name, rules, message) => {
    const problems = LifecyclePolicy.validateRules(rules);
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
    expect(problems).toEqual(LifecyclePolicy.fromRules(rules).validate());
  });

  test('given rules that all have priorities, then it reports what the deprecated validateLifecyclePolicy reports', () => {
    const rules = [releases({ rulePriority: 3, countNumber: -1 }), releases({ rulePriority: 3, tagPrefixList: ['v'] })];
    expect(LifecyclePolicy.validateRules(rules)).toEqual(validateLifecyclePolicy(rules));
    expect(LifecyclePolicy.validateRules(rules).length).toBeGreaterThanOrEqual(3);
  });

  test('given rules without priorities, then they are given one first, as fromRules does (the free function leaves them unchecked)', () => {
    // an `any` rule listed first is placed after the others by fromRules, so the policy is valid
    const rules: LifecyclePolicyRule[] = [
      { tagStatus: LifecycleTagStatus.ANY, countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 5 }, releases(),
    ];
    expect(LifecyclePolicy.validateRules(rules)).toEqual([]);
  });

  test('given rules that are not a list (an untyped caller), then it throws a clear error', () => {
    expect(() => LifecyclePolicy.validateRules('rules' as unknown as LifecyclePolicyRule[])).toThrow(/LifecyclePolicy.validateRules/);
  });
});
