import { CountType, LifecycleAction, StorageClass, LifecycleTagStatus } from './enums';
import { assignPriorities } from './priorities';
import { isSinceCountType } from './render';
import { LifecyclePolicyRule } from './rule';
import { validatePositionedRules } from './validate';

/*
 * Strict reader of ECR lifecycle policy JSON. It checks structure and types (unknown
 * keys, nulls, wrong types, unknown enum values, countUnit/targetStorageClass that
 * contradict the rest of the rule), naming each problem by its JSON path
 * (`rules[2].selection.tagStatus`). Semantic rules (priorities, lists, the storage class
 * table, quotas) are left to validateLifecyclePolicy so that they are checked in one
 * place; lifecyclePolicyJsonProblems runs both, so that one run reports everything.
 */

const RULE_KEYS = ['rulePriority', 'description', 'selection', 'action'];
const SELECTION_KEYS = ['tagStatus', 'tagPrefixList', 'tagPatternList', 'storageClass', 'countType', 'countUnit', 'countNumber'];
const ACTION_KEYS = ['type', 'targetStorageClass'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/**
 * What the reader made of a lifecycle policy document.
 * @internal
 */
export interface ParsedLifecyclePolicy {
  /** Structural problems, each naming its JSON path. */
  readonly problems: string[];
  /**
   * One entry per element of the `rules` array, in order: the rule when it could be read,
   * otherwise only its `rulePriority` when that is a number (for the duplicate check).
   */
  readonly entries: Array<{ readonly rule?: LifecyclePolicyRule; readonly rulePriority?: number }>;
}

/**
 * Read ECR lifecycle policy JSON, collecting every structural problem instead of
 * stopping at the first.
 * @internal
 */
export function readLifecyclePolicyJson(text: string): ParsedLifecyclePolicy {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { problems: [`Lifecycle policy is not valid JSON: ${(error as Error).message}`], entries: [] };
  }
  if (!isObject(document)) {
    return { problems: [`Lifecycle policy must be a JSON object with a "rules" array, got ${describe(document)}`], entries: [] };
  }
  const problems: string[] = [];
  for (const key of Object.keys(document)) {
    if (key !== 'rules') problems.push(`unknown key "${key}" at the top level (only "rules" is allowed)`);
  }
  if (!Array.isArray(document.rules)) {
    problems.push(`"rules" must be an array, got ${describe(document.rules)}`);
    return { problems, entries: [] };
  }

  const entries = document.rules.map((raw: unknown, index: number) => {
    const where = `rules[${index}]`;
    if (!isObject(raw)) {
      problems.push(`${where} must be an object, got ${describe(raw)}`);
      return {};
    }
    const rule = readRule(raw, where, problems);
    if (rule !== undefined) return { rule };
    return typeof raw.rulePriority === 'number' ? { rulePriority: raw.rulePriority } : {};
  });
  return { problems, entries };
}

/**
 * Parse ECR lifecycle policy JSON into rules. Throws an Error naming every problem,
 * structural and semantic, when the text has a structural problem.
 * @internal
 */
export function parseLifecyclePolicyJson(text: string): LifecyclePolicyRule[] {
  const parsed = readLifecyclePolicyJson(text);
  if (parsed.problems.length > 0) {
    throw parseError([...parsed.problems, ...semanticProblems(parsed)]);
  }
  return parsed.entries.map((entry) => entry.rule!);
}

/**
 * Every problem of a lifecycle policy text in one list: structural problems (named by
 * JSON path) first, then the semantic problems of every rule that could be read (named
 * by position in the `rules` array and priority). Empty when ECR would accept it.
 * @internal
 */
export function lifecyclePolicyJsonProblems(text: string): string[] {
  const parsed = readLifecyclePolicyJson(text);
  return [...parsed.problems, ...semanticProblems(parsed)];
}

/**
 * The semantic problems of the rules that could be read, with priorities assigned as
 * `LifecyclePolicy.fromJson` assigns them; rules that could not be read take part in the
 * duplicate priority check only.
 */
function semanticProblems(parsed: ParsedLifecyclePolicy): string[] {
  if (parsed.problems.length > 0 && parsed.entries.length === 0) return [];
  const readable = parsed.entries.filter((entry) => entry.rule !== undefined);
  const reserved = parsed.entries.filter((entry) => entry.rule === undefined && entry.rulePriority !== undefined).map((entry) => entry.rulePriority!);
  const assigned = assignPriorities(readable.map((entry) => entry.rule!), reserved);
  let next = 0;
  return validatePositionedRules(parsed.entries.map((entry, index) => (entry.rule !== undefined
    ? { index, rule: assigned[next++] }
    : { index, rulePriority: entry.rulePriority })));
}

function parseError(problems: string[]): Error {
  return new Error(`Lifecycle policy JSON is invalid:\n- ${problems.join('\n- ')}`);
}

function checkKeys(object: Record<string, unknown>, allowed: string[], where: string, problems: string[]): void {
  for (const [key, value] of Object.entries(object)) {
    if (!allowed.includes(key)) {
      problems.push(`unknown key "${key}" in ${where} (allowed: ${allowed.join(', ')})`);
    } else if (value === null) {
      problems.push(`${where}.${key} is null; omit the key instead (ECR rejects null)`);
    }
  }
}

