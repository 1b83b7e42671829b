import * as path from 'path';
import { App, AppProps, Stack, StackProps, Tags, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as signer from 'aws-cdk-lib/aws-signer';
import { Construct } from 'constructs';
import {
  CentralEventBus,
  EcrEvent,
  FindingSeverity,
  FindingsRouting,
  FindingSuppression,
  ImageActionType,
  InspectorPullDateRescanDuration,
  InspectorPullDateRescanMode,
  InspectorRescanDuration,
  InspectorScanning,
  LifecyclePolicy,
  PrivateRepository,
  PublicArchitecture,
  PublicOperatingSystem,
  PublicRepository,
  PullThroughCacheCredentials,
  PullThroughCacheRule,
  PullTimeUpdateExclusion,
  RegistryBaseline,
  RegistryBaselineStackSet,
  RegistryEventRouting,
  RegistryScanning,
  RegistrySigning,
  RegistryUsageAlarms,
  ReplicationDestination,
  RepositoryAccess,
  RepositoryCatalog,
  RepositoryCreationTemplate,
  RepositoryCreationTemplateAppliedFor,
  ImageEncryption,
  RepositoryFleet,
  RepositoryScanFrequency,
  RoleDefaults,
  RouteTarget,
  ScanFrequency,
  StackSetTarget,
  UpstreamRegistry,
} from '../../src';

/** Placeholder accounts of the example organization. */
export const ACCOUNTS = {
  sharedServices: '111111111111',
  workloads: '222222222222',
};
/** The organization's management account, which rolls the registry baseline out. */
export const MANAGEMENT_ACCOUNT = '999999999999';
/** The workloads organizational unit's ID, the target of the registry baseline. */
export const WORKLOADS_OU_ID = 'ou-ex12-workload';
/** The regions every workload account gets the registry baseline in. */
export const BASELINE_REGIONS = ['eu-west-1', 'eu-central-1'];
/** The event bus of the shared-services account that receives every account's registry events. */
export const REGISTRY_EVENT_BUS = 'registry-events';
/** The example organization and its workloads organizational unit. */
export const ORGANIZATION_ID = 'o-exampleorg1';
export const WORKLOADS_OU = 'r-ex12/ou-ex12-workload';

/**
 * The shared-services registry: the images every team builds on, encrypted
 * with one customer managed key, readable by the whole organization.
 */
export class SharedServicesRegistryStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);

    const key = new kms.Key(this, 'RegistryKey', {
      description: 'Encrypts the images of the shared-services registry',
      enableKeyRotation: true,
    });
    // AWS Control Tower's CT.KMS.PR.3: only AWS services (here ECR, for the
    // repositories and their replicas) may create grants on the key.
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'GrantsOnlyForAwsServices',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }));

    const baseImages = new PrivateRepository(this, 'BaseImages', {
      repositoryName: 'platform/base-images',
      encryption: ImageEncryption.kms(key),
      // IMMUTABLE (the default), without exclusions: AWS Control Tower's
      // CT.ECR.PR.3 refuses IMMUTABLE_WITH_EXCLUSION
      access: [RepositoryAccess.pullFromOrganization(ORGANIZATION_ID)],
    });
    // Close to every workload: the second region of this account, and the
    // workload account. The workload registry's policy is wired by this call.
    baseImages.replicateTo([
      ReplicationDestination.of(ACCOUNTS.sharedServices, 'eu-central-1'),
      ReplicationDestination.of(ACCOUNTS.workloads, 'eu-west-1'),
    ]);

    const ciRunner = new PrivateRepository(this, 'CiRunner', {
      repositoryName: 'platform/ci-runner',
      // KMS, not kmsDsse: ECR offers dual-layer KMS encryption only in the AWS GovCloud (US) Regions.
      encryption: ImageEncryption.kms(key),
      access: [RepositoryAccess.pullFromOrganizationalUnits(ORGANIZATION_ID, [WORKLOADS_OU])],
    });

    new PrivateRepository(this, 'Functions', {
      repositoryName: 'platform/functions',
      encryption: ImageEncryption.kms(key),
      access: [
        RepositoryAccess.pullFromLambda([ACCOUNTS.sharedServices, ACCOUNTS.workloads]),
        RepositoryAccess.pushFromAccounts([ACCOUNTS.workloads]),
      ],
    });

    // The build role of this account pushes the CI runner image through an IAM grant.
    const builder = new iam.Role(this, 'ImageBuilder', {
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
      description: 'Builds and pushes the CI runner image',
    });
    ciRunner.grantPullPush(builder);
    Validations.of(builder).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken has no resource-level permissions: it is granted on * by aws-cdk-lib, every repository action is scoped to the CI runner repository.',
    });
    for (const id of ['NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy']) {
      Validations.of(builder).acknowledge({
        id,
        reason: 'The grant is an inline policy of this one role so that it lives and dies with the role; it names only the CI runner repository.',
      });
    }

    new UpstreamCaches(this, 'UpstreamCaches');
    new ImageSecurity(this, 'ImageSecurity');
    new RegistryOperations(this, 'Operations');
  }
}

