/**
 * The adoption plan: what the first deploy of a set of templates changes in a
 * registry that already runs, as an export describes it. Per repository and
 * per registry setting, property by property: no change, an in-place update,
 * or a replacement, which is refused (ECR cannot change a repository's
 * encryption, and a repository of another name is another repository); a
 * value that cannot be known before the deploy is undecided, never "no
 * change". Resources of the templates that do not run are created; what runs
 * and no template holds is not managed (left alone).
 *
 * The live side comes from the one mapping (`mapping.ts`), so that the plan,
 * the catalog import and the round-trip tests agree on what "the same" means.
 *
 * @module
 */
import { RegistryExportFile } from './export-model';
import { LiveRegistryResource, REGISTRY_RESOURCES, registryResources, REPOSITORY_PROPERTIES, repositoryProperties } from './mapping';
import { partitionOf, resolveValue, ResolveContext, Resolved } from './resolve';
import { failedControlTowerControls } from '../compliance/control-tower-controls';
import { AWS_MANAGED_KEY_ALIAS, CONTROL_TOWER_TAG_MUTABILITY, EcrType } from '../internal/ecr-facts';

/** One stack's template, as synthesized. */
export interface PlannedTemplate {
  /** The stack's name in CloudFormation (a resource mapping file is named after it). */
  readonly stack: string;
  /**
   * How the CDK CLI selects the stack (`cdk deploy STACK`, `cdk import STACK`): the cloud
   * assembly's display name, the stack's construct path (`Fleet/Shard1` for a stack inside a
   * construct), which is not its name when the stack is not a child of the app.
   */
  readonly selector?: string;
  readonly template: unknown;
  /** Where the stack deploys, as the cloud assembly says (`aws://ACCOUNT/REGION`; `unknown-account` for an environment-agnostic stack). */
  readonly environment?: string;
}

/** What the first deploy does to one property. */
export type PropertyVerdict = 'no change' | 'in-place update' | 'replacement' | 'undecided';

/** What the first deploy does to one resource. */
export type ResourceVerdict = PropertyVerdict | 'created' | 'not managed';

export interface PropertyPlan {
  readonly property: string;
  readonly verdict: PropertyVerdict;
  /** What runs (absent: ECR's default, or nothing). */
  readonly live?: unknown;
  /** What the template deploys (absent: the property is left out). */
  readonly planned?: unknown;
  /** Why, for a replacement or an undecided value; what it does, for some in-place updates. */
  readonly reason?: string;
}

export interface ResourcePlan {
  /** `AWS::ECR::Repository`, or the registry-level type. */
  readonly type: string;
  /** The repository's name, the rule's prefix, the principal; the account for a registry singleton. */
  readonly id: string;
  readonly verdict: ResourceVerdict;
  /** The stack and logical ID that hold it (none for what is not managed). */
  readonly stack?: string;
  readonly logicalId?: string;
  /** Only the properties that change or are undecided, in the mapping's order. */
  readonly changes: PropertyPlan[];
  /** Why, for a whole resource (a generated name, an unresolved identifier). */
  readonly reason?: string;
  /**
   * For a repository the templates declare: the AWS Control Tower controls on
   * repositories (CT.ECR.PR.1-3) its planned properties fail, in ID order. An
   * account that enforces one refuses a deploy that creates or updates the
   * repository, whatever the app acknowledges.
   */
  readonly controlTower?: string[];
}

export interface AdoptionPlanResult {
  readonly account: string;
  readonly region: string;
  /** Every repository of the templates and of the export, in name order. */
  readonly repositories: ResourcePlan[];
  /** Every registry-level resource of the templates and of the export, by type then identifier. */
  readonly registry: ResourcePlan[];
  /** Count per verdict, over repositories and registry settings. */
  readonly summary: Record<ResourceVerdict, number>;
  /** The refused replacements and undecided values, one line each: what the plan's exit code reports. */
  readonly problems: string[];
}

const VERDICTS: ResourceVerdict[] = ['no change', 'in-place update', 'replacement', 'undecided', 'created', 'not managed'];
const RANK: Record<PropertyVerdict, number> = { 'no change': 0, 'in-place update': 1, 'undecided': 2, 'replacement': 3 };

/**
 * What the stacks already hold, as the resource mappings of an earlier import
 * say (stack name to logical ID to identifier): a resource of that logical ID
 * whose identifier the template changes is replaced, not created.
 */
