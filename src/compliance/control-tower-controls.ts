import { hasIntrinsic } from './app-index';
import { CFN_GUARD_PLUGIN, CONTROL_TOWER_ECR_CONTROLS, CONTROL_TOWER_TAG_MUTABILITY, ControlTowerEcrControl } from '../internal/ecr-facts';

/*
 * AWS Control Tower's proactive controls on ECR repositories, read from an
 * AWS::ECR::Repository's CloudFormation properties exactly as AWS's cfn-guard
 * rules read them. One home for each check: the compliance pack's
 * ControlTowerScanOnPush, ControlTowerImmutableTags and LifecyclePolicy
 * (its Missing finding), the catalog's Control Tower acknowledgements and the
 * adoption plan all use these. No cdk-nag here: the fleet and the command
 * line load without it.
 */

/** The Control Tower controls on ECR repositories, in ID order. @internal */
export const CONTROL_TOWER_CONTROLS = Object.keys(CONTROL_TOWER_ECR_CONTROLS).sort() as ControlTowerEcrControl[];

/** How a repository's properties fare under a control: `unknown` when the value is not known before the deploy. @internal */
export type ControlVerdict = 'compliant' | 'non-compliant' | 'unknown';

/**
 * A repository's properties (CloudFormation names) under one control:
 * CT.ECR.PR.1 a non-empty `LifecyclePolicy.LifecyclePolicyText`, CT.ECR.PR.2
 * `ImageScanningConfiguration.ScanOnPush` true, CT.ECR.PR.3
 * `ImageTagMutability` `IMMUTABLE` exactly.
 *
 * @internal
 */
export function controlTowerVerdict(control: ControlTowerEcrControl, properties: Record<string, unknown>): ControlVerdict {
  switch (control) {
    case 'CT.ECR.PR.1': {
      const policy = properties.LifecyclePolicy as Record<string, unknown> | undefined;
      const text = isRecord(policy) ? policy.LifecyclePolicyText : undefined;
      if (hasIntrinsic(policy) || hasIntrinsic(text)) return 'unknown';
      return typeof text === 'string' && !/^\s*$/.test(text) ? 'compliant' : 'non-compliant';
    }
    case 'CT.ECR.PR.2': {
      const scanning = properties.ImageScanningConfiguration;
      if (hasIntrinsic(scanning)) return 'unknown';
      return isRecord(scanning) && scanning.ScanOnPush === true ? 'compliant' : 'non-compliant';
    }
    default: {
      const mutability = properties.ImageTagMutability;
      if (hasIntrinsic(mutability)) return 'unknown';
      return mutability === CONTROL_TOWER_TAG_MUTABILITY ? 'compliant' : 'non-compliant';
    }
  }
}

/** The controls a repository's properties fail, in ID order (a value unknown before the deploy fails none). @internal */
export function failedControlTowerControls(properties: Record<string, unknown>): ControlTowerEcrControl[] {
  return CONTROL_TOWER_CONTROLS.filter((c) => controlTowerVerdict(c, properties) === 'non-compliant');
}

/**
 * The acknowledgement ID of a control's finding as the cfn-guard policy
 * validation plugin reports it (`cdk-validator-cfnguard::RULE`): aws-cdk-lib
 * suppresses a plugin's violation whose `PLUGIN::RULE` was acknowledged on
 * the violating resource or one of its scopes.
 *
 * @internal
 */
export function controlTowerGuardRuleId(control: ControlTowerEcrControl): string {
  return `${CFN_GUARD_PLUGIN}::${CONTROL_TOWER_ECR_CONTROLS[control].guardRule}`;
}

/** What a control requires of a repository, in words. @internal */
export function controlTowerRequirement(control: ControlTowerEcrControl): string {
  return CONTROL_TOWER_ECR_CONTROLS[control].requires;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

