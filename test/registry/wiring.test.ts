import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, Lazy, Stack, Stage } from 'aws-cdk-lib';
import { Annotations as AssertAnnotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Node } from 'constructs';
import { PrivateRepository, PullThroughCacheRule, Registry, ReplicationDestination, UpstreamRegistry } from '../../src';
import { Problems } from '../../src/internal/problems';
import { AppRegistries, RegistryRef } from '../../src/registry/app-registries';
import { strictApp, synthesize } from '../util/harness';

const SOURCE = { account: '111111111111', region: 'eu-west-1' };
const OTHER = { account: '222222222222', region: 'eu-west-1' };

const arn = (suffix: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, suffix]] });

/** The app with a source registry that replicates to, and caches from, the registry of another account. */
function bothPaths(app: App, otherFirst: boolean): { source: Stack; other: Stack } {
  const declareOther = () => new Stack(app, 'Other', { env: OTHER });
  const early = otherFirst ? declareOther() : undefined;
  const source = new Stack(app, 'Source', { env: SOURCE });
  new PrivateRepository(source, 'Repo', { repositoryName: 'platform/api' })
    .replicateTo([ReplicationDestination.of(OTHER.account, OTHER.region)]);
  new PullThroughCacheRule(source, 'Cache', {
    ecrRepositoryPrefix: 'other-cache',
    upstream: UpstreamRegistry.ecr(OTHER.account, OTHER.region),
    upstreamRepositoryPrefix: 'shared',
  });
  return { source, other: early ?? declareOther() };
}

