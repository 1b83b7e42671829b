import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { EcrType, KMS_ENCRYPTION_TYPES } from '../../internal/ecr-facts';
import { AppIndex } from '../app-index';

/**
 * Private repositories (and repository creation templates) encrypt with a
 * customer managed AWS KMS key: KMS or KMS_DSSE with a key named.
 * Security Hub ECR.5. KMS without a key is encrypted with the AWS managed
 * key `aws/ecr` (`ImageEncryption.KMS_AWS_MANAGED`), which is not
 * customer managed: non-compliant, as ECR.5 reads it.
 */
export function customerManagedKey(node: CfnResource, index: AppIndex): NagRuleResult {
  if (node.cfnResourceType !== EcrType.REPOSITORY && node.cfnResourceType !== EcrType.REPOSITORY_CREATION_TEMPLATE) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const encryption = index.propertiesOf(node).EncryptionConfiguration;
  const type = encryption?.EncryptionType;
  if (!KMS_ENCRYPTION_TYPES.includes(type)) return NagRuleCompliance.NON_COMPLIANT;
  return encryption.KmsKey !== undefined ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
