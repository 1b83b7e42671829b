import * as fc from 'fast-check';
import { cliBootstrapTemplate } from './cli-template';
import { CdkBootstrapTemplate, LifecyclePolicy, LifecycleTagStatus } from '../../src';
import { FUZZ_RUNS, untyped, VALIDATION_ERROR } from '../util/fuzz';

/*
 * Random options and random shapes of the repository (what an older or a
 * customized bootstrap template may hold): hardening either refuses with a
 * clear error listing the problems, or returns a template whose repository
 * meets every rule while the rest of the template is untouched, and that
 * hardening again leaves as it is.
 */

const REPOSITORY = 'ContainerAssetsRepository';
const KEY = 'ContainerAssetsEncryptionKey';
const ARN = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const rule = (priority: number, selection: Record<string, unknown>) => ({ rulePriority: priority, selection, action: { type: 'expire' } });
const lifecycleText = fc.constantFrom(
  JSON.stringify({ rules: [rule(1, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 365 })] }),
  JSON.stringify({ rules: [rule(1, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 5 })] }),
  JSON.stringify({ rules: [rule(1, { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: 50 })] }),
  JSON.stringify({ rules: [rule(1, { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 90 })] }),
  '{"rules":[]}',
  'not json',
);

const repositoryShape = fc.record({
  lifecycle: fc.option(fc.oneof(lifecycleText.map((text) => ({ LifecyclePolicyText: text })), fc.constant({ LifecyclePolicyText: { 'Fn::Sub': '${Policy}' } })), { nil: undefined }),
  mutability: fc.option(fc.constantFrom('MUTABLE', 'IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION'), { nil: undefined }),
  scanning: fc.option(fc.constantFrom({}, { ScanOnPush: false }, { ScanOnPush: true }), { nil: undefined }),
  encryption: fc.option(fc.constantFrom({ EncryptionType: 'AES256' }, { EncryptionType: 'KMS' }, { EncryptionType: 'KMS', KmsKey: ARN }), { nil: undefined }),
});

const options = fc.record({
  encryptionKeyArn: fc.option(untyped(fc.constantFrom(ARN, ARN.replace('1234abcd', 'ffffffff'), 'arn:aws:kms:eu-west-1:111111111111:alias/ecr', 'my-key', '')), { nil: undefined }),
  keepAes256Encryption: fc.option(untyped(fc.boolean()), { nil: undefined }),
  untaggedImageExpiryDays: fc.option(untyped(fc.oneof(
    fc.integer({ min: -2, max: 3000 }),
    fc.constantFrom(0.5, 2147483648, Number.NaN),
  )), { nil: undefined }),
}, { requiredKeys: [] });

describe('CdkBootstrapTemplate.hardenContainerAssets with random options and repositories', () => {
  const original = cliBootstrapTemplate();

  test('refuses clearly, or hardens the repository alone, the same way twice', () => {
    const outcomes = { refused: 0, hardened: 0 };
    fc.assert(fc.property(repositoryShape, options, (shape, opts) => {
      const template = cliBootstrapTemplate();
      const properties = template.Resources[REPOSITORY].Properties;
      if (shape.lifecycle === undefined) delete properties.LifecyclePolicy; else properties.LifecyclePolicy = shape.lifecycle;
      if (shape.mutability === undefined) delete properties.ImageTagMutability; else properties.ImageTagMutability = shape.mutability;
      if (shape.mutability === 'IMMUTABLE_WITH_EXCLUSION') {
        properties.ImageTagMutabilityExclusionFilters = [{ ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'latest' }];
      }
      if (shape.scanning !== undefined) properties.ImageScanningConfiguration = shape.scanning;
      if (shape.encryption !== undefined) properties.EncryptionConfiguration = shape.encryption;
      const input = JSON.stringify(template);

      let hardened: Record<string, any>;
      try {
        hardened = CdkBootstrapTemplate.hardenContainerAssets(template, opts as any);
      } catch (e) {
        const message = (e as Error).message;
        if (e instanceof TypeError || !VALIDATION_ERROR.test(message)) throw new Error(`unclear error for ${fc.stringify([shape, opts])}: ${(e as Error).stack}`);
        outcomes.refused++;
        return;
      }
      outcomes.hardened++;
      expect(JSON.stringify(template)).toBe(input);
      const repository = hardened.Resources[REPOSITORY].Properties;
      expect(repository.ImageScanningConfiguration.ScanOnPush).toBe(true);
      expect(repository.ImageTagMutability).toBe('IMMUTABLE');
      expect(repository.ImageTagMutabilityExclusionFilters).toBeUndefined();
      const policy = LifecyclePolicy.fromJson(repository.LifecyclePolicy.LifecyclePolicyText);
      expect(policy.validate()).toEqual([]);
      expect(policy.rules.every((r) => r.tagStatus === LifecycleTagStatus.UNTAGGED)).toBe(true);
      if (opts.keepAes256Encryption !== true) expect(repository.EncryptionConfiguration.KmsKey).toBeDefined();
      expect(hardened.Resources[KEY] === undefined).toBe(JSON.stringify(repository.EncryptionConfiguration?.KmsKey) !== JSON.stringify({ 'Fn::GetAtt': [KEY, 'Arn'] }));
      for (const section of ['Parameters', 'Conditions', 'Outputs']) expect(hardened[section]).toEqual(original[section]);
      for (const id of Object.keys(original.Resources).filter((r) => r !== REPOSITORY)) {
        expect(hardened.Resources[id]).toEqual(original.Resources[id]);
      }
      expect(JSON.stringify(CdkBootstrapTemplate.hardenContainerAssets(hardened, opts as any))).toBe(JSON.stringify(hardened));
    }), { numRuns: FUZZ_RUNS });
    expect(outcomes.refused).toBeGreaterThan(0);
    expect(outcomes.hardened).toBeGreaterThan(0);
  });
});
