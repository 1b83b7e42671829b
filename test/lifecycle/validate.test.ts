import { Stack, Token } from 'aws-cdk-lib';
import { CountType, LifecycleAction, LifecyclePolicy, LifecyclePolicyRule, StorageClass, LifecycleTagStatus } from '../../src/lifecycle';
import { validateLifecyclePolicy, validatePolicyText } from '../../src/lifecycle/validate';

const tagged = (overrides: Partial<LifecyclePolicyRule> = {}): LifecyclePolicyRule => ({
  description: 'releases',
  tagStatus: LifecycleTagStatus.TAGGED,
  tagPatternList: ['v*'],
  countType: CountType.IMAGE_COUNT_MORE_THAN,
  countNumber: 10,
  ...overrides,
});

const untagged = (overrides: Partial<LifecyclePolicyRule> = {}): LifecyclePolicyRule => ({
  tagStatus: LifecycleTagStatus.UNTAGGED,
  countType: CountType.SINCE_IMAGE_PUSHED,
  countNumber: 14,
  ...overrides,
});

const archiveExpire = (overrides: Partial<LifecyclePolicyRule> = {}): LifecyclePolicyRule => ({
  tagStatus: LifecycleTagStatus.ANY,
  storageClass: StorageClass.ARCHIVE,
  countType: CountType.SINCE_IMAGE_TRANSITIONED,
  countNumber: 90,
  ...overrides,
});

function problemsOf(rules: LifecyclePolicyRule[]): string[] {
  return LifecyclePolicy.fromRules(rules).validate();
}

