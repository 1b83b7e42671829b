/* eslint-disable no-bitwise -- bit masks, radix digits and digit range checks in hot loops; see the comments at each use */
import { CountType, LifecycleAction, StorageClass, LifecycleTagStatus } from './enums';
import { LifecyclePolicyRule } from './rule';
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
 * - lastRecordedPullTime and lastArchivedAt are read (and checked) only for images whose
 *   claiming rule needs them; imagePushedAt and lastActivatedAt are always read;
 * - sinceImagePushed uses imagePushedAt even for restored images;
 * - results are grouped by appliedRulePriority, in input (describe-images) order within a rule;
 *   imagePushedAt and imageTags are passed through as given (tags omitted for untagged images);
 * - summary.transitioningImageTotalCounts is present only when something transitions, as in
 *   the API reference of LifecyclePolicyPreviewSummary;
 * - "an image referenced by a manifest list is not acted on before the manifest list" is not
 *   modelled: describe-images does not say which images a manifest list references.
 *
 * Performance (see bench/lifecycle.ts): pass 1 reads every image once, in input order, parses
 * its timestamps and finds its claiming rule with precompiled matchers (no regular expressions);
 * pass 2 sorts once (stable LSD radix sort on integer microseconds, comparison sort as fallback);
 * pass 3 counts in sorted order over typed arrays only; pass 4 writes the result objects, the
 * only per-image allocations, into an array sized in advance, again in input order.
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
  readonly rules: LifecyclePolicyRule[];
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
  /** Position in priority order across both storage classes. */
  readonly index: number;
  /** Images selected so far, newest first (imageCountMoreThan). */
  seen: number;
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

