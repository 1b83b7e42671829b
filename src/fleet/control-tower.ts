import { IConstruct } from 'constructs';
import { FindingAcknowledgement } from './model';
import { controlTowerGuardRuleId } from '../compliance/control-tower-controls';
import { isControlTowerAcknowledgement } from '../compliance/rule-ids';
import { acknowledgePluginRule } from '../internal/acknowledge';

/*
 * AWS Control Tower in a fleet: an entry's acknowledgement of a control
 * (`CT.ECR.PR.1` to `CT.ECR.PR.3`) accepts both the compliance pack's finding
 * that mirrors the control (recorded with the entry's other acknowledgements)
 * and the finding of AWS's own cfn-guard rule, as the cfn-guard policy
 * validation plugin (`@cdklabs/cdk-validator-cfnguard`) reports it, so that a
 * pipeline that runs the Control Tower rules gets the verdict of the catalog.
 */

/**
 * Records, on a repository's resource, the acknowledgement of the cfn-guard
 * rule of each Control Tower control the entry acknowledges.
 *
 * @internal
 */
export function acknowledgeControlTower(resource: IConstruct, acknowledgements: readonly FindingAcknowledgement[] | undefined): void {
  for (const a of acknowledgements ?? []) {
    if (isControlTowerAcknowledgement(a.id)) acknowledgePluginRule(resource, controlTowerGuardRuleId(a.id), a.reason);
  }
}