describe('cross-account wiring', () => {
  test.each([
    ['declared after the source', false],
    ['declared before the source', true],
  ])('given replication and an ECR-to-ECR pull-through cache to one other account whose stack is %s, then one registry policy there grants both', (_name, otherFirst) => {
    const app = strictApp();
    const { source, other } = bothPaths(app, otherFirst);
    const result = synthesize(app, { nag: true });
    expect(result.cfnFindings).toEqual([]);
    expect(result.nagFindings).toEqual([]);
    const template = Template.fromJSON(result.assembly.getStackByName(other.stackName).template);
    template.resourceCountIs('AWS::ECR::RegistryPolicy', 1);
    template.hasResourceProperties('AWS::ECR::RegistryPolicy', {
      PolicyText: {
        Statement: [
          {
            Sid: 'ReplicationFrom111111111111',
            Effect: 'Allow',
            Principal: { AWS: arn(':iam::111111111111:root') },
            Action: ['ecr:CreateRepository', 'ecr:ReplicateImage'],
            Resource: arn(':ecr:eu-west-1:222222222222:repository/platform/api*'),
          },
          {
            Sid: 'PullThroughCacheFrom111111111111shared',
            Effect: 'Allow',
            Principal: { AWS: arn(':iam::111111111111:root') },
            Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            Resource: arn(':ecr:eu-west-1:222222222222:repository/shared/*'),
          },
        ],
      },
    });
    // Nothing is wired into the source, and no warning says a side is missing.
    Template.fromJSON(result.assembly.getStackByName(source.stackName).template).resourceCountIs('AWS::ECR::RegistryPolicy', 0);
    const warnings = AssertAnnotations.fromStack(source).findWarning('*', Match.stringLikeRegexp('OutsideApp|not wired|no stack of that account'));
    expect(warnings).toEqual([]);
  });

  test('given several sources, then the destination policy lists them in tree order, whatever the order of the calls', () => {
    const app = strictApp();
    const first = new Stack(app, 'First', { env: { account: '333333333333', region: 'eu-west-1' } });
    const second = new Stack(app, 'Second', { env: { account: '444444444444', region: 'eu-west-1' } });
    const other = new Stack(app, 'Other', { env: OTHER });
    new PullThroughCacheRule(second, 'Cache', { ecrRepositoryPrefix: 'other-cache', upstream: UpstreamRegistry.ecr(OTHER.account, OTHER.region) });
    new PrivateRepository(second, 'Repo', { repositoryName: 'second/api' }).replicateTo([ReplicationDestination.of(OTHER.account, OTHER.region)]);
    new PrivateRepository(first, 'Repo', { repositoryName: 'first/api' }).replicateTo([ReplicationDestination.of(OTHER.account, OTHER.region)]);
    const result = synthesize(app);
    const policy = Object.values(Template.fromJSON(result.assembly.getStackByName(other.stackName).template).findResources('AWS::ECR::RegistryPolicy'))[0] as any;
    // Second's cache rule was declared before its registry, so it comes first within Second.
    expect(policy.Properties.PolicyText.Statement.map((st: any) => st.Sid))
      .toEqual(['ReplicationFrom333333333333', 'PullThroughCacheFrom444444444444', 'ReplicationFrom444444444444']);
  });

  test('given aspect stabilization, then both paths are wired the same way', () => {
    const app = strictApp({ context: { '@aws-cdk/core:aspectStabilization': true } });
    const { other } = bothPaths(app, false);
    const result = synthesize(app);
    const policy = Object.values(Template.fromJSON(result.assembly.getStackByName(other.stackName).template).findResources('AWS::ECR::RegistryPolicy'))[0] as any;
    expect(policy.Properties.PolicyText.Statement.map((s: any) => s.Sid)).toEqual(['ReplicationFrom111111111111', 'PullThroughCacheFrom111111111111shared']);
  });

  test('given both paths, then one aspect of the app wires them, and neither the registry nor the rule carries its own', () => {
    const app = strictApp();
    const { source } = bothPaths(app, false);
    expect(Aspects.of(app).all).toHaveLength(1);
    expect(Aspects.of(Registry.of(source)).all).toHaveLength(0);
    expect(Aspects.of(source.node.findChild('Cache')).all).toHaveLength(0);
  });

  test('given synthesis twice, then the grants are not doubled and each warning is given once', () => {
    const app = strictApp();
    const { other } = bothPaths(app, false);
    const outside = new Stack(app, 'Outside', { env: { account: '333333333333', region: 'eu-west-1' } });
    new PrivateRepository(outside, 'Repo', { repositoryName: 'lonely/api' }).replicateTo([ReplicationDestination.of('444444444444', 'eu-west-1')]);
    app.synth({ force: true });
    const result = synthesize(app);
    const template = Template.fromJSON(result.assembly.getStackByName(other.stackName).template);
    expect(template.toJSON().Resources).toBeDefined();
    const policy = Object.values(template.findResources('AWS::ECR::RegistryPolicy'))[0] as any;
    expect(policy.Properties.PolicyText.Statement).toHaveLength(2);
    const outsideWarnings = outside.node.findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === 'aws:cdk:warning' && String(m.data).includes('replicationDestinationOutsideApp'));
    expect(outsideWarnings).toHaveLength(1);
  });

  test('given an ECR upstream whose account and region are known only at synth (Lazy), then its registry policy is wired once they resolve', () => {
    const app = strictApp();
    const source = new Stack(app, 'Source', { env: SOURCE });
    new PullThroughCacheRule(source, 'Cache', {
      ecrRepositoryPrefix: 'other-cache',
      upstream: UpstreamRegistry.ecr(Lazy.string({ produce: () => OTHER.account }), Lazy.string({ produce: () => OTHER.region })),
    });
    const other = new Stack(app, 'Other', { env: OTHER });
    const result = synthesize(app);
    Template.fromJSON(result.assembly.getStackByName(other.stackName).template).hasResourceProperties('AWS::ECR::RegistryPolicy', {
      PolicyText: { Statement: [Match.objectLike({ Sid: 'PullThroughCacheFrom111111111111', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] })] },
    });
    expect(AssertAnnotations.fromStack(source).findWarning('*', Match.stringLikeRegexp('no stack of that account'))).toEqual([]);
  });

  test('given environment-agnostic sources, then both paths warn as before and wire nothing', () => {
    const app = strictApp();
    const source = new Stack(app, 'Source');
    new PrivateRepository(source, 'Repo', { repositoryName: 'platform/api' })
      .replicateTo([ReplicationDestination.of(OTHER.account, OTHER.region)]);
    new PullThroughCacheRule(source, 'Cache', { ecrRepositoryPrefix: 'other-cache', upstream: UpstreamRegistry.ecr(OTHER.account, OTHER.region) });
    const other = new Stack(app, 'Other', { env: OTHER });
    new PrivateRepository(other, 'Repo', { repositoryName: 'other/api' });
    const result = synthesize(app);
    Template.fromJSON(result.assembly.getStackByName(other.stackName).template).resourceCountIs('AWS::ECR::RegistryPolicy', 0);
    const annotations = AssertAnnotations.fromStack(source);
    annotations.hasWarning('/Source/EcrRegistry', Match.stringLikeRegexp('Replication to 222222222222/eu-west-1 from an environment-agnostic stack'));
    annotations.hasWarning('/Source/Cache', Match.stringLikeRegexp('Pull-through cache from ecr .* in an environment-agnostic stack'));
  });

  test('given a stage, then the wiring pass of the stage wires its stacks', () => {
    const app = strictApp();
    const stage = new Stage(app, 'Prod');
    const { other } = bothPaths(stage as unknown as App, false);
    const assembly = stage.synth();
    const policy = Template.fromJSON(assembly.getStackArtifact(other.artifactId).template);
    policy.resourceCountIs('AWS::ECR::RegistryPolicy', 1);
  });
});

