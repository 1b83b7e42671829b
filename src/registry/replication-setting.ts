import { Annotations, Lazy, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct, IConstruct } from 'constructs';
import { AppRegistries, wireCrossAccount } from './app-registries';
import { ReplicationDestination } from './replication';
import {
  destinationCountProblem,
  destinationKey,
  destinationProblems,
  filterProblems,
  MAX_FILTERS_PER_RULE,
  replicationRuleCountProblem,
} from './replication-checks';
import { PropertiesRenderer } from './settings';
import { normalizePrefix, prefixCovers, ROOT_PREFIX } from '../internal/ecr-facts';
import { mergeFilters } from '../internal/filters';
import { isConcrete, Problems } from '../internal/problems';
import { checkNowAndAtSynth } from '../internal/resolve';

/**
 * What the replication setting needs from the registry that owns it: where its
 * resource and warnings go, the registry's account and region, and the
 * registry's own services (the setting claim, rendering, the app's wiring pass).
 */
export interface ReplicationOwner {
  /** The registry construct: the resource (`Replication`) and the warnings go under it. */
  readonly scope: Construct;
  readonly stack: Stack;
  readonly account: string;
  readonly region: string;
  /** Claims the registry's one replication configuration (throws when another construct holds it). */
  claim(): void;
  /** Records how the resource renders its properties (and gives it the registry's removal policy). */
  renderAs(resource: ecr.CfnReplicationConfiguration, properties: PropertiesRenderer): void;
  /** Asks for the app's wiring pass, which calls `wire`. */
  needsWiring(): void;
}

/** Grants a source account replication into a destination stack's registry, for the prefixes it replicates. */
export type ReplicationGrant = (target: Stack, account: string, prefixes: string[] | undefined) => void;

interface Rule {
  readonly destinations: ReplicationDestination[];
  /** PREFIX_MATCH filters; undefined when the rule replicates every repository. */
  filters: string[] | undefined;
}

/**
 * The registry's replication configuration (`AWS::ECR::ReplicationConfiguration`),
 * a setting of the registry as scanning and signing are: its rules (merged per
 * set of destinations, within ECR's quotas), its one resource, the wiring of
 * cross-account destinations, and its warnings. `Registry` owns it and is the
 * public face (`addReplicationRule`, `replicateNamespace`,
 * `PrivateRepository.replicateTo`).
 */
export class ReplicationSetting {
  private resource?: ecr.CfnReplicationConfiguration;
  private readonly rules = new Map<string, Rule>();
  /** Filters added for one repository by `replicateTo`, to warn about what else they cover. */
  private readonly repositoryFilters: { filter: string; node: IConstruct }[] = [];
  private overMatchWarned = false;

  constructor(private readonly owner: ReplicationOwner) {}

  /** The replication configuration resource, once a rule was added. */
  public get cfnReplicationConfiguration(): ecr.CfnReplicationConfiguration | undefined {
    return this.resource;
  }

  /** Adds one repository's name as a filter of the rule for these destinations. */
  public addRepository(subject: string, repositoryName: string, destinations: ReplicationDestination[], node: IConstruct): void {
    this.addRule(subject, destinations, [repositoryName]);
    this.repositoryFilters.push({ filter: repositoryName, node });
    this.owner.needsWiring();
  }

  /**
   * Wires the destination side of cross-account replication and warns
   * about filters that cover other repositories. Called by the app's
   * wiring pass, through the registry.
   */
  public wire(registries: AppRegistries, grant: ReplicationGrant): void {
    this.wireDestinations(registries, grant);
    if (this.overMatchWarned) return;
    this.overMatchWarned = true;
    this.warnOverMatch(registries);
  }

