import { readFileSync } from 'fs';
import { RemovalPolicy } from 'aws-cdk-lib';
import { CATALOG_AWS_MANAGED_KEY, joinCatalogEncryption } from './catalog-encryption';
import { At, checkKeys, field, model, noDuplicateKeys, Obj, readAccount, readEnum, readList, readNumber, readString, readStrings, Report, toPlain } from './catalog-nodes';
import { readRegistryResources, REGISTRY_RESOURCE_KEYS } from './catalog-registry';
import { FindingAcknowledgement, FleetRegistrySettings, FleetRepositoryProps } from './model';
import { continuousScanFilterQuotaProblem, replicationFilterQuotaProblem } from './registry-quotas';
import { CatalogNode, CatalogSyntaxError, parseJsonWithPositions, parseYamlWithPositions, Position } from './text';
import { complianceRuleId, repositoryAcknowledgementProblems } from '../compliance/rule-ids';
import { EncryptionType } from '../internal/ecr-facts';
import { closest } from '../internal/edit-distance';
import { guard, optional, STRING } from '../internal/input';
import { policySizeProblem } from '../internal/policy-text';
import { checkAccountId, Problems } from '../internal/problems';
import { checkRegion } from '../internal/regions';
import { LifecyclePolicy } from '../lifecycle/policy';
import { LifecyclePresets } from '../lifecycle/presets';
import { ReplicationDestination, ReplicationRuleOptions } from '../registry/replication';
import { destinationCountProblem, destinationKey, filterProblems, MAX_DESTINATIONS, MAX_REPLICATION_RULES, replicationRuleCountProblem } from '../registry/replication-checks';
import { accessPolicyLength, RepositoryAccess } from '../repository/access';
import { kmsKeyArnProblems, readPolicyDocument, repositoryTagProblems } from '../repository/adopted-settings';
import { ImageEncryption } from '../repository/encryption';
import { checkRepositoryName } from '../repository/names';
import { ImageTagMutability } from '../repository/private-repository';
import { checkTagMutabilityExclusions } from '../repository/tag-mutability';
import { scanningConfigurationProblems } from '../scanning/checks';
import { ScanFrequency, ScanType } from '../scanning/enums';
import { ScanningRuleOptions } from '../scanning/registry-scanning';

/** The access keys for push from the organization and for principal ARNs (read by `readPushAndPrincipalAccess`). */
const ACCESS_PUSH_AND_PRINCIPAL_KEYS = ['pushOrganization', 'pushOrganizationalUnits', 'pullPrincipalArns', 'pushPrincipalArns'];

/** The keys of a catalog's file, of a repository entry and of its parts (also the source of the JSON Schema). @internal */
export const CATALOG_KEYS = {
  top: ['$schema', 'defaults', 'registry', 'repositories'],
  registry: ['replication', 'scanType', 'scanning', 'policy', ...REGISTRY_RESOURCE_KEYS.registry],
  replicationRule: ['destinations', 'filters'],
  scanningRule: ['frequency', 'filters'],
  scanType: Object.values(ScanType) as string[],
  entry: ['name', 'account', 'region', 'owner', 'costCenter', 'lifecycle', 'tagMutability', 'tagMutabilityExclusions', 'encryption', 'kmsKey', 'access',
    'repositoryPolicy', 'tags', 'replication', 'scanning', 'scanOnPush', 'removalPolicy', 'acknowledge'],
  access: ['pullAccounts', 'pushAccounts', 'organization', 'organizationalUnits', 'lambdaAccounts', ...ACCESS_PUSH_AND_PRINCIPAL_KEYS],
  destination: ['account', 'region'],
  acknowledgement: ['id', 'reason'],
  presets: {
    recommended: [] as string[],
    keepLastReleases: ['count', 'patterns'],
    expireUntagged: ['days'],
    protectTags: ['patterns'],
    archiveUnpulled: ['days', 'deleteAfterArchivedDays'],
    capTotal: ['count'],
  } as Record<string, string[]>,
  // The catalog speaks ECR's own values, taken from the model.
  encryption: [EncryptionType.KMS, EncryptionType.AES256, EncryptionType.KMS_DSSE] as string[],
  tagMutability: Object.values(ImageTagMutability) as string[],
  scanning: Object.values(ScanFrequency) as string[],
  removalPolicy: ['retain', 'retain-on-update-or-delete', 'destroy'],
};

const REMOVAL: Record<string, RemovalPolicy> = {
  'retain': RemovalPolicy.RETAIN,
  'retain-on-update-or-delete': RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  'destroy': RemovalPolicy.DESTROY,
};

/** The format of a catalog's text. */
export enum CatalogFormat {
  /** JSON. */
  JSON = 'JSON',
  /** YAML (block mappings and sequences, scalars, flow sequences of scalars). */
  YAML = 'YAML',
}
Object.freeze(CatalogFormat);

/**
 * A catalog of repositories as data, read from JSON or YAML: a `defaults`
 * block and one entry per repository. Every setting becomes the library's
 * own model object (`LifecyclePolicy`, `RepositoryAccess`,
 * `ImageEncryption`, `ReplicationDestination`), checked by that model;
 * the catalog adds the file, line and column of each problem.
 *
 * ```yaml
 * defaults:
 *   owner: platform
 *   lifecycle: { preset: recommended }   # or a list of presets, or { policy: {...} }
 *   access:
 *     organization: o-a1b2c3d4e5
 * repositories:
 *   - name: team-a/api
 *     costCenter: cc-1234
 *     replication:
 *       - { account: '222222222222', region: eu-central-1 }
 * ```
 */
