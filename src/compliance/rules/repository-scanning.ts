import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { wildcardMatcher } from '../../scanning/checks';
import { AppIndex, hasIntrinsic } from '../app-index';

/**
 * Private repositories are scanned: either scan on push is on for the
 * repository, or a registry scanning configuration of the same account and
 * region (in any stack of the app) has a rule whose filter matches the
 * repository's name. Security Hub ECR.1, Control Tower CT.ECR.PR.2.
 *
 * A repository without a concrete name is not applicable when some scanning
 * rule exists but no `*` filter would cover every name.
 */
export function repositoryScanning(node: CfnResource, index: AppIndex): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::ECR::Repository') return NagRuleCompliance.NOT_APPLICABLE;
  const props = index.propertiesOf(node);
  if (props.ImageScanningConfiguration?.ScanOnPush === true) return NagRuleCompliance.COMPLIANT;

  const filters: string[] = [];
  let unreadable = false;
  for (const { resource } of index.inRegistryOf(node.stack, 'AWS::ECR::RegistryScanningConfiguration')) {
    const rules = index.propertiesOf(resource).Rules;
    if (!Array.isArray(rules) || hasIntrinsic(rules)) {
      unreadable = true;
      continue;
    }
    for (const rule of rules) {
      for (const f of rule.RepositoryFilters ?? []) {
        if (typeof f.Filter === 'string') filters.push(f.Filter);
      }
    }
  }
  if (filters.includes('*')) return NagRuleCompliance.COMPLIANT;
  const name = props.RepositoryName;
  if (typeof name !== 'string') {
    return filters.length > 0 || unreadable ? NagRuleCompliance.NOT_APPLICABLE : NagRuleCompliance.NON_COMPLIANT;
  }
  if (filters.some((f) => index.memo(`wildcard:${f}`, () => wildcardMatcher(f)).test(name))) return NagRuleCompliance.COMPLIANT;
  return unreadable ? NagRuleCompliance.NOT_APPLICABLE : NagRuleCompliance.NON_COMPLIANT;
}
