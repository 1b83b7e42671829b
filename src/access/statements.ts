/*
 * Policy statements as the access evaluator reads them: who (Principal / NotPrincipal),
 * which ECR actions (Action / NotAction, wildcards expanded from the service authorization
 * data), which resources (Resource / NotResource, IAM's wildcards), and the conditions,
 * with the condition keys and operators the evaluator models.
 */
import { statementActions, wildcardPattern } from './actions';
import { StackResolver, Unresolved } from './assembly';

/** A principal a policy names. @internal */
export interface PrincipalRef {
  readonly kind: 'anyone' | 'account' | 'arn' | 'service' | 'other';
  /** The account (account, arn), the ARN (arn), the service (service), the text (other). */
  readonly id: string;
  readonly account?: string;
}

/** One condition of a statement: operator, key and values. @internal */
export interface ConditionClause {
  /** As written, e.g. `ForAnyValue:StringLike`. */
  readonly operator: string;
  /** StringEquals, StringLike, ArnLike... without set prefix and IfExists. */
  readonly base: string;
  readonly ifExists: boolean;
  readonly set?: 'ForAnyValue' | 'ForAllValues';
  /** As written, and lower-cased. */
  readonly key: string;
  readonly lowerKey: string;
  readonly values: readonly string[];
  /** Why the evaluator cannot decide this condition, when it cannot. */
  readonly unmodelled?: string;
}

/** A statement of a policy. @internal */
export interface Statement {
  /** Where it comes from: the resource or policy, and the Sid or position. */
  readonly source: string;
  readonly effect: 'Allow' | 'Deny';
  /** Undefined for identity policies (the principal is the identity they are attached to). */
  readonly principals?: readonly PrincipalRef[];
  readonly notPrincipal: boolean;
  readonly actions: ReadonlySet<string>;
  /** Resource patterns, or undefined: every resource (a resource policy without Resource). */
  readonly resources?: readonly string[];
  readonly notResource: boolean;
  readonly conditions: readonly ConditionClause[];
  /** Parts that could not be resolved (an unresolved Resource, Principal): the statement's effect is undecided. */
  readonly unresolved: readonly string[];
}

/** Condition keys the evaluator models. @internal */
export const MODELLED_KEYS = new Set([
  'aws:principalorgid', 'aws:principalorgpaths', 'aws:principalaccount', 'aws:principalarn',
  'aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid',
]);
/** Condition operators the evaluator models (without IfExists and set prefixes). @internal */
export const MODELLED_OPERATORS = new Set(['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase',
  'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike']);

/** Whether an operator matches when the value does not (StringNotEquals, ArnNotLike...). @internal */
export function isNegated(base: string): boolean {
  return /Not/.test(base);
}

function list(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function principalOf(kind: string, text: string): PrincipalRef {
  if (kind === 'AWS') {
    if (text === '*') return { kind: 'anyone', id: '*' };
    if (/^\d{12}$/.test(text)) return { kind: 'account', id: text, account: text };
    const root = /^arn:[^:]+:iam::(\d{12}):root$/.exec(text);
    if (root) return { kind: 'account', id: root[1], account: root[1] };
    const arn = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(text);
    if (arn) return { kind: 'arn', id: text, account: arn[1] };
    return { kind: 'other', id: text };
  }
  if (kind === 'Service') return { kind: 'service', id: text };
  return { kind: 'other', id: `${kind}:${text}` };
}

/** Reads the statements of a policy document; `source` names the policy in the report. @internal */
export function readStatements(document: unknown, source: string, resolver: StackResolver, resourcePolicy: boolean): Statement[] {
  let doc: any = document;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch {
      return [undecidedStatement(source, 'the policy is not valid JSON')];
    }
  }
  const statements = list(doc?.Statement);
  return statements.map((raw: any, index) => readStatement(raw, `${source} ${typeof raw?.Sid === 'string' && raw.Sid ? raw.Sid : `statement ${index + 1}`}`, resolver, resourcePolicy));
}

function undecidedStatement(source: string, reason: string): Statement {
  return { source, effect: 'Allow', notPrincipal: false, actions: new Set(), notResource: false, conditions: [], unresolved: [reason] };
}

function strings(value: unknown, resolver: StackResolver, what: string, unresolved: string[]): string[] {
  const out: string[] = [];
  const resolved = resolver.value(value);
  const items = resolved instanceof Unresolved ? list(value) : list(resolved);
  for (const item of items) {
    const s = resolver.string(item);
    if (s instanceof Unresolved) unresolved.push(`${what}: ${s.reason}`);
    else out.push(s);
  }
  return out;
}

