import { ACCOUNT, registryExport } from './exports';
import { registryResources } from '../../src/adopt/mapping';
import { planAdoption } from '../../src/adopt/plan';

const REGISTRY_POLICY = { Version: '2012-10-17', Statement: [{ Sid: 'replicate', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: ['ecr:CreateRepository', 'ecr:ReplicateImage'], Resource: `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/*` }] };

const LIVE = registryExport([], {
  replicationConfiguration: { rules: [{ destinations: [{ region: 'eu-central-1', registryId: ACCOUNT }], repositoryFilters: [{ filter: 'team-a', filterType: 'PREFIX_MATCH' }] }] },
  registryPolicyText: JSON.stringify(REGISTRY_POLICY),
  scanningConfiguration: { scanType: 'ENHANCED', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: 'team-a/*', filterType: 'WILDCARD' }, { filter: 'team-b/*', filterType: 'WILDCARD' }] }] },
  pullThroughCacheRules: [
    { ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws', upstreamRegistry: 'ecr-public' },
    { ecrRepositoryPrefix: 'docker-hub', upstreamRegistryUrl: 'registry-1.docker.io', credentialArn: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:ecr-pullthroughcache/hub-AbCdEf` },
  ],
  repositoryCreationTemplates: [{ prefix: 'ecr-public', appliedFor: ['PULL_THROUGH_CACHE'], imageTagMutability: 'MUTABLE', encryptionConfiguration: { encryptionType: 'AES256' } }],
  accountSettings: { BASIC_SCAN_TYPE_VERSION: 'AWS_NATIVE' },
});

/** The template of the live registry: every resource as the mapping renders it. */
function registryTemplate(edit: (resources: Record<string, any>) => void = () => undefined) {
  const resources: Record<string, any> = {};
  registryResources(LIVE).forEach((r, i) => {
    resources[`R${i}`] = { Type: r.type, Properties: JSON.parse(JSON.stringify(r.properties)) };
  });
  edit(resources);
  return [{ stack: 'Registry', template: { Resources: resources } }];
}

const find = (resources: Record<string, any>, type: string, n = 0) => Object.values(resources).filter((r) => r.Type === type)[n];

describe('the adoption plan of registry settings', () => {
  test('given the registry settings exactly as they run, then no change for each, identified by the account or their own identifier', () => {
    const plan = planAdoption(registryTemplate(), LIVE);
    expect(plan.registry.map((p) => [p.type, p.id, p.verdict])).toEqual([
      ['AWS::ECR::PullThroughCacheRule', 'docker-hub', 'no change'],
      ['AWS::ECR::PullThroughCacheRule', 'ecr-public', 'no change'],
      ['AWS::ECR::RegistryPolicy', ACCOUNT, 'no change'],
      ['AWS::ECR::RegistryScanningConfiguration', ACCOUNT, 'no change'],
      ['AWS::ECR::ReplicationConfiguration', ACCOUNT, 'no change'],
      ['AWS::ECR::RepositoryCreationTemplate', 'ecr-public', 'no change'],
      ['Custom::EcrAccountSetting', 'BASIC_SCAN_TYPE_VERSION', 'no change'],
    ]);
    expect(plan.problems).toEqual([]);
  });

  test('given the scanning rules and filters in another order, then no change (sets); given another scan type, then an in-place update', () => {
    const reordered = planAdoption(registryTemplate((r) => {
      const rules = find(r, 'AWS::ECR::RegistryScanningConfiguration').Properties.Rules;
      rules[0].RepositoryFilters.reverse();
      rules.unshift({ ScanFrequency: 'SCAN_ON_PUSH', RepositoryFilters: [{ Filter: '*', FilterType: 'WILDCARD' }] });
    }), registryExport([], {
      ...LIVE.registry,
      scanningConfiguration: { ...LIVE.registry.scanningConfiguration!, rules: [...LIVE.registry.scanningConfiguration!.rules, { scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }] },
    }));
    expect(reordered.registry.find((p) => p.type === 'AWS::ECR::RegistryScanningConfiguration')!.verdict).toBe('no change');
    const edited = planAdoption(registryTemplate((r) => { find(r, 'AWS::ECR::RegistryScanningConfiguration').Properties.ScanType = 'BASIC'; }), LIVE);
    expect(edited.registry.find((p) => p.type === 'AWS::ECR::RegistryScanningConfiguration')).toEqual(expect.objectContaining({
      verdict: 'in-place update', changes: [expect.objectContaining({ property: 'ScanType', live: 'ENHANCED', planned: 'BASIC' })],
    }));
  });

  test('given another replication destination, another registry policy and another account setting, then in-place updates', () => {
    const plan = planAdoption(registryTemplate((r) => {
      find(r, 'AWS::ECR::ReplicationConfiguration').Properties.ReplicationConfiguration.Rules[0].Destinations[0].Region = 'us-east-1';
      find(r, 'AWS::ECR::RegistryPolicy').Properties.PolicyText.Statement[0].Action = ['ecr:ReplicateImage'];
      find(r, 'Custom::EcrAccountSetting').Properties.Value = 'CLAIR';
    }), LIVE);
    expect(plan.registry.filter((p) => p.verdict === 'in-place update').map((p) => p.type)).toEqual(['AWS::ECR::RegistryPolicy', 'AWS::ECR::ReplicationConfiguration', 'Custom::EcrAccountSetting']);
  });

  test('given another upstream of a pull-through cache rule, or another credential (create-only in the resource schema), then a refused replacement', () => {
    const plan = planAdoption(registryTemplate((r) => {
      find(r, 'AWS::ECR::PullThroughCacheRule', 0).Properties.UpstreamRegistryUrl = 'public.ecr.aws/other';
      find(r, 'AWS::ECR::PullThroughCacheRule', 1).Properties.CredentialArn = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:ecr-pullthroughcache/other-AbCdEf`;
    }), LIVE);
    expect(plan.registry.filter((p) => p.type === 'AWS::ECR::PullThroughCacheRule').map((p) => [p.id, p.verdict])).toEqual([['docker-hub', 'replacement'], ['ecr-public', 'replacement']]);
    expect(plan.problems).toEqual([
      expect.stringMatching(/AWS::ECR::PullThroughCacheRule 'docker-hub' \(Registry\/R\d\): CredentialArn would replace it, refused: .*create-only/),
      expect.stringMatching(/AWS::ECR::PullThroughCacheRule 'ecr-public' \(Registry\/R\d\): UpstreamRegistryUrl would replace it, refused/),
    ]);
  });

  test('given a creation template with another mutability, then an in-place update; given a new prefix, then created, and the live one not managed', () => {
    const plan = planAdoption(registryTemplate((r) => {
      find(r, 'AWS::ECR::RepositoryCreationTemplate').Properties.ImageTagMutability = 'IMMUTABLE';
      r.Extra = { Type: 'AWS::ECR::RepositoryCreationTemplate', Properties: { Prefix: 'team-c', AppliedFor: ['REPLICATION'] } };
    }), LIVE);
    expect(plan.registry.filter((p) => p.type === 'AWS::ECR::RepositoryCreationTemplate').map((p) => [p.id, p.verdict])).toEqual([['ecr-public', 'in-place update'], ['team-c', 'created']]);
  });

  test('given an app without registry settings, then every live setting is not managed, except ECR\'s default scanning configuration', () => {
    const plan = planAdoption([{ stack: 'Empty', template: { Resources: {} } }], LIVE);
    expect(plan.registry.every((p) => p.verdict === 'not managed')).toBe(true);
    expect(plan.registry).toHaveLength(7);
    const basic = planAdoption([{ stack: 'Empty', template: { Resources: {} } }], registryExport([], {}));
    expect(basic.registry).toEqual([]);
  });
});

describe('the adoption plan of what the library renders for the registry', () => {
  test('given replication rules that render an empty list of filters where the export has none, then no change', () => {
    const live = registryExport([], { replicationConfiguration: { rules: [{ destinations: [{ region: 'eu-central-1', registryId: ACCOUNT }] }] } });
    const template = { Resources: { R: { Type: 'AWS::ECR::ReplicationConfiguration', Properties: { ReplicationConfiguration: { Rules: [{ Destinations: [{ Region: 'eu-central-1', RegistryId: { Ref: 'AWS::AccountId' } }], RepositoryFilters: [] }] } } } } };
    expect(planAdoption([{ stack: 'Registry', template }], live).registry).toEqual([expect.objectContaining({ type: 'AWS::ECR::ReplicationConfiguration', verdict: 'no change' })]);
  });
});
