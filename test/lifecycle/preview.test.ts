import { DAY, NOW, daysAgo, image, nameOf } from './fixtures';
import { CountType, LifecycleAction, LifecyclePolicy, LifecyclePresets, LifecyclePolicyRule, StorageClass, LifecycleTagStatus } from '../../src/lifecycle';
import { DescribedImage, PreviewOutput, previewLifecyclePolicy } from '../../src/lifecycle/preview';

function run(policy: LifecyclePolicy | string, images: DescribedImage[]): PreviewOutput {
  const p = typeof policy === 'string' ? LifecyclePolicy.fromJson(policy) : policy;
  return previewLifecyclePolicy(p, { imageDetails: images }, NOW);
}

/** Names of the images acted on, sorted. */
function acted(output: PreviewOutput): string[] {
  return output.previewResults.map((r) => nameOf(r.imageDigest)).sort();
}

const rule = (priority: number, selection: Record<string, unknown>, action: Record<string, unknown> = { type: 'expire' }) =>
  ({ rulePriority: priority, description: `Rule ${priority}`, selection, action });
const policyJson = (...rules: object[]) => JSON.stringify({ rules });

describe('examples of lifecycle policies from the ECR User Guide', () => {
  test('filtering on image age: tagged prod* images older than 14 days expire', () => {
    const policy = policyJson(rule(1, { tagStatus: 'tagged', tagPatternList: ['prod*'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }));
    const output = run(policy, [image('old-prod', ['prod-1'], 20), image('new-prod', ['prod2'], 3), image('old-beta', ['beta-1'], 30), image('untagged', [], 40)]);
    expect(acted(output)).toEqual(['old-prod']);
  });

  test('filtering on image count: keep only one untagged image, expire all others', () => {
    const policy = policyJson(rule(1, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 }));
    const output = run(policy, [image('u1', [], 3), image('u2', [], 2), image('u3', [], 1), image('t', ['v1'], 5)]);
    expect(acted(output)).toEqual(['u1', 'u2']);
  });

  const repository = [image('A', ['beta-1', 'prod-1'], 10), image('B', ['beta-2', 'prod-2'], 9), image('C', ['beta-3'], 8)];

  test('multiple rules, example A: an image selected by a higher-priority rule is never expired by a lower one (only A expires)', () => {
    const policy = policyJson(
      rule(1, { tagStatus: 'tagged', tagPrefixList: ['prod'], countType: 'imageCountMoreThan', countNumber: 1 }),
      rule(2, { tagStatus: 'tagged', tagPrefixList: ['beta'], countType: 'imageCountMoreThan', countNumber: 1 }),
    );
    const output = run(policy, repository);
    expect(output.previewResults.map((r) => [nameOf(r.imageDigest), r.appliedRulePriority])).toEqual([['A', 1]]);
  });

  test('multiple rules, example B: swapping priorities expires A and B', () => {
    const policy = policyJson(
      rule(1, { tagStatus: 'tagged', tagPrefixList: ['beta'], countType: 'imageCountMoreThan', countNumber: 1 }),
      rule(2, { tagStatus: 'tagged', tagPrefixList: ['prod'], countType: 'imageCountMoreThan', countNumber: 1 }),
    );
    expect(acted(run(policy, repository))).toEqual(['A', 'B']);
  });

  test('multiple tags in a single rule, example A: images must match every prefix (only C expires)', () => {
    const policy = policyJson(rule(1, { tagStatus: 'tagged', tagPrefixList: ['alpha', 'beta'], countType: 'sinceImagePushed', countNumber: 5, countUnit: 'days' }));
    const output = run(policy, [
      image('A', ['alpha-1'], 12), image('B', ['beta-1'], 11), image('C', ['alpha-2', 'beta-2'], 10),
      image('D', ['alpha-3'], 4), image('E', ['beta-3'], 3), image('F', ['alpha-4', 'beta-4'], 2),
    ]);
    expect(acted(output)).toEqual(['C']);
  });

  test('multiple tags in a single rule, example B: tags are not exclusive (A and B expire)', () => {
    const policy = policyJson(rule(1, { tagStatus: 'tagged', tagPrefixList: ['alpha', 'beta'], countType: 'imageCountMoreThan', countNumber: 1 }));
    const output = run(policy, [image('A', ['alpha-1', 'beta-1', 'gamma-1'], 10), image('B', ['alpha-2', 'beta-2'], 9), image('C', ['alpha-3', 'beta-3', 'gamma-2'], 8)]);
    expect(acted(output)).toEqual(['A', 'B']);
  });

  test('all images, example A: an any rule keeps only the newest image', () => {
    const policy = policyJson(rule(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }));
    const output = run(policy, [image('A', ['alpha-1'], 4), image('B', ['beta-1'], 3), image('C', [], 2), image('D', ['alpha-2'], 1)]);
    expect(acted(output)).toEqual(['A', 'B', 'C']);
  });

  test('all images, example B: tagged, untagged and any rules together expire A, B and D', () => {
    const policy = policyJson(
      rule(1, { tagStatus: 'tagged', tagPrefixList: ['alpha'], countType: 'imageCountMoreThan', countNumber: 1 }),
      rule(2, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }),
      rule(3, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }),
    );
    // The guide pushes D and E "1 day ago" and keeps E as the newest image: E is pushed a
    // little later here so that the example does not depend on a tie.
    const output = run(policy, [
      image('A', ['alpha-1', 'beta-1'], 4), image('B', [], 3), image('C', ['alpha-2'], 2),
      image('D', ['git hash'], 1), image('E', [], 0.9),
    ]);
    expect(output.previewResults.map((r) => [nameOf(r.imageDigest), r.appliedRulePriority])).toEqual([['A', 1], ['B', 2], ['D', 3]]);
    expect(output.summary).toEqual({ expiringImageTotalCount: 3 });
  });
});

