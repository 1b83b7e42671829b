import { CountType, LifecycleAction } from './enums';
import { LifecyclePolicyRule } from './rule';
import { isUnresolvedToken, tokenAsString } from './token';

/*
 * The one place a lifecycle policy becomes ECR JSON. Keys are written in a fixed
 * order, optional keys are omitted (ECR rejects JSON null), and the output is
 * compact, so equal policies always render to equal bytes.
 */

const TOKEN_PLACEHOLDER = '__CDK_ECR_PLATFORM_NUMBER_TOKEN_';

/**
 * Sort rules by priority, keeping the given order for equal priorities and for tokens.
 * @internal
 */
export function sortByPriority(rules: LifecyclePolicyRule[]): LifecyclePolicyRule[] {
  const indexed = rules.map((rule, index) => ({ rule, index }));
  indexed.sort((a, b) => {
    const pa = a.rule.rulePriority;
    const pb = b.rule.rulePriority;
    if (typeof pa === 'number' && typeof pb === 'number' && !isUnresolvedToken(pa) && !isUnresolvedToken(pb) && pa !== pb) {
      return pa - pb;
    }
    return a.index - b.index;
  });
  return indexed.map((entry) => entry.rule);
}

/**
 * True for the count types measured in days, which take `countUnit: days`.
 * @internal
 */
export function isSinceCountType(countType: CountType): boolean {
  return countType === CountType.SINCE_IMAGE_PUSHED
    || countType === CountType.SINCE_IMAGE_PULLED
    || countType === CountType.SINCE_IMAGE_TRANSITIONED;
}

/**
 * Render rules (priorities already assigned) as ECR lifecycle policy JSON.
 * @internal
 */
export function renderLifecyclePolicy(rules: LifecyclePolicyRule[]): string {
  const numberTokens: unknown[] = [];
  const num = (value: number): number | string => {
    if (isUnresolvedToken(value)) {
      numberTokens.push(value);
      return `${TOKEN_PLACEHOLDER}${numberTokens.length - 1}__`;
    }
    return value;
  };

  const document = {
    rules: sortByPriority(rules).map((rule) => {
      const selection: Record<string, unknown> = { tagStatus: rule.tagStatus };
      // Lists are copied; a value of another type (from an untyped caller) is written as given
      // and reported by validation.
      if (rule.tagPrefixList !== undefined) {
        selection.tagPrefixList = Array.isArray(rule.tagPrefixList) ? [...rule.tagPrefixList] : rule.tagPrefixList;
      }
      if (rule.tagPatternList !== undefined) {
        selection.tagPatternList = Array.isArray(rule.tagPatternList) ? [...rule.tagPatternList] : rule.tagPatternList;
      }
      if (rule.storageClass !== undefined) {
        selection.storageClass = rule.storageClass;
      }
      selection.countType = rule.countType;
      if (isSinceCountType(rule.countType)) {
        selection.countUnit = 'days';
      }
      selection.countNumber = num(rule.countNumber);

      const actionType = rule.action ?? LifecycleAction.EXPIRE;
      const action: Record<string, unknown> = { type: actionType };
      if (actionType === LifecycleAction.TRANSITION) {
        action.targetStorageClass = 'archive';
      }

      const rendered: Record<string, unknown> = {};
      if (rule.rulePriority !== undefined) {
        rendered.rulePriority = num(rule.rulePriority);
      }
      if (rule.description !== undefined) {
        rendered.description = rule.description;
      }
      rendered.selection = selection;
      rendered.action = action;
      return rendered;
    }),
  };

  let text = JSON.stringify(document);
  if (numberTokens.length > 0) {
    text = text.replace(new RegExp(`"${TOKEN_PLACEHOLDER}(\\d+)__"`, 'g'),
      (_match, index: string) => tokenAsString(numberTokens[Number(index)]));
  }
  return text;
}
