import { Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { AccountSettingsFunction } from './account-settings-function';
import { SettingsProviderPlacement } from './settings-provider-placement';
import { allowLogsToEncrypt, createLibraryKey } from '../internal/kms';
import { Problems } from '../internal/problems';

/*
 * The stack's one settings provider: the Lambda-backed custom resource provider of the
 * account-level settings CloudFormation has no resource for (the ECR account settings,
 * Amazon Inspector for ECR and its organization configuration). Where it runs is a
 * SettingsProviderPlacement (settings-provider-placement.ts).
 */

/** Why a registry baseline (a template rolled out by a StackSet) cannot hold a Lambda-backed setting. @internal */
export const ROLLED_OUT_PROBLEM = 'the scope is a registry baseline, whose template is rolled out without assets or Lambda functions, but this setting needs a Lambda-backed custom resource (CloudFormation has no resource for it): declare it in a stack of each account, or enable Amazon Inspector for the organization from its delegated administrator';

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
export const SERVICE_TIMEOUT = Duration.minutes(10);

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
export class SettingsProvider extends Construct {
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
    // AWS Control Tower's CT.CLOUDWATCH.PR.3 asks for a customer managed key,
    // usable by CloudWatch Logs for log groups of this account and region.
    const logsKey = createLibraryKey(this, 'LogsKey', {
      description: `Encrypts the log group of the cdk-ecr-platform settings provider of stack ${scope.stackName}`,
    });
    allowLogsToEncrypt(logsKey, 'CloudWatchLogsEncryptsProviderLogs');
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
