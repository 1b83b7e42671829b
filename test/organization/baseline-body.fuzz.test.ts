import * as fs from 'fs';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import {
  ImageTagMutability,
  PullThroughCacheRule,
  PullTimeUpdateExclusion,
  Registry,
  RegistryBaseline,
  RegistryScanning,
  RegistrySigning,
  ReplicationDestination,
  RepositoryAccess,
  RepositoryCreationTemplate,
  RepositoryCreationTemplateAppliedFor,
  ImageEncryption,
  ScanFrequency,
  ScanType,
  UpstreamRegistry,
} from '../../src';
import { FUZZ_RUNS, FUZZ_TIMEOUT, lazy, VALIDATION_ERROR } from '../util/fuzz';
import { strictApp, synthesize } from '../util/harness';

const prefix = lazy(fc.constantFrom('ROOT', 'team', 'team/', 'secure', 'a', 'cache/x'));
const filters = fc.uniqueArray(lazy(fc.constantFrom('*', 'prod/*', 'api', 'team-a')), { minLength: 1, maxLength: 3 });

const settings = fc.record({
  tags: fc.option(fc.dictionary(fc.constantFrom('owner', 'team', 'cost-center'), fc.constantFrom('platform', '42'), { maxKeys: 2 }), { nil: undefined }),
  scanType: fc.option(fc.constantFrom(ScanType.BASIC, ScanType.ENHANCED), { nil: undefined }),
  scanning: fc.array(fc.record({ frequency: fc.constantFrom(ScanFrequency.SCAN_ON_PUSH, ScanFrequency.CONTINUOUS_SCAN), filters }), { maxLength: 2 }),
  templates: fc.array(fc.record({
    prefix,
    appliedFor: fc.uniqueArray(fc.constantFrom(...Object.values(RepositoryCreationTemplateAppliedFor)), { minLength: 1, maxLength: 3 }),
    encryption: fc.constantFrom(undefined, 'AES256', 'KMS', 'KMS_DSSE'),
    mutability: fc.option(fc.constantFrom(ImageTagMutability.MUTABLE, ImageTagMutability.IMMUTABLE), { nil: undefined }),
    exclusions: fc.option(fc.uniqueArray(fc.constantFrom('latest', 'dev-*', 'v1.*'), { minLength: 1, maxLength: 2 }), { nil: undefined }),
    resourceTags: fc.option(fc.dictionary(fc.constantFrom('team', 'env'), fc.constantFrom('a', 'b'), { minKeys: 1, maxKeys: 2 }), { nil: undefined }),
    pullAccounts: fc.option(fc.uniqueArray(fc.constantFrom('222222222222', '333333333333'), { minLength: 1, maxLength: 2 }), { nil: undefined }),
    description: fc.option(lazy(fc.constantFrom('shared', 'x'.repeat(30))), { nil: undefined }),
  }), { maxLength: 3 }),
  caches: fc.array(fc.record({ prefix: lazy(fc.constantFrom('ecr-public', 'k8s', 'quay')), upstream: fc.constantFrom('ecrPublic', 'kubernetes', 'quay'), createTemplate: fc.boolean() }), { maxLength: 2 }),
  replicationFrom: fc.option(fc.uniqueArray(fc.constantFrom('team/', 'shared/'), { maxLength: 2 }), { nil: undefined }),
  replicateTo: fc.option(fc.constantFrom('444444444444', '555555555555'), { nil: undefined }),
  signing: fc.option(fc.option(filters, { nil: undefined }), { nil: null }),
  exclusion: fc.option(lazy(fc.constantFrom('arn:aws:iam::111111111111:role/scanner', 'arn:aws:iam::111111111111:user/ci')), { nil: undefined }),
  retain: fc.boolean(),
});

/** CDK's validation report at synth; app-level checks report on the root, whose path is empty. */
const SYNTH_VALIDATION_ERROR = /^Validation failed with the following errors:\n {2}\[[^\]]*\] \S/;

describe('fuzz', () => {
  test('RegistryBaseline: random registry settings either fail clearly, or render a StackSet body equal to the synthesized template', () => {
    const outcomes = { clearError: 0, equal: 0 };
    fc.assert(fc.property(settings, (p) => {
      const app = strictApp();
      let baseline: RegistryBaseline;
      try {
        baseline = new RegistryBaseline(app, 'Baseline', { tags: p.tags });
        const scanning = RegistryScanning.of(baseline);
        if (p.scanType) scanning.useScanType(p.scanType);
        for (const r of p.scanning) scanning.addRule({ frequency: r.frequency, repositoryFilters: r.filters });
        p.templates.forEach((t, i) => new RepositoryCreationTemplate(baseline, `T${i}`, {
          prefix: t.prefix,
          appliedFor: t.appliedFor,
          encryption: t.encryption === undefined ? undefined : t.encryption === 'AES256' ? ImageEncryption.AES256 : t.encryption === 'KMS' ? ImageEncryption.kms() : ImageEncryption.kmsDsse(),
          imageTagMutability: t.mutability,
          imageTagMutabilityExclusions: t.exclusions,
          resourceTags: t.resourceTags,
          access: t.pullAccounts ? [RepositoryAccess.pullFromAccounts(t.pullAccounts)] : undefined,
          description: t.description,
        }));
        p.caches.forEach((c, i) => new PullThroughCacheRule(baseline, `C${i}`, { ecrRepositoryPrefix: c.prefix, upstream: (UpstreamRegistry as any)[c.upstream](), createTemplate: c.createTemplate }));
        const registry = Registry.of(baseline);
        if (p.replicationFrom) registry.allowReplicationFrom('222222222222', p.replicationFrom.length > 0 ? p.replicationFrom : undefined);
        if (p.replicateTo) registry.addReplicationRule({ destinations: [ReplicationDestination.of(p.replicateTo, 'eu-west-1')], repositoryFilters: ['team/'] });
        if (p.signing !== null) RegistrySigning.of(baseline).addRule({ signingProfileArn: 'arn:aws:signer:eu-west-1:111111111111:/signing-profiles/platform', repositoryFilters: p.signing });
        if (p.exclusion) new PullTimeUpdateExclusion(baseline, 'Exclusion', { principalArn: p.exclusion });
        if (p.retain) registry.applyRemovalPolicy(RemovalPolicy.RETAIN);
      } catch (e) {
        if (!VALIDATION_ERROR.test((e as Error).message)) throw e;
        outcomes.clearError++;
        return;
      }
      let template: any;
      try {
        const assembly = synthesize(app).assembly;
        template = JSON.parse(JSON.stringify(assembly.getStackArtifact(baseline.artifactId).template));
        fs.rmSync(assembly.directory, { recursive: true, force: true });
      } catch (e) {
        if (!SYNTH_VALIDATION_ERROR.test((e as Error).message)) throw e;
        outcomes.clearError++;
        return;
      }
      for (const resource of Object.values<any>(template.Resources ?? {})) {
        delete resource.Metadata?.['aws:cdk:path'];
        if (resource.Metadata && Object.keys(resource.Metadata).length === 0) delete resource.Metadata;
      }
      expect(JSON.stringify(baseline._template())).toEqual(JSON.stringify(template));
      outcomes.equal++;
    }), { numRuns: FUZZ_RUNS });
    // Most inputs reach the comparison: the property is about the body, not the validation.
    expect(outcomes.equal).toBeGreaterThan(FUZZ_RUNS / 3);
  }, FUZZ_TIMEOUT);
});
