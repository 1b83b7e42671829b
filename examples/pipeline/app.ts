import { App, AppProps, ArnFormat, CfnElement, Duration, RemovalPolicy, Stack, StackProps, Stage, StageProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CodePipeline, CodePipelineSource, ShellStep } from 'aws-cdk-lib/pipelines';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { Construct, IConstruct } from 'constructs';
import {
  EcrComplianceChecks,
  InspectorDelegatedAdministrator,
  InspectorOrganizationScanning,
  InspectorRescanDuration,
  InspectorScanning,
  LifecyclePolicy,
  PrivateRepository,
  PullThroughCacheRule,
  RegistryBaseline,
  RegistryBaselineStackSet,
  RegistryScanning,
  RepositoryCreationTemplate,
  RepositoryCreationTemplateAppliedFor,
  ScanFrequency,
  StackSetTarget,
  UpstreamRegistry,
} from '../../src';
import { acknowledgeControlTower, controlTowerChecks } from '../../test/util/control-tower';

/** The example organization's accounts. */
export const ACCOUNTS = {
  management: '999999999999',
  tooling: '888888888888',
  security: '777777777777',
  sharedServices: '333333333333',
};
/** The workloads organizational unit, which gets the registry baseline. */
export const WORKLOADS_OU = 'ou-ab12-cd34ef56';
/** The regions of the platform, one wave of registry stacks each. */
export const REGIONS = ['eu-west-1', 'us-east-1'];
/** The region of the pipeline and of the StackSet. */
export const HOME_REGION = 'us-east-1';

/**
 * The compliance packs, run when the app synthesizes: an error-level finding
 * fails the synthesis, so the pipeline's Synth step fails and nothing is
 * deployed. Registered on the app, they check every stack of it: the
 * pipeline stack, CDK Pipelines' support stacks and the stacks of every
 * stage (cdk-nag v3 packs walk the whole construct tree from the app).
 */
export function addCompliancePacks(stage: Stage): void {
  Validations.of(stage).addPlugins(
    new EcrComplianceChecks(stage),
    new AwsSolutionsChecks(stage),
    new NIST80053R5Checks(stage),
    new HIPAASecurityChecks(stage),
    new PCIDSS321Checks(stage),
  );
}

/** The baseline's template: synthesized with the app, never deployed by the pipeline (the StackSet carries it). */
class BaselineTemplate extends Stage {
  public readonly baseline: RegistryBaseline;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.baseline = new RegistryBaseline(this, 'RegistryBaseline', { description: 'Amazon ECR registry baseline of the workloads OU' });
    RegistryScanning.of(this.baseline).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['*'] });
    new RepositoryCreationTemplate(this.baseline, 'Default', {
      prefix: 'ROOT',
      appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH, RepositoryCreationTemplateAppliedFor.REPLICATION],
    });
    new PullThroughCacheRule(this.baseline, 'EcrPublic', { ecrRepositoryPrefix: 'ecr-public', upstream: UpstreamRegistry.ecrPublic() });
  }
}

interface OrganizationStageProps extends StageProps {
  /** The baseline the home region's stage rolls out. */
  readonly baseline?: RegistryBaseline;
}

/** Management account, one region: Inspector's delegated administrator, and (home region) the baseline StackSet. */
class OrganizationStage extends Stage {
  constructor(scope: Construct, id: string, props: OrganizationStageProps) {
    super(scope, id, props);
    const stack = new Stack(this, 'Organization');
    new InspectorDelegatedAdministrator(stack, 'InspectorAdministrator', { administratorAccount: ACCOUNTS.security });
    if (props.baseline) {
      new RegistryBaselineStackSet(stack, 'RegistryBaseline', {
        baseline: props.baseline,
        target: StackSetTarget.fromOrganizationalUnits([WORKLOADS_OU]),
        regions: REGIONS,
        maxConcurrentPercentage: 25,
        failureTolerancePercentage: 10,
      });
    }
  }
}

