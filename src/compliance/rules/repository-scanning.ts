import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { EcrType } from '../../internal/ecr-facts';
import { repositoryScanning as scanningOf, ScanningRuleModel } from '../../scanning/checks';
import { ScanFrequency, ScanType } from '../../scanning/enums';
import { AppIndex, hasIntrinsic } from '../app-index';

/**
 * Private repositories are scanned, as ECR decides it (`repositoryScanning`
 * of the scanning model): without a registry scanning configuration in the
 * same account and region (in any stack of the app), the repository's own
 * scan on push; with one, a rule whose filter covers the repository's name
 * (BASIC: otherwise MANUAL; ENHANCED: otherwise disabled). Security Hub
 * ECR.1, Control Tower CT.ECR.PR.2.
 *
 * Not applicable when the answer cannot be known at synth (a token name,
 * or a configuration that is not literal).
 */
export function repositoryScanning(node: CfnResource, index: AppIndex): NagRuleResult {
  if (node.cfnResourceType !== EcrType.REPOSITORY) return NagRuleCompliance.NOT_APPLICABLE;
  const props = index.propertiesOf(node);
  const configs = index.inRegistryOf(node.stack, EcrType.REGISTRY_SCANNING_CONFIGURATION).map((c) => index.propertiesOf(c.resource));
  if (configs.some((c) => !Array.isArray(c.Rules) || hasIntrinsic(c.Rules) || typeof c.ScanType !== 'string')) return NagRuleCompliance.NOT_APPLICABLE;
  const rules: ScanningRuleModel[] = configs.flatMap((c) => c.Rules.map((r: any) => ({
    frequency: r.ScanFrequency as ScanFrequency,
    filters: (r.RepositoryFilters ?? []).map((f: any) => f.Filter).filter((f: unknown) => typeof f === 'string'),
  })));
  const registry = configs.length === 0 ? undefined : { scanType: configs[0].ScanType as ScanType, rules };
  const name = typeof props.RepositoryName === 'string' ? props.RepositoryName : undefined;
  const answer = scanningOf(name, props.ImageScanningConfiguration?.ScanOnPush === true, registry);
  if (answer.scanned === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  return answer.scanned ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
