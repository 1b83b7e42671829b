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
