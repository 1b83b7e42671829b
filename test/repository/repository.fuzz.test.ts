import { Lazy, RemovalPolicy } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import {
  CountType,
  ImageTagMutability,
  LifecyclePolicy,
  PrivateRepository,
  PublicArchitecture,
  PublicOperatingSystem,
  PublicRepository,
  RepositoryAccess,
  ImageEncryption,
  LifecycleTagStatus,
} from '../../src';
import { resolvedAccessPolicy } from '../../src/repository/access';
import { acknowledgeControlTower, CT } from '../util/control-tower';
import { FUZZ_RUNS, FUZZ_TIMEOUT, fuzzConstruct, lazy, lazyList, lazyNumber, untyped } from '../util/fuzz';
import { strictStack } from '../util/harness';

/** Mostly the string, sometimes the same value as a Lazy string. */
const lazyOf = (value: string) => (value.length % 3 === 0 ? Lazy.string({ produce: () => value }) : value);

/** Names that are often valid, sometimes not; sometimes known only at synth (Lazy). */
const name = lazy(fc.oneof(
  fc.stringMatching(/^[a-z0-9]{1,8}([._/-][a-z0-9]{1,8}){0,3}$/),
  fc.string({ maxLength: 20 }),
  fc.constant('a'.repeat(257)),
));
const removalPolicies = fc.constantFrom(
  RemovalPolicy.RETAIN, RemovalPolicy.DESTROY, RemovalPolicy.SNAPSHOT, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
);
const account = untyped(fc.oneof({ arbitrary: fc.stringMatching(/^\d{12}$/), weight: 8 }, fc.string({ maxLength: 13 })));
/** Exclusion filters: lists of often valid filters, items and lists sometimes untyped or Lazy. */
const exclusions = untyped(lazyList(fc.uniqueArray(untyped(lazy(fc.oneof({ arbitrary: fc.stringMatching(/^[0-9a-zA-Z._*-]{1,20}$/), weight: 6 }, fc.string({ maxLength: 5 })))), { maxLength: 7 })));
/** Principal ARNs: often valid role or user ARNs, sometimes wildcards, sessions, roots or any text; sometimes Lazy or untyped. */
const principalArn = untyped(lazy(fc.oneof(
  { arbitrary: fc.stringMatching(/^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:(role|user)\/([a-z0-9+=,.@_-]{1,8}\/){0,2}[a-zA-Z0-9+=,.@_-]{1,20}$/), weight: 8 },
  fc.stringMatching(/^arn:aws:(iam|sts)::(\d{12}|\*|\d{3}):(role|user|root|group|assumed-role)\/?[a-z*?]{0,6}$/),
  fc.string({ maxLength: 30 }),
)));

/** A lifecycle rule whose description and count may be Lazy (text with quotes, NULs, any length). */
const lifecycle = fc.record({
  description: lazy(fc.oneof(fc.string({ maxLength: 40 }), fc.constant('say "hi" \\ \u0000'), fc.constant('d'.repeat(31000)))),
  countNumber: lazyNumber(fc.integer({ min: -1, max: 2000 })),
});