/**
 * Operating the registries: the shared-services account receives every
 * account's registry events on one bus (the workload accounts forward theirs),
 * sends the ones that need a person to an encrypted topic with an audit log,
 * raises alarms on failed replications and pull-through caches and on API
 * calls approaching ECR's rate quotas, and shows the fleet on a dashboard.
 */
export class RegistryOperations extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const central = new CentralEventBus(this, 'Bus', { eventBusName: REGISTRY_EVENT_BUS, organizationId: ORGANIZATION_ID });
    // The rules on the default bus see this account's events; the central bus, the other accounts'.
    for (const [name, bus] of [['Local', undefined], ['Organization', central.eventBus]] as const) {
      const routing = new RegistryEventRouting(this, name, { eventBus: bus, auditLog: true });
      routing.addFailureAlarms();
      routing.addRoute('ScanningFellBackToManual', EcrEvent.scanResourceChange({ scanFrequencies: [RepositoryScanFrequency.MANUAL] }));
      routing.addRoute('PlatformImageDeletions', EcrEvent.imageAction({ actionTypes: [ImageActionType.DELETE], repositoryPrefixes: ['platform/'] }));
      routing.addRoute('ClickOps', EcrEvent.clickOps());
      if (bus === undefined) new RegistryUsageAlarms(this, 'Usage', { routing, thresholdPercent: 80, dashboard: true });
    }
  }
}

/**
 * Scanning, findings and signing of the shared-services registry: Amazon
 * Inspector scans production images (platform/*) continuously and every
 * other image on push; critical and high findings go to an encrypted topic;
 * production images are signed on push; and the security scanner's pulls do
 * not count as "pulls", so lifecycle rules on last-pulled time keep working.
 */
export class ImageSecurity extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const scanning = RegistryScanning.of(this);
    scanning.addRule({ frequency: ScanFrequency.CONTINUOUS_SCAN, repositoryFilters: ['platform/*'] });
    scanning.addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['*'] });
    new InspectorScanning(this, 'Inspector', {
      rescanDuration: InspectorRescanDuration.DAYS_180,
      pullDateRescanDuration: InspectorPullDateRescanDuration.DAYS_90,
      pullDateRescanMode: InspectorPullDateRescanMode.LAST_PULL_DATE,
    });
    new FindingsRouting(this, 'Findings', { minimumSeverity: FindingSeverity.HIGH });
    new FindingSuppression(this, 'HttpRapidReset', {
      reason: 'Cached upstream images run no HTTP/2 server; risk accepted by the platform team',
      repositoryNamePrefixes: ['ecr-public/'],
      vulnerabilityIds: ['CVE-2023-44487'],
    });

    const profile = new signer.SigningProfile(this, 'SigningProfile', { platform: signer.Platform.NOTATION_OCI_SHA384_ECDSA });
    RegistrySigning.of(this).addRule({ signingProfileArn: profile.signingProfileArn, repositoryFilters: ['platform/*'] });

    const scanner = new iam.Role(this, 'ScannerRole', {
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
      description: 'Pulls every image for the third-party security scanner',
    });
    PullTimeUpdateExclusion.forRole(this, 'ScannerExclusion', scanner);
  }
}

/**
 * Pull-through caches of the shared-services registry: the public registries
 * every team pulls from, the authenticated ones with a credential secret shell
 * to fill in after deployment, and the workload account's team-b images
 * (ECR to ECR: the workload registry's policy is wired by this app). Each
 * cache prefix gets a creation template with a lifecycle policy, and the
 * organization may pull cached images.
 */
