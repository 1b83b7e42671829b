import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  EcrAccountSettings, FindingsRouting, FindingSuppression, InspectorScanning, PrivateRepository, PublicRepository,
  PullThroughCacheCredentials, PullThroughCacheRule, PullTimeUpdateExclusion, Registry, RegistryPolicyScope, RegistryScanning, RegistrySigning,
  ReplicationDestination, RepositoryCreationTemplate, RepositoryCreationTemplateAppliedFor, ScanFrequency, UpstreamRegistry,
} from '../../src';
import { describeFindings, strictApp, synthesize } from '../util/harness';
import { currentPins, expectPinned } from '../util/pins';

/**
 * Properties whose change makes CloudFormation replace the resource (the
 * types' createOnlyProperties), per type. Every other property can change in
 * place. Pinned along with the logical ID, the type and the deletion
 * policies, so that a default changed in the library fails here first.
 */
export const REPLACING_PROPERTIES: Record<string, string[]> = {
  'AWS::ECR::Repository': ['RepositoryName', 'EncryptionConfiguration'],
  'AWS::ECR::PublicRepository': ['RepositoryName'],
  'AWS::ECR::PullThroughCacheRule': ['EcrRepositoryPrefix', 'UpstreamRegistry', 'UpstreamRegistryUrl', 'CredentialArn', 'CustomRoleArn', 'UpstreamRepositoryPrefix'],
  'AWS::ECR::RepositoryCreationTemplate': ['Prefix'],
  'AWS::ECR::PullTimeUpdateExclusion': ['PrincipalArn'],
  'AWS::SecretsManager::Secret': ['Name'],
  'AWS::KMS::Key': ['KeySpec', 'KeyUsage', 'MultiRegion', 'Origin'],
  'AWS::KMS::Alias': ['AliasName'],
  'AWS::IAM::Role': ['RoleName', 'Path'],
  'AWS::IAM::ManagedPolicy': ['ManagedPolicyName', 'Path'],
  'AWS::SNS::Topic': ['TopicName', 'FifoTopic'],
  'AWS::Events::Rule': ['Name', 'EventBusName'],
  'AWS::Logs::LogGroup': ['LogGroupName'],
  'AWS::Lambda::Function': ['FunctionName'],
};

const PINNED = path.join(__dirname, 'defaults-logical-ids.json');

/** Every exported construct with the fewest props it takes, each in its own stack. */
export function buildDefaultsApp(app: App): void {
  const env = { account: '111111111111', region: 'eu-west-1' };
  const stack = (id: string, region = env.region) => new Stack(app, id, { env: { ...env, region } });

  new PrivateRepository(stack('PrivateRepository'), 'Repository');
  new PublicRepository(stack('PublicRepository', 'us-east-1'), 'Repository');
  new RepositoryCreationTemplate(stack('RepositoryCreationTemplate'), 'Template', {
    prefix: 'team', appliedFor: [RepositoryCreationTemplateAppliedFor.REPLICATION],
  });
  const caches = stack('PullThroughCacheRule');
  new PullThroughCacheRule(caches, 'EcrPublic', { ecrRepositoryPrefix: 'ecr-public', upstream: UpstreamRegistry.ecrPublic() });
  new PullThroughCacheRule(caches, 'DockerHub', { ecrRepositoryPrefix: 'docker-hub', upstream: UpstreamRegistry.dockerHub(), credentials: PullThroughCacheCredentials.createSecret() });
  new PullThroughCacheRule(caches, 'Ecr', { ecrRepositoryPrefix: 'upstream', upstream: UpstreamRegistry.ecr('222222222222', 'eu-west-1') });

  const registry = stack('Registry');
  Registry.of(registry).allowReplicationFrom('222222222222');
  Registry.of(registry).addReplicationRule({ destinations: [ReplicationDestination.of('111111111111', 'eu-central-1')] });
  RegistryScanning.of(registry).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['*'] });
  RegistrySigning.of(registry).addRule({ signingProfileArn: 'arn:aws:signer:eu-west-1:111111111111:/signing-profiles/platform' });

  const scanning = stack('Scanning', 'eu-central-1');
  new InspectorScanning(scanning, 'Inspector');
  new EcrAccountSettings(scanning, 'Settings', { registryPolicyScope: RegistryPolicyScope.V2 });
  new FindingsRouting(scanning, 'Findings');
  new FindingSuppression(scanning, 'Suppression', { reason: 'accepted', vulnerabilityIds: ['CVE-2023-44487'] });
  const scanner = new iam.Role(scanning, 'Scanner', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
  PullTimeUpdateExclusion.forRole(scanning, 'Exclusion', scanner);
}

describe('defaults of every construct are pinned', () => {
  const app = strictApp();
  buildDefaultsApp(app);
  const result = synthesize(app);

  test('the defaults pass CloudFormation validation', () => {
    expect(describeFindings(result.cfnFindings)).toBe('');
  });

  test('logical IDs, types, replacing properties and deletion policies of the defaults never change (set UPDATE_LOGICAL_IDS=1 to pin new resources deliberately)', () => {
    const now = currentPins(result.assembly.directory, { replacingProperties: REPLACING_PROPERTIES, deletionPolicies: true, skipMetadata: true });
    expectPinned(PINNED, now);
  });
});
