import { CustomResource, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ROLLED_OUT_PROBLEM, SERVICE_TIMEOUT, SettingsProvider } from './account-settings-provider';
import { checkBlobMountingKeys } from './blob-mounting-checks';
import { Registry } from './registry';
import { RegistrySettingKind } from './settings';
import { SettingsProviderPlacement } from './settings-provider-placement';
import { accountSettingSettable, SETTABLE_ACCOUNT_SETTING_VALUES } from '../internal/ecr-facts';
import { BOOLEAN, guardConstruct, oneOf, optional } from '../internal/input';
import { Problems, subjectOf } from '../internal/problems';
import { isRolledOut } from '../internal/rollout';

/**
 * The version of ECR's basic scanning.
 */
export enum BasicScanTypeVersion {
  /** ECR's own scanner, maintained by AWS. */
  AWS_NATIVE = 'AWS_NATIVE',
  /**
   * The earlier Clair-based scanner. ECR no longer takes it
   * (`PutAccountSetting` sets `AWS_NATIVE` only): `EcrAccountSettings`
   * refuses it.
   */
  CLAIR = 'CLAIR',
}
Object.freeze(BasicScanTypeVersion);

/**
 * Which permissions a registry policy can grant.
 */
export enum RegistryPolicyScope {
  /**
   * Only replication and pull-through-cache actions. A registry can still
   * be on it, but ECR no longer sets it (`PutAccountSetting` sets `V2`
   * only): `EcrAccountSettings` refuses it.
   */
  V1 = 'V1',
  /** Every ECR action on the registry's repositories. */
  V2 = 'V2',
}
Object.freeze(RegistryPolicyScope);

/**
 * Whether ECR mounts layers that already exist in another repository of the
 * registry instead of uploading them again (`BLOB_MOUNTING`).
 */
export enum BlobMounting {
  /** Layers are mounted from other repositories of the registry. */
  ENABLED = 'ENABLED',
  /** Every push uploads its layers. */
  DISABLED = 'DISABLED',
}
Object.freeze(BlobMounting);

/** The prop that sets each account setting, for messages. */
const PROP_OF: Record<string, string> = {
  BASIC_SCAN_TYPE_VERSION: 'basicScanTypeVersion',
  REGISTRY_POLICY_SCOPE: 'registryPolicyScope',
  BLOB_MOUNTING: 'blobMounting',
};

/** The enum of each account setting, for messages. */
const ENUM_OF: Record<string, string> = {
  BASIC_SCAN_TYPE_VERSION: 'BasicScanTypeVersion',
  REGISTRY_POLICY_SCOPE: 'RegistryPolicyScope',
  BLOB_MOUNTING: 'BlobMounting',
};

/**
 * Properties of the ECR account settings.
 */
export interface EcrAccountSettingsProps extends SettingsProviderPlacement {
  /**
   * The basic scanning version (`BASIC_SCAN_TYPE_VERSION`): `AWS_NATIVE`,
   * the only value ECR sets (`CLAIR` is refused).
   *
   * @default - unchanged
   */
  readonly basicScanTypeVersion?: BasicScanTypeVersion;

  /**
   * The registry policy scope (`REGISTRY_POLICY_SCOPE`): `V2`, the only
   * value ECR sets (`V1` is refused).
   *
   * @default - unchanged
   */
  readonly registryPolicyScope?: RegistryPolicyScope;

  /**
   * Whether pushes mount layers from other repositories of the registry (`BLOB_MOUNTING`).
   *
   * @default - unchanged
   */
  readonly blobMounting?: BlobMounting;

  /**
   * Whether deleting this resource puts back the values found when it was
   * created: only a value this resource changed, only if it is still the
   * value this resource set, and never `REGISTRY_POLICY_SCOPE` back to V1.
   *
   * @default false
   */
  readonly restoreOnDelete?: boolean;
}

/**
 * Sets ECR account settings that have no CloudFormation resource
 * (`ecr:PutAccountSetting`), through a custom resource per setting.
 *
 * @example
 * new EcrAccountSettings(this, 'AccountSettings', { basicScanTypeVersion: BasicScanTypeVersion.AWS_NATIVE });
 */
export class EcrAccountSettings extends Construct {
  /** The custom resources, one per setting. */
  public readonly resources: CustomResource[] = [];

  constructor(scope: Construct, id: string, props: EcrAccountSettingsProps) {
    guardConstruct('EcrAccountSettings', scope, id, props, {
      basicScanTypeVersion: optional(oneOf(BasicScanTypeVersion)),
      registryPolicyScope: optional(oneOf(RegistryPolicyScope)),
      blobMounting: optional(oneOf(BlobMounting)),
      restoreOnDelete: optional(BOOLEAN),
    });
    super(scope, id);
    const subject = subjectOf('EcrAccountSettings', scope, id);
    const problems = new Problems(subject);
    const settings: Array<[string, string | undefined]> = [
      ['BASIC_SCAN_TYPE_VERSION', props.basicScanTypeVersion],
      ['REGISTRY_POLICY_SCOPE', props.registryPolicyScope],
      ['BLOB_MOUNTING', props.blobMounting],
    ];
    if (settings.every(([, v]) => v === undefined)) problems.add('no setting given: set basicScanTypeVersion, registryPolicyScope or blobMounting');
    for (const [name, value] of settings) {
      if (value === undefined || accountSettingSettable(name, value)) continue;
      const settable = SETTABLE_ACCOUNT_SETTING_VALUES[name];
      problems.add(`${PROP_OF[name]} is ${value}, which ECR no longer sets: PutAccountSetting takes only ${settable.join(' or ')} for ${name}. `
        + `Use ${settable.map((v) => `${ENUM_OF[name]}.${v}`).join(' or ')}, or leave ${PROP_OF[name]} out to keep the account's current value`);
    }
    if (isRolledOut(Stack.of(this))) problems.add(ROLLED_OUT_PROBLEM);
    problems.throwIfAny();
    const claims = settings
      .filter(([, v]) => v !== undefined)
      .map(([name]) => ({ kind: RegistrySettingKind.ACCOUNT_SETTING, key: name, owner: this, subject }));
    for (const claim of claims) {
      const clash = Registry.of(this)._checkClaim(claim);
      if (clash !== undefined) problems.add(clash);
    }
    problems.throwIfAny();
    claims.forEach((claim) => Registry.of(this)._claim(claim));

    const provider = SettingsProvider.of(this, subject, props);
    for (const [name, value] of settings) {
      if (value === undefined) continue;
      Registry.of(this)._recordAccountSetting(name, value);
      if (name === 'BLOB_MOUNTING' && value === BlobMounting.ENABLED) checkBlobMountingKeys(this);
      const resource = new CustomResource(this, name, {
        serviceToken: provider.function.functionArn,
        serviceTimeout: SERVICE_TIMEOUT,
        resourceType: 'Custom::EcrAccountSetting',
        properties: { Kind: 'AccountSetting', Name: name, Value: value, RestoreOnDelete: String(props.restoreOnDelete ?? false) },
      });
      resource.node.addDependency(provider.policy);
      this.resources.push(resource);
    }
  }
}
