import { LifecycleTagStatus } from './enums';
import { LifecyclePolicyRule } from './rule';

/**
 * Give every rule a priority, deterministically.
 *
 * - A rule with an explicit `rulePriority` keeps it (clashes are reported by validation,
 *   not silently renumbered).
 * - The other rules, in the order given, take the smallest positive integers not used
 *   by an explicit priority.
 * - `any` rules without a priority come after every other rule (ECR requires an `any`
 *   rule to have the highest priority within its storage class), in the order given.
 *
 * Returns new rule objects in the order given.
 * @param reserved priorities taken by something else (never assigned)
 * @internal
 */
export function assignPriorities(rules: LifecyclePolicyRule[], reserved: number[] = []): LifecyclePolicyRule[] {
  const used = new Set<number>(reserved);
  for (const rule of rules) {
    if (typeof rule.rulePriority === 'number') {
      used.add(rule.rulePriority);
    }
  }
  const assigned: Array<number | undefined> = rules.map((rule) => rule.rulePriority);

  let next = 1;
  rules.forEach((rule, index) => {
    if (rule.rulePriority !== undefined || rule.tagStatus === LifecycleTagStatus.ANY) {
      return;
    }
    while (used.has(next)) {
      next++;
    }
    assigned[index] = next;
    used.add(next);
  });

  let highest = 0;
  for (const priority of used) {
    if (Number.isFinite(priority) && priority > highest) {
      highest = Math.floor(priority);
    }
  }
  rules.forEach((rule, index) => {
    if (rule.rulePriority === undefined && rule.tagStatus === LifecycleTagStatus.ANY) {
      highest++;
      assigned[index] = highest;
    }
  });

  return rules.map((rule, index) => copyRule(rule, assigned[index]));
}

/**
 * A defensive copy of a rule (arrays copied too), with the given priority.
 * Keys whose value is undefined are left out.
 * @internal
 */
export function copyRule(rule: LifecyclePolicyRule, rulePriority: number | undefined): LifecyclePolicyRule {
  const copy: { -readonly [K in keyof LifecyclePolicyRule]: LifecyclePolicyRule[K] } = {
    tagStatus: rule.tagStatus,
    countType: rule.countType,
    countNumber: rule.countNumber,
  };
  if (rulePriority !== undefined) copy.rulePriority = rulePriority;
  if (rule.description !== undefined) copy.description = rule.description;
  if (rule.tagPrefixList !== undefined) copy.tagPrefixList = Array.isArray(rule.tagPrefixList) ? [...rule.tagPrefixList] : rule.tagPrefixList;
  if (rule.tagPatternList !== undefined) copy.tagPatternList = Array.isArray(rule.tagPatternList) ? [...rule.tagPatternList] : rule.tagPatternList;
  if (rule.storageClass !== undefined) copy.storageClass = rule.storageClass;
  if (rule.action !== undefined) copy.action = rule.action;
  return copy;
}