/** Inspector's delegated administrator, one region: ECR scanning for every member, and the organization's rescan durations. */
class SecurityStage extends Stage {
  constructor(scope: Construct, id: string, props: StageProps) {
    super(scope, id, props);
    const stack = new Stack(this, 'InspectorOrganization');
    new InspectorOrganizationScanning(stack, 'Organization');
    new InspectorScanning(stack, 'Inspector', { rescanDuration: InspectorRescanDuration.DAYS_180 });
  }
}

/** The shared services registry, one region: the platform's base images. */
class RegistryStage extends Stage {
  constructor(scope: Construct, id: string, props: StageProps) {
    super(scope, id, props);
    const stack = new Stack(this, 'Registry');
    new PrivateRepository(stack, 'BaseImages', { repositoryName: 'platform/base-images', lifecyclePolicy: LifecyclePolicy.recommended() });
  }
}

/**
 * Where CDK Pipelines writes what passes between its steps: its artifact
 * bucket in the home region, and the replication bucket of each other region
 * (in the support stack CDK Pipelines creates there). CDK Pipelines creates
 * both, with a KMS key each (`crossAccountKeys`, rotation on), SSL-only
 * policies and public access blocked; this adds what it leaves out:
 * versioning, S3 Object Lock (no default retention: CodePipeline overwrites
 * nothing, and expired versions can still be removed), a lifecycle rule,
 * EventBridge notifications, server access logs to a logs bucket of the
 * same stack and region, and the key-policy statement that only AWS services
 * may create grants on the key.
 */
function completeArtifactStore(bucket: s3.IBucket, stack: Stack): void {
  if (!(bucket instanceof s3.Bucket) || !bucket.encryptionKey) {
    throw new Error(`the artifact bucket '${bucket.node.path}' is not one CDK Pipelines created with a KMS key: set crossAccountKeys`);
  }
  const logs = accessLogsBucket(stack);
  const cfnBucket = bucket.node.defaultChild as s3.CfnBucket;
  cfnBucket.versioningConfiguration = { status: 'Enabled' };
  cfnBucket.objectLockEnabled = true;
  cfnBucket.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
  const prefix = `${bucket.node.id}/`;
  cfnBucket.loggingConfiguration = { destinationBucketName: logs.bucketName, logFilePrefix: prefix };
  logs.addToResourcePolicy(new iam.PolicyStatement({
    sid: `AccessLogsOf${bucket.node.id}`,
    principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: [logs.arnForObjects(`${prefix}*`)],
    conditions: { ArnLike: { 'aws:SourceArn': bucket.bucketArn }, StringEquals: { 'aws:SourceAccount': stack.account } },
  }));
  // Every run writes new artifacts; a run needs its own for a few days at most.
  bucket.addLifecycleRule({
    id: 'ExpireOldArtifacts',
    expiration: Duration.days(90),
    noncurrentVersionExpiration: Duration.days(30),
    abortIncompleteMultipartUploadAfter: Duration.days(7),
  });
  onlyAwsServicesCreateGrants(bucket.encryptionKey);
}

