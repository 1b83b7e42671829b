import { App, CfnParameter, Fn, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AccessReport, PrivateRepository, RepositoryAccess } from '../../src';
import { ENV, strictApp, synthesize } from '../util/harness';

/*
 * Scenario apps for the access report, built from AWS's documented policy evaluation logic
 * (IAM User Guide: "Policy evaluation logic", "Policy evaluation for requests within a
 * single account", "Cross-account policy evaluation logic", "NotPrincipal", "NotAction"),
 * each with the decisions the report must reach. Built with the library's constructs,
 * aws-cdk-lib's Repository and raw L1s, and synthesized with the harness.
 */

export const ORG = 'o-a1b2c3d4e5';
export const OU = 'r-ab12/ou-ab12-11111111';
export const OTHER = '222222222222';
export const THIRD = '333333333333';

/** An expected row: repository name, principal (as the report labels it), capability, decision. */
export type Expected = [repository: string, principal: string, capability: string, decision: string | undefined];

export interface Scenario {
  readonly name: string;
  readonly build: (app: App) => void;
  readonly expect: readonly Expected[];
}

/** A raw AWS::ECR::Repository that passes the Control Tower controls the harness runs. */
export function rawRepository(scope: Construct, id: string, name: string, repositoryPolicy?: object): ecr.CfnRepository {
  return new ecr.CfnRepository(scope, id, {
    repositoryName: name,
    imageScanningConfiguration: { scanOnPush: true },
    imageTagMutability: 'IMMUTABLE',
    lifecyclePolicy: { lifecyclePolicyText: JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 }, action: { type: 'expire' } }] }) },
    repositoryPolicyText: repositoryPolicy,
  });
}

function stack(app: App, id = 'Registry', account = ENV.account): Stack {
  return new Stack(app, id, { env: { account, region: ENV.region } });
}

const PULL = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
const PUSH = [...PULL, 'ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'];

