/**
 * Stable placement of a fleet's repositories in shard stacks: pure functions,
 * shared by the fleet construct and the command line.
 *
 * A repository that has a shard keeps it; a removed repository frees its
 * room; a new repository goes to the lowest-numbered shard with room for it,
 * or to a new shard. Nothing ever moves another repository.
 */
import { FleetKeyScope, REGISTRY_KEY_HOLDER } from './key-scope';
import { CatalogSyntaxError, parseJsonWithPositions } from './text';

/** One repository's cost in its shard. @internal */
export interface PlacementItem {
  readonly name: string;
  /** CloudFormation resources it adds. */
  readonly resources: number;
  /** Estimated template bytes it adds. */
  readonly bytes: number;
}

/** A shard's limits. @internal */
export interface PlacementBudget {
  readonly resources: number;
  readonly bytes: number;
}

/** Use of one shard. @internal */
export interface ShardUsage {
  readonly shard: number;
  readonly repositories: number;
  readonly resources: number;
  readonly bytes: number;
}

/** The result of placing a catalog. @internal */
export interface PlacementResult {
  /** Repository name to shard number (1-based). */
  readonly placement: Map<string, number>;
  readonly created: string[];
  readonly removed: string[];
  readonly shards: ShardUsage[];
}

/** Resources every shard stack may need besides its repositories (the shared key). @internal */
export const SHARD_OVERHEAD_RESOURCES = 2;
/** Template bytes of a shard stack besides its repositories (key, parameters, rules). @internal */
export const SHARD_OVERHEAD_BYTES = 4_000;

/** Orders repository names by their UTF-16 code units: the same everywhere, whatever the locale. @internal */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Places repositories, keeping every previous placement. Every shard of
 * `keepShards` is kept in the result, empty or not: a shard that was
 * deployed stays in the app, so that the removal of its last repositories
 * reaches CloudFormation. Repositories new to the placement are placed in
 * name order, whatever the order of `items`, so that two orders of the same
 * additions give the same placement.
 *
 * @internal
 */
export function placeRepositories(
  previous: ReadonlyMap<string, number>, items: PlacementItem[], budget: PlacementBudget, keepShards: readonly number[] = [],
): PlacementResult {
  const placement = new Map<string, number>();
  const usage = new Map<number, { repositories: number; resources: number; bytes: number }>();
  for (const shard of keepShards) usage.set(shard, { repositories: 0, resources: SHARD_OVERHEAD_RESOURCES, bytes: SHARD_OVERHEAD_BYTES });
  const use = (shard: number, item: PlacementItem) => {
    const u = usage.get(shard) ?? { repositories: 0, resources: SHARD_OVERHEAD_RESOURCES, bytes: SHARD_OVERHEAD_BYTES };
    u.repositories++;
    u.resources += item.resources;
    u.bytes += item.bytes;
    usage.set(shard, u);
  };
  const created: string[] = [];
  const fresh: PlacementItem[] = [];
  for (const item of [...items].sort((a, b) => compareNames(a.name, b.name))) {
    const shard = previous.get(item.name);
    if (shard === undefined) {
      fresh.push(item);
    } else {
      placement.set(item.name, shard);
      use(shard, item);
    }
  }
  const removed = [...previous.keys()].filter((name) => !placement.has(name)).sort(compareNames);
  let highest = Math.max(0, ...previous.values(), ...keepShards);
  for (const item of fresh) {
    let shard: number | undefined;
    for (let s = 1; s <= highest; s++) {
      const u = usage.get(s) ?? { resources: SHARD_OVERHEAD_RESOURCES, bytes: SHARD_OVERHEAD_BYTES };
      if (u.resources + item.resources <= budget.resources && u.bytes + item.bytes <= budget.bytes) {
        shard = s;
        break;
      }
    }
    if (shard === undefined) shard = ++highest;
    placement.set(item.name, shard);
    use(shard, item);
    created.push(item.name);
  }
  const shards = [...usage.entries()].sort((a, b) => a[0] - b[0]).map(([shard, u]) => ({ shard, ...u }));
  return { placement, created, removed, shards };
}

/**
 * What a placement file holds: where each repository lives, and what the
 * fleet must keep rendering because it was deployed.
 *
 * @internal
 */