describe('selection', () => {
  const only = (selection: Record<string, unknown>) => policyJson(rule(1, { ...selection, countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }));

  test.each<[string, Record<string, unknown>, string[], boolean]>([
    ['a prefix matches the start of a tag', { tagStatus: 'tagged', tagPrefixList: ['prod'] }, ['prod-1'], true],
    ['a prefix does not match inside a tag', { tagStatus: 'tagged', tagPrefixList: ['prod'] }, ['my-prod'], false],
    ['a pattern without * matches the whole tag only', { tagStatus: 'tagged', tagPatternList: ['prod'] }, ['prod-1'], false],
    ['a pattern without * matches an equal tag', { tagStatus: 'tagged', tagPatternList: ['prod'] }, ['prod'], true],
    ['a pattern is anchored at the end', { tagStatus: 'tagged', tagPatternList: ['*-arm64'] }, ['v1-arm64-debug'], false],
    ['* matches any run of characters', { tagStatus: 'tagged', tagPatternList: ['v*.*.*'] }, ['v10.2.33'], true],
    ['* matches an empty run', { tagStatus: 'tagged', tagPatternList: ['v*1'] }, ['v1'], true],
    ['middle parts must appear in order', { tagStatus: 'tagged', tagPatternList: ['*b*a*'] }, ['ab'], false],
    ['middle parts must not overlap the suffix', { tagStatus: 'tagged', tagPatternList: ['a*bc*c'] }, ['abc'], false],
    ['four wildcards', { tagStatus: 'tagged', tagPatternList: ['*test*1*2*'] }, ['my-test-1-2-x'], true],
    ['matching is case-sensitive', { tagStatus: 'tagged', tagPatternList: ['Prod*'] }, ['prod-1'], false],
    ['every entry of the list must match some tag (AND)', { tagStatus: 'tagged', tagPatternList: ['prod*', 'v*'] }, ['prod-1'], false],
    ['entries may match different tags', { tagStatus: 'tagged', tagPatternList: ['prod*', 'v*'] }, ['v1', 'prod-1'], true],
    ['a tagged rule never selects an untagged image', { tagStatus: 'tagged', tagPatternList: ['*'] }, [], false],
    ['an untagged rule never selects a tagged image', { tagStatus: 'untagged' }, ['v1'], false],
    ['an untagged rule selects an image without tags', { tagStatus: 'untagged' }, [], true],
    ['an any rule selects tagged images', { tagStatus: 'any' }, ['v1'], true],
  ])('%s', (_name, selection, tags, expected) => {
    expect(acted(run(only(selection), [image('x', tags, 2)]))).toEqual(expected ? ['x'] : []);
  });

  test('an empty imageTags array counts as untagged', () => {
    const output = run(only({ tagStatus: 'untagged' }), [{ imageDigest: 'sha256:x', imageTags: [], imagePushedAt: daysAgo(2) }]);
    expect(acted(output)).toEqual(['x']);
  });
});

