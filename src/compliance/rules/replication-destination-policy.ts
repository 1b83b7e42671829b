import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { EcrType, REPLICATION_ACTIONS } from '../../internal/ecr-facts';
import { allowsAction, AppIndex, envOf, policyStatements } from '../app-index';

/**
 * Cross-account replication works only when the destination registry's
 * policy lets the source account call `ecr:CreateRepository` and
 * `ecr:ReplicateImage`. For every destination in another account whose
 * account and region have a stack in the same app, one of that registry's
 * policies must allow it. Destinations outside the app are not applicable.
 *
 * Findings name the destination: `ACCOUNT-REGION`.
 */
export function replicationDestinationPolicy(node: CfnResource, index: AppIndex): NagRuleResult {
  if (node.cfnResourceType !== EcrType.REPLICATION_CONFIGURATION) return NagRuleCompliance.NOT_APPLICABLE;
  const env = envOf(node.stack);
  if (!env) return NagRuleCompliance.NOT_APPLICABLE;
  const sourceAccount = env.split('/')[0];
  const rules = index.propertiesOf(node).ReplicationConfiguration?.Rules;
  if (!Array.isArray(rules)) return NagRuleCompliance.NOT_APPLICABLE;

  const findings = new Set<string>();
  let checked = false;
  for (const rule of rules) {
    for (const d of rule.Destinations ?? []) {
      if (typeof d.RegistryId !== 'string' || typeof d.Region !== 'string' || d.RegistryId === sourceAccount) continue;
      const stacks = index.stacksIn(d.RegistryId, d.Region);
      if (stacks.length === 0) continue;
      checked = true;
      const policies = stacks.flatMap((s) => index.inRegistryOf(s, EcrType.REGISTRY_POLICY));
      const allowed = policies.some(({ resource }) =>
        (policyStatements(index.propertiesOf(resource).PolicyText) ?? [])
          .some((s) => s.Effect === 'Allow' && namesAccount(s.Principal, sourceAccount) && REPLICATION_ACTIONS.every((a) => allowsAction(s.Action, a))));
      if (!allowed) findings.add(`${d.RegistryId}-${d.Region}`);
    }
  }
  if (findings.size > 0) return [...findings];
  return checked ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NOT_APPLICABLE;
}

/** Whether a resolved Principal element names an account (by ID or its root ARN, literal or joined). */
function namesAccount(principal: unknown, account: string): boolean {
  const text = JSON.stringify(principal ?? '');
  return text.includes(`"${account}"`) || text.includes(`:iam::${account}:root`);
}
