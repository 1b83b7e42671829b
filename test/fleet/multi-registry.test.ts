import { mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { EXIT_OK, EXIT_USAGE, main } from '../../src/cli/main';
import { CatalogFormat, readCatalog, RepositoryCatalog } from '../../src/fleet/catalog';
import { RepositoryFleet } from '../../src/fleet/fleet';
import { MultiRegistryFleet } from '../../src/fleet/multi-registry';
import { fakeIo } from '../cli/fake-io';
import { describeFindings, strictApp, synthesize } from '../util/harness';

const CATALOG = `defaults:
  account: '111111111111'
  region: eu-west-1
  owner: platform
repositories:
  - name: team-a/api
    replication:
      - { account: '222222222222', region: eu-central-1 }
  - name: team-a/web
  - name: team-a/api
    account: '222222222222'
    region: eu-central-1
  - name: team-b/jobs
    region: us-east-1
`;

function tmpDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'multi-registry-'));
}

function stacksOf(app: App): Stack[] {
  return app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
}

/** Repository names of each stack that holds repositories, by stack path. */
function repositoriesByStack(app: App): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const stack of stacksOf(app)) {
    const repos = Template.fromStack(stack).findResources('AWS::ECR::Repository');
    const names = Object.values(repos).map((r: any) => r.Properties.RepositoryName as string).sort();
    if (names.length > 0) out[`${stack.node.path} ${stack.account}/${stack.region}`] = names;
  }
  return out;
}

describe('MultiRegistryFleet', () => {
  test('given a catalog that spans three registries, when synthesized, then each registry gets its own shards and registry stack, checked clean', () => {
    const app = strictApp();
    const catalog = RepositoryCatalog.fromText(CATALOG, CatalogFormat.YAML, 'catalog.yaml');
    const fleet = new MultiRegistryFleet(app, 'Fleet', { repositories: catalog.repositories });
    const result = synthesize(app, { nag: true });
    expect(describeFindings([...result.cfnFindings, ...result.nagFindings.filter((f) => f.severity === 'error'), ...result.controlTowerFindings])).toBe('');

    expect(fleet.fleets.map((f) => f.node.id)).toEqual(['111111111111-eu-west-1', '111111111111-us-east-1', '222222222222-eu-central-1']);
    expect(repositoriesByStack(app)).toEqual({
      'Fleet/111111111111-eu-west-1/Shard1 111111111111/eu-west-1': ['team-a/api', 'team-a/web'],
      'Fleet/111111111111-us-east-1/Shard1 111111111111/us-east-1': ['team-b/jobs'],
      'Fleet/222222222222-eu-central-1/Shard1 222222222222/eu-central-1': ['team-a/api'],
    });
    // The replication of the first registry is its own; the destination registry of the
    // catalog gets the registry policy statement that lets it receive the replicas.
    const source = Template.fromStack(fleet.fleet('111111111111', 'eu-west-1').node.findChild('Registry') as Stack);
    source.hasResourceProperties('AWS::ECR::ReplicationConfiguration', {
      ReplicationConfiguration: { Rules: [{ Destinations: [{ Region: 'eu-central-1', RegistryId: '222222222222' }], RepositoryFilters: Match.anyValue() }] },
    });
    const destination = Template.fromStack(fleet.fleet('222222222222', 'eu-central-1').stacks[0]);
    destination.resourceCountIs('AWS::ECR::ReplicationConfiguration', 0);
    const policies = stacksOf(app).filter((s) => s.account === '222222222222')
      .flatMap((s) => Object.values(Template.fromStack(s).findResources('AWS::ECR::RegistryPolicy')));
    expect(JSON.stringify(policies)).toContain('111111111111');
  });

  test('given placement files per registry, when a repository is added to one registry, then the other registries\' files do not change', () => {
    const dir = tmpDir();
    const synth = (text: string) => {
      const app = new App();
      new MultiRegistryFleet(app, 'Fleet', { repositories: RepositoryCatalog.fromText(text, CatalogFormat.YAML, 'c.yaml').repositories, placementDirectory: dir });
      app.synth();
      return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
    };
    const before = synth(CATALOG);
    expect(Object.keys(before)).toEqual(['111111111111.eu-west-1.json', '111111111111.us-east-1.json', '222222222222.eu-central-1.json']);
    const after = synth(`${CATALOG}  - name: team-c/new\n    region: us-east-1\n`);
    expect(after['111111111111.eu-west-1.json']).toBe(before['111111111111.eu-west-1.json']);
    expect(after['222222222222.eu-central-1.json']).toBe(before['222222222222.eu-central-1.json']);
    expect(after['111111111111.us-east-1.json']).not.toBe(before['111111111111.us-east-1.json']);
    expect(after['111111111111.us-east-1.json']).toContain('team-c/new');
  });

  test('given repositories without an account or region and no defaultEnv, when built, then one error lists each', () => {
    const app = new App();
    expect(() => new MultiRegistryFleet(app, 'Fleet', {
      repositories: [{ repositoryName: 'a' }, { repositoryName: 'b', account: '111111111111' }, { repositoryName: 'c', account: 'x', region: 'eu-west-1' }],
    })).toThrow(/MultiRegistryFleet 'Fleet'[\s\S]*repositories\[0\] 'a' names no account[\s\S]*repositories\[1\] 'b' names no region[\s\S]*repositories\[2\]\.account/);
  });

  test('given a defaultEnv, when entries name none, then they live in it', () => {
    const app = new App();
    const fleet = new MultiRegistryFleet(app, 'Fleet', {
      repositories: [{ repositoryName: 'svc-a' }, { repositoryName: 'svc-b', region: 'us-east-1' }],
      defaultEnv: { account: '111111111111', region: 'eu-west-1' },
    });
    expect(fleet.fleets.map((f) => f.node.id)).toEqual(['111111111111-eu-west-1', '111111111111-us-east-1']);
    expect(() => fleet.fleet('333333333333', 'eu-west-1')).toThrow(/no repository of the catalog lives in account 333333333333, region eu-west-1 \(registries: 111111111111-eu-west-1, 111111111111-us-east-1\)/);
  });

  test('given a RepositoryFleet, when an entry names another account or region, then it refuses it and names MultiRegistryFleet', () => {
    const app = new App();
    expect(() => new RepositoryFleet(app, 'Fleet', {
      repositories: [{ repositoryName: 'svc-a', account: '222222222222' }, { repositoryName: 'svc-b', region: 'eu-west-1' }],
      env: { account: '111111111111', region: 'us-east-1' },
    })).toThrow(/repositories\[0\] 'svc-a' names account 222222222222, but this fleet deploys to 111111111111[\s\S]*MultiRegistryFleet[\s\S]*repositories\[1\] 'svc-b' names region eu-west-1/);
    // The fleet's own account and region are accepted.
    expect(() => new RepositoryFleet(new App(), 'Fleet', {
      repositories: [{ repositoryName: 'svc-a', account: '111111111111', region: 'us-east-1' }],
      env: { account: '111111111111', region: 'us-east-1' },
    })).not.toThrow();
  });
});

