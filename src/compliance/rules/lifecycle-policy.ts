import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { EcrType } from '../../internal/ecr-facts';
import { LifecyclePolicy } from '../../lifecycle';
import { AppIndex, hasIntrinsic } from '../app-index';
import { controlTowerVerdict } from '../control-tower-controls';
import { RULE_FINDINGS } from '../rule-ids';

const [MISSING, INVALID] = RULE_FINDINGS.LifecyclePolicy!;

/**
 * Private repositories have a lifecycle policy, and the policy is valid
 * according to the library's lifecycle validation (the one ECR's rules are
 * encoded in). Repository creation templates with a lifecycle policy are
 * checked for validity too. Security Hub ECR.3, Control Tower CT.ECR.PR.1.
 *
 * Findings: `Missing` when a repository has none or its text is blank (as
 * CT.ECR.PR.1 reads it), `Invalid` when ECR would reject the policy text.
 */
export function lifecyclePolicy(node: CfnResource, index: AppIndex): NagRuleResult {
  let text: unknown;
  if (node.cfnResourceType === EcrType.REPOSITORY) {
    const properties = index.propertiesOf(node);
    // as Control Tower's CT.ECR.PR.1 reads it: absent, or blank text
    if (controlTowerVerdict('CT.ECR.PR.1', properties) === 'non-compliant') return [MISSING];
    text = properties.LifecyclePolicy?.LifecyclePolicyText;
  } else if (node.cfnResourceType === EcrType.REPOSITORY_CREATION_TEMPLATE) {
    text = index.propertiesOf(node).LifecyclePolicy;
    if (text === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  } else {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  if (typeof text !== 'string' || hasIntrinsic(text)) return NagRuleCompliance.NOT_APPLICABLE;
  return index.memo(`lifecycle:${text}`, () => lifecycleTextProblems(text)).length > 0 ? [INVALID] : NagRuleCompliance.COMPLIANT;
}

/** Every problem of a lifecycle policy text, parse errors included. @internal */
export function lifecycleTextProblems(text: string): string[] {
  return LifecyclePolicy.validateJson(text);
}