export type ImportedResources = ReadonlyMap<string, Readonly<Record<string, Readonly<Record<string, string>>>>>;

/** A template resource the plan looks at. */
interface TemplateResource {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
  readonly context: ResolveContext;
  /** The template condition the resource is deployed under, if any. */
  readonly condition?: string;
}

/**
 * The plan of deploying these templates over the registry the export
 * describes. Never throws on a template: what it cannot read is undecided.
 */
export function planAdoption(templates: readonly PlannedTemplate[], live: RegistryExportFile, imported?: ImportedResources): AdoptionPlanResult {
  const resources: TemplateResource[] = [];
  const problems: string[] = [];
  for (const { stack, template, environment } of [...templates].sort((a, b) => compare(a.stack, b.stack))) {
    const env = /^aws:\/\/(\d{12})\/([a-z0-9-]+)$/.exec(environment ?? '');
    if (env && (env[1] !== live.account || env[2] !== live.region)) {
      // Another registry: its resources are none of this export's business.
      problems.push(`stack ${stack} deploys to ${environment}, and the export is of aws://${live.account}/${live.region}: plan it against an export of its own registry`);
      continue;
    }
    const declared = isObject(template) && isObject(template.Resources) ? template.Resources : {};
    const types = new Map<string, string>();
    for (const [id, r] of Object.entries(declared)) if (isObject(r) && typeof r.Type === 'string') types.set(id, r.Type);
    const context: ResolveContext = { account: live.account, region: live.region, resources: types };
    for (const [logicalId, r] of Object.entries(declared).sort((a, b) => compare(a[0], b[0]))) {
      if (!isObject(r) || typeof r.Type !== 'string') continue;
      if (r.Type !== 'AWS::ECR::Repository' && !REGISTRY_RESOURCES.some((m) => m.type === r.Type)) continue;
      const condition = typeof r.Condition === 'string' ? r.Condition : undefined;
      resources.push({ stack, logicalId, type: r.Type, properties: isObject(r.Properties) ? r.Properties : {}, context, condition });
    }
  }
  const conditions = new Map(resources.filter((r) => r.condition !== undefined).map((r) => [`${r.stack}\n${r.logicalId}`, r.condition!]));
  const conditional = (plans: ResourcePlan[]) => (conditions.size === 0 ? plans : plans.map((p) => {
    const condition = p.stack === undefined ? undefined : conditions.get(`${p.stack}\n${p.logicalId}`);
    return condition === undefined ? p : { ...p, verdict: 'undecided' as const, reason: `deployed only when the condition ${condition} holds, which is known at deploy${p.reason ? `; ${p.reason}` : ''}` };
  }));
  const repositories = conditional(planRepositories(resources.filter((r) => r.type === 'AWS::ECR::Repository'), live, imported));
  const registry = conditional(planRegistry(resources.filter((r) => r.type !== 'AWS::ECR::Repository'), live));
  const summary = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<ResourceVerdict, number>;
  for (const plan of [...repositories, ...registry]) {
    summary[plan.verdict]++;
    const where = `${plan.type === 'AWS::ECR::Repository' ? 'repository' : plan.type} '${plan.id}'${plan.stack ? ` (${plan.stack}/${plan.logicalId})` : ''}`;
    if (plan.reason !== undefined && (plan.verdict === 'undecided' || plan.verdict === 'replacement')) problems.push(`${where}: ${plan.reason}`);
    for (const c of plan.changes) {
      if (c.verdict === 'replacement') problems.push(`${where}: ${c.property} would replace it, refused: ${c.reason}`);
      if (c.verdict === 'undecided') problems.push(`${where}: ${c.property} is undecided: ${c.reason}`);
    }
  }
  // One resource per repository and per registry setting: a second one fails to create, and cannot be imported.
  const holders = new Map<string, ResourcePlan[]>();
  for (const plan of [...repositories, ...registry]) {
    if (plan.stack === undefined || plan.id.startsWith('(')) continue;
    const k = `${plan.type}\n${plan.id}`;
    holders.set(k, [...holders.get(k) ?? [], plan]);
  }
  for (const list of holders.values()) {
    if (list.length < 2) continue;
    const p = list[0];
    problems.push(`${p.type === 'AWS::ECR::Repository' ? 'repository' : p.type} '${p.id}' is declared by ${list.length} resources (${list.map((x) => `${x.stack}/${x.logicalId}`).join(', ')}): `
      + 'the account has one, so keep one resource for it');
  }
  return { account: live.account, region: live.region, repositories, registry, summary, problems };
}