describe('a catalog across registries', () => {
  test('given the same name in two registries, then it is valid; in one registry twice, then it is refused', () => {
    expect(readCatalog(CATALOG, CatalogFormat.YAML, 'c.yaml').problems).toEqual([]);
    const twice = `${CATALOG}  - name: team-b/jobs\n    region: us-east-1\n`;
    expect(readCatalog(twice, CatalogFormat.YAML, 'c.yaml').problems).toEqual([
      expect.stringMatching(/^c\.yaml:15:\d+: repositories\[4\] 'team-b\/jobs': repository 'team-b\/jobs' is already listed at line 13 for the same account and region$/),
    ]);
  });

  test('given account and region values ECR does not know, then each is reported where it is written', () => {
    const text = 'repositories:\n  - { name: svc-a, account: \'12\', region: eu-west-1 }\n  - { name: svc-b, account: \'111111111111\', region: mars-1 }\n';
    const problems = readCatalog(text, CatalogFormat.YAML, 'c.yaml').problems;
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^c\.yaml:2:\d+: repositories\[0\] 'svc-a': .*account '12'/);
    expect(problems[1]).toMatch(/^c\.yaml:3:\d+: repositories\[1\] 'svc-b': .*mars-1/);
  });

  test('given replication rules spread over two registries, then ECR\'s rule quota applies to each registry, not to the catalog', () => {
    // Eleven distinct sets of destinations: one over the quota of ten rules in one registry.
    const entries = (region: string, from: number, count: number) => Array.from({ length: count }, (_, i) =>
      `  - name: svc-${from + i}\n    region: ${region}\n    replication: [{ account: '2222222222${String(10 + from + i).slice(-2)}', region: eu-central-1 }]`).join('\n');
    const split = `defaults: { account: '111111111111' }\nrepositories:\n${entries('eu-west-1', 0, 6)}\n${entries('us-east-1', 6, 5)}\n`;
    expect(readCatalog(split, CatalogFormat.YAML, 'c.yaml').problems).toEqual([]);
    const one = `defaults: { account: '111111111111' }\nrepositories:\n${entries('eu-west-1', 0, 11)}\n`;
    const problems = readCatalog(one, CatalogFormat.YAML, 'c.yaml').problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/replication: the fleet's .*11 replication rules/);
  });

  test('property: whatever the order of the entries, every registry\'s templates are the same', () => {
    const names = ['a/one', 'a/two', 'b/three', 'b/four', 'c/five', 'c/six'];
    const registries = [{ account: '111111111111', region: 'eu-west-1' }, { account: '111111111111', region: 'us-east-1' }, { account: '222222222222', region: 'eu-west-1' }];
    const templates = (entries: { repositoryName: string; account: string; region: string }[]) => {
      const app = new App();
      new MultiRegistryFleet(app, 'Fleet', { repositories: entries });
      const assembly = app.synth();
      return assembly.stacks.map((s) => `${s.stackName}\n${JSON.stringify(s.template)}`).sort();
    };
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: registries.length - 1 }), { minLength: names.length, maxLength: names.length }),
      fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
      (placement, random) => {
        const entries = names.map((n, i) => ({ repositoryName: n, ...registries[placement[i]] }));
        const shuffled = entries.map((e) => ({ e, k: random.next().value })).sort((x, y) => x.k - y.k).map((x) => x.e);
        expect(templates(shuffled)).toEqual(templates(entries));
      },
    ), { numRuns: 8 });
  });
});

