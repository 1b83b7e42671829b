import { DEFAULT_RESOURCES_PER_STACK, DEFAULT_TEMPLATE_BYTES_PER_STACK } from './budget';
import { CATALOG_AWS_MANAGED_KEY } from './catalog-encryption';
import { importRegistryResources } from './catalog-import-registry';
import {
  CONTROL_TOWER_LIFECYCLE_PRESET, controlTowerAcknowledgementReason, ControlTowerChange, ControlTowerImport,
} from './control-tower';
import { fleetItem } from './fleet';
import { FindingAcknowledgement, FleetRegistrySettings, FleetRepositoryProps } from './model';
import { compareNames, placeRepositories, renderPlacementState } from './placement';
import { ExportedRepository, RegistryExportFile } from '../adopt/export-model';
import { sortedTags } from '../adopt/mapping';
import { complianceRuleId, EcrComplianceRule } from '../compliance/rule-ids';
import {
  CONTROL_TOWER_TAG_MUTABILITY, ControlTowerEcrControl, EncryptionType, hasTagMutabilityExclusions, IMAGE_TAG_MUTABILITIES,
  IMMUTABLE_TAG_MUTABILITIES, KMS_ENCRYPTION_TYPES,
} from '../internal/ecr-facts';
import { LifecyclePolicy } from '../lifecycle/policy';
import { ReplicationDestination, ReplicationRuleOptions } from '../registry/replication';
import { kmsKeyArnProblems, readPolicyDocument, repositoryTagProblems } from '../repository/adopted-settings';
import { ImageEncryption, kmsDsseRegionProblem } from '../repository/encryption';
import { ImageTagMutability } from '../repository/private-repository';
import { scanningFilterMatches } from '../scanning/checks';
import { ScanFrequency, ScanType } from '../scanning/enums';
import { ScanningRuleOptions } from '../scanning/registry-scanning';

/*
 * catalog import: from a registry export to a catalog (YAML) and a placement
 * file that reproduce every live setting of every repository. The catalog
 * says explicitly what the library's defaults would say otherwise
 * (encryption always, with the key's ARN for KMS; the lifecycle policy text,
 * or none; MUTABLE tags; scan on push off), and acknowledges, with a reason
 * that says so, the compliance findings the live settings raise, except an
 * open repository policy: that one is written as it runs and reported, and
 * the catalog refuses it until the user restricts it or acknowledges
 * EcrCompliance-OpenAccess in the entry. AWS Control Tower's controls on
 * repositories (CT.ECR.PR.1-3) that a live setting fails are acknowledged per
 * entry with the reason a governed account refuses the deploy, or, with the
 * controlTower option, the setting is written to comply (control-tower.ts).
 */

/** The tags the catalog writes with keys of their own (`owner`, `costCenter`). */
const OWN_TAGS: Readonly<Record<string, 'owner' | 'costCenter'>> = { 'owner': 'owner', 'cost-center': 'costCenter' };

/** One repository of the export, as a catalog entry: the fleet's model and the catalog's keys, in the order written. */
interface ImportedEntry {
  readonly props: FleetRepositoryProps;
  readonly keys: ReadonlyArray<readonly [string, unknown]>;
  /** The Control Tower controls the live settings fail (acknowledged, or changed to comply). */
  readonly controlTower: ControlTowerChange[];
}

/** A repository whose policy allows `*` without a condition that restricts it. */
export interface OpenRepositoryPolicy {
  readonly repositoryName: string;
  /** The open-access check's findings, one per statement. */
  readonly statements: string[];
}

/** What a catalog import gives. */
export interface CatalogImport {
  /** Every problem: with any, nothing may be written. */
  readonly problems: string[];
  /** The catalog (YAML), when there is no problem. */
  readonly catalogText?: string;
  /** The placement file (JSON), when there is no problem. */
  readonly placementText?: string;
  /** The repositories imported, in name order. */
  readonly repositories: FleetRepositoryProps[];
  /** Repositories whose policy the catalog refuses until the user decides. */
  readonly openPolicies: OpenRepositoryPolicy[];
  /** The findings acknowledged because the live settings raise them: rule ID to how many repositories. */
  readonly acknowledged: Readonly<Record<string, number>>;
  /** The registry settings the catalog's registry block reproduces, if any. */
  readonly registry?: FleetRegistrySettings;
  /** How many shard stacks the placement has. */
  readonly shards: number;
  /** What the export holds that the catalog does not reproduce, one line each. */
  readonly notReproduced: string[];
  /**
   * The AWS Control Tower controls the live settings fail, per repository:
   * acknowledged in the catalog, or (with `controlTower`) changed to comply.
   */
  readonly controlTower: ControlTowerImport[];
}

