import { Annotations, Aspects, IAspect, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { ReplicationDestination, ReplicationRuleOptions } from './replication';
import {
  destinationKey,
  destinationProblems,
  filterProblems,
  MAX_DESTINATIONS,
  MAX_FILTERS_PER_RULE,
  MAX_REPLICATION_RULES,
} from './replication-checks';
import { guard, instanceOf, listOf, OBJECT, optional, STRING, struct } from '../internal/input';
import { openAccessProblems } from '../internal/policy';
import { checkAccountId, isConcrete, Problems } from '../internal/problems';
import { checkNowAndAtSynth } from '../internal/resolve';

/** The construct ID of a stack's registry. */
const REGISTRY_ID = 'EcrRegistry';

/** Resource types ECR keeps once per account and region. */
const REGISTRY_POLICY = 'AWS::ECR::RegistryPolicy';
const REPLICATION_CONFIGURATION = 'AWS::ECR::ReplicationConfiguration';

/** What the destination of a cross-account replication must allow the source account. */
const REPLICATION_ACTIONS = ['ecr:CreateRepository', 'ecr:ReplicateImage'];

interface Rule {
  readonly destinations: ReplicationDestination[];
  /** PREFIX_MATCH filters; undefined when the rule replicates every repository. */
  filters: string[] | undefined;
}

/**
 * The Amazon ECR private registry of a stack's account and region.
 *
 * ECR keeps one registry policy and one replication configuration per
 * account and region. Constructs contribute statements and replication rules
 * to the stack's registry, which renders each resource once, lazily, and only
 * when something was contributed. Synthesis fails when two stacks of the same
 * account and region both render one of these resources (they would overwrite
 * each other); an environment-agnostic stack that renders one gets a warning.
 *
 * @example
 * const registry = Registry.of(this);
 * registry.addReplicationRule({
 *   destinations: [ReplicationDestination.of('222222222222', 'eu-west-1')],
 *   repositoryFilters: ['platform/'],
 * });
 */
export class Registry extends Construct {
  /**
   * The registry of the scope's stack, created on first use.
   */
  public static of(scope: IConstruct): Registry {
    guard('Registry.of', { scope: [scope, OBJECT] });
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(REGISTRY_ID);
    if (existing) return existing as Registry;
    return new Registry(stack, REGISTRY_ID);
  }

  /** The registry policy resource, once a statement was added. */
  public cfnRegistryPolicy?: ecr.CfnRegistryPolicy;
  /** The replication configuration resource, once a rule was added. */
  public cfnReplicationConfiguration?: ecr.CfnReplicationConfiguration;

  private readonly stack: Stack;
  private policyDocument?: iam.PolicyDocument;
  private readonly replicationSources = new Set<string>();
  private readonly pullThroughCacheAccounts = new Set<string>();
  private readonly rules = new Map<string, Rule>();
  /** Resource kinds this registry renders, for the app-wide clash check. */
  private readonly rendered = new Map<string, string>();
  private wiringAdded = false;
  private readonly warnedDestinations = new Set<string>();

  private constructor(scope: Stack, id: string) {
    super(scope, id);
    this.stack = scope;
    this.node.addValidation({ validate: () => this.clashes() });
  }

  /** The account of the registry (a token for an environment-agnostic stack). */
  public get account(): string {
    return this.stack.account;
  }

  /** The region of the registry (a token for an environment-agnostic stack). */
  public get region(): string {
    return this.stack.region;
  }

  /**
   * The ARN pattern of this registry's repositories whose names start with a
   * prefix: `arn:PARTITION:ecr:REGION:ACCOUNT:repository/PREFIX*`.
   *
   * @param prefix the repository name prefix. @default - every repository
   */
  public arnForRepositories(prefix?: string): string {
    guard(`Registry.arnForRepositories '${this.node.path}'`, { prefix: [prefix, optional(STRING)] });
    return this.stack.formatArn({ service: 'ecr', resource: 'repository', resourceName: `${prefix ?? ''}*` });
  }

  /**
   * Adds a statement to the registry policy (`AWS::ECR::RegistryPolicy`).
   *
   * The statement must name a principal, `ecr:` actions without wildcards
   * and the repositories it applies to (`arnForRepositories()`); a `*`
   * principal needs an account or organization condition.
   */
  public addToPolicy(statement: iam.PolicyStatement): void {
    guard(`Registry.addToPolicy '${this.node.path}'`, { statement: [statement, instanceOf(iam.PolicyStatement)] });
    const problems = new Problems(`Registry '${this.node.path}'`);
    problems.addAll(registryStatementProblems(this.stack, statement));
    problems.throwIfAny();
    this.ensurePolicy().addStatements(statement);
  }

  /**
   * Lets another account replicate its images into this registry: adds
   * `ecr:CreateRepository` and `ecr:ReplicateImage` on every repository of
   * this registry for that account to the registry policy. Use it in the
   * destination stack when the source is not in the same app; when it is,
   * `addReplicationRule` and `PrivateRepository.replicateTo` add it for you.
   *
   * ECR documents no condition key for the source region, so the grant covers
   * every region of the source account.
   *
   * @param sourceAccount the account that replicates into this registry
   */
  public allowReplicationFrom(sourceAccount: string): void {
    guard(`Registry.allowReplicationFrom '${this.node.path}'`, { sourceAccount: [sourceAccount, STRING] });
    const problems = new Problems(`Registry '${this.node.path}'`);
    checkAccountId(problems, 'sourceAccount', sourceAccount);
    if (isConcrete(sourceAccount) && isConcrete(this.account) && sourceAccount === this.account) {
      problems.add(`sourceAccount '${sourceAccount}' is this registry's own account: replication within an account needs no registry policy`);
    }
    problems.throwIfAny();
    if (this.replicationSources.has(sourceAccount)) return;
    this.replicationSources.add(sourceAccount);
    const sid = isConcrete(sourceAccount) ? `ReplicationFrom${sourceAccount}` : undefined;
    this.addToPolicy(new iam.PolicyStatement({
      sid,
      principals: [new iam.AccountPrincipal(sourceAccount)],
      actions: REPLICATION_ACTIONS,
      resources: [this.arnForRepositories()],
    }));
  }

  /**
   * Lets another account cache this registry's images with an ECR-to-ECR
   * pull-through cache rule: adds `ecr:BatchGetImage` and
   * `ecr:GetDownloadUrlForLayer` on this registry's repositories under the
   * prefix for that account to the registry policy (which needs the V2
   * registry policy scope, the default for new registries). Use it in the
   * upstream stack when the cache is not in the same app; when it is,
   * `PullThroughCacheRule` adds it for you.
   *
   * @param cacheAccount the account whose pull-through cache pulls from this registry
   * @param repositoryPrefix the upstream repository prefix the cache reads. @default - every repository
   */
  public allowPullThroughCacheFrom(cacheAccount: string, repositoryPrefix?: string): void {
    guard(`Registry.allowPullThroughCacheFrom '${this.node.path}'`, { cacheAccount: [cacheAccount, STRING], repositoryPrefix: [repositoryPrefix, optional(STRING)] });
    const problems = new Problems(`Registry '${this.node.path}'`);
    checkAccountId(problems, 'cacheAccount', cacheAccount);
    if (isConcrete(cacheAccount) && isConcrete(this.account) && cacheAccount === this.account) {
      problems.add(`cacheAccount '${cacheAccount}' is this registry's own account: a cache within an account needs no registry policy`);
    }
    problems.throwIfAny();
    const prefix = repositoryPrefix === undefined || repositoryPrefix === 'ROOT' ? undefined : `${repositoryPrefix.replace(/\/$/, '')}/`;
    const key = `${cacheAccount} ${prefix ?? ''}`;
    if (this.pullThroughCacheAccounts.has(key)) return;
    this.pullThroughCacheAccounts.add(key);
    const sid = isConcrete(cacheAccount) && isConcrete(prefix ?? '') ? `PullThroughCacheFrom${cacheAccount}${(prefix ?? '').replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 100) : undefined;
    this.addToPolicy(new iam.PolicyStatement({
      sid,
      principals: [new iam.AccountPrincipal(cacheAccount)],
      actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      resources: [this.arnForRepositories(prefix)],
    }));
  }

  /**
   * Adds a replication rule to the registry's replication configuration
   * (`AWS::ECR::ReplicationConfiguration`). Rules with the same set of
   * destinations are merged into one. A destination in another account gets
   * the registry policy statement it needs when a stack of that account and
   * region is in the same app.
   */
  public addReplicationRule(options: ReplicationRuleOptions): void {
    guard(`Registry.addReplicationRule '${this.node.path}'`, {
      options: [options, struct({ destinations: listOf(instanceOf(ReplicationDestination)), repositoryFilters: optional(listOf(STRING)) })],
    });
    this.addRule(`Registry '${this.node.path}'`, options.destinations, options.repositoryFilters);
  }

  /**
   * Adds a repository name to the rule for exactly these destinations.
   *
   * @internal
   */
  public _replicateRepository(subject: string, repositoryName: string | undefined, destinations: ReplicationDestination[]): void {
    if (!isConcrete(repositoryName)) {
      const problems = new Problems(subject);
      problems.add('replicateTo needs a concrete repositoryName: replication filters match repository names at synth, so set repositoryName (a generated or token name cannot be matched)');
      problems.throwIfAny();
    }
    this.addRule(subject, destinations, [repositoryName!]);
  }

  /**
   * Records a registry-level resource that must be unique per account and
   * region (a resource type, or a type and key such as a template prefix),
   * failing when this registry already renders it.
   *
   * @internal
   */
  public _claim(kind: string, owner: string, subject: string): void {
    const existing = this.rendered.get(kind);
    if (existing !== undefined && existing !== owner) {
      const problems = new Problems(subject);
      problems.add(`${kind} is already declared by '${existing}' in this registry: ECR keeps one per registry`);
      problems.throwIfAny();
    }
    this.rendered.set(kind, owner);
    if (!isConcrete(this.account) || !isConcrete(this.region)) {
      Annotations.of(this).addWarningV2('cdk-ecr-platform:registryEnvironmentAgnostic',
        `Stack '${this.stack.node.path}' renders ${kind} without a concrete account and region: ECR keeps one per account and region, so another stack deployed to the same environment would silently overwrite it, and synth cannot check that. Give the stack an env.`);
    }
  }

  private ensurePolicy(): iam.PolicyDocument {
    if (!this.policyDocument) {
      this._claim(REGISTRY_POLICY, this.node.path, `Registry '${this.node.path}'`);
      this.policyDocument = new iam.PolicyDocument();
      this.cfnRegistryPolicy = new ecr.CfnRegistryPolicy(this, 'Policy', { policyText: this.policyDocument });
    }
    return this.policyDocument;
  }

  private addRule(subject: string, destinations: ReplicationDestination[], filters: string[] | undefined): void {
    const problems = new Problems(subject);
    problems.addAll(destinationProblems(destinations, { account: this.account, region: this.region }));
    if (filters !== undefined) {
      if (filters.length === 0) problems.add('repositoryFilters is empty: leave it out to replicate every repository, or name at least one prefix');
      checkNowAndAtSynth(this, problems, filters, (p, f) => p.addAll(filterProblems(f)));
    }
    const key = destinationKey(destinations);
    const existing = this.rules.get(key);
    const merged = mergeFilters(existing, filters);
    if (merged !== undefined && merged.length > MAX_FILTERS_PER_RULE) {
      problems.add(`the replication rule to ${key} would have ${merged.length} repository filters: ECR takes at most ${MAX_FILTERS_PER_RULE} per rule (use a shared prefix such as 'team/')`);
    }
    if (!existing && this.rules.size + 1 > MAX_REPLICATION_RULES) {
      problems.add(`the registry would have ${this.rules.size + 1} replication rules: ECR takes at most ${MAX_REPLICATION_RULES} (rules with the same destinations are merged, so reuse a set of destinations)`);
    }
    const allDestinations = new Set<string>();
    for (const r of this.rules.values()) for (const d of r.destinations) allDestinations.add(d.toString());
    for (const d of destinations) allDestinations.add(d.toString());
    if (allDestinations.size > MAX_DESTINATIONS) {
      problems.add(`the registry would replicate to ${allDestinations.size} distinct destinations: ECR takes at most ${MAX_DESTINATIONS}`);
    }
    problems.throwIfAny();

    if (existing) {
      existing.filters = merged;
    } else {
      this.rules.set(key, { destinations: uniqueDestinations(destinations), filters: merged });
    }
    this.ensureReplication();
    if (destinations.some((d) => d.account !== this.account)) this.ensureWiring();
  }

  private ensureReplication(): void {
    if (this.cfnReplicationConfiguration) return;
    this._claim(REPLICATION_CONFIGURATION, this.node.path, `Registry '${this.node.path}'`);
    this.cfnReplicationConfiguration = new ecr.CfnReplicationConfiguration(this, 'Replication', {
      replicationConfiguration: {
        rules: Lazy.any({ produce: () => this.renderRules() }),
      },
    });
  }

  private renderRules(): ecr.CfnReplicationConfiguration.ReplicationRuleProperty[] {
    return [...this.rules.values()].map((r) => ({
      destinations: r.destinations.map((d) => ({ region: d.region, registryId: d.account })),
      repositoryFilters: r.filters?.map((f) => ({ filter: f, filterType: 'PREFIX_MATCH' })),
    }));
  }

  /**
   * Cross-account destinations are wired when the whole app is known (the
   * destination stack may be declared after the source), by an aspect.
   */
  private ensureWiring(): void {
    if (this.wiringAdded) return;
    this.wiringAdded = true;
    Aspects.of(this).add(new ReplicationWiring(this));
  }

  /** @internal */
  public _wireDestinations(): void {
    const destinations = new Map<string, ReplicationDestination>();
    for (const r of this.rules.values()) for (const d of r.destinations) destinations.set(d.toString(), d);
    for (const d of destinations.values()) {
      if (isConcrete(this.account) && d.account === this.account) continue;
      if (this.warnedDestinations.has(d.toString())) continue;
      if (!isConcrete(this.account)) {
        this.warnedDestinations.add(d.toString());
        Annotations.of(this).addWarningV2('cdk-ecr-platform:replicationSourceAccountUnknown',
          `Replication to ${d} from an environment-agnostic stack: the destination's registry policy cannot name the source account, so it is not wired. Give the stack an env, or call Registry.of(destinationStack).allowReplicationFrom(sourceAccount).`);
        continue;
      }
      const target = stacksOf(this.node.root).find((s) => s.account === d.account && s.region === d.region);
      if (target) {
        Registry.of(target).allowReplicationFrom(this.account);
      } else {
        this.warnedDestinations.add(d.toString());
        Annotations.of(this).addWarningV2('cdk-ecr-platform:replicationDestinationOutsideApp',
          `Replication to ${d}: no stack of that account and region is in this app, so deploy Registry.of(stack).allowReplicationFrom('${this.account}') there, or ECR cannot replicate.`);
      }
    }
  }

  /** Registry-level resources that another stack of the same account and region renders too. */
  private clashes(): string[] {
    if (this.rendered.size === 0 || !isConcrete(this.account) || !isConcrete(this.region)) return [];
    const errors: string[] = [];
    for (const other of stacksOf(this.node.root)) {
      if (other === this.stack || other.account !== this.account || other.region !== this.region) continue;
      const registry = other.node.tryFindChild(REGISTRY_ID) as Registry | undefined;
      if (!registry) continue;
      for (const kind of this.rendered.keys()) {
        if (registry.rendered.has(kind)) {
          errors.push(`stacks '${this.stack.node.path}' and '${other.node.path}' both render ${kind} for account ${this.account} in ${this.region}: ECR keeps one per account and region, so one would overwrite the other. Declare it in one stack only.`);
        }
      }
    }
    return errors;
  }
}

