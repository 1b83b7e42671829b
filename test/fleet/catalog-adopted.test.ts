import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CatalogFormat, RepositoryCatalog } from '../../src/fleet/catalog';
import { RepositoryFleet } from '../../src/fleet/fleet';
import { FleetKeyScope } from '../../src/fleet/key-scope';
import { repositoryConstructId } from '../../src/fleet/placement';
import { PrivateRepository } from '../../src/repository/private-repository';
import { controlTowerRuleId } from '../util/control-tower';
import { describeFindings, ENV, strictApp, strictStack, synthesize } from '../util/harness';

const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ORG_POLICY = '{"Version": "2008-10-17", "Statement": [{"Sid": "OrgPull", "Effect": "Allow", "Principal": "*", "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], '
  + '"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}';
const OPEN_POLICY = '{"Version": "2012-10-17", "Statement": [{"Sid": "PublicPull", "Effect": "Allow", "Principal": "*", "Action": "ecr:BatchGetImage"}]}';

interface Synthesized { readonly template: Template; readonly repositories: Record<string, any> }

/** The catalog's fleet, synthesized with the library's validation (and, with `nag`, cdk-nag and Control Tower), and its shard's repositories. */
function synthesized(catalog: string, nag = false, controlTower: Record<string, string[]> = {}): Synthesized {
  const app = strictApp();
  const fleet = new RepositoryFleet(app, 'Fleet', { repositories: RepositoryCatalog.fromText(catalog, CatalogFormat.YAML, 'c.yaml').repositories, env: ENV });
  // Control Tower's hooks judge the template as written: findings the entry chooses are acknowledged, as the harness's tests do.
  for (const [name, rules] of Object.entries(controlTower)) {
    const resource = fleet.stackOf(name).node.findChild(repositoryConstructId(name)).node.defaultChild!;
    for (const rule of rules) Validations.of(resource).acknowledge({ id: controlTowerRuleId(rule), reason: 'the entry chooses it' });
  }
  const result = synthesize(app, { nag });
  if (nag) {
    expect(describeFindings(result.nagFindings)).toBe('');
    expect(describeFindings(result.controlTowerFindings)).toBe('');
  }
  const template = Template.fromStack(fleet.stacks[0]);
  const repositories = Object.fromEntries(Object.values(template.findResources('AWS::ECR::Repository')).map((r: any) => [r.Properties.RepositoryName, r.Properties]));
  return { template, repositories };
}

function problemsOf(catalog: string): string[] {
  return RepositoryCatalog.validate(catalog, CatalogFormat.YAML, 'c.yaml');
}