export class RepositoryCatalog {
  /**
   * Reads a catalog from text. Throws one error listing every problem of the text.
   *
   * @param text the catalog
   * @param format JSON or YAML
   * @param fileName the name used in messages. @default 'catalog'
   */
  public static fromText(text: string, format: CatalogFormat, fileName?: string): RepositoryCatalog {
    guard('RepositoryCatalog.fromText', { text: [text, STRING], fileName: [fileName, optional(STRING)] });
    const { repositories, registry, problems } = readCatalog(text, format, fileName ?? 'catalog');
    if (problems.length > 0) {
      const p = new Problems(`RepositoryCatalog '${fileName ?? 'catalog'}'`);
      p.addAll(problems);
      p.throwIfAny();
    }
    return new RepositoryCatalog(repositories, registry);
  }

  /**
   * Reads a catalog file: YAML for `.yaml` and `.yml`, JSON otherwise.
   *
   * @param fileName the path of the file
   */
  public static fromFile(fileName: string): RepositoryCatalog {
    guard('RepositoryCatalog.fromFile', { fileName: [fileName, STRING] });
    return RepositoryCatalog.fromText(readFileSync(fileName, 'utf8'), catalogFormatOf(fileName), fileName);
  }

  /**
   * Every problem of a catalog text, each naming file, line, column and
   * entry. Empty when the catalog is valid.
   */
  public static validate(text: string, format: CatalogFormat, fileName?: string): string[] {
    return readCatalog(text, format, fileName ?? 'catalog').problems;
  }

  private constructor(
    /** The repositories, in catalog order, with defaults applied. */
    public readonly repositories: FleetRepositoryProps[],
    /** The registry-wide settings of the catalog's `registry` block (give them to `RepositoryFleet`'s `registry`), if it has one. */
    public readonly registry?: FleetRegistrySettings,
  ) {}
}

/** YAML for `.yaml` and `.yml`, JSON otherwise. @internal */
export function catalogFormatOf(fileName: string): CatalogFormat {
  return /\.ya?ml$/i.test(fileName) ? CatalogFormat.YAML : CatalogFormat.JSON;
}


/** Where an entry of a catalog is, and where each of its settings comes from (the entry, or `defaults`). @internal */
export interface CatalogEntryPosition {
  readonly name: string;
  readonly where: string;
  readonly pos: Position;
  /** Catalog key to the position and the description of the node that sets it. */
  readonly settings: ReadonlyMap<string, { readonly pos: Position; readonly where: string }>;
}

/** What reading a catalog gives: its repositories in catalog order, their positions, and every problem. @internal */
export interface CatalogRead {
  readonly repositories: FleetRepositoryProps[];
  /** The `registry` block, when the catalog has one. */
  readonly registry?: FleetRegistrySettings;
  readonly entries: CatalogEntryPosition[];
  readonly problems: string[];
}

/** Reads and checks a catalog, collecting every problem. @internal */
export function readCatalog(text: string, format: CatalogFormat, file: string): CatalogRead {
  lifecycleCache = new Map();
  try {
    return readCatalogText(text, format, file);
  } finally {
    lifecycleCache = new Map();
    policySizes = new Map();
  }
}

