/*
 * Who a statement grants to (a subject: anyone, an organization, an OU path, an account,
 * a role or user, an AWS service with its source), how its conditions narrow that, and
 * whether a condition holds for a subject: true, false, unknown (the report cannot know,
 * e.g. whether an account is in an organization), or unmodelled.
 */
import { ConditionClause, describeClause, isNegated, PrincipalRef, Statement, valueMatches } from './statements';

/** A principal as the report names it. @internal */
export interface Subject {
  readonly kind: 'anyone' | 'organization' | 'ou' | 'account' | 'role' | 'user' | 'group' | 'principal' | 'service' | 'other';
  /** What identifies it: *, the organization ID, the OU path, the account, the ARN (pattern), the service. */
  readonly id: string;
  readonly account?: string;
  readonly org?: string;
  readonly paths?: readonly string[];
  readonly arn?: string;
  /** For a service: the source conditions that restrict it. */
  readonly sourceAccounts?: readonly string[];
  readonly sourceArns?: readonly string[];
  readonly sourceOrgs?: readonly string[];
}

/** A subject's unique key. @internal */
export function subjectKey(s: Subject): string {
  const source = s.kind === 'service' ? `|${[...(s.sourceAccounts ?? []), ...(s.sourceArns ?? []), ...(s.sourceOrgs ?? [])].join(',')}` : '';
  return `${s.kind}:${s.id}${source}`;
}

/** A subject as the report prints it (identities are labelled by their construct path elsewhere). @internal */
export function subjectLabel(s: Subject): string {
  switch (s.kind) {
    case 'anyone': return 'anyone (*)';
    case 'organization': return `organization ${s.id}`;
    case 'ou': return `OU ${s.id}`;
    case 'account': return `account ${s.id}`;
    case 'service': {
      const sources = [...(s.sourceAccounts ?? []).map((a) => `account ${a}`), ...(s.sourceArns ?? []), ...(s.sourceOrgs ?? []).map((o) => `organization ${o}`)];
      return `service ${s.id}${sources.length > 0 ? ` (source ${sources.join(', ')})` : ''}`;
    }
    default: return s.id;
  }
}

type Truth = 'true' | 'false' | 'unknown' | 'unmodelled';

/** The values a subject's requests carry for a condition key: 'absent', 'unknown', or the values. */
function attribute(s: Subject, key: string): 'absent' | 'unknown' | readonly string[] {
  const service = s.kind === 'service';
  const identity = s.kind === 'role' || s.kind === 'user' || s.kind === 'group';
  switch (key) {
    case 'aws:principalorgid':
      if (service) return 'absent';
      return s.org !== undefined ? [s.org] : 'unknown';
    case 'aws:principalorgpaths':
      if (service) return 'absent';
      return s.kind === 'ou' && s.paths ? s.paths : 'unknown';
    case 'aws:principalaccount':
      if (service) return 'absent';
      return s.account !== undefined && s.kind !== 'organization' && s.kind !== 'ou' ? [s.account] : 'unknown';
    case 'aws:principalarn':
      if (service) return 'absent';
      if (identity && s.arn) return [s.arn];
      if (s.kind === 'principal' && s.arn && !/[*?]/.test(s.arn)) return [s.arn];
      return 'unknown';
    case 'aws:sourceaccount':
      if (!service) return 'absent';
      return s.sourceAccounts && s.sourceAccounts.length > 0 ? s.sourceAccounts : 'unknown';
    case 'aws:sourcearn':
      if (!service) return 'absent';
      return s.sourceArns && s.sourceArns.length > 0 ? s.sourceArns : 'unknown';
    case 'aws:sourceorgid':
      if (!service) return 'absent';
      return s.sourceOrgs && s.sourceOrgs.length > 0 ? s.sourceOrgs : 'unknown';
    default: return 'unknown';
  }
}

/** Whether a condition holds for a subject's requests. @internal */
export function clauseHolds(s: Subject, c: ConditionClause): Truth {
  if (c.unmodelled !== undefined) return 'unmodelled';
  const negated = isNegated(c.base);
  const values = attribute(s, c.lowerKey);
  if (values === 'absent') return c.ifExists || negated || c.set === 'ForAllValues' ? 'true' : 'false';
  if (values === 'unknown') return 'unknown';
  const one = (v: string) => c.values.some((p) => valueMatches(c.base, p, v));
  const match = c.set === 'ForAllValues' ? values.every(one) : values.some(one);
  return (negated ? !match : match) ? 'true' : 'false';
}

/** Whether all of a statement's conditions hold: true, false, unknown or unmodelled (with the clauses that are not true). @internal */
export function conditionsHold(s: Subject, clauses: readonly ConditionClause[]): { truth: Truth; open: ConditionClause[] } {
  let truth: Truth = 'true';
  const open: ConditionClause[] = [];
  for (const c of clauses) {
    const t = clauseHolds(s, c);
    if (t === 'false') return { truth: 'false', open: [c] };
    if (t === 'true') continue;
    open.push(c);
    if (t === 'unmodelled') truth = 'unmodelled';
    else if (truth === 'true') truth = 'unknown';
  }
  return { truth, open };
}

function positive(c: ConditionClause): boolean {
  return c.unmodelled === undefined && !isNegated(c.base) && !c.ifExists && c.set !== 'ForAllValues';
}

/**
 * The subjects an Allow statement's principal grants to, narrowed by its principal and
 * source conditions (Principal `*` with aws:PrincipalOrgID is the organization), with the
 * conditions it still carries for each.
 *
 * @internal
 */
