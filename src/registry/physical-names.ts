import { CfnResource, Stack, Stage, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ownerOf } from './app-checks';
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
  /**
   * Whether two names known only at deploy are compared by their
   * CloudFormation expression (an imported value used twice). Not for
   * kinds whose key depends on the name's text.
   */
  readonly byExpression?: boolean;
}

const KINDS: NameKind[] = [
  {
    type: EcrType.REPOSITORY,
    property: 'repositoryName',
    what: 'repository name',
    byExpression: true,
    key: (n) => n,
    advice: 'a registry holds one repository per name, so CloudFormation would fail to create the second. Rename one, or declare the repository once',
  },
  {
    type: EcrType.PUBLIC_REPOSITORY,
    property: 'repositoryName',
    what: 'public repository name',
    byExpression: true,
    key: (n) => n,
    advice: 'a public registry holds one repository per name, so CloudFormation would fail to create the second. Rename one, or declare the repository once',
  },
  {
    type: EcrType.REPOSITORY_CREATION_TEMPLATE,
    property: 'prefix',
    what: 'repository creation template prefix',
    byExpression: true,
    key: normalizePrefix, // ECR reads 'team' and 'team/' as one prefix
    advice: 'ECR keeps one template per prefix and registry, so CloudFormation would fail to create the second. Declare the template once (a pull-through cache rule creates one for its prefix unless createTemplate is false)',
  },
  {
    type: EcrType.PULL_THROUGH_CACHE_RULE,
    property: 'ecrRepositoryPrefix',
    what: 'pull-through cache prefix',
    byExpression: true,
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

/** Stacks (and roots) whose name check is registered (never process-global state: weak, per construct). */
const registered = new WeakSet<IConstruct>();

/**
 * Registers the check that no two resources of the same account and region
 * (or of one stack, when its environment is unknown) use the same physical
 * name: repository names, creation template prefixes, pull-through cache
 * prefixes and credential secret names. The check looks at the whole app
 * once per synthesis; each clash is reported once, naming every construct,
 * by the stack of the last of them that registered the check (so that the
 * report points at a stack), or by the app when none did.
 *
 * @internal
 */
export function checkPhysicalNames(scope: IConstruct): void {
  const stack = Stack.of(scope);
  if (registered.has(stack)) return;
  registered.add(stack);
  stack.node.addValidation({ validate: () => clashesReportedBy(stack) });
  const root = stack.node.root;
  if (!registered.has(root)) {
    registered.add(root);
    root.node.addValidation({ validate: () => clashesReportedBy(root) });
  }
}

/**
 * The clashes of the synthesis under way, per stage being synthesized:
 * computed by the first validation of the pass that asks, and dropped after
 * it. A stage synthesized on its own (as CDK Pipelines does with each stage
 * it is given) gets a fresh answer that sees every construct declared so far.
 */
const passClashes = new WeakMap<IConstruct, Clash[]>();

function clashesReportedBy(reporter: IConstruct): string[] {
  const root = reporter.node.root;
  const stage = Stage.of(reporter) ?? root;
  let clashes = passClashes.get(stage);
  if (!clashes) {
    clashes = findClashes(root);
    passClashes.set(stage, clashes);
    // Synthesis is synchronous: the validations of one pass share the answer, a later synthesis gets a fresh one.
    queueMicrotask(() => passClashes.delete(stage));
  }
  return clashes.filter((c) => reporterOf(c, root) === reporter).map((c) => c.message);
}

/** The stack of the last construct of the clash that registered the check, else the app. */
function reporterOf(clash: Clash, root: IConstruct): IConstruct {
  for (let i = clash.nodes.length - 1; i >= 0; i--) {
    const stack = Stack.of(clash.nodes[i]);
    if (registered.has(stack)) return stack;
  }
  return root;
}

interface Clash {
  readonly nodes: IConstruct[];
  readonly message: string;
}

/** Every clash of physical names in a construct tree, one message per clash. @internal */
export function physicalNameClashes(root: IConstruct): string[] {
  return findClashes(root).map((c) => c.message);
}

function findClashes(root: IConstruct): Clash[] {
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
    let key: string | undefined;
    let scope: { scopeKey: string; where: string };
    let shown: string;
    if (typeof name === 'string') {
      key = kind.key(name);
      scope = scopeOf(stack);
      shown = `'${key}'`;
    } else {
      // Known only at deploy: the same expression is the same value within
      // one stack (a parameter, an attribute), and within one account and
      // region when it reads nothing of its stack (an imported value).
      if (!kind.byExpression || name === undefined || name === null) continue;
      key = `expression ${JSON.stringify(name)}`;
      scope = stackIndependent(name) ? scopeOf(stack) : { scopeKey: `stack ${stack.node.path}`, where: `stack '${stack.node.path}'` };
      shown = `${JSON.stringify(name)} (known at deploy, the same expression for each)`;
    }
    if (key === undefined) continue;
    const id = `${kind.type} ${scope.scopeKey} ${key}`;
    const entry = owners.get(id);
    if (entry) entry.nodes.push(node);
    else owners.set(id, { kind, name: shown, where: scope.where, nodes: [node] });
  }
  const clashes: Clash[] = [];
  for (const { kind, name, where, nodes } of owners.values()) {
    if (nodes.length < 2) continue;
    const names = nodes.map((n) => `'${ownerPath(n)}'`);
    const list = names.length === 2 ? `${names[0]} and ${names[1]}` : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
    clashes.push({ nodes, message: `${kind.what} ${name} is used by ${list} in ${where}: ${kind.advice}.` });
  }
  return clashes;
}

/** Pseudo parameters whose value is the same in every stack of one account and region. */
const ENVIRONMENT_PSEUDO_PARAMETERS = new Set(['AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'AWS::URLSuffix']);

/**
 * Whether a CloudFormation expression has the same value in every stack of
 * one account and region: built from literals, imported values and the
 * account's pseudo parameters only (no parameter, attribute or condition of
 * its stack).
 */
function stackIndependent(expression: unknown): boolean {
  if (expression === null || typeof expression !== 'object') return true;
  if (Array.isArray(expression)) return expression.every(stackIndependent);
  const entries = Object.entries(expression as Record<string, unknown>);
  if (entries.length !== 1) return false;
  const [fn, argument] = entries[0];
  if (fn === 'Ref') return typeof argument === 'string' && ENVIRONMENT_PSEUDO_PARAMETERS.has(argument);
  return ['Fn::ImportValue', 'Fn::Join', 'Fn::Select', 'Fn::Split'].includes(fn) && stackIndependent(argument);
}

/** The path of the construct a user declared: the L2 around a `Resource` L1. */
function ownerPath(node: IConstruct): string {
  return ownerOf(node).node.path;
}