/** Where the export comes from, for the catalog's header and the acknowledgements' reasons. */
export interface CatalogImportOptions {
  /** The export file's name, for the catalog's header and messages. */
  readonly source: string;
  /**
   * Write values that AWS Control Tower's controls on repositories accept
   * (CT.ECR.PR.1-3) where the live ones fail them, instead of acknowledging
   * the controls: the first deploy then updates those settings in place.
   */
  readonly controlTower?: boolean;
}

/**
 * The catalog and placement that reproduce an export's repositories. Never
 * throws on bad input: every problem is listed, and with any there is no
 * catalog or placement text.
 */
export function importCatalog(registryExport: RegistryExportFile, options: CatalogImportOptions): CatalogImport {
  const controlTower: ControlTowerImport[] = [];
  const problems: string[] = [];
  const openPolicies: OpenRepositoryPolicy[] = [];
  const acknowledged: Record<string, number> = {};
  const origin = `${registryExport.account}/${registryExport.region}`;
  const lifecycles = new Map<string, LifecyclePolicy | string[]>();
  const seen = new Set<string>();
  const entries: ImportedEntry[] = [];
  // The registry scanning rules the catalog's registry block reproduces: a repository they cover is scanned whatever its own setting.
  const scanningFilters = (registryExport.registry?.scanningConfiguration?.rules ?? [])
    .filter((rule) => SCAN_FREQUENCIES.includes(rule.scanFrequency)).flatMap((rule) => rule.repositoryFilters.map((f) => f.filter));
  const scannedByRegistry = (name: string) => scanningFilters.some((f) => scanningFilterMatches(f, name));
  const sorted = [...registryExport.repositories].sort((a, b) => compareNames(String(a?.repositoryName), String(b?.repositoryName)));
  for (const repository of sorted) {
    const at = `${options.source}: repository '${repository?.repositoryName}'`;
    if (seen.has(repository?.repositoryName)) {
      problems.push(`${at}: listed twice`);
      continue;
    }
    seen.add(repository?.repositoryName);
    const entry = importRepository(repository, registryExport.region, origin, lifecycles, scannedByRegistry,
      (m) => problems.push(`${at}: ${m}`), options.controlTower === true);
    if (!entry) continue;
    if (entry.controlTower.length > 0) {
      controlTower.push({ repositoryName: repository.repositoryName, controls: entry.controlTower, changed: options.controlTower === true });
    }
    entries.push(entry);
    const read = entry.props.repositoryPolicyText !== undefined ? readPolicyDocument(entry.props.repositoryPolicyText) : undefined;
    if (read && read.open.length > 0) openPolicies.push({ repositoryName: repository.repositoryName, statements: read.open });
    for (const a of entry.props.acknowledgements ?? []) acknowledged[a.id] = (acknowledged[a.id] ?? 0) + 1;
  }
  const repositories = entries.map((e) => e.props);
  const registry = registryBlock(registryExport, (m) => problems.push(`${options.source}: registry: ${m}`));
  const notReproduced = [...registryNotes(registryExport), ...registry?.notes ?? []];
  if (problems.length > 0) return { problems, repositories, openPolicies, acknowledged, shards: 0, notReproduced, controlTower };

  // The fleet's own placement, with its default budget: the first synthesis finds every repository placed.
  const budget = { resources: DEFAULT_RESOURCES_PER_STACK, bytes: DEFAULT_TEMPLATE_BYTES_PER_STACK };
  const placement = placeRepositories(new Map(), repositories.map(fleetItem), budget);
  const shards = placement.shards.map((u) => u.shard);
  const placementText = renderPlacementState({ repositories: placement.placement, shards, keys: new Map(), registry: registry !== undefined });
  return {
    problems,
    catalogText: renderCatalog(entries, registry, registryExport, options.source, options.controlTower === true && controlTower.length > 0),
    registry: registry?.settings,
    placementText,
    repositories,
    openPolicies,
    acknowledged,
    shards: placement.shards.length,
    notReproduced,
    controlTower,
  };
}

