import { CountType, LifecycleAction, StorageClass, TagStatus } from './enums';
import { isSinceCountType } from './render';
import { LifecycleRule } from './rule';

/*
 * Strict reader of ECR lifecycle policy JSON. It checks structure and types (unknown
 * keys, nulls, wrong types, unknown enum values, countUnit/targetStorageClass that
 * contradict the rest of the rule) and throws one Error listing every such problem.
 * Semantic rules (priorities, lists, the storage class table, quotas) are left to
 * validateLifecyclePolicy so that they are checked in one place.
 */

const RULE_KEYS = ['rulePriority', 'description', 'selection', 'action'];
const SELECTION_KEYS = ['tagStatus', 'tagPrefixList', 'tagPatternList', 'storageClass', 'countType', 'countUnit', 'countNumber'];
const ACTION_KEYS = ['type', 'targetStorageClass'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/**
 * Parse ECR lifecycle policy JSON into rules. Throws an Error naming every problem.
 * @internal
 */
export function parseLifecyclePolicyJson(text: string): LifecycleRule[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`Lifecycle policy is not valid JSON: ${(error as Error).message}`);
  }
  const problems: string[] = [];
  if (!isObject(document)) {
    throw new Error(`Lifecycle policy must be a JSON object with a "rules" array, got ${describe(document)}`);
  }
  for (const key of Object.keys(document)) {
    if (key !== 'rules') problems.push(`unknown key "${key}" at the top level (only "rules" is allowed)`);
  }
  if (!Array.isArray(document.rules)) {
    problems.push(`"rules" must be an array, got ${describe(document.rules)}`);
    throw parseError(problems);
  }

  const rules: LifecycleRule[] = [];
  document.rules.forEach((raw: unknown, index: number) => {
    const where = `rules[${index}]`;
    if (!isObject(raw)) {
      problems.push(`${where} must be an object, got ${describe(raw)}`);
      return;
    }
    const rule = readRule(raw, where, problems);
    if (rule) rules.push(rule);
  });

  if (problems.length > 0) {
    throw parseError(problems);
  }
  return rules;
}

function parseError(problems: string[]): Error {
  return new Error(`Lifecycle policy JSON is malformed:\n- ${problems.join('\n- ')}`);
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

function readRule(raw: Record<string, unknown>, where: string, problems: string[]): LifecycleRule | undefined {
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
  const tagStatus = readEnum(selection.tagStatus, TagStatus, `${sel}.tagStatus`, problems);
  const countType = readEnum(selection.countType, CountType, `${sel}.countType`, problems);
  const storageClass = selection.storageClass === undefined || selection.storageClass === null
    ? undefined : readEnum(selection.storageClass, StorageClass, `${sel}.storageClass`, problems);
  const tagPrefixList = selection.tagPrefixList === undefined || selection.tagPrefixList === null
    ? undefined : readStringList(selection.tagPrefixList, `${sel}.tagPrefixList`, problems);
  const tagPatternList = selection.tagPatternList === undefined || selection.tagPatternList === null
    ? undefined : readStringList(selection.tagPatternList, `${sel}.tagPatternList`, problems);
  let countNumber: number | undefined;
  if (typeof selection.countNumber !== 'number') {
    problems.push(`${sel}.countNumber must be a number, got ${selection.countNumber === undefined ? 'nothing' : describe(selection.countNumber)}`);
  } else {
    countNumber = selection.countNumber;
  }
  if (countType !== undefined) {
    if (isSinceCountType(countType)) {
      if (selection.countUnit !== 'days') {
        problems.push(`${sel}.countUnit must be "days" for countType ${countType}, got ${selection.countUnit === undefined ? 'nothing' : describe(selection.countUnit)}`);
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
        problems.push(`${where}.action.targetStorageClass must be "archive" for a transition, got ${target === undefined ? 'nothing' : describe(target)}`);
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
  const rule: { -readonly [K in keyof LifecycleRule]: LifecycleRule[K] } = { tagStatus, countType, countNumber };
  if (rulePriority !== undefined) rule.rulePriority = rulePriority;
  if (description !== undefined) rule.description = description;
  if (tagPrefixList !== undefined) rule.tagPrefixList = tagPrefixList;
  if (tagPatternList !== undefined) rule.tagPatternList = tagPatternList;
  if (storageClass !== undefined) rule.storageClass = storageClass;
  if (action !== undefined) rule.action = action;
  return rule;
}
