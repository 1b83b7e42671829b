import { FeatureFlags, IResolvable, IResolveContext, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IAM_MINIMIZE_POLICIES } from 'aws-cdk-lib/cx-api';
import { Construct, IConstruct } from 'constructs';
import { policyPushers, RepositoryAccess } from './access';
import { defaultRepositoryEncryption, ImageEncryption } from './encryption';
import { concretePolicyLength } from '../internal/policy-text';

/*
 * What repositories of one stack share, computed once: the default
 * encryption with the stack's key, and the renderings of repository policies
 * made of the same statements of the library's access factories. A fleet of
 * thousands of repositories with one organization's pull access then renders
 * and measures one policy, not thousands. Every cache is keyed by stack (or by
 * frozen statement) in a WeakMap, so nothing outlives an App.
 */

const stackEncryptions = new WeakMap<Stack, ImageEncryption>();
/** Per stack, the default encryption with the stack's shared key (one object for all its repositories). @internal */
export function stackEncryption(scope: Construct): ImageEncryption {
  const stack = Stack.of(scope);
  let encryption = stackEncryptions.get(stack);
  if (!encryption) {
    encryption = defaultRepositoryEncryption(stack);
    stackEncryptions.set(stack, encryption);
  }
  return encryption;
}

/**
 * A repository policy document, resolved once per stack for every document
 * made of the same shared statements (frozen, from the library's access
 * factories, without tokens): thousands of repositories with one
 * organization's pull access render one policy. A document with any other
 * statement (a grant, a statement of the user's own) resolves as usual.
 *
 * @internal
 */
export class RepositoryPolicyText implements IResolvable {
  public readonly creationStack: string[] = [];
  constructor(private readonly document: iam.PolicyDocument, private readonly statements: iam.PolicyStatement[]) {}

  public resolve(context: IResolveContext): any {
    const statements = this.statements;
    // Statements added to the document some other way make it a document of its own.
    if (statements.length !== this.document.statementCount || !statements.every((st) => sharedStatementSet.has(st))) return this.document;
    const stack = Stack.of(context.scope);
    // The document is resolved in the stack's scope: only where the resource sees the same policy minimization.
    const minimize = (scope: IConstruct) => FeatureFlags.of(scope).isEnabled(IAM_MINIMIZE_POLICIES);
    if (minimize(context.scope) !== minimize(stack)) return this.document;
    return perStackAndStatements(resolvedPolicies, stack, statements, () => stack.resolve(this.document));
  }

  public toString(): string {
    return Token.asString(this);
  }
}
/**
 * The rendering of a repository policy made only of shared statements
 * (frozen, without tokens), as a plain value the resource can hold instead of
 * a token: one rendering per stack and set of statements, frozen, and only
 * where it is the same with and without IAM policy minimization, so that it is
 * what the document renders in any scope. Undefined otherwise: the resource
 * then keeps the token, which renders the document where it is resolved.
 *
 * A plain value costs synthesis nothing beyond copying it, where a token is
 * resolved (and its result walked again) each of the three times aws-cdk-lib
 * reads the resource's properties (references, template, tree).
 *
 * @internal
 */
export function sharedRendering(scope: IConstruct, document: iam.PolicyDocument | undefined, statements: iam.PolicyStatement[]): unknown {
  // Without a document, every statement is in the list (the document is made from it when needed).
  if ((document && statements.length !== document.statementCount) || !statements.every((st) => sharedStatementSet.has(st))) return undefined;
  const stack = Stack.of(scope);
  const rendering = perStackAndStatements(sharedRenderings, stack, statements, () => {
    const render = (minimize: boolean) => stack.resolve(new iam.PolicyDocument({ minimize, statements }));
    const plain = render(false);
    return JSON.stringify(plain) === JSON.stringify(render(true)) ? deepFreeze(plain) : null;
  });
  return rendering ?? undefined;
}

/** A value computed once per stack and list of shared statements, kept in `cache`. */
function perStackAndStatements<T>(cache: WeakMap<Stack, Map<string, T>>, stack: Stack, statements: iam.PolicyStatement[], compute: () => T): T {
  let byStatements = cache.get(stack);
  if (!byStatements) {
    byStatements = new Map();
    cache.set(stack, byStatements);
  }
  const key = statements.map((st) => statementIds.get(st)).join(',');
  let value = byStatements.get(key);
  if (value === undefined) {
    value = compute();
    byStatements.set(key, value);
  }
  return value;
}
/** The length of a shared rendering as ECR receives it, measured once per rendering. @internal */
export function renderedLength(scope: IConstruct, rendering: unknown): number {
  let length = renderedLengths.get(rendering as object);
  if (length === undefined) {
    length = concretePolicyLength(scope, rendering);
    renderedLengths.set(rendering as object, length);
  }
  return length;
}
const renderedLengths = new WeakMap<object, number>();

/** Per stack: plain renderings of policies by their shared statements, or null where minimization changes them. */
const sharedRenderings = new WeakMap<Stack, Map<string, unknown>>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Shared statements without tokens, each with a number for cache keys. */
const sharedStatementSet = new WeakSet<iam.PolicyStatement>();
const statementIds = new WeakMap<iam.PolicyStatement, number>();
let nextStatementId = 0;
/** Per stack: resolved repository policies by their shared statements. */
const resolvedPolicies = new WeakMap<Stack, Map<string, unknown>>();

/** The statements of an access, built once and frozen, and whether they passed the repository policy checks. @internal */
export interface SharedStatements {
  readonly statements: iam.PolicyStatement[];
  /** Per statement, the principals it lets push (`ecr:PutImage`), or undefined. */
  readonly pushers: (readonly string[] | undefined)[];
  checked: boolean;
}
/** Per access: its shared statements, or null for statements of the user's own (`RepositoryAccess.fromStatement`). */
const sharedAccessStatements = new WeakMap<RepositoryAccess, SharedStatements | null>();

/**
 * The statements of an access that the library's factories build, built and
 * frozen once and checked once (by the first repository that uses them): an
 * access shared by thousands of repositories (an organization's pull access
 * in a catalog's defaults) then costs one set of statements and one check.
 * Frozen statements cannot change, so the check holds for every repository.
 * A statement of the user's own (`RepositoryAccess.fromStatement`, which
 * hands out the same object on every call) stays theirs: not frozen, and
 * checked on every use, as it may change between uses.
 *
 * @internal
 */
export function sharedStatements(access: RepositoryAccess): SharedStatements | undefined {
  let shared = sharedAccessStatements.get(access);
  if (shared === undefined) {
    const statements = access._statements();
    const again = access._statements();
    const ownedByUser = statements.some((statement, i) => statement === again[i]);
    const frozen = ownedByUser ? [] : statements.map((statement) => statement.freeze());
    shared = ownedByUser ? null : {
      statements: frozen,
      pushers: frozen.map(policyPushers),
      checked: false,
    };
    for (const statement of shared?.statements ?? []) {
      if (Token.isUnresolved(JSON.stringify(statement.toStatementJson()))) continue;
      sharedStatementSet.add(statement);
      statementIds.set(statement, nextStatementId++);
    }
    sharedAccessStatements.set(access, shared);
  }
  return shared ?? undefined;
}