describe('one lookup of the stacks of a registry', () => {
  test('the app is searched for stacks in one module only', () => {
    const src = path.join(__dirname, '../../src');
    const files = walk(src).filter((f) => /(Stack\.isStack\(|stacksOf\(root|function stacksOf)/.test(fs.readFileSync(f, 'utf8')));
    const relative = files.map((f) => path.relative(src, f)).sort();
    // Other walks that look for stacks, outside the registry lookup: the organization rollout
    // (baseline nested-stack check, StackSet clash check) and a setting's own resources
    // (its owner's subtree, stopping at nested stacks).
    const elsewhere = ['organization/baseline.ts', 'organization/stackset.ts', 'registry/settings.ts'];
    expect(relative.filter((f) => !elsewhere.includes(f))).toEqual(['registry/app-registries.ts']);
  });

  test('registry, pull-through cache and compliance code reach other stacks only through AppRegistries', () => {
    const src = path.join(__dirname, '../../src');
    for (const dir of ['registry', 'pull-through-cache', 'compliance']) {
      for (const file of walk(path.join(src, dir))) {
        const text = fs.readFileSync(file, 'utf8');
        expect({ file, walksTheApp: /node\.root\.node\.findAll|root\.node\.findAll\(\)\.filter/.test(text) }).toEqual({ file, walksTheApp: false });
      }
    }
  });

  test('given many registries, then the lookups of one synthesis visit each construct a bounded number of times, whatever the number of registries', () => {
    const visitsPerConstruct = (registries: number) => {
      const app = new App();
      for (let i = 0; i < registries; i++) {
        const account = String(100000000000 + i);
        const stack = new Stack(app, `Account${i}`, { env: { account, region: 'eu-west-1' } });
        new PrivateRepository(stack, 'Repo', { repositoryName: `team/app${i}` })
          .replicateTo([ReplicationDestination.of(account, 'eu-central-1')]);
      }
      const constructs = app.node.findAll().length;
      const descriptor = Object.getOwnPropertyDescriptor(Node.prototype, 'children')!;
      let visits = 0;
      Object.defineProperty(Node.prototype, 'children', {
        ...descriptor,
        get(this: Node) {
          visits++;
          return descriptor.get!.call(this);
        },
      });
      try {
        app.synth();
      } finally {
        Object.defineProperty(Node.prototype, 'children', descriptor);
      }
      return visits / constructs;
    };
    const small = visitsPerConstruct(5);
    const large = visitsPerConstruct(40);
    // Before, each registry walked the whole app for its clash check, its replica template check
    // and its replication wiring, so the visits per construct grew with the number of registries.
    expect(large).toBeLessThan(small * 1.5);
  });

  test('given many sources replicating into one destination stack, then its templates are read once per synthesis phase, whatever the number of sources', () => {
    const walksOfDestination = (sources: number) => {
      const app = new App();
      const central = new Stack(app, 'Central', { env: OTHER });
      for (let r = 0; r < 20; r++) new PrivateRepository(central, `Repo${r}`, { repositoryName: `central/app${r}` });
      for (let i = 0; i < sources; i++) {
        const stack = new Stack(app, `Account${i}`, { env: { account: String(100000000000 + i), region: 'eu-west-1' } });
        new PrivateRepository(stack, 'Repo', { repositoryName: `team/app${i}` }).replicateTo([ReplicationDestination.of(OTHER.account, OTHER.region)]);
      }
      const original = Node.prototype.findAll;
      let walks = 0;
      Node.prototype.findAll = function (this: Node, ...args: any[]) {
        if ((this as any).host === central) walks++;
        return original.apply(this, args as any);
      };
      try {
        app.synth();
      } finally {
        Node.prototype.findAll = original;
      }
      return walks;
    };
    expect(walksOfDestination(25)).toBe(walksOfDestination(2));
  });

  test('AppRegistries groups stacks by literal account and region, in tree order, and keeps an environment-agnostic stack alone', () => {
    const app = new App();
    const a = new Stack(app, 'A', { env: SOURCE });
    const agnostic = new Stack(app, 'Agnostic');
    const b = new Stack(app, 'B', { env: SOURCE });
    const c = new Stack(app, 'C', { env: OTHER });
    const registries = AppRegistries.of(app);
    expect(registries.stacksIn(SOURCE.account, SOURCE.region)).toEqual([a, b]);
    expect(registries.stacksOf(new RegistryRef(OTHER.account, OTHER.region))).toEqual([c]);
    expect(registries.registryStacks(b)).toEqual([a, b]);
    expect(registries.registryStacks(agnostic)).toEqual([agnostic]);
    expect(registries.stacks).toEqual([a, agnostic, b, c]);
  });
});

describe('RegistryRef', () => {
  test('replication destinations and ECR upstreams carry the same registry value', () => {
    const destination = ReplicationDestination.of(OTHER.account, OTHER.region);
    const upstream = UpstreamRegistry.ecr(OTHER.account, OTHER.region);
    const destinationRef = (destination as any)._ref;
    const upstreamRef = (upstream as any)._ref;
    expect(destinationRef).toBeInstanceOf(RegistryRef);
    expect(upstreamRef).toBeInstanceOf(RegistryRef);
    expect(destinationRef.equals(upstreamRef)).toBe(true);
    expect(destinationRef.key).toBe('222222222222/eu-west-1');
    expect(upstreamRef.partition).toBe('aws');
    expect(new RegistryRef('222222222222', 'cn-north-1').partition).toBe('aws-cn');
    expect(UpstreamRegistry.dockerHub()._ref).toBeUndefined();
    // The public API is unchanged.
    expect([destination.account, destination.region, upstream.account, upstream.region]).toEqual(['222222222222', 'eu-west-1', '222222222222', 'eu-west-1']);
  });

  test('one check of account and region serves both', () => {
    const problems = new Problems('Test');
    RegistryRef.check(problems, { account: 'account', region: 'region' }, '12345', 'eu-wset-1');
    expect(() => problems.throwIfAny()).toThrow(/account '12345' is not an AWS account ID[\s\S]*region 'eu-wset-1' is not a region aws-cdk-lib knows \(did you mean 'eu-west-1'\?\)/);
    expect(() => ReplicationDestination.of('12345', 'eu-wset-1')).toThrow(/account '12345' is not an AWS account ID[\s\S]*did you mean 'eu-west-1'/);
    expect(() => UpstreamRegistry.ecr('12345', 'eu-wset-1')).toThrow(/account '12345' is not an AWS account ID[\s\S]*did you mean 'eu-west-1'/);
  });
});

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return walk(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}
