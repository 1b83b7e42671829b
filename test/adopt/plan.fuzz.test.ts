import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { ACCOUNT, exportedRepository, KEY_ARN, LIFECYCLE_TEXT, POLICY_TEXT, registryExport, REGION } from './exports';
import { RegistryExport } from '../../src';
import { ExportedRepository } from '../../src/adopt/export-model';
import { repositoryProperties } from '../../src/adopt/mapping';
import { planAdoption } from '../../src/adopt/plan';
import { FUZZ_RUNS, FUZZ_TIMEOUT } from '../util/fuzz';
import { strictStack } from '../util/harness';

const segment = fc.stringMatching(/^[a-z0-9]{1,8}$/);
const name = fc.tuple(segment, fc.option(segment, { nil: undefined })).map(([a, b]) => (b === undefined ? `${a}x` : `${a}/${b}`));
const tag = fc.record({ Key: fc.stringMatching(/^[a-zA-Z0-9_.:/=+-]{1,20}$/), Value: fc.stringMatching(/^[a-zA-Z0-9 _.:/=+-]{0,20}$/) });
const exclusion = fc.stringMatching(/^[0-9a-zA-Z._*-]{1,12}$/);

/** A repository as ECR describes it, with random settings. */
const repository: fc.Arbitrary<ExportedRepository> = fc.record({
  name,
  immutable: fc.boolean(),
  exclusions: fc.uniqueArray(exclusion, { maxLength: 5 }),
  scanOnPush: fc.boolean(),
  encryption: fc.constantFrom({ encryptionType: 'AES256' }, { encryptionType: 'KMS', kmsKey: KEY_ARN }, { encryptionType: 'KMS', kmsKey: KEY_ARN.replace('0b5d', '7777') }),
  lifecycle: fc.option(fc.constantFrom(LIFECYCLE_TEXT, LIFECYCLE_TEXT.replace('"countNumber":7', '"countNumber":30')), { nil: undefined }),
  policy: fc.option(fc.constant(POLICY_TEXT), { nil: undefined }),
  tags: fc.uniqueArray(tag, { maxLength: 6, selector: (t) => t.Key }),
}).map((r) => exportedRepository(r.name, {
  imageTagMutability: `${r.immutable ? 'IMMUTABLE' : 'MUTABLE'}${r.exclusions.length > 0 ? '_WITH_EXCLUSION' : ''}`,
  imageTagMutabilityExclusionFilters: r.exclusions.length > 0 ? r.exclusions.map((filter) => ({ filterType: 'WILDCARD', filter })) : undefined,
  imageScanningConfiguration: { scanOnPush: r.scanOnPush },
  encryptionConfiguration: r.encryption,
  lifecyclePolicyText: r.lifecycle,
  repositoryPolicyText: r.policy,
  tags: r.tags,
}));

const template = (properties: Record<string, unknown>) => [{ stack: 'S', template: { Resources: { Repo: { Type: 'AWS::ECR::Repository', Properties: properties } } } }];

/** One edit of one property, and the verdict it must get. */
const MUTATIONS: Array<[string, 'in-place update' | 'replacement', (p: Record<string, any>) => Record<string, any>]> = [
  ['ImageTagMutability', 'in-place update', (p) => ({ ...p, ImageTagMutability: p.ImageTagMutability.startsWith('IMMUTABLE') ? p.ImageTagMutability.replace('IMMUTABLE', 'MUTABLE') : p.ImageTagMutability.replace('MUTABLE', 'IMMUTABLE') })],
  ['ImageScanningConfiguration', 'in-place update', (p) => ({ ...p, ImageScanningConfiguration: { ScanOnPush: !p.ImageScanningConfiguration.ScanOnPush } })],
  ['LifecyclePolicy', 'in-place update', (p) => ({ ...p, LifecyclePolicy: p.LifecyclePolicy ? undefined : { LifecyclePolicyText: LIFECYCLE_TEXT } })],
  ['RepositoryPolicyText', 'in-place update', (p) => ({ ...p, RepositoryPolicyText: p.RepositoryPolicyText ? undefined : JSON.parse(POLICY_TEXT) })],
  ['Tags', 'in-place update', (p) => ({ ...p, Tags: [...(p.Tags ?? []), { Key: 'added-by-the-edit', Value: 'x' }] })],
  ['ImageTagMutabilityExclusionFilters', 'in-place update', (p) => ({ ...p, ImageTagMutabilityExclusionFilters: [...(p.ImageTagMutabilityExclusionFilters ?? []), { ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'added.by.edit' }] })],
  ['EncryptionConfiguration', 'replacement', (p) => ({ ...p, EncryptionConfiguration: p.EncryptionConfiguration.EncryptionType === 'AES256' ? { EncryptionType: 'KMS' } : { EncryptionType: 'AES256' } })],
];

