/* eslint-disable no-bitwise -- bit masks, radix digits and digit range checks in hot loops; see the comments at each use */
import { Lazy, Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { PrivateRepository } from '../../src';
import { CountType, LifecycleAction, LifecyclePolicy, LifecyclePresets, LifecyclePolicyRule, StorageClass, LifecycleTagStatus } from '../../src/lifecycle';
import { DescribedImage, previewLifecyclePolicy } from '../../src/lifecycle/preview';
import { parseTimestamp } from '../../src/lifecycle/timestamp';
import { SYNTH_VALIDATION_ERROR, UNTYPED_VALUES, VALIDATION_ERROR } from '../util/fuzz';
import { strictStack, synthesize } from '../util/harness';

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 1);
// `npm run fuzz` runs 10,000 inputs per property: give each property time for that.
const TIMEOUT = Math.max(120_000, RUNS * 60);

// ---------------------------------------------------------------------------------------
// Generators of valid policies (by construction, following the ECR rules).
// ---------------------------------------------------------------------------------------

const prefixArb = fc.constantFrom('v', 'p', 'prod', 'b', 'a-', 'x', 'v1.');
const patternArb = fc.constantFrom('v*', '*1', 'prod*', '*-*', 'p*d*', 'x', '*', 'v1.*', 'a*b*c*d', '*.*.*', 'prod');
const descriptionArb = fc.option(fc.string({ maxLength: 20 }), { nil: undefined });

const tagListArb = fc.oneof(
  fc.uniqueArray(prefixArb, { minLength: 1, maxLength: 2 }).map((tagPrefixList) => ({ tagPrefixList })),
  fc.uniqueArray(patternArb, { minLength: 1, maxLength: 2 }).map((tagPatternList) => ({ tagPatternList })),
);

/** countType/action pairs ECR accepts on the standard storage class. */
const standardCountArb = fc.oneof(
  fc.record({ countType: fc.constant(CountType.IMAGE_COUNT_MORE_THAN), action: fc.constantFrom(undefined, ...Object.values(LifecycleAction)) }),
  fc.record({ countType: fc.constant(CountType.SINCE_IMAGE_PUSHED), action: fc.constantFrom(undefined, ...Object.values(LifecycleAction)) }),
  fc.record({ countType: fc.constant(CountType.SINCE_IMAGE_PULLED), action: fc.constant(LifecycleAction.TRANSITION) }),
);

function clean(rule: Record<string, unknown>): LifecyclePolicyRule {
  return Object.fromEntries(Object.entries(rule).filter(([, value]) => value !== undefined)) as unknown as LifecyclePolicyRule;
}

const standardRuleArb = (tagStatus: LifecycleTagStatus) => fc.record({
  description: descriptionArb,
  list: tagStatus === LifecycleTagStatus.TAGGED ? tagListArb : fc.constant({}),
  count: standardCountArb,
  countNumber: fc.integer({ min: 1, max: 40 }),
}).map(({ description, list, count, countNumber }) => clean({ description, tagStatus, ...list, ...count, countNumber }));

const archiveRuleArb = (tagStatus: LifecycleTagStatus) => fc.record({
  description: descriptionArb,
  list: tagStatus === LifecycleTagStatus.TAGGED ? tagListArb : fc.constant({}),
  countNumber: fc.integer({ min: 90, max: 400 }),
  explicitExpire: fc.boolean(),
}).map(({ description, list, countNumber, explicitExpire }) => clean({
  description,
  tagStatus,
  ...list,
  storageClass: StorageClass.ARCHIVE,
  countType: CountType.SINCE_IMAGE_TRANSITIONED,
  countNumber,
  action: explicitExpire ? LifecycleAction.EXPIRE : undefined,
}));

