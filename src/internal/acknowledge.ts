import { Annotations, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledges a validation rule (for example `AwsSolutions-ECR1`) on a
 * construct the library creates, recording what
 * `Validations.of(scope).acknowledge({ id, reason })` records: the
 * `aws:cdk:acknowledged-rules` metadata entry that cdk-nag and aws-cdk-lib's
 * validation report read, with the same rule ID and reason, and the
 * acknowledgement of annotation warnings with that ID.
 *
 * It captures no call stack. `acknowledge()` renders one on every call and
 * hands it to `constructs`, whose `addMetadata` (10.5) keeps no trace it is
 * handed this way; rendering it was the most expensive step of creating a
 * repository with organization access (about a seventh of the synthesis of
 * a fleet). A test compares the metadata written here with `acknowledge()`'s.
 *
 * @param id a rule ID without a `plugin::` prefix
 * @internal
 */
export function acknowledgeRule(scope: IConstruct, id: string, reason: string): void {
  if (id.includes('::')) throw new Error(`acknowledgeRule takes a rule ID without a plugin prefix, not '${id}'`);
  const qualified = `Annotation::${id.replace(/ /g, '-')}`;
  scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [qualified]: reason });
  const annotations = Annotations.of(scope);
  annotations.acknowledgeWarning(qualified);
  annotations.acknowledgeWarning(id);
}

/**
 * Acknowledges a finding of a policy validation plugin by its qualified ID
 * (`PLUGIN::RULE`, for example `cdk-validator-cfnguard::RULE` for AWS Control
 * Tower's cfn-guard rules): the `aws:cdk:acknowledged-rules` metadata entry
 * that `Validations.of(scope).acknowledge({ id, reason })` records for that ID
 * (a plugin name without spaces is its own namespace), which aws-cdk-lib
 * matches against the plugin's violations at the scope and below.
 *
 * @param qualifiedId a rule ID with its plugin prefix
 * @internal
 */
export function acknowledgePluginRule(scope: IConstruct, qualifiedId: string, reason: string): void {
  if (!/^[^\s:]+::[^\s:]+$/.test(qualifiedId)) throw new Error(`acknowledgePluginRule takes PLUGIN::RULE, not '${qualifiedId}'`);
  scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [qualifiedId]: reason });
}