function readCatalogText(text: string, format: CatalogFormat, file: string): CatalogRead {
  const problems: string[] = [];
  // A byte order mark is no part of the catalog (editors do not count it as a column).
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let root: CatalogNode;
  try {
    root = format === CatalogFormat.YAML ? parseYamlWithPositions(text) : parseJsonWithPositions(text);
  } catch (error) {
    if (error instanceof CatalogSyntaxError) {
      return { repositories: [], entries: [], problems: [`${file}:${error.pos.line}:${error.pos.column}: not valid ${format}: ${error.message}`] };
    }
    throw error;
  }
  const at = (pos: Position, where: string, message: string) => problems.push(`${file}:${pos.line}:${pos.column}: ${where}${where ? ': ' : ''}${message}`);

  if (root.kind !== 'object') {
    at(root.pos, '', 'a catalog is a mapping with the keys defaults and repositories');
    return { repositories: [], entries: [], problems };
  }
  checkKeys(root, CATALOG_KEYS.top, '', at);
  const defaultsNode = field(root, 'defaults');
  const defaults = new Map<string, CatalogNode>();
  if (defaultsNode) {
    if (defaultsNode.kind !== 'object') {
      at(defaultsNode.pos, 'defaults', 'expected a mapping');
    } else {
      // name is a valid key of an entry, but not of defaults: reported once, with the reason.
      checkKeys({ ...defaultsNode, entries: defaultsNode.entries.filter((e) => e.key !== 'name') }, CATALOG_KEYS.entry, 'defaults', at);
      for (const e of defaultsNode.entries) {
        if (e.key === 'name') at(e.keyPos, 'defaults', 'name cannot have a default: every repository names itself');
        else defaults.set(e.key, e.value);
      }
    }
  }
  const registryNode = field(root, 'registry');
  const registry = registryNode ? readRegistry(registryNode, (pos, message) => at(pos, 'registry', message)) : undefined;
  const reposNode = field(root, 'repositories');
  if (!reposNode) {
    at(root.pos, '', 'the catalog has no repositories key');
    return { repositories: [], entries: [], problems };
  }
  if (reposNode.kind !== 'array') {
    at(reposNode.pos, 'repositories', 'expected a list of repository entries');
    return { repositories: [], entries: [], problems };
  }
  // Defaults are read and checked once, even when no entry uses them, and shared:
  // a policy object used by every entry is validated once.
  const shared = new Map<string, unknown>();
  for (const [key, node] of defaults) {
    const r = READERS[key];
    if (r) shared.set(key, r[1](node, (pos, message) => at(pos, `defaults.${key}`, message)));
  }
  const sharedDefault = (key: string) => shared.get(key);
  const repositories: FleetRepositoryProps[] = [];
  const entries: CatalogEntryPosition[] = [];
  // Names, rules and quotas are per registry (account and region): a catalog may span several.
  const registries = new Map<string, RegistryTally>();
  const tallyOf = (entry: Record<string, unknown>): RegistryTally => {
    const key = registryKeyOf(entry.account as string | undefined, entry.region as string | undefined);
    let tally = registries.get(key);
    if (!tally) {
      tally = { seen: new Map(), rules: new Map(), allDestinations: new Map(), ruleMembers: new Map(), continuous: [] };
      registries.set(key, tally);
    }
    return tally;
  };
  reposNode.items.forEach((item, index) => {
    let where = `repositories[${index}]`;
    if (item.kind !== 'object') {
      at(item.pos, where, 'expected a mapping with at least a name');
      return;
    }
    const nameNode = field(item, 'name');
    const name = nameNode?.kind === 'scalar' && typeof nameNode.value === 'string' ? nameNode.value : undefined;
    if (name !== undefined) where += ` '${name}'`;
    const report = (pos: Position, message: string) => at(pos, where, message);
    checkKeys(item, CATALOG_KEYS.entry, where, at);
    if (!nameNode) {
      report(item.pos, 'name is missing');
      return;
    }
    if (name === undefined) {
      readString(nameNode, report, 'name');
      return;
    }
    const nameProblems = new Problems('');
    checkRepositoryName(nameProblems, name);
    for (const m of nameProblems.list) report(nameNode.pos, m);

    const entry: Record<string, unknown> = { repositoryName: name };
    const settings = new Map<string, { pos: Position; where: string }>();
    for (const [key, [prop, reader]] of Object.entries(READERS)) {
      const own = field(item, key);
      if (own) {
        entry[prop] = reader(own, report);
        settings.set(key, { pos: own.pos, where });
      } else if (defaults.has(key)) {
        entry[prop] = sharedDefault(key);
        settings.set(key, { pos: defaults.get(key)!.pos, where: `${where} (defaults.${key})` });
      }
    }
    entries.push({ name, where, pos: item.pos, settings });
    if (entry.lifecyclePolicy === NO_LIFECYCLE_POLICY) {
      delete entry.lifecyclePolicy;
      entry.noLifecyclePolicy = true;
    }
    for (const key of Object.keys(entry)) {
      if (entry[key] === undefined) delete entry[key];
    }
    joinCatalogEncryption(entry, (key) => field(item, key) ?? defaults.get(key), report);
    adoptedSettingsProblems(entry as unknown as FleetRepositoryProps, (key) => field(item, key) ?? defaults.get(key), report);
    const { seen, rules, allDestinations, ruleMembers, continuous } = tallyOf(entry);
    if (seen.has(name)) report(nameNode.pos, `repository '${name}' is already listed at line ${seen.get(name)}${registries.size > 1 ? ' for the same account and region' : ''}`);
    else seen.set(name, nameNode.pos.line);
    const destinations = entry.replicationDestinations as ReplicationDestination[] | undefined;
    if (destinations && destinations.length > 0) {
      const own = field(item, 'replication');
      const source = own ? { pos: own.pos, where } : { pos: defaults.get('replication')!.pos, where: `${where} (defaults.replication)` };
      const key = destinationKey(destinations);
      if (!rules.has(key)) rules.set(key, source);
      ruleMembers.set(key, [...ruleMembers.get(key) ?? [], name]);
      for (const d of destinations) if (!allDestinations.has(`${d}`)) allDestinations.set(`${d}`, source);
    }
    if (entry.scanFrequency === ScanFrequency.CONTINUOUS_SCAN) {
      const own = field(item, 'scanning');
      continuous.push({ name, pos: own ? own.pos : defaults.get('scanning')!.pos, where: own ? where : `${where} (defaults.scanning)` });
    }
    repositories.push(entry as unknown as FleetRepositoryProps);
  });
  for (const [key, tally] of registries) registryQuotas(tally, registries.size > 1 ? `the registry ${key}'s` : 'the fleet\'s', at);
  if (registryNode && repositories.some((r) => r.account !== undefined || r.region !== undefined)) {
    at(registryNode.pos, 'registry', 'is the settings of the one registry of a RepositoryFleet: a catalog whose entries name account or region (several registries) cannot have it');
  }
  return { repositories, entries, problems, registry };
}

/** What the catalog's entries of one registry (account and region) add up to, for ECR's per-registry quotas. */
interface RegistryTally {
  /** Repository name to the line that lists it. */
  readonly seen: Map<string, number>;
  /** Replication rules (per distinct set of destinations) to the entry that first uses them. */
  readonly rules: Map<string, { pos: Position; where: string }>;
  readonly allDestinations: Map<string, { pos: Position; where: string }>;
  readonly ruleMembers: Map<string, string[]>;
  readonly continuous: { name: string; pos: Position; where: string }[];
}