export interface PlacementState {
  /** Repository name to shard number (1-based). */
  readonly repositories: ReadonlyMap<string, number>;
  /**
   * Every shard of the file, holding repositories or not. A shard, once
   * written, stays in the app (an emptied one keeps a placeholder resource),
   * so that the removal of its last repositories reaches CloudFormation.
   */
  readonly shards: readonly number[];
  /**
   * Repositories whose images are encrypted with another shared key than
   * `keyScope` gives them (ECR cannot change a repository's key): name to
   * the shard whose key it is, or `REGISTRY_KEY_HOLDER` (0) for the fleet's
   * registry key. Moved repositories, and repositories placed before the
   * fleet changed its key scope.
   */
  readonly keys: ReadonlyMap<string, number>;
  /** Whether the fleet has written its registry stack (kept, like a shard). */
  readonly registry: boolean;
  /**
   * The key of a repository that `keys` does not list: its shard's (SHARD,
   * the default, also for files written before key scopes) or the registry's.
   */
  readonly keyScope?: FleetKeyScope;
  /** Whether the registry stack has written the fleet's registry key (kept, with its export, while the file says so). */
  readonly registryKey?: boolean;
}

/** The key holder of a placed repository that `keys` does not list: its shard, or the registry (undefined when not placed). @internal */
export function implicitKeyHolder(state: PlacementState, name: string): number | undefined {
  if (!state.repositories.has(name)) return undefined;
  return state.keyScope === FleetKeyScope.REGISTRY ? REGISTRY_KEY_HOLDER : state.repositories.get(name);
}

/** The name of a key holder in a placement file: `Shard3`, or `Registry`. @internal */
export function keyHolderName(holder: number): string {
  return holder === REGISTRY_KEY_HOLDER ? 'Registry' : `Shard${holder}`;
}

/** A placement state of repositories only (no empty shards, no moved keys, no registry stack). @internal */
export function placementOf(repositories: ReadonlyMap<string, number>): PlacementState {
  return { repositories, shards: [...new Set(repositories.values())].sort((a, b) => a - b), keys: new Map(), registry: false };
}

/** The placement file's text: shards in order, names sorted, one per line (small diffs). @internal */
export function renderPlacement(placement: ReadonlyMap<string, number>): string {
  return renderPlacementState(placementOf(placement));
}

/** The placement file's text of a state: every shard (empty ones too), the moved repositories' keys, the registry stack. @internal */
export function renderPlacementState(state: PlacementState): string {
  const shards = new Map<number, string[]>();
  for (const shard of state.shards) shards.set(shard, []);
  for (const [name, shard] of state.repositories) {
    const list = shards.get(shard) ?? [];
    list.push(name);
    shards.set(shard, list);
  }
  const out: Record<string, string[]> = {};
  for (const shard of [...shards.keys()].sort((a, b) => a - b)) out[`Shard${shard}`] = shards.get(shard)!.sort(compareNames);
  const data: Record<string, unknown> = { version: 1, shards: out };
  const keys = [...state.keys]
    .filter(([name, holder]) => state.repositories.has(name) && implicitKeyHolder(state, name) !== holder)
    .sort((a, b) => compareNames(a[0], b[0]));
  if (keys.length > 0) data.keys = Object.fromEntries(keys.map(([name, holder]) => [name, keyHolderName(holder)]));
  if (state.registry) data.registry = true;
  if (state.keyScope === FleetKeyScope.REGISTRY) data.keyScope = FleetKeyScope.REGISTRY;
  if (state.registryKey) data.registryKey = true;
  return `${JSON.stringify(data, null, 2)}\n`;
}

/** Reads a placement file's repositories; throws an error naming the file and the problem. @internal */
export function parsePlacement(text: string, file: string): Map<string, number> {
  return new Map(parsePlacementState(text, file).repositories);
}