/** One repository as a catalog entry, or undefined with its problems reported. */
function importRepository(
  r: ExportedRepository, region: string, origin: string, lifecycles: Map<string, LifecyclePolicy | string[]>,
  scannedByRegistry: (name: string) => boolean, report: (message: string) => void, comply = false,
): ImportedEntry | undefined {
  let ok = true;
  const fail = (message: string) => { ok = false; report(message); };
  if (!r || typeof r !== 'object' || typeof r.repositoryName !== 'string') {
    fail('not a repository with a repositoryName');
    return undefined;
  }
  const keys: [string, unknown][] = [['name', r.repositoryName]];
  const props: Record<string, unknown> = { repositoryName: r.repositoryName };
  const acknowledgements: FindingAcknowledgement[] = [];
  const acknowledge = (rule: EcrComplianceRule, what: string) => acknowledgements.push({
    id: complianceRuleId(rule),
    reason: `Kept as it runs in ${origin} (catalog import): ${what}. Change the setting and drop this acknowledgement to comply.`,
  });
  // A Control Tower control the live setting fails: acknowledged with a reason that says what a governed account does, or (comply) changed.
  const controlTower: ControlTowerChange[] = [];
  const failsControl = (control: ControlTowerEcrControl, live: string, compliant: string) => {
    controlTower.push({ control, live, compliant: comply ? compliant : undefined });
    if (!comply) acknowledgements.push({ id: control, reason: controlTowerAcknowledgementReason(control, origin, live) });
  };

  // Tags: owner and cost-center have keys of their own.
  // In key order, owner and costCenter first, whatever the export's order: the same tags always give the same bytes.
  const tags: Record<string, string> = {};
  const sorted = Array.isArray(r.tags) ? sortedTags(r.tags) : [];
  for (const own of ['owner', 'cost-center']) {
    const tag = sorted.find((t) => t.Key === own);
    if (tag !== undefined) {
      keys.push([OWN_TAGS[own], tag.Value]);
      props[OWN_TAGS[own]] = tag.Value;
    }
  }
  for (const tag of sorted) {
    if (OWN_TAGS[tag.Key] === undefined) tags[tag.Key] = tag.Value;
  }
  if (Object.keys(tags).length > 0) {
    const ownValues = { 'owner': { setting: 'owner', value: props.owner as string | undefined }, 'cost-center': { setting: 'costCenter', value: props.costCenter as string | undefined } };
    const tagProblems = repositoryTagProblems(tags, ownValues);
    tagProblems.forEach((m) => fail(`tags: ${m}`));
    keys.push(['tags', tags]);
    props.tags = tags;
  }

  // Tag mutability and its exclusion filters.
  const liveMutability = String(r.imageTagMutability);
  const complies = comply && liveMutability !== CONTROL_TOWER_TAG_MUTABILITY && IMAGE_TAG_MUTABILITIES.includes(liveMutability);
  if (liveMutability !== CONTROL_TOWER_TAG_MUTABILITY && IMAGE_TAG_MUTABILITIES.includes(liveMutability)) {
    failsControl('CT.ECR.PR.3', `tags ${liveMutability}`, `tags ${CONTROL_TOWER_TAG_MUTABILITY}`);
  }
  const mutability = complies ? CONTROL_TOWER_TAG_MUTABILITY : liveMutability;
  const base = mutability.replace(/_WITH_EXCLUSION$/, '');
  if (base !== ImageTagMutability.MUTABLE && base !== ImageTagMutability.IMMUTABLE) {
    fail(`imageTagMutability ${JSON.stringify(r.imageTagMutability)} is not one ECR returns`);
  } else {
    const liveExclusions = (r.imageTagMutabilityExclusionFilters ?? []).map((f) => f.filter);
    if (hasTagMutabilityExclusions(liveMutability) !== liveExclusions.length > 0) {
      fail(`imageTagMutability ${liveMutability} with ${liveExclusions.length} exclusion filters: a repository has filters exactly when its mutability ends with _WITH_EXCLUSION`);
    }
    // A set (ECR matches any of them): in one order, whatever the export's.
    const exclusions = complies ? [] : [...liveExclusions].sort();
    if (base === ImageTagMutability.MUTABLE) {
      keys.push(['tagMutability', base]);
      props.imageTagMutability = ImageTagMutability.MUTABLE;
    }
    if (exclusions.length > 0) {
      keys.push(['tagMutabilityExclusions', exclusions]);
      props.imageTagMutabilityExclusions = exclusions;
    }
    if (!IMMUTABLE_TAG_MUTABILITIES.includes(mutability)) acknowledge('TagImmutability', `tags are ${mutability}`);
  }

  // Encryption: always explicit (the fleet's default, the shard's key, would replace the repository).
  const encryption = r.encryptionConfiguration ?? { encryptionType: EncryptionType.AES256 };
  if (encryption.encryptionType === EncryptionType.AES256) {
    keys.push(['encryption', EncryptionType.AES256]);
    props.encryption = ImageEncryption.AES256;
    acknowledge('CustomerManagedKey', 'images are encrypted with AES256, and ECR cannot change a repository\'s encryption (a new repository would be needed)');
  } else if (KMS_ENCRYPTION_TYPES.includes(encryption.encryptionType)) {
    const dualLayer = encryption.encryptionType === EncryptionType.KMS_DSSE;
    const regionProblem = dualLayer ? kmsDsseRegionProblem(region) : undefined;
    if (regionProblem) fail(`encryption ${EncryptionType.KMS_DSSE} in ${region}: ${regionProblem}, so no repository there has it`);
    if (encryption.kmsKey === undefined) {
      // No key: ECR's AWS managed key, which the template names by leaving KmsKey out.
      keys.push(['encryption', encryption.encryptionType], ['kmsKey', CATALOG_AWS_MANAGED_KEY]);
      props.encryption = dualLayer ? ImageEncryption.KMS_DSSE_AWS_MANAGED : ImageEncryption.KMS_AWS_MANAGED;
      acknowledge('CustomerManagedKey', `images are encrypted with ECR's AWS managed key (${encryption.encryptionType} without a key), and ECR cannot change a repository's encryption (a new repository would be needed)`);
    } else {
      kmsKeyArnProblems(encryption.kmsKey, region).forEach((m) => fail(`encryptionConfiguration.kmsKey: ${m}`));
      keys.push(['encryption', encryption.encryptionType], ['kmsKey', encryption.kmsKey]);
      props.kmsKeyArn = encryption.kmsKey;
      if (dualLayer) props.dualLayerEncryption = true;
    }
  } else {
    fail(`encryptionType ${JSON.stringify(encryption.encryptionType)} is not one ECR returns`);
  }

  // Scan on push: the library's default is on.
  const liveScanOnPush = r.imageScanningConfiguration?.scanOnPush ?? false;
  if (!liveScanOnPush) failsControl('CT.ECR.PR.2', 'scan on push off', 'scan on push on');
  const scanOnPush = liveScanOnPush || comply;
  if (!scanOnPush) {
    keys.push(['scanOnPush', false]);
    props.imageScanOnPush = false;
    // Acknowledged even where a registry scanning rule covers the repository: the compliance pack sees that rule only
    // when the registry stack shares the shards' account and region, which an environment-agnostic check does not know.
    acknowledge('RepositoryScanning', `scan on push is off${scannedByRegistry(r.repositoryName) ? ' (a registry scanning rule of the catalog covers the repository)' : ''}`);
  }

  // The lifecycle policy: its text, or none (the library's default is a policy).
  if (r.lifecyclePolicyText === undefined) {
    failsControl('CT.ECR.PR.1', 'no lifecycle policy', `the lifecycle policy ${CONTROL_TOWER_LIFECYCLE_PRESET}`);
  }
  if (r.lifecyclePolicyText === undefined && comply) {
    keys.push(['lifecycle', { preset: CONTROL_TOWER_LIFECYCLE_PRESET }]);
    props.lifecyclePolicy = LifecyclePolicy.recommended();
  } else if (r.lifecyclePolicyText === undefined) {
    keys.push(['lifecycle', 'none']);
    props.noLifecyclePolicy = true;
    acknowledge('LifecyclePolicy', 'the repository has no lifecycle policy');
  } else {
    let known = lifecycles.get(r.lifecyclePolicyText);
    if (known === undefined) {
      lifecycles.set(r.lifecyclePolicyText, known = readLifecycle(r.lifecyclePolicyText));
    }
    if (Array.isArray(known)) {
      known.forEach((m) => fail(`lifecyclePolicyText: ${m}`));
    } else {
      keys.push(['lifecycle', { policy: JSON.parse(r.lifecyclePolicyText) }]);
      props.lifecyclePolicy = known;
    }
  }

  // The repository policy, as it runs.
  if (r.repositoryPolicyText !== undefined) {
    const read = readPolicyDocument(r.repositoryPolicyText);
    read.problems.forEach((m) => fail(`repositoryPolicyText: ${m}`));
    if (read.document) {
      keys.push(['repositoryPolicy', read.document]);
      props.repositoryPolicyText = JSON.stringify(read.document);
    }
  }

  if (acknowledgements.length > 0) {
    keys.push(['acknowledge', acknowledgements]);
    props.acknowledgements = acknowledgements;
  }
  return ok ? { props: props as unknown as FleetRepositoryProps, keys, controlTower } : undefined;
}

