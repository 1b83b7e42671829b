import { CfnResource, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { IConstruct } from 'constructs';
import { normalizePrefix, ROOT_PREFIX } from '../internal/ecr-facts';
import { AppWarning, ownerOf, registerAppCheck, tryResolve } from '../registry/app-checks';
import { AppRegistries } from '../registry/app-registries';
import { wildcardMatches } from '../scanning/checks';

/*
 * Managed signing and pull-through caches. ECR signs an image with the
 * identity of the principal that pushes it (ECR User Guide, "Managed
 * signing"). Images cached by a pull-through cache rule are pushed by ECR's
 * pull-through cache service-linked role, whose managed policy
 * (AWSECRPullThroughCache_ServiceRolePolicy) has no signer:SignPayload, so a
 * signing rule that covers a cache prefix breaks caching there (public report
 * aws/containers-roadmap#2830; the User Guide does not describe this case).
 *
 * Replication is not checked: the User Guide says nothing about whether
 * managed signing acts on replicated images, or with which identity (the
 * replication service-linked role's documented policy allows only
 * ecr:CreateRepository and ecr:ReplicateImage), so the library does not
 * guess.
 */

/** The warning's ID. @internal */
export const SIGNING_COVERS_CACHE_WARNING = 'cdk-ecr-platform:signingCoversPullThroughCache';

/**
 * Registers the check that no signing rule of a registry covers the
 * repositories a pull-through cache rule of the same registry creates:
 * called by every construct that renders a signing configuration or a
 * pull-through cache rule. Reads the synthesized L1s of the whole app
 * (`AWS::ECR::SigningConfiguration`, `AWS::ECR::PullThroughCacheRule`), so
 * raw L1s in the app are covered too.
 *
 * @internal
 */
export function checkSigningCoversPullThroughCache(scope: IConstruct): void {
  registerAppCheck(scope, 'signingCoversPullThroughCache', signingCacheWarnings);
}

interface SigningRuleRead {
  readonly profile: string;
  /** Literal WILDCARD_MATCH filters; undefined when the rule signs every repository. */
  readonly filters: string[] | undefined;
}

interface CacheRead {
  readonly node: CfnResource;
  readonly prefix: string;
}

/** Every warning of the app: one per signing rule and pull-through cache rule of one registry, in a stable order. @internal */
export function signingCacheWarnings(root: IConstruct): AppWarning[] {
  const registries = AppRegistries.of(root);
  const warnings: AppWarning[] = [];
  const seen = new Set<string>();
  for (const stack of registries.stacks) {
    for (const node of stack.node.findAll()) {
      if (!(node instanceof ecr.CfnSigningConfiguration) || Stack.of(node) !== stack) continue;
      const caches = registries.registryStacks(stack).flatMap((s) => cachesOf(s));
      if (caches.length === 0) continue;
      for (const rule of signingRulesOf(node)) {
        for (const cache of caches) {
          const filter = coveringFilter(rule, cache.prefix);
          if (filter === false) continue;
          const key = `${node.node.path} ${rule.profile} ${cache.node.node.path}`;
          if (seen.has(key)) continue;
          seen.add(key);
          warnings.push({ scope: ownerOf(node), id: SIGNING_COVERS_CACHE_WARNING, message: message(rule, filter, cache) });
        }
      }
    }
  }
  // Declaration order does not show: by construct, then message.
  return warnings.sort((a, b) => compare(a.scope.node.path, b.scope.node.path) || compare(a.message, b.message));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function message(rule: SigningRuleRead, filter: string | undefined, cache: CacheRead): string {
  const covers = filter === undefined ? 'has no repository filter, so it covers' : `has the filter '${filter}', which covers`;
  const where = cache.prefix === ROOT_PREFIX ? 'with the prefix ROOT (every cached repository, under its upstream name)' : `under '${cache.prefix}/'`;
  return `The signing rule for ${rule.profile} ${covers} the repositories that pull-through cache rule '${ownerOf(cache.node).node.path}' creates ${where}. `
    + 'ECR pushes cached images with its pull-through cache service-linked role (AWSServiceRoleForECRPullThroughCache), and managed signing signs with the identity of the pusher, '
    + 'but that role\'s managed policy has no signer:SignPayload (aws/containers-roadmap#2830): signing fails for cached images and caching into those repositories breaks. '
    + `Signing filters cannot exclude a prefix, so give the rule filters that name only your own repositories (for example 'platform/*' instead of '*'), none of which matches ${cache.prefix === ROOT_PREFIX ? 'a cached repository' : `'${cache.prefix}/...'`}.`;
}

/**
 * The filter of a rule that covers some repository under a cache prefix
 * (undefined as the filter when the rule has none), or undefined when no
 * filter does. A WILDCARD_MATCH filter matches a name under `P/` exactly when
 * one of two names it matches starts with `P/`: the filter without its `*`,
 * or `P/` followed by what comes after its first `*` (that `*` taking the
 * rest of `P/`). With the ROOT prefix, cached repositories keep their
 * upstream names, so only a rule that covers every name is known to cover them.
 */
function coveringFilter(rule: SigningRuleRead, prefix: string): string | undefined | false {
  if (rule.filters === undefined) return undefined;
  for (const f of rule.filters) {
    if (prefix === ROOT_PREFIX) {
      if (f.replace(/\*/g, '') === '') return f;
      continue;
    }
    const namePrefix = `${prefix}/`;
    const star = f.indexOf('*');
    const candidates = [f.replace(/\*/g, '')];
    if (star >= 0) candidates.push(namePrefix + f.slice(star + 1).replace(/\*/g, ''));
    if (candidates.some((c) => c.startsWith(namePrefix) && wildcardMatches(f, c))) return f;
  }
  return false as const;
}

/** The pull-through cache rules of a stack with a prefix known at synth. */
function cachesOf(stack: Stack): CacheRead[] {
  const out: CacheRead[] = [];
  for (const node of stack.node.findAll()) {
    if (!(node instanceof ecr.CfnPullThroughCacheRule) || Stack.of(node) !== stack) continue;
    const prefix = tryResolve(stack, node.ecrRepositoryPrefix);
    if (typeof prefix !== 'string') continue;
    out.push({ node, prefix: prefix === ROOT_PREFIX ? prefix : normalizePrefix(prefix) });
  }
  return out;
}

/** The rules of a signing configuration as synthesized; rules or filters not known at synth are left out. */
function signingRulesOf(node: ecr.CfnSigningConfiguration): SigningRuleRead[] {
  const stack = Stack.of(node);
  const rules = tryResolve(stack, node.rules);
  if (!Array.isArray(rules)) return [];
  const out: SigningRuleRead[] = [];
  for (const r of rules) {
    if (!r || typeof r !== 'object') continue;
    const arn = r.signingProfileArn ?? r.SigningProfileArn;
    const profile = typeof arn === 'string' ? arn : JSON.stringify(arn);
    const filters = r.repositoryFilters ?? r.RepositoryFilters;
    if (filters === undefined || (Array.isArray(filters) && filters.length === 0)) {
      out.push({ profile, filters: undefined });
      continue;
    }
    if (!Array.isArray(filters)) continue;
    const literal = filters.map((f: any) => f?.filter ?? f?.Filter).filter((f: unknown): f is string => typeof f === 'string');
    if (literal.length > 0) out.push({ profile, filters: literal });
  }
  return out;
}