describe('fuzz', () => {
  test('PrivateRepository: random props either fail clearly or synthesize valid templates', () => {
    fuzzConstruct(
      fc.record({
        repositoryName: fc.option(untyped(name), { nil: undefined }),
        imageTagMutability: fc.option(untyped(fc.constantFrom(ImageTagMutability.IMMUTABLE, ImageTagMutability.MUTABLE)), { nil: undefined }),
        imageTagMutabilityExclusions: fc.option(exclusions, { nil: undefined }),
        encryption: fc.option(untyped(fc.constantFrom('AES256', 'KMS', 'KMS_DSSE', 'KMS_AWS_MANAGED')), { nil: undefined }),
        lifecycleRegistryId: fc.option(account.map((a) => (typeof a === 'string' ? lazyOf(a) : a)), { nil: undefined, freq: 3 }),
        // rules added after construction: often valid next to the policy, sometimes not (a second untagged or any rule), sometimes Lazy
        addedRules: fc.option(fc.array(untyped(fc.record({
          tagStatus: fc.constantFrom(LifecycleTagStatus.TAGGED, LifecycleTagStatus.UNTAGGED, LifecycleTagStatus.ANY),
          pattern: fc.stringMatching(/^[a-z0-9]{1,6}\*?$/),
          countNumber: lazyNumber(fc.integer({ min: 0, max: 2000 })),
        }), 60), { maxLength: 3 }), { nil: undefined, freq: 2 }),
        removalPolicy: fc.option(untyped(removalPolicies), { nil: undefined }),
        emptyOnDelete: fc.option(untyped(fc.boolean()), { nil: undefined }),
        imageScanOnPush: fc.option(untyped(fc.boolean()), { nil: undefined }),
        pullAccounts: fc.option(untyped(fc.uniqueArray(account, { maxLength: 3 })), { nil: undefined, freq: 2 }),
        organization: fc.option(untyped(fc.oneof({ arbitrary: fc.stringMatching(/^o-[a-z0-9]{10}$/), weight: 6 }, fc.string({ maxLength: 8 }))), { nil: undefined, freq: 2 }),
        // push from the organization (whole or its units) instead of pull
        organizationPush: fc.option(fc.oneof(fc.constant('organization'), untyped(fc.array(fc.oneof(
          { arbitrary: fc.stringMatching(/^r-[a-z0-9]{4}\/ou-[a-z0-9]{4}-[a-z0-9]{8}$/), weight: 4 }, fc.string({ maxLength: 10 })), { maxLength: 2 }))), { nil: undefined, freq: 3 }),
        principalArns: fc.option(untyped(fc.array(principalArn, { maxLength: 3 })), { nil: undefined, freq: 2 }),
        principalPush: fc.boolean(),
        lifecycle: fc.option(lifecycle, { nil: undefined }),
        access: fc.option(untyped(fc.constant('valid')), { nil: undefined }),
        // sometimes enough accounts to pass ECR's 10,240-character policy quota
        manyAccounts: fc.option(fc.integer({ min: 100, max: 450 }), { nil: undefined, freq: 5 }),
      }),
      (stack, p) => {
        const access: RepositoryAccess[] = [];
        if (p.pullAccounts !== undefined) access.push(RepositoryAccess.pullFromAccounts(p.pullAccounts));
        if (p.organization !== undefined) {
          const push = p.organizationPush;
          access.push(push === undefined ? RepositoryAccess.pullFromOrganization(p.organization)
            : push === 'organization' ? RepositoryAccess.pushFromOrganization(p.organization)
              : RepositoryAccess.pushFromOrganizationalUnits(p.organization, push as string[]));
        }
        if (p.principalArns !== undefined) {
          const arns = p.principalArns;
          access.push(p.principalPush ? RepositoryAccess.pushFromPrincipalArns(arns) : RepositoryAccess.pullFromPrincipalArns(arns));
        }
        if (p.manyAccounts !== undefined) access.push(RepositoryAccess.pullFromAccounts(Array.from({ length: p.manyAccounts }, (_, i) => `${300000000000 + i}`)));
        // An untyped caller's list item in place of a RepositoryAccess.
        if (p.access !== undefined && p.access !== 'valid') access.push(p.access as any);
        const repo = new PrivateRepository(stack, 'Repo', {
          repositoryName: p.repositoryName,
          imageTagMutability: p.imageTagMutability,
          imageTagMutabilityExclusions: p.imageTagMutabilityExclusions,
          encryption: p.encryption === 'KMS' ? ImageEncryption.kms() : p.encryption === 'KMS_DSSE' ? ImageEncryption.kmsDsse()
            : p.encryption === 'AES256' ? ImageEncryption.AES256 : p.encryption === 'KMS_AWS_MANAGED' ? ImageEncryption.KMS_AWS_MANAGED
              : p.encryption as any,
          lifecycleRegistryId: p.lifecycleRegistryId,
          lifecyclePolicy: p.lifecycle && LifecyclePolicy.fromRules([
            { tagStatus: LifecycleTagStatus.ANY, countType: CountType.IMAGE_COUNT_MORE_THAN, ...p.lifecycle },
          ]),
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
        for (const r of p.addedRules ?? []) {
          // an untyped caller's value in place of a rule
          const rule = r !== null && typeof r === 'object' && 'tagStatus' in r ? {
            tagStatus: r.tagStatus,
            tagPatternList: r.tagStatus === LifecycleTagStatus.TAGGED ? [r.pattern] : undefined,
            countType: r.tagStatus === LifecycleTagStatus.UNTAGGED ? CountType.SINCE_IMAGE_PUSHED : CountType.IMAGE_COUNT_MORE_THAN,
            countNumber: r.countNumber,
          } : r;
          repo.addLifecycleRule(rule as any);
        }
      },
    );
  }, FUZZ_TIMEOUT);

  test('RepositoryAccess for principal ARNs and organization push: random inputs either fail clearly or synthesize valid templates', () => {
    fuzzConstruct(
      fc.record({
        arns: untyped(fc.array(principalArn, { maxLength: 4 })),
        push: fc.boolean(),
        organization: untyped(fc.oneof({ arbitrary: fc.stringMatching(/^o-[a-z0-9]{10}$/), weight: 6 }, fc.string({ maxLength: 8 }))),
        units: fc.option(untyped(fc.array(fc.oneof(
          { arbitrary: fc.stringMatching(/^r-[a-z0-9]{4}(\/ou-[a-z0-9]{4}-[a-z0-9]{8}){1,2}$/), weight: 4 }, fc.string({ maxLength: 10 })), { maxLength: 2 })), { nil: undefined }),
      }),
      (stack, p) => {
        new PrivateRepository(stack, 'Repo', {
          repositoryName: 'team/api',
          access: [
            p.push ? RepositoryAccess.pushFromPrincipalArns(p.arns) : RepositoryAccess.pullFromPrincipalArns(p.arns),
            p.units === undefined ? RepositoryAccess.pushFromOrganization(p.organization)
              : RepositoryAccess.pushFromOrganizationalUnits(p.organization, p.units),
          ],
        });
      },
    );
  }, FUZZ_TIMEOUT);

  test('RepositoryAccess for principal ARNs: the statement does not depend on the order of the ARNs', () => {
    const arn = fc.stringMatching(/^arn:(aws|aws-cn):iam::\d{12}:(role|user)\/[a-z0-9]{1,6}$/);
    fc.assert(fc.property(fc.uniqueArray(arn, { minLength: 1, maxLength: 5 }), fc.boolean(), (arns, push) => {
      const access = (list: string[]) => (push ? RepositoryAccess.pushFromPrincipalArns(list) : RepositoryAccess.pullFromPrincipalArns(list));
      const render = (list: string[]) => JSON.stringify(resolvedAccessPolicy([access(list)]));
      expect(render([...arns].reverse())).toEqual(render(arns));
    }), { numRuns: FUZZ_RUNS });
  });

  test('PublicRepository: random props either fail clearly or synthesize valid templates', () => {
    fuzzConstruct(
      fc.record({
        repositoryName: fc.option(name, { nil: undefined }),
        description: fc.option(untyped(lazy(fc.oneof(fc.string({ maxLength: 50 }), fc.constant('d'.repeat(1025))))), { nil: undefined }),
        aboutText: fc.option(untyped(lazy(fc.string({ maxLength: 50 }))), { nil: undefined }),
        architectures: fc.option(fc.array(untyped(lazy(fc.oneof(fc.constantFrom('ARM', 'ARM 64', 'x86', 'x86-64'), fc.string({ maxLength: 60 })))), { maxLength: 4 }), {
          nil: undefined,
        }),
        operatingSystems: fc.option(fc.array(fc.constantFrom('Linux', 'Windows'), { maxLength: 2 }), { nil: undefined }),
        removalPolicy: fc.option(untyped(removalPolicies), { nil: undefined }),
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
