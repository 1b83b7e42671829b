import { CountType, LifecycleAction, LifecyclePolicy, LifecyclePresets, LifecyclePolicyRule, StorageClass, LifecycleTagStatus } from '../../src/lifecycle';

const rule = (overrides: Partial<LifecyclePolicyRule> = {}): LifecyclePolicyRule => ({
  tagStatus: LifecycleTagStatus.TAGGED,
  tagPatternList: ['v*'],
  countType: CountType.IMAGE_COUNT_MORE_THAN,
  countNumber: 5,
  ...overrides,
});

describe('LifecyclePolicy rendering', () => {
  test('given rules with and without optional fields, when rendered, then keys follow ECR order and optional keys are omitted', () => {
    const policy = LifecyclePolicy.fromRules([
      rule({ description: 'keep releases' }),
      { tagStatus: LifecycleTagStatus.TAGGED, tagPatternList: ['*'], countType: CountType.SINCE_IMAGE_PULLED, countNumber: 30, action: LifecycleAction.TRANSITION },
      { tagStatus: LifecycleTagStatus.ANY, storageClass: StorageClass.ARCHIVE, countType: CountType.SINCE_IMAGE_TRANSITIONED, countNumber: 90 },
    ]);
    expect(policy.toJson()).toBe(
      '{"rules":['
      + '{"rulePriority":1,"description":"keep releases","selection":{"tagStatus":"tagged","tagPatternList":["v*"],"countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}},'
      + '{"rulePriority":2,"selection":{"tagStatus":"tagged","tagPatternList":["*"],"countType":"sinceImagePulled","countUnit":"days","countNumber":30},"action":{"type":"transition","targetStorageClass":"archive"}},'
      + '{"rulePriority":3,"selection":{"tagStatus":"any","storageClass":"archive","countType":"sinceImageTransitioned","countUnit":"days","countNumber":90},"action":{"type":"expire"}}'
      + ']}');
    expect(policy.toJson()).not.toContain('null');
  });

  test('given an explicit standard storage class, when rendered, then the key is kept', () => {
    expect(LifecyclePolicy.fromRules([rule({ storageClass: StorageClass.STANDARD })]).toJson()).toContain('"storageClass":"standard"');
  });

  test('given the same policy twice, when rendered, then the bytes are equal', () => {
    expect(LifecyclePolicy.recommended().toJson()).toBe(LifecyclePolicy.recommended().toJson());
  });
});

describe('automatic priorities', () => {
  test('given no priorities, when built, then rules are numbered in order with any rules last', () => {
    const policy = LifecyclePolicy.fromRules([
      { tagStatus: LifecycleTagStatus.ANY, countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 100, description: 'cap' },
      rule({ description: 'a' }),
      { tagStatus: LifecycleTagStatus.UNTAGGED, countType: CountType.SINCE_IMAGE_PUSHED, countNumber: 1, description: 'b' },
    ]);
    expect(policy.rules.map((r) => [r.rulePriority, r.description])).toEqual([[1, 'a'], [2, 'b'], [3, 'cap']]);
    expect(policy.validate()).toEqual([]);
  });

  test('given some explicit priorities, when built, then they are kept and the others fill the gaps', () => {
    const policy = LifecyclePolicy.fromRules([
      rule({ description: 'auto-1' }),
      rule({ description: 'explicit-1', rulePriority: 1, tagPatternList: ['x*'] }),
      rule({ description: 'auto-2', tagPatternList: ['y*'] }),
      { tagStatus: LifecycleTagStatus.ANY, countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 100, description: 'any' },
      rule({ description: 'explicit-10', rulePriority: 10, tagPatternList: ['z*'] }),
    ]);
    expect(policy.rules.map((r) => [r.rulePriority, r.description])).toEqual([
      [1, 'explicit-1'], [2, 'auto-1'], [3, 'auto-2'], [10, 'explicit-10'], [11, 'any'],
    ]);
  });

  test('given a policy, when its rules are read and changed, then the policy is unchanged', () => {
    const policy = LifecyclePolicy.recommended();
    const rules = policy.rules as Array<{ countNumber: number }>;
    rules[0].countNumber = 999;
    expect(policy.rules[0].countNumber).toBe(14);
  });

  test('given input rules mutated after building, then the policy is unchanged', () => {
    const patterns = ['v*'];
    const policy = LifecyclePolicy.fromRules([rule({ tagPatternList: patterns })]);
    patterns.push('oops');
    expect(policy.rules[0].tagPatternList).toEqual(['v*']);
  });
});

