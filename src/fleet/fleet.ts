import { existsSync, readFileSync, writeFileSync } from 'fs';
import { Annotations, CfnResource, CfnWaitConditionHandle, Environment, Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { DISABLE_CREATION_STACK_TRACES } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { DEFAULT_RESOURCES_PER_STACK, DEFAULT_TEMPLATE_BYTES_PER_STACK, shardBudgetProblems } from './budget';
import { acknowledgeControlTower } from './control-tower';
import { compressFilters, FilterSemantics, prefixOvercoverage, REPLICATION_FILTERS, SCANNING_FILTERS } from './filters';
import { hasRegistryResources, renderRegistryResources } from './fleet-registry-settings';
import { FleetKeyScope, REGISTRY_KEY_HOLDER } from './key-scope';
import { FleetRegistrySettings, FleetRepositoryProps } from './model';
import { compareNames, implicitKeyHolder, keyHolderName, parsePlacementState, placeRepositories, PlacementItem, PlacementState, renderPlacementState, repositoryConstructId, ShardUsage } from './placement';
import { FleetRepositoryReference } from './reference';
import { continuousScanFilterQuotaMessage, replicationFilterQuotaMessage } from './registry-quotas';
import { measureTemplateAtSynth } from './template-size';
import type { RegistryExport } from '../adopt/registry-export';
import { acknowledgedIds, complianceRuleId, repositoryAcknowledgementProblems } from '../compliance/rule-ids';
import { acknowledgeRule } from '../internal/acknowledge';
import { closest } from '../internal/edit-distance';
import { BOOLEAN, guard, guardConstruct, listOf, NUMBER, OBJECT, oneOf, optional, STRING } from '../internal/input';
import { isConcrete, Problems, subjectOf } from '../internal/problems';
import { LifecyclePolicy } from '../lifecycle/policy';
import { Registry, registryRepositoryNames } from '../registry/registry';
import { ReplicationDestination } from '../registry/replication';
import { destinationKey, MAX_FILTERS_PER_RULE } from '../registry/replication-checks';
import { RepositoryAccess, resolvedAccessPolicy } from '../repository/access';
import { kmsKeyArnProblems, readPolicyDocument, repositoryTagProblems } from '../repository/adopted-settings';
import { defaultRepositoryEncryption, ImageEncryption } from '../repository/encryption';
import { PrivateRepository } from '../repository/private-repository';
import { MAX_SCANNING_FILTERS_PER_RULE } from '../scanning/checks';
import { ScanFrequency } from '../scanning/enums';
import { RegistryScanning } from '../scanning/registry-scanning';


/**
 * Properties of a repository fleet.
 */
export interface RepositoryFleetProps {
  /** The repositories, from `RepositoryCatalog.repositories` or declared in code. */
  readonly repositories: FleetRepositoryProps[];
  /**
   * The account and region of every shard stack.
   *
   * @default - environment-agnostic stacks
   */
  readonly env?: Environment;
  /**
   * The most resources a shard stack takes (CloudFormation allows 500).
   *
   * @default 400
   */
  readonly maxResourcesPerStack?: number;
  /**
   * The most template bytes a shard stack takes (CloudFormation allows
   * 1,000,000). Placement uses an estimate that is never below the real
   * template for the library's settings; every shard's template is also
   * measured when it is written, and a larger one fails the synthesis.
   *
   * @default 800000
   */
  readonly maxTemplateBytesPerStack?: number;
  /**
   * The placement file (JSON, like a lock file: commit it): which shard
   * holds each repository. Read at synth; repositories it does not list are
   * placed in shards with room and written back, unless
   * `updatePlacementFile` is false.
   *
   * @default - no file: placement starts empty on every synth, so adding a
   * repository can move others. Use a file for anything deployed.
   */
  readonly placementFile?: string;
  /**
   * Whether synth writes new placements to `placementFile`. Set it to false
   * in CI: a catalog change without its placement then fails the synth.
   *
   * @default true
   */
  readonly updatePlacementFile?: boolean;
  /**
   * Whether aws-cdk-lib records a creation stack trace (the
   * `aws:cdk:creationStack` metadata in the cloud assembly) for each resource
   * of the shard stacks. Every trace of a fleet points at the same line, the
   * fleet's constructor, so by default the shard stacks record none:
   * recording them is about a fifth of a fleet's synthesis time and one
   * trace per repository in `manifest.json`. The resources' paths and
   * logical IDs still name each repository. With `CDK_DEBUG=true` in the
   * environment, aws-cdk-lib records them whatever this says.
   *
   * @default false
   */
  readonly creationStackTraces?: boolean;
  /**
   * Which customer managed key encrypts the repositories that do not choose
   * their own encryption: one key per shard stack, or one key for the whole
   * fleet in its registry stack (`FleetKeyScope.REGISTRY`), so that ECR
   * mounts layers across shards and a move between shards keeps the key.
   * ECR cannot change a repository's key, so a repository the placement
   * file already holds keeps the key it has: changing the scope applies to
   * new repositories, and the file records the others' keys (a warning
   * lists them).
   *
   * @default FleetKeyScope.SHARD
   */
  readonly keyScope?: FleetKeyScope;
  /**
   * Registry-wide replication rules and scanning configuration the fleet's
   * registry stack renders as given (`RepositoryCatalog.registry`).
   *
   * @default - only the settings the repositories' own replication and scanning add
   */
  readonly registry?: FleetRegistrySettings;
}

/**
 * Repositories spread across as many shard stacks as needed (children of
 * this construct, named `Shard1`, `Shard2`, ...), each under a resource and
 * template-size budget, with stable placement: adding or removing a
 * repository never moves another, and a repository's logical ID depends on
 * its name only. Replication and registry scanning of the fleet go to one
 * `Registry` stack of the fleet, so that the account and region get them
 * once.
 */
export class RepositoryFleet extends Construct {
  /** The shard stacks, in shard order. */
  public readonly stacks: Stack[] = [];
  /** The placement file's text after this synth (also written to `placementFile` when updated). */
  public readonly placementText: string;
  private readonly repositories = new Map<string, PrivateRepository>();
  private readonly references = new Map<string, FleetRepositoryReference>();
  /** Template bytes of each shard stack, measured when written. */
  private readonly measuredBytes = new Map<string, number>();
  private readonly usage: ShardUsage[];
  /** Repositories encrypted with another key than the key scope gives them: name to key holder (shard, or 0 for the registry). */
  private readonly keys: ReadonlyMap<string, number>;
  private readonly keyScope: FleetKeyScope;
  private registryStack?: Stack;
  private registryKeyEncryption?: ImageEncryption;

  constructor(scope: Construct, id: string, props: RepositoryFleetProps) {
    guardConstruct('RepositoryFleet', scope, id, props, {
      repositories: listOf(OBJECT),
      env: optional(OBJECT),
      maxResourcesPerStack: optional(NUMBER),
      maxTemplateBytesPerStack: optional(NUMBER),
      placementFile: optional(STRING),
      updatePlacementFile: optional(BOOLEAN),
      creationStackTraces: optional(BOOLEAN),
      keyScope: optional(oneOf(FleetKeyScope)),
      registry: optional(OBJECT),
    });
    super(scope, id);
    const problems = new Problems(subjectOf('RepositoryFleet', scope, id));
    const maxResources = props.maxResourcesPerStack ?? DEFAULT_RESOURCES_PER_STACK;
    const maxBytes = props.maxTemplateBytesPerStack ?? DEFAULT_TEMPLATE_BYTES_PER_STACK;
    shardBudgetProblems(maxResources, maxBytes).forEach((p) => problems.add(p));
    const seen = new Set<string>();
    props.repositories.forEach((r, i) => {
      if (typeof r.repositoryName !== 'string') problems.add(`repositories[${i}].repositoryName must be a string`);
      else if (seen.has(r.repositoryName)) problems.add(`repositories[${i}]: repository '${r.repositoryName}' is listed twice`);
      seen.add(r.repositoryName);
      acknowledgementProblems(r, i).forEach((p) => problems.add(p));
      registryProblems(r, i, props.env).forEach((p) => problems.add(p));
      adoptedSettingProblems(r, i, props.env?.region).forEach((p) => problems.add(p));
    });
    problems.throwIfAny();

    // Everything is rendered in name order, so that the catalog's order never shows in the templates.
    const entries = [...props.repositories].sort((a, b) => compareNames(a.repositoryName, b.repositoryName));
    let previous: PlacementState = { repositories: new Map(), shards: [], keys: new Map(), registry: false };
    if (props.placementFile && existsSync(props.placementFile)) {
      previous = parsePlacementState(readFileSync(props.placementFile, 'utf8'), props.placementFile);
    }
    const budget = { resources: maxResources, bytes: maxBytes };
    const result = placeRepositories(previous.repositories, entries.map(fleetItem), budget, previous.shards);
    this.usage = result.shards;
    this.keyScope = props.keyScope ?? FleetKeyScope.SHARD;
    const keys = new Map(previous.keys);
    const keptKeys: string[] = [];
    if (this.keyScope !== (previous.keyScope ?? FleetKeyScope.SHARD)) {
      // ECR cannot change a repository's key: the repositories placed before keep theirs, recorded in the file.
      for (const r of entries) {
        const holder = implicitKeyHolder(previous, r.repositoryName);
        if (holder === undefined || keys.has(r.repositoryName) || r.encryption !== undefined || r.kmsKeyArn !== undefined) continue;
        keys.set(r.repositoryName, holder);
        keptKeys.push(r.repositoryName);
      }
    }
    this.keys = keys;

    const shardStacks = new Map<number, Stack>();
    for (const usage of result.shards) {
      const stack = new Stack(this, `Shard${usage.shard}`, { env: props.env, description: `ECR repositories of fleet ${this.node.path}, shard ${usage.shard}` });
      if (props.creationStackTraces !== true) stack.node.setContext(DISABLE_CREATION_STACK_TRACES, true);
      measureTemplateAtSynth(stack, maxBytes, `RepositoryFleet '${this.node.path}'`, this.measuredBytes);
      shardStacks.set(usage.shard, stack);
      this.stacks.push(stack);
    }
    for (const r of entries) {
      const stack = shardStacks.get(result.placement.get(r.repositoryName)!)!;
      const repo = new PrivateRepository(stack, repositoryConstructId(r.repositoryName), {
        repositoryName: r.repositoryName,
        lifecyclePolicy: r.lifecyclePolicy,
        imageTagMutability: r.imageTagMutability,
        imageTagMutabilityExclusions: r.imageTagMutabilityExclusions,
        encryption: this.encryptionOf(r, result.placement.get(r.repositoryName)!, shardStacks, props.env, problems),
        access: r.access,
        removalPolicy: r.removalPolicy,
        imageScanOnPush: r.imageScanOnPush,
      });
      for (const a of r.acknowledgements ?? []) for (const rule of acknowledgedIds(a.id)) acknowledgeRule(repo.cfnRepository, rule, a.reason);
      acknowledgeControlTower(repo.cfnRepository, r.acknowledgements);
      if (r.owner !== undefined) repo.cfnRepository.tags.setTag('owner', r.owner);
      if (r.costCenter !== undefined) repo.cfnRepository.tags.setTag('cost-center', r.costCenter);
      for (const [key, value] of Object.entries(r.tags ?? {})) repo.cfnRepository.tags.setTag(key, value);
      if (r.noLifecyclePolicy === true) repo.cfnRepository.lifecyclePolicy = undefined;
      if (r.repositoryPolicyText !== undefined) {
        const read = readPolicyDocument(r.repositoryPolicyText);
        const accepted = r.acknowledgements?.find((a) => a.id === OPEN_ACCESS_RULE)?.reason;
        repo._keepPolicyDocument(read.document!, read.statements, read.open.length === 0, accepted);
      }
      this.repositories.set(r.repositoryName, repo);
    }
    for (const usage of result.shards) {
      // A shard whose last repository left still deploys, so that CloudFormation drops that repository.
      const stack = shardStacks.get(usage.shard)!;
      if (usage.repositories === 0 && !stack.node.findAll().some((c) => CfnResource.isCfnResource(c))) {
        new CfnWaitConditionHandle(stack, 'EmptyShardPlaceholder');
      }
    }
    // The registry key stays, with its export, once written: shards that import it deploy after the registry stack.
    if (this.keyScope === FleetKeyScope.REGISTRY || previous.registryKey) this.registryEncryption(props.env);
    if (props.registry) this.addGivenRegistrySettings(props.registry, props.env);
    this.addRegistrySettings(entries, props.env, previous.registry, problems);
    if (props.repositories.some((r) => r.scanFrequency !== undefined)) {
      // A registry scanning configuration overrides every repository's own scan on
      // push: one '*' SCAN_ON_PUSH filter keeps every repository of the account
      // scanned, and takes no filter per repository.
      RegistryScanning.of(this.registry(props.env)).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['*'] });
    }
    for (const stack of this.stacks) {
      const count = stack.node.findAll().filter((c) => CfnResource.isCfnResource(c)).length;
      if (count > maxResources) {
        problems.add(`stack ${stack.node.path} has ${count} resources, more than maxResourcesPerStack ${maxResources}: its repositories need more resources than the fleet estimates (for example a key of their own each); lower maxResourcesPerStack for new shards`);
      }
    }
    problems.throwIfAny();

    const state: PlacementState = {
      repositories: result.placement,
      shards: result.shards.map((u) => u.shard),
      keys,
      registry: this.registryStack !== undefined,
      keyScope: this.keyScope,
      registryKey: this.registryKeyEncryption !== undefined,
    };
    this.placementText = renderPlacementState(state);
    const current = props.placementFile && existsSync(props.placementFile) ? readFileSync(props.placementFile, 'utf8') : undefined;
    if (props.placementFile && current !== this.placementText) {
      if (props.updatePlacementFile === false) {
        if (current === undefined || result.created.length > 0 || result.removed.length > 0) {
          problems.add(`placement file ${props.placementFile} is out of date (${result.created.length} repositories to place, ${result.removed.length} to remove): run the synth with updatePlacementFile true, or \`cdk-ecr-platform catalog plan --write\`, and commit the file`);
          problems.throwIfAny();
        }
        this.annotations.addWarningV2('cdk-ecr-platform:placementFileOutdated',
          `RepositoryFleet '${this.node.path}': placement file ${props.placementFile} does not record ${this.registryStack && !previous.registry ? 'the registry stack' : 'everything this fleet renders'}: run the synth once with updatePlacementFile true and commit the file, so that the fleet keeps it when its settings go`);
      } else {
        // Written only once the whole fleet is valid.
        writeFileSync(props.placementFile, this.placementText);
      }
    }
    if (keptKeys.length > 0) {
      this.annotations.addWarningV2('cdk-ecr-platform:fleetKeyScopeKept',
        `RepositoryFleet '${this.node.path}': keyScope ${this.keyScope} applies to new repositories only: ${keptKeys.length} repositories of the placement file keep the key they have, because ECR cannot change a repository's key (${keptKeys.slice(0, 10).join(', ')}${keptKeys.length > 10 ? ', ...' : ''}); the placement file records them under keys`);
    }
    if (result.created.length > 0 && previous.repositories.size > 0) {
      this.annotations.addInfo(`RepositoryFleet '${this.node.path}': ${result.created.length} new repositories placed: ${result.created.slice(0, 10).join(', ')}${result.created.length > 10 ? ', ...' : ''}`);
    }
  }

  /**
   * Where the fleet's own messages go: its first shard stack, or its
   * registry stack. The fleet is a child of the app, and `cdk synth` reports
   * the messages of stacks and of the constructs inside them only; an
   * acknowledgement on the fleet (or the app) still applies.
   */
  private get annotations(): Annotations {
    return Annotations.of(this.stacks[0] ?? this.registryStack ?? this);
  }

  /**
   * A repository's encryption: its own setting, or the shared key that
   * encrypts its images: the placement file's `keys` for a repository moved
   * from another shard or placed before the key scope changed (ECR cannot
   * change the key of a repository), otherwise the key scope's: its shard's
   * key, or the fleet's registry key.
   */
  private encryptionOf(r: FleetRepositoryProps, shard: number, shardStacks: Map<number, Stack>, env: Environment | undefined, problems: Problems)
    : ImageEncryption | undefined {
    if (r.kmsKeyArn !== undefined) {
      const key = existingKey(shardStacks.get(shard)!, r.kmsKeyArn);
      return r.dualLayerEncryption === true ? ImageEncryption.kmsDsse(key) : ImageEncryption.kms(key);
    }
    const recorded = this.keys.get(r.repositoryName);
    const holder = recorded ?? (this.keyScope === FleetKeyScope.REGISTRY ? REGISTRY_KEY_HOLDER : shard);
    if (holder === shard) return r.encryption;
    if (r.encryption === undefined) {
      return holder === REGISTRY_KEY_HOLDER ? this.registryEncryption(env) : defaultRepositoryEncryption(shardStacks.get(holder)!);
    }
    if (recorded !== undefined && r.encryption.usesKms && r.encryption.key === undefined && !r.encryption._usesAwsManagedKey) {
      problems.add(`repository '${r.repositoryName}' moved from ${keyHolderName(recorded)} (placement file keys), but its encryption creates a key of its own with the repository, which cannot move with it: name that key with ImageEncryption.kms(kms.Key.fromKeyArn(...)) before moving it`);
    }
    return r.encryption;
  }

  /**
   * The fleet's registry key (the registry stack's shared repository key),
   * created on first use and always exported, so that the registry stack
   * keeps the export while a shard that imports it is not yet deployed.
   */
  private registryEncryption(env: Environment | undefined): ImageEncryption {
    if (!this.registryKeyEncryption) {
      const stack = this.registry(env);
      this.registryKeyEncryption = defaultRepositoryEncryption(stack);
      stack.exportValue(this.registryKeyEncryption.key!.keyArn);
    }
    return this.registryKeyEncryption;
  }

  /**
   * The fleet's repository of that name, for grants and references. With a
   * concrete `env`, its name and ARN are literals, so that other stacks use
   * it without a CloudFormation export from the shard; grants to other
   * accounts still go to the repository policy. In an environment-agnostic
   * fleet it is the repository itself, whose name and ARN other stacks
   * import from the shard's exports.
   */
  public repository(repositoryName: string): ecr.IRepository {
    const repo = this.privateRepository(repositoryName);
    const stack = Stack.of(repo);
    if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) return repo;
    let reference = this.references.get(repositoryName);
    if (!reference) {
      reference = new FleetRepositoryReference(stack, `${repositoryConstructId(repositoryName)}Reference`, repo, repositoryName);
      this.references.set(repositoryName, reference);
    }
    return reference;
  }

  /** The shard stack that holds the repository. */
  public stackOf(repositoryName: string): Stack {
    return Stack.of(this.privateRepository(repositoryName));
  }

  /**
   * The resource mapping `cdk import --resource-mapping FILE` needs to adopt
   * retained repositories into the shard that now holds them (see the move
   * procedure in docs/fleets.md): logical ID to `{ RepositoryName }`.
   */
  public importResourceMapping(repositoryNames: string[]): string {
    const mapping: Record<string, { RepositoryName: string }> = {};
    for (const name of repositoryNames) {
      const repo = this.privateRepository(name);
      mapping[Stack.of(repo).getLogicalId(repo.cfnRepository)] = { RepositoryName: name };
    }
    return `${JSON.stringify(mapping, null, 2)}\n`;
  }

  /**
   * The resource mappings that adopt a live registry into the fleet, one per
   * stack (shards and the registry stack) that holds something the export
   * says runs: stack name to the text of the file for
   * `cdk import STACK --resource-mapping FILE`. Repositories are identified
   * by `RepositoryName`, the registry singletons (replication, scanning,
   * registry policy, signing) by the registry ID, pull-through cache rules by
   * `EcrRepositoryPrefix`, creation templates by `Prefix` and pull-time
   * update exclusions by `PrincipalArn`; what does not run is left out (the
   * next deploy creates it). The account settings are custom resources,
   * which CloudFormation cannot import: they are left out too, and the first
   * deploy creates them (setting the values that already run). Check first
   * with `cdk-ecr-platform catalog plan --live` that the import changes
   * nothing it would replace.
   *
   * @param registryExport the live registry (`RegistryExport.fromFile`)
   */
  public importResourceMappings(registryExport: RegistryExport): { [stackName: string]: string } {
    guard(`RepositoryFleet.importResourceMappings '${this.node.path}'`, { registryExport: [registryExport, OBJECT] });
    const out: { [stackName: string]: string } = {};
    for (const stack of [...this.stacks, ...(this.registryStack ? [this.registryStack] : [])]) {
      const text = registryExport.importResourceMapping(stack);
      if (text !== '{}\n') out[stack.stackName] = text;
    }
    return out;
  }

  private privateRepository(repositoryName: string): PrivateRepository {
    const repo = this.repositories.get(repositoryName);
    if (!repo) {
      const hint = closest(repositoryName, [...this.repositories.keys()]);
      throw new Error(`RepositoryFleet '${this.node.path}': no repository '${repositoryName}' in the fleet${hint ? `: did you mean '${hint}'?` : ''}`);
    }
    return repo;
  }

  /**
   * Resources and template bytes of each shard: estimated as placed, and,
   * after the app is synthesized, the measured size of each template.
   */
  public get shardUsage(): string[] {
    return this.usage.map((u) => {
      const measured = this.measuredBytes.get(`${this.node.path}/Shard${u.shard}`);
      return `Shard${u.shard}: ${u.repositories} repositories, ${u.resources} resources (estimated), ~${u.bytes} bytes (estimated)${measured !== undefined ? `, ${measured} bytes (measured)` : ''}`;
    });
  }

  /**
   * Replication and continuous scanning of the fleet's repositories, in the
   * fleet's registry stack: one filter per repository while a rule's
   * filters fit ECR's quota, otherwise prefixes that cover no other known
   * repository of the registry (see `compressFilters`), or an error naming
   * the quota and the excess.
   */
  private addRegistrySettings(entries: FleetRepositoryProps[], env: Environment | undefined, keepStack: boolean, problems: Problems): void {
    // Rules in the order of their destinations, each rule's destinations and names sorted
    // (`entries` is in name order): the catalog's order never shows in the configuration.
    const byDestinations = new Map<string, { destinations: ReplicationDestination[]; names: string[] }>();
    const continuous: string[] = [];
    for (const r of entries) {
      if (r.replicationDestinations && r.replicationDestinations.length > 0) {
        const key = destinationKey(r.replicationDestinations);
        const group = byDestinations.get(key)
          ?? { destinations: [...r.replicationDestinations].sort((a, b) => compareNames(a._ref.key, b._ref.key)), names: [] };
        group.names.push(r.repositoryName);
        byDestinations.set(key, group);
      }
      if (r.scanFrequency === ScanFrequency.CONTINUOUS_SCAN) continuous.push(r.repositoryName);
    }
    if (byDestinations.size === 0 && continuous.length === 0) {
      if (entries.some((r) => r.scanFrequency !== undefined)) return;
      // A registry stack that was written stays in the app (with a placeholder), so that CloudFormation removes its settings.
      if (keepStack && !this.registryStack) new CfnWaitConditionHandle(this.registry(env), 'EmptyRegistryPlaceholder');
      return;
    }
    const registryStack = this.registry(env);
    const known = () => [...new Set([...this.repositories.keys(), ...registryRepositoryNames(registryStack)])];
    let knownNames: string[] | undefined;
    const checks: { members: string[]; prefixes: string[]; semantics: FilterSemantics; rule: string }[] = [];

    for (const [key, group] of [...byDestinations].sort((a, b) => compareNames(a[0], b[0]))) {
      const replicate = (name: string) => Registry.of(registryStack)._replicateRepository(
        `RepositoryFleet '${this.node.path}' repository '${name}'`, name, group.destinations, this.repositories.get(name));
      if (group.names.length <= MAX_FILTERS_PER_RULE) {
        group.names.forEach(replicate);
        continue;
      }
      const compressed = compressFilters(group.names, knownNames ??= known(), MAX_FILTERS_PER_RULE, REPLICATION_FILTERS);
      if (!compressed.fits) {
        problems.add(replicationFilterQuotaMessage(key, group.names.length, compressed.count));
        continue;
      }
      compressed.names.forEach(replicate);
      if (compressed.prefixes.length > 0) {
        const repositoryFilters = compressed.prefixes.map((p) => p.filter);
        Registry.of(registryStack).addReplicationRule({ destinations: group.destinations, repositoryFilters });
        checks.push({ members: group.names, prefixes: compressed.prefixes.map((p) => p.prefix), semantics: REPLICATION_FILTERS, rule: `the replication rule to ${key}` });
      }
    }

    if (continuous.length > 0) {
      const registryNames = continuous.length > MAX_SCANNING_FILTERS_PER_RULE ? knownNames ??= known() : [];
      const compressed = compressFilters(continuous, registryNames, MAX_SCANNING_FILTERS_PER_RULE, SCANNING_FILTERS);
      if (!compressed.fits) {
        problems.add(continuousScanFilterQuotaMessage(continuous.length, compressed.count));
      } else {
        for (const name of compressed.names) {
          RegistryScanning.of(registryStack)._addRepository(`RepositoryFleet '${this.node.path}' repository '${name}'`, name, ScanFrequency.CONTINUOUS_SCAN, this.repositories.get(name));
        }
        if (compressed.prefixes.length > 0) {
          const repositoryFilters = compressed.prefixes.map((p) => p.filter);
          RegistryScanning.of(registryStack).addRule({ frequency: ScanFrequency.CONTINUOUS_SCAN, repositoryFilters });
          checks.push({ members: continuous, prefixes: compressed.prefixes.map((p) => p.prefix), semantics: SCANNING_FILTERS, rule: 'the CONTINUOUS_SCAN scanning rule' });
        }
      }
    }
    problems.throwIfAny();

    if (checks.length > 0) {
      // Repositories the app declares after the fleet are known only at synth: check the prefixes again then.
      this.node.addValidation({
        validate: () => {
          const names = known();
          return checks.flatMap((c) => prefixOvercoverage(c.members, c.prefixes, names, c.semantics).map((o) =>
            `the prefix '${o.prefix}' that ${c.rule} uses for the fleet's repositories also covers ${o.names.map((n) => `'${n}'`).join(', ')} of the same registry: rename ${o.names.length === 1 ? 'it' : 'them'} apart from the fleet's repositories`));
        },
      });
    }
  }

  /** The registry settings given as they are, in the registry stack, through the registry's own constructs. */
  private addGivenRegistrySettings(settings: FleetRegistrySettings, env: Environment | undefined): void {
    const rules = settings.replicationRules ?? [];
    const scanning = settings.scanningRules ?? [];
    const none = rules.length === 0 && scanning.length === 0 && settings.scanType === undefined && settings.policyText === undefined;
    if (none && !hasRegistryResources(settings)) return;
    const stack = this.registry(env);
    if (settings.policyText !== undefined) {
      // The statements as they run; Registry.addToPolicy applies the registry policy's own rules to each.
      const document = JSON.parse(settings.policyText) as { Statement: unknown[] };
      for (const statement of document.Statement) Registry.of(stack).addToPolicy(iam.PolicyStatement.fromJson(statement));
    }
    for (const rule of rules) Registry.of(stack).addReplicationRule(rule);
    for (const rule of scanning) RegistryScanning.of(stack).addRule(rule);
    if (settings.scanType !== undefined) RegistryScanning.of(stack).useScanType(settings.scanType);
    renderRegistryResources(stack, settings, `RepositoryFleet '${this.node.path}': registry`);
  }

  private registry(env: Environment | undefined): Stack {
    return this.registryStack ??= new Stack(this, 'Registry', { env, description: `ECR registry settings of fleet ${this.node.path}` });
  }
}