/** The bucket that receives the server access logs of the artifact buckets of one stack. */
function accessLogsBucket(stack: Stack): s3.Bucket {
  const existing = stack.node.tryFindChild('ArtifactAccessLogs');
  if (existing) return existing as s3.Bucket;
  const logs = new s3.Bucket(stack, 'ArtifactAccessLogs', {
    // Server access log delivery writes only to buckets encrypted with SSE-S3.
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    lifecycleRules: [{ id: 'ExpireOldLogs', expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  (logs.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
  const logsOfLogs = 'The bucket receives the server access logs of the pipeline\'s artifact buckets: logging it into itself would log every delivery in a loop, and into another bucket would need that bucket\'s logs in turn.';
  Validations.of(logs).acknowledge(
    { id: 'AwsSolutions-S1', reason: logsOfLogs },
    ...NIST_HIPAA_PCI.map((pack) => ({ id: `${pack}-S3BucketLoggingEnabled`, reason: logsOfLogs })),
    ...NIST_HIPAA_PCI.map((pack) => ({
      id: `${pack}-S3DefaultEncryptionKMS`,
      reason: 'Amazon S3 delivers server access logs only to a destination bucket encrypted with SSE-S3 (AES256), not SSE-KMS.',
    })),
  );
  for (const pack of NIST_HIPAA_PCI) {
    Validations.of(logs).acknowledge({
      id: `${pack}-S3BucketReplicationEnabled`,
      reason: 'Access logs of the pipeline\'s artifact buckets, kept a year: a copy in another region would add a bucket and a role for logs of transient build data.',
    });
  }
  acknowledgeControlTower(logs, ['s3_bucket_logging_enabled_check'], logsOfLogs);
  acknowledgeControlTower(logs, ['s3_bucket_default_encryption_kms_check'], 'Amazon S3 delivers server access logs only to a destination bucket encrypted with SSE-S3 (AES256), not SSE-KMS.');
  acknowledgeControlTower(logs, ['s3_bucket_object_lock_enabled_check'],
    'Amazon S3 does not deliver server access logs to a bucket with S3 Object Lock (Amazon S3 User Guide, Object Lock considerations); the logs bucket is versioned and SSL-only instead.');
  return logs;
}

/** AWS Control Tower's CT.KMS.PR.3: only AWS services may create grants on the key. */
function onlyAwsServicesCreateGrants(key: kms.IKey): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'GrantsOnlyForAwsServices',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }));
}

const NIST_HIPAA_PCI = ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'];

class PipelineStack extends Stack {
  constructor(scope: Construct, id: string, baseline: RegistryBaseline, props: StackProps) {
    super(scope, id, props);
    // The build logs of every CodeBuild project of the pipeline, encrypted with a key of their own.
    const buildLogsKey = new kms.Key(this, 'BuildLogsKey', { description: 'Encrypts the build logs of the platform pipeline', enableKeyRotation: true });
    onlyAwsServicesCreateGrants(buildLogsKey);
    const buildLogs = new logs.LogGroup(this, 'BuildLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: buildLogsKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    buildLogsKey.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': this.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) } },
    }));

    const pipeline = new CodePipeline(this, 'Pipeline', {
      crossAccountKeys: true,
      enableKeyRotation: true,
      // One CodeBuild project publishes every file asset, instead of one project per asset.
      publishAssetsInParallel: false,
      codeBuildDefaults: { logging: { cloudWatch: { logGroup: buildLogs } } },
      synth: new ShellStep('Synth', {
        input: CodePipelineSource.connection('example-org/ecr-platform', 'main', {
          connectionArn: `arn:aws:codeconnections:${HOME_REGION}:${ACCOUNTS.tooling}:connection/0f9a1b2c-3d4e-5f60-7182-93a4b5c6d7e8`,
        }),
        // `npm run pipeline` synthesizes this app with the compliance packs and
        // AWS Control Tower's controls: a finding fails this step and stops the pipeline.
        commands: ['npm ci', 'npm run pipeline'],
        primaryOutputDirectory: 'examples/pipeline/cdk.out',
      }),
    });
    // 1. The organization: Inspector's administrator in every region, the baseline StackSet from the home region.
    const organization = pipeline.addWave('Organization');
    for (const region of REGIONS) {
      organization.addStage(new OrganizationStage(this.node.root as Construct, `Organization-${region}`, {
        env: { account: ACCOUNTS.management, region },
        baseline: region === HOME_REGION ? baseline : undefined,
      }));
    }
    // 2. Inspector across the organization, from its administrator.
    const security = pipeline.addWave('Security');
    for (const region of REGIONS) {
      security.addStage(new SecurityStage(this.node.root as Construct, `Security-${region}`, { env: { account: ACCOUNTS.security, region } }));
    }
    // 3. Registry stacks, one wave per region.
    for (const region of REGIONS) {
      pipeline.addWave(`Registry-${region}`).addStage(new RegistryStage(this.node.root as Construct, `Registry-${region}`, { env: { account: ACCOUNTS.sharedServices, region } }));
    }

    // The pipeline's own buckets and keys exist once the pipeline is built.
    pipeline.buildPipeline();
    completeArtifactStore(pipeline.pipeline.artifactBucket, this);
    for (const support of Object.values(pipeline.pipeline.crossRegionSupport)) {
      completeArtifactStore(support.replicationBucket, support.stack);
    }
    acknowledgePipelineFindings(pipeline);
  }
}