/**
 * The registry (account and region) an entry lives in, as messages and fleets
 * name it: `ACCOUNT/REGION`, with `-` for what the entry leaves to the fleet.
 *
 * @internal
 */
export function registryKeyOf(account: string | undefined, region: string | undefined): string {
  return `${account ?? '-'}/${region ?? '-'}`;
}

/**
 * ECR's quotas on one registry's rules, destinations and filters, reported at
 * the entry that first breaks them: the registry gets one replication rule
 * per distinct set of destinations.
 */
function registryQuotas(tally: RegistryTally, whose: string, at: At): void {
  const { seen, rules, allDestinations, ruleMembers, continuous } = tally;
  const quota = (sources: Map<string, { pos: Position; where: string }>, problem: string | undefined, limit: number) => {
    if (problem === undefined) return;
    const first = [...sources.values()][limit];
    at(first.pos, first.where, `replication: ${whose} ${problem.replace(/^the /, '')}`);
  };
  quota(rules, replicationRuleCountProblem(rules.size), MAX_REPLICATION_RULES);
  quota(allDestinations, destinationCountProblem(allDestinations.size), MAX_DESTINATIONS);
  // Filters of one rule past ECR's quota are compressed into prefixes by the fleet; a rule
  // whose repositories interleave with the registry's others so that no compression fits
  // is reported at the entry that first uses it.
  const names = [...seen.keys()];
  for (const [key, members] of ruleMembers) {
    const problem = replicationFilterQuotaProblem(key, members, names);
    if (problem !== undefined) at(rules.get(key)!.pos, rules.get(key)!.where, `replication: ${whose} ${problem.replace(/^the /, '')}`);
  }
  const scanProblem = continuousScanFilterQuotaProblem(continuous.map((c) => c.name), names);
  if (scanProblem !== undefined) at(continuous[0].pos, continuous[0].where, `scanning: ${whose} ${scanProblem.replace(/^the /, '')}`);
}


/**
 * The checks across keys of an entry's settings reproduced from an existing
 * repository: tags with owner and costCenter (encryption and kmsKey: catalog-encryption.ts),
 * a repository policy with its access statements (size), and an open
 * policy only with the acknowledgement of EcrCompliance-OpenAccess.
 */
function adoptedSettingsProblems(entry: FleetRepositoryProps, node: (key: string) => CatalogNode | undefined, report: Report): void {
  const tagsNode = node('tags');
  if (tagsNode && entry.tags !== undefined) {
    const own = { 'owner': { setting: 'owner', value: entry.owner }, 'cost-center': { setting: 'costCenter', value: entry.costCenter } };
    for (const m of repositoryTagProblems(entry.tags, own)) report(tagsNode.pos, `tags: ${m}`);
  }
  const policyNode = node('repositoryPolicy');
  if (policyNode && entry.repositoryPolicyText !== undefined) {
    const read = readPolicyDocument(entry.repositoryPolicyText);
    const accepted = entry.acknowledgements?.some((a) => a.id === OPEN_ACCESS_RULE) ?? false;
    if (!accepted) {
      for (const m of read.open) {
        report(policyNode.pos, `repositoryPolicy: ${m}. This is the policy as it runs: to keep it, acknowledge: [{ id: ${OPEN_ACCESS_RULE}, reason: '...' }] in the entry; otherwise restrict or remove the statement`);
      }
    }
    const accessLength = entry.access && entry.access.length > 0 ? accessPolicyLength(entry.access) : 0;
    const problem = policySizeProblem('repositoryPolicy with the statements of access', entry.repositoryPolicyText.length + accessLength,
      'Give access to fewer, wider principals, or drop statements the access key already grants.');
    if (problem !== undefined) report(policyNode.pos, problem);
  }
}

