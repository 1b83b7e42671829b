import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { EcrType, IMMUTABLE_TAG_MUTABILITIES } from '../../internal/ecr-facts';
import { AppIndex, hasIntrinsic } from '../app-index';

/**
 * Private repositories keep their tags immutable (exclusion filters allowed).
 * Security Hub ECR.2. Control Tower's CT.ECR.PR.3 is stricter (no
 * exclusions): see `controlTowerImmutableTags`.
 */
export function tagImmutability(node: CfnResource, index: AppIndex): NagRuleResult {
  if (node.cfnResourceType !== EcrType.REPOSITORY) return NagRuleCompliance.NOT_APPLICABLE;
  const mutability = index.propertiesOf(node).ImageTagMutability;
  if (hasIntrinsic(mutability)) return NagRuleCompliance.NOT_APPLICABLE;
  return IMMUTABLE_TAG_MUTABILITIES.includes(mutability) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