  public addRule(subject: string, destinations: ReplicationDestination[], filters: string[] | undefined): void {
    const problems = new Problems(subject);
    problems.addAll(destinationProblems(destinations, { account: this.owner.account, region: this.owner.region }));
    if (filters !== undefined) {
      if (filters.length === 0) problems.add('repositoryFilters is empty: leave it out to replicate every repository, or name at least one prefix');
      checkNowAndAtSynth(this.owner.scope, problems, filters, (p, f) => p.addAll(filterProblems(f)));
    }
    const key = destinationKey(destinations);
    const existing = this.rules.get(key);
    const merged = mergeFilters(existing, filters);
    if (merged !== undefined && merged.length > MAX_FILTERS_PER_RULE) {
      problems.add(`the replication rule to ${key} would have ${merged.length} repository filters: ECR takes at most ${MAX_FILTERS_PER_RULE} per rule (use a shared prefix such as 'team/')`);
    }
    const ruleCount = existing ? undefined : replicationRuleCountProblem(this.rules.size + 1);
    if (ruleCount !== undefined) problems.add(ruleCount);
    const allDestinations = new Set<string>();
    for (const r of this.rules.values()) for (const d of r.destinations) allDestinations.add(d.toString());
    for (const d of destinations) allDestinations.add(d.toString());
    const destinationCount = destinationCountProblem(allDestinations.size);
    if (destinationCount !== undefined) problems.add(destinationCount);
    problems.throwIfAny();

    if (existing) {
      existing.filters = merged;
    } else {
      this.rules.set(key, { destinations: uniqueDestinations(destinations), filters: merged });
    }
    this.ensureReplication();
    if (destinations.some((d) => d._ref.account !== this.owner.account)) this.owner.needsWiring();
  }

  private ensureReplication(): void {
    if (this.resource) return;
    this.owner.claim();
    this.resource = new ecr.CfnReplicationConfiguration(this.owner.scope, 'Replication', {
      replicationConfiguration: {
        rules: Lazy.any({ produce: () => this.renderRules() }),
      },
    });
    this.owner.renderAs(this.resource, () => ({
      ReplicationConfiguration: {
        Rules: [...this.rules.values()].map((r) => ({
          Destinations: r.destinations.map((d) => ({ Region: d.region, RegistryId: d.account })),
          RepositoryFilters: r.filters?.map((f) => ({ Filter: f, FilterType: 'PREFIX_MATCH' })),
        })),
      },
    }));
  }

  private renderRules(): ecr.CfnReplicationConfiguration.ReplicationRuleProperty[] {
    return [...this.rules.values()].map((r) => ({
      destinations: r.destinations.map((d) => ({ region: d.region, registryId: d.account })),
      repositoryFilters: r.filters?.map((f) => ({ filter: f, filterType: 'PREFIX_MATCH' })),
    }));
  }

  /** Warns about repository filters that cover other repositories of the app. */
  private warnOverMatch(registries: AppRegistries): void {
    if (this.repositoryFilters.length === 0) return;
    const names = registries.repositoryNames(this.owner.stack);
    for (const { filter, node } of this.repositoryFilters) {
      const others = names.filter((n) => n !== filter && n.startsWith(filter));
      if (others.length === 0) continue;
      Annotations.of(node).addWarningV2('cdk-ecr-platform:replicationFilterCoversOthers',
        `The replication filter '${filter}' also replicates ${others.map((n) => `'${n}'`).join(', ')}: ECR replication filters are name prefixes (PREFIX_MATCH) with no exact-match form, so every repository whose name starts with '${filter}' is replicated, now or later. Rename the repositories apart, or replicate a namespace with Registry.replicateNamespace('${filter}/', ...).`);
    }
  }

  /**
   * Adds the registry policy statement each cross-account destination needs
   * to the destination's stack when it is in the app, or warns.
   */
  private wireDestinations(registries: AppRegistries, grant: ReplicationGrant): void {
    for (const d of this.destinations()) {
      wireCrossAccount(registries, {
        scope: this.owner.scope,
        target: d._ref,
        grant: (target, account) => grant(target, account, this.replicatedPrefixes(d)),
        sourceUnknown: {
          id: 'cdk-ecr-platform:replicationSourceAccountUnknown',
          message: `Replication to ${d} from an environment-agnostic stack: the destination's registry policy cannot name the source account, so it is not wired. Give the stack an env, or call Registry.of(destinationStack).allowReplicationFrom(sourceAccount).`,
        },
        targetOutsideApp: (account) => ({
          id: 'cdk-ecr-platform:replicationDestinationOutsideApp',
          message: `Replication to ${d}: no stack of that account and region is in this app, so deploy Registry.of(stack).allowReplicationFrom('${account}') there, or ECR cannot replicate.`,
        }),
      });
    }
  }