function planRepositories(resources: TemplateResource[], live: RegistryExportFile, imported: ImportedResources | undefined): ResourcePlan[] {
  const byName = new Map(live.repositories.map((r) => [r.repositoryName, r]));
  const managed = new Set<string>();
  const plans: ResourcePlan[] = [];
  for (const r of resources) {
    const at = { stack: r.stack, logicalId: r.logicalId };
    const name = resolveValue(r.properties.RepositoryName, r.context);
    if (r.properties.RepositoryName === undefined) {
      plans.push({ type: r.type, id: `(${r.logicalId})`, verdict: 'created', ...at, changes: [], reason: 'no RepositoryName: CloudFormation generates a new name, so this is always a new repository' });
      continue;
    }
    if (name.kind !== 'value' || typeof name.value !== 'string') {
      plans.push({ type: r.type, id: `(${r.logicalId})`, verdict: 'undecided', ...at, changes: [], reason: `RepositoryName is ${describe(name)}: the plan cannot tell which repository this is` });
      continue;
    }
    const held = imported?.get(r.stack)?.[r.logicalId]?.RepositoryName;
    if (held !== undefined && held !== name.value) {
      // The stack holds another repository under this logical ID: it stays managed, and the deploy would replace it.
      managed.add(held);
      plans.push({
        type: r.type,
        id: held,
        verdict: 'replacement',
        ...at,
        changes: [{ property: 'RepositoryName', verdict: 'replacement', live: held, planned: name.value, reason: replacementReason(r.type, 'RepositoryName') }],
      });
      continue;
    }
    const exported = byName.get(name.value);
    if (exported === undefined) {
      plans.push({ type: r.type, id: name.value, verdict: 'created', ...at, changes: [], ...controlTowerOf(r.properties) });
      continue;
    }
    managed.add(name.value);
    const liveProperties = repositoryProperties(exported);
    const changes = REPOSITORY_PROPERTIES.filter((m) => m.property !== 'RepositoryName')
      .map((m) => compareProperty(r.type, m.property, liveProperties[m.property], r.properties[m.property], m.replacement, r.context))
      .filter((c) => c.verdict !== 'no change');
    plans.push({ type: r.type, id: name.value, verdict: worst(changes), ...at, changes, ...controlTowerOf(r.properties) });
  }
  // Imported earlier under a logical ID the templates no longer have: the deploy takes the repository out of its stack.
  const held = new Set(resources.map((r) => `${r.stack}\n${r.logicalId}`));
  const dropped = new Map<string, { stack: string; logicalId: string }>();
  for (const [stack, mapping] of [...imported ?? []].sort((a, b) => compare(a[0], b[0]))) {
    for (const [logicalId, id] of Object.entries(mapping).sort((a, b) => compare(a[0], b[0]))) {
      const repositoryName = id?.RepositoryName;
      if (typeof repositoryName === 'string' && !held.has(`${stack}\n${logicalId}`) && !dropped.has(repositoryName)) dropped.set(repositoryName, { stack, logicalId });
    }
  }
  for (const r of live.repositories) {
    if (managed.has(r.repositoryName)) continue;
    const out = dropped.get(r.repositoryName);
    plans.push({
      type: 'AWS::ECR::Repository',
      id: r.repositoryName,
      verdict: 'not managed',
      changes: [],
      ...(out !== undefined ? {
        ...out,
        reason: `imported as ${out.logicalId}, which the stack's template no longer has: the deploy takes it out of the stack, `
          + 'which deletes the repository and its images unless its DeletionPolicy there is Retain (the library\'s repositories are retained)',
      } : {}),
    });
  }
  return plans.sort((a, b) => compare(a.id, b.id) || compare(a.stack ?? '', b.stack ?? '') || compare(a.logicalId ?? '', b.logicalId ?? ''));
}