/**
 * What CDK Pipelines renders and offers no option to change, acknowledged
 * with the reason: the grants aws-cdk-lib writes for the pipeline's roles,
 * the CodeBuild projects' source, and replication of the artifact buckets.
 * Each wildcard is acknowledged by its exact text (cdk-nag's
 * `AwsSolutions-IAM5[Action::...]` / `[Resource::...]`), so a new one fails
 * the synthesis.
 */
function acknowledgePipelineFindings(pipeline: CodePipeline): void {
  const stack = Stack.of(pipeline);
  const logicalId = (c: Construct) => stack.getLogicalId(c.node.defaultChild as CfnElement);
  const region = stack.region;
  const account = stack.account;
  const artifacts = pipeline.pipeline.artifactBucket;
  const replicas = Object.values(pipeline.pipeline.crossRegionSupport).map((s) => s.replicationBucket);
  const ack = (scope: IConstruct, id: string, reason: string) => Validations.of(scope).acknowledge({ id, reason });

  const bucketGrant = 'aws-cdk-lib\'s bucket grants to the pipeline\'s roles (read for the self-mutation and asset roles, read and write for the pipeline, source and synth roles): the wildcard actions are S3 object and bucket reads and deletes of artifacts, and every statement names only the pipeline\'s artifact buckets and their objects.';
  for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*']) {
    ack(pipeline, `AwsSolutions-IAM5[Action::${action}]`, bucketGrant);
  }
  ack(pipeline, `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(artifacts.node.defaultChild as CfnElement)}.Arn>/*]`,
    'The objects of the pipeline\'s artifact bucket: CodePipeline writes each run\'s artifacts under keys it chooses, so the grant covers every object of that bucket (and of no other).');
  for (const replica of replicas) {
    // Named from the pipeline stack, the bucket of another region resolves to its generated physical name.
    const name = stack.resolve(replica.bucketName);
    ack(pipeline, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${name}/*]`,
      'The objects of the artifact replication bucket of another region (physical name generated by CDK Pipelines): CodePipeline copies each run\'s artifacts there under keys it chooses.');
  }
  const keyGrant = 'aws-cdk-lib\'s key grants on the artifact buckets\' KMS keys: kms:GenerateDataKey* and kms:ReEncrypt* are the data-key and re-encryption variants S3 uses for objects encrypted with the key.';
  ack(pipeline, 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', keyGrant);
  ack(pipeline, 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', keyGrant);
  if (replicas.length > 0) {
    ack(pipeline.pipeline.role, 'AwsSolutions-IAM5[Resource::*]',
      'The KMS statement of the pipeline role: the replication buckets\' keys live in CDK Pipelines\' support stacks in other regions and are referenced by alias, so aws-cdk-lib cannot name their ARNs and grants the KMS actions on "*"; each of those keys\' policies lets only this account and the target accounts\' deploy roles use it.');
  }
  const projectGrant = 'CodeBuild\'s own grants to a project\'s role: its log groups (/aws/codebuild/<project>:*, log streams) and report groups (<project>-*) are named after the project, so the statement ends in a wildcard.';
  for (const project of [pipeline.synthProject, pipeline.selfMutationProject]) {
    const id = logicalId(project);
    ack(pipeline, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:${region}:${account}:log-group:/aws/codebuild/<${id}>:*]`, projectGrant);
    ack(pipeline, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:codebuild:${region}:${account}:report-group/<${id}>-*]`, projectGrant);
  }
  const selfMutation = pipeline.selfMutationProject.role!;
  ack(selfMutation, `AwsSolutions-IAM5[Resource::arn:*:iam::${account}:role/*]`,
    'The self-mutation step (cdk deploy of the pipeline stack) assumes the CDK bootstrap roles of this account: the statement names the account\'s roles with a wildcard but only those tagged aws-cdk:bootstrap-role deploy, file-publishing or image-publishing (condition iam:ResourceTag).');
  ack(selfMutation, 'AwsSolutions-IAM5[Resource::*]',
    'The self-mutation step calls cloudformation:DescribeStacks and s3:ListBucket, which cdk deploy needs to find the bootstrap stack and its bucket before it assumes the deploy role; CDK Pipelines grants them on "*" and offers no option to narrow them.');
  const assets = pipeline.node.findChild('Assets').node.findChild('FileRole');
  ack(assets, 'AwsSolutions-IAM5[Resource::*]',
    'CDK Pipelines\' asset publishing role gets codebuild:StartBuild, StopBuild and BatchGetBuilds on "*" because it is created before the asset projects; it can only assume the file-publishing roles of the target accounts (named in its policy).');
  ack(assets, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:${region}:${account}:log-group:/aws/codebuild/*]`,
    'CDK Pipelines\' asset publishing role is shared by the asset projects and created before them, so it may write to the CodeBuild log groups of this account and region (/aws/codebuild/*).');
  ack(assets, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:codebuild:${region}:${account}:report-group/*]`,
    'CDK Pipelines\' asset publishing role is shared by the asset projects and created before them, so its report-group statement ends in a wildcard.');

  for (const pack of NIST_HIPAA_PCI) {
    ack(pipeline, `${pack}-IAMNoInlinePolicy`,
      'CDK Pipelines creates the roles of the pipeline, its actions and its CodeBuild projects, and aws-cdk-lib writes their grants as each role\'s DefaultPolicy (AWS::IAM::Policy); CDK Pipelines takes no managed policies instead. Each policy belongs to one role and is created and deleted with it.');
    ack(pipeline, `${pack}-CodeBuildProjectSourceRepoUrl`,
      'The CodeBuild projects of CDK Pipelines take their source from the pipeline (source type CODEPIPELINE): they have no repository URL and no credentials; the pipeline reads the repository through an AWS CodeConnections connection.');
  }
  for (const bucket of [artifacts, ...replicas]) {
    for (const pack of NIST_HIPAA_PCI) {
      ack(bucket, `${pack}-S3BucketReplicationEnabled`,
        'Pipeline artifacts are rebuilt from the source repository by the next run; replicating them to another region would add a bucket, a key and a role for data with nothing to recover.');
    }
  }
}

/**
 * AWS Control Tower's proactive controls (cfn-guard rules, without those
 * switched off in test/util/control-tower.ts), on every template of the app:
 * a cfn-guard plugin checks the templates of the stage it is registered on,
 * so it goes on the app (the pipeline stack and the support stacks) and on
 * every stage.
 */
export function addControlTowerChecks(app: App): void {
  const controlTower = controlTowerChecks();
  Validations.of(app).addPlugins(controlTower);
  for (const stage of app.node.findAll().filter((c): c is Stage => Stage.isStage(c) && c !== app)) {
    Validations.of(stage).addPlugins(controlTower);
  }
}

/**
 * The example delivery app: a pipeline in the tooling account that deploys
 * the platform. Its synthesis runs the compliance packs and AWS Control
 * Tower's controls on every template, and fails on any finding not
 * acknowledged with a reason.
 */
export function buildPipelineApp(props: AppProps = {}): App {
  const app = new App(props);
  addCompliancePacks(app);
  const templates = new BaselineTemplate(app, 'BaselineTemplate');
  new PipelineStack(app, 'PlatformPipeline', templates.baseline, { env: { account: ACCOUNTS.tooling, region: HOME_REGION } });
  addControlTowerChecks(app);
  return app;
}
