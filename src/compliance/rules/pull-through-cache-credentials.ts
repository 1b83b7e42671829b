import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { CREDENTIAL_SECRET_PREFIX, EcrType } from '../../internal/ecr-facts';
import { AppIndex } from '../app-index';

/**
 * Pull-through cache credentials live in a Secrets Manager secret whose name
 * starts with `ecr-pullthroughcache/` (ECR refuses others) and that is
 * encrypted with a customer managed KMS key.
 *
 * Findings: `SecretName` for a wrong or missing prefix, `CustomerManagedKey`
 * for a secret in the same stack without a KMS key. A secret outside the app
 * is checked by the name in its ARN only.
 */
export function pullThroughCacheCredentials(node: CfnResource, index: AppIndex): NagRuleResult {
  if (node.cfnResourceType !== EcrType.PULL_THROUGH_CACHE_RULE) return NagRuleCompliance.NOT_APPLICABLE;
  const credential = index.propertiesOf(node).CredentialArn;
  if (credential === undefined) return NagRuleCompliance.NOT_APPLICABLE;

  if (typeof credential === 'string') {
    const name = credential.split(':secret:')[1];
    if (name === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    return name.startsWith(CREDENTIAL_SECRET_PREFIX) ? NagRuleCompliance.COMPLIANT : ['SecretName'];
  }
  const logicalId = credential?.Ref;
  if (typeof logicalId !== 'string') return NagRuleCompliance.NOT_APPLICABLE;
  const secret = index.ofType('AWS::SecretsManager::Secret')
    .find((s) => s.stack === node.stack && s.stack.resolve(s.resource.logicalId) === logicalId);
  if (!secret) return NagRuleCompliance.NOT_APPLICABLE;
  const props = index.propertiesOf(secret.resource);
  const findings: string[] = [];
  if (typeof props.Name !== 'string') {
    if (props.Name === undefined) findings.push('SecretName');
  } else if (!props.Name.startsWith(CREDENTIAL_SECRET_PREFIX)) {
    findings.push('SecretName');
  }
  if (props.KmsKeyId === undefined) findings.push('CustomerManagedKey');
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