  /** The distinct destinations of every rule. */
  private destinations(): ReplicationDestination[] {
    const destinations = new Map<string, ReplicationDestination>();
    for (const r of this.rules.values()) for (const d of r.destinations) destinations.set(d._ref.key, d);
    return [...destinations.values()];
  }

  /**
   * The PREFIX_MATCH filters replicated to a destination, or undefined when
   * a rule to it replicates every repository.
   */
  public replicatedPrefixes(destination: ReplicationDestination): string[] | undefined {
    const prefixes = new Set<string>();
    for (const r of this.rules.values()) {
      if (!r.destinations.some((d) => d._ref.equals(destination._ref))) continue;
      if (r.filters === undefined) return undefined;
      r.filters.forEach((f) => prefixes.add(f));
    }
    return prefixes.size > 0 ? [...prefixes] : undefined;
  }

  /**
   * Replicas get their settings only from a REPLICATION creation template
   * of the destination: without one, ECR creates them with AES256, mutable
   * tags and no lifecycle policy. Checked for destinations whose stack is
   * in the app.
   */
  public warnReplicaTemplates(): void {
    const registries = AppRegistries.of(this.owner.scope);
    for (const d of this.destinations()) {
      const stacks = registries.stacksOf(d._ref);
      if (stacks.length === 0) continue; // outside the app: nothing to compare with
      const prefixes = stacks.flatMap((s) => registries.memo(s, 'replicationTemplatePrefixes', () => replicationTemplatePrefixes(s)));
      const covered = (name: string) => prefixes.some((p) => prefixCovers(p, name));
      const filters = this.replicatedPrefixes(d);
      const uncovered = filters === undefined ? (prefixes.includes(ROOT_PREFIX) ? [] : ['(every repository)']) : filters.filter((f) => isConcrete(f) && !covered(f));
      if (uncovered.length === 0) continue;
      Annotations.of(this.owner.scope).addWarningV2('cdk-ecr-platform:replicationWithoutTemplate',
        `Replication to ${d}: no repository creation template applied for REPLICATION in that registry (stack${stacks.length > 1 ? 's' : ''} ${stacks.map((s) => `'${s.node.path}'`).join(', ')}) covers ${uncovered.map((f) => `'${f}'`).join(', ')}, so ECR creates those replicas with AES256 encryption, mutable tags and no lifecycle policy. `
        + 'Add a RepositoryCreationTemplate with appliedFor REPLICATION and a prefix that covers them (a template prefix \'team\' covers repositories named \'team/...\'; \'ROOT\' covers every repository) in that stack.');
    }
  }
}

/**
 * The prefixes of the creation templates applied for REPLICATION in a stack
 * (without a trailing '/'; 'ROOT' as is), from the L1 resources, so that
 * templates declared with aws-cdk-lib count too.
 */
function replicationTemplatePrefixes(stack: Stack): string[] {
  const prefixes: string[] = [];
  for (const node of stack.node.findAll()) {
    if (!(node instanceof ecr.CfnRepositoryCreationTemplate) || Stack.of(node) !== stack) continue;
    const appliedFor = stack.resolve(node.appliedFor);
    const prefix = stack.resolve(node.prefix);
    if (!Array.isArray(appliedFor) || !appliedFor.includes('REPLICATION') || typeof prefix !== 'string') continue;
    prefixes.push(normalizePrefix(prefix));
  }
  return prefixes;
}

function uniqueDestinations(destinations: ReplicationDestination[]): ReplicationDestination[] {
  const seen = new Map<string, ReplicationDestination>();
  for (const d of destinations) if (!seen.has(d._ref.key)) seen.set(d._ref.key, d);
  return [...seen.values()];
}