function readEnum<T extends string>(value: unknown, values: Record<string, T>, where: string, problems: string[]): T | undefined {
  const allowed = Object.values(values);
  if (typeof value !== 'string' || !(allowed as string[]).includes(value)) {
    problems.push(`${where} must be one of ${allowed.map((v) => `"${v}"`).join(', ')}, got ${describe(value)}`);
    return undefined;
  }
  return value as T;
}

function readStringList(value: unknown, where: string, problems: string[]): string[] | undefined {
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) {
    problems.push(`${where} must be an array of strings, got ${describe(value)}`);
    return undefined;
  }
  return [...value] as string[];
}

function readRule(raw: Record<string, unknown>, where: string, problems: string[]): LifecyclePolicyRule | undefined {
  const before = problems.length;
  checkKeys(raw, RULE_KEYS, where, problems);

  let rulePriority: number | undefined;
  if (raw.rulePriority !== undefined && raw.rulePriority !== null) {
    if (typeof raw.rulePriority !== 'number') {
      problems.push(`${where}.rulePriority must be a number, got ${describe(raw.rulePriority)}`);
    } else {
      rulePriority = raw.rulePriority;
    }
  }
  let description: string | undefined;
  if (raw.description !== undefined && raw.description !== null) {
    if (typeof raw.description !== 'string') {
      problems.push(`${where}.description must be a string, got ${describe(raw.description)}`);
    } else {
      description = raw.description;
    }
  }

  const selection = raw.selection;
  if (!isObject(selection)) {
    problems.push(`${where}.selection must be an object, got ${describe(selection)}`);
    return undefined;
  }
  const sel = `${where}.selection`;
  checkKeys(selection, SELECTION_KEYS, sel, problems);
  const tagStatus = readEnum(selection.tagStatus, LifecycleTagStatus, `${sel}.tagStatus`, problems);
  const countType = readEnum(selection.countType, CountType, `${sel}.countType`, problems);
  const storageClass = selection.storageClass === undefined || selection.storageClass === null
    ? undefined : readEnum(selection.storageClass, StorageClass, `${sel}.storageClass`, problems);
  const tagPrefixList = selection.tagPrefixList === undefined || selection.tagPrefixList === null
    ? undefined : readStringList(selection.tagPrefixList, `${sel}.tagPrefixList`, problems);
  const tagPatternList = selection.tagPatternList === undefined || selection.tagPatternList === null
    ? undefined : readStringList(selection.tagPatternList, `${sel}.tagPatternList`, problems);
  let countNumber: number | undefined;
  if (typeof selection.countNumber !== 'number') {
    problems.push(`${sel}.countNumber must be a number, got ${describe(selection.countNumber)}`);
  } else {
    countNumber = selection.countNumber;
  }
  if (countType !== undefined) {
    if (isSinceCountType(countType)) {
      if (selection.countUnit !== 'days') {
        problems.push(`${sel}.countUnit must be "days" for countType ${countType}, got ${describe(selection.countUnit)}`);
      }
    } else if (selection.countUnit !== undefined && selection.countUnit !== null) {
      problems.push(`${sel}.countUnit is only allowed with the since* count types; remove it from this ${countType} rule`);
    }
  }

  let action: LifecycleAction | undefined;
  if (raw.action !== undefined && raw.action !== null) {
    if (!isObject(raw.action)) {
      problems.push(`${where}.action must be an object, got ${describe(raw.action)}`);
    } else {
      checkKeys(raw.action, ACTION_KEYS, `${where}.action`, problems);
      action = readEnum(raw.action.type, LifecycleAction, `${where}.action.type`, problems);
      const target = raw.action.targetStorageClass;
      if (action === LifecycleAction.TRANSITION && target !== 'archive') {
        problems.push(`${where}.action.targetStorageClass must be "archive" for a transition, got ${describe(target)}`);
      } else if (action === LifecycleAction.EXPIRE && target !== undefined && target !== null) {
        problems.push(`${where}.action.targetStorageClass is only allowed with type "transition"; remove it`);
      }
    }
  } else if (raw.action === undefined) {
    problems.push(`${where}.action is missing; ECR requires {"type":"expire"} or {"type":"transition","targetStorageClass":"archive"}`);
  }

  if (problems.length > before || tagStatus === undefined || countType === undefined || countNumber === undefined) {
    return undefined;
  }
  const rule: { -readonly [K in keyof LifecyclePolicyRule]: LifecyclePolicyRule[K] } = { tagStatus, countType, countNumber };
  if (rulePriority !== undefined) rule.rulePriority = rulePriority;
  if (description !== undefined) rule.description = description;
  if (tagPrefixList !== undefined) rule.tagPrefixList = tagPrefixList;
  if (tagPatternList !== undefined) rule.tagPatternList = tagPatternList;
  if (storageClass !== undefined) rule.storageClass = storageClass;
  if (action !== undefined) rule.action = action;
  return rule;
}
