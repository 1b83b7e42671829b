import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { AppIndex, hasIntrinsic } from '../app-index';

const IMMUTABLE = ['IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION'];

/**
 * Private repositories keep their tags immutable (exclusion filters allowed).
 * Security Hub ECR.2. Control Tower's CT.ECR.PR.3 is stricter (no
 * exclusions): see `controlTowerImmutableTags`.
 */
export function tagImmutability(node: CfnResource, index: AppIndex): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::ECR::Repository') return NagRuleCompliance.NOT_APPLICABLE;
  const mutability = index.propertiesOf(node).ImageTagMutability;
  if (hasIntrinsic(mutability)) return NagRuleCompliance.NOT_APPLICABLE;
  return IMMUTABLE.includes(mutability) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