describe('LifecyclePolicy.fromJson', () => {
  const docsExample = `{
    "rules": [
      { "rulePriority": 1, "description": "Expire images older than 14 days",
        "selection": { "tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14 },
        "action": { "type": "expire" } }
    ]
  }`;

  test('given the ECR docs example, when parsed and rendered, then the compact JSON has the same content', () => {
    const policy = LifecyclePolicy.fromJson(docsExample);
    expect(JSON.parse(policy.toJson())).toEqual(JSON.parse(docsExample));
    expect(policy.validate()).toEqual([]);
  });

  test('given rules out of priority order, when parsed, then they render sorted by priority', () => {
    const text = JSON.stringify({
      rules: [
        { rulePriority: 5, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 3 }, action: { type: 'expire' } },
        { rulePriority: 2, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 3 }, action: { type: 'expire' } },
      ],
    });
    expect(LifecyclePolicy.fromJson(text).rules.map((r) => r.rulePriority)).toEqual([2, 5]);
  });

  test.each<[string, string, string]>([
    ['not JSON', '{"rules":[', 'is not valid JSON'],
    ['not an object', '[]', 'must be a JSON object with a "rules" array'],
    ['no rules array', '{"rules":{}}', '"rules" must be an array'],
    ['unknown top-level key', '{"rules":[],"version":1}', 'unknown key "version" at the top level'],
    ['rule not an object', '{"rules":[1]}', 'rules[0] must be an object'],
    ['unknown rule key', '{"rules":[{"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"},"enabled":true}]}', 'unknown key "enabled" in rules[0]'],
    ['unknown selection key', '{"rules":[{"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1,"tagRegex":"x"},"action":{"type":"expire"}}]}', 'unknown key "tagRegex" in rules[0].selection'],
    ['unknown action key', '{"rules":[{"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire","when":"now"}}]}', 'unknown key "when" in rules[0].action'],
    ['null value', '{"rules":[{"description":null,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}', 'rules[0].description is null; omit the key instead'],
    ['priority as string', '{"rules":[{"rulePriority":"1","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}', 'rules[0].rulePriority must be a number'],
    ['description not a string', '{"rules":[{"description":7,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}', 'rules[0].description must be a string'],
    ['missing selection', '{"rules":[{"action":{"type":"expire"}}]}', 'rules[0].selection must be an object'],
    ['unknown tagStatus', '{"rules":[{"selection":{"tagStatus":"all","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}', 'rules[0].selection.tagStatus must be one of "tagged", "untagged", "any", got string "all"'],
    ['unknown countType', '{"rules":[{"selection":{"tagStatus":"any","countType":"imageCount","countNumber":1},"action":{"type":"expire"}}]}', 'rules[0].selection.countType must be one of'],
    ['unknown storageClass', '{"rules":[{"selection":{"tagStatus":"any","storageClass":"cold","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}', 'rules[0].selection.storageClass must be one of "standard", "archive"'],
    ['tag list not strings', '{"rules":[{"selection":{"tagStatus":"tagged","tagPrefixList":[1],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}', 'tagPrefixList must be an array of strings'],
    ['countNumber as string', '{"rules":[{"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":"1"},"action":{"type":"expire"}}]}', 'countNumber must be a number'],
    ['missing countUnit', '{"rules":[{"selection":{"tagStatus":"any","countType":"sinceImagePushed","countNumber":1},"action":{"type":"expire"}}]}', 'countUnit must be "days" for countType sinceImagePushed, got nothing'],
    ['countUnit hours', '{"rules":[{"selection":{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"hours","countNumber":1},"action":{"type":"expire"}}]}', 'countUnit must be "days"'],
    ['countUnit with imageCountMoreThan', '{"rules":[{"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countUnit":"days","countNumber":1},"action":{"type":"expire"}}]}', 'countUnit is only allowed with the since* count types'],
    ['missing action', '{"rules":[{"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1}}]}', 'rules[0].action is missing'],
    ['unknown action type', '{"rules":[{"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"delete"}}]}', 'rules[0].action.type must be one of "expire", "transition"'],
    ['transition without target', '{"rules":[{"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"transition"}}]}', 'targetStorageClass must be "archive" for a transition'],
    ['expire with target', '{"rules":[{"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire","targetStorageClass":"archive"}}]}', 'targetStorageClass is only allowed with type "transition"'],
  ])('given %s, when parsed, then it throws a clear error', (_name, text, message) => {
    expect(() => LifecyclePolicy.fromJson(text)).toThrow(message);
  });

  test('given several malformed rules, when parsed, then the error lists every problem', () => {
    const text = '{"rules":[{"selection":{"tagStatus":"x","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}},{"selection":{"tagStatus":"any","countType":"y","countNumber":1},"action":{"type":"expire"}}]}';
    expect(() => LifecyclePolicy.fromJson(text)).toThrow(/rules\[0\]\.selection\.tagStatus[\s\S]*rules\[1\]\.selection\.countType/);
  });

  test('given rules out of priority order, when validated, then each problem names the rule by its index in the rules array and its priority', () => {
    const text = JSON.stringify({
      rules: [
        { rulePriority: 5, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 100 }, action: { type: 'expire' } },
        { rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 }, action: { type: 'expire' } },
        { rulePriority: 1, description: 'again', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 0 }, action: { type: 'expire' } },
      ],
    });
    const problems = LifecyclePolicy.fromJson(text).validate();
    expect(problems).toEqual([
      expect.stringMatching(/^rules\[2\] \(rulePriority 1, "again"\): rulePriority 1 is also used by rules\[1\] \(rulePriority 1\); /),
      expect.stringMatching(/^rules\[2\] \(rulePriority 1, "again"\): countNumber 0 is not an integer/),
      expect.stringMatching(/^rules\[2\] \(rulePriority 1, "again"\): only one rule per storage class may select untagged images, and rules\[1\] \(rulePriority 1\) already does/),
    ]);
    expect(LifecyclePolicy.validateJson(text)).toEqual(problems);
  });

  test('given JSON with structural and semantic problems, when parsed, then the one error lists both', () => {
    const text = JSON.stringify({
      rules: [
        { rulePriority: 1, selection: { tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 0 }, action: { type: 'expire' } },
        { rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 3 }, action: { type: 'delete' } },
      ],
    });
    expect(() => LifecyclePolicy.fromJson(text)).toThrow(/rules\[1\]\.action\.type must be one of[\s\S]*rules\[0\] \(rulePriority 1\): countNumber 0[\s\S]*rules\[0\] \(rulePriority 1\): a tagged rule needs[\s\S]*rules\[1\] \(rulePriority 1\): rulePriority 1 is also used by rules\[0\]/);
  });

  test('given valid JSON that breaks ECR rules, when parsed, then it parses and validate() reports the problems', () => {
    const text = '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","countType":"imageCountMoreThan","countNumber":0},"action":{"type":"expire"}}]}';
    const problems = LifecyclePolicy.fromJson(text).validate();
    expect(problems.join('\n')).toContain('needs a tagPatternList or a tagPrefixList');
    expect(problems.join('\n')).toContain('countNumber 0');
  });
});

