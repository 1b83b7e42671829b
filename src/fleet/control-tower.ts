import { IConstruct } from 'constructs';
import { FindingAcknowledgement } from './model';
import { controlTowerGuardRuleId, controlTowerRequirement } from '../compliance/control-tower-controls';
import { isControlTowerAcknowledgement } from '../compliance/rule-ids';
import { acknowledgePluginRule } from '../internal/acknowledge';
import { ControlTowerEcrControl } from '../internal/ecr-facts';
import { LifecyclePolicy } from '../lifecycle/policy';

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

/** One Control Tower control a live repository fails, as `catalog import` found it. @internal */
export interface ControlTowerChange {
  readonly control: ControlTowerEcrControl;
  /** The live setting, in words. */
  readonly live: string;
  /** The setting written instead (with `--control-tower`), in words; absent when the control is acknowledged. */
  readonly compliant?: string;
}

/** The Control Tower controls one repository of an export fails. @internal */
export interface ControlTowerImport {
  readonly repositoryName: string;
  readonly controls: ControlTowerChange[];
  /** Whether the catalog changes the settings to comply (otherwise it acknowledges the controls). */
  readonly changed: boolean;
}

/** The catalog's lifecycle preset that `catalog import --control-tower` gives a repository without a lifecycle policy (CT.ECR.PR.1). @internal */
export const CONTROL_TOWER_LIFECYCLE_PRESET = 'recommended';

/**
 * The reason `catalog import` writes with its acknowledgement of a control
 * the live setting fails: the setting is kept, and an account whose
 * organizational unit enforces the control refuses the deploy that creates
 * or updates the repository until the setting changes.
 *
 * @internal
 */
export function controlTowerAcknowledgementReason(control: ControlTowerEcrControl, origin: string, live: string): string {
  return `Kept as it runs in ${origin} (catalog import): ${live}. AWS Control Tower's ${control} requires ${controlTowerRequirement(control)}: `
    + 'in an account that enforces it, CloudFormation refuses a deploy that creates or updates this repository until the setting changes. '
    + 'Change it (or import with --control-tower) and drop this acknowledgement to comply.';
}

/**
 * What changing a live setting to comply with a control does to the
 * repository's users, in words (`catalog import --control-tower` and the
 * adoption plan's in-place updates say it).
 *
 * @internal
 */
export function controlTowerConsequence(control: ControlTowerEcrControl): string {
  switch (control) {
    case 'CT.ECR.PR.1': return `the lifecycle policy starts expiring images at once: ${recommendedRules()}; expired images are deleted`;
    case 'CT.ECR.PR.2': return 'every image pushed from then on is scanned on push (basic scanning) while the registry has no scanning configuration, which overrides the repository\'s own setting';
    default: return 'tags become immutable: a push of a tag that already exists in the repository fails (moving tags such as latest stop working), and exclusion filters are dropped';
  }
}

/** The rules of the preset `catalog import --control-tower` writes, by their own descriptions. */
function recommendedRules(): string {
  const rules = (JSON.parse(LifecyclePolicy.recommended().toJson()) as { rules: { description?: string }[] }).rules;
  return rules.map((r) => r.description ?? '').filter((d) => d !== '').join('; ').toLowerCase();
}
