import * as fc from 'fast-check';
import {
  ImageTagMutability,
  PullThroughCacheCredentials,
  PullThroughCacheRule,
  ImageEncryption,
  UpstreamAuthentication,
  UpstreamRegistry,
} from '../../src';
import { FUZZ_TIMEOUT, fuzzConstruct, lazy, UNTYPED_VALUES, untyped } from '../util/fuzz';

/** Prefixes that are often valid, sometimes not. */
const prefix = lazy(fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z0-9]{2,6}([._/-][a-z0-9]{1,6}){0,3}\/?$/), weight: 6 },
  fc.string({ maxLength: 12 }),
  fc.constant('ROOT'),
  fc.constant('a'.repeat(31)),
));
const account = untyped(fc.oneof({ arbitrary: fc.constantFrom('111111111111', '222222222222'), weight: 4 }, fc.string({ maxLength: 13 })));
const region = untyped(fc.oneof(
  { arbitrary: fc.constantFrom('eu-west-1', 'us-east-1', 'cn-north-1'), weight: 4 },
  fc.constantFrom('eu-wst-1', 'eu-future-9', 'us-isob-east-1'),
  fc.string({ maxLength: 12 }),
));

/** Every upstream, with random arguments where it takes some. */
const upstream = fc.oneof(
  fc.constantFrom('ecrPublic', 'kubernetes', 'quay', 'dockerHub', 'githubContainerRegistry', 'gitlabContainerRegistry', 'chainguard').map((f) => () => (UpstreamRegistry as any)[f]() as UpstreamRegistry),
  untyped(fc.oneof({ arbitrary: fc.stringMatching(/^[a-zA-Z0-9]{5,12}$/), weight: 4 }, fc.string({ maxLength: 8 }))).map((n) => () => UpstreamRegistry.azureContainerRegistry(n)),
  fc.tuple(account, region, fc.boolean()).map(([a, r, allowUnknownRegion]) => () => UpstreamRegistry.ecr(a, r, { allowUnknownRegion })),
  // What an untyped caller passes instead of an UpstreamRegistry.
  fc.constantFrom(...UNTYPED_VALUES, 'docker-hub').map((v) => () => v as any),
);

describe('fuzz', () => {
  test('PullThroughCacheRule: random props either fail clearly or synthesize valid templates', () => {
    fuzzConstruct(
      fc.record({
        rules: fc.array(fc.record({
          prefix: untyped(prefix),
          upstream,
          // 'auto' gives credentials exactly when the upstream takes them.
          credentials: fc.constantFrom<'auto' | 'none' | 'create' | 'named'>('auto', 'auto', 'auto', 'auto', 'none', 'create', 'named'),
          secretName: untyped(lazy(fc.oneof(fc.stringMatching(/^ecr-pullthroughcache\/[a-z0-9/_+=.@-]{1,12}$/), fc.string({ maxLength: 10 })))),
          upstreamPrefix: fc.option(prefix, { nil: undefined, freq: 3 }),
          createTemplate: fc.option(untyped(fc.boolean()), { nil: undefined }),
          kms: fc.boolean(),
          mutability: fc.option(untyped(fc.constantFrom(ImageTagMutability.IMMUTABLE, ImageTagMutability.MUTABLE)), { nil: undefined }),
          tags: fc.option(fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), fc.oneof({ arbitrary: fc.stringMatching(/^[a-z0-9 _.:/=+@-]{0,8}$/), weight: 4 }, fc.string({ maxLength: 8 })), { maxKeys: 2 }), { nil: undefined }),
          pullAccounts: fc.option(untyped(fc.array(account, { minLength: 1, maxLength: 2 })), { nil: undefined }),
          pullOrganization: fc.option(fc.record({
            id: fc.oneof({ arbitrary: fc.constant('o-exampleorg1'), weight: 4 }, fc.string({ maxLength: 12 })),
            units: fc.option(fc.array(fc.oneof({ arbitrary: fc.constant('r-ab12/ou-ab12-11111111'), weight: 4 }, fc.string({ maxLength: 12 })), { maxLength: 2 }), { nil: undefined }),
          }), { nil: undefined }),
        }), { minLength: 1, maxLength: 2 }),
      }),
      (stack, p) => {
        p.rules.forEach((r, i) => {
          const upstreamRegistry = r.upstream();
          const auto = r.credentials === 'auto' && upstreamRegistry instanceof UpstreamRegistry;
          const rule = new PullThroughCacheRule(stack, `Rule${i}`, {
            ecrRepositoryPrefix: r.prefix,
            upstream: upstreamRegistry,
            upstreamRepositoryPrefix: upstreamRegistry?.isEcr || r.credentials === 'none' ? r.upstreamPrefix : undefined,
            credentials: auto
              ? (upstreamRegistry.authentication === UpstreamAuthentication.SECRET ? PullThroughCacheCredentials.createSecret() : undefined)
              : r.credentials === 'create'
                ? PullThroughCacheCredentials.createSecret()
                : r.credentials === 'named' ? PullThroughCacheCredentials.createSecret({ secretName: r.secretName }) : undefined,
            createTemplate: r.createTemplate,
            encryption: r.kms ? ImageEncryption.kms() : undefined,
            imageTagMutability: r.mutability,
            resourceTags: r.tags,
          });
          if (r.pullAccounts !== undefined) rule.allowPullThroughFromAccounts(r.pullAccounts);
          if (r.pullOrganization) rule.allowPullThroughFromOrganization(r.pullOrganization.id, r.pullOrganization.units);
        });
      },
    );
  }, FUZZ_TIMEOUT);
});
