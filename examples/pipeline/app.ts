import { App, AppProps, Stack, StackProps, Stage, StageProps, Validations } from 'aws-cdk-lib';
import { CodePipeline, CodePipelineSource, ShellStep } from 'aws-cdk-lib/pipelines';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { Construct } from 'constructs';
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
 * The compliance packs, run when a stage of the platform synthesizes: an
 * error-level finding fails `cdk synth`, so the pipeline's Synth step fails
 * and nothing is deployed.
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
    addCompliancePacks(this);
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
    addCompliancePacks(this);
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
    addCompliancePacks(this);
    const stack = new Stack(this, 'InspectorOrganization');
    new InspectorOrganizationScanning(stack, 'Organization');
    new InspectorScanning(stack, 'Inspector', { rescanDuration: InspectorRescanDuration.DAYS_180 });
  }
}

/** The shared services registry, one region: the platform's base images. */
class RegistryStage extends Stage {
  constructor(scope: Construct, id: string, props: StageProps) {
    super(scope, id, props);
    addCompliancePacks(this);
    const stack = new Stack(this, 'Registry');
    new PrivateRepository(stack, 'BaseImages', { repositoryName: 'platform/base-images', lifecyclePolicy: LifecyclePolicy.recommended() });
  }
}

class PipelineStack extends Stack {
  constructor(scope: Construct, id: string, baseline: RegistryBaseline, props: StackProps) {
    super(scope, id, props);
    const pipeline = new CodePipeline(this, 'Pipeline', {
      crossAccountKeys: true,
      synth: new ShellStep('Synth', {
        input: CodePipelineSource.connection('example-org/ecr-platform', 'main', {
          connectionArn: `arn:aws:codeconnections:${HOME_REGION}:${ACCOUNTS.tooling}:connection/0f9a1b2c-3d4e-5f60-7182-93a4b5c6d7e8`,
        }),
        // The app adds the compliance packs to its synthesis: a finding fails this step and stops the pipeline.
        commands: ['npm ci', 'npx cdk synth'],
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
  }
}

/** The example delivery app: a pipeline in the tooling account that deploys the platform. */
export function buildPipelineApp(props: AppProps = {}): App {
  const app = new App(props);
  const templates = new BaselineTemplate(app, 'BaselineTemplate');
  new PipelineStack(app, 'PlatformPipeline', templates.baseline, { env: { account: ACCOUNTS.tooling, region: HOME_REGION } });
  return app;
}