/** Reads a placement file; throws an error naming the file and every problem. @internal */
export function parsePlacementState(text: string, file: string): PlacementState {
  let data: any;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // The catalog's reader says where: line and column.
    try {
      parseJsonWithPositions(text);
    } catch (positioned) {
      if (positioned instanceof CatalogSyntaxError) throw new Error(`${file}:${positioned.pos.line}:${positioned.pos.column}: placement file is not valid JSON: ${positioned.message}`);
    }
    throw new Error(`placement file ${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const problems: string[] = [];
  const placement = new Map<string, number>();
  const shards: number[] = [];
  if (typeof data === 'object' && data !== null && typeof data.version === 'number' && data.version !== 1) {
    throw new Error(`placement file ${file} has version ${data.version}, which this version of cdk-ecr-platform does not know (it reads version 1): upgrade the library, or write the file again`);
  }
  if (typeof data !== 'object' || data === null || data.version !== 1 || typeof data.shards !== 'object' || data.shards === null) {
    throw new Error(`placement file ${file} must be {"version": 1, "shards": {"Shard1": [names...], ...}}`);
  }
  for (const [key, names] of Object.entries(data.shards)) {
    const m = /^Shard([1-9]\d*)$/.exec(key);
    if (!m) problems.push(`shard '${key}' is not named Shard1, Shard2, ...`);
    else shards.push(Number(m[1]));
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
      problems.push(`shard '${key}' must list repository names`);
      continue;
    }
    for (const name of names as string[]) {
      if (placement.has(name)) problems.push(`repository '${name}' is placed in Shard${placement.get(name)} and ${key}: a repository lives in one shard`);
      else if (m) placement.set(name, Number(m[1]));
    }
  }
  const keys = new Map<string, number>();
  if (data.keys !== undefined) {
    if (typeof data.keys !== 'object' || data.keys === null || Array.isArray(data.keys)) {
      problems.push('keys must map repository names to the shard whose key encrypts them, like {"team/api": "Shard1"}');
    } else {
      for (const [name, value] of Object.entries(data.keys)) {
        const m = typeof value === 'string' ? /^Shard([1-9]\d*)$/.exec(value) : null;
        if (!m && value !== 'Registry') problems.push(`keys: '${name}' must name a shard (Shard1, Shard2, ...) or Registry, not ${JSON.stringify(value)}`);
        else if (!placement.has(name)) problems.push(`keys: '${name}' is in no shard of the file`);
        else if (!m) keys.set(name, REGISTRY_KEY_HOLDER);
        else if (!shards.includes(Number(m[1]))) problems.push(`keys: '${name}' is encrypted with the key of ${value}, which the file does not list: keep that shard (it holds the key)`);
        else keys.set(name, Number(m[1]));
      }
    }
  }
  if (data.registry !== undefined && typeof data.registry !== 'boolean') problems.push(`registry must be true or false, not ${JSON.stringify(data.registry)}`);
  if (data.registryKey !== undefined && typeof data.registryKey !== 'boolean') problems.push(`registryKey must be true or false, not ${JSON.stringify(data.registryKey)}`);
  const scopes = Object.values(FleetKeyScope) as string[];
  if (data.keyScope !== undefined && !scopes.includes(data.keyScope)) problems.push(`keyScope must be one of ${scopes.join(', ')}, not ${JSON.stringify(data.keyScope)}`);
  if (problems.length > 0) throw new Error(`placement file ${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return {
    repositories: placement,
    shards: shards.sort((a, b) => a - b),
    keys,
    registry: data.registry === true,
    keyScope: data.keyScope === FleetKeyScope.REGISTRY ? FleetKeyScope.REGISTRY : FleetKeyScope.SHARD,
    registryKey: data.registryKey === true,
  };
}

/**
 * The placement after a deliberate move of repositories to a shard (which
 * may be new): each moved repository records the shard whose key encrypts
 * its images (the shard it was first encrypted in, kept over later moves,
 * dropped when it moves back there), and the shards it leaves stay listed.
 * Throws naming a repository the placement does not hold.
 *
 * @internal
 */
export function moveRepositories(state: PlacementState, names: string[], toShard: number): PlacementState {
  if (!Number.isInteger(toShard) || toShard < 1) throw new Error(`shard ${toShard} is not a shard number (1, 2, ...)`);
  const repositories = new Map(state.repositories);
  const keys = new Map(state.keys);
  const missing = names.filter((n) => !repositories.has(n));
  if (missing.length > 0) throw new Error(`the placement holds no repository ${missing.map((n) => `'${n}'`).join(', ')}: place it with a synth or \`catalog plan --write\` first`);
  for (const name of names) {
    const from = repositories.get(name)!;
    if (from === toShard) continue;
    // A repository on the registry key keeps it wherever it goes: nothing to record.
    const holder = keys.get(name) ?? implicitKeyHolder(state, name)!;
    repositories.set(name, toShard);
    if (holder === implicitKeyHolder({ ...state, repositories }, name)) keys.delete(name);
    else keys.set(name, holder);
  }
  const shards = [...new Set([...state.shards, ...state.repositories.values(), toShard])].sort((a, b) => a - b);
  return { ...state, repositories, shards, keys };
}

/** The construct ID of a repository in its shard: its name with `/` as `--` (which no valid name contains). @internal */
export function repositoryConstructId(name: string): string {
  return name.replace(/\//g, '--');
}

/** The repository name of a construct ID that `repositoryConstructId` made. @internal */
export function repositoryNameOf(constructId: string): string {
  return constructId.replace(/--/g, '/');
}
