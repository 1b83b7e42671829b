import { CfnResource, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { IConstruct } from 'constructs';
import { ownerOf, tryResolve } from './app-checks';
import { AppRegistries, registryKeyOf, warnOnce } from './app-registries';
import { EncryptionType } from '../internal/ecr-facts';

/*
 * Blob mounting and encryption (ECR User Guide, "Blob mounting in Amazon
 * ECR"): ECR mounts a layer only within one registry (account and region),
 * between repositories with the same encryption type and key, and never for
 * images created by a pull-through cache. A registry whose repositories use
 * several keys mounts nothing between them: pushes upload those layers again.
 */

/** The warning's ID. @internal */
export const BLOB_MOUNTING_KEYS_WARNING = 'cdk-ecr-platform:blobMountingMixedKeys';

/** Repositories named per encryption in the message; the rest are counted. */
const NAMED_PER_ENCRYPTION = 3;

/** Constructs whose check is registered (weak, per construct). */
const registered = new WeakSet<IConstruct>();

/**
 * Registers the check of the repositories of the registry of `settings`
 * (the construct that enables blob mounting): when the app's repositories of
 * that account and region (every stack with the same concrete account and
 * region, or the stack alone when its environment is not known) use more than
 * one encryption type or key, a warning on `settings` lists them.
 *
 * Counted: `AWS::ECR::Repository` resources (PrivateRepository, fleet shards,
 * aws-cdk-lib's Repository, raw L1s) and repository creation templates
 * applied for REPLICATION or CREATE_ON_PUSH, whose repositories get the
 * template's encryption. Templates applied only for PULL_THROUGH_CACHE are
 * not: cached images are never mounted. An encryption that cannot be decided
 * at synth (a key named by an alias, imported, or a token that is not a KMS
 * key of the app) is left out rather than guessed.
 *
 * @internal
 */
export function checkBlobMountingKeys(settings: IConstruct): void {
  if (registered.has(settings)) return;
  registered.add(settings);
  settings.node.addValidation({
    validate: () => {
      const warning = blobMountingWarning(settings);
      if (warning !== undefined) warnOnce(settings, { id: BLOB_MOUNTING_KEYS_WARNING, message: warning });
      return [];
    },
  });
}

/** One encryption in use, with what uses it. */
interface EncryptionUse {
  readonly label: string;
  readonly users: string[];
}

/** The warning for the registry of `settings`, or undefined when its repositories share one encryption. @internal */
export function blobMountingWarning(settings: IConstruct): string | undefined {
  const stack = Stack.of(settings);
  const uses = new Map<string, EncryptionUse>();
  for (const s of AppRegistries.of(stack).registryStacks(stack)) {
    for (const node of s.node.findAll()) {
      if (!CfnResource.isCfnResource(node) || Stack.of(node) !== s) continue;
      const use = encryptionUse(node);
      if (use === undefined) continue;
      const entry = uses.get(use.key) ?? { label: use.label, users: [] };
      entry.users.push(use.user);
      uses.set(use.key, entry);
    }
  }
  if (uses.size < 2) return undefined;
  const key = registryKeyOf(stack);
  const where = key === undefined
    ? `stack '${stack.node.path}' (no concrete account and region, so only this stack is checked)`
    : `account ${stack.account}, region ${stack.region}`;
  const listed = [...uses.values()]
    .sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
    .map((u) => `${u.label}: ${describeUsers(u.users)}`);
  return `Blob mounting is enabled, but the repositories of ${where} in this app use ${uses.size} encryption configurations (${listed.join('; ')}). `
    + 'ECR mounts a layer only between repositories of one registry with the same encryption type and key, so pushes upload again the layers that repositories of another configuration already hold. '
    + 'Give these repositories (and the creation templates of replicated or created-on-push repositories) one encryption type and key. '
    + 'Images cached by a pull-through cache rule are never mounted, whatever their encryption.';
}

function describeUsers(users: string[]): string {
  const sorted = [...new Set(users)].sort();
  const named = sorted.slice(0, NAMED_PER_ENCRYPTION).join(', ');
  const more = sorted.length - NAMED_PER_ENCRYPTION;
  return more > 0 ? `${named} and ${more} more` : named;
}

/** The encryption of a repository or creation template, keyed so that equal encryptions have equal keys; undefined when not decidable. */
function encryptionUse(node: CfnResource): { key: string; label: string; user: string } | undefined {
  const stack = Stack.of(node);
  let what: string;
  if (node instanceof ecr.CfnRepository) {
    what = `'${ownerOf(node).node.path}'`;
  } else if (node instanceof ecr.CfnRepositoryCreationTemplate) {
    const appliedFor = tryResolve(stack, node.appliedFor);
    if (!Array.isArray(appliedFor) || appliedFor.some((a) => typeof a !== 'string')) return undefined;
    if (appliedFor.every((a) => a === 'PULL_THROUGH_CACHE')) return undefined; // cached images are never mounted
    const prefix = tryResolve(stack, node.prefix);
    what = `creation template '${ownerOf(node).node.path}'${typeof prefix === 'string' ? ` (prefix '${prefix}')` : ''}`;
  } else {
    return undefined;
  }
  const encryption = encryptionOf(stack, node.encryptionConfiguration);
  return encryption && { ...encryption, user: what };
}

/** An encryption configuration as a key and a label, or undefined when not decidable at synth. */
function encryptionOf(stack: Stack, configuration: unknown): { key: string; label: string } | undefined {
  if (configuration === undefined) return { key: EncryptionType.AES256, label: EncryptionType.AES256 };
  const config = Token.isUnresolved(configuration) ? tryResolve(stack, configuration) : configuration;
  if (config === undefined || config === null) return { key: EncryptionType.AES256, label: EncryptionType.AES256 };
  if (typeof config !== 'object') return undefined;
  const c = config as Record<string, unknown>;
  const type = literal(stack, c.encryptionType ?? c.EncryptionType);
  if (type === undefined) return undefined;
  if (type === EncryptionType.AES256) return { key: type, label: type };
  const kmsKey = c.kmsKey ?? c.KmsKey;
  if (kmsKey === undefined) return { key: `${type} aws/ecr`, label: `${type} with the AWS managed key aws/ecr` };
  const key = keyIdentity(stack, kmsKey);
  return key && { key: `${type} ${key.key}`, label: `${type} with ${key.label}` };
}

/** A key of the app (by its construct) or a literal key ARN or ID; undefined for aliases and other unknowns. */
function keyIdentity(stack: Stack, kmsKey: unknown): { key: string; label: string } | undefined {
  if (typeof kmsKey === 'string' && Token.isUnresolved(kmsKey)) {
    const fragments = Tokenization.reverseString(kmsKey);
    const token = fragments.length === 1 ? fragments.firstToken : undefined;
    if (token && Reference.isReference(token) && CfnResource.isCfnResource(token.target) && token.target.cfnResourceType === 'AWS::KMS::Key') {
      const path = ownerOf(token.target).node.path;
      return { key: `construct:${path}`, label: `key '${path}'` };
    }
  }
  const value = literal(stack, kmsKey);
  if (value === undefined) return undefined;
  const arn = /^arn:[^:]+:kms:[^:]*:[^:]*:key\/(.+)$/.exec(value);
  const id = arn ? arn[1] : /^(mrk-)?[0-9a-f-]{32,36}$/i.test(value) ? value : undefined;
  return id === undefined ? undefined : { key: `id:${id.toLowerCase()}`, label: `key ${value}` };
}

/** A string known at synth, or undefined. */
function literal(stack: Stack, value: unknown): string | undefined {
  const resolved = typeof value === 'string' && !Token.isUnresolved(value) ? value : tryResolve(stack, value);
  return typeof resolved === 'string' ? resolved : undefined;
}
