/**
 * Integration test: the registry-wide settings of one account and region:
 * a BASIC scanning configuration with a scan-on-push rule, a pull-through
 * cache rule for ECR Public with its creation template, and a creation
 * template for repositories created on push. CI compares the committed
 * snapshot; with credentials for a SANDBOX account (these settings are the
 * account's own: they replace what the account has), `npx integ-runner
 * --update-on-failed` deploys it and reads each setting back through the ECR
 * API. The registry's settings are destroyed with the stack.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  LifecyclePolicy,
  LifecyclePresets,
  PullThroughCacheRule,
  Registry,
  RegistryScanning,
  RepositoryCreationTemplate,
  RepositoryCreationTemplateAppliedFor,
  ScanFrequency,
  UpstreamRegistry,
} from '../src';

const app = new App();
const stack = new Stack(app, 'EcrPlatformRegistryInteg');

RegistryScanning.of(stack).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['integ-*'] });
new PullThroughCacheRule(stack, 'EcrPublicCache', {
  ecrRepositoryPrefix: 'integ-ecr-public',
  upstream: UpstreamRegistry.ecrPublic(),
});
new RepositoryCreationTemplate(stack, 'OnPush', {
  prefix: 'integ-pushed',
  appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH],
  lifecyclePolicy: LifecyclePolicy.combine(LifecyclePresets.expireUntagged(3), LifecyclePresets.capTotal(20)),
  description: 'cdk-ecr-platform integration test',
});
Registry.of(stack).applyRemovalPolicy(RemovalPolicy.DESTROY);

const integ = new IntegTest(app, 'RegistryTest', { testCases: [stack] });
integ.assertions
  .awsApiCall('ECR', 'getRegistryScanningConfiguration', {})
  .expect(ExpectedResult.objectLike({
    scanningConfiguration: { scanType: 'BASIC', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'integ-*', filterType: 'WILDCARD' }] }] },
  }));
integ.assertions
  .awsApiCall('ECR', 'describePullThroughCacheRules', { ecrRepositoryPrefixes: ['integ-ecr-public'] })
  .expect(ExpectedResult.objectLike({
    pullThroughCacheRules: [{ ecrRepositoryPrefix: 'integ-ecr-public', upstreamRegistryUrl: 'public.ecr.aws' }],
  }));
integ.assertions
  .awsApiCall('ECR', 'describeRepositoryCreationTemplates', { prefixes: ['integ-pushed'] })
  .expect(ExpectedResult.objectLike({
    repositoryCreationTemplates: [{ prefix: 'integ-pushed', appliedFor: ['CREATE_ON_PUSH'], imageTagMutability: 'IMMUTABLE' }],
  }));

app.synth();
