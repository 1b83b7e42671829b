import * as iam from 'aws-cdk-lib/aws-iam';
import * as fc from 'fast-check';
import {
  InspectorDelegatedAdministrator,
  InspectorOrganizationScanning,
  PullThroughCacheRule,
  RegistryBaseline,
  RegistryBaselineStackSet,
  RegistryScanning,
  RepositoryCreationTemplate,
  RepositoryCreationTemplateAppliedFor,
  RoleDefaults,
  ScanFrequency,
  StackSetCallAs,
  StackSetRegionConcurrency,
  StackSetTarget,
  UpstreamRegistry,
} from '../../src';
import { FUZZ_TIMEOUT, fuzzConstruct, lazy, untyped } from '../util/fuzz';

const ouId = untyped(lazy(fc.oneof(
  { arbitrary: fc.constantFrom('ou-ab12-cd34ef56', 'ou-ab12-11112222', 'r-ab12'), weight: 24 },
  fc.stringMatching(/^(ou|r)-[0-9a-zA-Z]{1,6}(-[0-9a-z]{6,9})?$/),
  fc.string({ maxLength: 10 }),
)), 60);
const account = untyped(fc.oneof({ arbitrary: fc.constantFrom('111111111111', '222222222222', '333333333333'), weight: 24 }, fc.string({ maxLength: 13 })));
const region = untyped(lazy(fc.oneof(
  { arbitrary: fc.constantFrom('eu-west-1', 'us-east-1', 'ap-southeast-2'), weight: 24 },
  fc.constantFrom('eu-wst-1', 'eu-future-9', 'Europe'),
  fc.string({ maxLength: 12 }),
)), 60);
/** Mostly left out, mostly whole numbers in range when given. */
/** Usually left out. */
function rarely<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: arb, weight: 1 });
}
const count = rarely(untyped(fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 12 }), weight: 6 },
  fc.integer({ min: -2, max: 120 }),
  fc.double({ min: 0, max: 120, noNaN: true }),
)));