/**
 * A live lifecycle policy text as the library's model, when the model
 * renders it to the same JSON; otherwise why it cannot be reproduced.
 */
function readLifecycle(text: string): LifecyclePolicy | string[] {
  let policy: LifecyclePolicy;
  try {
    policy = LifecyclePolicy.fromJson(text);
  } catch (error) {
    return (error instanceof Error ? error.message : String(error)).split('\n').filter((l) => l.trim() !== '');
  }
  const problems = policy.validate();
  if (problems.length > 0) return problems;
  if (!sameJson(JSON.parse(policy.toJson()), JSON.parse(text))) {
    return ['the library renders this policy differently (a field it does not keep): it cannot be reproduced exactly'];
  }
  return policy;
}

/** Whether two JSON values are equal, whatever the order of object keys. */
function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameJson((a as any)[k], (b as any)[k]));
  }
  return a === b;
}

const SCAN_FREQUENCIES: readonly string[] = Object.values(ScanFrequency);

/** The registry block's keys written as a block list, one item a line. */
const LISTED_REGISTRY_KEYS = ['pullThroughCache', 'creationTemplates', 'signing', 'pullTimeUpdateExclusions'];

/** The catalog's registry block: its keys in the order written, and the fleet's model of it. */
interface RegistryBlock {
  readonly keys: ReadonlyArray<readonly [string, unknown]>;
  readonly settings: FleetRegistrySettings;
  /** What the export holds of these settings that the block cannot reproduce. */
  readonly notes?: string[];
}

