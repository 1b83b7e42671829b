import { Aws, CustomResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AccountSettingsFunction } from './account-settings-function';
import { ScanType } from './enums';
import { RegistryScanning } from './registry-scanning';
import { BOOLEAN, guardConstruct, oneOf, optional } from '../internal/input';
import { Problems, subjectOf } from '../internal/problems';
import { Registry } from '../registry/registry';

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

/**
 * Which date the pull-date rescan duration counts from.
 */
export enum InspectorPullDateRescanMode {
  /** The image's last pull. */
  LAST_PULL_DATE = 'LAST_PULL_DATE',
  /** The last time the image was seen in use (by Amazon ECS or EKS). */
  LAST_IN_USE_AT = 'LAST_IN_USE_AT',
}

/**
 * Properties of Amazon Inspector scanning of ECR images.
 */
export interface InspectorScanningProps {
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
   * Whether deleting this resource turns Amazon Inspector scanning of ECR
   * off again. Only scanning that this resource turned on is turned off:
   * if it was on before, it stays on.
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
 * leaves Inspector on unless `disableOnDelete` is set.
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
    problems.throwIfAny();
    Registry.of(this)._claim('Custom::EcrInspectorScanning', this.node.path, subject);
    RegistryScanning.of(this).useScanType(ScanType.ENHANCED);

    const provider = SettingsProvider.of(this);
    provider.allow('inspector2:Enable', 'inspector2:BatchGetAccountStatus', 'inspector2:UpdateConfiguration');
    if (props.disableOnDelete) provider.allow('inspector2:Disable');
    provider.allowInspectorServiceLinkedRole();

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.function.functionArn,
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

/**
 * The version of ECR's basic scanning.
 */
export enum BasicScanTypeVersion {
  /** ECR's own scanner, maintained by AWS. */
  AWS_NATIVE = 'AWS_NATIVE',
  /** The earlier Clair-based scanner. */
  CLAIR = 'CLAIR',
}

/**
 * Which permissions a registry policy can grant.
 */
export enum RegistryPolicyScope {
  /** Only replication and pull-through-cache actions. */
  V1 = 'V1',
  /** Every ECR action on the registry's repositories. */
  V2 = 'V2',
}

/**
 * Properties of the ECR account settings.
 */
export interface EcrAccountSettingsProps {
  /**
   * The basic scanning version (`BASIC_SCAN_TYPE_VERSION`).
   *
   * @default - unchanged
   */
  readonly basicScanTypeVersion?: BasicScanTypeVersion;

  /**
   * The registry policy scope (`REGISTRY_POLICY_SCOPE`).
   *
   * @default - unchanged
   */
  readonly registryPolicyScope?: RegistryPolicyScope;

  /**
   * Whether deleting this resource puts back the values found when it was created.
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
      restoreOnDelete: optional(BOOLEAN),
    });
    super(scope, id);
    const subject = subjectOf('EcrAccountSettings', scope, id);
    const problems = new Problems(subject);
    const settings: Array<[string, string | undefined]> = [
      ['BASIC_SCAN_TYPE_VERSION', props.basicScanTypeVersion],
      ['REGISTRY_POLICY_SCOPE', props.registryPolicyScope],
    ];
    if (settings.every(([, v]) => v === undefined)) problems.add('no setting given: set basicScanTypeVersion or registryPolicyScope');
    problems.throwIfAny();

    const provider = SettingsProvider.of(this);
    provider.allow('ecr:GetAccountSetting', 'ecr:PutAccountSetting');
    for (const [name, value] of settings) {
      if (value === undefined) continue;
      Registry.of(this)._claim(`ECR account setting ${name}`, this.node.path, subject);
      const resource = new CustomResource(this, name, {
        serviceToken: provider.function.functionArn,
        resourceType: 'Custom::EcrAccountSetting',
        properties: { Kind: 'AccountSetting', Name: name, Value: value, RestoreOnDelete: String(props.restoreOnDelete ?? false) },
      });
      resource.node.addDependency(provider.policy);
      this.resources.push(resource);
    }
  }
}

const PROVIDER_ID = 'EcrPlatformSettingsProvider';

/**
 * The stack's one provider of the account-settings custom resources: a
 * function, its role, a customer managed policy that grows with what the
 * stack's resources need, and a log group with a retention period.
 */
class SettingsProvider extends Construct {
  public static of(scope: Construct): SettingsProvider {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(PROVIDER_ID) as SettingsProvider | undefined) ?? new SettingsProvider(stack, PROVIDER_ID);
  }

  public readonly function: AccountSettingsFunction;
  public readonly policy: iam.ManagedPolicy;
  private readonly actions = new Set<string>();
  private readonly statement: iam.PolicyStatement;
  private serviceLinkedRole = false;

  private constructor(scope: Stack, id: string) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Enables Amazon Inspector for ECR and sets ECR account settings (cdk-ecr-platform)',
    });
    // Inspector and ECR account-level APIs have no resource-level permissions.
    this.statement = new iam.PolicyStatement({ resources: ['*'] });
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'What the cdk-ecr-platform settings provider needs, and nothing more',
      roles: [role],
      statements: [
        new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
        this.statement,
      ],
    });
    this.function = new AccountSettingsFunction(this, 'Function', {
      description: 'cdk-ecr-platform: Amazon Inspector for ECR and ECR account settings',
      role,
      logGroup,
      timeout: Duration.minutes(15),
      memorySize: 256,
    });
    this.function.node.addDependency(this.policy);

    Validations.of(this.policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'inspector2:Enable, BatchGetAccountStatus, UpdateConfiguration, Disable and ecr:GetAccountSetting/PutAccountSetting are account-level APIs without resource-level permissions: IAM requires Resource "*" for them. Every other statement names its resource.',
    });
    const reasons: Record<string, string> = {
      LambdaInsideVPC: 'The function only calls the regional Amazon Inspector and ECR APIs when CloudFormation deploys; it reaches no VPC resource, and a VPC would need NAT or interface endpoints for no benefit.',
      LambdaConcurrency: 'Invoked only by CloudFormation, a few times per deployment; reserving concurrency would fail in accounts with the minimum unreserved concurrency.',
      LambdaDLQ: 'Invoked by CloudFormation, which records every failure as a failed resource operation with the error message; a dead-letter queue would hold nothing to act on.',
    };
    for (const pack of ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']) {
      for (const [rule, reason] of Object.entries(reasons)) {
        Validations.of(this.function).acknowledge({ id: `${pack}-${rule}`, reason });
      }
      Validations.of(logGroup).acknowledge({
        id: `${pack}-CloudWatchLogGroupEncrypted`,
        reason: 'The log group holds only the settings the provider applied and AWS error messages, no customer data; CloudWatch Logs encrypts it at rest with service keys.',
      });
    }
  }

  /** Adds account-level actions to the policy. */
  public allow(...actions: string[]): void {
    for (const a of actions) {
      if (this.actions.has(a)) continue;
      this.actions.add(a);
      this.statement.addActions(a);
    }
  }

  /** Lets Inspector's Enable create its service-linked role on first use. */
  public allowInspectorServiceLinkedRole(): void {
    if (this.serviceLinkedRole) return;
    this.serviceLinkedRole = true;
    this.policy.addStatements(new iam.PolicyStatement({
      actions: ['iam:CreateServiceLinkedRole'],
      resources: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-service-role/inspector2.amazonaws.com/AWSServiceRoleForAmazonInspector2`],
      conditions: { StringEquals: { 'iam:AWSServiceName': 'inspector2.amazonaws.com' } },
    }));
  }
}
