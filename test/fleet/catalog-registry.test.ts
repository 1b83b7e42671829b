import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CatalogFormat, RepositoryCatalog } from '../../src/fleet/catalog';
import { RepositoryFleet } from '../../src/fleet/fleet';
import { describeFindings, ENV, strictApp, synthesize } from '../util/harness';

/*
 * The catalog's registry block for the registry resources besides replication, scanning and the registry
 * policy: pull-through cache rules, repository creation templates, signing rules, pull-time update
 * exclusions and account settings, read with positions and rendered through the library's constructs with
 * exactly the values given.
 */

const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const SECRET = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:ecr-pullthroughcache/docker-hub-AbCdEf';
const CACHE_ROLE = 'arn:aws:iam::111111111111:role/ecr-pull-through-central';
const TEMPLATE_ROLE = 'arn:aws:iam::111111111111:role/ecr-creation-template';
const PROFILE = 'arn:aws:signer:eu-west-1:111111111111:/signing-profiles/platform_releases';
const SCANNER = 'arn:aws:iam::111111111111:role/image-scanner';
const LIFECYCLE = { rules: [{ rulePriority: 1, description: 'cap', selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1000 }, action: { type: 'expire' } }] };
const ORG_POLICY = { Version: '2012-10-17', Statement: [{ Sid: 'OrgPull', Effect: 'Allow', Principal: '*', Action: ['ecr:BatchGetImage'], Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }] };

const PTC = [
  `    - { prefix: docker-hub, upstream: registry-1.docker.io, credentialArn: '${SECRET}' }`,
  `    - { prefix: central, upstream: 444444444444.dkr.ecr.eu-central-1.amazonaws.com, upstreamPrefix: platform, customRoleArn: '${CACHE_ROLE}' }`,
];
const TEMPLATES = [
  `    - ${JSON.stringify({ prefix: 'ROOT', appliedFor: ['PULL_THROUGH_CACHE', 'REPLICATION'], encryption: 'KMS', kmsKey: KEY, tagMutability: 'IMMUTABLE', lifecycle: { policy: LIFECYCLE }, tags: { owner: 'platform' }, customRoleArn: 'none' })}`,
  `    - ${JSON.stringify({
    prefix: 'payments',
    appliedFor: ['CREATE_ON_PUSH'],
    description: 'Payments',
    encryption: 'AES256',
    tagMutability: 'MUTABLE',
    tagMutabilityExclusions: ['latest'],
    lifecycle: 'none',
    repositoryPolicy: ORG_POLICY,
    customRoleArn: TEMPLATE_ROLE,
    acknowledge: [{ id: 'EcrCompliance-CustomerManagedKey', reason: 'kept as it runs' }],
  })}`,
];

function catalogText(ptc: string[], templates: string[]): string {
  return [
    'registry:',
    '  pullThroughCache:', ...ptc,
    '  creationTemplates:', ...templates,
    `  signing: [{ profileArn: '${PROFILE}', filters: ['payments/*'] }]`,
    `  pullTimeUpdateExclusions: ['${SCANNER}']`,
    '  accountSettings: { BASIC_SCAN_TYPE_VERSION: AWS_NATIVE, REGISTRY_POLICY_SCOPE: V2 }',
    'repositories:',
    '  - name: platform/api',
    '',
  ].join('\n');
}

function registryTemplateOf(text: string, nag = false): { template: Template; nagFindings: string } {
  const app = strictApp();
  const catalog = RepositoryCatalog.fromText(text, CatalogFormat.YAML, 'c.yaml');
  const fleet = new RepositoryFleet(app, 'Fleet', { repositories: catalog.repositories, registry: catalog.registry, env: ENV });
  const result = nag ? synthesize(app, { nag: true }) : undefined;
  return { template: Template.fromStack(fleet.node.findChild('Registry') as Stack), nagFindings: result ? describeFindings([...result.nagFindings, ...result.controlTowerFindings, ...result.cfnFindings]) : '' };
}

