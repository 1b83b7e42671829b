import { readFileSync } from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { RepositoryFleet } from '../../src/fleet/fleet';
import { FleetRepositoryProps } from '../../src/fleet/model';
import { ReplicationDestination } from '../../src/registry/replication';
import { PrivateRepository } from '../../src/repository/private-repository';
import { ScanFrequency } from '../../src/scanning/enums';
import { describeFindings, ENV, strictApp, synthesize } from '../util/harness';

const DESTINATION = [ReplicationDestination.of('222222222222', 'eu-central-1')];

/** The fleet's registry template. */
function registryTemplate(app: App, fleet: RepositoryFleet): any {
  const result = synthesize(app);
  expect(describeFindings(result.cfnFindings)).toBe('');
  const stack = fleet.node.findChild('Registry') as Stack;
  return JSON.parse(readFileSync(path.join(result.assembly.directory, stack.templateFile), 'utf8'));
}

function resourceOf(template: any, type: string): any {
  const found = Object.values<any>(template.Resources).filter((r) => r.Type === type);
  expect(found).toHaveLength(1);
  return found[0].Properties;
}

describe('RepositoryFleet registry filters', () => {
  test('given 240 replicated repositories in three namespaces next to 30 that are not replicated, when synthesized, then the replication rule takes at most 100 prefix filters that cover every replicated repository and none of the others', () => {
    const app = strictApp();
    const repositories: FleetRepositoryProps[] = [
      ...Array.from({ length: 240 }, (_, i) => ({ repositoryName: `team-${i % 3}/svc-${i}`, replicationDestinations: DESTINATION })),
      ...Array.from({ length: 30 }, (_, i) => ({ repositoryName: `team-${i % 3}/local-${i}` })),
    ];
    const fleet = new RepositoryFleet(app, 'Fleet', { repositories, env: ENV });
    const rules = resourceOf(registryTemplate(app, fleet), 'AWS::ECR::ReplicationConfiguration').ReplicationConfiguration.Rules;
    expect(rules).toHaveLength(1);
    const filters: string[] = rules[0].RepositoryFilters.map((f: any) => f.Filter);
    expect(filters.length).toBeLessThanOrEqual(100);
    expect(filters.length).toBeLessThan(240);
    for (const r of repositories) {
      const covered = filters.some((f) => r.repositoryName.startsWith(f));
      expect([r.repositoryName, covered]).toEqual([r.repositoryName, r.replicationDestinations !== undefined]);
    }
  });

  test('given 99 replicated repositories, when synthesized, then each keeps a filter of its own name, in name order (nothing is compressed while the quota holds)', () => {
    const app = strictApp();
    const repositories = Array.from({ length: 99 }, (_, i) => ({ repositoryName: `team/svc-${i}`, replicationDestinations: DESTINATION }));
    const fleet = new RepositoryFleet(app, 'Fleet', { repositories, env: ENV });
    const rules = resourceOf(registryTemplate(app, fleet), 'AWS::ECR::ReplicationConfiguration').ReplicationConfiguration.Rules;
    expect(rules[0].RepositoryFilters.map((f: any) => f.Filter)).toEqual(repositories.map((r) => r.repositoryName).sort());
  });

  test('given 150 continuously scanned repositories among others, when synthesized, then the CONTINUOUS_SCAN rule takes at most 100 anchored prefix filters covering exactly them', () => {
    const app = strictApp();
    const repositories: FleetRepositoryProps[] = [
      ...Array.from({ length: 150 }, (_, i) => ({ repositoryName: `critical/api-${i}`, scanFrequency: ScanFrequency.CONTINUOUS_SCAN })),
      ...Array.from({ length: 20 }, (_, i) => ({ repositoryName: `critical-tools/job-${i}`, scanFrequency: ScanFrequency.SCAN_ON_PUSH })),
    ];
    const fleet = new RepositoryFleet(app, 'Fleet', { repositories, env: ENV });
    const config = resourceOf(registryTemplate(app, fleet), 'AWS::ECR::RegistryScanningConfiguration');
    expect(config.ScanType).toBe('ENHANCED');
    const continuous = config.Rules.find((r: any) => r.ScanFrequency === 'CONTINUOUS_SCAN');
    const filters: string[] = continuous.RepositoryFilters.map((f: any) => f.Filter);
    expect(filters.length).toBeLessThanOrEqual(100);
    for (const r of repositories) {
      const covered = filters.some((f) => (f.endsWith('*') ? r.repositoryName.startsWith(f.slice(0, -1)) : r.repositoryName.includes(f)));
      expect([r.repositoryName, covered]).toEqual([r.repositoryName, r.scanFrequency === ScanFrequency.CONTINUOUS_SCAN]);
    }
  });

  test('given 150 replicated repositories that each share every prefix with one that is not replicated, when created, then it fails naming the quota and the excess', () => {
    const repositories: FleetRepositoryProps[] = Array.from({ length: 150 }, (_, i) => [
      { repositoryName: `m${i}-r`, replicationDestinations: DESTINATION },
      { repositoryName: `m${i}-n` },
    ]).flat();
    expect(() => new RepositoryFleet(new App(), 'Fleet', { repositories, env: ENV }))
      .toThrow(/replication rule to 222222222222\/eu-central-1 needs at least 150 PREFIX_MATCH filters for its 150 repositories.*at most 100 per rule, 50 too many/s);
  });

  test('given compressed filters and a repository of the same account and region declared after the fleet under one of its prefixes, when synthesized, then it fails naming the prefix and the repository', () => {
    const app = new App();
    const repositories = Array.from({ length: 120 }, (_, i) => ({ repositoryName: `svc/api-${i}-x`, replicationDestinations: DESTINATION }));
    new RepositoryFleet(app, 'Fleet', { repositories, env: ENV });
    new PrivateRepository(new Stack(app, 'Later', { env: ENV }), 'Repo', { repositoryName: 'svc/api-1000-private' });
    expect(() => app.synth()).toThrow(/prefix 'svc\/api-1\S*' that the replication rule to 222222222222\/eu-central-1 uses for the fleet's repositories also covers 'svc\/api-1000-private'/);
  });
});