describe('the catalog commands on a catalog across registries', () => {
  test('given a catalog across registries, when validated, then the compliance verdicts of every registry\'s fleet are reported', () => {
    const io = fakeIo({ 'c.yaml': `${CATALOG}  - name: team-c/cache\n    region: us-east-1\n    tagMutability: MUTABLE\n` });
    expect(main(['catalog', 'validate', '--catalog', 'c.yaml'], io)).toBe(1);
    expect(io.err).toMatch(/c\.yaml:\d+:\d+: repositories\[4\] 'team-c\/cache': EcrCompliance-TagImmutability/);
    // The same name in two registries: the finding names the entry of the registry that has it (here the first).
    const twoRegistries = fakeIo({
      'c.yaml': "defaults: { account: '111111111111', region: eu-west-1 }\nrepositories:\n  - name: team-a/web\n    tagMutability: MUTABLE\n  - name: team-a/web\n    region: us-east-1\n",
    });
    expect(main(['catalog', 'validate', '--catalog', 'c.yaml'], twoRegistries)).toBe(1);
    expect(twoRegistries.err).toMatch(/c\.yaml:4:\d+: repositories\[0\] 'team-a\/web': EcrCompliance-TagImmutability/);
    expect(twoRegistries.err).not.toMatch(/repositories\[1\]/);
    const valid = fakeIo({ 'c.yaml': CATALOG });
    expect(main(['catalog', 'validate', '--catalog', 'c.yaml'], valid)).toBe(EXIT_OK);
    expect(valid.out).toMatch(/^valid \(4 repositories/);
  });

  test('given a catalog across registries, when planned, then one registry is planned at a time, with its own placement file', () => {
    const io = fakeIo({ 'c.yaml': CATALOG });
    expect(main(['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json'], io)).toBe(EXIT_USAGE);
    expect(io.err).toContain('the catalog names the registries 111111111111/eu-west-1, 111111111111/us-east-1, 222222222222/eu-central-1: plan one at a time with --registry ACCOUNT/REGION');
    const one = fakeIo({ 'c.yaml': CATALOG });
    expect(main(['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json', '--registry', '111111111111/eu-west-1', '--format', 'json'], one)).toBe(EXIT_OK);
    expect(JSON.parse(one.out).create.map((c: { name: string }) => c.name)).toEqual(['team-a/api', 'team-a/web']);
    const unknown = fakeIo({ 'c.yaml': CATALOG });
    expect(main(['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json', '--registry', '333333333333/eu-west-1'], unknown)).toBe(EXIT_USAGE);
    expect(unknown.err).toContain('--registry 333333333333/eu-west-1: no entry of the catalog lives there');
  });
});