function planRegistry(resources: TemplateResource[], live: RegistryExportFile): ResourcePlan[] {
  const running = registryResources(live);
  const key = (type: string, id: string) => `${type}\n${id}`;
  const liveByKey = new Map<string, LiveRegistryResource>(running.map((r) => [key(r.type, r.id), r]));
  const managed = new Set<string>();
  const plans: ResourcePlan[] = [];
  for (const r of resources) {
    const mapping = REGISTRY_RESOURCES.find((m) => m.type === r.type)!;
    const at = { stack: r.stack, logicalId: r.logicalId };
    let id: string;
    if (mapping.singleton) {
      id = live.account;
    } else {
      const resolved = resolveValue(r.properties[mapping.identifier], r.context);
      if (resolved.kind !== 'value' || typeof resolved.value !== 'string') {
        plans.push({ type: r.type, id: `(${r.logicalId})`, verdict: 'undecided', ...at, changes: [], reason: `${mapping.identifier} is ${describe(resolved)}` });
        continue;
      }
      id = resolved.value;
    }
    const found = liveByKey.get(key(r.type, id));
    if (found === undefined) {
      plans.push({ type: r.type, id, verdict: 'created', ...at, changes: [] });
      continue;
    }
    managed.add(key(r.type, id));
    const names = [...new Set([...Object.keys(found.properties), ...Object.keys(r.properties)])]
      .filter((p) => p !== mapping.identifier && !(r.type.startsWith('Custom::') && p !== 'Value'))
      .sort(compare);
    const changes = names
      .map((p) => compareProperty(r.type, p, found.properties[p], r.properties[p], mapping.replacedBy.includes(p), r.context))
      .filter((c) => c.verdict !== 'no change');
    plans.push({ type: r.type, id, verdict: worst(changes), ...at, changes });
  }
  for (const r of running) {
    if (managed.has(key(r.type, r.id))) continue;
    // ECR's default scanning configuration (BASIC, no rules) is no setting of anyone's.
    if (r.type === EcrType.REGISTRY_SCANNING_CONFIGURATION && r.properties.ScanType === 'BASIC' && (r.properties.Rules as unknown[]).length === 0) continue;
    plans.push({ type: r.type, id: r.id, verdict: 'not managed', changes: [] });
  }
  return plans.sort((a, b) => compare(a.type, b.type) || compare(a.id, b.id) || compare(a.stack ?? '', b.stack ?? ''));
}

function worst(changes: PropertyPlan[]): PropertyVerdict {
  return changes.reduce<PropertyVerdict>((w, c) => (RANK[c.verdict] > RANK[w] ? c.verdict : w), 'no change');
}

/** A property's verdict: the live value against the template's, each brought to one form. */
function compareProperty(type: string, property: string, live: unknown, given: unknown, replacement: boolean, context: ResolveContext): PropertyPlan {
  const resolved = resolveValue(given, context);
  const normal = normalizer(type, property);
  if (resolved.kind === 'created') {
    if (type === 'AWS::ECR::Repository' && property === 'EncryptionConfiguration') {
      return {
        property,
        verdict: 'replacement',
        live,
        planned: given,
        reason: `the template encrypts with ${resolved.type} ${resolved.resource}, which it creates: a new key is not the key the repository has, and ECR cannot change a repository's encryption`,
      };
    }
    return { property, verdict: 'undecided', live, planned: given, reason: `it is an attribute of ${resolved.type} ${resolved.resource}, which the template creates` };
  }
  if (resolved.kind === 'unknown') return { property, verdict: 'undecided', live, planned: given, reason: resolved.reason };
  // The same value on both sides is the same in one form too, for every normalizer that cannot call the template's value undecided.
  if (!(type === 'AWS::ECR::Repository' && property === 'EncryptionConfiguration') && sameValue(live, resolved.value)) return { property, verdict: 'no change' };
  let a: unknown;
  let b: unknown;
  try {
    a = normal(live, context);
    b = normal(resolved.value, context);
  } catch (error) {
    return { property, verdict: 'undecided', live, planned: resolved.value, reason: error instanceof Error ? error.message : String(error) };
  }
  if (isUndecided(b)) return { property, verdict: 'undecided', live, planned: resolved.value, reason: b.undecided };
  const managedKey = type === 'AWS::ECR::Repository' && property === 'EncryptionConfiguration' ? awsManagedKeyOrArn(a, b) : undefined;
  if (managedKey !== undefined) return { property, verdict: 'undecided', live, planned: resolved.value, reason: managedKey };
  if (sameValue(a, b) || canonical(a) === canonical(b)) return { property, verdict: 'no change' };
  if (!replacement) return { property, verdict: 'in-place update', live, planned: resolved.value, ...inPlaceConsequence(type, property, b) };
  return { property, verdict: 'replacement', live, planned: resolved.value, reason: replacementReason(type, property) };
}