/** Rules of a valid policy, without priorities (assigned automatically). */
const validRulesArb: fc.Arbitrary<LifecyclePolicyRule[]> = fc.record({
  tagged: fc.array(standardRuleArb(LifecycleTagStatus.TAGGED), { maxLength: 6 }),
  untagged: fc.option(standardRuleArb(LifecycleTagStatus.UNTAGGED), { nil: undefined }),
  any: fc.option(standardRuleArb(LifecycleTagStatus.ANY), { nil: undefined }),
  archiveTagged: fc.array(archiveRuleArb(LifecycleTagStatus.TAGGED), { maxLength: 2 }),
  archiveUntagged: fc.option(archiveRuleArb(LifecycleTagStatus.UNTAGGED), { nil: undefined }),
  archiveAny: fc.option(archiveRuleArb(LifecycleTagStatus.ANY), { nil: undefined }),
  seed: fc.integer(),
}).map(({ tagged, untagged, any, archiveTagged, archiveUntagged, archiveAny, seed }) => {
  const rules = [...tagged, ...archiveTagged];
  if (untagged) rules.push(untagged);
  if (archiveUntagged) rules.push(archiveUntagged);
  if (any) rules.push(any);
  if (archiveAny) rules.push(archiveAny);
  // Deterministic shuffle: automatic priorities put `any` rules last whatever the order.
  let state = seed >>> 0;
  for (let i = rules.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const j = state % (i + 1);
    [rules[i], rules[j]] = [rules[j], rules[i]];
  }
  return rules;
}).filter((rules) => rules.length > 0);

// ---------------------------------------------------------------------------------------
// Generators of repositories.
// ---------------------------------------------------------------------------------------

const tagArb = fc.constantFrom('v1', 'v1.2', 'v1.2.3', 'prod', 'prod-1', 'beta', 'a-b', 'x', 'pxd', 'aXbYcZd', 'V1');
const timeArb = fc.integer({ min: 0, max: 400 }).map((days) => NOW - days * DAY); // coarse, so ties happen
const optionalTimeArb = fc.option(timeArb, { nil: undefined });

/** Repositories of minLength..maxLength images; 64 or more takes the engine's radix sort path. */
const imagesOf = (minLength: number, maxLength: number): fc.Arbitrary<DescribedImage[]> => fc.array(fc.record({
  tags: fc.uniqueArray(tagArb, { maxLength: 3 }),
  pushed: timeArb,
  pulled: optionalTimeArb,
  activated: optionalTimeArb,
  archived: fc.boolean(),
  archivedAt: optionalTimeArb,
  epochSeconds: fc.boolean(),
}), { minLength, maxLength }).map((specs) => specs.map((spec, index) => {
  const stamp = (ms: number) => (spec.epochSeconds ? ms / 1000 : new Date(ms).toISOString());
  const image: Record<string, unknown> = { imageDigest: `sha256:${(index * 7919 % 1000).toString().padStart(4, '0')}-${index}`, imagePushedAt: stamp(spec.pushed) };
  if (spec.tags.length > 0) image.imageTags = spec.tags;
  if (spec.pulled !== undefined) image.lastRecordedPullTime = stamp(spec.pulled);
  if (spec.activated !== undefined) image.lastActivatedAt = stamp(spec.activated);
  if (spec.archived) {
    image.imageStatus = 'ARCHIVED';
    if (spec.archivedAt !== undefined) image.lastArchivedAt = stamp(spec.archivedAt);
  } else {
    image.imageStatus = 'ACTIVE';
  }
  return image as unknown as DescribedImage;
}));
const imagesArb = fc.oneof(imagesOf(0, 20), imagesOf(64, 200));

// ---------------------------------------------------------------------------------------
// A deliberately naive reference model, written from the ECR User Guide's description
// (rule by rule, regular expressions, full sorts), to check the fast engine against.
// ---------------------------------------------------------------------------------------

const regexes = new Map<string, RegExp>();
function patternRegex(pattern: string): RegExp {
  const cached = regexes.get(pattern);
  if (cached) return cached;
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  regexes.set(pattern, regex);
  return regex;
}

function selects(rule: LifecyclePolicyRule, tags: string[]): boolean {
  if (rule.tagStatus === LifecycleTagStatus.ANY) return true;
  if (rule.tagStatus === LifecycleTagStatus.UNTAGGED) return tags.length === 0;
  if (tags.length === 0) return false;
  if (rule.tagPrefixList) return rule.tagPrefixList.every((prefix) => tags.some((tag) => tag.startsWith(prefix)));
  return rule.tagPatternList!.every((pattern) => tags.some((tag) => patternRegex(pattern).test(tag)));
}