export class UpstreamCaches extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const access = [RepositoryAccess.pullFromOrganization(ORGANIZATION_ID)];
    new PullThroughCacheRule(this, 'EcrPublic', { ecrRepositoryPrefix: 'ecr-public', upstream: UpstreamRegistry.ecrPublic(), access });
    new PullThroughCacheRule(this, 'Kubernetes', { ecrRepositoryPrefix: 'k8s', upstream: UpstreamRegistry.kubernetes(), access });
    new PullThroughCacheRule(this, 'Quay', { ecrRepositoryPrefix: 'quay', upstream: UpstreamRegistry.quay(), access });
    new PullThroughCacheRule(this, 'DockerHub', {
      ecrRepositoryPrefix: 'docker-hub',
      upstream: UpstreamRegistry.dockerHub(),
      credentials: PullThroughCacheCredentials.createSecret(),
      access,
    });
    new PullThroughCacheRule(this, 'GitHub', {
      ecrRepositoryPrefix: 'ghcr',
      upstream: UpstreamRegistry.githubContainerRegistry(),
      credentials: PullThroughCacheCredentials.createSecret(),
      access,
    });
    new PullThroughCacheRule(this, 'Workloads', {
      ecrRepositoryPrefix: 'workloads',
      upstream: UpstreamRegistry.ecr(ACCOUNTS.workloads, 'eu-west-1'),
      upstreamRepositoryPrefix: 'team-b',
      access,
    });
  }
}

/** The same account's registry in a second region, for regional workloads. */
export class SecondRegionRegistryStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    new PrivateRepository(this, 'RegionalApi', {
      repositoryName: 'team-a/api',
      encryption: ImageEncryption.kms(),
      lifecyclePolicy: LifecyclePolicy.recommended(),
    });
    new BaseImageReplicas(this, 'BaseImageReplicas');
    // Every event of this registry goes to the shared-services account's bus in eu-west-1.
    const central = events.EventBus.fromEventBusArn(this, 'RegistryEventBus',
      `arn:aws:events:eu-west-1:${ACCOUNTS.sharedServices}:event-bus/${REGISTRY_EVENT_BUS}`);
    new RegistryEventRouting(this, 'ForwardRegistryEvents', { targets: [RouteTarget.eventBus(central)] })
      .addRoute('AllEvents', EcrEvent.allEvents());
  }
}

/** A workload account with its own application repository. */
export class WorkloadAccountStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    new PrivateRepository(this, 'Orders', {
      repositoryName: 'team-b/orders',
      encryption: ImageEncryption.kms(),
    });
    new BaseImageReplicas(this, 'BaseImageReplicas');
    // This account's registry events reach the shared-services bus through the registry baseline.
  }
}

/**
 * What replicas of the base images get in a destination registry: ECR does
 * not replicate lifecycle or repository policies, so a creation template
 * applied for REPLICATION gives them a lifecycle policy, organization pull
 * access, a customer managed key and the source's tag immutability (with the
 * moving `latest` tag, which replication must be able to move too).
 */
export class BaseImageReplicas extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new RepositoryCreationTemplate(this, 'Template', {
      prefix: 'platform',
      appliedFor: [RepositoryCreationTemplateAppliedFor.REPLICATION],
      description: 'Replicas of the shared-services platform images',
      lifecyclePolicy: LifecyclePolicy.recommended(),
      access: [RepositoryAccess.pullFromOrganization(ORGANIZATION_ID)],
      encryption: ImageEncryption.kms(),
      resourceTags: { 'managed-by': 'cdk-ecr-platform', 'source-registry': ACCOUNTS.sharedServices },
    });
  }
}

/** Public images, in ECR Public (us-east-1 only). */
export class PublicImagesStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    const cli = new PublicRepository(this, 'Cli', {
      repositoryName: 'example/platform-cli',
      catalogData: {
        description: 'The platform team\'s command-line tools',
        aboutText: '# platform-cli\nTools for working with the example platform.',
        usageText: 'docker run public.ecr.aws/example/platform-cli --help',
        architectures: [PublicArchitecture.X86_64, PublicArchitecture.ARM_64],
        operatingSystems: [PublicOperatingSystem.LINUX],
      },
    });
    cli.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'ReleasePipelinePush',
      principals: [new iam.AccountPrincipal(ACCOUNTS.sharedServices)],
      actions: ['ecr-public:BatchCheckLayerAvailability', 'ecr-public:CompleteLayerUpload', 'ecr-public:InitiateLayerUpload', 'ecr-public:PutImage', 'ecr-public:UploadLayerPart'],
    }));
    // Security Hub ECR.4: public repositories say who owns them.
    Tags.of(cli).add('owner', 'platform-team');
    Tags.of(cli).add('cost-center', 'platform');
  }
}

