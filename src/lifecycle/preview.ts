import { CountType, LifecycleAction, StorageClass, TagStatus } from './enums';
import { LifecycleRule } from './rule';
import { parseTimestamp } from './timestamp';

/*
 * Offline lifecycle policy preview: what ECR would do to a repository's images.
 *
 * Evaluation as the ECR User Guide states it ("How lifecycle policies work", "Lifecycle
 * policy properties", "Examples of lifecycle policies"):
 * - every rule is evaluated independently, then rules are applied by priority, lowest first;
 * - an image is acted on by exactly one or zero rules: the first rule (by priority) whose
 *   selection matches it claims it, whether or not that rule acts on it; lower-priority rules
 *   never act on a claimed image but still count it for imageCountMoreThan;
 * - a tagged rule matches when every prefix/pattern of its list matches at least one tag;
 *   a prefix matches the start of a tag, a pattern the whole tag, `*` any run of characters;
 * - imageCountMoreThan sorts the selected images newest first (push time, or restore time
 *   for images restored from archive) and acts on every image after the first countNumber;
 * - since* acts on images strictly older than countNumber days: by push time, by last pull
 *   (push time if never pulled; restore time if restored and not pulled since), by archive time;
 * - rules only see images of their storage class (imageStatus ARCHIVED = archive, else standard).
 *
 * Choices where the docs are silent (tested in test/lifecycle/preview.test.ts):
 * - equal sort times: the image with the smaller digest (string order) counts as newer;
 * - tags match case-sensitively (ECR tags are case-sensitive);
 * - an archived image without lastArchivedAt is never old enough for sinceImageTransitioned;
 * - sinceImagePushed uses imagePushedAt even for restored images;
 * - results are ordered by appliedRulePriority, then newest first (as the rule sorted them);
 *   imagePushedAt and imageTags are passed through as given (tags omitted for untagged images);
 * - summary.transitioningImageTotalCounts is present only when something transitions, as in
 *   the API reference of LifecyclePolicyPreviewSummary;
 * - "an image referenced by a manifest list is not acted on before the manifest list" is not
 *   modelled: describe-images does not say which images a manifest list references.
 *
 * Performance: timestamps are parsed once into typed arrays, images are sorted once, each
 * image is then tested against the rules in priority order with precompiled matchers (no
 * regular expressions, no per-image allocation besides the result objects).
 */

/** A timestamp as describe-images prints it: ISO-8601 string or epoch seconds. */
export type DescribeImagesTimestamp = string | number | Date;

/** One entry of `imageDetails` in the output of `aws ecr describe-images`. */
export interface DescribedImage {
  readonly imageDigest: string;
  readonly imageTags?: string[];
  readonly imagePushedAt: DescribeImagesTimestamp;
  readonly lastRecordedPullTime?: DescribeImagesTimestamp;
  readonly imageStatus?: string;
  readonly lastArchivedAt?: DescribeImagesTimestamp;
  readonly lastActivatedAt?: DescribeImagesTimestamp;
  readonly [key: string]: unknown;
}

/** The output of `aws ecr describe-images` (all pages concatenated). */
export interface DescribeImagesOutput {
  readonly imageDetails: DescribedImage[];
}

/** The action of one preview result, as GetLifecyclePolicyPreview reports it. */
export interface PreviewAction {
  readonly type: 'EXPIRE' | 'TRANSITION';
  readonly targetStorageClass?: 'ARCHIVE';
}

/** One image a rule acts on, shaped like LifecyclePolicyPreviewResult. */
export interface PreviewResult {
  readonly imageDigest: string;
  readonly imageTags?: string[];
  readonly imagePushedAt: DescribeImagesTimestamp;
  readonly action: PreviewAction;
  readonly appliedRulePriority: number;
  readonly storageClass: 'STANDARD' | 'ARCHIVE';
}

/** Shaped like LifecyclePolicyPreviewSummary. */
export interface PreviewSummary {
  readonly expiringImageTotalCount: number;
  readonly transitioningImageTotalCounts?: Array<{ readonly targetStorageClass: 'ARCHIVE'; readonly imageTotalCount: number }>;
}

