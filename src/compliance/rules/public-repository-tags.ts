import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { EcrType } from '../../internal/ecr-facts';
import { AppIndex } from '../app-index';

/**
 * Public repositories carry tags (ownership, cost allocation). Security Hub ECR.4.
 */
export function publicRepositoryTags(node: CfnResource, index: AppIndex): NagRuleResult {
  if (node.cfnResourceType !== EcrType.PUBLIC_REPOSITORY) return NagRuleCompliance.NOT_APPLICABLE;
  const tags = index.propertiesOf(node).Tags;
  return Array.isArray(tags) && tags.length > 0 ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