/** The Control Tower controls a repository's planned properties fail, when any. */
function controlTowerOf(properties: Record<string, unknown>): { controlTower?: string[] } {
  const failed = failedControlTowerControls(properties);
  return failed.length > 0 ? { controlTower: failed } : {};
}

/**
 * What an in-place update of a repository's setting does to its users, where
 * it changes what they can do: tags made immutable, scanning on push, a
 * lifecycle policy that expires images.
 */
function inPlaceConsequence(type: string, property: string, planned: unknown): { reason?: string } {
  if (type !== 'AWS::ECR::Repository') return {};
  if (property === 'ImageTagMutability' && typeof planned === 'string' && planned.startsWith(CONTROL_TOWER_TAG_MUTABILITY)) {
    return { reason: 'once tags are immutable, a push of a tag that already exists in the repository fails (tags such as latest no longer move)' };
  }
  if (property === 'ImageScanningConfiguration' && planned === true) {
    return { reason: 'images pushed from then on are scanned on push, while the registry has no scanning configuration (which overrides it)' };
  }
  if (property === 'LifecyclePolicy' && planned !== null) {
    return { reason: 'the lifecycle policy expires the images its rules select from its first evaluation on: expired images are deleted' };
  }
  return {};
}

function replacementReason(type: string, property: string): string {
  if (type === 'AWS::ECR::Repository' && property === 'EncryptionConfiguration') return 'ECR cannot change a repository\'s encryption in place: CloudFormation would create a new, empty repository';
  if (type === 'AWS::ECR::Repository' && property === 'RepositoryName') return 'a renamed repository is a new one';
  return `CloudFormation replaces ${type} when ${property} changes (a create-only property of its resource schema)`;
}

interface Undecided { readonly undecided: string }
function isUndecided(v: unknown): v is Undecided {
  return isObject(v) && typeof v.undecided === 'string' && Object.keys(v).length === 1;
}

type Normalizer = (value: unknown, context: ResolveContext) => unknown;

/** How a property's values are brought to one form: ECR's defaults for what is left out, JSON texts as JSON, tags and lists of names as sets. */
function normalizer(type: string, property: string): Normalizer {
  const json = (v: unknown): unknown => (v === undefined ? null : typeof v === 'string' ? parseJson(v) : v);
  const set = (v: unknown): unknown => (Array.isArray(v) ? (v.length < 2 ? v.map(canonical) : v.map(canonical).sort()) : v ?? []);
  if (type === 'AWS::ECR::Repository') {
    switch (property) {
      case 'EncryptionConfiguration': return encryption;
      case 'ImageTagMutability': return (v) => v ?? 'MUTABLE';
      case 'ImageScanningConfiguration': return (v) => (isObject(v) ? v.ScanOnPush ?? false : false);
      case 'ImageTagMutabilityExclusionFilters': return set;
      case 'LifecyclePolicy': return (v) => (isObject(v) && v.LifecyclePolicyText !== undefined ? json(v.LifecyclePolicyText) : null);
      case 'RepositoryPolicyText': return json;
      case 'Tags': return set;
      default: return (v) => v ?? null;
    }
  }
  if (type === EcrType.REGISTRY_POLICY && property === 'PolicyText') return json;
  if (type === 'AWS::ECR::RepositoryCreationTemplate') {
    if (property === 'LifecyclePolicy' || property === 'RepositoryPolicy') return json;
    // What ECR applies when a template says nothing: AES256, MUTABLE (CreateRepositoryCreationTemplate's defaults).
    if (property === 'EncryptionConfiguration') return encryption;
    if (property === 'ImageTagMutability') return (v) => v ?? 'MUTABLE';
    if (property === 'ResourceTags' || property === 'AppliedFor' || property === 'ImageTagMutabilityExclusionFilters') return set;
  }
  const replicationRules = type === EcrType.REPLICATION_CONFIGURATION && property === 'ReplicationConfiguration';
  if (replicationRules || (type === EcrType.SIGNING_CONFIGURATION && property === 'Rules')) {
    // A rule without filters is the same with an empty list of them.
    const rules = (list: unknown) => (Array.isArray(list)
      ? list.map((r) => (isObject(r) && Array.isArray(r.RepositoryFilters) && r.RepositoryFilters.length === 0
        ? { ...r, RepositoryFilters: undefined } : r))
      : list);
    return (v) => (property === 'Rules' ? rules(v ?? []) : isObject(v) ? { ...v, Rules: rules(v.Rules) } : v ?? null);
  }
  if (type === EcrType.REGISTRY_SCANNING_CONFIGURATION && property === 'Rules') {
    // A set of rules (one per scan frequency, in whatever order ECR returns them), each with a set of filters.
    return (v) => set(Array.isArray(v) ? v.map((r) => (isObject(r) ? { ...r, RepositoryFilters: set(r.RepositoryFilters) } : r)) : []);
  }
  return (v) => v ?? null;
}