function compileRule(rule: LifecyclePolicyRule, index: number, nowMs: number): CompiledRule {
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
    selects: rule.tagStatus === LifecycleTagStatus.ANY ? Selects.ANY
      : rule.tagStatus === LifecycleTagStatus.UNTAGGED ? Selects.UNTAGGED : Selects.TAGGED,
    terms: list.map((entry) => compileTerm(entry, isPattern)),
    clock,
    countNumber: rule.countNumber,
    // Strictly older than N days: time < now - N days.
    cutoff: nowMs - rule.countNumber * MS_PER_DAY,
    action: (rule.action ?? LifecycleAction.EXPIRE) === LifecycleAction.TRANSITION ? TRANSITION : EXPIRE,
    index,
    seen: 0,
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

  // Rules in priority order (policy.rules is sorted), grouped by storage class; count rules
  // numbered for the per-image bit masks.
  const ruleList = policy.rules;
  const compiled = ruleList.map((rule, index) => compileRule(rule, index, nowMs));
  const byClass: CompiledRule[][] = [[], []];
  ruleList.forEach((rule, index) => {
    byClass[rule.storageClass === StorageClass.ARCHIVE ? ARCHIVE : STANDARD].push(compiled[index]);
  });
  const countRules = compiled.filter((rule) => rule.clock === Clock.COUNT);
  const countBit = new Array<number>(compiled.length).fill(-1);
  countRules.forEach((rule, bit) => { countBit[rule.index] = bit; });

  // Pass 1, in input order (sequential memory access): parse times, find the rule that claims
  // each image, decide the since* rules (their outcome does not depend on order) and note
  // which lower-priority count rules also select the image.
  const n = details.length;
  const countTime = new Float64Array(n);
  const claimedBy = new Uint8Array(n); // 1 + rule index, 0 = no rule selects the image
  const actedBy = new Uint8Array(n); // 1 + rule index, 0 = not acted on
  const maskLow = new Uint32Array(n); // count rules 0..31 selecting the image after its claim
  const maskHigh = new Uint32Array(countRules.length > 32 ? n : 0); // count rules 32..49
  for (let i = 0; i < n; i++) {
    const image = details[i];
    if (typeof image !== 'object' || image === null || typeof image.imageDigest !== 'string') {
      throw new Error(`${describeImage(i, image)} has no imageDigest string`);
    }
    const tags = tagsOf(image, i);
    const pushed = parseTimestamp(image.imagePushedAt);
    if (pushed === undefined || pushed !== pushed) {
      throw new Error(image.imagePushedAt === undefined
        ? `${describeImage(i, image)} has no imagePushedAt; ECR gives every image one`
        : `${describeImage(i, image)}: imagePushedAt ${JSON.stringify(image.imagePushedAt)} is not a timestamp`);
    }
    const activatedText = image.lastActivatedAt;
    const activated = activatedText === undefined ? undefined : optionalTime(activatedText, 'lastActivatedAt', i, image);
    countTime[i] = activated === undefined ? pushed : activated;
    const rules = byClass[image.imageStatus === 'ARCHIVED' ? ARCHIVE : STANDARD];
    const ruleCount = rules.length;
    let r = 0;
    for (; r < ruleCount; r++) {
      const rule = rules[r];
      if (!ruleSelects(rule, tags)) continue;
      claimedBy[i] = rule.index + 1;
      // Other timestamps are read only when the claiming rule needs them.
      const clock = rule.clock;
      if (clock !== Clock.COUNT) {
        let time: number;
        if (clock === Clock.PUSHED) {
          time = pushed;
        } else if (clock === Clock.PULLED) {
          // Last pull; push time if never pulled; restore time if restored and not pulled since.
          const pulled = optionalTime(image.lastRecordedPullTime, 'lastRecordedPullTime', i, image);
          time = pushed;
          if (pulled !== undefined && pulled > time) time = pulled;
          if (activated !== undefined && activated > time) time = activated;
        } else {
          // An archived image without an archive time is never old enough.
          time = optionalTime(image.lastArchivedAt, 'lastArchivedAt', i, image) ?? NaN;
        }
        if (time < rule.cutoff) actedBy[i] = rule.index + 1;
      }
      break;
    }
    let low = 0;
    let high = 0;
    for (r++; r < ruleCount; r++) {
      const rule = rules[r];
      if (rule.clock === Clock.COUNT && ruleSelects(rule, tags)) {
        const bit = countBit[rule.index];
        if (bit < 32) low |= 1 << bit;
        else high |= 1 << (bit - 32);
      }
    }
    maskLow[i] = low;
    if (high !== 0) maskHigh[i] = high;
  }

  // Pass 2: sort once, newest first.
  const order = sortNewestFirst(countTime, details);

  // Pass 3, newest first, typed arrays only: count for imageCountMoreThan. The claiming rule
  // acts past its count; lower-priority count rules still count the image.
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const claim = claimedBy[i];
    if (claim === 0) continue;
    const rule = compiled[claim - 1];
    if (rule.clock === Clock.COUNT && ++rule.seen > rule.countNumber) {
      actedBy[i] = claim;
    }
    for (let m = maskLow[i]; m !== 0; m &= m - 1) {
      const other = countRules[31 - Math.clz32(m & -m)];
      if (other.seen <= other.countNumber) other.seen++;
    }
    for (let m = maskHigh.length === 0 ? 0 : maskHigh[i]; m !== 0; m &= m - 1) {
      const other = countRules[63 - Math.clz32(m & -m)];
      if (other.seen <= other.countNumber) other.seen++;
    }
  }

  // Pass 4, in input order again (sequential reads and writes): the result objects, grouped
  // by rule priority and in input order within a rule, in an array sized in advance.
  const hits = new Array<number>(compiled.length).fill(0);
  for (let i = 0; i < n; i++) {
    const acted = actedBy[i];
    if (acted !== 0) hits[acted - 1]++;
  }
  const offsets = new Array<number>(compiled.length);
  let total = 0;
  let expiring = 0;
  for (const rule of compiled) {
    offsets[rule.index] = total;
    total += hits[rule.index];
    if (rule.action === EXPIRE) expiring += hits[rule.index];
  }
  const previewResults: PreviewResult[] = new Array(total);
  for (let i = 0; i < n && total > 0; i++) {
    const acted = actedBy[i];
    if (acted === 0) continue;
    const rule = compiled[acted - 1];
    const image = details[i];
    const tags = image.imageTags;
    const storageClass = image.imageStatus === 'ARCHIVED' ? 'ARCHIVE' : 'STANDARD';
    const imageDigest = image.imageDigest;
    const imagePushedAt = image.imagePushedAt;
    const action = rule.action;
    const appliedRulePriority = rule.priority;
    previewResults[offsets[acted - 1]++] = tags !== undefined && tags !== null && tags.length > 0
      ? { imageDigest, imageTags: tags, imagePushedAt, action, appliedRulePriority, storageClass }
      : { imageDigest, imagePushedAt, action, appliedRulePriority, storageClass };
  }

  const transitioning = total - expiring;
  const summary: { -readonly [K in keyof PreviewSummary]: PreviewSummary[K] } = { expiringImageTotalCount: expiring };
  if (transitioning > 0) {
    summary.transitioningImageTotalCounts = [{ targetStorageClass: 'ARCHIVE', imageTotalCount: transitioning }];
  }
  return { previewResults, summary };
}

