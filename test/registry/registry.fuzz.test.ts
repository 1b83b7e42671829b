import * as fc from 'fast-check';
import {
  ImageTagMutability,
  PrivateRepository,
  Registry,
  RepositoryAccess,
  RepositoryCreationTemplate,
  RepositoryCreationTemplateAppliedFor,
  ImageEncryption,
  ReplicationDestination,
} from '../../src';
import { fuzzConstruct, lazy, lazyList, untyped } from '../util/fuzz';

const account = untyped(fc.oneof({ arbitrary: fc.constantFrom('111111111111', '222222222222', '333333333333'), weight: 8 }, fc.string({ maxLength: 13 })));
const region = untyped(fc.oneof(
  { arbitrary: fc.constantFrom('eu-west-1', 'eu-central-1', 'us-east-1'), weight: 8 },
  // misspelt, newer than aws-cdk-lib, other partitions, four-letter area codes
  fc.constantFrom('eu-wst-1', 'eu-future-9', 'cn-north-1', 'us-gov-west-1', 'eusc-de-east-1'),
  fc.string({ maxLength: 12 }),
));
/** Prefixes and names that are often valid, sometimes not. */
const prefix = lazy(fc.oneof(
  fc.stringMatching(/^[a-z0-9]{1,8}([._/-][a-z0-9]{1,8}){0,3}\/?$/),
  fc.string({ maxLength: 12 }),
  fc.constant('ROOT'),
  fc.constant('a'.repeat(257)),
));

