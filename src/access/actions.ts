/*
 * ECR's actions, from the IAM service authorization data (ecr-actions.generated.ts), and
 * what each one lets a principal do to a repository: pull, push, delete images,
 * administer, replicate into it. Action wildcards (`ecr:*`, `ecr:Batch*`, `*`) and
 * NotAction are expanded against that data, never against a hand-kept list.
 */
import { ECR_ACTIONS } from './ecr-actions.generated';
import { PULL_THROUGH_ACTIONS, REPLICATION_ACTIONS, UPSTREAM_PULL_ACTIONS } from '../internal/ecr-facts';
import { PULL_ACTIONS, PUSH_ACTIONS } from '../repository/access';

/** What a principal can do to a repository, in the report's order. @internal */
export type Capability = 'pull' | 'push' | 'delete' | 'admin' | 'replicate';
/** @internal */
export const CAPABILITIES: readonly Capability[] = ['pull', 'push', 'delete', 'admin', 'replicate'];

/** Every `ecr:` action, as IAM spells it. @internal */
export const ALL_ECR_ACTIONS: readonly string[] = ECR_ACTIONS.map((a) => `ecr:${a.name}`);
const CANONICAL = new Map(ALL_ECR_ACTIONS.map((a) => [a.toLowerCase(), a]));

/** The actions that act on a repository (resource type `repository`): what a repository's ARN can grant. @internal */
export const REPOSITORY_ACTIONS: ReadonlySet<string> = new Set(ECR_ACTIONS.filter((a) => a.resourceTypes.includes('repository')).map((a) => `ecr:${a.name}`));

/** Deleting images. @internal */
export const DELETE_IMAGE_ACTIONS: readonly string[] = ['ecr:BatchDeleteImage'];
const REPLICATE = [...new Set([...REPLICATION_ACTIONS, ...PULL_THROUGH_ACTIONS])];

/**
 * Administering a repository: every other action on the repository that changes it,
 * by its access level in the service authorization data (permissions management, tagging,
 * and the writes that put, set, update or delete its configuration or the repository).
 */
const ADMIN = ECR_ACTIONS
  .filter((a) => a.resourceTypes.includes('repository'))
  .filter((a) => /Permissions management|Tagging/.test(a.accessLevel) || (/Write/.test(a.accessLevel) && /^(Put|Set|Update|Delete)/.test(a.name)))
  .map((a) => `ecr:${a.name}`)
  .filter((a) => ![...PULL_ACTIONS, ...PUSH_ACTIONS, ...DELETE_IMAGE_ACTIONS, ...REPLICATE].includes(a));

/**
 * The actions of each capability, and which of them a principal needs:
 * - pull: PULL_ACTIONS; a pull needs the manifest and the layers (BatchGetImage,
 *   GetDownloadUrlForLayer: what Lambda and a pull-through cache's upstream need);
 * - push: PUSH_ACTIONS, all of them;
 * - delete, admin and replicate: any one of their actions.
 *
 * @internal
 */
export const CAPABILITY_ACTIONS: Readonly<Record<Capability, { readonly actions: readonly string[]; readonly needs: 'all' | 'any'; readonly required: readonly string[] }>> = {
  pull: { actions: PULL_ACTIONS, needs: 'all', required: UPSTREAM_PULL_ACTIONS },
  push: { actions: PUSH_ACTIONS, needs: 'all', required: PUSH_ACTIONS },
  delete: { actions: DELETE_IMAGE_ACTIONS, needs: 'any', required: DELETE_IMAGE_ACTIONS },
  admin: { actions: ADMIN, needs: 'any', required: ADMIN },
  replicate: { actions: REPLICATE, needs: 'any', required: REPLICATE },
};

/** The capabilities a set of allowed actions gives. @internal */
export function capabilitiesOf(actions: ReadonlySet<string>): Capability[] {
  return CAPABILITIES.filter((c) => {
    const { required, needs } = CAPABILITY_ACTIONS[c];
    return needs === 'all' ? required.every((a) => actions.has(a)) : required.some((a) => actions.has(a));
  });
}

/** The capabilities whose actions a set of actions touches at all (to say what a deny takes away). @internal */
export function capabilitiesTouched(actions: ReadonlySet<string>): Capability[] {
  return CAPABILITIES.filter((c) => CAPABILITY_ACTIONS[c].actions.some((a) => actions.has(a)));
}

const compiled = new Map<string, RegExp>();

/** A pattern of IAM's action grammar (`*` and `?`), case-insensitive, as a regular expression. @internal */
export function wildcardPattern(pattern: string, caseInsensitive = true): RegExp {
  const key = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  let re = compiled.get(key);
  if (re === undefined) {
    const body = pattern.replace(/[\\^$.|+()[\]{}*?]/g, (ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : `\\${ch}`));
    re = new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
    // policies repeat a few patterns across thousands of repositories
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(key, re);
  }
  return re;
}

const expanded = new Map<string, readonly string[]>();

/** The `ecr:` actions an Action pattern names (`*`, `ecr:*`, `ecr:Batch*`, `ecr:PutImage`); other services' actions name none. @internal */
export function expandAction(pattern: string): readonly string[] {
  let found = expanded.get(pattern);
  if (found === undefined) {
    const exact = CANONICAL.get(pattern.toLowerCase());
    if (exact !== undefined) {found = [exact];} else if (!/[*?]/.test(pattern)) {found = [];} else {
      const re = wildcardPattern(pattern);
      found = ALL_ECR_ACTIONS.filter((a) => re.test(a));
    }
    expanded.set(pattern, found);
  }
  return found;
}

/** The `ecr:` actions a statement's Action (or, negated, NotAction) names. @internal */
export function statementActions(patterns: readonly string[], negated: boolean): Set<string> {
  const named = new Set(patterns.flatMap(expandAction));
  return negated ? new Set(ALL_ECR_ACTIONS.filter((a) => !named.has(a))) : named;
}
