import { App, Aws, Stack, Stage } from 'aws-cdk-lib';
import { Annotations as AssertAnnotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EcrAccountSettings, PrivateRepository, Registry, RegistryPolicyScope, ReplicationDestination, RepositoryCreationTemplate, RepositoryCreationTemplateAppliedFor } from '../../src';
import { strictApp, strictStack, synthesize, validTemplate } from '../util/harness';

const CENTRAL = ReplicationDestination.of('111111111111', 'eu-central-1');
const WORKLOAD = ReplicationDestination.of('222222222222', 'eu-west-1');

function replicationStatement(source: string, region: string, account: string, prefix = '') {
  return {
    Sid: `ReplicationFrom${source}`,
    Effect: 'Allow',
    Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${source}:root`]] } },
    Action: ['ecr:CreateRepository', 'ecr:ReplicateImage'],
    Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ecr:${region}:${account}:repository/${prefix}*`]] },
  };
}

describe('Registry', () => {
  test('given the same stack, Registry.of returns one registry per stack, and nothing is rendered until something is contributed', () => {
    const stack = strictStack();
    const a = Registry.of(stack);
    const b = Registry.of(new PrivateRepository(stack, 'Repo'));
    expect(a).toBe(b);
    const other = new Stack(stack.node.root as App, 'Other', { env: { account: '111111111111', region: 'us-east-1' } });
    expect(Registry.of(other)).not.toBe(a);
    new PrivateRepository(other, 'Repo');
    const template = validTemplate(stack, { nag: true });
    template.resourceCountIs('AWS::ECR::RegistryPolicy', 0);
    template.resourceCountIs('AWS::ECR::ReplicationConfiguration', 0);
  });

  test('given statements from many constructs, then one registry policy holds them all, rendered lazily', () => {
    const stack = strictStack();
    const registry = Registry.of(stack);
    registry.allowReplicationFrom('333333333333');
    Registry.of(new PrivateRepository(stack, 'Repo')).allowReplicationFrom('444444444444');
    Registry.of(stack).addToPolicy(new iam.PolicyStatement({
      sid: 'PullThroughCache',
      principals: [new iam.AccountPrincipal('555555555555')],
      actions: ['ecr:BatchImportUpstreamImage', 'ecr:CreateRepository'],
      resources: [registry.arnForRepositories('cache/')],
    }));
    registry.allowReplicationFrom('333333333333'); // idempotent
    const template = validTemplate(stack, { nag: true });
    template.resourceCountIs('AWS::ECR::RegistryPolicy', 1);
    template.hasResourceProperties('AWS::ECR::RegistryPolicy', {
      PolicyText: {
        Version: '2012-10-17',
        Statement: [
          replicationStatement('333333333333', 'eu-west-1', '111111111111'),
          replicationStatement('444444444444', 'eu-west-1', '111111111111'),
          Match.objectLike({ Sid: 'PullThroughCache', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:eu-west-1:111111111111:repository/cache/*']] } }),
        ],
      },
    });
  });

  test.each<[string, () => iam.PolicyStatement, RegExp]>([
    ['open * principal', () => new iam.PolicyStatement({ principals: [new iam.StarPrincipal()], actions: ['ecr:ReplicateImage'], resources: ['arn:aws:ecr:eu-west-1:111111111111:repository/*'] }), /allows the '\*' principal/],
    ['no principal', () => new iam.PolicyStatement({ actions: ['ecr:ReplicateImage'], resources: ['arn:aws:ecr:eu-west-1:111111111111:repository/*'] }), /names no principal/],
    ['no resource', () => new iam.PolicyStatement({ principals: [new iam.AccountPrincipal('222222222222')], actions: ['ecr:ReplicateImage'] }), /names no Resource/],
    ['not a repository ARN', () => new iam.PolicyStatement({ principals: [new iam.AccountPrincipal('222222222222')], actions: ['ecr:ReplicateImage'], resources: ['*'] }), /is not an ECR repository ARN pattern/],
    ['wildcard action', () => new iam.PolicyStatement({ principals: [new iam.AccountPrincipal('222222222222')], actions: ['ecr:*'], resources: ['arn:aws:ecr:eu-west-1:111111111111:repository/*'] }), /action 'ecr:\*' is not a single ECR action/],
    ['non-ECR action', () => new iam.PolicyStatement({ principals: [new iam.AccountPrincipal('222222222222')], actions: ['s3:GetObject'], resources: ['arn:aws:ecr:eu-west-1:111111111111:repository/*'] }), /action 's3:GetObject'/],
    ['NotAction', () => new iam.PolicyStatement({ principals: [new iam.AccountPrincipal('222222222222')], notActions: ['ecr:DeleteRepository'], resources: ['arn:aws:ecr:eu-west-1:111111111111:repository/*'] }), /NotAction/],
  ])('given a registry policy statement with %s, then addToPolicy fails naming the registry', (_name, statement, message) => {
    const stack = strictStack();
    expect(() => Registry.of(stack).addToPolicy(statement())).toThrow(/^Registry 'Stack\/EcrRegistry': \d+ problems?:/);
    expect(() => Registry.of(stack).addToPolicy(statement())).toThrow(message);
  });

  test('given a * principal restricted to an organization, then addToPolicy accepts it', () => {
    const stack = strictStack();
    Registry.of(stack).addToPolicy(new iam.PolicyStatement({
      principals: [new iam.StarPrincipal()],
      actions: ['ecr:ReplicateImage'],
      resources: [Registry.of(stack).arnForRepositories()],
      conditions: { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg1' } },
    }));
    validTemplate(stack).resourceCountIs('AWS::ECR::RegistryPolicy', 1);
  });

  test.each([
    ['not an account ID', '12345', /not an AWS account ID/],
    ['its own account', '111111111111', /this registry's own account/],
  ])('given allowReplicationFrom with %s, then it fails', (_name, account, message) => {
    expect(() => Registry.of(strictStack()).allowReplicationFrom(account)).toThrow(message);
  });

  describe('singleton check across the app', () => {
    test('given two stacks of the same account and region that both render a registry policy, then synth fails naming both stacks and the resource', () => {
      const app = strictApp();
      const env = { account: '111111111111', region: 'eu-west-1' };
      Registry.of(new Stack(app, 'First', { env })).allowReplicationFrom('222222222222');
      Registry.of(new Stack(app, 'Second', { env })).allowReplicationFrom('333333333333');
      expect(() => app.synth()).toThrow(/stacks 'First' and 'Second' both render AWS::ECR::RegistryPolicy for account 111111111111 in eu-west-1/);
    });

    test('given two stages synthesized one by one as they are added (as CDK Pipelines does), then the later stage fails naming both stacks', () => {
      const app = strictApp();
      const env = { account: '111111111111', region: 'eu-west-1' };
      const first = new Stage(app, 'Wave1');
      Registry.of(new Stack(first, 'Registry', { env })).allowReplicationFrom('222222222222');
      expect(() => first.synth({ validateOnSynthesis: true })).not.toThrow();
      const second = new Stage(app, 'Wave2');
      Registry.of(new Stack(second, 'Registry', { env })).allowReplicationFrom('333333333333');
      expect(() => second.synth({ validateOnSynthesis: true })).toThrow(/stacks 'Wave1\/Registry' and 'Wave2\/Registry' both render AWS::ECR::RegistryPolicy for account 111111111111 in eu-west-1/);
    });

    test('given two stacks of the same environment that render different registry resources, then synth passes', () => {
      const app = strictApp();
      const env = { account: '111111111111', region: 'eu-west-1' };
      Registry.of(new Stack(app, 'First', { env })).allowReplicationFrom('222222222222');
      Registry.of(new Stack(app, 'Second', { env })).addReplicationRule({ destinations: [CENTRAL] });
      expect(() => app.synth()).not.toThrow();
    });

    test('given two stacks of the same account in different regions, then each has its own registry', () => {
      const app = strictApp();
      Registry.of(new Stack(app, 'First', { env: { account: '111111111111', region: 'eu-west-1' } })).allowReplicationFrom('222222222222');
      Registry.of(new Stack(app, 'Second', { env: { account: '111111111111', region: 'eu-central-1' } })).allowReplicationFrom('222222222222');
      expect(() => app.synth()).not.toThrow();
    });

    test('given an environment-agnostic stack that renders a registry resource, then it gets a warning saying why', () => {
      const app = new App();
      const stack = new Stack(app, 'Agnostic');
      Registry.of(stack).allowReplicationFrom('222222222222');
      AssertAnnotations.fromStack(stack).hasWarning('/Agnostic/EcrRegistry', Match.stringLikeRegexp('renders AWS::ECR::RegistryPolicy without a concrete account and region: ECR keeps one per account and region'));
    });

    test('given an environment-agnostic stack with an empty registry, then no warning', () => {
      const app = new App();
      const stack = new Stack(app, 'Agnostic');
      Registry.of(new PrivateRepository(stack, 'Repo'));
      AssertAnnotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    });
  });
});

describe('replication', () => {
  test('given rules and repositories with the same destinations, then they merge into one rule with PREFIX_MATCH filters', () => {
    const stack = strictStack();
    const registry = Registry.of(stack);
    registry.addReplicationRule({ destinations: [CENTRAL], repositoryFilters: ['platform/'] });
    new PrivateRepository(stack, 'A', { repositoryName: 'team-a/api' }).replicateTo([CENTRAL]);
    new PrivateRepository(stack, 'B', { repositoryName: 'team-b/web' }).replicateTo([WORKLOAD, CENTRAL]);
    new PrivateRepository(stack, 'C', { repositoryName: 'team-c/db' }).replicateTo([CENTRAL, WORKLOAD]);
    registry.addReplicationRule({ destinations: [CENTRAL], repositoryFilters: ['platform/'] }); // duplicate rule: merged
    const template = validTemplate(stack, { nag: true });
    template.resourceCountIs('AWS::ECR::ReplicationConfiguration', 1);
    template.hasResourceProperties('AWS::ECR::ReplicationConfiguration', {
      ReplicationConfiguration: {
        Rules: [
          {
            Destinations: [{ Region: 'eu-central-1', RegistryId: '111111111111' }],
            RepositoryFilters: [
              { Filter: 'platform/', FilterType: 'PREFIX_MATCH' },
              { Filter: 'team-a/api', FilterType: 'PREFIX_MATCH' },
            ],
          },
          {
            Destinations: [{ Region: 'eu-west-1', RegistryId: '222222222222' }, { Region: 'eu-central-1', RegistryId: '111111111111' }],
            RepositoryFilters: [
              { Filter: 'team-b/web', FilterType: 'PREFIX_MATCH' },
              { Filter: 'team-c/db', FilterType: 'PREFIX_MATCH' },
            ],
          },
        ],
      },
    });
  });

  test('given a rule for every repository, then a repository asking for the same destinations does not narrow it', () => {
    const stack = strictStack();
    Registry.of(stack).addReplicationRule({ destinations: [CENTRAL] });
    new PrivateRepository(stack, 'A', { repositoryName: 'team-a/api' }).replicateTo([CENTRAL]);
    validTemplate(stack).hasResourceProperties('AWS::ECR::ReplicationConfiguration', {
      ReplicationConfiguration: { Rules: [{ Destinations: [{ Region: 'eu-central-1', RegistryId: '111111111111' }], RepositoryFilters: Match.absent() }] },
    });
  });

  test('given the destination stack in the same app, declared after the source, then one call wires its registry policy with literal account IDs', () => {
    const app = strictApp();
    const source = new Stack(app, 'Source', { env: { account: '111111111111', region: 'eu-west-1' } });
    new PrivateRepository(source, 'Repo', { repositoryName: 'platform/base-images' }).replicateTo([WORKLOAD, CENTRAL]);
    const workload = new Stack(app, 'Workload', { env: { account: '222222222222', region: 'eu-west-1' } });
    const central = new Stack(app, 'Central', { env: { account: '111111111111', region: 'eu-central-1' } });
    new PrivateRepository(central, 'Regional', { repositoryName: 'team-a/api' });
    const result = synthesize(app, { nag: true });
    expect(result.cfnFindings).toEqual([]);
    expect(result.nagFindings).toEqual([]);
    const workloadTemplate = Template.fromJSON(result.assembly.getStackByName(workload.stackName).template);
    workloadTemplate.hasResourceProperties('AWS::ECR::RegistryPolicy', {
      PolicyText: { Statement: [replicationStatement('111111111111', 'eu-west-1', '222222222222', 'platform/base-images')] },
    });
    // Same account, other region: no registry policy is needed.
    Template.fromJSON(result.assembly.getStackByName(central.stackName).template).resourceCountIs('AWS::ECR::RegistryPolicy', 0);
    // No cross-stack references.
    expect(JSON.stringify(result.assembly.getStackByName(workload.stackName).template)).not.toMatch(/Fn::ImportValue/);
    expect(JSON.stringify(result.assembly.getStackByName(source.stackName).template)).not.toMatch(/Fn::ImportValue/);
  });

  test('given filters, then the destination registry policy grants replication on the replicated prefixes only', () => {
    const app = strictApp();
    const source = new Stack(app, 'Source', { env: { account: '111111111111', region: 'eu-west-1' } });
    Registry.of(source).addReplicationRule({ destinations: [WORKLOAD], repositoryFilters: ['team-a/', 'team-b/'] });
    new PrivateRepository(source, 'Repo', { repositoryName: 'platform/base-images' }).replicateTo([WORKLOAD, CENTRAL]);
    const workload = new Stack(app, 'Workload', { env: { account: '222222222222', region: 'eu-west-1' } });
    const result = synthesize(app, { nag: true });
    const resource = (prefix: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ecr:eu-west-1:222222222222:repository/${prefix}*`]] });
    Template.fromJSON(result.assembly.getStackByName(workload.stackName).template).hasResourceProperties('AWS::ECR::RegistryPolicy', {
      PolicyText: {
        Statement: [Match.objectLike({
          Sid: 'ReplicationFrom111111111111',
          Action: ['ecr:CreateRepository', 'ecr:ReplicateImage'],
          Resource: [resource('team-a/'), resource('team-b/'), resource('platform/base-images')],
        })],
      },
    });
  });

  test('given a rule without filters to the destination, then the grant covers every repository', () => {
    const app = strictApp();
    const source = new Stack(app, 'Source', { env: { account: '111111111111', region: 'eu-west-1' } });
    Registry.of(source).addReplicationRule({ destinations: [WORKLOAD], repositoryFilters: ['team-a/'] });
    Registry.of(source).addReplicationRule({ destinations: [WORKLOAD, CENTRAL] });
    const workload = new Stack(app, 'Workload', { env: { account: '222222222222', region: 'eu-west-1' } });
    const result = synthesize(app, { nag: true });
    Template.fromJSON(result.assembly.getStackByName(workload.stackName).template).hasResourceProperties('AWS::ECR::RegistryPolicy', {
      PolicyText: { Statement: [replicationStatement('111111111111', 'eu-west-1', '222222222222')] },
    });
  });

  test('given allowReplicationFrom with prefixes, called again with more, then a prefix already covered adds nothing', () => {
    const stack = strictStack({ env: { account: '222222222222', region: 'eu-west-1' } });
    const registry = Registry.of(stack);
    registry.allowReplicationFrom('111111111111', ['team-a/']);
    registry.allowReplicationFrom('111111111111', ['team-a/api', 'team-b/']);
    validTemplate(stack, { nag: true }).hasResourceProperties('AWS::ECR::RegistryPolicy', {
      PolicyText: {
        Statement: [
          replicationStatement('111111111111', 'eu-west-1', '222222222222', 'team-a/'),
          { ...replicationStatement('111111111111', 'eu-west-1', '222222222222', 'team-b/'), Sid: 'ReplicationFrom1111111111112' },
        ],
      },
    });
    expect(() => registry.allowReplicationFrom('111111111111', ['Team A'])).toThrow(/repository filter 'Team A' is not a repository name prefix/);
  });

  test('given a destination outside the app, then the source warns and the destination side is one call', () => {
    const app = new App();
    const source = new Stack(app, 'Source', { env: { account: '111111111111', region: 'eu-west-1' } });
    Registry.of(source).addReplicationRule({ destinations: [WORKLOAD] });
    AssertAnnotations.fromStack(source).hasWarning('/Source/EcrRegistry', Match.stringLikeRegexp("deploy Registry.of\\(stack\\).allowReplicationFrom\\('111111111111'\\)"));

    const destination = strictStack({ env: { account: '222222222222', region: 'eu-west-1' } }, 'Destination');
    Registry.of(destination).allowReplicationFrom('111111111111');
    validTemplate(destination, { nag: true }).hasResourceProperties('AWS::ECR::RegistryPolicy', {
      PolicyText: { Statement: [replicationStatement('111111111111', 'eu-west-1', '222222222222')] },
    });
  });

  test('given an environment-agnostic source replicating to another account, then it warns that the destination cannot be wired', () => {
    const app = new App();
    const source = new Stack(app, 'Source');
    Registry.of(source).addReplicationRule({ destinations: [WORKLOAD] });
    AssertAnnotations.fromStack(source).hasWarning('/Source/EcrRegistry', Match.stringLikeRegexp('cannot name the source account'));
  });

  test('given replicateTo on a name that is a prefix of other repositories, then a warning names the ones it also replicates', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Source', { env: { account: '111111111111', region: 'eu-west-1' } });
    const other = new Stack(app, 'Other', { env: { account: '111111111111', region: 'eu-west-1' } });
    new PrivateRepository(stack, 'App', { repositoryName: 'app' }).replicateTo([CENTRAL]);
    new PrivateRepository(stack, 'Legacy', { repositoryName: 'app-legacy' });
    new PrivateRepository(other, 'Apply', { repositoryName: 'apply' });
    new PrivateRepository(stack, 'Web', { repositoryName: 'web-app' });
    synthesize(app);
    const warnings = AssertAnnotations.fromStack(stack).findWarning('/Source/App', Match.stringLikeRegexp('also replicates'));
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0].entry.data)).toMatch(/'app-legacy', 'apply'/);
    expect(String(warnings[0].entry.data)).not.toMatch(/web-app/);
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::ReplicationConfiguration', {
      ReplicationConfiguration: { Rules: [{ RepositoryFilters: [{ Filter: 'app', FilterType: 'PREFIX_MATCH' }] }] },
    });
  });

  test('given a repository whose name is a prefix of no other, then replicateTo warns nothing', () => {
    const stack = strictStack();
    new PrivateRepository(stack, 'A', { repositoryName: 'team-a/api' }).replicateTo([CENTRAL]);
    new PrivateRepository(stack, 'B', { repositoryName: 'team-a/web' });
    synthesize(stack.node.root as App);
    expect(AssertAnnotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('also replicates'))).toHaveLength(0);
  });

  test.each([
    ['team-a/', 'team-a/'],
    ['team-a', 'team-a/'],
    ['team-a/services/', 'team-a/services/'],
  ])('given replicateNamespace(%j), then it renders the PREFIX_MATCH filter %j', (namespace, filter) => {
    const stack = strictStack();
    Registry.of(stack).replicateNamespace(namespace, [CENTRAL]);
    validTemplate(stack, { nag: true }).hasResourceProperties('AWS::ECR::ReplicationConfiguration', {
      ReplicationConfiguration: { Rules: [{ Destinations: [{ Region: 'eu-central-1', RegistryId: '111111111111' }], RepositoryFilters: [{ Filter: filter, FilterType: 'PREFIX_MATCH' }] }] },
    });
  });

  test.each([
    ['', /namespace '' is not a repository namespace/],
    ['/', /namespace '\/' is not a repository namespace/],
    ['Team-A/', /repository filter 'Team-A\/' is not a repository name prefix/],
  ])('given replicateNamespace(%j), then it fails clearly', (namespace, message) => {
    const stack = strictStack();
    expect(() => Registry.of(stack).replicateNamespace(namespace, [CENTRAL])).toThrow(message);
  });

  test('given a repository without a literal name, then replicateTo fails clearly', () => {
    const stack = strictStack();
    expect(() => new PrivateRepository(stack, 'Repo').replicateTo([CENTRAL]))
      .toThrow(/^PrivateRepository 'Stack\/Repo': 1 problem:\n {2}- replicateTo needs a concrete repositoryName/);
  });

  const many = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
  const regions = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-2', 'ca-central-1', 'sa-east-1', 'eu-south-1', 'me-south-1', 'af-south-1', 'ap-east-1', 'ap-northeast-3', 'eu-central-2', 'eu-south-2', 'ap-south-2', 'me-central-1', 'il-central-1'];

  test.each<[string, (r: Registry) => void, RegExp]>([
    ['no destinations', (r) => r.addReplicationRule({ destinations: [] }), /destinations is empty/],
    ['a duplicate destination', (r) => r.addReplicationRule({ destinations: [CENTRAL, ReplicationDestination.of('111111111111', 'eu-central-1')] }), /destination 111111111111\/eu-central-1 is listed twice in one rule/],
    ['the source registry itself', (r) => r.addReplicationRule({ destinations: [ReplicationDestination.of('111111111111', 'eu-west-1')] }), /is the source registry itself/],
    ['an empty filter list', (r) => r.addReplicationRule({ destinations: [CENTRAL], repositoryFilters: [] }), /repositoryFilters is empty/],
    ['a one-character filter', (r) => r.addReplicationRule({ destinations: [CENTRAL], repositoryFilters: ['a'] }), /repository filter 'a' has 1 characters: ECR takes 2 to 256/],
    ['a too long filter', (r) => r.addReplicationRule({ destinations: [CENTRAL], repositoryFilters: ['a'.repeat(257)] }), /has 257 characters/],
    ['an uppercase filter', (r) => r.addReplicationRule({ destinations: [CENTRAL], repositoryFilters: ['Team/'] }), /repository filter 'Team\/' is not a repository name prefix/],
    ['a duplicate filter', (r) => r.addReplicationRule({ destinations: [CENTRAL], repositoryFilters: ['team/', 'team/'] }), /repository filter 'team\/' is listed twice/],
    ['101 filters in one rule', (r) => {
      r.addReplicationRule({ destinations: [CENTRAL], repositoryFilters: many(60, (i) => `team${i}/`) });
      r.addReplicationRule({ destinations: [CENTRAL], repositoryFilters: many(41, (i) => `other${i}/`) });
    }, /would have 101 repository filters: ECR takes at most 100 per rule/],
    ['11 rules', (r) => {
      for (let i = 0; i < 11; i++) r.addReplicationRule({ destinations: [ReplicationDestination.of('111111111111', regions[i === 4 ? 25 : i])] });
    }, /would have 11 replication rules: ECR takes at most 10/],
    ['26 distinct destinations', (r) => {
      r.addReplicationRule({ destinations: many(13, (i) => ReplicationDestination.of(`2222222222${String(i).padStart(2, '0')}`, 'eu-west-1')) });
      r.addReplicationRule({ destinations: many(13, (i) => ReplicationDestination.of(`3333333333${String(i).padStart(2, '0')}`, 'eu-west-1')) });
    }, /would replicate to 26 distinct destinations: ECR takes at most 25/],
  ])('given %s, then the call fails naming the registry', (_name, call, message) => {
    const registry = Registry.of(strictStack());
    expect(() => call(registry)).toThrow(/^Registry 'Stack\/EcrRegistry': \d+ problems?:/);
    const again = Registry.of(strictStack());
    expect(() => call(again)).toThrow(message);
  });

  test('given several problems in one call, then one error lists them all', () => {
    const registry = Registry.of(strictStack());
    expect(() => registry.addReplicationRule({ destinations: [], repositoryFilters: ['A', 'b'] }))
      .toThrow(/4 problems:/);
  });

  test.each([
    ['a short account', () => ReplicationDestination.of('1234', 'eu-west-1'), /not an AWS account ID/],
    ['a bad region', () => ReplicationDestination.of('111111111111', 'Europe'), /not an AWS region name/],
    ['a token account', () => ReplicationDestination.of(Aws.ACCOUNT_ID, 'eu-west-1'), /is a token/],
  ])('given ReplicationDestination.of with %s, then it fails', (_name, call, message) => {
    expect(call).toThrow(/^ReplicationDestination.of: \d+ problems?:/);
    expect(call).toThrow(message);
  });
});

describe('a clash between two stacks is reported once', () => {
  test.each([2, 3])('given %i stacks of one account and region that all render a registry policy, then each pair is named once', (n) => {
    const app = strictApp();
    const env = { account: '111111111111', region: 'eu-west-1' };
    for (let i = 0; i < n; i++) Registry.of(new Stack(app, `S${i}`, { env })).allowReplicationFrom('222222222222');
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    const clashes = message.split('\n').filter((l) => /both render AWS::ECR::RegistryPolicy/.test(l));
    expect(clashes.length).toBe((n * (n - 1)) / 2);
    expect(new Set(clashes.map((l) => l.replace(/^.*stacks '(\w+)' and '(\w+)'.*$/, (_m, a, b) => [a, b].sort().join('+')))).size).toBe(clashes.length);
  });
});

describe('deploy-time failures found at synth', () => {
  const V2_WARNING = Match.stringLikeRegexp('ECR applies only with the V2 registry policy scope');

  test('given a registry policy statement with pull actions and no V2 scope set in the app, then the registry warns', () => {
    const stack = strictStack();
    Registry.of(stack).allowPullThroughCacheFrom('222222222222', 'team');
    AssertAnnotations.fromStack(stack).hasWarning('/Stack/EcrRegistry', V2_WARNING);
  });

  test('given the app sets the V2 scope for that registry in another stack of the same environment, then no warning', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Upstream', { env: { account: '111111111111', region: 'eu-west-1' } });
    Registry.of(stack).allowPullThroughCacheFrom('222222222222', 'team');
    new EcrAccountSettings(new Stack(app, 'Settings', { env: { account: '111111111111', region: 'eu-west-1' } }), 'AccountSettings', { registryPolicyScope: RegistryPolicyScope.V2 });
    AssertAnnotations.fromStack(stack).hasNoWarning('*', V2_WARNING);
  });

  test('given only replication and pull-through actions (V1), then no scope warning', () => {
    const stack = strictStack();
    Registry.of(stack).allowReplicationFrom('222222222222');
    AssertAnnotations.fromStack(stack).hasNoWarning('*', V2_WARNING);
  });

  test('given a registry policy over ECR\'s 10,240 characters, then synth fails saying so', () => {
    const stack = strictStack();
    const registry = Registry.of(stack);
    for (let i = 0; i < 60; i++) {
      registry.addToPolicy(new iam.PolicyStatement({
        sid: `Team${i}`,
        principals: [new iam.AccountPrincipal('222222222222')],
        actions: ['ecr:CreateRepository', 'ecr:BatchImportUpstreamImage'],
        resources: [registry.arnForRepositories(`team-${i}/service-with-a-long-name/`)],
      }));
    }
    expect(() => (stack.node.root as App).synth()).toThrow(/the registry policy of stack 'Stack' has at least \d+ characters .*ECR takes at most 10240/);
  });

  test('given replication into a destination of the app without a REPLICATION template covering the filter, then the source warns', () => {
    const app = strictApp();
    const source = new Stack(app, 'Source', { env: { account: '111111111111', region: 'eu-west-1' } });
    Registry.of(source).addReplicationRule({ destinations: [WORKLOAD], repositoryFilters: ['platform/', 'team-a/'] });
    const workload = new Stack(app, 'Workload', { env: { account: '222222222222', region: 'eu-west-1' } });
    new RepositoryCreationTemplate(workload, 'Platform', { prefix: 'platform', appliedFor: [RepositoryCreationTemplateAppliedFor.REPLICATION] });
    new RepositoryCreationTemplate(workload, 'TeamA', { prefix: 'team-a', appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH] });
    const annotations = AssertAnnotations.fromStack(source);
    annotations.hasWarning('/Source/EcrRegistry', Match.stringLikeRegexp("Replication to 222222222222/eu-west-1: no repository creation template applied for REPLICATION in that registry \\(stack 'Workload'\\) covers 'team-a/', so ECR creates those replicas with AES256 encryption, mutable tags and no lifecycle policy"));
    annotations.hasNoWarning('/Source/EcrRegistry', Match.stringLikeRegexp("covers 'platform/'"));
  });

  test.each([
    ['a ROOT template', 'ROOT'],
    ['a template for the namespace', 'team-a'],
  ])('given %s applied for REPLICATION in the destination, then no replica warning', (_n, prefix) => {
    const app = strictApp();
    const source = new Stack(app, 'Source', { env: { account: '111111111111', region: 'eu-west-1' } });
    Registry.of(source).addReplicationRule({ destinations: [WORKLOAD], repositoryFilters: ['team-a/'] });
    const workload = new Stack(app, 'Workload', { env: { account: '222222222222', region: 'eu-west-1' } });
    new RepositoryCreationTemplate(workload, 'T', { prefix, appliedFor: [RepositoryCreationTemplateAppliedFor.REPLICATION] });
    AssertAnnotations.fromStack(source).hasNoWarning('*', Match.stringLikeRegexp('no repository creation template'));
  });

  test('given a destination outside the app, then no replica template warning (nothing to compare with)', () => {
    const app = new App();
    const source = new Stack(app, 'Source', { env: { account: '111111111111', region: 'eu-west-1' } });
    Registry.of(source).addReplicationRule({ destinations: [WORKLOAD] });
    AssertAnnotations.fromStack(source).hasNoWarning('*', Match.stringLikeRegexp('no repository creation template'));
  });
});
