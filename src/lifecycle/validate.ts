import { CountType, LifecycleAction, StorageClass, LifecycleTagStatus } from './enums';
import { renderLifecyclePolicy } from './render';
import { LifecyclePolicyRule } from './rule';
import { isUnresolvedToken } from './token';
import { guard, listOf, OBJECT } from '../internal/input';

/*
 * The one validation function for lifecycle policies, used by LifecyclePolicy.validate()
 * (and LifecyclePolicy.validateRules(), the entry point of every jsii language), the
 * repository constructs and the command-line tool.
 *
 * Sources (ECR User Guide, checked 2026-11):
 * - "Lifecycle policy properties in Amazon ECR" (lifecycle_policy_parameters): rulePriority
 *   unique integers, `any` rule has the highest priority, tagged needs tagPrefixList or
 *   tagPatternList, untagged/any take neither, at most four `*` per pattern, countUnit only
 *   with the since* types, storageClass/targetStorageClass only "archive"/"standard".
 * - "Automate the cleanup of images by using lifecycle policies" and "Archiving an image"
 *   (archive-image): transitions go from standard to archive only; sinceImagePulled can
 *   only transition; sinceImageTransitioned applies to archived images and can only expire;
 *   archived images have a 90-day minimum storage duration, so a policy may not delete
 *   images archived for less than 90 days.
 * - "Amazon ECR service quotas": lifecycle policy length at most 30,720 characters; the
 *   CloudFormation schema of AWS::ECR::Repository LifecyclePolicyText: at least 100.
 * - ecr-facts.md of this project: at most 50 rules, one untagged rule per storage class.
 * Where the docs are silent this file says so next to the check.
 */

/** Most rules ECR accepts in one lifecycle policy. */
export const MAX_LIFECYCLE_RULES = 50;
/** Shortest lifecycle policy text CloudFormation accepts. */
export const MIN_LIFECYCLE_POLICY_LENGTH = 100;
/** Longest lifecycle policy text ECR accepts. */
export const MAX_LIFECYCLE_POLICY_LENGTH = 30720;
/** Most `*` wildcards in one tag pattern. */
export const MAX_PATTERN_WILDCARDS = 4;
/** Minimum days an archived image must stay archived before a policy may delete it. */
export const MIN_ARCHIVE_DAYS = 90;
/**
 * Largest countNumber / rulePriority accepted. The docs give no maximum; ECR stores them as
 * 32-bit integers (an assumption), so anything larger is reported rather than sent.
 */
export const MAX_INTEGER = 2147483647;

// Docker/OCI tag grammar: [A-Za-z0-9_][A-Za-z0-9._-]{0,127}. A prefix is the start of a tag;
// a pattern may also contain `*`. The docs are silent on the exact characters ECR accepts in
// lists, so this is a sanity check against the tag grammar.
const PREFIX_CHARS = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const PATTERN_CHARS = /^[A-Za-z0-9._*-]+$/;
const MAX_TAG_LENGTH = 128;

/**
 * A rule and its position in the rules as given (for a policy read from JSON, its index
 * in the `rules` array). A rule that could not be read has only its priority, which
 * still takes part in the duplicate priority check.
 * @internal
 */
export interface PositionedRule {
  readonly index: number;
  readonly rule?: LifecyclePolicyRule;
  readonly rulePriority?: number;
}

interface Entry { readonly index: number; readonly rule: LifecyclePolicyRule }

/**
 * How a rule is named in messages: by position, priority and description, for example
 * `rules[1] (rulePriority 2, "Keep releases")`. The position tells two rules with the same
 * priority apart.
 */
function ruleLabel(entry: { readonly index: number; readonly rule?: LifecyclePolicyRule; readonly rulePriority?: number }): string {
  const priority = entry.rule !== undefined ? entry.rule.rulePriority : entry.rulePriority;
  const parts = [priority === undefined ? 'no rulePriority'
    : isUnresolvedToken(priority) ? 'rulePriority not yet known' : `rulePriority ${String(priority)}`];
  const description = entry.rule?.description;
  if (description !== undefined && !isUnresolvedToken(description)) parts.push(`"${description}"`);
  return `rules[${entry.index}] (${parts.join(', ')})`;
}

function isEnumValue(value: unknown, values: Record<string, string>): boolean {
  return typeof value === 'string' && Object.values(values).includes(value);
}