describe('presets', () => {
  test('given recommended(), then it expires untagged images after 14 days and caps the repository at 1000 images', () => {
    expect(LifecyclePolicy.recommended().toJson()).toBe(
      '{"rules":[{"rulePriority":1,"description":"Expire untagged images pushed more than 14 days ago","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}},'
      + '{"rulePriority":2,"description":"Keep at most 1000 images, expire the oldest","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1000},"action":{"type":"expire"}}]}');
  });

  test.each<[string, LifecyclePolicy, string]>([
    ['keepLastReleases', LifecyclePresets.keepLastReleases(10, ['v*']),
      '{"rules":[{"rulePriority":1,"description":"Keep the last 10 images tagged v*, expire older ones","selection":{"tagStatus":"tagged","tagPatternList":["v*"],"countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}}]}'],
    ['expireUntagged', LifecyclePresets.expireUntagged(14),
      '{"rules":[{"rulePriority":1,"description":"Expire untagged images pushed more than 14 days ago","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}'],
    ['protectTags', LifecyclePresets.protectTags(['prod']),
      '{"rules":[{"rulePriority":1,"description":"Protect images tagged prod from every later rule","selection":{"tagStatus":"tagged","tagPatternList":["prod"],"countType":"imageCountMoreThan","countNumber":1000000000},"action":{"type":"expire"}}]}'],
    ['archiveUnpulled', LifecyclePresets.archiveUnpulled(30),
      '{"rules":[{"rulePriority":1,"description":"Archive tagged images not pulled for 30 days","selection":{"tagStatus":"tagged","tagPatternList":["*"],"countType":"sinceImagePulled","countUnit":"days","countNumber":30},"action":{"type":"transition","targetStorageClass":"archive"}},'
      + '{"rulePriority":2,"description":"Delete images archived more than 90 days ago","selection":{"tagStatus":"any","storageClass":"archive","countType":"sinceImageTransitioned","countUnit":"days","countNumber":90},"action":{"type":"expire"}}]}'],
    ['capTotal', LifecyclePresets.capTotal(1000),
      '{"rules":[{"rulePriority":1,"description":"Keep at most 1000 images, expire the oldest","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1000},"action":{"type":"expire"}}]}'],
  ])('given %s, then it renders the JSON shown in its doc comment', (_name, policy, json) => {
    expect(policy.toJson()).toBe(json);
    expect(policy.validate()).toEqual([]);
  });

  test('given several patterns, when keeping releases, then each pattern gets its own rule (ECR ANDs a list)', () => {
    const rules = LifecyclePresets.keepLastReleases(3, ['v*', 'release-*']).rules;
    expect(rules.map((r) => r.tagPatternList)).toEqual([['v*'], ['release-*']]);
  });

  test.each<[string, () => unknown, string]>([
    ['keepLastReleases with count 0', () => LifecyclePresets.keepLastReleases(0, ['v*']), 'LifecyclePresets.keepLastReleases: rules[0] (rulePriority 1'],
    ['keepLastReleases without patterns', () => LifecyclePresets.keepLastReleases(3, []), 'give at least one tag pattern'],
    ['protectTags without patterns', () => LifecyclePresets.protectTags([]), 'give at least one tag pattern'],
    ['protectTags with a bad pattern', () => LifecyclePresets.protectTags(['a b']), 'cannot match any image tag'],
    ['expireUntagged with fractional days', () => LifecyclePresets.expireUntagged(1.5), 'countNumber 1.5'],
    ['archiveUnpulled deleting after 30 days', () => LifecyclePresets.archiveUnpulled(30, 30), 'at least 90 days'],
    ['capTotal with 0', () => LifecyclePresets.capTotal(0), 'countNumber 0'],
  ])('given %s, then the preset throws at the call site', (_name, make, message) => {
    expect(make).toThrow(message);
  });

  test('given presets, when combined, then priorities follow the order given with any rules last', () => {
    const policy = LifecyclePolicy.combine(
      LifecyclePresets.protectTags(['prod']),
      LifecyclePolicy.recommended(),
      LifecyclePresets.keepLastReleases(10, ['v*']),
      LifecyclePresets.archiveUnpulled(60, 120),
    );
    expect(policy.validate()).toEqual([]);
    expect(policy.rules.map((r) => [r.rulePriority, r.tagStatus, r.storageClass ?? 'standard'])).toEqual([
      [1, 'tagged', 'standard'], // protect prod
      [2, 'untagged', 'standard'], // expire untagged
      [3, 'tagged', 'standard'], // keep releases
      [4, 'tagged', 'standard'], // archive unpulled
      [5, 'any', 'standard'], // cap total
      [6, 'any', 'archive'], // delete archived
    ]);
  });

  test('given policies with explicit priorities, when combined, then explicit priorities are kept', () => {
    const explicit = LifecyclePolicy.fromRules([rule({ rulePriority: 1, tagPatternList: ['x*'] })]);
    const combined = LifecyclePolicy.combine(LifecyclePresets.expireUntagged(3), explicit);
    expect(combined.rules.map((r) => [r.rulePriority, r.tagStatus])).toEqual([[1, 'tagged'], [2, 'untagged']]);
  });

  test('given the rules of two presets copied by hand, when built, then the duplicate priority is reported with a hint', () => {
    const policy = LifecyclePolicy.fromRules([...LifecyclePresets.expireUntagged(3).rules, ...LifecyclePresets.keepLastReleases(3, ['v*']).rules]);
    expect(policy.validate().join('\n')).toContain('LifecyclePolicy.combine()');
  });
});
