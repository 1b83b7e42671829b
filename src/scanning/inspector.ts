import { CustomResource, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ScanType } from './enums';
import { RegistryScanning } from './registry-scanning';
import { BOOLEAN, guardConstruct, oneOf, optional } from '../internal/input';
import { Problems, subjectOf } from '../internal/problems';
import { isRolledOut } from '../internal/rollout';
import { ROLLED_OUT_PROBLEM, SERVICE_TIMEOUT, SettingsProvider } from '../registry/account-settings-provider';
import { Registry } from '../registry/registry';
import { RegistrySettingKind } from '../registry/settings';
import { SettingsProviderPlacement } from '../registry/settings-provider-placement';

/**
 * How long Amazon Inspector keeps rescanning an image after it was pushed.
 */
export enum InspectorRescanDuration {
  /** As long as the image is in the repository. */
  LIFETIME = 'LIFETIME',
  /** 14 days. */
  DAYS_14 = 'DAYS_14',
  /** 30 days. */
  DAYS_30 = 'DAYS_30',
  /** 60 days. */
  DAYS_60 = 'DAYS_60',
  /** 90 days. */
  DAYS_90 = 'DAYS_90',
  /** 180 days. */
  DAYS_180 = 'DAYS_180',
}
Object.freeze(InspectorRescanDuration);

/**
 * How long Amazon Inspector keeps rescanning an image after it was last pulled (or used).
 */
export enum InspectorPullDateRescanDuration {
  /** 14 days. */
  DAYS_14 = 'DAYS_14',
  /** 30 days. */
  DAYS_30 = 'DAYS_30',
  /** 60 days. */
  DAYS_60 = 'DAYS_60',
  /** 90 days. */
  DAYS_90 = 'DAYS_90',
  /** 180 days. */
  DAYS_180 = 'DAYS_180',
}
Object.freeze(InspectorPullDateRescanDuration);

/**
 * Which date the pull-date rescan duration counts from.
 */
export enum InspectorPullDateRescanMode {
  /** The image's last pull. */
  LAST_PULL_DATE = 'LAST_PULL_DATE',
  /** The last time the image was seen in use (by Amazon ECS or EKS). */
  LAST_IN_USE_AT = 'LAST_IN_USE_AT',
}
Object.freeze(InspectorPullDateRescanMode);

/**
 * Properties of Amazon Inspector scanning of ECR images.
 */
export interface InspectorScanningProps extends SettingsProviderPlacement {
  /**
   * How long images are rescanned after their push.
   *
   * @default - Amazon Inspector's current setting is kept
   */
  readonly rescanDuration?: InspectorRescanDuration;

  /**
   * How long images are rescanned after their last pull (or use). Needs
   * `rescanDuration`.
   *
   * @default - Amazon Inspector's current setting is kept
   */
  readonly pullDateRescanDuration?: InspectorPullDateRescanDuration;

  /**
   * Which date `pullDateRescanDuration` counts from. Needs `rescanDuration`.
   *
   * @default - Amazon Inspector's current setting is kept
   */
  readonly pullDateRescanMode?: InspectorPullDateRescanMode;

  /**
   * Whether deleting this resource undoes what it did: turns Amazon
   * Inspector scanning of ECR off again if this resource turned it on
   * (if it was on before, it stays on), or else puts back the rescan
   * durations found before it set them, if they are still the ones it set.
   * In a member account of an organization, what the delegated
   * administrator owns is left alone.
   *
   * @default false
   */
  readonly disableOnDelete?: boolean;
}

/**
 * Turns on Amazon Inspector scanning of the account's ECR images
 * (`inspector2:Enable` for ECR, which has no CloudFormation resource) and
 * sets its rescan durations, through a custom resource. It also sets the
 * stack's registry scanning configuration to ENHANCED.
 *
 * Create and update converge whatever the account's state was; delete
 * leaves Inspector on unless `disableOnDelete` is set. In a member account
 * of an organization whose Inspector has a delegated administrator, what the
 * administrator owns (enabling, rescan durations, disabling) is left alone
 * and reported in the response data (`Skipped`), never failing the
 * deployment.
 *
 * @example
 * new InspectorScanning(this, 'Inspector', { rescanDuration: InspectorRescanDuration.DAYS_180 });
 */
export class InspectorScanning extends Construct {
  /** The custom resource. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: InspectorScanningProps = {}) {
    guardConstruct('InspectorScanning', scope, id, props, {
      rescanDuration: optional(oneOf(InspectorRescanDuration)),
      pullDateRescanDuration: optional(oneOf(InspectorPullDateRescanDuration)),
      pullDateRescanMode: optional(oneOf(InspectorPullDateRescanMode)),
      disableOnDelete: optional(BOOLEAN),
    });
    super(scope, id);
    const subject = subjectOf('InspectorScanning', scope, id);
    const problems = new Problems(subject);
    if (!props.rescanDuration && (props.pullDateRescanDuration || props.pullDateRescanMode)) {
      problems.add('pullDateRescanDuration and pullDateRescanMode need rescanDuration: Amazon Inspector takes the three together');
    }
    if (isRolledOut(Stack.of(this))) problems.add(ROLLED_OUT_PROBLEM);
    problems.throwIfAny();
    const claim = { kind: RegistrySettingKind.INSPECTOR_SCANNING, owner: this, subject };
    const clash = Registry.of(this)._claim(claim);
    if (clash !== undefined) problems.add(clash);
    problems.throwIfAny();
    RegistryScanning.of(this).useScanType(ScanType.ENHANCED);

    const provider = SettingsProvider.of(this, subject, props);
    // Create and update only: the delete-time actions are always on the provider.
    provider.allow('inspector2:Enable');
    provider.allowInspectorServiceLinkedRole();

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.function.functionArn,
      serviceTimeout: SERVICE_TIMEOUT,
      resourceType: 'Custom::EcrInspectorScanning',
      properties: {
        Kind: 'Inspector',
        RescanDuration: props.rescanDuration,
        PullDateRescanDuration: props.pullDateRescanDuration,
        PullDateRescanMode: props.pullDateRescanMode,
        DisableOnDelete: String(props.disableOnDelete ?? false),
      },
    });
    this.resource.node.addDependency(provider.policy);
  }
}