function tagsOf(image: DescribedImage, index: number): string[] {
  const tags = image.imageTags;
  if (tags === undefined || tags === null) return NO_TAGS;
  if (!Array.isArray(tags)) throw new Error(`${describeImage(index, image)}: imageTags must be an array of strings`);
  return tags;
}

const RADIX_BITS = 11;
const RADIX = 1 << RADIX_BITS;
const RADIX_MASK = RADIX - 1;
const TWO_32 = 4294967296;

/**
 * Image indices ordered newest first by `time`; equal times by digest, smaller digest first
 * (it counts as newer). A stable LSD radix sort on integer microseconds since the oldest
 * image (times equal to the microsecond are ties); a comparison sort for small inputs and
 * when the times do not fit (more than ~285 years apart).
 */
function sortNewestFirst(time: Float64Array, details: DescribedImage[]): Uint32Array {
  const n = time.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = time[i];
    if (t < min) min = t;
    if (t > max) max = t;
  }
  const byDigest = (a: number, b: number): number => {
    const da = details[a].imageDigest;
    const db = details[b].imageDigest;
    return da < db ? -1 : da > db ? 1 : a - b;
  };
  if (n < 64 || (max - min) * 1000 >= Number.MAX_SAFE_INTEGER) {
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return order.sort((a, b) => time[b] - time[a] || byDigest(a, b));
  }

  // Keys: integer microseconds since the oldest image (exact in a double below 2^53), as two
  // 32-bit words. LSD radix sort with 11-bit digits, moving keys with the indices so that
  // every pass reads sequentially; passes above the largest key are skipped.
  let keyLow = new Uint32Array(n);
  let keyHigh = new Uint32Array(n);
  let index = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const key = Math.round((time[i] - min) * 1000);
    const high = Math.floor(key / TWO_32);
    keyHigh[i] = high;
    keyLow[i] = key - high * TWO_32;
    index[i] = i;
  }
  let nextLow = new Uint32Array(n);
  let nextHigh = new Uint32Array(n);
  let nextIndex = new Uint32Array(n);
  const counts = new Uint32Array(RADIX);
  const maxKey = Math.round((max - min) * 1000);
  for (let pass = 0; pass < 5 && maxKey >= 2 ** (pass * RADIX_BITS); pass++) {
    counts.fill(0);
    for (let k = 0; k < n; k++) counts[radixDigit(pass, keyLow[k], keyHigh[k])]++;
    let sum = 0;
    for (let d = 0; d < RADIX; d++) {
      const c = counts[d];
      counts[d] = sum;
      sum += c;
    }
    for (let k = 0; k < n; k++) {
      const low = keyLow[k];
      const high = keyHigh[k];
      const position = counts[radixDigit(pass, low, high)]++;
      nextLow[position] = low;
      nextHigh[position] = high;
      nextIndex[position] = index[k];
    }
    [keyLow, nextLow] = [nextLow, keyLow];
    [keyHigh, nextHigh] = [nextHigh, keyHigh];
    [index, nextIndex] = [nextIndex, index];
  }

  // Oldest first now. Reverse into newest first; order runs of equal keys by digest.
  const order = nextIndex;
  for (let k = 0; k < n; k++) order[k] = index[n - 1 - k];
  let runStart = 0;
  for (let k = 1; k <= n; k++) {
    const a = n - 1 - k;
    const b = n - 1 - runStart;
    if (k < n && keyLow[a] === keyLow[b] && keyHigh[a] === keyHigh[b]) continue;
    if (k - runStart > 1) {
      order.set(Array.from(order.subarray(runStart, k)).sort(byDigest), runStart);
    }
    runStart = k;
  }
  return order;
}

/** Digit `pass` (11 bits each, least significant first) of the 64-bit key high:low. */
function radixDigit(pass: number, low: number, high: number): number {
  switch (pass) {
    case 0: return low & RADIX_MASK;
    case 1: return (low >>> 11) & RADIX_MASK;
    case 2: return (low >>> 22) | ((high & 1) << 10);
    case 3: return (high >>> 1) & RADIX_MASK;
    default: return (high >>> 12) & RADIX_MASK;
  }
}

function optionalTime(value: unknown, name: string, index: number, image: unknown): number | undefined {
  const time = parseTimestamp(value);
  if (time !== undefined && time !== time) {
    throw new Error(`${describeImage(index, image)}: ${name} ${JSON.stringify(value)} is not a timestamp`);
  }
  return time;
}