/**
 * Validate a lifecycle policy's rules as given (priorities already assigned: a rule
 * without `rulePriority` is not given one, and its priority is not checked). Returns every
 * problem found, each naming the rule by its position in the list given, its priority and
 * its description, and saying what to change; an empty array when ECR would accept the
 * policy. Values that are unresolved CDK tokens are not checked.
 *
 * @param atSynth the rules hold the values known at synth (tokens that remain are known only
 * at deploy): a tag list that is still a CDK list token cannot be written into the policy
 * text, so it is refused.
 * (Users call `LifecyclePolicy.validateRules(rules)` or `LifecyclePolicy.validateJson(text)`: a free
 * function is not part of the API jsii publishes.)
 * @internal
 */
export function validateLifecyclePolicy(rules: LifecyclePolicyRule[], atSynth = false): string[] {
  guard('validateLifecyclePolicy', { rules: [rules, listOf(OBJECT)] });
  return validatePositionedRules(rules.map((rule, index) => ({ index, rule })), atSynth);
}

/**
 * validateLifecyclePolicy for rules with their positions, some of which may not have
 * been readable (see PositionedRule).
 * @internal
 */
export function validatePositionedRules(positioned: PositionedRule[], atSynth = false): string[] {
  const problems: string[] = [];

  if (positioned.length === 0) {
    problems.push('Lifecycle policy has no rules; add at least one rule.');
    return problems;
  }
  if (positioned.length > MAX_LIFECYCLE_RULES) {
    problems.push(`Lifecycle policy has ${positioned.length} rules; ECR allows at most ${MAX_LIFECYCLE_RULES}. Remove or merge rules.`);
  }

  const entries = positioned.filter((entry): entry is Entry => entry.rule !== undefined);
  const byPriority = new Map<number, PositionedRule>();
  let anyToken = false;
  for (const entry of positioned) {
    if (entry.rule === undefined) {
      problems.push(...validatePriority(entry, entry.rulePriority, byPriority));
      continue;
    }
    const rule = entry.rule;
    const label = ruleLabel(entry);
    anyToken = anyToken || containsToken(rule);
    problems.push(...validatePriority(entry, rule.rulePriority, byPriority));
    problems.push(...validateEnums(rule, label));
    problems.push(...validateCountNumber(rule, label));
    problems.push(...validateTagSelection(rule, label, atSynth));
    problems.push(...validateStorageClassTable(rule, label));
  }
  problems.push(...validatePerStorageClass(entries));

  if (!anyToken && entries.length === positioned.length) {
    problems.push(...validatePolicyText(renderLifecyclePolicy(entries.map((entry) => entry.rule))));
  }
  return problems;
}

/**
 * Check the length of rendered lifecycle policy text against the ECR limits.
 */
export function validatePolicyText(text: string): string[] {
  if (text.length < MIN_LIFECYCLE_POLICY_LENGTH || text.length > MAX_LIFECYCLE_POLICY_LENGTH) {
    return [`Lifecycle policy text is ${text.length} characters; ECR accepts ${MIN_LIFECYCLE_POLICY_LENGTH} to ${MAX_LIFECYCLE_POLICY_LENGTH}. `
      + (text.length > MAX_LIFECYCLE_POLICY_LENGTH ? 'Shorten descriptions, tag lists or the number of rules.' : 'Add a description to a rule.')];
  }
  return [];
}

/** True when a rule holds an unresolved CDK token. @internal */
export function containsToken(rule: LifecyclePolicyRule): boolean {
  return isUnresolvedToken(rule.rulePriority) || isUnresolvedToken(rule.countNumber) || isUnresolvedToken(rule.description)
    || isUnresolvedToken(rule.tagPrefixList) || isUnresolvedToken(rule.tagPatternList)
    || [rule.tagPrefixList, rule.tagPatternList].some((list) => Array.isArray(list) && list.some(isUnresolvedToken));
}

function validatePriority(entry: PositionedRule, priority: unknown, byPriority: Map<number, PositionedRule>): string[] {
  if (priority === undefined || isUnresolvedToken(priority)) {
    return [];
  }
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 1 || priority > MAX_INTEGER) {
    // a rule that could not be read already has its problems reported
    return entry.rule === undefined ? [] : [`${ruleLabel(entry)}: rulePriority ${String(priority)} is not a positive integer; use a whole number from 1 to ${MAX_INTEGER}.`];
  }
  const other = byPriority.get(priority);
  if (other !== undefined) {
    return [`${ruleLabel(entry)}: rulePriority ${priority} is also used by ${ruleLabel(other)}; give every rule a unique rulePriority `
      + '(or omit it, or combine policies with LifecyclePolicy.combine(), to have one assigned).'];
  }
  byPriority.set(priority, entry);
  return [];
}