const policyText = new WeakMap<LifecyclePolicy, number>();
/** Template bytes of a lifecycle policy: its text, escaped inside the template. */
function policyBytes(policy: LifecyclePolicy): number {
  let bytes = policyText.get(policy);
  if (bytes === undefined) {
    const text = policy.toJson();
    bytes = text.length + (text.match(/"/g)?.length ?? 0) + 40;
    policyText.set(policy, bytes);
  }
  return bytes;
}

/** Template bytes of a repository policy made of these accesses, by access list and by what the accesses render. */
const accessBytesByList = new WeakMap<RepositoryAccess[], number>();
const accessBytesByKey = new Map<string, number>();

/**
 * Template bytes of the repository policy that these accesses render: the
 * policy resolved as the template writes it (aws-cdk-lib indents templates
 * by one space per level; the policy sits four levels deep), plus a margin.
 * Every account, organizational unit and Lambda account counts; the policy
 * is rendered once per distinct list.
 */
function accessBytes(access: RepositoryAccess[] | undefined): number {
  if (!access || access.length === 0) return 0;
  let bytes = accessBytesByList.get(access);
  if (bytes !== undefined) return bytes;
  const keys = access.map((a) => a._renderKey);
  const key = keys.every((k) => k !== undefined) ? keys.join('\n') : undefined;
  bytes = key === undefined ? undefined : accessBytesByKey.get(key);
  if (bytes === undefined) {
    const text = JSON.stringify(resolvedAccessPolicy(access), undefined, 1);
    bytes = text.length + text.split('\n').length * 4 + 64;
    if (key !== undefined) accessBytesByKey.set(key, bytes);
  }
  accessBytesByList.set(access, bytes);
  return bytes;
}

/** The rule whose acknowledgement accepts an open repository policy. */
const OPEN_ACCESS_RULE = complianceRuleId('OpenAccess');

/**
 * Problems of the settings an entry reproduces from an existing repository:
 * the key ARN, the tags, the policy document (an open one only with the
 * acknowledgement of EcrCompliance-OpenAccess) and no lifecycle policy.
 */
function adoptedSettingProblems(r: FleetRepositoryProps, i: number, region: string | undefined): string[] {
  const at = `repositories[${i}]${typeof r.repositoryName === 'string' ? ` '${r.repositoryName}'` : ''}`;
  const problems: string[] = [];
  if (r.kmsKeyArn !== undefined) {
    if (typeof r.kmsKeyArn !== 'string') problems.push(`${at}: kmsKeyArn must be a string`);
    else kmsKeyArnProblems(r.kmsKeyArn, region !== undefined && !Token.isUnresolved(region) ? region : undefined).forEach((p) => problems.push(`${at}: kmsKeyArn ${p}`));
    if (r.encryption !== undefined) problems.push(`${at}: give either encryption or kmsKeyArn (which means KMS with that key), not both`);
  }
  if (r.dualLayerEncryption !== undefined && typeof r.dualLayerEncryption !== 'boolean') {
    problems.push(`${at}: dualLayerEncryption must be true or false`);
  } else if (r.dualLayerEncryption === true && r.kmsKeyArn === undefined) {
    problems.push(`${at}: dualLayerEncryption says how kmsKeyArn's key encrypts: give kmsKeyArn (with the AWS managed key, encryption ImageEncryption.KMS_DSSE_AWS_MANAGED)`);
  }
  if (r.tags !== undefined) {
    if (typeof r.tags !== 'object' || r.tags === null || Array.isArray(r.tags)) {
      problems.push(`${at}: tags must be a mapping of keys to values`);
    } else {
      repositoryTagProblems(r.tags, { 'owner': { setting: 'owner', value: r.owner }, 'cost-center': { setting: 'costCenter', value: r.costCenter } })
        .forEach((p) => problems.push(`${at}: tags: ${p}`));
    }
  }
  if (r.noLifecyclePolicy === true && r.lifecyclePolicy !== undefined) problems.push(`${at}: give either lifecyclePolicy or noLifecyclePolicy, not both`);
  if (r.repositoryPolicyText !== undefined) {
    if (typeof r.repositoryPolicyText !== 'string') {
      problems.push(`${at}: repositoryPolicyText must be the policy's JSON text`);
    } else {
      const read = readPolicyDocument(r.repositoryPolicyText);
      read.problems.forEach((p) => problems.push(`${at}: repositoryPolicyText: ${p}`));
      if (!r.acknowledgements?.some((a) => a?.id === OPEN_ACCESS_RULE)) {
        read.open.forEach((p) => problems.push(`${at}: repositoryPolicyText: ${p}. To keep this policy as it runs, acknowledge ${OPEN_ACCESS_RULE} with the reason`));
      }
    }
  }
  return problems;
}

/**
 * An existing key of a shard stack, by ARN: one reference per key and stack
 * (it creates no resource).
 */
function existingKey(stack: Stack, arn: string): kms.IKey {
  const id = `ExistingKey${arn.replace(/[^A-Za-z0-9]/g, '')}`;
  return (stack.node.tryFindChild(id) as kms.IKey | undefined) ?? kms.Key.fromKeyArn(stack, id, arn);
}

/** Problems of an entry's acknowledgements: each names a rule of the compliance pack that checks repositories, with a reason, once. */
function acknowledgementProblems(r: FleetRepositoryProps, i: number): string[] {
  if (r.acknowledgements === undefined) return [];
  const at = `repositories[${i}]${typeof r.repositoryName === 'string' ? ` '${r.repositoryName}'` : ''}: acknowledgements`;
  if (!Array.isArray(r.acknowledgements)) return [`${at} must be a list of { id, reason }`];
  const problems: string[] = [];
  const ids = new Set<string>();
  r.acknowledgements.forEach((a, j) => {
    if (typeof a !== 'object' || a === null) {
      problems.push(`${at}[${j}] must be { id, reason }`);
      return;
    }
    repositoryAcknowledgementProblems(a.id, a.reason, closest).forEach((p) => problems.push(`${at}[${j}].${p.field}: ${p.message}`));
    if (ids.has(a.id)) problems.push(`${at}[${j}]: ${a.id} is acknowledged twice`);
    ids.add(a.id);
  });
  return problems;
}

/** A repository's cost in its shard, by the fleet's estimate. @internal */
export function fleetItem(r: FleetRepositoryProps): PlacementItem {
  let bytes = 700 + r.repositoryName.length * 4;
  if (r.lifecyclePolicy) bytes += policyBytes(r.lifecyclePolicy);
  else bytes += 700;
  bytes += accessBytes(r.access);
  if (r.repositoryPolicyText !== undefined) bytes += r.repositoryPolicyText.length * 2 + 64;
  for (const [key, value] of Object.entries(r.tags ?? {})) bytes += 60 + key.length + value.length;
  if (r.kmsKeyArn !== undefined) bytes += 60 + r.kmsKeyArn.length;
  bytes += (r.imageTagMutabilityExclusions?.length ?? 0) * 90;
  if (r.owner !== undefined) bytes += 60 + r.owner.length;
  if (r.costCenter !== undefined) bytes += 60 + r.costCenter.length;
  // cdk-nag can write acknowledgements into the resource's Metadata (writeSuppressionsToCloudFormation).
  for (const a of r.acknowledgements ?? []) bytes += 60 + a.id.length + a.reason.length * 2;
  const ownKey = r.encryption !== undefined && r.encryption.usesKms && r.encryption.key === undefined;
  return { name: r.repositoryName, resources: ownKey ? 2 : 1, bytes: ownKey ? bytes + 2500 : bytes };
}

/**
 * The problems of an entry that names another registry than the fleet's
 * environment: a fleet deploys to one account and region.
 */
function registryProblems(entry: FleetRepositoryProps, index: number, env: Environment | undefined): string[] {
  const problems: string[] = [];
  for (const key of ['account', 'region'] as const) {
    const own = entry[key];
    if (own === undefined) continue;
    if (typeof own !== 'string') {
      problems.push(`repositories[${index}].${key} must be a string`);
      continue;
    }
    const fleets = env?.[key];
    if (fleets === undefined || (isConcrete(fleets) && isConcrete(own) && fleets !== own)) {
      problems.push(`repositories[${index}] '${entry.repositoryName}' names ${key} ${own}, but this fleet deploys to ${fleets === undefined ? `no ${key} (its env has none)` : fleets}: `
        + 'a RepositoryFleet builds the repositories of one account and region; use MultiRegistryFleet for a catalog that spans several');
    }
  }
  return problems;
}