/** Shaped like the output of `aws ecr get-lifecycle-policy-preview` (without paging or status). */
export interface PreviewOutput {
  readonly previewResults: PreviewResult[];
  readonly summary: PreviewSummary;
}

/** What previewLifecyclePolicy needs of a policy (LifecyclePolicy satisfies it). */
export interface PreviewablePolicy {
  readonly rules: LifecycleRule[];
  validate(): string[];
}

const MS_PER_DAY = 86_400_000;
const EXPIRE: PreviewAction = Object.freeze({ type: 'EXPIRE' as const });
const TRANSITION: PreviewAction = Object.freeze({ type: 'TRANSITION' as const, targetStorageClass: 'ARCHIVE' as const });
const NO_TAGS: string[] = Object.freeze([]) as unknown as string[];

const STANDARD = 0;
const ARCHIVE = 1;

/** Term kinds: how one prefix/pattern matches a tag. */
enum TermKind { PREFIX, EXACT, ANYTHING, SUFFIX, PREFIX_SUFFIX, GLOB }

interface Term {
  readonly kind: TermKind;
  readonly head: string;
  readonly tail: string;
  readonly middle: string[];
  readonly minLength: number;
}

enum Selects { TAGGED, UNTAGGED, ANY }
enum Clock { COUNT, PUSHED, PULLED, ARCHIVED }

interface CompiledRule {
  readonly priority: number;
  readonly selects: Selects;
  readonly terms: Term[];
  readonly clock: Clock;
  readonly countNumber: number;
  readonly cutoff: number;
  readonly action: PreviewAction;
  seen: number;
  readonly hits: number[];
}

function compileTerm(text: string, isPattern: boolean): Term {
  if (!isPattern) {
    return { kind: TermKind.PREFIX, head: text, tail: '', middle: [], minLength: text.length };
  }
  const parts = text.split('*');
  if (parts.length === 1) {
    return { kind: TermKind.EXACT, head: text, tail: '', middle: [], minLength: text.length };
  }
  const head = parts[0];
  const tail = parts[parts.length - 1];
  const middle = parts.slice(1, -1).filter((part) => part.length > 0);
  const minLength = parts.reduce((sum, part) => sum + part.length, 0);
  let kind: TermKind;
  if (middle.length > 0) kind = TermKind.GLOB;
  else if (head.length === 0 && tail.length === 0) kind = TermKind.ANYTHING;
  else if (tail.length === 0) kind = TermKind.PREFIX;
  else if (head.length === 0) kind = TermKind.SUFFIX;
  else kind = TermKind.PREFIX_SUFFIX;
  return { kind, head, tail, middle, minLength };
}

function termMatches(term: Term, tag: string): boolean {
  switch (term.kind) {
    case TermKind.PREFIX: return tag.startsWith(term.head);
    case TermKind.EXACT: return tag === term.head;
    case TermKind.ANYTHING: return true;
    case TermKind.SUFFIX: return tag.endsWith(term.tail);
    case TermKind.PREFIX_SUFFIX:
      return tag.length >= term.minLength && tag.startsWith(term.head) && tag.endsWith(term.tail);
    default: {
      if (tag.length < term.minLength || !tag.startsWith(term.head) || !tag.endsWith(term.tail)) return false;
      // Leftmost matching of each middle part is optimal for patterns whose only wildcard is `*`.
      let position = term.head.length;
      const end = tag.length - term.tail.length;
      for (const part of term.middle) {
        const at = tag.indexOf(part, position);
        if (at < 0 || at + part.length > end) return false;
        position = at + part.length;
      }
      return true;
    }
  }
}

