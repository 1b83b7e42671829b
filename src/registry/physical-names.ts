import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CREDENTIAL_SECRET_PREFIX, EcrType, normalizePrefix } from '../internal/ecr-facts';

/** A kind of physical name that must be unique per account and region. */
interface NameKind {
  readonly type: string;
  /** The property holding the name. */
  readonly property: string;
  /** What the name is called in messages. */
  readonly what: string;
  /** The name as ECR compares it, or undefined when this resource is not checked. */
  readonly key: (name: string) => string | undefined;
  /** What happens and what to do. */
  readonly advice: string;
}

const KINDS: NameKind[] = [
  {
    type: EcrType.REPOSITORY,
    property: 'repositoryName',
    what: 'repository name',
    key: (n) => n,
    advice: 'a registry holds one repository per name, so CloudFormation would fail to create the second. Rename one, or declare the repository once',
  },
  {
    type: EcrType.PUBLIC_REPOSITORY,
    property: 'repositoryName',
    what: 'public repository name',
    key: (n) => n,
    advice: 'a public registry holds one repository per name, so CloudFormation would fail to create the second. Rename one, or declare the repository once',
  },
  {
    type: EcrType.REPOSITORY_CREATION_TEMPLATE,
    property: 'prefix',
    what: 'repository creation template prefix',
    key: normalizePrefix, // ECR reads 'team' and 'team/' as one prefix
    advice: 'ECR keeps one template per prefix and registry, so CloudFormation would fail to create the second. Declare the template once (a pull-through cache rule creates one for its prefix unless createTemplate is false)',
  },
  {
    type: EcrType.PULL_THROUGH_CACHE_RULE,
    property: 'ecrRepositoryPrefix',
    what: 'pull-through cache prefix',
    key: normalizePrefix,
    advice: 'ECR keeps one pull-through cache rule per prefix and registry, so CloudFormation would fail to create the second. Give one another ecrRepositoryPrefix',
  },
  {
    type: 'AWS::SecretsManager::Secret',
    property: 'name',
    what: 'pull-through cache credential secret name',
    key: (n) => (n.startsWith(CREDENTIAL_SECRET_PREFIX) ? n : undefined),
    advice: 'Secrets Manager keeps one secret per name, so CloudFormation would fail to create the second. Give one another secretName, or let the second rule read the first rule\'s secret with PullThroughCacheCredentials.fromSecret(rule.credentialsSecret)',
  },
];

/** Roots whose name check is registered, keyed by the tree (never process-global state). */
const registered = new WeakSet<IConstruct>();

/**
 * Registers, once per construct tree, the app-level check that no two
 * resources of the same account and region (or of one stack, when its
 * environment is unknown) use the same physical name: repository names,
 * creation template prefixes, pull-through cache prefixes and credential
 * secret names. Each clash is reported once, naming every construct.
 *
 * @internal
 */
export function checkPhysicalNames(scope: IConstruct): void {
  const root = scope.node.root;
  if (registered.has(root)) return;
  registered.add(root);
  root.node.addValidation({ validate: () => physicalNameClashes(root) });
}

/** Every clash of physical names in a construct tree, one message per clash. @internal */
export function physicalNameClashes(root: IConstruct): string[] {
  const kinds = new Map(KINDS.map((k) => [k.type, k]));
  const owners = new Map<string, { kind: NameKind; name: string; where: string; nodes: IConstruct[] }>();
  // A stack's account and region, resolved once per stack (a fleet's stack holds hundreds of names).
  const scopes = new Map<Stack, { scopeKey: string; where: string }>();
  const scopeOf = (stack: Stack) => {
    let scope = scopes.get(stack);
    if (!scope) {
      const env = stack.resolve(stack.account);
      const region = stack.resolve(stack.region);
      const concrete = typeof env === 'string' && typeof region === 'string';
      scope = {
        scopeKey: concrete ? `${env}/${region}` : `stack ${stack.node.path}`,
        where: concrete ? `account ${env}, region ${region}` : `stack '${stack.node.path}' (no concrete account and region, so only this stack is checked)`,
      };
      scopes.set(stack, scope);
    }
    return scope;
  };
  for (const node of root.node.findAll()) {
    if (!CfnResource.isCfnResource(node)) continue;
    const kind = kinds.get(node.cfnResourceType);
    if (!kind) continue;
    const stack = Stack.of(node);
    const raw: unknown = (node as any)[kind.property];
    let name: unknown = raw;
    if (typeof raw !== 'string' || Token.isUnresolved(raw)) {
      try {
        name = stack.resolve(raw); // Lazy values are known at synth
      } catch {
        continue;
      }
    }
    if (typeof name !== 'string') continue; // unknown until deploy
    const key = kind.key(name);
    if (key === undefined) continue;
    const { scopeKey, where } = scopeOf(stack);
    const id = `${kind.type} ${scopeKey} ${key}`;
    const entry = owners.get(id);
    if (entry) entry.nodes.push(node);
    else owners.set(id, { kind, name: key, where, nodes: [node] });
  }
  const errors: string[] = [];
  for (const { kind, name, where, nodes } of owners.values()) {
    if (nodes.length < 2) continue;
    const names = nodes.map((n) => `'${ownerPath(n)}'`);
    const list = names.length === 2 ? `${names[0]} and ${names[1]}` : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
    errors.push(`${kind.what} '${name}' is used by ${list} in ${where}: ${kind.advice}.`);
  }
  return errors;
}

/** The path of the construct a user declared: the L2 around a `Resource` L1. */
function ownerPath(node: IConstruct): string {
  const parent = node.node.scope;
  if (node.node.id === 'Resource' && parent && parent.node.path) return parent.node.path;
  return node.node.path;
}