/** The catalog's `registry` block: replication rules and the registry scanning configuration, checked by the registry's own rules. */
function readRegistry(node: CatalogNode, report: Report): FleetRegistrySettings | undefined {
  if (node.kind !== 'object') {
    report(node.pos, `expected a mapping with ${CATALOG_KEYS.registry.join(', ')}`);
    return undefined;
  }
  checkKeys(node, CATALOG_KEYS.registry, '', (pos, _w, m) => report(pos, m));
  const out: { replicationRules?: ReplicationRuleOptions[]; scanType?: ScanType; scanningRules?: ScanningRuleOptions[]; policyText?: string } = {};
  const policy = field(node, 'policy');
  if (policy) {
    if (policy.kind !== 'object') {
      report(policy.pos, 'policy must be a policy document: a mapping with Version and Statement');
    } else if (noDuplicateKeys(policy, (pos, m) => report(pos, `policy: ${m}`))) {
      const plain = toPlain(policy) as { Statement?: unknown };
      if (!Array.isArray(plain.Statement) || plain.Statement.length === 0) report(policy.pos, 'policy: Statement must be a non-empty list of statements');
      else out.policyText = JSON.stringify(plain);
    }
  }
  const replication = field(node, 'replication');
  if (replication) {
    out.replicationRules = readList(replication, report, 'replication', (n, w) => {
      if (n.kind !== 'object') { report(n.pos, `${w} must be a mapping with destinations and filters`); return undefined; }
      checkKeys(n, CATALOG_KEYS.replicationRule, '', (pos, _x, m) => report(pos, `${w}: ${m}`));
      const d = field(n, 'destinations');
      if (!d) { report(n.pos, `${w} needs destinations`); return undefined; }
      const destinations = readReplication(d, (pos, m) => report(pos, `${w}.${m.replace(/^replication/, 'destinations')}`));
      const f = field(n, 'filters');
      const filters = f ? readStrings(f, report, `${w}.filters`) : undefined;
      if (f && filters) for (const m of filterProblems(filters)) report(f.pos, `${w}.filters: ${m}`);
      if (destinations === undefined || (f && filters === undefined)) return undefined;
      return filters ? { destinations, repositoryFilters: filters } : { destinations };
    });
  }
  const scanTypeNode = field(node, 'scanType');
  if (scanTypeNode) out.scanType = readEnum(scanTypeNode, report, 'scanType', CATALOG_KEYS.scanType) as ScanType | undefined;
  const scanning = field(node, 'scanning');
  if (scanning) {
    out.scanningRules = readList(scanning, report, 'scanning', (n, w) => {
      if (n.kind !== 'object') { report(n.pos, `${w} must be a mapping with frequency and filters`); return undefined; }
      checkKeys(n, CATALOG_KEYS.scanningRule, '', (pos, _x, m) => report(pos, `${w}: ${m}`));
      const fr = field(n, 'frequency'); const f = field(n, 'filters');
      if (!fr || !f) { report(n.pos, `${w} needs frequency and filters`); return undefined; }
      const frequency = readEnum(fr, report, `${w}.frequency`, CATALOG_KEYS.scanning) as ScanFrequency | undefined;
      const filters = readStrings(f, report, `${w}.filters`);
      return frequency === undefined || filters === undefined ? undefined : { frequency, repositoryFilters: filters };
    });
    if (out.scanningRules) {
      const byFrequency = new Map<string, string[]>();
      for (const r of out.scanningRules) byFrequency.set(r.frequency, [...byFrequency.get(r.frequency) ?? [], ...r.repositoryFilters]);
      const rules = [...byFrequency].map(([frequency, filters]) => ({ frequency: frequency as ScanFrequency, filters: [...new Set(filters)] }));
      const scanType = out.scanType ?? (byFrequency.has(ScanFrequency.CONTINUOUS_SCAN) ? ScanType.ENHANCED : ScanType.BASIC);
      for (const m of scanningConfigurationProblems(scanType, rules)) report(scanning.pos, `scanning: ${m}`);
    }
  }
  readRegistryResources(node, report, out);
  for (const key of Object.keys(out) as (keyof typeof out)[]) if (out[key] === undefined) delete out[key];
  return out;
}

/** The rule whose acknowledgement accepts an open repository policy. */
const OPEN_ACCESS_RULE = complianceRuleId('OpenAccess');

/** Valid lifecycle policies of the catalog being read, by their catalog text. */
let lifecycleCache = new Map<string, LifecyclePolicy>();
/** The policy size problem (or none) of the catalog's accesses, by their shape (`toKeyed` with account counts). */
let policySizes = new Map<string, string | undefined>();
/** The keys of an access that list account IDs. */
const ACCOUNT_LISTS = ['pullAccounts', 'pushAccounts', 'lambdaAccounts'];

/**
 * The problem of a repository policy over ECR's size quota: the policy the
 * access statements make, measured as the repository measures it.
 */
function accessPolicySizeProblem(access: RepositoryAccess[]): string | undefined {
  if (access.length === 0) return undefined;
  return policySizeProblem('the repository policy', accessPolicyLength(access),
    'Give access to fewer, wider principals: access.organization or access.organizationalUnits rather than many accounts.');
}

/** What `lifecycle: none` reads as, until the entry says `noLifecyclePolicy`. */
const NO_LIFECYCLE_POLICY = Symbol('no lifecycle policy');