/**
 * The registry settings every account of the workloads OU gets, in every
 * baseline region: scan on push, a default creation template for
 * repositories created on push, and a pull-through cache of ECR Public.
 */
export function buildRegistryBaseline(app: App): RegistryBaseline {
  const baseline = new RegistryBaseline(app, 'RegistryBaseline', { description: 'Amazon ECR registry baseline of the workloads OU' });
  RegistryScanning.of(baseline).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['*'] });
  new RepositoryCreationTemplate(baseline, 'OnPush', {
    prefix: 'ROOT',
    appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH],
    description: 'Repositories created on first push',
  });
  new PullThroughCacheRule(baseline, 'EcrPublic', { ecrRepositoryPrefix: 'ecr-public', upstream: UpstreamRegistry.ecrPublic() });
  // Every account of the OU sends its registry events to the shared-services account's bus.
  const central = events.EventBus.fromEventBusArn(baseline, 'RegistryEventBus',
    `arn:aws:events:eu-west-1:${ACCOUNTS.sharedServices}:event-bus/${REGISTRY_EVENT_BUS}`);
  new RegistryEventRouting(baseline, 'ForwardRegistryEvents', { targets: [RouteTarget.eventBus(central)] })
    .addRoute('AllEvents', EcrEvent.allEvents());
  return baseline;
}

/** The management account: rolls the baseline out to the workloads OU with a service-managed StackSet. */
export class OrganizationStack extends Stack {
  constructor(scope: Construct, id: string, baseline: RegistryBaseline, props: StackProps) {
    super(scope, id, props);
    new RegistryBaselineStackSet(this, 'RegistryBaseline', {
      baseline,
      target: StackSetTarget.fromOrganizationalUnits([WORKLOADS_OU_ID]),
      regions: BASELINE_REGIONS,
      maxConcurrentPercentage: 25,
      failureTolerancePercentage: 10,
    });
  }
}

/**
 * The example platform: a shared-services registry, the same account in a
 * second region, a workload account, and public images.
 */
export function buildPlatformApp(props: AppProps = {}): App {
  const app = new App({
    ...props,
    context: { '@aws-cdk/core:validateAgainstDefaultRules': true, ...(props.context ?? {}) },
  });
  // The organization's SCPs deny iam:CreateRole without this boundary, a policy of the
  // same name in every account: every role of the app gets it, the StackSet body's too.
  RoleDefaults.of(app).apply({ permissionsBoundaryName: 'platform-boundary' });
  new SharedServicesRegistryStack(app, 'SharedServicesRegistry', { env: { account: ACCOUNTS.sharedServices, region: 'eu-west-1' } });
  new SecondRegionRegistryStack(app, 'SharedServicesRegistryEuCentral1', { env: { account: ACCOUNTS.sharedServices, region: 'eu-central-1' } });
  new WorkloadAccountStack(app, 'WorkloadRegistry', { env: { account: ACCOUNTS.workloads, region: 'eu-west-1' } });
  new PublicImagesStack(app, 'PublicImages', { env: { account: ACCOUNTS.sharedServices, region: 'us-east-1' } });
  new OrganizationStack(app, 'Organization', buildRegistryBaseline(app), { env: { account: MANAGEMENT_ACCOUNT, region: 'us-east-1' } });
  // The services' repositories, from the catalog, in shard stacks of the shared-services
  // account. The placement file is committed and kept current by
  // `cdk-ecr-platform catalog plan ... --write`; synth never rewrites it here.
  new RepositoryFleet(app, 'ServiceRepositories', {
    repositories: RepositoryCatalog.fromFile(path.join(__dirname, 'repositories.yaml')).repositories,
    env: { account: ACCOUNTS.sharedServices, region: 'eu-west-1' },
    placementFile: path.join(__dirname, 'fleet-placement.json'),
    updatePlacementFile: false,
  });
  return app;
}
