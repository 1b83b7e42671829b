import { Annotations, AspectPriority, Aspects, IAspect, Stack, Stage, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { IConstruct } from 'constructs';
import { checkAccountId, isConcrete, Problems } from '../internal/problems';
import { checkRegion, partitionOf } from '../internal/regions';
import { RegionOptions } from '../region-options';

/**
 * A registry named by its account and region: the destination of a
 * replication rule, or a private Amazon ECR upstream of a pull-through cache.
 * Account and region may be tokens (an upstream known only at synth);
 * `resolve` gives the literal registry once they are known.
 *
 * @internal
 */
export class RegistryRef {
  /**
   * Checks an account ID (12 digits) and a region name (its shape, and that
   * aws-cdk-lib knows it unless `allowUnknownRegion`). Skips tokens.
   */
  public static check(
    problems: Problems, labels: { account?: string; region: string }, account: string, region: string, options: RegionOptions = {},
  ): void {
    if (labels.account !== undefined) checkAccountId(problems, labels.account, account);
    checkRegion(problems, labels.region, region, options);
  }

  constructor(
    public readonly account: string,
    public readonly region: string,
  ) {}

  /** The partition of a known literal region (`aws`, `aws-cn`, ...), undefined otherwise. */
  public get partition(): string | undefined {
    return isConcrete(this.region) ? partitionOf(this.region) : undefined;
  }

  /** Whether account and region are both literal. */
  public get isConcrete(): boolean {
    return isConcrete(this.account) && isConcrete(this.region);
  }

  /** `ACCOUNT/REGION`: equal registries have equal keys. */
  public get key(): string {
    return `${this.account}/${this.region}`;
  }

  public equals(other: RegistryRef): boolean {
    return this.key === other.key;
  }

  /** The registry with values known at synth (Lazy) resolved, or undefined while one is still a token. */
  public resolve(scope: IConstruct): RegistryRef | undefined {
    if (this.isConcrete) return this;
    const stack = Stack.of(scope);
    const account = stack.resolve(this.account);
    const region = stack.resolve(this.region);
    if (typeof account !== 'string' || typeof region !== 'string' || !isConcrete(account) || !isConcrete(region)) return undefined;
    return new RegistryRef(account, region);
  }

  public toString(): string {
    return this.key;
  }
}

/** `ACCOUNT/REGION` of a stack's registry when both are literal. @internal */
export function registryKeyOf(stack: Stack): string | undefined {
  if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) return undefined;
  return `${stack.account}/${stack.region}`;
}

/**
 * The stacks of an app grouped by registry (literal account and region): the
 * one answer to "which stacks of this app write to the registry of account
 * X in region Y". Built with one walk of the tree; lookups are map reads.
 *
 * During synthesis one index per app serves every lookup of a phase (the
 * wiring pass, then validation); outside synthesis each `of` walks the tree
 * afresh, so a lookup never sees a tree older than the call.
 *
 * @internal
 */
export class AppRegistries {
  /** The index of the scope's app: shared within a synthesis phase, fresh otherwise. */
  public static of(scope: IConstruct): AppRegistries {
    const root = scope.node.root;
    const session = sessions.get(root);
    if (session === undefined) return new AppRegistries(root);
    session.index ??= new AppRegistries(root);
    return session.index;
  }

  /** The stacks of the app, in tree order (nested stacks and stacks of stages included). */
  public readonly stacks: Stack[] = [];
  private readonly byRegistry = new Map<string, Stack[]>();
  private readonly names = new Map<string, string[]>();
  private readonly memos = new WeakMap<object, Map<string, unknown>>();

  /**
   * @param root the app (or any root) to index
   * @param onNode called for every construct of the tree, for callers that index more in the same walk
   */
  constructor(root: IConstruct, onNode?: (node: IConstruct) => void) {
    const visit = (node: IConstruct) => {
      if (Stack.isStack(node)) {
        this.stacks.push(node);
        const key = registryKeyOf(node);
        if (key !== undefined) {
          const list = this.byRegistry.get(key);
          if (list) list.push(node);
          else this.byRegistry.set(key, [node]);
        }
      }
      onNode?.(node);
      for (const child of node.node.children) visit(child);
    };
    visit(root);
  }

  /** The stacks of a registry with a literal account and region, in tree order. */
  public stacksIn(account: string, region: string): Stack[] {
    return this.byRegistry.get(`${account}/${region}`) ?? [];
  }

  /** The stacks of a registry named by a reference; none while the reference holds a token. */
  public stacksOf(ref: RegistryRef): Stack[] {
    return ref.isConcrete ? this.stacksIn(ref.account, ref.region) : [];
  }

  /**
   * The stacks that write to the same registry as a stack: every stack with
   * the same literal account and region, or the stack alone when its
   * environment is not known.
   */
  public registryStacks(stack: Stack): Stack[] {
    const key = registryKeyOf(stack);
    return key === undefined ? [stack] : this.byRegistry.get(key) ?? [stack];
  }

  /**
   * A value about a construct (a stack's templates, say) computed once per
   * index, that is once per synthesis phase: many registries of a fleet ask
   * the same question about one destination stack.
   */
  public memo<T>(owner: object, key: string, compute: () => T): T {
    let values = this.memos.get(owner);
    if (!values) this.memos.set(owner, values = new Map());
    if (!values.has(key)) values.set(key, compute());
    return values.get(key) as T;
  }