/** Catalog key to the FleetRepositoryProps field it sets and its reader. */
const READERS: Record<string, [string, (node: CatalogNode, report: Report) => unknown]> = {
  account: ['account', (n, r) => {
    const account = readAccount(n, r, 'account');
    if (account !== undefined) {
      const p = new Problems('');
      checkAccountId(p, 'account', account);
      for (const m of p.list) r(n.pos, m);
    }
    return account;
  }],
  region: ['region', (n, r) => {
    const region = readString(n, r, 'region');
    if (region !== undefined) {
      const p = new Problems('');
      checkRegion(p, 'region', region);
      for (const m of p.list) r(n.pos, m);
    }
    return region;
  }],
  owner: ['owner', (n, r) => readString(n, r, 'owner')],
  costCenter: ['costCenter', (n, r) => readString(n, r, 'costCenter')],
  lifecycle: ['lifecyclePolicy', (n, r) => {
    if (n.kind === 'scalar' && n.value === 'none') return NO_LIFECYCLE_POLICY;
    // Equal policies are read once and shared: LifecyclePolicy is immutable, and a
    // repository renders and validates a shared policy object once.
    const key = JSON.stringify(toKeyed(n));
    const known = lifecycleCache.get(key);
    if (known) return known;
    let failed = false;
    const policy = readLifecycle(n, (pos, m) => { failed = true; r(pos, m); });
    if (policy && !failed) lifecycleCache.set(key, policy);
    return policy;
  }],
  tagMutability: ['imageTagMutability', (n, r) => readEnum(n, r, 'tagMutability', CATALOG_KEYS.tagMutability)],
  tagMutabilityExclusions: ['imageTagMutabilityExclusions', (n, r) => {
    const list = readStrings(n, r, 'tagMutabilityExclusions');
    if (list) {
      const p = new Problems('');
      checkTagMutabilityExclusions(p, list);
      for (const m of p.list) r(n.pos, m);
    }
    return list;
  }],
  encryption: ['encryption', (n, r) => {
    // KMS means the shard stack's shared key, which is what a repository without encryption gets.
    const e = readEnum(n, r, 'encryption', CATALOG_KEYS.encryption);
    return e === EncryptionType.AES256 ? ImageEncryption.AES256 : undefined;
  }],
  kmsKey: ['kmsKeyArn', (n, r) => {
    const arn = readString(n, r, 'kmsKey');
    if (arn === undefined) return undefined;
    if (arn === CATALOG_AWS_MANAGED_KEY) return arn;
    const problems = kmsKeyArnProblems(arn);
    for (const m of problems) r(n.pos, `kmsKey: ${m}, or ${CATALOG_AWS_MANAGED_KEY} for ECR's AWS managed key`);
    return problems.length > 0 ? undefined : arn;
  }],
  repositoryPolicy: ['repositoryPolicyText', (n, r) => {
    if (n.kind !== 'object') {
      r(n.pos, 'repositoryPolicy must be a policy document: a mapping with Version and Statement');
      return undefined;
    }
    if (!noDuplicateKeys(n, (pos, m) => r(pos, `repositoryPolicy: ${m}`))) return undefined;
    const text = JSON.stringify(toPlain(n));
    const read = readPolicyDocument(text);
    for (const m of read.problems) r(n.pos, `repositoryPolicy: ${m.replace(/^the repository policy('s)? ?/, '')}`);
    return read.problems.length > 0 ? undefined : text;
  }],
  tags: ['tags', (n, r) => {
    if (n.kind !== 'object') {
      r(n.pos, 'tags must be a mapping of tag keys to values');
      return undefined;
    }
    const tags: Record<string, string> = {};
    let ok = true;
    for (const e of n.entries) {
      if (e.key in tags) { r(e.keyPos, `tags: key '${e.key}' appears twice`); ok = false; continue; }
      const v = readString(e.value, r, `tags.${e.key}`);
      if (v === undefined) ok = false; else tags[e.key] = v;
    }
    return ok ? tags : undefined;
  }],
  scanOnPush: ['imageScanOnPush', (n, r) => {
    if (n.kind === 'scalar' && typeof n.value === 'boolean') return n.value;
    r(n.pos, 'scanOnPush must be true or false');
    return undefined;
  }],
  access: ['access', (n, r) => {
    let failed = false;
    const access = readAccess(n, (pos, m) => { failed = true; r(pos, m); });
    if (access && !failed) {
      // Every account ID has 12 digits: accesses that differ only in their accounts
      // (not in how many distinct ones) make policies of the same length, measured once.
      const key = JSON.stringify(toKeyed(n, true));
      let tooLong = policySizes.get(key);
      if (!policySizes.has(key)) policySizes.set(key, tooLong = accessPolicySizeProblem(access));
      if (tooLong !== undefined) r(n.pos, `access: ${tooLong}`);
    }
    return access;
  }],
  replication: ['replicationDestinations', (n, r) => readReplication(n, r)],
  scanning: ['scanFrequency', (n, r) => readEnum(n, r, 'scanning', CATALOG_KEYS.scanning)],
  acknowledge: ['acknowledgements', (n, r) => readAcknowledgements(n, r)],
  removalPolicy: ['removalPolicy', (n, r) => {
    const v = readEnum(n, r, 'removalPolicy', CATALOG_KEYS.removalPolicy);
    return v === undefined ? undefined : REMOVAL[v];
  }],
};
function readLifecycle(node: CatalogNode, report: Report): LifecyclePolicy | undefined {
  let policy: LifecyclePolicy | undefined;
  if (node.kind === 'array') {
    const parts = readList(node, report, 'lifecycle', (n, w) => readLifecyclePart(n, report, w));
    if (parts === undefined) return undefined;
    if (parts.length === 0) {
      report(node.pos, 'lifecycle is an empty list: name at least one preset, or leave lifecycle out for the recommended policy');
      return undefined;
    }
    policy = LifecyclePolicy.combine(...parts);
  } else {
    policy = readLifecyclePart(node, report, 'lifecycle');
  }
  if (policy === undefined) return undefined;
  const problems = policy.validate();
  for (const m of problems) report(node.pos, `lifecycle: ${m}`);
  return problems.length > 0 ? undefined : policy;
}

