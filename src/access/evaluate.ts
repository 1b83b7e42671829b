/*
 * Who can do what to each repository of an app, by AWS's documented policy evaluation
 * logic (IAM User Guide, "Policy evaluation logic" and "Cross-account policy evaluation
 * logic"):
 * - an explicit Deny in any policy that applies overrides every Allow;
 * - within the repository's account, an Allow in the identity policy OR the resource
 *   policy (repository policy, registry policy) suffices; a resource policy that names
 *   the account (its root) delegates to the account's identity policies;
 * - across accounts, the resource policy must allow the other account's principal AND
 *   that principal's identity policy must allow: when the identity is in the app both are
 *   read, otherwise the grant holds "if the other account's identity policies allow";
 * - a condition or value the evaluator does not model makes the decision "undecided",
 *   with the reason: never "no access" where it could not decide.
 */
import { Capability, CAPABILITIES, CAPABILITY_ACTIONS, capabilitiesOf, REPOSITORY_ACTIONS } from './actions';
import { AppAccessModel, IdentityRecord, registryOf, RepositoryRecord } from './collect';
import { describeClause, resourceMatches, Statement } from './statements';
import { allowSubjects, conditionsHold, denyApplies, principalCovers, Subject, subjectKey, subjectLabel } from './subjects';

/**
 * What the evaluator decides for a principal and a capability:
 * - allowed: the app's policies grant it;
 * - if-identity-allows: the resource policy grants it; the principal's own identity
 *   policies, which are not in the app (another account, or an account principal), decide;
 * - undecided: a condition, value or principal the evaluator does not model (the reason says which);
 * - denied: an Allow exists, and an explicit Deny overrides it.
 *
 * @internal
 */
export type Decision = 'allowed' | 'if-identity-allows' | 'undecided' | 'denied';

/** One row of the report: a principal's capability on a repository. @internal */
export interface GrantRow {
  readonly repository: string;
  readonly repositoryName: string;
  readonly account: string;
  readonly region: string;
  readonly principal: string;
  readonly principalKind: Subject['kind'];
  readonly principalAccount?: string;
  readonly capability: Capability;
  readonly decision: Decision;
  readonly statements: readonly string[];
  readonly conditions: readonly string[];
  readonly reason?: string;
}

const LEVEL: Record<Exclude<Decision, 'denied'>, number> = { 'allowed': 3, 'if-identity-allows': 2, 'undecided': 1 };
const BY_LEVEL: Exclude<Decision, 'denied'>[] = ['allowed', 'if-identity-allows', 'undecided'];

interface Contribution {
  readonly level: number;
  readonly actions: ReadonlySet<string>;
  readonly source: string;
  readonly notes: readonly string[];
  readonly reason?: string;
}

interface SubjectAccess {
  subject: Subject;
  label: string;
  contributions: Contribution[];
  /** Deny statements that apply to it. */
  denies: Array<{ applies: 'yes' | 'maybe' | 'undecided'; actions: ReadonlySet<string>; why: string; source: string }>;
}

function intersect(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const x of a) if (b.has(x)) out.add(x);
  return out;
}

/** Whether a statement's Resource names the ARN: yes, no, or undecided (an unresolved Resource). */
function namesResource(s: Statement, arn: string): 'yes' | 'no' | 'undecided' {
  if (s.resources === undefined) return 'yes';
  const hit = s.resources.some((p) => resourceMatches(p, arn));
  const result = s.notResource ? !hit : hit;
  if (result) return 'yes';
  return s.unresolved.some((u) => u.startsWith('Resource') || u.startsWith('NotResource')) ? 'undecided' : 'no';
}