describe('counting and claiming', () => {
  test('a protecting rule (imageCountMoreThan with a huge count) keeps matching images from every later rule', () => {
    const policy = LifecyclePolicy.combine(LifecyclePresets.protectTags(['prod']), LifecyclePresets.capTotal(1));
    const output = previewLifecyclePolicy(policy, [image('old-prod', ['prod'], 100), image('new', ['v2'], 1), image('older', ['v1'], 50)], NOW);
    expect(acted(output)).toEqual(['older']);
  });

  test('claimed images still count for lower-priority imageCountMoreThan rules', () => {
    const policy = LifecyclePolicy.fromRules([
      { tagStatus: LifecycleTagStatus.TAGGED, tagPatternList: ['prod'], countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 100 },
      { tagStatus: LifecycleTagStatus.ANY, countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 2 },
    ]);
    // Newest first: p1 (claimed by rule 1), p2 (claimed), a, b. Rule 2 keeps the first two it
    // sees (both claimed) and acts on a and b.
    const output = previewLifecyclePolicy(policy, [image('a', ['x'], 5), image('b', [], 6), image('p1', ['prod'], 1), image('p2', ['prod'], 2)], NOW);
    expect(acted(output)).toEqual(['a', 'b']);
  });

  test('a since* rule claims the images it selects even when they are too young to act on', () => {
    const policy = LifecyclePolicy.fromRules([
      { tagStatus: LifecycleTagStatus.TAGGED, tagPatternList: ['pr-*'], countType: CountType.SINCE_IMAGE_PUSHED, countNumber: 30 },
      { tagStatus: LifecycleTagStatus.ANY, countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 1 },
    ]);
    const output = previewLifecyclePolicy(policy, [image('new', ['v2'], 1), image('young-pr', ['pr-1'], 10), image('old-pr', ['pr-2'], 40)], NOW);
    expect(output.previewResults.map((r) => [nameOf(r.imageDigest), r.appliedRulePriority])).toEqual([['old-pr', 1]]);
  });

  test('equal push times: the image with the smaller digest counts as newer', () => {
    const policy = LifecyclePolicy.fromRules([{ tagStatus: LifecycleTagStatus.ANY, countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 1 }]);
    const output = previewLifecyclePolicy(policy, [image('bbb', [], 1), image('aaa', [], 1), image('ccc', [], 1)], NOW);
    expect(acted(output)).toEqual(['bbb', 'ccc']);
  });

  test('equal push times in a large repository (radix sort path) are also broken by digest', () => {
    const policy = LifecyclePolicy.fromRules([{ tagStatus: LifecycleTagStatus.ANY, countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 150 }]);
    const images = Array.from({ length: 200 }, (_, i) => image(`img-${String(199 - i).padStart(3, '0')}`, [], i < 100 ? 1 : 2));
    const output = previewLifecyclePolicy(policy, images, NOW);
    // Kept: all 100 pushed 1 day ago and the 50 smallest digests of those pushed 2 days ago.
    expect(acted(output)).toEqual(Array.from({ length: 50 }, (_, i) => `img-${String(50 + i).padStart(3, '0')}`));
  });

  test('large repositories (radix sort path) order push times one microsecond apart', () => {
    const policy = LifecyclePolicy.fromRules([{ tagStatus: LifecycleTagStatus.ANY, countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 10 }]);
    const images = Array.from({ length: 100 }, (_, i) => (i * 37) % 100).map((micros) => ({
      imageDigest: `sha256:${String(99 - micros).padStart(3, '0')}`, // newer images get smaller digests: ties would invert the order
      imagePushedAt: `2025-01-01T00:00:00.000${String(micros).padStart(3, '0')}+00:00`,
    }));
    const output = previewLifecyclePolicy(policy, images, NOW);
    expect(acted(output)).toEqual(Array.from({ length: 90 }, (_, i) => String(10 + i).padStart(3, '0')));
  });

  test('push times centuries apart (comparison sort fallback) keep the newest images', () => {
    const policy = LifecyclePolicy.fromRules([{ tagStatus: LifecycleTagStatus.ANY, countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 10 }]);
    const images = Array.from({ length: 100 }, (_, i) => (i * 37) % 100).map((age) => ({
      imageDigest: `sha256:${String(age).padStart(3, '0')}`,
      imagePushedAt: `${1700 + 3 * (99 - age)}-06-01T00:00:00Z`,
    }));
    expect(acted(previewLifecyclePolicy(policy, images, NOW))).toEqual(Array.from({ length: 90 }, (_, i) => String(10 + i).padStart(3, '0')));
  });

  test('images restored from archive count as new by their restore time', () => {
    const policy = LifecyclePolicy.fromRules([{ tagStatus: LifecycleTagStatus.ANY, countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 1 }]);
    const output = previewLifecyclePolicy(policy, [image('recent', [], 5), image('restored', [], 300, { lastActivatedAt: daysAgo(1), imageStatus: 'ACTIVE' })], NOW);
    expect(acted(output)).toEqual(['recent']);
  });
});

