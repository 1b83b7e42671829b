import { RemovalPolicy } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { ImageTagMutability, PrivateRepository, PublicArchitecture, PublicOperatingSystem, PublicRepository, RepositoryAccess, RepositoryEncryption } from '../../src';
import { acknowledgeControlTower, CT } from '../util/control-tower';
import { FUZZ_TIMEOUT, fuzzConstruct } from '../util/fuzz';
import { strictStack } from '../util/harness';

/** Names that are often valid, sometimes not. */
const name = fc.oneof(
  fc.stringMatching(/^[a-z0-9]{1,8}([._/-][a-z0-9]{1,8}){0,3}$/),
  fc.string({ maxLength: 20 }),
  fc.constant('a'.repeat(257)),
);
const removalPolicies = fc.constantFrom(
  RemovalPolicy.RETAIN, RemovalPolicy.DESTROY, RemovalPolicy.SNAPSHOT, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
);
const account = fc.oneof(fc.stringMatching(/^\d{12}$/), fc.string({ maxLength: 13 }));

describe('fuzz', () => {
  test('PrivateRepository: random props either fail clearly or synthesize valid templates', () => {
    fuzzConstruct(
      fc.record({
        repositoryName: fc.option(name, { nil: undefined }),
        imageTagMutability: fc.option(fc.constantFrom(ImageTagMutability.IMMUTABLE, ImageTagMutability.MUTABLE), { nil: undefined }),
        imageTagMutabilityExclusions: fc.option(fc.array(fc.oneof(fc.stringMatching(/^[0-9a-zA-Z._*-]{1,20}$/), fc.string({ maxLength: 5 })), { maxLength: 7 }), { nil: undefined }),
        encryption: fc.option(fc.constantFrom('AES256', 'KMS', 'KMS_DSSE'), { nil: undefined }),
        removalPolicy: fc.option(removalPolicies, { nil: undefined }),
        emptyOnDelete: fc.option(fc.boolean(), { nil: undefined }),
        imageScanOnPush: fc.option(fc.boolean(), { nil: undefined }),
        pullAccounts: fc.option(fc.array(account, { maxLength: 3 }), { nil: undefined }),
        organization: fc.option(fc.oneof(fc.stringMatching(/^o-[a-z0-9]{10}$/), fc.string({ maxLength: 8 })), { nil: undefined }),
      }),
      (stack, p) => {
        const access = [];
        if (p.pullAccounts) access.push(RepositoryAccess.pullFromAccounts(p.pullAccounts));
        if (p.organization) access.push(RepositoryAccess.pullFromOrganization(p.organization));
        const repo = new PrivateRepository(stack, 'Repo', {
          repositoryName: p.repositoryName,
          imageTagMutability: p.imageTagMutability,
          imageTagMutabilityExclusions: p.imageTagMutabilityExclusions,
          encryption: p.encryption === 'KMS' ? RepositoryEncryption.kms() : p.encryption === 'KMS_DSSE' ? RepositoryEncryption.kmsDsse() : p.encryption ? RepositoryEncryption.AES256 : undefined,
          removalPolicy: p.removalPolicy,
          emptyOnDelete: p.emptyOnDelete,
          imageScanOnPush: p.imageScanOnPush,
          access,
        });
        // what AWS Control Tower rejects by design, and only that
        if (p.imageTagMutability === ImageTagMutability.MUTABLE || p.imageTagMutabilityExclusions?.length) {
          acknowledgeControlTower(repo, [CT.ECR_TAG_IMMUTABILITY], 'the input asks for mutable tags or exclusions');
        }
        if (p.imageScanOnPush === false) acknowledgeControlTower(repo, [CT.ECR_SCAN_ON_PUSH], 'the input turns scan on push off');
      },
    );
  }, FUZZ_TIMEOUT);

  test('PublicRepository: random props either fail clearly or synthesize valid templates', () => {
    fuzzConstruct(
      fc.record({
        repositoryName: fc.option(name, { nil: undefined }),
        description: fc.option(fc.oneof(fc.string({ maxLength: 50 }), fc.constant('d'.repeat(1025))), { nil: undefined }),
        aboutText: fc.option(fc.string({ maxLength: 50 }), { nil: undefined }),
        architectures: fc.option(fc.array(fc.oneof(fc.constantFrom('ARM', 'ARM 64', 'x86', 'x86-64'), fc.string({ maxLength: 60 })), { maxLength: 4 }), { nil: undefined }),
        operatingSystems: fc.option(fc.array(fc.constantFrom('Linux', 'Windows'), { maxLength: 2 }), { nil: undefined }),
        removalPolicy: fc.option(removalPolicies, { nil: undefined }),
      }),
      (stack, p) => {
        new PublicRepository(stack, 'Public', {
          repositoryName: p.repositoryName,
          removalPolicy: p.removalPolicy,
          catalogData: {
            description: p.description,
            aboutText: p.aboutText,
            architectures: p.architectures?.map((a) => PublicArchitecture.of(a)),
            operatingSystems: p.operatingSystems?.map((o) => PublicOperatingSystem.of(o)),
          },
        });
      },
      { stack: () => strictStack({ env: { account: '111111111111', region: 'us-east-1' } }) },
    );
  }, FUZZ_TIMEOUT);
});