function validateEnums(rule: LifecyclePolicyRule, label: string): string[] {
  const problems: string[] = [];
  // Untyped callers (JavaScript, jsii languages) can pass null, which ECR rejects in the JSON.
  for (const key of ['rulePriority', 'description', 'tagPrefixList', 'tagPatternList', 'storageClass', 'action'] as const) {
    if ((rule[key] as unknown) === null) problems.push(`${label}: ${key} is null; leave it out instead.`);
  }
  if (rule.description !== undefined && rule.description !== null && typeof rule.description !== 'string') {
    problems.push(`${label}: description ${JSON.stringify(rule.description)} is not a string.`);
  }
  if (!isEnumValue(rule.tagStatus, LifecycleTagStatus)) {
    problems.push(`${label}: tagStatus ${JSON.stringify(rule.tagStatus)} is not one of tagged, untagged, any.`);
  }
  if (!isEnumValue(rule.countType, CountType)) {
    problems.push(`${label}: countType ${JSON.stringify(rule.countType)} is not one of ${Object.values(CountType).join(', ')}.`);
  }
  if (rule.storageClass !== undefined && !isEnumValue(rule.storageClass, StorageClass)) {
    problems.push(`${label}: storageClass ${JSON.stringify(rule.storageClass)} is not one of standard, archive.`);
  }
  if (rule.action !== undefined && !isEnumValue(rule.action, LifecycleAction)) {
    problems.push(`${label}: action ${JSON.stringify(rule.action)} is not one of expire, transition.`);
  }
  return problems;
}

function validateCountNumber(rule: LifecyclePolicyRule, label: string): string[] {
  const count = rule.countNumber;
  if (isUnresolvedToken(count)) {
    return [];
  }
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_INTEGER) {
    return [`${label}: countNumber ${String(count)} is not an integer of at least 1; use a whole number from 1 to ${MAX_INTEGER}.`];
  }
  return [];
}

function validateTagSelection(rule: LifecyclePolicyRule, label: string, atSynth: boolean): string[] {
  const problems: string[] = [];
  const prefixes = rule.tagPrefixList;
  const patterns = rule.tagPatternList;
  if (rule.tagStatus === LifecycleTagStatus.TAGGED) {
    if (prefixes !== undefined && patterns !== undefined) {
      problems.push(`${label}: a tagged rule takes exactly one of tagPrefixList and tagPatternList, but both are set; remove one.`);
    } else if (prefixes === undefined && patterns === undefined) {
      problems.push(`${label}: a tagged rule needs a tagPatternList or a tagPrefixList, but neither is set; add one (or use tagStatus any).`);
    }
  } else if (isEnumValue(rule.tagStatus, LifecycleTagStatus) && (prefixes !== undefined || patterns !== undefined)) {
    problems.push(`${label}: an ${rule.tagStatus} rule takes no tagPrefixList or tagPatternList; remove the list or use tagStatus tagged.`);
  }

  for (const [name, list, isPattern] of [['tagPrefixList', prefixes, false], ['tagPatternList', patterns, true]] as const) {
    if (list === undefined) continue;
    if (isUnresolvedToken(list)) {
      if (atSynth) {
        problems.push(`${label}: ${name} is a CDK list token known only at deploy time (such as Fn.split of an import or parameter); `
          + 'a lifecycle policy is JSON text, so the list cannot be written into it. List the entries in code, or give a Lazy.list that synth can resolve.');
      }
      continue;
    }
    if (!Array.isArray(list)) {
      problems.push(`${label}: ${name} must be a list of strings.`);
      continue;
    }
    if (list.length === 0) {
      problems.push(`${label}: ${name} is empty; list at least one ${isPattern ? 'pattern' : 'prefix'}.`);
    }
    for (const entry of list) {
      if (isUnresolvedToken(entry)) continue;
      problems.push(...(isPattern ? checkPattern(entry, label) : checkPrefix(entry, label)));
    }
  }
  return problems;
}