describe('validateLifecyclePolicy', () => {
  test('given a valid policy with every kind of rule, when validated, then there are no problems', () => {
    const rules = [
      tagged(),
      tagged({ tagPatternList: undefined, tagPrefixList: ['release-'], countType: CountType.SINCE_IMAGE_PUSHED, countNumber: 30 }),
      tagged({ tagPatternList: ['*'], countType: CountType.SINCE_IMAGE_PULLED, countNumber: 60, action: LifecycleAction.TRANSITION }),
      untagged(),
      archiveExpire({ countNumber: 180 }),
      { tagStatus: LifecycleTagStatus.ANY, countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 1000 },
    ];
    expect(problemsOf(rules)).toEqual([]);
  });

  test.each<[string, LifecyclePolicyRule[], string]>([
    ['no rules', [], 'has no rules; add at least one rule'],
    ['51 rules', Array.from({ length: 51 }, (_, i) => tagged({ tagPatternList: [`t${i}*`] })), 'has 51 rules; ECR allows at most 50'],
    ['priority 0', [tagged({ rulePriority: 0 })], 'rulePriority 0 is not a positive integer'],
    ['negative priority', [tagged({ rulePriority: -3 })], 'rulePriority -3 is not a positive integer'],
    ['fractional priority', [tagged({ rulePriority: 1.5 })], 'rulePriority 1.5 is not a positive integer'],
    ['duplicate priority', [tagged({ rulePriority: 2 }), untagged({ rulePriority: 2, description: 'junk' })], 'rules[1] (rulePriority 2, "junk"): rulePriority 2 is also used by rules[0] (rulePriority 2, "releases")'],
    ['countNumber 0', [tagged({ countNumber: 0 })], 'countNumber 0 is not an integer of at least 1'],
    ['fractional countNumber', [tagged({ countNumber: 2.5 })], 'countNumber 2.5 is not an integer of at least 1'],
    ['countNumber above 32 bits', [tagged({ countNumber: 2 ** 31 })], 'countNumber 2147483648 is not an integer of at least 1; use a whole number from 1 to 2147483647'],
    ['tagged with both lists', [tagged({ tagPrefixList: ['v'] })], 'takes exactly one of tagPrefixList and tagPatternList, but both are set'],
    ['tagged with no list', [tagged({ tagPatternList: undefined })], 'needs a tagPatternList or a tagPrefixList, but neither is set'],
    ['tagged with an empty list', [tagged({ tagPatternList: [] })], 'tagPatternList is empty; list at least one pattern'],
    ['tagged with an empty prefix list', [tagged({ tagPatternList: undefined, tagPrefixList: [] })], 'tagPrefixList is empty; list at least one prefix'],
    ['untagged with a list', [untagged({ tagPrefixList: ['v'] })], 'an untagged rule takes no tagPrefixList or tagPatternList'],
    ['any with a list', [{ tagStatus: LifecycleTagStatus.ANY, tagPatternList: ['v*'], countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 5 }], 'an any rule takes no tagPrefixList or tagPatternList'],
    ['five wildcards', [tagged({ tagPatternList: ['*a*b*c*d*'] })], 'tag pattern "*a*b*c*d*" has 5 wildcards (*); ECR allows at most 4'],
    ['pattern with a space', [tagged({ tagPatternList: ['v 1*'] })], 'tag pattern "v 1*" cannot match any image tag'],
    ['empty pattern', [tagged({ tagPatternList: [''] })], 'tag pattern "" is empty or not a string'],
    ['pattern longer than a tag', [tagged({ tagPatternList: ['a'.repeat(129)] })], 'cannot match any image tag; use at most 128'],
    ['prefix with a wildcard', [tagged({ tagPatternList: undefined, tagPrefixList: ['v*'] })], 'tag prefix "v*" contains *, which a prefix matches literally'],
    ['prefix starting with a dot', [tagged({ tagPatternList: undefined, tagPrefixList: ['.v'] })], 'tag prefix ".v" cannot start any image tag'],
    ['empty prefix', [tagged({ tagPatternList: undefined, tagPrefixList: [''] })], 'tag prefix "" is empty or not a string'],
    ['two untagged rules', [untagged({ description: 'a' }), untagged({ description: 'b', countNumber: 30 })], 'rules[1] (rulePriority 2, "b"): only one rule per storage class may select untagged images, and rules[0] (rulePriority 1, "a") already does in the standard storage class'],
    ['two untagged archive rules', [archiveExpire({ tagStatus: LifecycleTagStatus.UNTAGGED }), archiveExpire({ tagStatus: LifecycleTagStatus.UNTAGGED, countNumber: 100 })], 'already does in the archive storage class'],
    ['any rule not last', [{ rulePriority: 1, tagStatus: LifecycleTagStatus.ANY, countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 5 }, tagged({ rulePriority: 2 })],
      'rules[0] (rulePriority 1): an "any" rule must have the highest rulePriority in the standard storage class, but rules[1] (rulePriority 2, "releases") is higher'],
    ['sinceImagePulled expire', [tagged({ countType: CountType.SINCE_IMAGE_PULLED, countNumber: 30 })], 'sinceImagePulled rules can only transition images to archive'],
    ['sinceImageTransitioned on standard', [archiveExpire({ storageClass: undefined })], 'sinceImageTransitioned selects archived images; set storageClass to archive'],
    ['sinceImageTransitioned transition', [archiveExpire({ action: LifecycleAction.TRANSITION })], 'sinceImageTransitioned rules can only expire images'],
    ['archive with imageCountMoreThan', [archiveExpire({ countType: CountType.IMAGE_COUNT_MORE_THAN })], 'the archive storage class can only be selected with countType sinceImageTransitioned'],
    ['transition from archive', [archiveExpire({ countType: CountType.SINCE_IMAGE_PUSHED, action: LifecycleAction.TRANSITION })], 'only standard images can transition'],
    ['archived less than 90 days', [archiveExpire({ countNumber: 89 })], 'archived images must stay archived at least 90 days before a policy deletes them; countNumber 89 is too small'],
    ['unknown tagStatus', [tagged({ tagStatus: 'some' as LifecycleTagStatus })], 'tagStatus "some" is not one of tagged, untagged, any'],
    ['unknown countType', [tagged({ countType: 'sinceForever' as CountType })], 'countType "sinceForever" is not one of'],
    ['unknown storageClass', [tagged({ storageClass: 'glacier' as StorageClass })], 'storageClass "glacier" is not one of standard, archive'],
    ['unknown action', [tagged({ action: 'delete' as LifecycleAction })], 'action "delete" is not one of expire, transition'],
    ['text too long', Array.from({ length: 40 }, (_, i) => tagged({ description: 'd'.repeat(800), tagPatternList: [`t${i}*`] })), 'characters; ECR accepts 100 to 30720. Shorten'],
  ])('given %s, when validated, then the problem is reported', (_name, rules, message) => {
    const problems = problemsOf(rules);
    expect(problems.join('\n')).toContain(message);
    expect(() => {
      if (problems.length > 0) throw new Error(problems.join('\n'));
    }).toThrow(message);
  });

  test('given several problems, when validated, then every problem is reported', () => {
    const problems = problemsOf([tagged({ countNumber: 0, tagPatternList: ['*1*2*3*4*5'] }), untagged(), untagged({ countNumber: 3 })]);
    expect(problems).toHaveLength(3);
  });

  test('given a problem, then each names the rule by priority and description and says what to change', () => {
    const [message] = problemsOf([tagged({ description: 'keep releases', countNumber: 0 })]);
    expect(message).toMatch(/^rules\[0\] \(rulePriority 1, "keep releases"\): .*; use a whole number/);
  });

  test('given text shorter than 100 characters, when the text is checked, then it is rejected', () => {
    expect(validatePolicyText('{"rules":[]}')[0]).toContain('is 12 characters; ECR accepts 100 to 30720');
    expect(validatePolicyText('x'.repeat(100))).toEqual([]);
  });

  test('given unresolved tokens, when validated, then the token values are not checked', () => {
    const rules: LifecyclePolicyRule[] = [
      tagged({ rulePriority: Token.asNumber({ Ref: 'Priority' }), countNumber: Token.asNumber({ Ref: 'Count' }), tagPatternList: [Token.asString({ Ref: 'Pattern' })] }),
      untagged({ description: Token.asString({ Ref: 'Description' }) }),
    ];
    expect(validateLifecyclePolicy(rules)).toEqual([]);
  });

  test('given a token countNumber, when rendered, then the token is embedded as a number', () => {
    const policy = LifecyclePolicy.fromRules([tagged({ countNumber: Token.asNumber({ Ref: 'Count' }) })]);
    // The text is rendered at synth; a value known only at deploy stays a reference, unquoted.
    const text = new Stack().resolve(policy.toJson());
    const parts = text['Fn::Join'][1];
    expect(parts[0]).toMatch(/"countNumber":$/);
    expect(parts[1]).toEqual({ Ref: 'Count' });
    expect(parts[2]).toMatch(/^\},/);
    expect(policy.validate()).toEqual([]);
  });
});