describe('fuzz', () => {
  test('Registry replication: random rules and repositories either fail clearly or synthesize valid templates', () => {
    fuzzConstruct(
      fc.record({
        rules: fc.array(fc.record({
          destinations: fc.array(fc.tuple(account, region), { maxLength: 4 }),
          allowUnknownRegion: fc.boolean(),
          filters: fc.option(untyped(fc.array(untyped(prefix), { maxLength: 4 })), { nil: undefined }),
        }), { maxLength: 4 }),
        repositories: fc.array(fc.record({
          name: fc.option(prefix, { nil: undefined }),
          destinations: fc.array(fc.tuple(account, region), { maxLength: 3 }),
        }), { maxLength: 3 }),
        inRegions: fc.option(fc.tuple(account, fc.array(region, { maxLength: 4 })), { nil: undefined }),
        allowFrom: fc.option(account, { nil: undefined }),
        namespaces: fc.array(fc.record({
          namespace: prefix,
          destinations: fc.array(fc.tuple(account, region), { maxLength: 3 }),
        }), { maxLength: 2 }),
        allowFromPrefixes: fc.option(fc.array(prefix, { maxLength: 3 }), { nil: undefined }),
      }),
      (stack, p) => {
        new PrivateRepository(stack, 'Anchor'); // a stack with no resource is not a valid template
        const registry = Registry.of(stack);
        for (const r of p.rules) {
          registry.addReplicationRule({
            destinations: r.destinations.map(([a, g]) => ReplicationDestination.of(a, g, { allowUnknownRegion: r.allowUnknownRegion })),
            repositoryFilters: r.filters,
          });
        }
        p.repositories.forEach((r, i) => {
          new PrivateRepository(stack, `Repo${i}`, { repositoryName: r.name })
            .replicateTo(r.destinations.map(([a, g]) => ReplicationDestination.of(a, g)));
        });
        if (p.allowFrom !== undefined) registry.allowReplicationFrom(p.allowFrom, p.allowFromPrefixes);
        if (p.inRegions !== undefined) registry.addReplicationRule({ destinations: ReplicationDestination.inRegions(...p.inRegions) });
        for (const n of p.namespaces) registry.replicateNamespace(n.namespace, n.destinations.map(([a, g]) => ReplicationDestination.of(a, g)));
      },
    );
  });

  test('Registry replication: random typed rules a user would write synthesize valid templates or fail clearly, and most synthesize', () => {
    const destination = fc.tuple(fc.constantFrom('111111111111', '222222222222'), fc.constantFrom('eu-central-1', 'us-east-1', 'eu-west-2'));
    const namespace = fc.stringMatching(/^[a-z]{2,6}\/$/);
    fuzzConstruct(
      fc.record({
        rules: fc.array(fc.record({
          destinations: fc.uniqueArray(destination, { minLength: 1, maxLength: 3, selector: ([a, g]) => `${a}/${g}` }),
          filters: fc.option(fc.uniqueArray(namespace, { minLength: 1, maxLength: 3 }), { nil: undefined }),
        }), { maxLength: 3 }),
        repositories: fc.uniqueArray(fc.record({
          name: fc.stringMatching(/^[a-z]{2,6}\/[a-z]{2,6}$/),
          destinations: fc.uniqueArray(destination, { maxLength: 2, selector: ([a, g]) => `${a}/${g}` }),
        }), { maxLength: 3, selector: (r) => r.name }),
        allowFrom: fc.option(fc.constantFrom('222222222222', '333333333333'), { nil: undefined }),
      }),
      (stack, p) => {
        new PrivateRepository(stack, 'Anchor');
        const registry = Registry.of(stack);
        for (const r of p.rules) {
          const destinations = r.destinations.map(([a, g]) => ReplicationDestination.of(a, g));
          registry.addReplicationRule({ destinations, repositoryFilters: r.filters });
        }
        p.repositories.forEach((r, i) => {
          new PrivateRepository(stack, `Repo${i}`, { repositoryName: r.name }).replicateTo(r.destinations.map(([a, g]) => ReplicationDestination.of(a, g)));
        });
        if (p.allowFrom !== undefined) registry.allowReplicationFrom(p.allowFrom);
      },
      { expectValid: true },
    );
  });

  test('RepositoryCreationTemplate: random props either fail clearly or synthesize valid templates', () => {
    fuzzConstruct(
      fc.record({
        prefix: untyped(prefix),
        appliedFor: untyped(fc.uniqueArray(untyped(fc.oneof(
          { arbitrary: fc.constantFrom(...Object.values(RepositoryCreationTemplateAppliedFor)), weight: 12 },
          fc.constantFrom('replication', 'PULL-THROUGH-CACHE') as fc.Arbitrary<any>,
        )), { minLength: 1, maxLength: 4 })),
        encryption: fc.option(untyped(fc.constantFrom('AES256', 'KMS', 'KMS_DSSE')), { nil: undefined }),
        mutability: fc.option(untyped(fc.constantFrom(ImageTagMutability.IMMUTABLE, ImageTagMutability.MUTABLE)), { nil: undefined }),
        exclusions: fc.option(untyped(lazyList(fc.array(untyped(lazy(fc.oneof(fc.stringMatching(/^[0-9a-zA-Z._*-]{1,20}$/), fc.string({ maxLength: 5 })))), { maxLength: 7 }))), { nil: undefined }),
        tags: fc.option(untyped(fc.dictionary(fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), fc.string({ maxLength: 6 })), untyped(lazy(fc.string({ maxLength: 10 }))), { maxKeys: 4 })), { nil: undefined }),
        description: fc.option(untyped(lazy(fc.oneof(fc.string({ maxLength: 40 }), fc.constant('d'.repeat(257))))), { nil: undefined }),
        pullAccounts: fc.option(fc.uniqueArray(account, { minLength: 1, maxLength: 2 }), { nil: undefined }),
        // A template as it runs: no lifecycle policy, a policy text, no custom role (rarely a value of the wrong type or shape).
        noLifecyclePolicy: fc.option(fc.oneof({ arbitrary: fc.boolean(), weight: 8 }, fc.constant<unknown>('yes')), { nil: undefined }),
        policyText: fc.option(fc.oneof(
          {
            arbitrary: fc.constantFrom(
              '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"ecr:BatchGetImage"}]}',
              '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}]}',
            ),
            weight: 6,
          },
          fc.constantFrom('{"Statement":[]}', '{', '[]', `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"ecr:BatchGetImage","Sid":"${'x'.repeat(11000)}"}]}`),
          fc.string({ maxLength: 8 }),
        ), { nil: undefined, freq: 3 }),
        createRole: fc.option(fc.oneof({ arbitrary: fc.boolean(), weight: 8 }, fc.constant<unknown>(0)), { nil: undefined }),
      }),
      (stack, p) => {
        new RepositoryCreationTemplate(stack, 'Template', {
          noLifecyclePolicy: p.noLifecyclePolicy as any,
          repositoryPolicyText: p.policyText,
          createRole: p.createRole as any,
          prefix: p.prefix,
          appliedFor: p.appliedFor,
          encryption: p.encryption === 'KMS' ? ImageEncryption.kms() : p.encryption === 'KMS_DSSE' ? ImageEncryption.kmsDsse()
            : p.encryption === 'AES256' ? ImageEncryption.AES256 : p.encryption as any,
          imageTagMutability: p.mutability,
          imageTagMutabilityExclusions: p.exclusions,
          resourceTags: p.tags,
          description: p.description,
          access: p.pullAccounts ? [RepositoryAccess.pullFromAccounts(p.pullAccounts)] : undefined,
        });
      },
    );
  });

  test('RepositoryCreationTemplate: random typed props a user would write synthesize valid templates or fail clearly, and most synthesize', () => {
    fuzzConstruct(
      fc.record({
        prefix: fc.oneof(fc.constant('ROOT'), fc.stringMatching(/^[a-z0-9]{2,8}(\/[a-z0-9]{2,8}){0,2}$/)),
        appliedFor: fc.uniqueArray(fc.constantFrom(...Object.values(RepositoryCreationTemplateAppliedFor)), { minLength: 1, maxLength: 3 }),
        encryption: fc.constantFrom('AES256', 'KMS', undefined),
        mutability: fc.constantFrom(ImageTagMutability.IMMUTABLE, ImageTagMutability.MUTABLE, undefined),
        tags: fc.option(fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), fc.stringMatching(/^[a-z0-9]{0,10}$/), { maxKeys: 4 }), { nil: undefined }),
        pullAccounts: fc.option(fc.uniqueArray(fc.constantFrom('222222222222', '333333333333'), { minLength: 1, maxLength: 2 }), { nil: undefined }),
        noLifecyclePolicy: fc.boolean(),
        createRole: fc.boolean(),
      }),
      (stack, p) => {
        new RepositoryCreationTemplate(stack, 'Template', {
          prefix: p.prefix,
          appliedFor: p.appliedFor,
          encryption: p.encryption === 'KMS' ? ImageEncryption.kms() : p.encryption === 'AES256' ? ImageEncryption.AES256 : undefined,
          imageTagMutability: p.mutability,
          resourceTags: p.tags,
          access: p.pullAccounts ? [RepositoryAccess.pullFromAccounts(p.pullAccounts)] : undefined,
          noLifecyclePolicy: p.noLifecyclePolicy,
          createRole: p.createRole,
        });
      },
      { expectValid: true },
    );
  });
});
