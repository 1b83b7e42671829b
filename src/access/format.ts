/*
 * The access report's and diff's formats: markdown (a pull-request comment), CSV, a Mermaid
 * flowchart GitHub renders (principals on the left, repositories grouped by namespace
 * when there are many, replication between registries), and the short summary.
 */

/**
 * A principal's capability on a repository, as the access report finds it.
 */
export interface AccessGrant {
  /** The repository's construct path (or stack/logical ID for a raw template). */
  readonly repository: string;
  /** The repository's name, or `(generated name)` when CloudFormation names it. */
  readonly repositoryName: string;
  /** The repository's account (`unknown-account` for an environment-agnostic stack). */
  readonly account: string;
  /** The repository's region (`unknown-region` for an environment-agnostic stack). */
  readonly region: string;
  /** The principal: anyone (*), organization o-..., OU o-.../r-.../ou-.../, account N, a role's construct path or ARN, service S (source ...). */
  readonly principal: string;
  /** anyone, organization, ou, account, role, user, group, principal (an ARN), service or other. */
  readonly principalKind: string;
  /**
   * The principal's account, when it has one.
   * @default - none (anyone, an organization, an OU, a service)
   */
  readonly principalAccount?: string;
  /** pull, push, delete (images), admin (policy, lifecycle, tag mutability, delete the repository...) or replicate (replication, pull-through cache). */
  readonly capability: string;
  /** allowed, if-identity-allows (the principal's own identity policies, outside the app, decide), undecided or denied (an explicit deny overrides an allow). */
  readonly decision: string;
  /** The policy statements that grant it (and, when denied, deny it). */
  readonly statements: string[];
  /** The conditions under which it holds. */
  readonly conditions: string[];
  /**
   * Why the decision is undecided or denied.
   * @default - none
   */
  readonly reason?: string;
}

/**
 * Replication from one registry (`account/region`) to another, from a replication configuration of the app.
 */
export interface AccessReplication {
  /** The source registry, `account/region`. */
  readonly source: string;
  /** The destination registry, `account/region`. */
  readonly destination: string;
  /** The repository name prefixes replicated; empty: every repository. */
  readonly filters: string[];
  /** The replication configuration's construct path. */
  readonly path: string;
}

/** Whether a grant reaches outside the repository's account (another account, an organization, an OU, anyone). @internal */
export function crossAccount(g: AccessGrant): boolean {
  if (g.principalKind === 'service') return false;
  return g.principalAccount === undefined || g.principalAccount !== g.account;
}

/**
 * Whether a grant is one a change must not add without an acknowledgement: push,
 * delete or administration across accounts, or any access for anyone (outside the
 * organization). Denied grants are none; undecided ones are counted (they may hold).
 *
 * @internal
 */