describe('ages', () => {
  const since = (countType: CountType, days: number, extra: Partial<LifecyclePolicyRule> = {}) => LifecyclePolicy.fromRules([
    { tagStatus: LifecycleTagStatus.ANY, countType, countNumber: days, ...extra },
  ]);

  test('images exactly N days old are not older than N days', () => {
    const output = previewLifecyclePolicy(since(CountType.SINCE_IMAGE_PUSHED, 14), [image('exact', [], 14), image('older', [], 14.0001)], NOW);
    expect(acted(output)).toEqual(['older']);
  });

  test('sinceImagePulled uses the last pull, else the push time, else the restore time when newer', () => {
    const policy = since(CountType.SINCE_IMAGE_PULLED, 30, { action: LifecycleAction.TRANSITION });
    const output = previewLifecyclePolicy(policy, [
      image('never-pulled-old', [], 40),
      image('never-pulled-new', [], 10),
      image('pulled-recently', [], 100, { lastRecordedPullTime: daysAgo(5) }),
      image('pulled-long-ago', [], 100, { lastRecordedPullTime: daysAgo(50) }),
      image('restored-not-pulled-since', [], 400, { lastRecordedPullTime: daysAgo(300), lastActivatedAt: daysAgo(2) }),
    ], NOW);
    expect(acted(output)).toEqual(['never-pulled-old', 'pulled-long-ago']);
    expect(output.previewResults[0].action).toEqual({ type: 'TRANSITION', targetStorageClass: 'ARCHIVE' });
    expect(output.summary).toEqual({ expiringImageTotalCount: 0, transitioningImageTotalCounts: [{ targetStorageClass: 'ARCHIVE', imageTotalCount: 2 }] });
  });

  test('sinceImagePushed uses the push time even for restored images', () => {
    const output = previewLifecyclePolicy(since(CountType.SINCE_IMAGE_PUSHED, 30), [image('restored', [], 60, { lastActivatedAt: daysAgo(1) })], NOW);
    expect(acted(output)).toEqual(['restored']);
  });
});