export function allowSubjects(p: PrincipalRef, statement: Statement): Array<{ subject: Subject; clauses: ConditionClause[] }> {
  const clauses = [...statement.conditions];
  const take = (key: string): ConditionClause | undefined => {
    const i = clauses.findIndex((c) => c.lowerKey === key && positive(c));
    return i < 0 ? undefined : clauses.splice(i, 1)[0];
  };
  if (p.kind === 'service') {
    const sourceAccounts = take('aws:sourceaccount')?.values;
    const sourceArns = take('aws:sourcearn')?.values;
    const sourceOrgs = take('aws:sourceorgid')?.values;
    return [{ subject: { kind: 'service', id: p.id, sourceAccounts, sourceArns, sourceOrgs }, clauses }];
  }
  if (p.kind === 'anyone' || p.kind === 'account') {
    const paths = take('aws:principalorgpaths');
    const org = take('aws:principalorgid');
    const accounts = take('aws:principalaccount');
    const arns = take('aws:principalarn');
    const rest = [...clauses, ...(p.kind === 'account' ? [paths, org, accounts, arns].filter((c): c is ConditionClause => c !== undefined) : [])];
    if (p.kind === 'anyone') {
      // the narrowest named: principal ARNs, accounts, OU paths, organization
      if (arns) return arns.values.map((a) => ({ subject: arnSubject(a), clauses: [...rest, ...[accounts, paths, org].filter(isClause)] }));
      if (accounts) return accounts.values.map((a) => ({ subject: { kind: 'account', id: a, account: a }, clauses: [...rest, ...[paths, org].filter(isClause)] }));
      if (paths) {
        return paths.values.map((path) => {
          const orgId = /^(o-[a-z0-9]+)\//.exec(path)?.[1];
          return { subject: { kind: 'ou', id: path, org: orgId, paths: [path] } as Subject, clauses: [...rest, ...[org].filter(isClause)] };
        });
      }
      if (org) return org.values.map((o) => ({ subject: { kind: 'organization', id: o, org: o } as Subject, clauses: rest }));
      return [{ subject: { kind: 'anyone', id: '*' }, clauses: rest }];
    }
    // an account principal narrowed to principal ARNs of that account (RepositoryAccess.pullFromPrincipalArns)
    if (arns) {
      const inAccount = arns.values.map(arnSubject).filter((a) => a.account === p.account);
      return inAccount.map((subject) => ({ subject, clauses: [...clauses, ...[paths, org, accounts].filter(isClause)] }));
    }
    return [{ subject: { kind: 'account', id: p.id, account: p.account }, clauses: rest }];
  }
  if (p.kind === 'arn') return [{ subject: arnSubject(p.id), clauses }];
  return [{ subject: { kind: 'other', id: p.id }, clauses }];
}

function isClause(c: ConditionClause | undefined): c is ConditionClause {
  return c !== undefined;
}

function arnSubject(arn: string): Subject {
  const m = /^arn:[^:]*:(?:iam|sts)::(\d{12}):(role|user|group|assumed-role|root)/.exec(arn);
  const account = m?.[1];
  if (m?.[2] === 'root') return { kind: 'account', id: account!, account };
  return { kind: 'principal', id: arn, arn, account };
}

/** Whether a principal a Deny (or NotPrincipal) names covers a subject: yes, no, or maybe (a part of it). @internal */
export function principalCovers(p: PrincipalRef, s: Subject): 'yes' | 'no' | 'maybe' {
  switch (p.kind) {
    case 'anyone': return 'yes';
    case 'account':
      if (s.kind === 'service') return 'no';
      if (s.account !== undefined && s.kind !== 'organization' && s.kind !== 'ou') return s.account === p.account ? 'yes' : 'no';
      return s.kind === 'other' ? 'maybe' : 'maybe';
    case 'arn':
      if (s.kind === 'service') return 'no';
      if (s.arn !== undefined && !/[*?]/.test(s.arn)) return s.arn === p.id ? 'yes' : 'no';
      if (s.account !== undefined && s.kind !== 'organization' && s.kind !== 'ou' && s.account !== p.account) return 'no';
      return 'maybe';
    case 'service': return s.kind === 'service' && s.id === p.id ? 'yes' : 'no';
    default: return 'maybe';
  }
}

/** What a Deny statement does to a subject: applies (yes), does not, may apply to part of it, or cannot be decided. @internal */
export function denyApplies(d: Statement, s: Subject, identityDeny: boolean): { applies: 'yes' | 'no' | 'maybe' | 'undecided'; why: string } {
  let principal: 'yes' | 'no' | 'maybe' = 'yes';
  if (!identityDeny && d.principals) {
    const each = d.principals.map((p) => principalCovers(p, s));
    principal = each.includes('yes') ? 'yes' : each.includes('maybe') ? 'maybe' : 'no';
    if (d.notPrincipal) principal = principal === 'yes' ? 'no' : principal === 'no' ? 'yes' : 'maybe';
  }
  if (principal === 'no') return { applies: 'no', why: '' };
  if (d.unresolved.length > 0) return { applies: 'undecided', why: `${d.source}: ${d.unresolved.join('; ')}` };
  const { truth, open } = conditionsHold(s, d.conditions);
  if (truth === 'false') return { applies: 'no', why: '' };
  const text = open.map(describeClause).join(', ');
  if (truth === 'unmodelled') return { applies: 'undecided', why: `${d.source} denies when ${open.filter((c) => c.unmodelled).map((c) => c.unmodelled).join('; ')}` };
  if (truth === 'unknown') return { applies: 'maybe', why: `except where ${d.source} denies (${text})` };
  return principal === 'yes' ? { applies: 'yes', why: d.source } : { applies: 'maybe', why: `except principals ${d.source} denies` };
}