describe('catalog registry block: pull-through cache rules, creation templates, signing, exclusions, account settings', () => {
  test('given each as it runs, when the fleet is synthesized with every pack, then the registry stack renders exactly the given values, creating no secret, role or key', () => {
    const { template, nagFindings } = registryTemplateOf(catalogText(PTC, TEMPLATES), true);
    expect(nagFindings).toBe('');
    const rules = Object.values(template.findResources('AWS::ECR::PullThroughCacheRule')).map((r: any) => r.Properties);
    expect(rules).toEqual([
      { EcrRepositoryPrefix: 'central', UpstreamRegistry: 'ecr', UpstreamRegistryUrl: '444444444444.dkr.ecr.eu-central-1.amazonaws.com', UpstreamRepositoryPrefix: 'platform', CustomRoleArn: CACHE_ROLE },
      { EcrRepositoryPrefix: 'docker-hub', UpstreamRegistry: 'docker-hub', UpstreamRegistryUrl: 'registry-1.docker.io', CredentialArn: SECRET },
    ]);
    const templates = Object.values(template.findResources('AWS::ECR::RepositoryCreationTemplate')).map((r: any) => r.Properties);
    expect(templates).toEqual([
      {
        Prefix: 'ROOT',
        AppliedFor: ['PULL_THROUGH_CACHE', 'REPLICATION'],
        EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: KEY },
        ImageTagMutability: 'IMMUTABLE',
        LifecyclePolicy: JSON.stringify(LIFECYCLE),
        ResourceTags: [{ Key: 'owner', Value: 'platform' }],
      },
      {
        Prefix: 'payments',
        AppliedFor: ['CREATE_ON_PUSH'],
        Description: 'Payments',
        ImageTagMutability: 'MUTABLE_WITH_EXCLUSION',
        ImageTagMutabilityExclusionFilters: [{ ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'latest' }],
        RepositoryPolicy: JSON.stringify(ORG_POLICY),
        CustomRoleArn: TEMPLATE_ROLE,
      },
    ]);
    template.hasResourceProperties('AWS::ECR::SigningConfiguration', { Rules: [{ SigningProfileArn: PROFILE, RepositoryFilters: [{ Filter: 'payments/*', FilterType: 'WILDCARD_MATCH' }] }] });
    template.hasResourceProperties('AWS::ECR::PullTimeUpdateExclusion', { PrincipalArn: SCANNER });
    expect(Object.values(template.findResources('Custom::EcrAccountSetting')).map((r: any) => [r.Properties.Name, r.Properties.Value]).sort())
      .toEqual([['BASIC_SCAN_TYPE_VERSION', 'AWS_NATIVE'], ['REGISTRY_POLICY_SCOPE', 'V2']]);
    // Only the account settings' provider (a custom resource) has a role and a key of its own.
    const created = Object.entries(template.toJSON().Resources as Record<string, { Type: string }>)
      .filter(([id, r]) => ['AWS::SecretsManager::Secret', 'AWS::IAM::Role', 'AWS::KMS::Key'].includes(r.Type) && !id.startsWith('EcrPlatformSettingsProvider'));
    expect(created).toEqual([]);
  });

  test('given the same rules and templates in another order, when synthesized, then the registry stack is byte-identical', () => {
    const a = registryTemplateOf(catalogText(PTC, TEMPLATES)).template.toJSON();
    const b = registryTemplateOf(catalogText([...PTC].reverse(), [...TEMPLATES].reverse())).template.toJSON();
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  test.each<[string, string, RegExp]>([
    ['a cache rule without upstream', '  pullThroughCache: [{ prefix: docker-hub }]', /^c\.yaml:2:\d+: registry: pullThroughCache\[0\] needs prefix and upstream/],
    ['an upstream no cache supports', '  pullThroughCache: [{ prefix: mirror, upstream: registry.example.com }]',
      /^c\.yaml:2:\d+: registry: pullThroughCache\[0\]: .*upstreamRegistryUrl 'registry\.example\.com' is the URL of no upstream registry/],
    ['a prefix of one character', '  pullThroughCache: [{ prefix: d, upstream: public.ecr.aws }]', /^c\.yaml:2:\d+: registry: pullThroughCache\[0\]: ecrRepositoryPrefix 'd' has 1 characters/],
    ['Docker Hub without credentials', '  pullThroughCache: [{ prefix: docker-hub, upstream: registry-1.docker.io }]', /^c\.yaml:2:\d+: registry: pullThroughCache\[0\]: the upstream docker-hub .* needs credentials/],
    ['an unknown key of a cache rule', '  pullThroughCache: [{ prefix: ecr-public, upstream: public.ecr.aws, credentialsArn: x }]',
      /^c\.yaml:2:\d+: registry: pullThroughCache\[0\]: unknown key 'credentialsArn': did you mean 'credentialArn'\?/],
    ['a template without appliedFor', '  creationTemplates: [{ prefix: team }]', /^c\.yaml:2:\d+: registry: creationTemplates\[0\] needs prefix and appliedFor/],
    ['a template applied for an unknown scenario', '  creationTemplates: [{ prefix: team, appliedFor: [REPLICATON] }]',
      /^c\.yaml:2:\d+: registry: creationTemplates\[0\]\.appliedFor\[0\] 'REPLICATON' is not one of .*: did you mean 'REPLICATION'\?/],
    ['a template prefix ECR refuses', '  creationTemplates: [{ prefix: Team, appliedFor: [REPLICATION], encryption: AES256 }]',
      /^c\.yaml:2:\d+: registry: creationTemplates\[0\]: prefix 'Team' is neither 'ROOT' nor a repository namespace/],
    ['a template lifecycle that is neither none nor a policy', '  creationTemplates: [{ prefix: team, appliedFor: [REPLICATION], lifecycle: { preset: recommended } }]',
      /^c\.yaml:2:\d+: registry: creationTemplates\[0\]\.lifecycle must be none or \{ policy: \{\.\.\.\} \}/],
    ['an acknowledgement of a rule that checks no template', '  creationTemplates: [{ prefix: team, appliedFor: [REPLICATION], acknowledge: [{ id: EcrCompliance-TagImmutability, reason: r }] }]',
      /^c\.yaml:2:\d+: registry: creationTemplates\[0\]\.acknowledge\[0\]\.id: 'EcrCompliance-TagImmutability' is no rule that checks a repository creation template/],
    ['a signing rule without profile', '  signing: [{ filters: [a] }]', /^c\.yaml:2:\d+: registry: signing\[0\] needs profileArn/],
    ['an exclusion that is no IAM principal', "  pullTimeUpdateExclusions: ['arn:aws:s3:::bucket']", /^c\.yaml:2:\d+: registry: pullTimeUpdateExclusions\[0\]: /],
    ['an account setting ECR no longer sets', '  accountSettings: { REGISTRY_POLICY_SCOPE: V1 }', /^c\.yaml:2:\d+: registry: accountSettings\.REGISTRY_POLICY_SCOPE 'V1' is not one of V2/],
  ])('given %s, when validated, then the problem names its place in the registry block', (_what, lines, expected) => {
    expect(RepositoryCatalog.validate(`registry:\n${lines}\nrepositories:\n  - name: team/api\n`, CatalogFormat.YAML, 'c.yaml')).toEqual([expect.stringMatching(expected)]);
  });

  test('given several bad settings and two rules of one prefix, when validated, then every problem is listed at once, each at its place', () => {
    const problems = RepositoryCatalog.validate([
      'registry:',
      '  pullThroughCache:',
      '    - { prefix: ecr-public, upstream: public.ecr.aws }',
      '    - { prefix: ecr-public, upstream: quay.io }',
      '  creationTemplates:',
      '    - { prefix: team, appliedFor: [] }',
      '  accountSettings: { BLOB_MOUNTING: ON }',
      'repositories:',
      '  - name: team/api',
    ].join('\n'), CatalogFormat.YAML, 'c.yaml');
    expect(problems).toEqual([
      expect.stringMatching(/^c\.yaml:4:\d+: registry: pullThroughCache\[1\]: .*ecr-public/),
      expect.stringMatching(/^c\.yaml:6:\d+: registry: creationTemplates\[0\]: appliedFor is empty/),
      expect.stringMatching(/^c\.yaml:7:\d+: registry: accountSettings\.BLOB_MOUNTING 'ON' is not one of ENABLED, DISABLED/),
    ]);
  });

  test('given untyped settings in code, when the fleet is built, then every wrong shape is named at once', () => {
    const registry: any = {
      pullThroughCacheRules: [{ ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 42 }],
      creationTemplates: { prefix: 'team' },
      pullTimeUpdateExclusions: [SCANNER, null],
    };
    expect(() => new RepositoryFleet(strictApp(), 'Fleet', { repositories: [{ repositoryName: 'team/api' }], registry, env: ENV }))
      .toThrow(/RepositoryFleet 'Fleet': registry: 3 problems:\n  - pullThroughCacheRules\[0\]\.upstreamRegistryUrl is 42: expected a string\n  - creationTemplates is an object: expected a list[^\n]*\n  - pullTimeUpdateExclusions\[1\] is null: expected a string/);
  });
});