/** Wires the destination side of cross-account replication once the app is complete. */
class ReplicationWiring implements IAspect {
  constructor(private readonly registry: Registry) {}
  public visit(node: IConstruct): void {
    if (node === this.registry) this.registry._wireDestinations();
  }
}

function stacksOf(root: IConstruct): Stack[] {
  return root.node.findAll().filter((c): c is Stack => Stack.isStack(c));
}

function uniqueDestinations(destinations: ReplicationDestination[]): ReplicationDestination[] {
  const seen = new Map<string, ReplicationDestination>();
  for (const d of destinations) if (!seen.has(d.toString())) seen.set(d.toString(), d);
  return [...seen.values()];
}

/** A rule without filters replicates everything: merging with it stays "everything". */
function mergeFilters(existing: Rule | undefined, filters: string[] | undefined): string[] | undefined {
  if (!existing) return filters ? [...new Set(filters)] : undefined;
  if (existing.filters === undefined || filters === undefined) return undefined;
  return [...new Set([...existing.filters, ...filters])];
}

/** Problems with a registry policy statement. */
function registryStatementProblems(stack: Stack, statement: iam.PolicyStatement): string[] {
  const name = statement.sid ? `'${statement.sid}'` : '';
  const problems: string[] = [];
  const json = stack.resolve(statement.toStatementJson());
  problems.push(...openAccessProblems([json]));
  if (!statement.hasPrincipal) problems.push(`policy statement ${name} names no principal: a registry policy statement must say which account it applies to`.replace('  ', ' '));
  if (statement.resources.length === 0) {
    problems.push(`policy statement ${name} names no Resource: a registry policy statement must name the repositories it covers, such as registry.arnForRepositories()`.replace('  ', ' '));
  }
  for (const r of statement.resources.filter((x) => !Token.isUnresolved(x))) {
    if (!/^arn:[^:]+:ecr:[^:]*:[^:]*:repository\/.+$/.test(r)) {
      problems.push(`policy statement ${name} resource '${r}' is not an ECR repository ARN pattern (arn:PARTITION:ecr:REGION:ACCOUNT:repository/NAME)`.replace('  ', ' '));
    }
  }
  for (const a of statement.actions.filter((x) => !Token.isUnresolved(x))) {
    if (!a.startsWith('ecr:') || a.includes('*')) {
      problems.push(`policy statement ${name} action '${a}' is not a single ECR action: a registry policy takes only ecr: actions such as ecr:ReplicateImage, ecr:CreateRepository or ecr:BatchImportUpstreamImage, without wildcards`.replace('  ', ' '));
    }
  }
  if (statement.notActions.length > 0 || statement.notResources.length > 0 || statement.notPrincipals.length > 0) {
    problems.push(`policy statement ${name} uses NotAction, NotResource or NotPrincipal: name what it allows instead`.replace('  ', ' '));
  }
  return problems;
}