/** The evaluation of every repository of the app (and of each registry policy's repositories-to-be), in path order. @internal */
export function evaluateAccess(model: AppAccessModel): GrantRow[] {
  const rows: GrantRow[] = [];
  const labels = new Map(model.identities.map((i) => [i.arn, i]));
  const targets: RepositoryRecord[] = [...model.repositories];
  // the repositories replication and pull-through caches create in a registry: what its registry policy grants
  for (const registry of model.registryPolicies.keys()) {
    const [account, region] = registry.split('/');
    targets.push({ path: `(repositories created in registry ${registry})`, name: '*', account, region, arn: `arn:aws:ecr:${region}:${account}:repository/<any>`, statements: [] });
  }
  const identityStatements = model.identities.filter((i) => i.statements.length > 0);
  for (const repo of targets) {
    const registryStatements = (model.registryPolicies.get(registryOf(repo.account, repo.region)) ?? [])
      .filter((s) => namesResource(s, repo.arn) !== 'no');
    rows.push(...evaluateRepository(repo, [...repo.statements, ...registryStatements], identityStatements, labels));
  }
  return rows.sort(compareRows);
}

function evaluateRepository(
  repo: RepositoryRecord, resource: readonly Statement[], identities: readonly IdentityRecord[], known: ReadonlyMap<string, IdentityRecord>,
): GrantRow[] {
  const subjects = new Map<string, SubjectAccess>();
  const at = (given: Subject): SubjectAccess => {
    // a principal ARN of the app is its role, user or group, whichever policy names it
    const identity = given.arn !== undefined ? known.get(given.arn) : undefined;
    const subject: Subject = identity ? { kind: identity.kind, id: identity.arn, arn: identity.arn, account: identity.account } : given;
    const key = subjectKey(subject);
    let s = subjects.get(key);
    if (s === undefined) {
      s = { subject, label: identity?.path ?? subjectLabel(subject), contributions: [], denies: [] };
      subjects.set(key, s);
    }
    return s;
  };
  const resourceAllows = resource.filter((s) => s.effect === 'Allow');
  const resourceDenies = resource.filter((s) => s.effect === 'Deny');

  // 1. what the resource policies grant
  for (const s of resourceAllows) {
    const actions = intersect(s.actions, REPOSITORY_ACTIONS);
    if (actions.size === 0 && s.unresolved.length === 0) continue;
    if (s.notPrincipal) {
      at({ kind: 'anyone', id: '*' }).contributions.push({ level: LEVEL['if-identity-allows'], actions, source: s.source, notes: [`every principal except those NotPrincipal names (${(s.principals ?? []).map((p) => p.id).join(', ')})`] });
      continue;
    }
    const principals = s.principals ?? [];
    if (principals.length === 0 && s.unresolved.length > 0) {
      at({ kind: 'other', id: '(unresolved principal)' }).contributions.push({ level: LEVEL.undecided, actions: actions.size > 0 ? actions : new Set(REPOSITORY_ACTIONS), source: s.source, notes: [], reason: s.unresolved.join('; ') });
      continue;
    }
    for (const p of principals) {
      for (const { subject, clauses } of allowSubjects(p, s)) {
        const { truth, open } = conditionsHold(subject, clauses);
        if (truth === 'false') continue;
        const notes = open.filter((c) => !c.unmodelled).map(describeClause);
        if (subject.kind === 'service' && !subject.sourceAccounts && !subject.sourceArns && !subject.sourceOrgs) notes.push('no aws:SourceAccount, aws:SourceArn or aws:SourceOrgID condition');
        let level: number;
        let reason: string | undefined;
        if (s.unresolved.length > 0 || truth === 'unmodelled') {
          level = LEVEL.undecided;
          reason = [...s.unresolved, ...open.filter((c) => c.unmodelled).map((c) => c.unmodelled!)].join('; ');
        } else if (subject.kind === 'other') {
          level = LEVEL.undecided;
          reason = `principal ${subject.id} is not modelled`;
        } else if (subject.kind === 'service' || (subject.kind === 'principal' && subject.account === repo.account && !/[*?]/.test(subject.id))) {
          level = LEVEL.allowed;
        } else {
          level = LEVEL['if-identity-allows'];
        }
        at(subject).contributions.push({ level, actions, source: s.source, notes, reason });
      }
    }
  }

  // 2. what the identity policies of the app grant, with the resource policy across accounts
  for (const identity of identities) {
    const subject: Subject = { kind: identity.kind === 'group' ? 'group' : identity.kind, id: identity.arn, arn: identity.arn, account: identity.account };
    const sameAccount = identity.account === repo.account;
    for (const s of identity.statements) {
      if (s.effect !== 'Allow') continue;
      const names = namesResource(s, repo.arn);
      if (names === 'no' || (names === 'undecided' && !sameAccount)) continue;
      const actions = intersect(s.actions, REPOSITORY_ACTIONS);
      if (actions.size === 0) continue;
      const { truth, open } = conditionsHold(subject, s.conditions);
      if (truth === 'false') continue;
      const notes = open.filter((c) => !c.unmodelled).map(describeClause);
      const undecided = names === 'undecided' || truth === 'unmodelled' || s.unresolved.some((u) => !u.startsWith('Resource'));
      const reason = undecided ? [...s.unresolved, ...open.filter((c) => c.unmodelled).map((c) => c.unmodelled!)].join('; ') : undefined;
      if (sameAccount) {
        at(subject).contributions.push({ level: undecided ? LEVEL.undecided : LEVEL.allowed, actions, source: s.source, notes, reason });
        continue;
      }
      // across accounts: only what a resource policy statement also allows this identity
      for (const r of resourceAllows) {
        if (r.notPrincipal || !r.principals) continue;
        const covered = r.principals.map((p) => principalCovers(p, subject));
        if (!covered.includes('yes') && !covered.includes('maybe')) continue;
        const both = intersect(actions, r.actions);
        if (both.size === 0) continue;
        const held = conditionsHold(subject, r.conditions);
        if (held.truth === 'false') continue;
        const bothNotes = [...notes, ...held.open.filter((c) => !c.unmodelled).map(describeClause)];
        const bothUndecided = undecided || held.truth === 'unmodelled' || r.unresolved.length > 0;
        // a principal the resource policy names through its organization: the identity's membership is not in the app
        const level = bothUndecided ? LEVEL.undecided : LEVEL.allowed;
        at(subject).contributions.push({
          level,
          actions: both,
          source: `${s.source} + ${r.source}`,
          notes: covered.includes('yes') ? bothNotes : [...bothNotes, `if ${identity.account} is among the principals ${r.source} names`],
          reason: bothUndecided ? [reason, ...r.unresolved, ...held.open.filter((c) => c.unmodelled).map((c) => c.unmodelled!)].filter(Boolean).join('; ') : undefined,
        });
      }
    }
  }

  // 3. explicit denies
  for (const access of subjects.values()) {
    const denies: Array<{ d: Statement; identity: boolean }> = resourceDenies.map((d) => ({ d, identity: false }));
    if (access.subject.arn) {
      const identity = identities.find((i) => i.arn === access.subject.arn);
      for (const d of identity?.statements ?? []) if (d.effect === 'Deny' && namesResource(d, repo.arn) !== 'no') denies.push({ d, identity: true });
    }
    for (const { d, identity } of denies) {
      const actions = intersect(d.actions, REPOSITORY_ACTIONS);
      if (actions.size === 0) continue;
      // Deny * unless aws:PrincipalOrgID: what anyone was granted is what the organization is granted
      if (access.subject.kind === 'anyone' && !identity) {
        const orgs = organizationGuard(d);
        if (orgs) {
          narrowToOrganizations(access, actions, orgs, d.source, at);
          continue;
        }
      }
      const { applies, why } = denyApplies(d, access.subject, identity);
      if (applies === 'no') continue;
      if (!identity && d.resources !== undefined && namesResource(d, repo.arn) === 'no') continue;
      access.denies.push({ applies, actions, why, source: d.source });
    }
  }

  const rows: GrantRow[] = [];
  for (const access of [...subjects.values()].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))) {
    rows.push(...rowsOf(repo, access));
  }
  return rows;
}

