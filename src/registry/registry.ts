import { Annotations, CfnDeletionPolicy, CfnResource, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { addToWiringPass, AppRegistries, trackSynthesis } from './app-registries';
import { ReplicationDestination, ReplicationRuleOptions } from './replication';
import { filterProblems } from './replication-checks';
import { ReplicationSetting } from './replication-setting';
import { describeSetting, PropertiesRenderer, RegistrySetting, RegistrySettingKind, RegistrySettings, SettingClaim, settingKeyed } from './settings';
import {
  REGISTRY_SINGLETON_TYPES,
  REPLICATION_ACTIONS,
  REPOSITORY_ARN_PATTERN,
  repositoryNamePrefix,
  UPSTREAM_PULL_ACTIONS,
  V1_REGISTRY_POLICY_ACTIONS,
} from '../internal/ecr-facts';
import { guard, instanceOf, listOf, OBJECT, optional, STRING, struct } from '../internal/input';
import { openAccessProblems } from '../internal/policy';
import { concretePolicyLength, policySizeProblem, statementSid } from '../internal/policy-text';
import { checkAccountId, isConcrete, Problems } from '../internal/problems';
import { isRolledOut } from '../internal/rollout';

/** The construct ID of a stack's registry. */
const REGISTRY_ID = 'EcrRegistry';

/** Prefixes listed in one source account's replication grant; beyond that, every repository. */
const MAX_REPLICATION_PREFIXES = 20;

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

  /**
   * The registry of a stack, if something created it.
   *
   * @internal
   */
  public static _tryOf(stack: Stack): Registry | undefined {
    return stack.node.tryFindChild(REGISTRY_ID) as Registry | undefined;
  }

  private readonly stack: Stack;
  private policyResource?: ecr.CfnRegistryPolicy;
  private policyDocument?: iam.PolicyDocument;
  /** Per source account: the prefixes granted, or 'all'. */
  private readonly replicationSources = new Map<string, string[] | 'all'>();
  private readonly replicationStatements = new Map<string, number>();
  private readonly pullThroughCacheAccounts = new Set<string>();
  /** The replication configuration: a setting of its own, which this registry owns. */
  private readonly replication: ReplicationSetting;
  /** The settings this registry renders, for the app-wide clash check and the quotas. */
  private readonly claims = new RegistrySettings();
  /** How each setting's resources render their properties from the setting's model. */
  private readonly renderers = new Map<CfnResource, PropertiesRenderer>();
  private wiringAdded = false;
  private removalPolicy?: RemovalPolicy;
  /** ECR account settings the app sets for this registry (EcrAccountSettings). */
  private readonly accountSettings = new Map<string, string>();
  private warnedAtSynth = false;

  private constructor(scope: Stack, id: string) {
    super(scope, id);
    this.stack = scope;
    this.replication = new ReplicationSetting({
      scope: this,
      stack: scope,
      account: scope.account,
      region: scope.region,
      claim: () => this.claimOwn(RegistrySettingKind.REPLICATION),
      renderAs: (resource, properties) => this._renderAs(resource, properties),
      needsWiring: () => this.ensureWiring(),
    });
    this.node.addValidation({ validate: () => [...this.clashes(), ...this.policyProblems(), ...this.deployTimeWarnings()] });
    trackSynthesis(this);
  }

  /**
   * What deleting the stack (or removing a setting from it) does to the
   * registry's account-wide settings: its registry policy, replication,
   * scanning and signing configurations. Other stacks and accounts rely on
   * them (replicas, cross-account pulls, scanned and signed images).
   *
   * By default (`RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE`, rendered as
   * `DeletionPolicy: RetainExceptOnCreate`) the account keeps them when the
   * stack or a StackSet instance is deleted, and CloudFormation no longer
   * manages them; a rollback of the deployment that created them still
   * removes them, so a failed first deployment leaves nothing behind.
   *
   * `RemovalPolicy.RETAIN` keeps them on a rollback too. `RemovalPolicy.DESTROY`
   * lets CloudFormation reset them: the registry policy is deleted,
   * replication gets no rules, scanning returns to BASIC without rules (for
   * ENHANCED, CloudFormation's handler also tries to turn Amazon Inspector
   * off for the account, which a warning says), signing stops.
   *
   * A setting kept this way cannot be created again by another stack (the
   * handlers refuse to create a setting that exists) until it is imported
   * with `cdk import` or reset.
   *
   * @param policy `RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE` (the default), `RemovalPolicy.RETAIN` or `RemovalPolicy.DESTROY`
   */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    const problems = new Problems(`Registry '${this.node.path}'`);
    if (!SETTINGS_REMOVAL_POLICIES.includes(policy)) {
      problems.add(`removalPolicy '${policy}' is not supported for registry settings: use RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE (the default: delete keeps them, a rolled-back creation removes them), RemovalPolicy.RETAIN (always keeps them) or RemovalPolicy.DESTROY (delete resets them)`);
    }
    problems.throwIfAny();
    this.removalPolicy = policy;
    for (const resource of this.renderers.keys()) this.applySettingsRemovalPolicy(resource);
  }

  /**
   * Gives an account-wide setting (registry policy, replication, scanning or
   * signing configuration) the registry's removal policy, or the default
   * when none was set and the resource has no deletion policy of its own.
   */
  private applySettingsRemovalPolicy(resource: CfnResource): void {
    if (!SETTINGS_TYPES.has(resource.cfnResourceType)) return;
    if (this.removalPolicy !== undefined) resource.applyRemovalPolicy(this.removalPolicy);
    else if (resource.cfnOptions.deletionPolicy === undefined) resource.applyRemovalPolicy(DEFAULT_SETTINGS_REMOVAL_POLICY);
  }

  /** The registry policy resource, once a statement was added. */
  public get cfnRegistryPolicy(): ecr.CfnRegistryPolicy | undefined {
    return this.policyResource;
  }

  /** The replication configuration resource, once a rule was added. */
  public get cfnReplicationConfiguration(): ecr.CfnReplicationConfiguration | undefined {
    return this.replication.cfnReplicationConfiguration;
  }

  /**
   * The once-per-registry settings declared in this registry's stack, in the
   * order they were declared: registry policy, replication, scanning and
   * signing configurations, creation template and pull-through cache
   * prefixes, pull-time-update exclusions, account settings, Inspector
   * scanning. Each names the construct that declared it and the
   * CloudFormation resources that render it. A setting whose key is known
   * only at synth (a `Lazy` prefix) is listed once the app is validated.
   */
  public get settings(): RegistrySetting[] {
    return this.claims.list();
  }

  /**
   * The registry-level resources this registry renders (resource types, or
   * a type and key such as a template prefix), with the path of the
   * construct that declared each.
   *
   * @internal
   */
  public get _rendered(): ReadonlyMap<string, string> {
    return this.claims.described();
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
   * `ecr:CreateRepository` and `ecr:ReplicateImage` for that account to the
   * registry policy, on the repositories whose names start with one of the
   * replicated prefixes (`repository/PREFIX*`), or on every repository of
   * this registry when no prefix is given. Use it in the destination stack
   * when the source is not in the same app; when it is,
   * `addReplicationRule` and `PrivateRepository.replicateTo` add it for you,
   * scoped to the source's filters.
   *
   * ECR documents no condition key for the source region, so the grant covers
   * every region of the source account.
   *
   * @param sourceAccount the account that replicates into this registry
   * @param repositoryPrefixes the PREFIX_MATCH filters the source replicates (at most 20; more are granted as every repository). @default - every repository
   */
  public allowReplicationFrom(sourceAccount: string, repositoryPrefixes?: string[]): void {
    guard(`Registry.allowReplicationFrom '${this.node.path}'`, { sourceAccount: [sourceAccount, STRING], repositoryPrefixes: [repositoryPrefixes, optional(listOf(STRING))] });
    const problems = new Problems(`Registry '${this.node.path}'`);
    checkAccountId(problems, 'sourceAccount', sourceAccount);
    if (isConcrete(sourceAccount) && isConcrete(this.account) && sourceAccount === this.account) {
      problems.add(`sourceAccount '${sourceAccount}' is this registry's own account: replication within an account needs no registry policy`);
    }
    if (repositoryPrefixes !== undefined) {
      if (repositoryPrefixes.length === 0) problems.add('repositoryPrefixes is empty: leave it out to allow every repository, or name at least one prefix');
      problems.addAll(filterProblems(repositoryPrefixes));
    }
    problems.throwIfAny();

    // Unknown prefixes, or too many to list, are granted as every repository.
    const prefixes = repositoryPrefixes === undefined || !repositoryPrefixes.every(isConcrete) || repositoryPrefixes.length > MAX_REPLICATION_PREFIXES
      ? undefined
      : [...new Set(repositoryPrefixes)];
    const granted = this.replicationSources.get(sourceAccount);
    if (granted === 'all') return;
    let fresh: string[] | undefined;
    if (prefixes !== undefined) {
      fresh = prefixes.filter((p) => !(granted ?? []).some((g) => p.startsWith(g)));
      if (fresh.length === 0) return;
      if ((granted?.length ?? 0) + fresh.length > MAX_REPLICATION_PREFIXES) fresh = undefined;
    }
    this.replicationSources.set(sourceAccount, fresh === undefined ? 'all' : [...(granted ?? []), ...fresh]);
    const count = (this.replicationStatements.get(sourceAccount) ?? 0) + 1;
    this.replicationStatements.set(sourceAccount, count);
    const sid = statementSid('ReplicationFrom', [sourceAccount, count > 1 ? `${count}` : '']);
    this.addToPolicy(new iam.PolicyStatement({
      sid,
      principals: [new iam.AccountPrincipal(sourceAccount)],
      actions: [...REPLICATION_ACTIONS],
      resources: fresh === undefined ? [this.arnForRepositories()] : fresh.map((p) => this.arnForRepositories(p)),
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
    const prefix = repositoryNamePrefix(repositoryPrefix);
    const key = `${cacheAccount} ${prefix ?? ''}`;
    if (this.pullThroughCacheAccounts.has(key)) return;
    this.pullThroughCacheAccounts.add(key);
    const sid = statementSid('PullThroughCacheFrom', [cacheAccount, prefix ?? '']);
    this.addToPolicy(new iam.PolicyStatement({
      sid,
      principals: [new iam.AccountPrincipal(cacheAccount)],
      actions: [...UPSTREAM_PULL_ACTIONS],
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
    this.replication.addRule(`Registry '${this.node.path}'`, options.destinations, options.repositoryFilters);
  }

  /**
   * Replicates every repository of a namespace (`team-a/`) to other
   * registries: adds the namespace, with its trailing `/`, as a PREFIX_MATCH
   * filter to the rule for exactly these destinations. ECR's replication
   * filters are name prefixes, so a namespace is the unit that matches
   * exactly what it says: `team-a/` covers `team-a/api` and `team-a/web`,
   * never `team-ab/api`. A namespace given without the trailing `/` gets one.
   *
   * @param repositoryNamespace the namespace, for example `team-a/` or `team-a/services/`
   * @param destinations where to copy the images
   */
  public replicateNamespace(repositoryNamespace: string, destinations: ReplicationDestination[]): void {
    const subject = `Registry '${this.node.path}'`;
    if (!isConcrete(repositoryNamespace)) {
      const problems = new Problems(subject);
      problems.add('replicateNamespace needs a literal namespace: replication filters are rendered at synth');
      problems.throwIfAny();
    }
    const normalized = repositoryNamespace.endsWith('/') ? repositoryNamespace : `${repositoryNamespace}/`;
    if (repositoryNamespace.length === 0 || normalized.startsWith('/')) {
      const problems = new Problems(subject);
      problems.add(`namespace '${repositoryNamespace}' is not a repository namespace: name one such as 'team-a/' (to replicate every repository, use addReplicationRule without repositoryFilters)`);
      problems.throwIfAny();
    }
    this.replication.addRule(subject, destinations, [normalized]);
  }

  /**
   * Adds a repository name to the rule for exactly these destinations.
   *
   * @internal
   */
  public _replicateRepository(subject: string, repositoryName: string | undefined, destinations: ReplicationDestination[], node?: IConstruct): void {
    if (!isConcrete(repositoryName)) {
      const problems = new Problems(subject);
      problems.add('replicateTo needs a concrete repositoryName: replication filters match repository names at synth, so set repositoryName (a generated or token name cannot be matched)');
      problems.throwIfAny();
    }
    this.replication.addRepository(subject, repositoryName!, destinations, node ?? this);
  }

  /**
   * Claims a once-per-registry setting (a kind, and a key such as a
   * template prefix, for kinds that are once per key), checking that no
   * other construct of this registry declared it and that ECR's quota of
   * its kind holds. A claim without its key (a value known only at synth)
   * counts for the quota; claim it again with the key once resolved.
   *
   * @returns the problem, for the claimer's own collector, or undefined when the claim holds
   * @internal
   */
  public _claim(claim: SettingClaim): string | undefined {
    const problem = this.claims.claim(claim);
    if (problem !== undefined) return problem;
    if (claim.key !== undefined || !settingKeyed(claim.kind)) this.warnEnvironmentAgnostic(claim);
    return undefined;
  }

  /**
   * Checks a claim as `_claim` does, without recording it: a construct
   * checks its claim with its other problems, and claims once it holds.
   *
   * @returns the problem, for the claimer's own collector, or undefined when the claim would hold
   * @internal
   */
  public _checkClaim(claim: SettingClaim): string | undefined {
    return this.claims.check(claim);
  }

  /**
   * Records how a setting's resource renders its CloudFormation properties
   * from the setting's model (a registry baseline assembles its StackSet
   * body from them), and gives an account-wide setting its removal policy.
   *
   * @internal
   */
  public _renderAs(resource: CfnResource, properties: PropertiesRenderer): void {
    this.renderers.set(resource, properties);
    this.applySettingsRemovalPolicy(resource);
  }

  /**
   * A setting resource's CloudFormation properties rendered from its model,
   * or undefined for a resource that no setting of this registry renders.
   *
   * @internal
   */
  public _renderProperties(resource: CfnResource): Record<string, unknown> | undefined {
    const render = this.renderers.get(resource);
    return render ? render((v) => this.stack.resolve(v)) : undefined;
  }

  private warnEnvironmentAgnostic(claim: SettingClaim): void {
    if ((!isConcrete(this.account) || !isConcrete(this.region)) && !isRolledOut(this.stack)) {
      Annotations.of(this).addWarningV2('cdk-ecr-platform:registryEnvironmentAgnostic',
        `Stack '${this.stack.node.path}' renders ${describeSetting(claim.kind, claim.key)} without a concrete account and region: ECR keeps one per account and region, so another stack deployed to the same environment would silently overwrite it, and synth cannot check that. Give the stack an env.`);
    }
  }

  /** Claims a setting of this registry itself, which no other construct can hold first. */
  private claimOwn(kind: RegistrySettingKind): void {
    const problems = new Problems(`Registry '${this.node.path}'`);
    const problem = this._claim({ kind, owner: this, subject: problems.subject });
    if (problem !== undefined) problems.add(problem);
    problems.throwIfAny();
  }

  private ensurePolicy(): iam.PolicyDocument {
    if (!this.policyDocument) {
      this.claimOwn(RegistrySettingKind.REGISTRY_POLICY);
      this.policyDocument = new iam.PolicyDocument();
      this.policyResource = new ecr.CfnRegistryPolicy(this, 'Policy', { policyText: this.policyDocument });
      const document = this.policyDocument;
      this._renderAs(this.policyResource, (resolve) => ({ PolicyText: resolve(document) }));
    }
    return this.policyDocument;
  }

  /**
   * Cross-account destinations are wired when the whole app is known (the
   * destination stack may be declared after the source), by the app's
   * wiring pass.
   */
  private ensureWiring(): void {
    if (this.wiringAdded) return;
    this.wiringAdded = true;
    addToWiringPass(this);
  }

  /**
   * Wires the destination side of cross-account replication and warns
   * about filters that cover other repositories. Called by the app's
   * wiring pass.
   *
   * @internal
   */
  public _wire(registries: AppRegistries): void {
    this.replication.wire(registries, (target, account, prefixes) => Registry.of(target).allowReplicationFrom(account, prefixes));
  }

  /**
   * Records an ECR account setting that the app sets for this registry.
   *
   * @internal
   */
  public _recordAccountSetting(name: string, value: string): void {
    this.accountSettings.set(name, value);
  }

  /** The registry policy as it will be rendered, or undefined when there is none. */
  private renderedPolicy(): any {
    return this.policyDocument ? this.stack.resolve(this.policyDocument) : undefined;
  }

  /** Registry policy problems ECR would reject at deploy: its size. */
  private policyProblems(): string[] {
    const policy = this.renderedPolicy();
    if (policy === undefined) return [];
    const problem = policySizeProblem(`the registry policy of stack '${this.stack.node.path}'`, concretePolicyLength(this, policy),
      'Grant shared prefixes (registry.arnForRepositories(\'team/\')) instead of single repositories, or fewer accounts per statement.');
    return problem === undefined ? [] : [problem];
  }

  /**
   * Warnings for what would fail silently at deploy or run time. They are
   * issued while the app is validated, once every construct (and every
   * wiring aspect) has contributed.
   */
  private deployTimeWarnings(): string[] {
    if (this.warnedAtSynth) return [];
    this.warnedAtSynth = true;
    this.warnPolicyScope();
    this.replication.warnReplicaTemplates();
    this.warnScanningResetOnDelete();
    return [];
  }

  /** A delete of ENHANCED scanning resets it, and CloudFormation's handler tries to turn Inspector off for the account. */
  private warnScanningResetOnDelete(): void {
    for (const resource of this.renderers.keys()) {
      if (!(resource instanceof ecr.CfnRegistryScanningConfiguration) || resource.cfnOptions.deletionPolicy !== CfnDeletionPolicy.DELETE) continue;
      if (this.stack.resolve(resource.scanType) !== 'ENHANCED') continue;
      Annotations.of(resource).addWarningV2('cdk-ecr-platform:enhancedScanningResetOnDelete',
        'This ENHANCED registry scanning configuration has DeletionPolicy Delete: deleting the stack (or this setting) resets the account\'s scanning to BASIC without rules, '
        + 'and CloudFormation\'s handler also tries to turn Amazon Inspector off for the whole account (it needs inspector2:Disable), which other stacks and teams may rely on. '
        + 'Keep the registry\'s default removal policy (RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE) to keep the setting on delete, or acknowledge this warning.');
    }
  }

  /** Statements with actions beyond V1 need the V2 registry policy scope. */
  private warnPolicyScope(): void {
    const statements: any[] = this.renderedPolicy()?.Statement ?? [];
    const v2 = new Set<string>();
    for (const st of statements) {
      const actions = Array.isArray(st.Action) ? st.Action : [st.Action];
      for (const a of actions) if (typeof a === 'string' && !V1_REGISTRY_POLICY_ACTIONS.includes(a.toLowerCase())) v2.add(a);
    }
    if (v2.size === 0) return;
    // The app can only set V2 (EcrAccountSettings refuses V1, which ECR no longer sets).
    if (this.policyScope() === 'V2') return;
    Annotations.of(this).addWarningV2('cdk-ecr-platform:registryPolicyScopeV2',
      `The registry policy allows ${[...v2].sort().join(', ')}, which ECR applies only with the V2 registry policy scope; `
      + 'V2 is the default for new registries, but a registry still on V1 accepts only ecr:ReplicateImage, ecr:BatchImportUpstreamImage and ecr:CreateRepository. '
      + 'Set it with new EcrAccountSettings(stack, \'AccountSettings\', { registryPolicyScope: RegistryPolicyScope.V2 }) in this account and region, or check it with `aws ecr get-account-setting --name REGISTRY_POLICY_SCOPE`.');
  }

  /** The registry policy scope the app sets for this account and region, if any. */
  private policyScope(): string | undefined {
    const own = this.accountSettings.get('REGISTRY_POLICY_SCOPE');
    if (own !== undefined) return own;
    for (const other of AppRegistries.of(this).registryStacks(this.stack)) {
      const value = Registry._tryOf(other)?.accountSettings.get('REGISTRY_POLICY_SCOPE');
      if (value !== undefined) return value;
    }
    return undefined;
  }

  /** Registry-level resources that another stack of the same account and region renders too. */
  private clashes(): string[] {
    if (this.claims.empty || !isConcrete(this.account) || !isConcrete(this.region)) return [];
    const errors: string[] = [];
    // The stacks of this account and region, in tree order.
    const stacks = AppRegistries.of(this).registryStacks(this.stack);
    const mine = stacks.indexOf(this.stack);
    for (const other of stacks) {
      if (other === this.stack) continue;
      // Each clash is a pair: the later stack of the pair reports it, so it is
      // printed once, and also when the stages of an app are synthesized one
      // by one as they are added (CDK Pipelines): the earlier stage is written
      // before the later one exists.
      if (stacks.indexOf(other) > mine) continue;
      const registry = Registry._tryOf(other);
      if (!registry) continue;
      // Template and cache prefixes are physical names: the app-level name
      // check reports those clashes, for raw L1 resources too.
      for (const kind of this.claims.singletonDescriptions()) {
        if (registry.claims.has(kind)) {
          errors.push(`stacks '${other.node.path}' and '${this.stack.node.path}' both render ${kind} for account ${this.account} in ${this.region}: ECR keeps one per account and region, so one would overwrite the other. Declare it in one stack only.`);
        }
      }
    }
    return errors;
  }
}

/** The account-wide settings that ECR keeps once per account and region. */
const SETTINGS_TYPES = new Set(REGISTRY_SINGLETON_TYPES);

/**
 * What deleting a stack does to its account-wide settings unless the
 * registry says otherwise: keep them (`DeletionPolicy: RetainExceptOnCreate`,
 * which CloudFormation takes on any resource type), except when the
 * deployment that created them rolls back.
 */
const DEFAULT_SETTINGS_REMOVAL_POLICY = RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;

/** The removal policies `Registry.applyRemovalPolicy` takes (registry settings have no snapshot). */
const SETTINGS_REMOVAL_POLICIES: readonly RemovalPolicy[] = [RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, RemovalPolicy.RETAIN, RemovalPolicy.DESTROY];

/**
 * The concrete names of the private repositories of a registry in the app:
 * every stack with the same concrete account and region, or the stack alone
 * when its environment is not known.
 *
 * @internal
 */
export function registryRepositoryNames(stack: Stack): string[] {
  return AppRegistries.of(stack).repositoryNames(stack);
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
    if (!REPOSITORY_ARN_PATTERN.test(r)) {
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