function checkPattern(pattern: unknown, label: string): string[] {
  if (typeof pattern !== 'string' || pattern.length === 0) {
    return [`${label}: tag pattern ${JSON.stringify(pattern)} is empty or not a string; use a non-empty pattern such as "v*".`];
  }
  const problems: string[] = [];
  const wildcards = pattern.split('*').length - 1;
  if (wildcards > MAX_PATTERN_WILDCARDS) {
    problems.push(`${label}: tag pattern "${pattern}" has ${wildcards} wildcards (*); ECR allows at most ${MAX_PATTERN_WILDCARDS} per pattern. Use fewer *.`);
  }
  if (!PATTERN_CHARS.test(pattern) || pattern.length > MAX_TAG_LENGTH) {
    problems.push(`${label}: tag pattern "${pattern}" cannot match any image tag; use at most ${MAX_TAG_LENGTH} of the characters A-Z a-z 0-9 _ . - and *.`);
  }
  return problems;
}

function checkPrefix(prefix: unknown, label: string): string[] {
  if (typeof prefix !== 'string' || prefix.length === 0) {
    return [`${label}: tag prefix ${JSON.stringify(prefix)} is empty or not a string; use a non-empty prefix such as "v".`];
  }
  if (prefix.includes('*')) {
    return [`${label}: tag prefix "${prefix}" contains *, which a prefix matches literally; use tagPatternList for wildcards.`];
  }
  if (!PREFIX_CHARS.test(prefix) || prefix.length > MAX_TAG_LENGTH) {
    return [`${label}: tag prefix "${prefix}" cannot start any image tag; use at most ${MAX_TAG_LENGTH} of the characters A-Z a-z 0-9 _ . - (not starting with . or -).`];
  }
  return [];
}

function validateStorageClassTable(rule: LifecyclePolicyRule, label: string): string[] {
  const problems: string[] = [];
  const action = rule.action ?? LifecycleAction.EXPIRE;
  const archive = rule.storageClass === StorageClass.ARCHIVE;
  if (rule.countType === CountType.SINCE_IMAGE_TRANSITIONED) {
    if (!archive) {
      problems.push(`${label}: sinceImageTransitioned selects archived images; set storageClass to archive.`);
    }
    if (action === LifecycleAction.TRANSITION) {
      problems.push(`${label}: sinceImageTransitioned rules can only expire images (archived images cannot transition again); set action to expire.`);
    } else if (typeof rule.countNumber === 'number' && !isUnresolvedToken(rule.countNumber) && rule.countNumber < MIN_ARCHIVE_DAYS) {
      problems.push(`${label}: archived images must stay archived at least ${MIN_ARCHIVE_DAYS} days before a policy deletes them; countNumber ${rule.countNumber} is too small, use ${MIN_ARCHIVE_DAYS} or more.`);
    }
  } else if (isEnumValue(rule.countType, CountType)) {
    if (archive) {
      problems.push(`${label}: the archive storage class can only be selected with countType sinceImageTransitioned (and only standard images can transition); `
        + 'remove storageClass or use sinceImageTransitioned.');
    }
    if (rule.countType === CountType.SINCE_IMAGE_PULLED && action === LifecycleAction.EXPIRE) {
      problems.push(`${label}: sinceImagePulled rules can only transition images to archive; set action to transition, or use sinceImagePushed to expire.`);
    }
  }
  return problems;
}

function validatePerStorageClass(entries: Entry[]): string[] {
  const problems: string[] = [];
  for (const storageClass of [StorageClass.STANDARD, StorageClass.ARCHIVE]) {
    const inClass = entries.filter((entry) => (entry.rule.storageClass ?? StorageClass.STANDARD) === storageClass);

    const untagged = inClass.filter((entry) => entry.rule.tagStatus === LifecycleTagStatus.UNTAGGED);
    for (const extra of untagged.slice(1)) {
      problems.push(`${ruleLabel(extra)}: only one rule per storage class may select untagged images, and ${ruleLabel(untagged[0])} already does `
        + `in the ${storageClass} storage class; merge the two rules.`);
    }

    const numbered = inClass.filter((entry) => typeof entry.rule.rulePriority === 'number' && !isUnresolvedToken(entry.rule.rulePriority));
    if (numbered.length === 0) continue;
    const highest = numbered.reduce((best, entry) => (entry.rule.rulePriority! > best.rule.rulePriority! ? entry : best));
    for (const entry of numbered) {
      if (entry.rule.tagStatus === LifecycleTagStatus.ANY && entry !== highest) {
        problems.push(`${ruleLabel(entry)}: an "any" rule must have the highest rulePriority in the ${storageClass} storage class, `
          + `but ${ruleLabel(highest)} is higher; give this rule a rulePriority above ${highest.rule.rulePriority}, or merge the "any" rules.`);
      }
    }
  }
  return problems;
}