describe('storage classes', () => {
  const policy = LifecyclePolicy.combine(
    LifecyclePolicy.fromRules([{ tagStatus: LifecycleTagStatus.ANY, countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 1 }]),
    LifecyclePolicy.fromRules([
      { tagStatus: LifecycleTagStatus.ANY, storageClass: StorageClass.ARCHIVE, countType: CountType.SINCE_IMAGE_TRANSITIONED, countNumber: 90 },
    ]),
  );

  test('standard rules see only active images and archive rules only archived ones', () => {
    const output = previewLifecyclePolicy(policy, [
      image('active-new', [], 1, { imageStatus: 'ACTIVE' }),
      image('active-old', [], 10),
      image('archived-long-ago', [], 500, { imageStatus: 'ARCHIVED', lastArchivedAt: daysAgo(100) }),
      image('archived-recently', [], 2, { imageStatus: 'ARCHIVED', lastArchivedAt: daysAgo(30) }),
      image('archived-unknown-time', [], 900, { imageStatus: 'ARCHIVED' }),
    ], NOW);
    expect(output.previewResults.map((r) => [nameOf(r.imageDigest), r.appliedRulePriority, r.storageClass])).toEqual([
      ['active-old', 1, 'STANDARD'],
      ['archived-long-ago', 2, 'ARCHIVE'],
    ]);
  });

  test('archive and standard untagged/any rules are independent per storage class', () => {
    expect(policy.validate()).toEqual([]);
  });
});

describe('output', () => {
  test('results are shaped like get-lifecycle-policy-preview and pass timestamps and tags through', () => {
    const policy = LifecyclePolicy.fromRules([{ tagStatus: LifecycleTagStatus.ANY, countType: CountType.SINCE_IMAGE_PUSHED, countNumber: 1 }]);
    const pushedEpochSeconds = (NOW - 3 * DAY) / 1000 + 0.123456;
    const output = previewLifecyclePolicy(policy, [
      { imageDigest: 'sha256:t', imageTags: ['v1'], imagePushedAt: pushedEpochSeconds, imageSizeInBytes: 10 },
      { imageDigest: 'sha256:u', imagePushedAt: '2025-01-01T00:00:00.000000+00:00' },
    ], NOW);
    expect(output).toEqual({
      previewResults: [
        { imageDigest: 'sha256:t', imageTags: ['v1'], imagePushedAt: pushedEpochSeconds, action: { type: 'EXPIRE' }, appliedRulePriority: 1, storageClass: 'STANDARD' },
        { imageDigest: 'sha256:u', imagePushedAt: '2025-01-01T00:00:00.000000+00:00', action: { type: 'EXPIRE' }, appliedRulePriority: 1, storageClass: 'STANDARD' },
      ],
      summary: { expiringImageTotalCount: 2 },
    });
    expect('transitioningImageTotalCounts' in output.summary).toBe(false);
  });

  test('results are grouped by rule priority and keep the input order within a rule', () => {
    const policy = LifecyclePolicy.fromRules([
      { tagStatus: LifecycleTagStatus.UNTAGGED, countType: CountType.SINCE_IMAGE_PUSHED, countNumber: 1 },
      { tagStatus: LifecycleTagStatus.ANY, countType: CountType.SINCE_IMAGE_PUSHED, countNumber: 1 },
    ]);
    const output = previewLifecyclePolicy(policy, [image('t1', ['a'], 5), image('u1', [], 9), image('t2', ['b'], 7), image('u2', [], 3)], NOW);
    expect(output.previewResults.map((r) => [nameOf(r.imageDigest), r.appliedRulePriority])).toEqual([['u1', 1], ['u2', 1], ['t1', 2], ['t2', 2]]);
  });

  test('images nothing acts on are left out, and an empty repository gives an empty preview', () => {
    const output = previewLifecyclePolicy(LifecyclePolicy.recommended(), { imageDetails: [] }, NOW);
    expect(output).toEqual({ previewResults: [], summary: { expiringImageTotalCount: 0 } });
  });

  test('the images may be given as the imageDetails array and now as a Date, epoch ms or ISO text', () => {
    const images = [image('old', [], 20)];
    for (const now of [new Date(NOW), NOW, new Date(NOW).toISOString()]) {
      expect(acted(previewLifecyclePolicy(LifecyclePolicy.recommended(), images, now))).toEqual(['old']);
    }
  });

  test('without now, the current time is used', () => {
    const output = previewLifecyclePolicy(LifecyclePolicy.recommended(), [{ imageDigest: 'sha256:x', imagePushedAt: new Date(Date.now() - 20 * DAY).toISOString() }]);
    expect(output.summary.expiringImageTotalCount).toBe(1);
  });

  test('LifecyclePolicy.preview takes and returns JSON text (jsii-friendly)', () => {
    const json = LifecyclePolicy.recommended().preview(JSON.stringify({ imageDetails: [image('old', [], 20)] }), new Date(NOW).toISOString());
    expect(JSON.parse(json).summary).toEqual({ expiringImageTotalCount: 1 });
    expect(() => LifecyclePolicy.recommended().preview('{oops')).toThrow('Images are not valid JSON');
  });
});

