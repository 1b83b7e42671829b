import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { POLICY_PROPERTY } from '../../internal/ecr-facts';
import { openAccessProblems } from '../../internal/policy';
import { AppIndex, policyStatements } from '../app-index';

/**
 * Repository, registry and creation template policies never allow the `*`
 * principal unless a condition really restricts it to named accounts,
 * organizations or organization paths (`StringEquals aws:PrincipalOrgID`,
 * `ForAnyValue:StringLike aws:PrincipalOrgPaths "o-.../*"`, ...). Conditions
 * are judged by meaning: negated operators, `...IfExists` and wildcards that
 * match any account do not count. Unlike AwsSolutions-ECR1, conditions count.
 */
export function openAccess(node: CfnResource, index: AppIndex): NagRuleResult {
  const property = POLICY_PROPERTY[node.cfnResourceType];
  if (!property) return NagRuleCompliance.NOT_APPLICABLE;
  const policy = index.propertiesOf(node)[property];
  if (policy === undefined) return NagRuleCompliance.COMPLIANT;
  const statements = policyStatements(policy);
  if (statements === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  return openAccessProblems(statements).length > 0 ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}
