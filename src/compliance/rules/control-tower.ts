import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { EcrType } from '../../internal/ecr-facts';
import { AppIndex } from '../app-index';
import { controlTowerVerdict, ControlVerdict } from '../control-tower-controls';

/**
 * The repository itself scans on push (`ImageScanningConfiguration.ScanOnPush`
 * is `true`), as AWS Control Tower's CT.ECR.PR.2
 * (`ecr_private_image_scanning_enabled_check`) reads it: a registry scanning
 * rule does not count, unlike Security Hub ECR.1 (see `RepositoryScanning`).
 */
export function controlTowerScanOnPush(node: CfnResource, index: AppIndex): NagRuleResult {
  if (node.cfnResourceType !== EcrType.REPOSITORY) return NagRuleCompliance.NOT_APPLICABLE;
  return nagResult(controlTowerVerdict('CT.ECR.PR.2', index.propertiesOf(node)));
}

/**
 * The repository's tag mutability is exactly `IMMUTABLE`, as AWS Control
 * Tower's CT.ECR.PR.3 (`ecr_private_tag_immutability_enabled_check`) reads
 * it: `IMMUTABLE_WITH_EXCLUSION` fails, unlike Security Hub ECR.2 (see
 * `TagImmutability`).
 */
export function controlTowerImmutableTags(node: CfnResource, index: AppIndex): NagRuleResult {
  if (node.cfnResourceType !== EcrType.REPOSITORY) return NagRuleCompliance.NOT_APPLICABLE;
  return nagResult(controlTowerVerdict('CT.ECR.PR.3', index.propertiesOf(node)));
}

function nagResult(verdict: ControlVerdict): NagRuleResult {
  if (verdict === 'unknown') return NagRuleCompliance.NOT_APPLICABLE;
  return verdict === 'compliant' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