/**
 * The registry block that reproduces the export's replication rules and
 * registry scanning configuration, or undefined when it has neither.
 */
function registryBlock(registryExport: RegistryExportFile, report: (message: string) => void): RegistryBlock | undefined {
  const r = registryExport.registry ?? {};
  const keys: [string, unknown][] = [];
  const settings: {
    replicationRules?: ReplicationRuleOptions[]; scanType?: ScanType; scanningRules?: ScanningRuleOptions[]; policyText?: string;
  } & Parameters<typeof importRegistryResources>[2] = {};
  const rules = r.replicationConfiguration?.rules ?? [];
  if (rules.length > 0) {
    keys.push(['replication', rules.map((rule) => ({
      destinations: rule.destinations.map((d) => ({ account: d.registryId, region: d.region })),
      ...(rule.repositoryFilters && rule.repositoryFilters.length > 0 ? { filters: rule.repositoryFilters.map((f) => f.filter) } : {}),
    }))]);
    settings.replicationRules = [];
    rules.forEach((rule, i) => {
      const other = (rule.repositoryFilters ?? []).filter((f) => f.filterType !== 'PREFIX_MATCH');
      if (other.length > 0) report(`replicationConfiguration.rules[${i}]: filter type ${other[0].filterType} is not PREFIX_MATCH, the only one ECR has`);
      try {
        const destinations = rule.destinations.map((d) => ReplicationDestination.of(d.registryId, d.region));
        const filters = (rule.repositoryFilters ?? []).map((f) => f.filter);
        settings.replicationRules!.push(filters.length > 0 ? { destinations, repositoryFilters: filters } : { destinations });
      } catch (error) {
        report(`replicationConfiguration.rules[${i}]: ${(error as Error).message}`);
      }
    });
  }
  const scanning = r.scanningConfiguration;
  if (scanning && (scanning.rules.length > 0 || scanning.scanType === ScanType.ENHANCED)) {
    const kept = scanning.rules.filter((rule) => SCAN_FREQUENCIES.includes(rule.scanFrequency));
    keys.push(['scanType', scanning.scanType]);
    settings.scanType = scanning.scanType as ScanType;
    if (kept.length > 0) {
      // Sets of rules and of filters (ECR scans what any rule matches): in one order, whatever the export's.
      const sortedRules = [...kept].sort((a, b) => (a.scanFrequency < b.scanFrequency ? -1 : a.scanFrequency > b.scanFrequency ? 1 : 0))
        .map((rule) => ({ frequency: rule.scanFrequency, filters: rule.repositoryFilters.map((f) => f.filter).sort() }));
      keys.push(['scanning', sortedRules]);
      settings.scanningRules = sortedRules.map((rule) => ({
        frequency: rule.frequency as ScanFrequency,
        repositoryFilters: rule.filters,
      }));
    }
  }
  if (r.registryPolicyText !== undefined) {
    try {
      const policy = JSON.parse(r.registryPolicyText);
      keys.push(['policy', policy]);
      settings.policyText = JSON.stringify(policy);
    } catch (error) {
      report(`registryPolicyText is not JSON: ${(error as Error).message}`);
    }
  }
  const lifecycles = new Map<string, LifecyclePolicy | string[]>();
  const read = (text: string) => lifecycles.get(text) ?? lifecycles.set(text, readLifecycle(text)).get(text)!;
  const more = importRegistryResources(r, `${registryExport.account}/${registryExport.region}`, settings, report, read);
  keys.push(...more.keys);
  return keys.length > 0 ? { keys, settings, notes: more.notes } : undefined;
}