/** The organizations a Deny leaves out when it denies everyone else (`StringNotEquals aws:PrincipalOrgID`), or undefined. */
function organizationGuard(d: Statement): readonly string[] | undefined {
  const anyone = !d.notPrincipal && (d.principals ?? []).some((p) => p.kind === 'anyone');
  if (!anyone || d.conditions.length !== 1 || d.unresolved.length > 0) return undefined;
  const [c] = d.conditions;
  return c.lowerKey === 'aws:principalorgid' && c.base === 'StringNotEquals' && !c.set && c.values.length > 0 ? c.values : undefined;
}

function narrowToOrganizations(
  access: SubjectAccess, denied: ReadonlySet<string>, orgs: readonly string[], source: string, at: (s: Subject) => SubjectAccess,
): void {
  const kept: Contribution[] = [];
  for (const c of access.contributions) {
    const inside = intersect(c.actions, denied);
    const outside = new Set([...c.actions].filter((a) => !denied.has(a)));
    if (outside.size > 0) kept.push({ ...c, actions: outside });
    if (inside.size === 0) continue;
    for (const org of orgs) at({ kind: 'organization', id: org, org }).contributions.push({ ...c, actions: inside, notes: [...c.notes, `anyone else: denied by ${source}`] });
  }
  access.contributions = kept;
}

