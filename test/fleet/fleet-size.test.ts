import { readFileSync } from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { fleetItem, RepositoryFleet } from '../../src/fleet/fleet';
import { FleetRepositoryProps } from '../../src/fleet/model';
import { LifecyclePolicy, LifecyclePresets } from '../../src/lifecycle';
import { RepositoryAccess } from '../../src/repository/access';
import { ENV } from '../util/harness';

const realistic = (count: number): FleetRepositoryProps[] => {
  const lifecyclePolicy = LifecyclePolicy.combine(LifecyclePresets.expireUntagged(7), LifecyclePresets.keepLastReleases(20, ['v*']), LifecyclePresets.capTotal(500));
  const access = [RepositoryAccess.pullFromOrganization('o-a1b2c3d4e5')];
  return Array.from({ length: count }, (_, i) => ({
    repositoryName: `team-${i % 40}/a-rather-long-service-name-${i}`,
    owner: `team-${i % 40}`,
    costCenter: `cc-${i % 7}`,
    lifecyclePolicy,
    access,
    imageTagMutabilityExclusions: ['latest'],
  }));
};

describe('RepositoryFleet limits', () => {
  test.each([
    ['defaults', Array.from({ length: 1000 }, (_, i) => ({ repositoryName: `svc-${i}` }))],
    ['realistic', realistic(1000)],
  ])('given 1,000 repositories (%s) and the default budget, when synthesized, then every shard stays under 400 resources and 1 MB, and the estimate is never below the real template', (_name, repositories) => {
    const app = new App();
    const fleet = new RepositoryFleet(app, 'Fleet', { repositories, env: ENV });
    const assembly = app.synth();
    expect(fleet.stacks.length).toBeGreaterThanOrEqual(3);
    for (const stack of fleet.stacks) {
      const text = readFileSync(path.join(assembly.directory, stack.templateFile), 'utf8');
      const template = JSON.parse(text);
      const resources = Object.keys(template.Resources).length;
      expect(resources).toBeLessThanOrEqual(400);
      expect(text.length).toBeLessThan(1_000_000);
      const names = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::ECR::Repository').map((r) => r.Properties.RepositoryName);
      const estimate = 4_000 + repositories.filter((r) => names.includes(r.repositoryName)).reduce((sum, r) => sum + fleetItem(r).bytes, 0);
      expect(estimate).toBeGreaterThanOrEqual(text.length);
    }
  });
});