function ruleSelects(rule: CompiledRule, tags: string[]): boolean {
  const tagCount = tags.length;
  if (rule.selects === Selects.ANY) return true;
  if (rule.selects === Selects.UNTAGGED) return tagCount === 0;
  if (tagCount === 0) return false;
  const terms = rule.terms;
  for (let t = 0; t < terms.length; t++) {
    const term = terms[t];
    let found = false;
    for (let g = 0; g < tagCount; g++) {
      if (termMatches(term, tags[g])) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

function compileRule(rule: LifecycleRule, nowMs: number): CompiledRule {
  if (!Number.isSafeInteger(rule.countNumber) || !Number.isSafeInteger(rule.rulePriority)
    || [...(rule.tagPrefixList ?? []), ...(rule.tagPatternList ?? [])].some((entry) => entry.includes('Token['))) {
    throw new Error('Cannot preview a lifecycle policy that contains unresolved CDK tokens');
  }
  const isPattern = rule.tagPatternList !== undefined;
  const list = rule.tagPatternList ?? rule.tagPrefixList ?? [];
  const clock = rule.countType === CountType.IMAGE_COUNT_MORE_THAN ? Clock.COUNT
    : rule.countType === CountType.SINCE_IMAGE_PUSHED ? Clock.PUSHED
      : rule.countType === CountType.SINCE_IMAGE_PULLED ? Clock.PULLED : Clock.ARCHIVED;
  return {
    priority: rule.rulePriority!,
    selects: rule.tagStatus === TagStatus.ANY ? Selects.ANY : rule.tagStatus === TagStatus.UNTAGGED ? Selects.UNTAGGED : Selects.TAGGED,
    terms: list.map((entry) => compileTerm(entry, isPattern)),
    clock,
    countNumber: rule.countNumber,
    // Strictly older than N days: time < now - N days.
    cutoff: nowMs - rule.countNumber * MS_PER_DAY,
    action: (rule.action ?? LifecycleAction.EXPIRE) === LifecycleAction.TRANSITION ? TRANSITION : EXPIRE,
    seen: 0,
    hits: [],
  };
}

function readNow(now: Date | number | string | undefined): number {
  if (now === undefined) return Date.now();
  const value = typeof now === 'number' ? now : typeof now === 'string' ? parseTimestamp(now) : now.getTime();
  if (value === undefined || !Number.isFinite(value)) {
    throw new Error(`"now" is not a valid time: ${String(now)}`);
  }
  return value;
}

function describeImage(index: number, image: unknown): string {
  const digest = typeof image === 'object' && image !== null ? (image as { imageDigest?: unknown }).imageDigest : undefined;
  return typeof digest === 'string' ? `imageDetails[${index}] (${digest})` : `imageDetails[${index}]`;
}

/**
 * Apply a lifecycle policy to the images of a repository as ECR documents it, without
 * calling AWS.
 *
 * @param policy a valid lifecycle policy (throws listing the problems when it is not)
 * @param images the output of `aws ecr describe-images` (or its `imageDetails` array)
 * @param now the evaluation time (Date, epoch milliseconds or ISO-8601 string); default now
 * @returns the images acted on and a summary, shaped like `aws ecr get-lifecycle-policy-preview`
 */
export function previewLifecyclePolicy(
  policy: PreviewablePolicy,
  images: DescribeImagesOutput | DescribedImage[],
  now?: Date | number | string,
): PreviewOutput {
  const problems = policy.validate();
  if (problems.length > 0) {
    throw new Error(`Cannot preview an invalid lifecycle policy:\n- ${problems.join('\n- ')}`);
  }
  const nowMs = readNow(now);
  const details: DescribedImage[] | undefined = Array.isArray(images) ? images : images?.imageDetails;
  if (!Array.isArray(details)) {
    throw new Error('Images must be the output of `aws ecr describe-images`: an object with an "imageDetails" array');
  }

  // Rules by storage class, in priority order (policy.rules is sorted by priority).
  const compiled = policy.rules.map((rule) => compileRule(rule, nowMs));
  const byClass: CompiledRule[][] = [[], []];
  policy.rules.forEach((rule, index) => {
    byClass[rule.storageClass === StorageClass.ARCHIVE ? ARCHIVE : STANDARD].push(compiled[index]);
  });

  // Parse every image once.
  const n = details.length;
  const storage = new Uint8Array(n);
  const countTime = new Float64Array(n);
  const pushedTime = new Float64Array(n);
  const pulledTime = new Float64Array(n);
  const archivedTime = new Float64Array(n);
  const tagsOf: string[][] = new Array(n);
  const digests: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const image = details[i];
    if (typeof image !== 'object' || image === null || typeof image.imageDigest !== 'string') {
      throw new Error(`${describeImage(i, image)} has no imageDigest string`);
    }
    digests[i] = image.imageDigest;
    const tags = image.imageTags;
    if (tags === undefined || tags === null) {
      tagsOf[i] = NO_TAGS;
    } else if (Array.isArray(tags)) {
      tagsOf[i] = tags;
    } else {
      throw new Error(`${describeImage(i, image)}: imageTags must be an array of strings`);
    }
    const pushed = parseTimestamp(image.imagePushedAt);
    if (pushed === undefined || pushed !== pushed) {
      throw new Error(`${describeImage(i, image)}: imagePushedAt ${JSON.stringify(image.imagePushedAt)} is not a timestamp`);
    }
    const pulled = optionalTime(image.lastRecordedPullTime, 'lastRecordedPullTime', i, image);
    const activated = optionalTime(image.lastActivatedAt, 'lastActivatedAt', i, image);
    const archived = optionalTime(image.lastArchivedAt, 'lastArchivedAt', i, image);
    storage[i] = image.imageStatus === 'ARCHIVED' ? ARCHIVE : STANDARD;
    pushedTime[i] = pushed;
    countTime[i] = activated === undefined ? pushed : activated;
    // Last pull; push time if never pulled; restore time if restored and not pulled since.
    let pull = pushed;
    if (pulled !== undefined && pulled > pull) pull = pulled;
    if (activated !== undefined && activated > pull) pull = activated;
    pulledTime[i] = pull;
    archivedTime[i] = archived === undefined ? NaN : archived;
  }

  // Sort once: newest first by count time, ties by digest (smaller digest counts as newer).
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => {
    const difference = countTime[b] - countTime[a];
    if (difference !== 0) return difference;
    const da = digests[a];
    const db = digests[b];
    return da < db ? -1 : da > db ? 1 : a - b;
  });

  const clocks: Float64Array[] = [countTime, pushedTime, pulledTime, archivedTime];
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const rules = byClass[storage[i]];
    const ruleCount = rules.length;
    const tags = tagsOf[i];
    let r = 0;
    for (; r < ruleCount; r++) {
      const rule = rules[r];
      if (!ruleSelects(rule, tags)) continue;
      // This rule claims the image.
      if (rule.clock === Clock.COUNT) {
        rule.seen++;
        if (rule.seen > rule.countNumber) rule.hits.push(i);
      } else if (clocks[rule.clock][i] < rule.cutoff) {
        rule.hits.push(i);
      }
      break;
    }
    // Lower-priority count rules still count the claimed image (until they are past their count).
    for (r++; r < ruleCount; r++) {
      const rule = rules[r];
      if (rule.clock === Clock.COUNT && rule.seen <= rule.countNumber && ruleSelects(rule, tags)) {
        rule.seen++;
      }
    }
  }

  const previewResults: PreviewResult[] = [];
  let expiring = 0;
  let transitioning = 0;
  for (const rule of compiled) {
    const hits = rule.hits;
    if (rule.action === EXPIRE) expiring += hits.length;
    else transitioning += hits.length;
    for (let h = 0; h < hits.length; h++) {
      const i = hits[h];
      const image = details[i];
      const tags = image.imageTags;
      const storageClass = storage[i] === ARCHIVE ? 'ARCHIVE' : 'STANDARD';
      previewResults.push(tags !== undefined && tags !== null && tags.length > 0
        ? { imageDigest: digests[i], imageTags: tags, imagePushedAt: image.imagePushedAt, action: rule.action, appliedRulePriority: rule.priority, storageClass }
        : { imageDigest: digests[i], imagePushedAt: image.imagePushedAt, action: rule.action, appliedRulePriority: rule.priority, storageClass });
    }
  }

  const summary: { -readonly [K in keyof PreviewSummary]: PreviewSummary[K] } = { expiringImageTotalCount: expiring };
  if (transitioning > 0) {
    summary.transitioningImageTotalCounts = [{ targetStorageClass: 'ARCHIVE', imageTotalCount: transitioning }];
  }
  return { previewResults, summary };
}

function optionalTime(value: unknown, name: string, index: number, image: unknown): number | undefined {
  const time = parseTimestamp(value);
  if (time !== undefined && time !== time) {
    throw new Error(`${describeImage(index, image)}: ${name} ${JSON.stringify(value)} is not a timestamp`);
  }
  return time;
}
