import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { checkArchiveConsumers } from './archive-consumer-checks';
import { LifecycleAction } from './enums';
import { LifecyclePolicy } from './policy';
import { validateLifecyclePolicy } from './validate';
import { Problems } from '../internal/problems';
import { checkAtSynth } from '../internal/resolve';

/** A lifecycle policy as a resource receives it. @internal */
export interface AttachedLifecyclePolicy {
  /** The policy in force: the one given, or the default. */
  readonly policy: LifecyclePolicy;
  /** Its text, for `LifecyclePolicyText` or a creation template's `LifecyclePolicy`. */
  readonly text: string;
}

let recommended: LifecyclePolicy | undefined;
/** Whether a policy archives images, per policy (a fleet's repositories share a few policies). */
const archives = new WeakMap<LifecyclePolicy, boolean>();

/**
 * The lifecycle policy of a repository, or of the repositories ECR creates
 * from a repository creation template, in one place: the default when none
 * is given (`LifecyclePolicy.recommended()`), its problems added to
 * `problems` as `lifecyclePolicy: ...`, checked again at synth when it holds
 * values known only then (`Lazy`), and its text.
 *
 * @internal
 */
export function attachLifecyclePolicy(scope: IConstruct, problems: Problems, given: LifecyclePolicy | undefined): AttachedLifecyclePolicy {
  const policy = given ?? (recommended ??= LifecyclePolicy.recommended());
  // A policy renders and validates itself once (it is immutable), so one
  // shared by many repositories (the default, a platform-wide preset) costs one rendering.
  const text = policy.toJson();
  problems.addAll(policy.validate(), 'lifecyclePolicy: ');
  if (Token.isUnresolved(text)) {
    checkAtSynth(scope, problems, policy.rules, (p, rules) => p.addAll(validateLifecyclePolicy(rules, true), 'lifecyclePolicy: '));
  }
  let archiving = archives.get(policy);
  if (archiving === undefined) archives.set(policy, archiving = policy.rules.some((r) => r.action === LifecycleAction.TRANSITION));
  if (archiving) checkArchiveConsumers(scope);
  return { policy, text };
}