function readLifecyclePart(node: CatalogNode, report: Report, what: string): LifecyclePolicy | undefined {
  if (node.kind !== 'object') {
    report(node.pos, `${what} must be a mapping: { preset: NAME, ... } or { policy: {...} }`);
    return undefined;
  }
  const policyNode = field(node, 'policy');
  if (policyNode) {
    if (node.entries.length > 1) report(node.pos, `${what}: policy stands alone: give either policy or preset`);
    // A key given twice is reported, not silently replaced by the later value.
    if (!noDuplicateKeys(policyNode, (pos, m) => report(pos, `${what}.policy: ${m}`))) return undefined;
    return model(policyNode, report, `${what}.policy`, () => LifecyclePolicy.fromJson(JSON.stringify(toPlain(policyNode))));
  }
  const presetNode = field(node, 'preset');
  if (!presetNode) {
    const keys = node.entries.map((e) => e.key);
    const hint = keys.map((k) => closest(k, ['preset', 'policy'])).find((k) => k !== undefined);
    report(node.pos, `${what} needs preset (${Object.keys(CATALOG_KEYS.presets).join(', ')}) or policy${hint ? `: did you mean '${hint}'?` : ''}`);
    return undefined;
  }
  const preset = readEnum(presetNode, report, `${what}.preset`, Object.keys(CATALOG_KEYS.presets));
  if (preset === undefined) return undefined;
  const params = CATALOG_KEYS.presets[preset];
  checkKeys(node, ['preset', ...params], '', (pos, _w, m) => report(pos, `${what} (${preset}): ${m}`));
  const num = (k: string) => { const n = field(node, k); return n ? readNumber(n, report, `${what}.${k}`) : undefined; };
  const strs = (k: string) => { const n = field(node, k); return n ? readStrings(n, report, `${what}.${k}`) : undefined; };
  const need = (k: string) => {
    if (!field(node, k)) { report(node.pos, `${what} (${preset}) needs ${k}`); return false; }
    return true;
  };
  const make = (f: () => LifecyclePolicy) => model(presetNode, report, `${what} (${preset})`, f);
  switch (preset) {
    case 'recommended': return LifecyclePolicy.recommended();
    case 'keepLastReleases': {
      const hasCount = need('count');
      if (!need('patterns') || !hasCount) return undefined;
      const count = num('count'); const patterns = strs('patterns');
      return count === undefined || patterns === undefined ? undefined : make(() => LifecyclePresets.keepLastReleases(count, patterns));
    }
    case 'expireUntagged': {
      if (!need('days')) return undefined;
      const days = num('days');
      return days === undefined ? undefined : make(() => LifecyclePresets.expireUntagged(days));
    }
    case 'protectTags': {
      if (!need('patterns')) return undefined;
      const patterns = strs('patterns');
      return patterns === undefined ? undefined : make(() => LifecyclePresets.protectTags(patterns));
    }
    case 'archiveUnpulled': {
      if (!need('days')) return undefined;
      const days = num('days'); const after = num('deleteAfterArchivedDays');
      return days === undefined ? undefined : make(() => LifecyclePresets.archiveUnpulled(days, after));
    }
    default: {
      if (!need('count')) return undefined;
      const count = num('count');
      return count === undefined ? undefined : make(() => LifecyclePresets.capTotal(count));
    }
  }
}

function readAccess(node: CatalogNode, report: Report): RepositoryAccess[] | undefined {
  if (node.kind !== 'object') {
    report(node.pos, `access must be a mapping with ${CATALOG_KEYS.access.slice(0, -1).join(', ')} or ${CATALOG_KEYS.access[CATALOG_KEYS.access.length - 1]}`);
    return undefined;
  }
  checkKeys(node, CATALOG_KEYS.access, '', (pos, _w, m) => report(pos, `access: ${m}`));
  const out: RepositoryAccess[] = [];
  const accounts = (k: string) => {
    const n = field(node, k);
    return n ? { n, list: readList(n, report, `access.${k}`, (i, w) => readAccount(i, report, w)) } : undefined;
  };
  const pull = accounts('pullAccounts');
  if (pull?.list) { const v = model(pull.n, report, 'access.pullAccounts', () => RepositoryAccess.pullFromAccounts(pull.list!)); if (v) out.push(v); }
  const push = accounts('pushAccounts');
  if (push?.list) { const v = model(push.n, report, 'access.pushAccounts', () => RepositoryAccess.pushFromAccounts(push.list!)); if (v) out.push(v); }
  const lambda = accounts('lambdaAccounts');
  if (lambda?.list) { const v = model(lambda.n, report, 'access.lambdaAccounts', () => RepositoryAccess.pullFromLambda(lambda.list!)); if (v) out.push(v); }
  const orgNode = field(node, 'organization');
  const org = orgNode ? readString(orgNode, report, 'access.organization') : undefined;
  const ousNode = field(node, 'organizationalUnits');
  if (ousNode) {
    const ous = readStrings(ousNode, report, 'access.organizationalUnits');
    if (!orgNode) {report(ousNode.pos, 'access.organizationalUnits needs access.organization (the organization ID the paths belong to)');} else if (ous && org) { const v = model(ousNode, report, 'access.organizationalUnits', () => RepositoryAccess.pullFromOrganizationalUnits(org, ous)); if (v) out.push(v); }
  } else if (orgNode && org !== undefined && !pushesFromOrganization(node)) {
    const v = model(orgNode, report, 'access.organization', () => RepositoryAccess.pullFromOrganization(org));
    if (v) out.push(v);
  }
  return [...out, ...readPushAndPrincipalAccess(node, report, orgNode, org)];
}

/** Whether the access has `pushOrganization: true` (its push statement then covers the organization's pull). */
function pushesFromOrganization(node: Obj): boolean {
  const n = field(node, 'pushOrganization');
  return n?.kind === 'scalar' && n.value === true;
}

