import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { REGISTRY_SINGLETON_TYPES } from '../../internal/ecr-facts';
import { AppIndex } from '../app-index';

/**
 * A registry-level resource (registry policy, replication, scanning or
 * signing configuration) is written once per account and region: two in
 * the app for the same account and region overwrite each other. Stacks
 * without a concrete environment are compared only with themselves.
 */
export function registrySingleton(node: CfnResource, index: AppIndex): NagRuleResult {
  if (!REGISTRY_SINGLETON_TYPES.includes(node.cfnResourceType)) return NagRuleCompliance.NOT_APPLICABLE;
  const same = index.inRegistryOf(node.stack, node.cfnResourceType);
  return same.length > 1 ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}