  /**
   * The literal names of the private repositories (`AWS::ECR::Repository`)
   * of a stack's registry in the app, sorted.
   */
  public repositoryNames(stack: Stack): string[] {
    const key = registryKeyOf(stack);
    const cached = key === undefined ? undefined : this.names.get(key);
    if (cached) return cached;
    const names = new Set<string>();
    for (const s of this.registryStacks(stack)) {
      for (const node of s.node.findAll()) {
        if (node instanceof ecr.CfnRepository && Stack.of(node) === s && isConcrete(node.repositoryName)) names.add(node.repositoryName!);
      }
    }
    const sorted = [...names].sort();
    if (key !== undefined) this.names.set(key, sorted);
    return sorted;
  }
}

/** The index shared by the lookups of one synthesis phase, per app. */
const sessions = new WeakMap<IConstruct, { index?: AppRegistries }>();

/** Starts a synthesis phase of an app: lookups from now on share one fresh index. */
function startPhase(root: IConstruct): void {
  sessions.set(root, {});
}

/**
 * A path from the registry of a construct's stack to another registry that
 * must grant it something in its registry policy (cross-account replication,
 * ECR-to-ECR pull-through cache).
 *
 * @internal
 */
export interface CrossAccountPath {
  /** The construct that declared the path; it receives the warnings. */
  readonly scope: IConstruct;
  /** The other registry. */
  readonly target: RegistryRef;
  /** Adds the grant to the registry policy of a stack of the target registry. */
  readonly grant: (targetStack: Stack, sourceAccount: string) => void;
  /** The warning when the source stack has no literal account. */
  readonly sourceUnknown: { readonly id: string; readonly message: string };
  /** The warning when no stack of the target registry is in the app. */
  readonly targetOutsideApp: (sourceAccount: string) => { readonly id: string; readonly message: string };
}

/**
 * Wires one cross-account path: the grant in the first stack of the target
 * registry in the app, or a warning when the source account is not known or
 * the target registry is not in the app. Each warning is given once per
 * construct and message.
 *
 * @internal
 */
export function wireCrossAccount(registries: AppRegistries, path: CrossAccountPath): void {
  const source = Stack.of(path.scope);
  if (!isConcrete(source.account)) {
    warnOnce(path.scope, path.sourceUnknown);
    return;
  }
  const target = path.target.resolve(path.scope);
  if (target && target.account === source.account) return; // same account: no registry policy needed
  const stacks = target ? registries.stacksOf(target) : [];
  if (stacks.length > 0) {
    path.grant(stacks[0], source.account);
  } else {
    warnOnce(path.scope, path.targetOutsideApp(source.account));
  }
}

const warned = new WeakMap<IConstruct, Set<string>>();

/**
 * Gives a warning on a construct once per message, however many synthesis
 * passes or checks ask for it.
 *
 * @internal
 */
export function warnOnce(scope: IConstruct, warning: { id: string; message: string }): void {
  const seen = warned.get(scope) ?? new Set<string>();
  warned.set(scope, seen);
  if (seen.has(warning.message)) return;
  seen.add(warning.message);
  Annotations.of(scope).addWarningV2(warning.id, warning.message);
}

/** Something that takes part in the wiring pass. @internal */
export interface IWired {
  /** Wires its cross-account paths and gives its app-wide warnings. */
  _wire(registries: AppRegistries): void;
}

interface Pass {
  readonly members: (IWired & IConstruct)[];
}

const passes = new WeakMap<IConstruct, Pass>();
/** Stages whose synthesis phases start a fresh index. */
const tracked = new WeakSet<IConstruct>();
/** Apps whose wiring pass is running (constructs it creates do not register again). */
const running = new WeakSet<IConstruct>();

/**
 * Makes the lookups of the synthesis of the scope's stage (the app, or a
 * stage within it) share one index per phase: the aspects phase and the
 * validation phase each start from a fresh walk of the tree. Call it while
 * the app is built, from every construct that looks up registries at
 * synthesis.
 *
 * @internal
 */
export function trackSynthesis(scope: IConstruct): void {
  const stage = Stage.of(scope);
  const anchor: IConstruct = stage ?? scope.node.root;
  if (tracked.has(anchor) || running.has(scope.node.root)) return;
  tracked.add(anchor);
  const root = scope.node.root;
  // Validation visits the stage first, before any construct that looks up.
  anchor.node.addValidation({ validate: () => { startPhase(root); return []; } });
  pass(anchor);
}

/**
 * Adds a construct to the one wiring pass of its stage: an aspect of the
 * stage that, when the app is complete (before any stack is visited, so that
 * the order in which stacks are declared does not matter), starts a fresh
 * index and wires every member in tree order.
 *
 * @internal
 */
export function addToWiringPass(member: IWired & IConstruct): void {
  trackSynthesis(member);
  const stage = Stage.of(member);
  pass(stage ?? member.node.root).members.push(member);
}

function pass(anchor: IConstruct): Pass {
  let p = passes.get(anchor);
  if (p === undefined) {
    p = { members: [] };
    passes.set(anchor, p);
    // MUTATING: the pass adds registry policy statements, which read-only aspects should see.
    Aspects.of(anchor).add(new WiringPass(anchor, p), { priority: AspectPriority.MUTATING });
  }
  return p;
}

/** The one aspect per stage that wires every cross-account path of the app. */
class WiringPass implements IAspect {
  constructor(private readonly anchor: IConstruct, private readonly members: Pass) {}
  public visit(node: IConstruct): void {
    if (node !== this.anchor) return;
    const root = node.node.root;
    // Members are wired in tree order, the order in which aspects visit them.
    const members = new Set<IConstruct>(this.members.members);
    const ordered: IWired[] = [];
    const registries = new AppRegistries(root, (c) => {
      if (members.has(c)) ordered.push(c as unknown as IWired);
    });
    sessions.set(root, { index: registries });
    running.add(root);
    try {
      for (const member of ordered) member._wire(registries);
    } finally {
      running.delete(root);
    }
  }
}