export function needsAcknowledgement(g: AccessGrant): boolean {
  if (g.decision === 'denied') return false;
  if (g.principalKind === 'anyone') return true;
  return crossAccount(g) && (g.capability === 'push' || g.capability === 'delete' || g.capability === 'admin');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

interface Line {
  repository: string;
  principal: string;
  decision: string;
  capabilities: string[];
  statements: Set<string>;
  conditions: Set<string>;
  reasons: Set<string>;
}

/** Grants folded into one line per repository, principal and decision, capabilities listed. */
function lines(grants: readonly AccessGrant[]): Line[] {
  const out = new Map<string, Line>();
  for (const g of grants) {
    const key = `${g.repository}\u0000${g.principal}\u0000${g.decision}`;
    let l = out.get(key);
    if (!l) {
      l = {
        repository: g.repository,
        principal: g.principal,
        decision: g.decision,
        capabilities: [],
        statements: new Set(),
        conditions: new Set(),
        reasons: new Set(),
      };
      out.set(key, l);
    }
    l.capabilities.push(g.capability);
    g.statements.forEach((s) => l!.statements.add(s));
    g.conditions.forEach((c) => l!.conditions.add(c));
    if (g.reason) l.reasons.add(g.reason);
  }
  return [...out.values()];
}

/** A markdown table of grants. @internal */
export function grantTable(grants: readonly AccessGrant[], mark = ''): string[] {
  const out = ['| | Repository | Principal | Can | Decision | Granted by | Conditions |', '|---|---|---|---|---|---|---|'];
  for (const l of lines(grants)) {
    const decision = l.reasons.size > 0 ? `${l.decision}: ${[...l.reasons].join('; ')}` : l.decision;
    out.push(`| ${mark} | ${cell(l.repository)} | ${cell(l.principal)} | ${l.capabilities.join(', ')} | ${cell(decision)} | ${cell([...l.statements].join('; '))} | ${cell([...l.conditions].join('; '))} |`);
  }
  return out;
}

function count(grants: readonly AccessGrant[], decision: string): number {
  return grants.filter((g) => g.decision === decision).length;
}

/** The report as markdown. @internal */
export function markdownOf(grants: readonly AccessGrant[], replications: readonly AccessReplication[], repositories: number): string {
  const out = ['# Repository access', ''];
  out.push(`${repositories} repositories; ${grants.length} grants (${count(grants, 'allowed')} allowed, ${count(grants, 'if-identity-allows')} if the principal's identity policies allow, ${count(grants, 'undecided')} undecided, ${count(grants, 'denied')} denied).`, '');
  const flagged = grants.filter(needsAcknowledgement);
  if (flagged.length > 0) out.push(`**${flagged.length} grants reach outside the repository's account for push, delete or administration, or are open to anyone.**`, '');
  if (grants.length > 0) out.push(...grantTable(grants), '');
  if (replications.length > 0) {
    out.push('## Replication', '', '| From | To | Repositories | Configured by |', '|---|---|---|---|');
    for (const r of replications) out.push(`| ${r.source} | ${r.destination} | ${r.filters.length > 0 ? cell(r.filters.join(', ')) : 'all'} | ${cell(r.path)} |`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) || /^[=+\-@]/.test(text) ? `"${(/^[=+\-@]/.test(text) ? `'${text}` : text).replace(/"/g, '""')}"` : text;
}

/** The report as CSV. @internal */
export function csvOf(grants: readonly AccessGrant[]): string {
  const header = ['repository', 'repositoryName', 'account', 'region', 'principal', 'principalKind', 'principalAccount', 'capability', 'decision', 'statements', 'conditions', 'reason'];
  const rows = grants.map((g) => [g.repository, g.repositoryName, g.account, g.region, g.principal, g.principalKind, g.principalAccount ?? '', g.capability, g.decision,
    g.statements.join('; '), g.conditions.join('; '), g.reason ?? ''].map(csvField).join(','));
  return `${[header.join(','), ...rows].join('\n')}\n`;
}

/** The short summary the main job prints. @internal */
export function summaryOf(grants: readonly AccessGrant[], repositories: number): string {
  const live = grants.filter((g) => g.decision !== 'denied');
  const principals = new Set(live.map((g) => g.principal));
  const flagged = live.filter(needsAcknowledgement);
  const out = [`Access: ${repositories} repositories, ${principals.size} principals, ${live.length} grants (${count(grants, 'undecided')} undecided, ${count(grants, 'denied')} denied by an explicit deny)`];
  const byKind = new Map<string, number>();
  for (const g of live) byKind.set(`${g.capability} by ${g.principalKind}`, (byKind.get(`${g.capability} by ${g.principalKind}`) ?? 0) + 1);
  out.push(`  ${[...byKind.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, n]) => `${k}: ${n}`).join(', ') || 'no grants'}`);
  out.push(flagged.length > 0 ? `  ${flagged.length} push/delete/admin grants across accounts or open to anyone` : '  no push, delete or administration across accounts, nothing open to anyone');
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------
// Mermaid

/** Past this many repositories, repositories are drawn by namespace. */
const REPOSITORY_NODES = 8;
/** Past this many groups or principals, the rest are folded into one node. */
const MAX_NODES = 40;

function label(text: string): string {
  return `"${text.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'))}"`;
}

function namespaceOf(g: AccessGrant): string {
  const name = g.repositoryName;
  if (name === '(generated name)' || name === '*') return g.repository;
  const slash = name.indexOf('/');
  return `${g.account}/${g.region}: ${slash > 0 ? `${name.slice(0, slash)}/*` : name}`;
}

const SHORT: Record<string, string> = { pull: 'pull', push: 'push', delete: 'delete', admin: 'admin', replicate: 'replicate' };

/**
 * A Mermaid flowchart of grants; `removed` grants are drawn as dashed red edges and the
 * others as added (green) when `diff` is true.
 *
 * @internal
 */
export function mermaidOf(
  grants: readonly AccessGrant[], replications: readonly AccessReplication[], removed: readonly AccessGrant[], diff = false,
): string {
  const live = grants.filter((g) => g.decision !== 'denied');
  const gone = removed.filter((g) => g.decision !== 'denied');
  const all = [...live, ...gone];
  const repositories = new Set(all.map((g) => g.repository));
  const groupOf = (g: AccessGrant) => (repositories.size > REPOSITORY_NODES ? namespaceOf(g) : `${g.repositoryName === '(generated name)' ? g.repository : g.repositoryName}`);
  const fold = (names: string[], other: string) => {
    const sorted = [...new Set(names)].sort();
    const kept = new Set(sorted.slice(0, MAX_NODES));
    return (name: string) => (kept.has(name) ? name : other);
  };
  const groupName = fold(all.map(groupOf), `${new Set(all.map(groupOf)).size - MAX_NODES} more repository groups`);
  const principalName = fold(all.map((g) => g.principal), `${new Set(all.map((g) => g.principal)).size - MAX_NODES} more principals`);
  const ids = new Map<string, string>();
  const id = (prefix: string, name: string) => {
    const key = `${prefix}\u0000${name}`;
    let v = ids.get(key);
    if (v === undefined) ids.set(key, v = `${prefix}${ids.size + 1}`);
    return v;
  };
  const out = ['flowchart LR'];
  const principals = [...new Set(all.map((g) => principalName(g.principal)))].sort();
  const groups = [...new Set(all.map((g) => groupName(groupOf(g))))].sort();
  const members = new Map<string, Set<string>>();
  for (const g of all) {
    const k = groupName(groupOf(g));
    if (!members.has(k)) members.set(k, new Set());
    members.get(k)!.add(g.repository);
  }
  out.push('  subgraph Principals');
  for (const p of principals) out.push(`    ${id('p', p)}[${label(p)}]`);
  out.push('  end');
  out.push('  subgraph Repositories');
  for (const r of groups) {
    const n = members.get(r)!.size;
    out.push(`    ${id('r', r)}[${label(n > 1 ? `${r} (${n} repositories)` : r)}]`);
  }
  out.push('  end');
  const edges = new Map<string, { from: string; to: string; group: string; caps: Map<string, Set<string>>; undecided: boolean; removed: boolean }>();
  const addEdges = (list: readonly AccessGrant[], isRemoved: boolean) => {
    for (const g of list) {
      const from = id('p', principalName(g.principal));
      const to = id('r', groupName(groupOf(g)));
      const undecided = g.decision === 'undecided';
      const key = `${from} ${to} ${undecided} ${isRemoved}`;
      let e = edges.get(key);
      if (!e) edges.set(key, e = { from, to, group: groupName(groupOf(g)), caps: new Map(), undecided, removed: isRemoved });
      const cap = SHORT[g.capability] ?? g.capability;
      if (!e.caps.has(cap)) e.caps.set(cap, new Set());
      e.caps.get(cap)!.add(g.repository);
    }
  };
  addEdges(live, false);
  addEdges(gone, true);
  const styles: string[] = [];
  let index = 0;
  for (const e of [...edges.values()].sort((a, b) => (`${a.from} ${a.to}` < `${b.from} ${b.to}` ? -1 : 1))) {
    // a capability on part of a group says on how many of its repositories
    const size = members.get(e.group)!.size;
    const text = [...e.caps.entries()].sort((a, b) => Object.keys(SHORT).indexOf(a[0]) - Object.keys(SHORT).indexOf(b[0]))
      .map(([cap, repos]) => (repos.size < size ? `${cap} (${repos.size} of ${size})` : cap)).join(' / ') + (e.undecided ? ' (undecided)' : '');
    out.push(`  ${e.from} ${e.undecided || e.removed ? '-.->' : '-->'}|${label(diff ? `${e.removed ? 'removed' : 'added'}: ${text}` : text)}| ${e.to}`);
    if (diff) styles.push(`  linkStyle ${index} stroke:${e.removed ? '#d73a49' : '#28a745'},stroke-width:2px`);
    index++;
  }
  if (replications.length > 0) {
    const registries = [...new Set(replications.flatMap((r) => [r.source, r.destination]))].sort();
    out.push('  subgraph Registries');
    for (const r of registries) out.push(`    ${id('g', r)}[(${label(`registry ${r}`)})]`);
    out.push('  end');
    for (const r of replications) {
      out.push(`  ${id('g', r.source)} ==>|${label(`replicates ${r.filters.length > 0 ? r.filters.join(', ') : 'all'}`)}| ${id('g', r.destination)}`);
      index++;
    }
  }
  out.push(...styles);
  return `${out.join('\n')}\n`;
}