describe('errors', () => {
  test.each<[string, unknown, string]>([
    ['not describe-images output', { images: [] }, 'an object with an "imageDetails" array'],
    ['an image without digest', { imageDetails: [{ imagePushedAt: daysAgo(1) }] }, 'imageDetails[0] has no imageDigest string'],
    ['an image without push time', { imageDetails: [{ imageDigest: 'sha256:x' }] }, 'imageDetails[0] (sha256:x) has no imagePushedAt'],
    ['an unreadable push time', { imageDetails: [{ imageDigest: 'sha256:x', imagePushedAt: 'yesterday' }] }, 'imagePushedAt "yesterday" is not a timestamp'],
    ['an unreadable restore time', { imageDetails: [{ imageDigest: 'sha256:x', imagePushedAt: daysAgo(1), lastActivatedAt: 'soon' }] }, 'lastActivatedAt "soon" is not a timestamp'],
    ['tags that are not a list', { imageDetails: [{ imageDigest: 'sha256:x', imagePushedAt: daysAgo(1), imageTags: 'v1' }] }, 'imageTags must be an array of strings'],
  ])('given %s, when previewed, then it throws', (_name, images, message) => {
    expect(() => previewLifecyclePolicy(LifecyclePolicy.recommended(), images as never, NOW)).toThrow(message);
  });

  test('given an unreadable pull time that a rule needs, when previewed, then it throws', () => {
    const policy = LifecyclePresets.archiveUnpulled(30);
    const images = [{ imageDigest: 'sha256:x', imageTags: ['v1'], imagePushedAt: daysAgo(1), lastRecordedPullTime: 'soon' }];
    expect(() => previewLifecyclePolicy(policy, images, NOW)).toThrow('imageDetails[0] (sha256:x): lastRecordedPullTime "soon" is not a timestamp');
  });

  test('given an unreadable pull time that no rule needs, when previewed, then it is not read', () => {
    const images = [{ imageDigest: 'sha256:x', imagePushedAt: daysAgo(20), lastRecordedPullTime: 'soon' }];
    expect(acted(previewLifecyclePolicy(LifecyclePolicy.recommended(), images, NOW))).toEqual(['x']);
  });

  test('given an invalid policy, when previewed, then it throws listing the problems', () => {
    const policy = LifecyclePolicy.fromRules([{ tagStatus: LifecycleTagStatus.TAGGED, countType: CountType.SINCE_IMAGE_PULLED, countNumber: 0 }]);
    expect(() => previewLifecyclePolicy(policy, [], NOW)).toThrow(/Cannot preview an invalid lifecycle policy:\n- rules\[0\] \(rulePriority 1\): countNumber 0/);
  });

  test('given an invalid now, when previewed, then it throws', () => {
    expect(() => previewLifecyclePolicy(LifecyclePolicy.recommended(), [], 'someday')).toThrow('"now" is not a valid time: someday');
  });
});
