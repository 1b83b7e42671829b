import { capTotalRules, expireUntaggedRules } from './builders';
import { lifecyclePolicyJsonProblems, parseLifecyclePolicyJson } from './parse';
import { previewLifecyclePolicy } from './preview';
import { assignPriorities, copyRule } from './priorities';
import { renderLifecyclePolicy, sortByPriority } from './render';
import { LifecyclePolicyRule } from './rule';
import { lazyPolicyText } from './token';
import { containsToken, validateLifecyclePolicy } from './validate';
import { guard, instanceOf, listOf, OBJECT, optional, STRING } from '../internal/input';

/**
 * An Amazon ECR lifecycle policy: an immutable list of rules with priorities.
 *
 * Build one from rules, from existing ECR JSON or from presets, then render it with
 * `toJson()` and check it with `validate()`.
 *
 * @example
 * const policy = LifecyclePolicy.combine(
 *   LifecyclePresets.protectTags(['prod', 'stable']),
 *   LifecyclePresets.keepLastReleases(20, ['v*.*.*']),
 *   LifecyclePolicy.recommended(),
 * );
 */
export class LifecyclePolicy {
  /**
   * A policy made of the given rules. Rules without `rulePriority` get one assigned:
   * explicit priorities are kept, the other rules take the free numbers from 1 in the
   * order given, and `any` rules come after every other rule.
   *
   * Does not throw on invalid rules; call `validate()`.
   *
   * @param rules the rules, in the order their automatic priorities should follow
   */
  public static fromRules(rules: LifecyclePolicyRule[]): LifecyclePolicy {
    guard('LifecyclePolicy.fromRules', { rules: [rules, listOf(OBJECT)] });
    return new LifecyclePolicy(rules);
  }

  /**
   * Parse an existing ECR lifecycle policy document.
   *
   * Throws an Error when the text is not JSON, has unknown keys, `null` values, values of
   * the wrong type or unknown enum values, or a `countUnit` / `targetStorageClass` that
   * contradicts the rule; the error lists every problem of the text, those that
   * `validate()` would report included. Text that reads well but breaks ECR's rules
   * (duplicate priorities, quotas, ...) parses, and `validate()` reports it.
   *
   * @param text lifecycle policy JSON, as accepted by `aws ecr put-lifecycle-policy`
   */
  public static fromJson(text: string): LifecyclePolicy {
    guard('LifecyclePolicy.fromJson', { text: [text, STRING] });
    return new LifecyclePolicy(parseLifecyclePolicyJson(text));
  }

  /**
   * Every problem of a lifecycle policy JSON text in one list: what keeps it from being
   * read (not JSON, unknown keys, wrong types, named by JSON path such as
   * `rules[2].selection.tagStatus`) and what ECR would reject (named by position in the
   * `rules` array and priority, as `validate()` does). Empty when ECR would accept it.
   *
   * @param text lifecycle policy JSON, as accepted by `aws ecr put-lifecycle-policy`
   */
  public static validateJson(text: string): string[] {
    return lifecyclePolicyJsonProblems(text);
  }

  /**
   * Every problem of a list of lifecycle rules, as the policy `fromRules(rules)` would
   * report them with `validate()`: rules without `rulePriority` are first given one (see
   * `fromRules`), then each problem names the rule by its position in the list given,
   * its priority and its description, and says what to change. Empty when ECR would
   * accept the policy. Values that are unresolved CDK tokens are not checked.
   *
   * This is the lifecycle check for every jsii language (Python, Java, .NET, Go), which
   * cannot call the TypeScript function `validateLifecyclePolicy`.
   *
   * @param rules the rules, in the order their automatic priorities should follow
   */
  public static validateRules(rules: LifecyclePolicyRule[]): string[] {
    guard('LifecyclePolicy.validateRules', { rules: [rules, listOf(OBJECT)] });
    return LifecyclePolicy.fromRules(rules).validate();
  }

  /**
   * The repository default: expire untagged images 14 days after push and keep at most
   * 1,000 images in total (the oldest beyond that expire).
   *
   * Untagged images are left behind when a tag moves to a new image; two weeks leaves
   * time to roll back to a digest. The total cap stops a repository from growing without
   * bound (old images keep old vulnerabilities and cost storage) while keeping years of
   * typical release history, well below the 100,000 images-per-repository quota.
   *
   * Renders:
   * ```json
   * {"rules":[
   *  {"rulePriority":1,"description":"Expire untagged images pushed more than 14 days ago",
   *   "selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},
   *   "action":{"type":"expire"}},
   *  {"rulePriority":2,"description":"Keep at most 1000 images, expire the oldest",
   *   "selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1000},
   *   "action":{"type":"expire"}}]}
   * ```
   */
  public static recommended(): LifecyclePolicy {
    return new LifecyclePolicy([...expireUntaggedRules(14), ...capTotalRules(1000)]);
  }