function readStatement(raw: any, source: string, resolver: StackResolver, resourcePolicy: boolean): Statement {
  if (raw === null || typeof raw !== 'object') return undecidedStatement(source, 'the statement is not an object');
  const unresolved: string[] = [];
  const effect = raw.Effect === 'Deny' ? 'Deny' : 'Allow';
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') unresolved.push(`Effect ${JSON.stringify(raw.Effect)} is neither Allow nor Deny`);
  const notPrincipal = raw.NotPrincipal !== undefined;
  let principals: PrincipalRef[] | undefined;
  const principalElement = notPrincipal ? raw.NotPrincipal : raw.Principal;
  if (principalElement !== undefined) {
    principals = [];
    if (principalElement === '*') {principals.push({ kind: 'anyone', id: '*' });} else if (principalElement && typeof principalElement === 'object') {
      for (const [kind, value] of Object.entries(principalElement)) {
        for (const text of strings(value, resolver, `Principal ${kind}`, unresolved)) principals.push(principalOf(kind, text));
      }
    } else {unresolved.push(`Principal ${JSON.stringify(principalElement)} is not understood`);}
  } else if (resourcePolicy) {
    unresolved.push('the statement names no Principal');
  }
  const notAction = raw.NotAction !== undefined;
  const actions = statementActions(strings(notAction ? raw.NotAction : raw.Action, resolver, 'Action', unresolved), notAction);
  const notResource = raw.NotResource !== undefined;
  const resourceElement = notResource ? raw.NotResource : raw.Resource;
  const resources = resourceElement === undefined ? undefined : strings(resourceElement, resolver, 'Resource', unresolved);
  const conditions: ConditionClause[] = [];
  if (raw.Condition !== undefined) {
    if (raw.Condition === null || typeof raw.Condition !== 'object') {unresolved.push('Condition is not an object');} else {
      for (const [operator, block] of Object.entries<any>(raw.Condition)) {
        for (const [key, value] of Object.entries<any>(block ?? {})) {
          const clauseUnresolved: string[] = [];
          const values = strings(value, resolver, `Condition ${operator} ${key}`, clauseUnresolved);
          conditions.push(clause(operator, key, values, clauseUnresolved));
        }
      }
    }
  }
  return { source, effect, principals, notPrincipal, actions, resources, notResource, conditions, unresolved };
}

function clause(operator: string, key: string, values: string[], unresolved: string[]): ConditionClause {
  const set = /^(ForAnyValue|ForAllValues):/.exec(operator)?.[1] as ConditionClause['set'];
  const rest = operator.replace(/^(ForAnyValue|ForAllValues):/, '');
  const ifExists = rest.endsWith('IfExists');
  const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  const lowerKey = key.toLowerCase();
  let unmodelled: string | undefined;
  if (unresolved.length > 0) unmodelled = `${operator} ${key}: ${unresolved.join('; ')}`;
  else if (!MODELLED_KEYS.has(lowerKey)) unmodelled = `condition key ${key} (${operator}) is not modelled`;
  else if (!MODELLED_OPERATORS.has(base)) unmodelled = `condition operator ${operator} (${key}) is not modelled`;
  return { operator, base, ifExists, set, key, lowerKey, values, unmodelled };
}

/** Whether a value matches a condition's value under its operator (without negation). @internal */
export function valueMatches(base: string, pattern: string, value: string): boolean {
  const positive = base.replace('Not', '');
  if (positive === 'StringEquals') return pattern === value;
  if (positive === 'StringEqualsIgnoreCase') return pattern.toLowerCase() === value.toLowerCase();
  // StringLike, ArnLike and ArnEquals (which takes wildcards too): case-sensitive wildcards
  return wildcardPattern(pattern, false).test(value);
}

/** Whether a resource pattern (IAM wildcards) matches an ARN. @internal */
export function resourceMatches(pattern: string, arn: string): boolean {
  if (pattern === '*' || pattern === arn) return true;
  if (!/[*?]/.test(pattern)) return false;
  return wildcardPattern(pattern, false).test(arn);
}

/** A condition as the report prints it. @internal */
export function describeClause(c: ConditionClause): string {
  return `${c.operator} ${c.key} ${c.values.length === 1 ? c.values[0] : `[${c.values.join(', ')}]`}`;
}
