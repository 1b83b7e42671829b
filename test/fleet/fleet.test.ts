import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CatalogFormat, RepositoryCatalog } from '../../src/fleet/catalog';
import { RepositoryFleet } from '../../src/fleet/fleet';
import { describeFindings, ENV, strictApp, synthesize } from '../util/harness';

const CATALOG = `defaults:
  owner: platform
  lifecycle:
    - { preset: expireUntagged, days: 7 }
    - { preset: keepLastReleases, count: 20, patterns: ['v*'] }
    - { preset: capTotal, count: 500 }
  access:
    organization: o-a1b2c3d4e5
repositories:
${Array.from({ length: 25 }, (_, i) => `  - name: team-${i % 3}/svc-${i}\n    costCenter: cc-${i % 4}`).join('\n')}
  - name: shared/base
    replication:
      - { account: '222222222222', region: eu-central-1 }
    scanning: SCAN_ON_PUSH
`;

function tmpFile(name: string): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'fleet-')), name);
}

describe('RepositoryFleet', () => {
  test('given a catalog and a small budget, when synthesized, then repositories spread over shard stacks that pass validation, Control Tower and the nag packs', () => {
    const app = strictApp();
    const placementFile = tmpFile('placement.json');
    const catalog = RepositoryCatalog.fromText(CATALOG, CatalogFormat.YAML, 'catalog.yaml');
    const fleet = new RepositoryFleet(app, 'Fleet', { repositories: catalog.repositories, env: ENV, maxResourcesPerStack: 12, placementFile });

    const result = synthesize(app, { nag: true });
    expect(describeFindings(result.cfnFindings)).toBe('');
    expect(describeFindings(result.controlTowerFindings)).toBe('');
    expect(describeFindings(result.nagFindings)).toBe('');

    expect(fleet.stacks.map((s) => s.node.id)).toEqual(['Shard1', 'Shard2', 'Shard3']);
    let repositories = 0;
    for (const stack of fleet.stacks) {
      const template = Template.fromJSON(JSON.parse(readFileSync(path.join(result.assembly.directory, stack.templateFile), 'utf8')));
      expect(Object.keys(template.toJSON().Resources).length).toBeLessThanOrEqual(12);
      repositories += Object.keys(template.findResources('AWS::ECR::Repository')).length;
    }
    expect(repositories).toBe(26);
    const shard1 = Template.fromJSON(JSON.parse(readFileSync(path.join(result.assembly.directory, fleet.stacks[0].templateFile), 'utf8')));
    shard1.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'team-0/svc-0',
      Tags: [{ Key: 'cost-center', Value: 'cc-0' }, { Key: 'owner', Value: 'platform' }],
      ImageTagMutability: 'IMMUTABLE',
    });
    const registryStack = app.node.findChild('Fleet').node.findChild('Registry') as Stack;
    const registry = Template.fromJSON(JSON.parse(readFileSync(path.join(result.assembly.directory, registryStack.templateFile), 'utf8')));
    registry.resourceCountIs('AWS::ECR::ReplicationConfiguration', 1);
    expect(JSON.stringify(registry.toJSON())).toContain('shared/base');
    registry.hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
      Rules: [{ ScanFrequency: 'SCAN_ON_PUSH', RepositoryFilters: [{ Filter: '*', FilterType: 'WILDCARD' }] }],
    });
    expect(JSON.parse(readFileSync(placementFile, 'utf8')).shards.Shard1).toContain('team-0/svc-0');
  });

  test('given a placement file, when a repository is added and another removed, then no other repository changes stack or logical ID', () => {
    const placementFile = tmpFile('placement.json');
    const names = Array.from({ length: 30 }, (_, i) => `svc-${i}`);
    const build = (list: string[]) => {
      const app = strictApp();
      const fleet = new RepositoryFleet(app, 'Fleet', { repositories: list.map((repositoryName) => ({ repositoryName })), env: ENV, maxResourcesPerStack: 12, placementFile });
      const where = new Map<string, string>();
      for (const n of list) {
        const repo = fleet.repository(n) as any;
        where.set(n, `${fleet.stackOf(n).node.path}/${Stack.of(repo).getLogicalId(repo.cfnRepository)}`);
      }
      return where;
    };
    const before = build(names);
    const after = build(['new-first', ...names.filter((n) => n !== 'svc-3'), 'new-last']);
    for (const n of names.filter((x) => x !== 'svc-3')) expect(after.get(n)).toBe(before.get(n));
    expect(after.get('new-first')).toMatch(/Shard1\//); // the room svc-3 left
  });

  test('given updatePlacementFile false and a catalog the file does not cover, when synthesized, then it fails naming the file', () => {
    const placementFile = tmpFile('placement.json');
    writeFileSync(placementFile, JSON.stringify({ version: 1, shards: { Shard1: ['a1'] } }));
    expect(() => new RepositoryFleet(strictApp(), 'Fleet', { repositories: [{ repositoryName: 'a1' }, { repositoryName: 'b2' }], placementFile, updatePlacementFile: false }))
      .toThrow(/placement file .*placement\.json is out of date \(1 repositories to place, 0 to remove\)/);
  });

  test.each([
    [{ repositories: [{ repositoryName: 'a1' }, { repositoryName: 'a1' }] }, /repository 'a1' is listed twice/],
    [{ repositories: [], maxResourcesPerStack: 600 }, /maxResourcesPerStack 600 must be a whole number from 10 to 500/],
    [{ repositories: [{ repositoryName: 'Bad' }] }, /repositoryName 'Bad' breaks ECR's naming rule/],
  ])('given bad props %#, when constructed, then the error names the rule', (props, expected) => {
    expect(() => new RepositoryFleet(strictApp(), 'Fleet', props as any)).toThrow(expected);
  });

  test('given a fleet, when asked for an unknown repository or an import mapping, then it answers by name', () => {
    const app = strictApp();
    const fleet = new RepositoryFleet(app, 'Fleet', { repositories: [{ repositoryName: 'team/api' }], env: ENV });
    const role = new iam.Role(new Stack(app, 'Consumer', { env: ENV }), 'Role', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
    fleet.repository('team/api').grantPull(role);
    expect(JSON.stringify(Stack.of(role).resolve((role.node.findChild('DefaultPolicy') as iam.Policy).document))).toContain('ecr:BatchGetImage');
    expect(() => fleet.repository('team/apj')).toThrow(/no repository 'team\/apj' in the fleet: did you mean 'team\/api'\?/);
    const mapping = JSON.parse(fleet.importResourceMapping(['team/api']));
    expect(Object.values(mapping)).toEqual([{ RepositoryName: 'team/api' }]);
    expect(Object.keys(mapping)[0]).toMatch(/^teamapi/);
  });

  test('given a fleet, when synthesized, then its shard resources record no creation stack trace unless asked, and other stacks keep theirs', () => {
    const traces = (creationStackTraces?: boolean) => {
      const app = strictApp();
      const fleet = new RepositoryFleet(app, 'Fleet', { repositories: [{ repositoryName: 'team/api' }], env: ENV, creationStackTraces });
      const other = new Stack(app, 'Other', { env: ENV });
      new iam.Role(other, 'Role', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
      const traced = (stack: Stack) => stack.node.findAll().filter((c) => c.node.metadata.some((entry) => entry.type === 'aws:cdk:creationStack')).map((c) => c.node.path);
      return { shard: traced(fleet.stacks[0]).sort(), other: traced(other).sort() };
    };
    const before = process.env.CDK_DEBUG;
    delete process.env.CDK_DEBUG;
    try {
      // the shard stack itself keeps the trace of the fleet's constructor
      expect(traces()).toEqual({ shard: ['Fleet/Shard1'], other: ['Other', 'Other/Role/Resource'] });
      expect(traces(true)).toEqual({
        shard: ['Fleet/Shard1', 'Fleet/Shard1/EcrRepositoryKey/Resource', 'Fleet/Shard1/team--api/Resource'],
        other: ['Other', 'Other/Role/Resource'],
      });
    } finally {
      if (before !== undefined) process.env.CDK_DEBUG = before;
    }
  });
});