function rowsOf(repo: RepositoryRecord, access: SubjectAccess): GrantRow[] {
  const rows: GrantRow[] = [];
  const deniedActions = new Set(access.denies.filter((d) => d.applies === 'yes').flatMap((d) => [...d.actions]));
  for (const capability of CAPABILITIES) {
    const relevant = new Set(CAPABILITY_ACTIONS[capability].actions);
    const levelOf = (without: ReadonlySet<string>): number | undefined => {
      for (const decision of BY_LEVEL) {
        const level = LEVEL[decision];
        const actions = new Set(access.contributions.filter((c) => c.level >= level).flatMap((c) => [...c.actions]).filter((a) => !without.has(a)));
        if (capabilitiesOf(actions).includes(capability)) return level;
      }
      return undefined;
    };
    const before = levelOf(new Set());
    if (before === undefined) continue;
    const after = levelOf(deniedActions);
    const base = {
      repository: repo.path,
      repositoryName: repo.name ?? '(generated name)',
      account: repo.account,
      region: repo.region,
      principal: access.label,
      principalKind: access.subject.kind,
      principalAccount: access.subject.account,
      capability,
    };
    const touching = (level: number) => access.contributions.filter((c) => c.level >= level && [...c.actions].some((a) => relevant.has(a)));
    if (after === undefined) {
      const denies = access.denies.filter((d) => d.applies === 'yes' && [...d.actions].some((a) => relevant.has(a)));
      rows.push({ ...base, decision: 'denied', statements: unique([...touching(before).map((c) => c.source), ...denies.map((d) => d.source)]), conditions: [], reason: `explicit deny: ${unique(denies.map((d) => d.source)).join(', ')}` });
      continue;
    }
    let decision = BY_LEVEL.find((d) => LEVEL[d] === after)!;
    const contributing = touching(after);
    const reasons = unique(contributing.filter((c) => c.reason && c.level === LEVEL.undecided).map((c) => c.reason!));
    const openDenies = access.denies.filter((d) => d.applies !== 'yes' && [...d.actions].some((a) => relevant.has(a)));
    const undecidedDenies = openDenies.filter((d) => d.applies === 'undecided');
    if (undecidedDenies.length > 0) {
      decision = 'undecided';
      reasons.push(...undecidedDenies.map((d) => d.why));
    }
    rows.push({
      ...base,
      decision,
      statements: unique(contributing.map((c) => c.source)),
      conditions: unique([...contributing.flatMap((c) => c.notes), ...openDenies.filter((d) => d.applies === 'maybe').map((d) => d.why)]),
      reason: decision === 'undecided' ? unique(reasons).join('; ') || 'undecided' : undefined,
    });
  }
  return rows;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** The report's order: repository, principal, capability. @internal */
export function compareRows(a: GrantRow, b: GrantRow): number {
  return cmp(a.repository, b.repository) || cmp(a.principal, b.principal) || CAPABILITIES.indexOf(a.capability) - CAPABILITIES.indexOf(b.capability);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