describe('the adoption plan, on random exports', () => {
  test('given a template of repositoryProperties of a random export, then every repository is no change', () => {
    fc.assert(fc.property(fc.uniqueArray(repository, { minLength: 1, maxLength: 5, selector: (r) => r.repositoryName }), (repositories) => {
      const live = registryExport(repositories);
      const templates = [{ stack: 'S', template: { Resources: Object.fromEntries(repositories.map((r, i) => [`R${i}`, { Type: 'AWS::ECR::Repository', Properties: repositoryProperties(r) }])) } }];
      const plan = planAdoption(templates, live);
      expect(plan.repositories.map((p) => p.verdict)).toEqual(repositories.map(() => 'no change'));
      expect(plan.problems).toEqual([]);
    }), { numRuns: FUZZ_RUNS });
  });

  test('given one edited property, then exactly that property changes, with the verdict its update behaviour gives', () => {
    fc.assert(fc.property(repository, fc.constantFrom(...MUTATIONS), (exported, [property, verdict, edit]) => {
      const plan = planAdoption(template(edit(repositoryProperties(exported))), registryExport([exported]));
      expect(plan.repositories).toHaveLength(1);
      expect(plan.repositories[0].verdict).toBe(verdict);
      expect(plan.repositories[0].changes.map((c) => c.property)).toEqual(property === 'ImageTagMutabilityExclusionFilters' || property === 'ImageTagMutability'
        ? expect.arrayContaining([property]) : [property]);
      expect(plan.problems.length > 0).toBe(verdict === 'replacement');
    }), { numRuns: FUZZ_RUNS });
  });

  test('given a renamed repository, then the new name is created and the live one is left alone, with no problem', () => {
    fc.assert(fc.property(repository, (exported) => {
      const plan = planAdoption(template({ ...repositoryProperties(exported), RepositoryName: `${exported.repositoryName}-renamed` }), registryExport([exported]));
      expect(plan.repositories.map((p) => p.verdict).sort()).toEqual(['created', 'not managed']);
      expect(plan.problems).toEqual([]);
    }), { numRuns: FUZZ_RUNS });
  });

  test('given a repository adopted with RegistryExport.adoptRepository, then its synthesized template plans no change', () => {
    // CloudFormation takes no empty tag value (see the adoption test of empty values).
    fc.assert(fc.property(repository.filter((r) => r.tags.every((t) => t.Value !== '')), (exported) => {
      const stack = strictStack();
      RegistryExport.fromJson(JSON.stringify(registryExport([exported]))).adoptRepository(stack, 'Repo', exported.repositoryName);
      const plan = planAdoption([{ stack: 'S', template: Template.fromStack(stack).toJSON() }], registryExport([exported]));
      expect(plan.repositories.map((p) => [p.id, p.verdict])).toEqual([[exported.repositoryName, 'no change']]);
    }), { numRuns: Math.min(FUZZ_RUNS, 30) });
  }, FUZZ_TIMEOUT);

  test('given any JSON as templates, with intrinsic functions anywhere, then the plan never throws', () => {
    const intrinsic = fc.oneof(
      fc.record({ Ref: fc.constantFrom('AWS::AccountId', 'AWS::Region', 'AWS::NoValue', 'Other', 'R0') }),
      fc.record({ 'Fn::GetAtt': fc.oneof(fc.tuple(fc.constantFrom('R0', 'X'), fc.string()), fc.string(), fc.anything()) }),
      fc.record({ 'Fn::Join': fc.anything() }),
      fc.record({ 'Fn::Sub': fc.oneof(fc.string(), fc.anything()) }),
      fc.record({ 'Fn::Select': fc.anything() }),
      fc.record({ 'Fn::Split': fc.anything() }),
      fc.record({ 'Fn::If': fc.anything() }),
    );
    const nested = fc.dictionary(fc.constantFrom('EncryptionType', 'KmsKey', 'ScanOnPush', 'LifecyclePolicyText'), fc.oneof(fc.anything(), intrinsic));
    const value = fc.oneof(fc.anything(), intrinsic, fc.array(intrinsic, { maxLength: 3 }), nested);
    const resource = fc.record({
      Type: fc.oneof(fc.constantFrom('AWS::ECR::Repository', 'AWS::ECR::PullThroughCacheRule', 'AWS::ECR::RegistryPolicy', 'AWS::ECR::RepositoryCreationTemplate', 'Custom::EcrAccountSetting', 'AWS::KMS::Key'), fc.anything()),
      Properties: fc.oneof(fc.dictionary(fc.constantFrom(
        'RepositoryName', 'EncryptionConfiguration', 'ImageTagMutability', 'ImageScanningConfiguration', 'LifecyclePolicy', 'RepositoryPolicyText', 'Tags',
        'ImageTagMutabilityExclusionFilters', 'EcrRepositoryPrefix', 'UpstreamRegistryUrl', 'Prefix', 'PolicyText', 'Name', 'Value',
      ), value), fc.anything()),
    }, { requiredKeys: [] });
    const body = fc.oneof(fc.anything(), fc.record({ Resources: fc.oneof(fc.dictionary(fc.string(), resource), fc.anything()) }));
    const templates = fc.array(fc.record({ stack: fc.string(), template: body }), { maxLength: 3 });
    fc.assert(fc.property(templates, fc.array(repository, { maxLength: 3 }), (given, repositories) => {
      const plan = planAdoption(given, registryExport(repositories, { pullThroughCacheRules: [{ ecrRepositoryPrefix: 'p', upstreamRegistryUrl: 'public.ecr.aws' }], accountSettings: { X: 'y' } }));
      expect(plan.account).toBe(ACCOUNT);
      expect(plan.region).toBe(REGION);
    }), { numRuns: FUZZ_RUNS * 5 });
  });
});