/**
 * Reads the access keys for push from the organization named by
 * `organization` (`pushOrganization: true`, `pushOrganizationalUnits`) and
 * for IAM roles and users by ARN (`pullPrincipalArns`, `pushPrincipalArns`).
 */
function readPushAndPrincipalAccess(node: Obj, report: Report, orgNode: CatalogNode | undefined, org: string | undefined): RepositoryAccess[] {
  const out: RepositoryAccess[] = [];
  const add = (n: CatalogNode, key: string, make: () => RepositoryAccess) => {
    const v = model(n, report, `access.${key}`, make);
    if (v) out.push(v);
  };
  for (const [key, make] of [['pullPrincipalArns', RepositoryAccess.pullFromPrincipalArns], ['pushPrincipalArns', RepositoryAccess.pushFromPrincipalArns]] as const) {
    const n = field(node, key);
    const arns = n ? readStrings(n, report, `access.${key}`) : undefined;
    if (n && arns) add(n, key, () => make(arns));
  }
  const needsOrganization = (n: CatalogNode, key: string) => report(n.pos, `access.${key} needs access.organization (the organization ID of the principals that may push)`);
  const pushOrgNode = field(node, 'pushOrganization');
  if (pushOrgNode) {
    if (pushOrgNode.kind !== 'scalar' || typeof pushOrgNode.value !== 'boolean') {
      report(pushOrgNode.pos, 'access.pushOrganization must be true or false');
    } else if (!orgNode) {
      needsOrganization(pushOrgNode, 'pushOrganization');
    } else if (pushOrgNode.value && org !== undefined) {
      add(pushOrgNode, 'pushOrganization', () => RepositoryAccess.pushFromOrganization(org));
    }
  }
  const pushOusNode = field(node, 'pushOrganizationalUnits');
  if (pushOusNode) {
    const ous = readStrings(pushOusNode, report, 'access.pushOrganizationalUnits');
    if (!orgNode) needsOrganization(pushOusNode, 'pushOrganizationalUnits');
    else if (ous && org !== undefined) add(pushOusNode, 'pushOrganizationalUnits', () => RepositoryAccess.pushFromOrganizationalUnits(org, ous));
  }
  return out;
}

function readReplication(node: CatalogNode, report: Report): ReplicationDestination[] | undefined {
  // Duplicates are found among the destinations that read well, even when another does not.
  const seen = new Set<string>();
  return readList(node, report, 'replication', (n, w) => {
    if (n.kind !== 'object') { report(n.pos, `${w} must be a mapping with account and region`); return undefined; }
    checkKeys(n, CATALOG_KEYS.destination, '', (pos, _x, m) => report(pos, `${w}: ${m}`));
    const a = field(n, 'account'); const r = field(n, 'region');
    if (!a || !r) { report(n.pos, `${w} needs account and region`); return undefined; }
    const account = readAccount(a, report, `${w}.account`); const region = readString(r, report, `${w}.region`);
    if (account === undefined || region === undefined) return undefined;
    const d = model(n, report, w, () => ReplicationDestination.of(account, region));
    if (d === undefined) return undefined;
    if (seen.has(`${d}`)) {
      report(n.pos, `replication lists ${d} twice`);
      return undefined;
    }
    seen.add(`${d}`);
    return d;
  });
}

function readAcknowledgements(node: CatalogNode, report: Report): FindingAcknowledgement[] | undefined {
  const seen = new Set<string>();
  return readList(node, report, 'acknowledge', (n, w) => {
    if (n.kind !== 'object') { report(n.pos, `${w} must be a mapping with id and reason`); return undefined; }
    checkKeys(n, CATALOG_KEYS.acknowledgement, '', (pos, _x, m) => report(pos, `${w}: ${m}`));
    const idNode = field(n, 'id'); const reasonNode = field(n, 'reason');
    const missing = CATALOG_KEYS.acknowledgement.filter((k) => !field(n, k));
    if (!idNode || !reasonNode) { report(n.pos, `${w} needs ${missing.join(' and ')}: the rule ID and why its finding is accepted`); return undefined; }
    const id = readString(idNode, report, `${w}.id`); const reason = readString(reasonNode, report, `${w}.reason`);
    if (id === undefined || reason === undefined) return undefined;
    // The rule the fleet applies, reported where the catalog says it.
    const problems = repositoryAcknowledgementProblems(id, reason, closest);
    for (const p of problems) report(p.field === 'id' ? idNode.pos : reasonNode.pos, `${w}.${p.field}: ${p.message}`);
    if (problems.length > 0) return undefined;
    if (seen.has(id)) { report(idNode.pos, `${w}: ${id} is acknowledged twice`); return undefined; }
    seen.add(id);
    return { id, reason };
  });
}

/**
 * The node as a cache key: every entry kept, a key given twice included.
 * With `accountCounts`, a list of accounts (valid, so 12 digits each) is
 * kept as how many accounts and how many distinct ones it has.
 */
function toKeyed(node: CatalogNode, accountCounts = false): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'array') return ['[', ...node.items.map((i) => toKeyed(i, accountCounts))];
  return ['{', ...node.entries.flatMap((e) => [e.key,
    accountCounts && ACCOUNT_LISTS.includes(e.key) && e.value.kind === 'array'
      ? ['#', e.value.items.length, new Set(e.value.items.map((i) => (i.kind === 'scalar' ? String(i.value) : JSON.stringify(toKeyed(i))))).size]
      : toKeyed(e.value, accountCounts)])];
}