/** How the plan writes ECR's AWS managed key: a KMS or KMS_DSSE configuration without KmsKey (or an export without kmsKey). */
const AWS_MANAGED_KEY = `the AWS managed key ${AWS_MANAGED_KEY_ALIAS}`;

/**
 * Why two encryption configurations of the same type, one with ECR's AWS
 * managed key (no key) and one with a key's ARN, are undecided: the ARN may be
 * that of the AWS managed key, and neither the template nor the export says.
 */
function awsManagedKeyOrArn(live: unknown, planned: unknown): string | undefined {
  if (!isObject(live) || !isObject(planned) || live.type !== planned.type) return undefined;
  const keys = [live.key, planned.key];
  if (!keys.includes(AWS_MANAGED_KEY) || keys.every((k) => k === AWS_MANAGED_KEY)) return undefined;
  const arn = keys.find((k) => k !== AWS_MANAGED_KEY);
  return live.key === AWS_MANAGED_KEY
    ? `the repository uses ECR's AWS managed key (the export names no key) and the template names ${arn}: the same only if that is the key of alias ${AWS_MANAGED_KEY_ALIAS}, which the plan cannot tell; leave KmsKey out to match`
    : `the repository's key is ${arn} and the template leaves KmsKey out (ECR's AWS managed key): the same only if ${arn} is the key of alias ${AWS_MANAGED_KEY_ALIAS}, which the plan cannot tell; name that ARN as KmsKey to match`;
}

/** An encryption configuration in one form: the type, and the key as an ARN where it can be told. */
function encryption(value: unknown, context: ResolveContext): unknown {
  const config = isObject(value) ? value : {};
  const type = config.EncryptionType ?? 'AES256';
  if (type === 'AES256') return { type };
  const key = config.KmsKey;
  if (key === undefined) return { type, key: AWS_MANAGED_KEY };
  if (typeof key !== 'string') return { undecided: 'KmsKey is not a string' };
  if (key.startsWith('arn:')) {
    if (/:alias\//.test(key)) return { undecided: `KmsKey ${key} is an alias: the plan cannot tell which key it names` };
    return { type, key };
  }
  if (key.startsWith('alias/')) return { undecided: `KmsKey ${key} is an alias: the plan cannot tell which key it names` };
  // A key ID: the key of that ID in the account and region.
  return { type, key: `arn:${partitionOf(context.region).partition}:kms:${context.region}:${context.account}:key/${key}` };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { text };
  }
}

/**
 * Whether two values are equal member by member (a key whose value is
 * undefined counts as absent): a cheaper test than comparing `canonical`
 * texts, and never true where they differ.
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (!isObject(a) || !isObject(b)) return false;
  let defined = 0;
  for (const k in a) {
    if (a[k] === undefined) continue;
    defined++;
    if (!Object.prototype.hasOwnProperty.call(b, k) || !sameValue(a[k], b[k])) return false;
  }
  for (const k in b) if (b[k] !== undefined) defined--;
  return defined === 0;
}

/** JSON with object keys sorted: two values are the same when this is. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value).filter((k) => value[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function describe(resolved: Resolved): string {
  if (resolved.kind === 'created') return `an attribute of ${resolved.type} ${resolved.resource}, which the template creates`;
  if (resolved.kind === 'unknown') return `unknown before the deploy (${resolved.reason})`;
  return `${JSON.stringify(resolved.value)}, not a string`;
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