/** The registry-wide settings of the export the catalog does not reproduce. */
function registryNotes(registryExport: RegistryExportFile): string[] {
  const r = registryExport.registry ?? {};
  const notes: string[] = [];
  const manual = (r.scanningConfiguration?.rules ?? []).filter((rule) => !SCAN_FREQUENCIES.includes(rule.scanFrequency));
  if (manual.length > 0) {
    notes.push(`the registry scanning rules of frequency ${manual.map((rule) => rule.scanFrequency).join(', ')} (CloudFormation's AWS::ECR::RegistryScanningConfiguration `
      + 'takes SCAN_ON_PUSH and CONTINUOUS_SCAN only; a repository such a rule matches is scanned on request only, as one no rule matches, so the plan reports the rule\'s removal)');
  }
  return notes;
}

/**
 * The catalog's YAML: a header, then one entry per repository in name order,
 * every value written as JSON (a subset of YAML's flow style the catalog
 * reader reads), so that no value changes type and the bytes are the same
 * for the same export.
 */
function renderCatalog(
  entries: ImportedEntry[], registry: RegistryBlock | undefined, registryExport: RegistryExportFile, source: string, changedForControlTower: boolean,
): string {
  const lines = [
    `# The repositories of registry ${registryExport.account} in ${registryExport.region}, written by \`cdk-ecr-platform catalog import\` from ${source}.`,
    changedForControlTower
      ? '# Every setting reproduces what runs, except those AWS Control Tower\'s controls refuse (--control-tower): the first deploy changes those in place.'
      : '# Every setting reproduces what runs. The acknowledgements accept the findings the live settings raise: review them.',
  ];
  if (registry) {
    lines.push('registry:');
    for (const [key, value] of registry.keys) {
      // Lists of rules and templates: one item a line.
      if (Array.isArray(value) && LISTED_REGISTRY_KEYS.includes(key)) lines.push(`  ${key}:`, ...value.map((item) => `    - ${JSON.stringify(item)}`));
      else lines.push(`  ${key}: ${JSON.stringify(value)}`);
    }
  }
  // An export without repositories (a registry with settings only) still gives a catalog the reader takes.
  lines.push(entries.length > 0 ? 'repositories:' : 'repositories: []');
  for (const entry of entries) {
    entry.keys.forEach(([key, value], i) => {
      if (key === 'acknowledge') {
        lines.push('    acknowledge:');
        for (const a of value as FindingAcknowledgement[]) lines.push(`      - ${JSON.stringify({ id: a.id, reason: a.reason })}`);
      } else {
        lines.push(`${i === 0 ? '  - ' : '    '}${key}: ${JSON.stringify(value)}`);
      }
    });
  }
  return `${lines.join('\n')}\n`;
}