  /**
   * Combine policies into one, in the order given.
   *
   * Rules that had an explicit `rulePriority` keep it; all others are numbered again
   * across the combined policy (earlier policies first, `any` rules last). Put
   * protecting rules (see `LifecyclePresets.protectTags`) first.
   *
   * @param policies the policies to combine
   */
  public static combine(...policies: LifecyclePolicy[]): LifecyclePolicy {
    guard('LifecyclePolicy.combine', { policies: [policies, listOf(instanceOf(LifecyclePolicy))] });
    const rules: LifecyclePolicyRule[] = [];
    for (const policy of policies) {
      rules.push(...policy.inputRules);
    }
    return new LifecyclePolicy(rules);
  }

  /** The rules as given, priorities only where explicit. */
  private readonly inputRules: LifecyclePolicyRule[];
  /** The rules with priorities assigned, sorted by priority. */
  private readonly assignedRules: LifecyclePolicyRule[];
  /**
   * The rendered text, once rendered (the policy is immutable, so a policy
   * shared by thousands of repositories is rendered once). Unset while the
   * rules hold tokens: that text is a `Lazy` rendered at synth.
   */
  private renderedText?: string;
  /** The problems, once validated (immutable, like the text). */
  private validatedProblems?: readonly string[];

  private constructor(rules: LifecyclePolicyRule[]) {
    if (!Array.isArray(rules)) {
      throw new Error('LifecyclePolicy.fromRules expects an array of rules');
    }
    this.inputRules = rules.map((rule) => Object.freeze(copyRule(rule, rule.rulePriority)));
    this.assignedRules = sortByPriority(assignPriorities(this.inputRules)).map((rule) => Object.freeze(rule));
  }

  /**
   * The rules, with priorities assigned, sorted by priority (a copy).
   */
  public get rules(): LifecyclePolicyRule[] {
    return this.assignedRules.map((rule) => copyRule(rule, rule.rulePriority));
  }

  /**
   * The policy as ECR lifecycle policy JSON: compact, keys in a fixed order, optional keys
   * omitted (never `null`), rules sorted by priority. Equal policies give equal bytes.
   *
   * When a rule holds CDK tokens, the text is a token that is rendered at synth from the
   * resolved values, so that a `Lazy` description or tag list is written as proper JSON.
   */
  public toJson(): string {
    if (this.renderedText !== undefined) return this.renderedText;
    if (this.assignedRules.some(containsToken)) {
      return lazyPolicyText(this.assignedRules, renderLifecyclePolicy);
    }
    return this.renderedText = renderLifecyclePolicy(this.assignedRules);
  }

  /**
   * Every problem ECR would reject (or that this library refuses), each naming the rule by
   * its position in the rules as given (for a policy read with `fromJson`, its index in the
   * `rules` array), its priority and its description, and saying what to change, for
   * example `rules[1] (rulePriority 1): rulePriority 1 is also used by rules[0]
   * (rulePriority 1)`. Empty when the policy is valid. Values that are unresolved CDK
   * tokens are not checked.
   */
  public validate(): string[] {
    this.validatedProblems ??= Object.freeze(validateLifecyclePolicy(assignPriorities(this.inputRules)));
    return [...this.validatedProblems];
  }

  /**
   * Preview offline what this policy would do to a repository's images, as ECR documents
   * the evaluation (see docs/lifecycle.md for the choices where the docs are silent).
   *
   * Throws when the policy is invalid or the images cannot be read.
   *
   * @param describeImagesJson the output of `aws ecr describe-images` as JSON text
   * @param now the evaluation time as ISO-8601 text; default: the current time
   * @returns JSON shaped like the output of `aws ecr get-lifecycle-policy-preview`
   */
  public preview(describeImagesJson: string, now?: string): string {
    guard('LifecyclePolicy.preview', { describeImagesJson: [describeImagesJson, STRING], now: [now, optional(STRING)] });
    let images: unknown;
    try {
      images = JSON.parse(describeImagesJson);
    } catch (error) {
      throw new Error(`Images are not valid JSON: ${(error as Error).message}`);
    }
    return JSON.stringify(previewLifecyclePolicy(this, images as Parameters<typeof previewLifecyclePolicy>[1], now));
  }
}