function referencePreview(policy: LifecyclePolicy, images: DescribedImage[], now: number): Set<string> {
  const time = (value: unknown) => parseTimestamp(value);
  const storageOf = (image: DescribedImage) => (image.imageStatus === 'ARCHIVED' ? StorageClass.ARCHIVE : StorageClass.STANDARD);
  const times = new Map(images.map((image) => [image, {
    count: time(image.lastActivatedAt) ?? time(image.imagePushedAt)!,
    pushed: time(image.imagePushedAt)!,
    pulled: Math.max(time(image.imagePushedAt)!, time(image.lastRecordedPullTime) ?? -Infinity, time(image.lastActivatedAt) ?? -Infinity),
    archived: time(image.lastArchivedAt) ?? NaN,
  }]));
  const countTime = (image: DescribedImage) => times.get(image)!.count;
  const pullTime = (image: DescribedImage) => times.get(image)!.pulled;
  const claimed = new Set<string>();
  const results = new Set<string>();
  for (const rule of policy.rules) {
    const ruleStorage = rule.storageClass ?? StorageClass.STANDARD;
    const selected = images.filter((image) => storageOf(image) === ruleStorage && selects(rule, image.imageTags ?? []));
    let acting: DescribedImage[];
    if (rule.countType === CountType.IMAGE_COUNT_MORE_THAN) {
      acting = [...selected].sort((a, b) => countTime(b) - countTime(a) || (a.imageDigest < b.imageDigest ? -1 : 1)).slice(rule.countNumber);
    } else {
      const clock = rule.countType === CountType.SINCE_IMAGE_PUSHED ? (image: DescribedImage) => times.get(image)!.pushed
        : rule.countType === CountType.SINCE_IMAGE_PULLED ? pullTime : (image: DescribedImage) => times.get(image)!.archived;
      acting = selected.filter((image) => now - clock(image) > rule.countNumber * DAY);
    }
    const type = rule.action === LifecycleAction.TRANSITION ? 'TRANSITION' : 'EXPIRE';
    for (const image of acting) {
      if (!claimed.has(image.imageDigest)) results.add(`${image.imageDigest}|${rule.rulePriority}|${type}`);
    }
    for (const image of selected) claimed.add(image.imageDigest);
  }
  return results;
}

// ---------------------------------------------------------------------------------------
// Properties.
// ---------------------------------------------------------------------------------------