function policy(...statements: object[]): object {
  return { Version: '2012-10-17', Statement: statements };
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'same account: an identity policy alone allows (grantPull on a role)',
    build: (app) => {
      const s = stack(app);
      const repo = new PrivateRepository(s, 'Repo', { repositoryName: 'team/app' });
      repo.grantPull(new iam.Role(s, 'Puller', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }));
    },
    expect: [['team/app', 'Registry/Puller', 'pull', 'allowed'], ['team/app', 'Registry/Puller', 'push', undefined]],
  },
  {
    name: 'same account: a resource policy naming the account delegates to its identity policies',
    build: (app) => { rawRepository(stack(app), 'Repo', 'same', policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ENV.account}:root` }, Action: PULL })); },
    expect: [['same', `account ${ENV.account}`, 'pull', 'if-identity-allows']],
  },
  {
    name: 'cross account: the resource policy allows the other account, its identity policies decide',
    build: (app) => { new PrivateRepository(stack(app), 'Repo', { repositoryName: 'shared', access: [RepositoryAccess.pullFromAccounts([OTHER])] }); },
    expect: [['shared', `account ${OTHER}`, 'pull', 'if-identity-allows'], ['shared', `account ${OTHER}`, 'push', undefined]],
  },
  {
    name: 'cross account: an identity policy of the app in the other account and the resource policy both allow',
    build: (app) => {
      const registry = stack(app);
      rawRepository(registry, 'Repo', 'both', policy({ Effect: 'Allow', Principal: { AWS: OTHER }, Action: PUSH }));
      const consumer = stack(app, 'Consumer', OTHER);
      const role = new iam.Role(consumer, 'Ci', { assumedBy: new iam.AccountRootPrincipal() });
      role.addToPolicy(new iam.PolicyStatement({ actions: PULL, resources: [`arn:aws:ecr:${ENV.region}:${ENV.account}:repository/both`] }));
    },
    expect: [['both', 'Consumer/Ci', 'pull', 'allowed'], ['both', 'Consumer/Ci', 'push', undefined], ['both', `account ${OTHER}`, 'push', 'if-identity-allows']],
  },
  {
    name: 'cross account: an identity policy alone does not reach another account\'s repository',
    build: (app) => {
      rawRepository(stack(app), 'Repo', 'closed');
      const role = new iam.Role(stack(app, 'Consumer', OTHER), 'Ci', { assumedBy: new iam.AccountRootPrincipal() });
      role.addToPolicy(new iam.PolicyStatement({ actions: PUSH, resources: ['*'] }));
    },
    expect: [['closed', 'Consumer/Ci', 'pull', undefined], ['closed', 'Consumer/Ci', 'push', undefined]],
  },
  {
    name: 'organization: Principal * with aws:PrincipalOrgID is the organization',
    build: (app) => { new PrivateRepository(stack(app), 'Repo', { repositoryName: 'org', access: [RepositoryAccess.pullFromOrganization(ORG)] }); },
    expect: [['org', `organization ${ORG}`, 'pull', 'if-identity-allows'], ['org', 'anyone (*)', 'pull', undefined]],
  },
  {
    name: 'organizational units: ForAnyValue:StringLike aws:PrincipalOrgPaths',
    build: (app) => { new PrivateRepository(stack(app), 'Repo', { repositoryName: 'ou', access: [RepositoryAccess.pushFromOrganizationalUnits(ORG, [OU])] }); },
    expect: [['ou', `OU ${ORG}/${OU}/*`, 'push', 'if-identity-allows'], ['ou', `OU ${ORG}/${OU}/*`, 'pull', 'if-identity-allows']],
  },
  {
    name: 'principal ARNs: the account principal narrowed by ArnEquals aws:PrincipalArn',
    build: (app) => { new PrivateRepository(stack(app), 'Repo', { repositoryName: 'arns', access: [RepositoryAccess.pushFromPrincipalArns([`arn:aws:iam::${OTHER}:role/ci`])] }); },
    expect: [['arns', `arn:aws:iam::${OTHER}:role/ci`, 'push', 'if-identity-allows'], ['arns', `account ${OTHER}`, 'push', undefined]],
  },
  {
    name: 'a service principal with a source condition (Lambda)',
    build: (app) => { new PrivateRepository(stack(app), 'Repo', { repositoryName: 'fn', access: [RepositoryAccess.pullFromLambda([OTHER])] }); },
    expect: [
      ['fn', `service lambda.amazonaws.com (source arn:aws:lambda:${ENV.region}:${OTHER}:function:*)`, 'pull', 'allowed'],
      ['fn', `account ${OTHER}`, 'pull', 'if-identity-allows'],
    ],
  },
  {
    name: 'explicit deny wins over an allow for the same principal',
    build: (app) => {
      rawRepository(stack(app), 'Repo', 'deny', policy(
        { Effect: 'Allow', Principal: { AWS: OTHER }, Action: PUSH },
        { Effect: 'Deny', Principal: { AWS: OTHER }, Action: 'ecr:PutImage' },
      ));
    },
    expect: [['deny', `account ${OTHER}`, 'push', 'denied'], ['deny', `account ${OTHER}`, 'pull', 'if-identity-allows']],
  },
  {
    name: 'an explicit deny in a same-account identity policy wins over its allow',
    build: (app) => {
      const s = stack(app);
      const repo = new PrivateRepository(s, 'Repo', { repositoryName: 'self-deny' });
      const role = new iam.Role(s, 'Builder', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
      repo.grantPullPush(role);
      role.addToPolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['ecr:Put*'], resources: ['*'] }));
    },
    expect: [['self-deny', 'Registry/Builder', 'push', 'denied'], ['self-deny', 'Registry/Builder', 'pull', 'allowed']],
  },
  {
    name: 'wildcards in actions: ecr:* gives every capability, ecr:Batch* gives delete and no pull',
    build: (app) => {
      rawRepository(stack(app), 'Repo', 'wild', policy(
        { Effect: 'Allow', Principal: { AWS: OTHER }, Action: 'ecr:*' },
        { Effect: 'Allow', Principal: { AWS: THIRD }, Action: 'ecr:Batch*' },
      ));
    },
    expect: [
      ['wild', `account ${OTHER}`, 'pull', 'if-identity-allows'], ['wild', `account ${OTHER}`, 'push', 'if-identity-allows'],
      ['wild', `account ${OTHER}`, 'delete', 'if-identity-allows'], ['wild', `account ${OTHER}`, 'admin', 'if-identity-allows'],
      ['wild', `account ${THIRD}`, 'pull', undefined], ['wild', `account ${THIRD}`, 'delete', 'if-identity-allows'],
    ],
  },
  {
    name: 'NotAction: everything but what it names',
    build: (app) => { rawRepository(stack(app), 'Repo', 'not-action', policy({ Effect: 'Allow', Principal: { AWS: OTHER }, NotAction: ['ecr:Put*', 'ecr:*Delete*', 'ecr:Set*'] })); },
    expect: [['not-action', `account ${OTHER}`, 'pull', 'if-identity-allows'], ['not-action', `account ${OTHER}`, 'push', undefined], ['not-action', `account ${OTHER}`, 'delete', undefined]],
  },
  {
    name: 'NotPrincipal with Deny: everyone but the named account is denied',
    build: (app) => {
      rawRepository(stack(app), 'Repo', 'not-principal', policy(
        { Effect: 'Allow', Principal: { AWS: [OTHER, THIRD] }, Action: PUSH },
        { Effect: 'Deny', NotPrincipal: { AWS: OTHER }, Action: 'ecr:PutImage' },
      ));
    },
    expect: [['not-principal', `account ${OTHER}`, 'push', 'if-identity-allows'], ['not-principal', `account ${THIRD}`, 'push', 'denied'], ['not-principal', `account ${THIRD}`, 'pull', 'if-identity-allows']],
  },
  {
    name: 'anyone: Principal * without a restricting condition',
    build: (app) => { rawRepository(stack(app), 'Repo', 'public', policy({ Effect: 'Allow', Principal: '*', Action: PULL })); },
    expect: [['public', 'anyone (*)', 'pull', 'if-identity-allows']],
  },
  {
    name: 'a Deny of everyone outside the organization turns anyone into the organization',
    build: (app) => {
      rawRepository(stack(app), 'Repo', 'guarded', policy(
        { Effect: 'Allow', Principal: '*', Action: PULL },
        { Effect: 'Deny', Principal: '*', Action: 'ecr:*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': ORG } } },
      ));
    },
    expect: [['guarded', `organization ${ORG}`, 'pull', 'if-identity-allows'], ['guarded', 'anyone (*)', 'pull', undefined]],
  },
  {
    name: 'wildcards in resources: an identity policy on a namespace',
    build: (app) => {
      const s = stack(app);
      rawRepository(s, 'A', 'team-a/app');
      rawRepository(s, 'B', 'team-b/app');
      new iam.Role(s, 'TeamA', { assumedBy: new iam.AccountRootPrincipal() }).addToPolicy(new iam.PolicyStatement({
        actions: PUSH, resources: [`arn:aws:ecr:${ENV.region}:${ENV.account}:repository/team-a/*`],
      }));
    },
    expect: [['team-a/app', 'Registry/TeamA', 'push', 'allowed'], ['team-b/app', 'Registry/TeamA', 'push', undefined]],
  },
  {
    name: 'NotResource: an identity policy on everything but one namespace',
    build: (app) => {
      const s = stack(app);
      rawRepository(s, 'A', 'prod/app');
      rawRepository(s, 'B', 'dev/app');
      new iam.Role(s, 'Dev', { assumedBy: new iam.AccountRootPrincipal() }).addToPrincipalPolicy(new iam.PolicyStatement({
        actions: PUSH, notResources: [`arn:aws:ecr:${ENV.region}:${ENV.account}:repository/prod/*`],
      }));
    },
    expect: [['dev/app', 'Registry/Dev', 'push', 'allowed'], ['prod/app', 'Registry/Dev', 'push', undefined]],
  },
  {
    name: 'a condition the evaluator does not model is undecided, never no access',
    build: (app) => {
      rawRepository(stack(app), 'Repo', 'vpce', policy({ Effect: 'Allow', Principal: { AWS: OTHER }, Action: PULL, Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1234' } } }));
    },
    expect: [['vpce', `account ${OTHER}`, 'pull', 'undecided']],
  },
  {
    name: 'a Deny with a condition the evaluator does not model makes the allow undecided',
    build: (app) => {
      rawRepository(stack(app), 'Repo', 'deny-ip', policy(
        { Effect: 'Allow', Principal: { AWS: OTHER }, Action: PULL },
        { Effect: 'Deny', Principal: '*', Action: 'ecr:*', Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
      ));
    },
    expect: [['deny-ip', `account ${OTHER}`, 'pull', 'undecided']],
  },
  {
    name: 'the registry policy lets another account replicate into the registry',
    build: (app) => {
      const s = stack(app);
      rawRepository(s, 'Repo', 'replicated');
      new ecr.CfnRegistryPolicy(s, 'RegistryPolicy', {
        policyText: policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${THIRD}:root` }, Action: ['ecr:CreateRepository', 'ecr:ReplicateImage'], Resource: `arn:aws:ecr:${ENV.region}:${ENV.account}:repository/*` }),
      });
    },
    expect: [
      [`(repositories created in registry ${ENV.account}/${ENV.region})`, `account ${THIRD}`, 'replicate', 'if-identity-allows'],
      ['replicated', `account ${THIRD}`, 'replicate', 'if-identity-allows'],
      ['replicated', `account ${THIRD}`, 'pull', undefined],
    ],
  },
  {
    name: 'tokens across stacks: an identity policy names the repository through Fn::ImportValue',
    build: (app) => {
      const repo = new PrivateRepository(stack(app), 'Repo', { repositoryName: 'exported' });
      const consumer = stack(app, 'Consumer');
      repo.grantPull(new iam.Role(consumer, 'Reader', { assumedBy: new iam.AccountRootPrincipal() }));
    },
    expect: [['exported', 'Consumer/Reader', 'pull', 'allowed']],
  },
  {
    name: 'an identity policy whose resource is only known at deployment is undecided for the account\'s repositories',
    build: (app) => {
      const s = stack(app);
      rawRepository(s, 'Repo', 'param');
      const arn = new CfnParameter(s, 'RepositoryArn');
      new iam.Role(s, 'Reader', { assumedBy: new iam.AccountRootPrincipal() }).addToPolicy(new iam.PolicyStatement({ actions: PULL, resources: [arn.valueAsString] }));
    },
    expect: [['param', 'Registry/Reader', 'pull', 'undecided']],
  },
  {
    name: 'aws-cdk-lib\'s Repository with a grant to another account',
    build: (app) => {
      const repo = new ecr.Repository(stack(app), 'Repo', {
        repositoryName: 'cdk-lib', imageScanOnPush: true, imageTagMutability: ecr.TagMutability.IMMUTABLE, lifecycleRules: [{ maxImageCount: 10 }],
      });
      repo.grantPull(new iam.AccountPrincipal(OTHER));
    },
    expect: [['cdk-lib', `account ${OTHER}`, 'pull', 'if-identity-allows']],
  },
  {
    name: 'Fn::Sub and Fn::Join ARNs in an identity policy resolve with the stack\'s environment',
    build: (app) => {
      const s = stack(app);
      rawRepository(s, 'Repo', 'joined');
      new iam.Role(s, 'Reader', { assumedBy: new iam.AccountRootPrincipal() }).addToPolicy(new iam.PolicyStatement({
        actions: PULL, resources: [Fn.sub('arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/joined')],
      }));
    },
    expect: [['joined', 'Registry/Reader', 'pull', 'allowed']],
  },
  {
    name: 'a stage (nested assembly) and a nested stack are read too',
    build: (app) => {
      const stage = new Stage(app, 'Prod', { env: ENV });
      const s = new Stack(stage, 'Registry');
      new PrivateRepository(s, 'Repo', { repositoryName: 'staged', access: [RepositoryAccess.pullFromAccounts([OTHER])] });
      const nested = new NestedStack(s, 'Nested');
      rawRepository(nested, 'Inner', 'nested', policy({ Effect: 'Allow', Principal: { AWS: THIRD }, Action: PUSH }));
    },
    expect: [['staged', `account ${OTHER}`, 'pull', 'if-identity-allows'], ['nested', `account ${THIRD}`, 'push', 'if-identity-allows']],
  },
  {
    name: 'an AWS managed policy that may grant ECR actions is undecided, not left out',
    build: (app) => {
      const s = stack(app);
      rawRepository(s, 'Repo', 'managed');
      new iam.Role(s, 'Ci', { assumedBy: new iam.AccountRootPrincipal(), managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEC2ContainerRegistryPowerUser')] });
      new iam.Role(s, 'Logs', { assumedBy: new iam.AccountRootPrincipal(), managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')] });
    },
    expect: [['managed', 'Registry/Ci', 'push', 'undecided'], ['managed', 'Registry/Logs', 'pull', undefined]],
  },
];

/** Synthesizes a scenario and reads its report. */
export function reportOf(scenario: Scenario): { report: AccessReport; directory: string } {
  const app = strictApp();
  scenario.build(app);
  const { assembly } = synthesize(app);
  return { report: AccessReport.fromCloudAssembly(assembly.directory), directory: assembly.directory };
}