describe('catalog keys that reproduce an existing repository', () => {
  describe('kmsKey', () => {
    test('given encryption KMS with kmsKey, when synthesized, then KmsKey is exactly that ARN and no key is created', () => {
      const { template, repositories } = synthesized(`repositories:\n  - name: team/api\n    encryption: KMS\n    kmsKey: ${KEY}\n`);
      expect(repositories['team/api'].EncryptionConfiguration).toEqual({ EncryptionType: 'KMS', KmsKey: KEY });
      template.resourceCountIs('AWS::KMS::Key', 0);
    });

    test.each<[string, string, RegExp]>([
      ['an alias ARN', '    encryption: KMS\n    kmsKey: arn:aws:kms:eu-west-1:111111111111:alias/ecr',
        /^c\.yaml:4:13: repositories\[0\] 'team\/api': kmsKey: 'arn:aws:kms:eu-west-1:111111111111:alias\/ecr' is not a KMS key ARN/],
      ['AES256 encryption', `    encryption: AES256\n    kmsKey: ${KEY}`, /^c\.yaml:4:13: repositories\[0\] 'team\/api': kmsKey names the key of KMS encryption: give it with encryption: KMS/],
      ['no encryption', `    kmsKey: ${KEY}`, /^c\.yaml:3:13: .*kmsKey names the key of KMS encryption/],
    ])('given %s, when validated, then the catalog names the entry and the rule', (_what, lines, expected) => {
      const problems = problemsOf(`repositories:\n  - name: team/api\n${lines}\n`);
      expect(problems).toEqual([expect.stringMatching(expected)]);
    });

    test('given a key of another region than the fleet, when the fleet is built, then it refuses it', () => {
      const repositories = [{ repositoryName: 'team/api', kmsKeyArn: KEY.replace('eu-west-1', 'us-east-1') }];
      expect(() => new RepositoryFleet(strictApp(), 'Fleet', { repositories, env: ENV }))
        .toThrow(/repositories\[0\] 'team\/api': kmsKeyArn the key '.*' is in us-east-1, but the repository is in eu-west-1/);
    });

    test('given kmsKeyArn for a placed repository and a key scope that changes, when built, then the repository keeps the named key and the placement records no key for it', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'adopted-key-'));
      const placementFile = path.join(dir, 'placement.json');
      writeFileSync(placementFile, JSON.stringify({ version: 1, shards: { Shard1: ['team/api', 'team/web'] } }));
      const app = strictApp();
      const fleet = new RepositoryFleet(app, 'Fleet', {
        repositories: [{ repositoryName: 'team/api', kmsKeyArn: KEY }, { repositoryName: 'team/web' }], env: ENV, placementFile, keyScope: FleetKeyScope.REGISTRY,
      });
      // The repository without a key of its own keeps its shard's key (recorded); the one with an existing key needs no record.
      expect(JSON.parse(fleet.placementText).keys).toEqual({ 'team/web': 'Shard1' });
      const repositories = Template.fromStack(fleet.stacks[0]).findResources('AWS::ECR::Repository');
      const api = Object.values<any>(repositories).find((r) => r.Properties.RepositoryName === 'team/api');
      expect(api.Properties.EncryptionConfiguration).toEqual({ EncryptionType: 'KMS', KmsKey: KEY });
    });
  });

  describe('repositoryPolicy', () => {
    test('given a kept policy document, when a statement is added to the repository later, then the kept statements come first, as given', () => {
      const stack = strictStack();
      const repo = new PrivateRepository(stack, 'Repo', { repositoryName: 'team/api' });
      const document = JSON.parse(ORG_POLICY);
      repo._keepPolicyDocument(document, document.Statement, true);
      repo.addToResourcePolicy(new iam.PolicyStatement({ sid: 'Later', principals: [new iam.AccountPrincipal('222222222222')], actions: ['ecr:BatchGetImage'] }));
      const policy = Object.values<any>(Template.fromStack(stack).findResources('AWS::ECR::Repository'))[0].Properties.RepositoryPolicyText;
      expect(policy.Version).toBe('2008-10-17');
      expect(policy.Statement.map((s: any) => s.Sid)).toEqual(['OrgPull', 'Later']);
    });

    test('given an organization policy of version 2008-10-17, when synthesized with every pack, then it renders as given and passes', () => {
      const { repositories } = synthesized(`repositories:\n  - name: team/api\n    repositoryPolicy: ${ORG_POLICY}\n`, true);
      expect(repositories['team/api'].RepositoryPolicyText).toEqual(JSON.parse(ORG_POLICY));
    });

    test('given a policy and access, when synthesized, then the policy\'s statements come first, then those of access', () => {
      const { repositories } = synthesized(`repositories:\n  - name: team/api\n    repositoryPolicy: ${ORG_POLICY}\n    access: { pullAccounts: ['222222222222'] }\n`);
      const policy = repositories['team/api'].RepositoryPolicyText;
      expect(policy.Version).toBe('2008-10-17');
      expect(policy.Statement.map((s: any) => s.Sid)).toEqual(['OrgPull', expect.stringMatching(/^AccountPull/)]);
    });

    test('given a statement that allows * without a condition, when validated, then the catalog refuses it naming the entry and the statement', () => {
      expect(problemsOf(`repositories:\n  - name: team/api\n    repositoryPolicy: ${OPEN_POLICY}\n`)).toEqual([
        expect.stringMatching(/^c\.yaml:3:23: repositories\[0\] 'team\/api': repositoryPolicy: policy statement 'PublicPull' allows the '\*' principal without a condition .*acknowledge: \[\{ id: EcrCompliance-OpenAccess/),
      ]);
    });

    test('given the same policy in code, when the fleet is built, then it refuses it too', () => {
      expect(() => new RepositoryFleet(strictApp(), 'Fleet', { repositories: [{ repositoryName: 'team/api', repositoryPolicyText: OPEN_POLICY }] }))
        .toThrow(/repositories\[0\] 'team\/api': repositoryPolicyText: policy statement 'PublicPull' allows the '\*' principal/);
    });

    test('given the open policy acknowledged with a reason, when synthesized with every pack, then it renders as given and the findings are acknowledged', () => {
      const { repositories } = synthesized(`repositories:\n  - name: team/api\n    repositoryPolicy: ${OPEN_POLICY}\n`
        + '    acknowledge:\n      - { id: EcrCompliance-OpenAccess, reason: "public base images, by design" }\n', true);
      expect(repositories['team/api'].RepositoryPolicyText).toEqual(JSON.parse(OPEN_POLICY));
    });

    test.each<[string, RegExp]>([
      ['[1, 2]', /repositoryPolicy must be a policy document/],
      ['{ Version: "2012-10-17" }', /repositoryPolicy: has no Statement/],
      ['{ Statement: [{ Effect: Allow, Action: "ecr:*" }] }', /repositoryPolicy: Statement\[0\] names no principal/],
      ['{ Version: "2020-01-01", Statement: [{ Effect: Allow, Principal: "*" }] }', /repositoryPolicy: Version "2020-01-01" is not 2012-10-17 or 2008-10-17/],
    ])('given repositoryPolicy %s, when validated, then it is refused', (value, expected) => {
      expect(problemsOf(`repositories:\n  - name: team/api\n    repositoryPolicy: ${value}\n`)).toEqual([expect.stringMatching(expected)]);
    });
  });

  describe('tags', () => {
    test('given tags with owner and costCenter, when synthesized, then the repository has all of them', () => {
      const { repositories } = synthesized('repositories:\n  - name: team/api\n    owner: team\n    costCenter: cc-1\n    tags: { "app:component": api, notes: "from the wiki" }\n');
      expect(repositories['team/api'].Tags).toEqual(expect.arrayContaining([
        { Key: 'owner', Value: 'team' }, { Key: 'cost-center', Value: 'cc-1' }, { Key: 'app:component', Value: 'api' }, { Key: 'notes', Value: 'from the wiki' },
      ]));
      expect(repositories['team/api'].Tags).toHaveLength(4);
    });

    test.each<[string, string, RegExp]>([
      ['owner twice', '    owner: a\n    tags: { owner: b }', /tags: tag 'owner' is also set by owner \('a'\): give it once, with owner/],
      ['the aws: prefix', '    tags: { "AWS:x": y }', /tags: tag key 'AWS:x' starts with 'aws:', which AWS reserves/],
      ['a long value', `    tags: { k: ${'v'.repeat(257)} }`, /tags: tag 'k' has a value of 257 characters: ECR takes at most 256/],
      ['an empty value', '    tags: { k: "" }', /tags: tag 'k' has an empty value: ECR takes one, but CloudFormation's AWS::ECR::Repository takes values of 1 to 256/],
      ['a number', '    tags: { k: 12 }', /tags\.k must be a string, not the number 12: put it in quotes/],
      ['51 tags', `    owner: a\n    tags: { ${Array.from({ length: 50 }, (_, i) => `k${i}: v`).join(', ')} }`, /tags: the repository would have 51 tags: ECR takes at most 50/],
    ])('given %s, when validated, then it is refused', (_what, lines, expected) => {
      expect(problemsOf(`repositories:\n  - name: team/api\n${lines}\n`)).toEqual([expect.stringMatching(expected)]);
    });
  });

  describe('scanOnPush and lifecycle none', () => {
    test('given scanOnPush false and lifecycle none, when synthesized, then ScanOnPush is false and no lifecycle policy is rendered', () => {
      const { repositories } = synthesized('repositories:\n  - name: team/api\n    scanOnPush: false\n    lifecycle: none\n  - name: team/web\n', false,
        { 'team/api': ['ecr_private_lifecycle_policy_configured_check', 'ecr_private_image_scanning_enabled_check'] });
      expect(repositories['team/api'].ImageScanningConfiguration).toEqual({ ScanOnPush: false });
      expect(repositories['team/api'].LifecyclePolicy).toBeUndefined();
      expect(repositories['team/web'].ImageScanningConfiguration).toEqual({ ScanOnPush: true });
      expect(repositories['team/web'].LifecyclePolicy).toBeDefined();
    });

    test('given lifecycle none acknowledged for EcrCompliance-LifecyclePolicy, when synthesized with every pack, then its Missing finding is acknowledged too', () => {
      synthesized('repositories:\n  - name: team/api\n    lifecycle: none\n    acknowledge: [{ id: EcrCompliance-LifecyclePolicy, reason: "kept as it runs" }]\n', true,
        { 'team/api': ['ecr_private_lifecycle_policy_configured_check'] });
    });

    test('given scanOnPush that is not a boolean, when validated, then it is refused', () => {
      expect(problemsOf('repositories:\n  - name: team/api\n    scanOnPush: "no"\n')).toEqual([expect.stringMatching(/^c\.yaml:3:17: .*scanOnPush must be true or false/)]);
    });
  });

  test('given a live lifecycle policy text, when read as lifecycle.policy and synthesized, then the template holds the same text', () => {
    const text = '{"rules":[{"rulePriority":10,"description":"Keep 30","selection":{"tagStatus":"tagged","tagPatternList":["release-*"],"countType":"imageCountMoreThan","countNumber":30},'
      + '"action":{"type":"expire"}},{"rulePriority":20,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":7},"action":{"type":"expire"}}]}';
    const { repositories } = synthesized(`repositories:\n  - name: team/api\n    lifecycle: {"policy": ${text}}\n`);
    expect(repositories['team/api'].LifecyclePolicy.LifecyclePolicyText).toBe(text);
  });
});

describe('catalog registry block', () => {
  const REGISTRY = [
    'registry:',
    '  replication:',
    "    - { destinations: [{ account: '222222222222', region: us-east-1 }], filters: [platform/, infra/] }",
    '  scanType: ENHANCED',
    '  scanning:',
    "    - { frequency: CONTINUOUS_SCAN, filters: ['payments/*'] }",
    "    - { frequency: SCAN_ON_PUSH, filters: ['*'] }",
    'repositories:',
    '  - name: platform/api',
  ].join('\n');

  test('given replication rules and a scanning configuration, when the fleet is synthesized with every pack, then its registry stack renders them', () => {
    const app = strictApp();
    const catalog = RepositoryCatalog.fromText(REGISTRY, CatalogFormat.YAML, 'c.yaml');
    const fleet = new RepositoryFleet(app, 'Fleet', { repositories: catalog.repositories, registry: catalog.registry, env: ENV });
    const result = synthesize(app, { nag: true });
    expect(describeFindings(result.nagFindings)).toBe('');
    const template = Template.fromStack(fleet.node.findChild('Registry') as any);
    template.hasResourceProperties('AWS::ECR::ReplicationConfiguration', {
      ReplicationConfiguration: { Rules: [{ Destinations: [{ Region: 'us-east-1', RegistryId: '222222222222' }], RepositoryFilters: [{ Filter: 'platform/', FilterType: 'PREFIX_MATCH' }, { Filter: 'infra/', FilterType: 'PREFIX_MATCH' }] }] },
    });
    template.hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
      ScanType: 'ENHANCED',
      Rules: Match.arrayWith([{ ScanFrequency: 'CONTINUOUS_SCAN', RepositoryFilters: [{ Filter: 'payments/*', FilterType: 'WILDCARD' }] }, { ScanFrequency: 'SCAN_ON_PUSH', RepositoryFilters: [{ Filter: '*', FilterType: 'WILDCARD' }] }].reverse()),
    });
    expect(JSON.parse(fleet.placementText).registry).toBe(true);
  });

  test.each<[string, string, RegExp]>([
    ['a bad filter', "  replication: [{ destinations: [{ account: '222222222222', region: us-east-1 }], filters: [Platform/] }]",
      /^c\.yaml:2:92: registry: replication\[0\]\.filters: repository filter 'Platform\/' is not a repository name prefix/],
    ['a destination without region', "  replication: [{ destinations: [{ account: '222222222222' }] }]", /^c\.yaml:2:\d+: registry: replication\[0\]\.destinations\[0\] needs account and region/],
    ['BASIC with continuous scanning', "  scanType: BASIC\n  scanning: [{ frequency: CONTINUOUS_SCAN, filters: ['*'] }]", /^c\.yaml:3:13: registry: scanning: scan type BASIC does not support CONTINUOUS_SCAN/],
    ['an unknown key', '  replicaton: []', /^c\.yaml:2:3: registry: unknown key 'replicaton': did you mean 'replication'\?/],
    ['a policy that is not a document', '  policy: [x]', /^c\.yaml:2:\d+: registry: policy must be a policy document/],
    ['a policy without statements', "  policy: { Version: '2012-10-17', Statement: [] }", /^c\.yaml:2:\d+: registry: policy: Statement must be a non-empty list/],
  ])('given %s, when validated, then the problem names the registry block', (_what, lines, expected) => {
    expect(problemsOf(`registry:\n${lines}\nrepositories:\n  - name: team/api\n`)).toEqual([expect.stringMatching(expected)]);
  });

  test('given a registry policy as it runs, when the fleet is synthesized, then the registry stack renders its statements; a statement the registry policy does not take is refused', () => {
    const statement = { Sid: 'ReplicationFromOrg', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: ['ecr:CreateRepository', 'ecr:ReplicateImage'], Resource: 'arn:aws:ecr:eu-west-1:123456789012:repository/*' };
    const text = (st: object) => `registry:\n  policy: ${JSON.stringify({ Version: '2012-10-17', Statement: [st] })}\nrepositories:\n  - name: platform/api\n`;
    const catalog = RepositoryCatalog.fromText(text(statement), CatalogFormat.YAML, 'c.yaml');
    const app = strictApp();
    const fleet = new RepositoryFleet(app, 'Fleet', { repositories: catalog.repositories, registry: catalog.registry, env: ENV });
    synthesize(app, { nag: true });
    Template.fromStack(fleet.node.findChild('Registry') as any).hasResourceProperties('AWS::ECR::RegistryPolicy', {
      PolicyText: { Version: '2012-10-17', Statement: [statement] },
    });
    const wildcard = RepositoryCatalog.fromText(text({ ...statement, Action: 'ecr:*' }), CatalogFormat.YAML, 'c.yaml');
    expect(() => new RepositoryFleet(strictApp(), 'Fleet', { repositories: wildcard.repositories, registry: wildcard.registry, env: ENV }))
      .toThrow(/action 'ecr:\*' is not a single ECR action/);
  });

  test('given a registry block in a catalog whose entries name their region, when validated, then the block is refused', () => {
    expect(problemsOf('registry:\n  scanType: BASIC\nrepositories:\n  - name: team/api\n    region: eu-west-1\n'))
      .toEqual([expect.stringMatching(/^c\.yaml:2:3: registry: is the settings of the one registry of a RepositoryFleet/)]);
  });
});
