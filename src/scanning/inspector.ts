import { Aws, CustomResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { ScanType } from './enums';
import { RegistryScanning } from './registry-scanning';
import { BOOLEAN, guardConstruct, oneOf, optional } from '../internal/input';
import { createLibraryKey } from '../internal/kms';
import { Problems, subjectOf } from '../internal/problems';
import { isRolledOut } from '../internal/rollout';
import { AccountSettingsFunction } from '../registry/account-settings-function';
import { Registry } from '../registry/registry';


/** Why a registry baseline (a template rolled out by a StackSet) cannot hold a Lambda-backed setting. */
const ROLLED_OUT_PROBLEM = 'the scope is a registry baseline, whose template is rolled out without assets or Lambda functions, but this setting needs a Lambda-backed custom resource (CloudFormation has no resource for it): declare it in a stack of each account, or enable Amazon Inspector for the organization from its delegated administrator';

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
 * Where the stack's settings provider function runs. One function per stack
 * serves `InspectorScanning` and `EcrAccountSettings`: set the placement on
 * either (or both, with the same values).
 *
 * In a VPC the function must reach the regional Amazon Inspector, ECR and
 * CloudWatch Logs APIs: interface endpoints for `inspector2`, `ecr.api` and
 * `logs` in the chosen subnets (with security groups that allow HTTPS from
 * the function), or a route to a NAT gateway. It also calls AWS
 * CloudFormation's response URL (an S3 presigned URL): a gateway endpoint for
 * S3, or NAT.
 */
export interface SettingsProviderPlacement {
  /**
   * The VPC to run the settings provider function in.
   *
   * @default - not in a VPC (AWS Control Tower's CT.LAMBDA.PR.3 then fails for the function)
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The subnets of `vpc` for the function. Needs `vpc`.
   *
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups for the function. Needs `vpc`.
   *
   * @default - a new security group that allows all outbound traffic
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
}

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
    Registry.of(this)._claim('Custom::EcrInspectorScanning', this.node.path, subject);
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

/**
 * The version of ECR's basic scanning.
 */
export enum BasicScanTypeVersion {
  /** ECR's own scanner, maintained by AWS. */
  AWS_NATIVE = 'AWS_NATIVE',
  /** The earlier Clair-based scanner. */
  CLAIR = 'CLAIR',
}
Object.freeze(BasicScanTypeVersion);

/**
 * Which permissions a registry policy can grant.
 */
export enum RegistryPolicyScope {
  /** Only replication and pull-through-cache actions. */
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

/**
 * Properties of the ECR account settings.
 */
export interface EcrAccountSettingsProps extends SettingsProviderPlacement {
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
    if (isRolledOut(Stack.of(this))) problems.add(ROLLED_OUT_PROBLEM);
    problems.throwIfAny();

    const provider = SettingsProvider.of(this, subject, props);
    for (const [name, value] of settings) {
      if (value === undefined) continue;
      Registry.of(this)._claim(`ECR account setting ${name}`, this.node.path, subject);
      Registry.of(this)._recordAccountSetting(name, value);
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

const PROVIDER_ID = 'EcrPlatformSettingsProvider';

function samePlacement(a: SettingsProviderPlacement, b: SettingsProviderPlacement): boolean {
  const key = (p: SettingsProviderPlacement) => JSON.stringify({
    subnetType: p.vpcSubnets?.subnetType,
    subnetGroupName: p.vpcSubnets?.subnetGroupName,
    subnets: p.vpcSubnets?.subnets?.map((s) => s.node.path),
    securityGroups: p.securityGroups?.map((g) => g.node.path),
  });
  return a.vpc === b.vpc && key(a) === key(b);
}

/**
 * How long CloudFormation waits for the provider's answer: less than the
 * function's 15-minute timeout, and the handler answers within it.
 */
const SERVICE_TIMEOUT = Duration.minutes(10);

/**
 * The stack's settings provider: its function's ARN, after granting it
 * account-level actions (and Inspector's service-linked role when asked).
 *
 * @internal
 */
export function _settingsProvider(
  scope: Construct, subject: string, placement: SettingsProviderPlacement, actions: string[], serviceLinkedRole = false,
): { serviceToken: string; policy: IConstruct; serviceTimeout: Duration } {
  const provider = SettingsProvider.of(scope, subject, placement);
  provider.allow(...actions);
  if (serviceLinkedRole) provider.allowInspectorServiceLinkedRole();
  return { serviceToken: provider.function.functionArn, policy: provider.policy, serviceTimeout: SERVICE_TIMEOUT };
}

/**
 * What a delete may need, held by the provider whatever constructs the
 * stack has today: a construct removed from the app is deleted after the
 * policy was updated without it, so its permissions must not depend on it.
 */
const DELETE_TIME_ACTIONS = [
  'inspector2:BatchGetAccountStatus',
  'inspector2:GetDelegatedAdminAccount',
  'inspector2:GetConfiguration',
  'inspector2:UpdateConfiguration',
  'inspector2:Disable',
  'ecr:GetAccountSetting',
  'ecr:PutAccountSetting',
];

/**
 * The stack's one provider of the account-settings custom resources: a
 * function, its role, a customer managed policy that grows with what the
 * stack's resources need, and a log group with a retention period,
 * encrypted with a key of its own.
 */
class SettingsProvider extends Construct {
  public static of(scope: Construct, subject: string, placement: SettingsProviderPlacement): SettingsProvider {
    const problems = new Problems(subject);
    if (!placement.vpc && (placement.vpcSubnets || placement.securityGroups)) {
      problems.add('vpcSubnets and securityGroups need vpc: they place the settings provider function in a VPC');
    }
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(PROVIDER_ID) as SettingsProvider | undefined;
    if (existing && placement.vpc && !samePlacement(existing.placement, placement)) {
      problems.add(`vpc, vpcSubnets or securityGroups differ from those of ${existing.placedBy}, which created the stack's one settings provider function: give every construct of the stack that sets them the same values`);
    }
    problems.throwIfAny();
    if (existing) return existing;
    return new SettingsProvider(stack, PROVIDER_ID, placement, subject);
  }

  public readonly function: AccountSettingsFunction;
  public readonly policy: iam.ManagedPolicy;
  private readonly actions = new Set<string>();
  private readonly statement: iam.PolicyStatement;
  private serviceLinkedRole = false;

  private constructor(scope: Stack, id: string, public readonly placement: SettingsProviderPlacement, public readonly placedBy: string) {
    super(scope, id);
    // AWS Control Tower's CT.CLOUDWATCH.PR.3 asks for a customer managed key.
    // The key lets the regional CloudWatch Logs service principal use it for
    // log groups of this account and region only (the log group's name is
    // generated by CloudFormation after the key exists, so its ARN cannot be
    // named without a circular dependency).
    const logsKey = createLibraryKey(this, 'LogsKey', {
      description: `Encrypts the log group of the cdk-ecr-platform settings provider of stack ${scope.stackName}`,
    });
    logsKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchLogsEncryptsProviderLogs',
      principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*` },
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      },
    }));
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: logsKey });
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
        // Which resource of this stack owns a setting (a moved construct, a replaced record).
        new iam.PolicyStatement({ actions: ['cloudformation:ListStackResources'], resources: [Aws.STACK_ID] }),
      ],
    });
    this.allow(...DELETE_TIME_ACTIONS);
    this.function = new AccountSettingsFunction(this, 'Function', {
      description: 'cdk-ecr-platform: Amazon Inspector for ECR and ECR account settings',
      role,
      logGroup,
      timeout: Duration.minutes(15),
      memorySize: 256,
      vpc: placement.vpc,
      vpcSubnets: placement.vpcSubnets,
      securityGroups: placement.securityGroups,
    });
    if (placement.vpc) {
      // Lambda creates and deletes the function's network interfaces with
      // the function's role; these EC2 actions have no resource-level scope.
      this.policy.addStatements(new iam.PolicyStatement({
        actions: [
          'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses',
        ],
        resources: ['*'],
      }));
    }
    this.function.node.addDependency(this.policy);

    Validations.of(this.policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'inspector2:Enable, BatchGetAccountStatus, GetDelegatedAdminAccount, GetConfiguration, UpdateConfiguration, Disable and ecr:GetAccountSetting/PutAccountSetting are account-level APIs without resource-level permissions: IAM requires Resource "*" for them. Every other statement names its resource (cloudformation:ListStackResources only the stack itself).',
    });
    const reasons: Record<string, string> = {
      LambdaInsideVPC: 'The function only calls the regional Amazon Inspector and ECR APIs when CloudFormation deploys; it reaches no VPC resource, and a VPC needs NAT or interface endpoints, so it is optional (vpc on InspectorScanning or EcrAccountSettings).',
      LambdaConcurrency: 'Invoked only by CloudFormation, a few times per deployment; reserving concurrency would fail in accounts with the minimum unreserved concurrency.',
      LambdaDLQ: 'Invoked by CloudFormation, which records every failure as a failed resource operation with the error message; a dead-letter queue would hold nothing to act on.',
    };
    for (const pack of ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']) {
      for (const [rule, reason] of Object.entries(reasons)) {
        Validations.of(this.function).acknowledge({ id: `${pack}-${rule}`, reason });
      }
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