describe('lifecycle policy properties', () => {
  test('render -> parse -> render is stable', () => {
    fc.assert(fc.property(validRulesArb, (rules) => {
      const policy = LifecyclePolicy.fromRules(rules);
      const reparsed = LifecyclePolicy.fromJson(policy.toJson());
      expect(reparsed.toJson()).toBe(policy.toJson());
      const withDefaults = (all: LifecyclePolicyRule[]) => all.map((rule) => ({ ...rule, action: rule.action ?? LifecycleAction.EXPIRE }));
      expect(withDefaults(reparsed.rules)).toEqual(withDefaults(policy.rules));
    }), { numRuns: RUNS });
  }, TIMEOUT);

  test('random valid policies validate', () => {
    fc.assert(fc.property(validRulesArb, (rules) => {
      expect(LifecyclePolicy.fromRules(rules).validate()).toEqual([]);
    }), { numRuns: RUNS });
  }, TIMEOUT);

  interface Mutation {
    readonly name: string;
    /** Index of the rule to change, or -1 when the mutation does not apply. */
    readonly applies: (rules: LifecyclePolicyRule[]) => number;
    readonly apply: (rules: LifecyclePolicyRule[], index: number) => LifecyclePolicyRule[];
    readonly message: string;
  }
  const untaggedRule = (countNumber: number): LifecyclePolicyRule =>
    ({ tagStatus: LifecycleTagStatus.UNTAGGED, countType: CountType.SINCE_IMAGE_PUSHED, countNumber });
  const replace = (rules: LifecyclePolicyRule[], index: number, changes: Partial<LifecyclePolicyRule>) =>
    rules.map((rule, i) => (i === index ? clean({ ...rule, ...changes }) : rule));
  const first = (predicate: (rule: LifecyclePolicyRule) => boolean) => (rules: LifecyclePolicyRule[]) => rules.findIndex(predicate);
  const isTagged = (rule: LifecyclePolicyRule) => rule.tagStatus === LifecycleTagStatus.TAGGED;
  const isStandard = (rule: LifecyclePolicyRule) => (rule.storageClass ?? StorageClass.STANDARD) === StorageClass.STANDARD;

  const mutations: Mutation[] = [
    { name: 'countNumber 0', applies: () => 0, apply: (rules, i) => replace(rules, i, { countNumber: 0 }), message: 'is not an integer of at least 1' },
    { name: 'fractional countNumber', applies: () => 0, apply: (rules, i) => replace(rules, i, { countNumber: 1.25 }), message: 'is not an integer of at least 1' },
    { name: 'negative priority', applies: () => 0, apply: (rules, i) => replace(rules, i, { rulePriority: -1 }), message: 'is not a positive integer' },
    { name: 'both lists', applies: first(isTagged), apply: (rules, i) => replace(rules, i, { tagPrefixList: ['v'], tagPatternList: ['v*'] }), message: 'but both are set' },
    { name: 'no list', applies: first(isTagged), apply: (rules, i) => replace(rules, i, { tagPrefixList: undefined, tagPatternList: undefined }), message: 'but neither is set' },
    { name: 'five wildcards', applies: first(isTagged), apply: (rules, i) => replace(rules, i, { tagPrefixList: undefined, tagPatternList: ['*a*b*c*d*'] }), message: 'ECR allows at most 4' },
    { name: 'list on untagged', applies: first((rule) => rule.tagStatus === LifecycleTagStatus.UNTAGGED), apply: (rules, i) => replace(rules, i, { tagPatternList: ['v*'] }), message: 'takes no tagPrefixList or tagPatternList' },
    { name: 'duplicate priority', applies: (rules) => (rules.length >= 2 ? 0 : -1), apply: (rules) => rules.map((rule, i) => (i < 2 ? { ...rule, rulePriority: 7 } : rule)), message: 'is also used by' },
    {
      name: 'second untagged rule',
      applies: () => 0,
      apply: (rules) => [...rules, untaggedRule(3), untaggedRule(4)],
      message: 'only one rule per storage class may select untagged images',
    },
    {
      name: 'any rule first',
      applies: first((rule) => isStandard(rule) && rule.tagStatus !== LifecycleTagStatus.ANY),
      apply: (rules) => [
        { rulePriority: 1, tagStatus: LifecycleTagStatus.ANY, countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 5 },
        ...rules.filter((rule) => !(isStandard(rule) && rule.tagStatus === LifecycleTagStatus.ANY)),
      ],
      message: 'must have the highest rulePriority in the standard storage class',
    },
    { name: 'pulled expire', applies: first(isStandard), apply: (rules, i) => replace(rules, i, { countType: CountType.SINCE_IMAGE_PULLED, action: LifecycleAction.EXPIRE }), message: 'sinceImagePulled rules can only transition' },
    { name: 'archive count rule', applies: first(isStandard), apply: (rules, i) => replace(rules, i, { storageClass: StorageClass.ARCHIVE, countType: CountType.IMAGE_COUNT_MORE_THAN }), message: 'archive storage class can only be selected with countType sinceImageTransitioned' },
    { name: 'transitioned on standard', applies: first((rule) => !isStandard(rule)), apply: (rules, i) => replace(rules, i, { storageClass: undefined }), message: 'set storageClass to archive' },
    { name: 'transition archived', applies: first((rule) => !isStandard(rule)), apply: (rules, i) => replace(rules, i, { action: LifecycleAction.TRANSITION }), message: 'sinceImageTransitioned rules can only expire images' },
    { name: 'archived under 90 days', applies: first((rule) => !isStandard(rule)), apply: (rules, i) => replace(rules, i, { countNumber: 89 }), message: 'at least 90 days' },
    {
      name: 'too many rules',
      applies: () => 0,
      apply: (rules) => [...rules, ...Array.from({ length: 51 }, (_, i) => ({ tagStatus: LifecycleTagStatus.TAGGED, tagPrefixList: [`r${i}`], countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 1 }))],
      message: 'ECR allows at most 50',
    },
  ];

  test('random single-constraint violations are rejected with the matching message', () => {
    fc.assert(fc.property(validRulesArb, fc.constantFrom(...mutations), (rules, mutation) => {
      const index = mutation.applies(rules);
      fc.pre(index >= 0);
      const problems = LifecyclePolicy.fromRules(mutation.apply(rules, index)).validate();
      expect(problems.join('\n')).toContain(mutation.message);
    }), { numRuns: RUNS * 3 });
  }, TIMEOUT);

  /**
   * The same rules with some values known only at synth: each bit of `mask` makes one kind of
   * value Lazy (descriptions, counts, whole tag lists, tag list entries).
   */
  const lazify = (rules: LifecyclePolicyRule[], mask: number): LifecyclePolicyRule[] => rules.map((rule, i) => {
    const on = (bit: number) => ((mask >>> ((i * 4 + bit) % 31)) & 1) === 1;
    const out: Record<string, unknown> = { ...rule };
    if (on(0) && rule.description !== undefined) out.description = Lazy.string({ produce: () => rule.description });
    if (on(1)) out.countNumber = Lazy.number({ produce: () => rule.countNumber });
    for (const key of ['tagPrefixList', 'tagPatternList'] as const) {
      const list = rule[key];
      if (list === undefined) continue;
      if (on(2)) out[key] = Lazy.list({ produce: () => list });
      else if (on(3)) out[key] = list.map((entry) => Lazy.string({ produce: () => entry }));
    }
    return out as unknown as LifecyclePolicyRule;
  });

  test('Lazy values render, at synth, exactly the text of the same policy with literal values', () => {
    fc.assert(fc.property(validRulesArb, fc.integer(), fc.string({ maxLength: 12 }), (rules, mask, text) => {
      // Descriptions with quotes, backslashes and control characters must stay JSON.
      const withText = rules.map((rule, i) => (i === 0 ? { ...rule, description: `${text}"\\\u0000` } : rule));
      const literal = LifecyclePolicy.fromRules(withText).toJson();
      const lazy = LifecyclePolicy.fromRules(lazify(withText, mask)).toJson();
      expect(new Stack().resolve(lazy)).toBe(literal);
    }), { numRuns: RUNS });
  }, TIMEOUT);

  test('single-constraint violations hidden in Lazy values are refused at synth with the matching message', () => {
    fc.assert(fc.property(validRulesArb, fc.constantFrom(...mutations), fc.integer(), (rules, mutation, mask) => {
      const index = mutation.applies(rules);
      fc.pre(index >= 0);
      const stack = strictStack();
      let message = '';
      try {
        new PrivateRepository(stack, 'Repo', { lifecyclePolicy: LifecyclePolicy.fromRules(lazify(mutation.apply(rules, index), mask)) });
        synthesize(stack.node.root as any);
      } catch (e) {
        message = (e as Error).message;
        expect(e).not.toBeInstanceOf(TypeError);
        expect(VALIDATION_ERROR.test(message) || SYNTH_VALIDATION_ERROR.test(message)).toBe(true);
      }
      expect(message).toContain(mutation.message);
    }), { numRuns: RUNS });
  }, TIMEOUT);

  test('untyped callers: a rule, a field or a list entry of the wrong type is a clear error or a reported problem, never a TypeError or JSON null', () => {
    const keys = ['rulePriority', 'description', 'tagStatus', 'tagPrefixList', 'tagPatternList', 'storageClass', 'countType', 'countNumber', 'action'];
    const wrong = fc.constantFrom(...UNTYPED_VALUES, 'TAGGED', 'Expire', '5', [null]);
    fc.assert(fc.property(validRulesArb, fc.nat(), fc.constantFrom('rule', 'field', 'entry', 'list'), fc.constantFrom(...keys), wrong, (rules, at, where, key, value) => {
      const i = at % rules.length;
      const broken: any[] = rules.map((rule) => ({ ...rule }));
      if (where === 'rule') {
        broken[i] = value;
      } else if (where === 'field') {
        broken[i][key] = value;
      } else if (where === 'entry') {
        const list = key === 'tagPatternList' ? 'tagPatternList' : 'tagPrefixList';
        broken[i][list] = [...(broken[i][list] ?? ['v']), value];
      }
      let policy: LifecyclePolicy;
      try {
        policy = LifecyclePolicy.fromRules(where === 'list' ? value as any : broken);
      } catch (e) {
        expect(e).not.toBeInstanceOf(TypeError);
        expect((e as Error).message).toMatch(VALIDATION_ERROR);
        return;
      }
      const problems = policy.validate();
      problems.forEach((p) => expect(typeof p).toBe('string'));
      if (problems.length === 0) {
        const text = policy.toJson();
        expect(text).not.toContain('null');
        expect(LifecyclePolicy.fromJson(text).toJson()).toBe(text);
      }
    }), { numRuns: RUNS * 3 });
  }, TIMEOUT);

  test('untyped callers: preset arguments of the wrong type are a clear error', () => {
    const arg = fc.oneof(fc.integer({ min: -2, max: 400 }), fc.constantFrom(...UNTYPED_VALUES, '7', ['v*'], ['v*', null], [3]));
    const presets = ['keepLastReleases', 'expireUntagged', 'protectTags', 'archiveUnpulled', 'capTotal'] as const;
    fc.assert(fc.property(fc.constantFrom(...presets), arg, arg, (preset, a, b) => {
      let policy: LifecyclePolicy;
      try {
        policy = (LifecyclePresets as any)[preset](a, b);
      } catch (e) {
        expect(e).not.toBeInstanceOf(TypeError);
        expect((e as Error).message).toMatch(new RegExp(`^LifecyclePresets\\.${preset}: `));
        return;
      }
      expect(policy.validate()).toEqual([]);
    }), { numRuns: RUNS * 3 });
  }, TIMEOUT);

  test('the preview matches the reference model, never acts twice, respects claims and never expires under a transition rule', () => {
    fc.assert(fc.property(validRulesArb, imagesArb, (rules, images) => {
      const policy = LifecyclePolicy.fromRules(rules);
      const output = previewLifecyclePolicy(policy, { imageDetails: images }, NOW);
      const byPriority = new Map(policy.rules.map((rule) => [rule.rulePriority!, rule]));
      const byDigest = new Map(images.map((image) => [image.imageDigest, image]));

      // Never acts on an image twice.
      const digests = output.previewResults.map((result) => result.imageDigest);
      expect(new Set(digests).size).toBe(digests.length);

      for (const result of output.previewResults) {
        const rule = byPriority.get(result.appliedRulePriority)!;
        const image = byDigest.get(result.imageDigest)!;
        const storage = image.imageStatus === 'ARCHIVED' ? StorageClass.ARCHIVE : StorageClass.STANDARD;
        // The acting rule selects the image, in its storage class.
        expect(rule.storageClass ?? StorageClass.STANDARD).toBe(storage);
        expect(selects(rule, image.imageTags ?? [])).toBe(true);
        // No higher-priority rule of that storage class selects (claims) the image.
        for (const other of policy.rules) {
          if (other.rulePriority! < rule.rulePriority! && (other.storageClass ?? StorageClass.STANDARD) === storage) {
            expect(selects(other, image.imageTags ?? [])).toBe(false);
          }
        }
        // A transition rule never expires; an expire rule never transitions.
        expect(result.action.type).toBe(rule.action === LifecycleAction.TRANSITION ? 'TRANSITION' : 'EXPIRE');
        expect(result.storageClass).toBe(storage === StorageClass.ARCHIVE ? 'ARCHIVE' : 'STANDARD');
      }

      // Same decisions as the naive reference model.
      const actual = new Set(output.previewResults.map((r) => `${r.imageDigest}|${r.appliedRulePriority}|${r.action.type}`));
      expect([...actual].sort()).toEqual([...referencePreview(policy, images, NOW)].sort());

      // The summary adds up.
      const expiring = output.previewResults.filter((r) => r.action.type === 'EXPIRE').length;
      expect(output.summary.expiringImageTotalCount).toBe(expiring);
      const transitioning = output.previewResults.length - expiring;
      expect(output.summary.transitioningImageTotalCounts).toEqual(transitioning > 0 ? [{ targetStorageClass: 'ARCHIVE', imageTotalCount: transitioning }] : undefined);
    }), { numRuns: RUNS });
  }, TIMEOUT);
});