describe('fuzz', () => {
  test('RegistryBaseline and RegistryBaselineStackSet: random settings, targets and preferences either fail clearly or synthesize valid templates', () => {
    fuzzConstruct(
      fc.record({
        scanning: fc.boolean(),
        templates: fc.uniqueArray(fc.constantFrom('ROOT', 'team', 'secure'), { maxLength: 3 }),
        cache: fc.boolean(),
        ous: untyped(fc.uniqueArray(ouId, { minLength: 1, maxLength: 3 }), 60),
        accounts: fc.option(untyped(fc.uniqueArray(account, { minLength: 1, maxLength: 3 }), 60), { nil: undefined }),
        exclude: fc.boolean(),
        regions: untyped(fc.oneof(
          { arbitrary: fc.uniqueArray(region, { minLength: 1, maxLength: 3 }), weight: 6 },
          fc.array(region, { maxLength: 3 }),
        ), 60),
        callAs: fc.option(untyped(fc.constantFrom(...Object.values(StackSetCallAs))), { nil: undefined, freq: 2 }),
        regionConcurrency: fc.option(untyped(fc.constantFrom(...Object.values(StackSetRegionConcurrency))), { nil: undefined }),
        autoDeployment: fc.option(untyped(fc.boolean()), { nil: undefined }),
        retain: rarely(untyped(fc.boolean())),
        failureToleranceCount: count,
        failureTolerancePercentage: count,
        maxConcurrentCount: count,
        maxConcurrentPercentage: count,
        stackSetName: fc.option(untyped(fc.oneof({ arbitrary: fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9-]{0,20}$/), weight: 12 }, fc.string({ maxLength: 10 }))), { nil: undefined }),
      }),
      (stack, p) => {
        const baseline = new RegistryBaseline(stack.node.root, 'Baseline');
        if (p.scanning) RegistryScanning.of(baseline).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['*'] });
        for (const prefix of p.templates) {
          new RepositoryCreationTemplate(baseline, `T${prefix}`, { prefix, appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH] });
        }
        if (p.cache) new PullThroughCacheRule(baseline, 'Cache', { ecrRepositoryPrefix: 'ecr-public', upstream: UpstreamRegistry.ecrPublic() });
        const target = p.accounts === undefined
          ? StackSetTarget.fromOrganizationalUnits(p.ous)
          : p.exclude
            ? StackSetTarget.fromOrganizationalUnits(p.ous, { excludeAccounts: p.accounts })
            : StackSetTarget.fromAccounts(p.accounts, p.ous);
        new RegistryBaselineStackSet(stack, 'Rollout', {
          baseline,
          target,
          regions: p.regions,
          callAs: p.callAs,
          regionConcurrency: p.regionConcurrency,
          autoDeployment: p.autoDeployment,
          retainStacksOnAccountRemoval: p.retain,
          failureToleranceCount: p.failureToleranceCount,
          failureTolerancePercentage: p.failureTolerancePercentage,
          maxConcurrentCount: p.maxConcurrentCount,
          maxConcurrentPercentage: p.maxConcurrentPercentage,
          stackSetName: p.stackSetName,
        });
      },
    );
  }, FUZZ_TIMEOUT);

  test('InspectorDelegatedAdministrator and InspectorOrganizationScanning: random props either fail clearly or synthesize valid templates', () => {
    fuzzConstruct(
      fc.record({
        administratorAccount: account,
        adminDisableOnDelete: fc.option(untyped(fc.boolean()), { nil: undefined }),
        organization: fc.boolean(),
        enableExistingMembers: fc.option(untyped(fc.boolean()), { nil: undefined }),
        disableOnDelete: fc.option(untyped(fc.boolean()), { nil: undefined }),
      }),
      (stack, p) => {
        new InspectorDelegatedAdministrator(stack, 'Administrator', { administratorAccount: p.administratorAccount, disableOnDelete: p.adminDisableOnDelete });
        if (p.organization) new InspectorOrganizationScanning(stack, 'Organization', { enableExistingMembers: p.enableExistingMembers, disableOnDelete: p.disableOnDelete });
      },
    );
  }, FUZZ_TIMEOUT);

  test('RoleDefaults: random paths and boundaries either fail clearly or give every role of the stack and of its baseline valid values', () => {
    const text = (max: number) => untyped(lazy(fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ maxLength: max + 2 }))));
    const path = fc.oneof(
      { arbitrary: fc.stringMatching(/^\/([!-~]{1,8}\/){0,3}$/), weight: 6 },
      fc.constantFrom('/', 'platform', '/platform', '//', `/${'a'.repeat(510)}/`, `/${'a'.repeat(511)}/`),
      text(20),
    );
    const name = fc.oneof({ arbitrary: fc.stringMatching(/^[\w+=,.@-]{1,20}$/), weight: 6 }, text(130));
    const arn = fc.oneof(
      fc.constantFrom('arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::111111111111:policy/pb', 'arn:aws:iam::111111111111:role/x'),
      fc.string({ maxLength: 20 }),
    );
    fuzzConstruct(
      fc.record({
        path: fc.option(path, { nil: undefined }),
        permissionsBoundaryName: fc.option(name, { nil: undefined }),
        permissionsBoundaryArn: fc.option(arn, { nil: undefined }),
        onBaseline: fc.boolean(),
      }),
      (stack, p) => {
        const baseline = new RegistryBaseline(stack.node.root as any, 'Baseline');
        new RepositoryCreationTemplate(baseline, 'Default', { prefix: 'ROOT', appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH] });
        new PullThroughCacheRule(stack, 'EcrPublic', { ecrRepositoryPrefix: 'ecr-public', upstream: UpstreamRegistry.ecrPublic() });
        const boundary = p.permissionsBoundaryArn === undefined ? undefined : iam.ManagedPolicy.fromManagedPolicyArn(stack, 'Boundary', p.permissionsBoundaryArn);
        RoleDefaults.of(p.onBaseline ? baseline : stack.node.root)
          .apply({ path: p.path, permissionsBoundaryName: p.permissionsBoundaryName, permissionsBoundary: boundary });
      },
    );
  }, FUZZ_TIMEOUT);
});
