import { readFileSync } from 'fs';
import * as path from 'path';
import { App, CfnWaitConditionHandle } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { fleetItem, RepositoryFleet } from '../../src/fleet/fleet';
import { FleetRepositoryProps } from '../../src/fleet/model';
import { SHARD_OVERHEAD_BYTES } from '../../src/fleet/placement';
import { LifecyclePolicy, LifecyclePresets } from '../../src/lifecycle';
import { RepositoryAccess } from '../../src/repository/access';
import { ImageEncryption } from '../../src/repository/encryption';
import { ImageTagMutability } from '../../src/repository/private-repository';
import { FUZZ_RUNS, FUZZ_TIMEOUT } from '../util/fuzz';
import { ENV } from '../util/harness';

describe('RepositoryFleet template size', () => {
  test('given a shard whose template outgrows the budget (a large resource added to it after placement), when synthesized, then it fails with the measured size, the budget and what to do', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const repositories = Array.from({ length: 20 }, (_, i) => ({ repositoryName: `team/svc-${i}` }));
    const fleet = new RepositoryFleet(app, 'Fleet', { repositories, env: ENV, maxTemplateBytesPerStack: 60_000 });
    new CfnWaitConditionHandle(fleet.stacks[0], 'Large').addMetadata('notes', 'x'.repeat(60_000));
    expect(() => app.synth()).toThrow(/RepositoryFleet 'Fleet': stack 'Fleet\/Shard1' has a template of \d+ bytes \(measured after synthesis\), more than maxTemplateBytesPerStack 60000 \(CloudFormation takes at most 1000000\)/);
  });

  test('given a synthesized fleet, when its usage is read, then each shard reports the exact size of its template file', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const repositories = Array.from({ length: 120 }, (_, i) => ({ repositoryName: `team/svc-${i}` }));
    const fleet = new RepositoryFleet(app, 'Fleet', { repositories, env: ENV, maxTemplateBytesPerStack: 60_000 });
    const assembly = app.synth();
    expect(fleet.stacks.length).toBeGreaterThan(1);
    fleet.stacks.forEach((stack, i) => {
      const bytes = Buffer.byteLength(readFileSync(path.join(assembly.directory, stack.templateFile), 'utf8'));
      expect(fleet.shardUsage[i]).toMatch(new RegExp(`^Shard${i + 1}: .*, ${bytes} bytes \\(measured\\)$`));
    });
  });

  test('given random catalogs, when synthesized, then the placement estimate of every shard is never below its real template size', () => {
    const policies = [
      undefined,
      LifecyclePolicy.recommended(),
      LifecyclePolicy.combine(LifecyclePresets.expireUntagged(7), LifecyclePresets.keepLastReleases(20, ['v*', 'release-*']), LifecyclePresets.capTotal(500)),
      LifecyclePolicy.combine(LifecyclePresets.protectTags(['prod', 'stable-*']), LifecyclePresets.archiveUnpulled(90, 180), LifecyclePolicy.recommended()),
    ];
    const accessChoices = [
      RepositoryAccess.pullFromOrganization('o-a1b2c3d4e5'),
      RepositoryAccess.pullFromOrganizationalUnits('o-a1b2c3d4e5', ['r-ab12/ou-ab12-11111111', 'r-ab12/ou-ab12-22222222']),
      RepositoryAccess.pullFromAccounts(['222222222222', '333333333333']),
      RepositoryAccess.pushFromAccounts(['444444444444']),
      RepositoryAccess.pullFromLambda(['555555555555']),
      // long lists: every principal and path adds to the policy
      RepositoryAccess.pullFromAccounts(Array.from({ length: 40 }, (_, i) => `${600000000000 + i}`)),
      RepositoryAccess.pullFromLambda(Array.from({ length: 12 }, (_, i) => `${700000000000 + i}`)),
      RepositoryAccess.pullFromOrganizationalUnits('o-a1b2c3d4e5', Array.from({ length: 15 }, (_, i) => `r-ab12/ou-ab12-${80000000 + i}`)),
    ];
    const entry = fc.record({
      policy: fc.nat(policies.length - 1),
      access: fc.subarray(accessChoices.map((_, i) => i), { maxLength: 3 }),
      exclusions: fc.subarray(['latest', 'dev-*', 'pr-*', 'nightly', 'cache'], { maxLength: 5 }),
      mutable: fc.boolean(),
      owner: fc.option(fc.stringMatching(/^[a-z][a-z0-9-]{0,40}$/), { nil: undefined }),
      costCenter: fc.option(fc.stringMatching(/^cc-[0-9]{1,8}$/), { nil: undefined }),
      encryption: fc.constantFrom('default', 'aes', 'own-key'),
      nameLength: fc.integer({ min: 2, max: 60 }),
    });
    fc.assert(fc.property(fc.array(entry, { minLength: 1, maxLength: 40 }), (entries) => {
      const repositories: FleetRepositoryProps[] = entries.map((e, i) => ({
        repositoryName: `team-${i % 4}/${'s'.repeat(e.nameLength)}-${i}`,
        lifecyclePolicy: policies[e.policy],
        access: e.access.map((a) => accessChoices[a]),
        imageTagMutability: e.mutable ? ImageTagMutability.MUTABLE : undefined,
        imageTagMutabilityExclusions: e.exclusions.length > 0 ? e.exclusions : undefined,
        owner: e.owner,
        costCenter: e.costCenter,
        encryption: e.encryption === 'aes' ? ImageEncryption.AES256 : e.encryption === 'own-key' ? ImageEncryption.kms() : undefined,
      }));
      const app = new App({ builtinCloudFormationValidation: false });
      const fleet = new RepositoryFleet(app, 'Fleet', { repositories, env: ENV, maxTemplateBytesPerStack: 50_000, maxResourcesPerStack: 30 });
      const assembly = app.synth();
      for (const stack of fleet.stacks) {
        const text = readFileSync(path.join(assembly.directory, stack.templateFile), 'utf8');
        const resources = Object.values<any>(JSON.parse(text).Resources);
        const names = new Set(resources.filter((r) => r.Type === 'AWS::ECR::Repository').map((r) => r.Properties.RepositoryName));
        const placed = repositories.filter((r) => names.has(r.repositoryName));
        const estimate = SHARD_OVERHEAD_BYTES + placed.reduce((sum, r) => sum + fleetItem(r).bytes, 0);
        expect(Buffer.byteLength(text)).toBeLessThanOrEqual(estimate);
      }
    }), { numRuns: Math.min(FUZZ_RUNS, 200) });
  }, FUZZ_TIMEOUT);
});
