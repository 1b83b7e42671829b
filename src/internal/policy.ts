/**
 * Whether a resource policy statement with a `*` principal is really
 * restricted to named accounts, organizations or organization paths. It is
 * judged by meaning, not by the presence of a key: the operator, the key and
 * every value must restrict the caller.
 *
 * - Operators that restrict: `StringEquals`, `StringEqualsIgnoreCase`,
 *   `StringLike`, `ArnEquals`, `ArnLike` (the last two only for ARN keys),
 *   alone or with `ForAnyValue:` (false when the key is absent). Negated
 *   operators (`StringNotEquals`, ...) allow everyone outside the named set,
 *   `...IfExists` allows callers for whom the key is absent, and
 *   `ForAllValues:` is true when the key is absent: none of them restricts.
 * - Keys that restrict, and what each value must pin:
 *   `aws:PrincipalAccount`, `aws:SourceAccount`: a 12-digit account ID;
 *   `aws:PrincipalOrgID`, `aws:SourceOrgID`: an organization ID `o-...`;
 *   `aws:PrincipalOrgPaths`, `aws:SourceOrgPaths`: a path starting with an
 *   organization ID, `o-.../` (wildcards only after it);
 *   `aws:SourceArn`, `aws:PrincipalArn`: an ARN with a literal account.
 *   The `aws:Source*` keys are present only when an AWS service acts for a
 *   resource, so an IAM caller never satisfies them.
 * - Values are read as written: a wildcard that could match another account
 *   or organization (`*`, `?*`, `o-*`, `1111*`) does not restrict. Parts that
 *   stay unknown until deploy (references, parameters) are taken as literal
 *   text, as every other check of the library skips unresolved values.
 *
 * @internal
 */
export function restrictsPrincipal(condition: unknown): boolean {
  if (!condition || typeof condition !== 'object' || Array.isArray(condition)) return false;
  // Condition blocks are ANDed: one block that restricts is enough.
  for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
    const kind = operatorKind(operator);
    if (!kind || !block || typeof block !== 'object' || Array.isArray(block)) continue;
    for (const [key, raw] of Object.entries(block as Record<string, unknown>)) {
      const rule = KEY_RULES[key.toLowerCase()];
      if (!rule) continue;
      if (kind === 'arn' && !rule.arn) continue;
      const values = Array.isArray(raw) ? raw : [raw];
      if (values.length === 0) continue;
      // Values of one key are ORed: every one of them must restrict.
      if (values.every((v) => rule.pins(flatten(v), kind))) return true;
    }
  }
  return false;
}

/** Whether an IAM `Principal` element (already resolved to JSON) includes `*`. @internal */
export function hasStarPrincipal(principal: unknown): boolean {
  if (principal === '*') return true;
  if (principal && typeof principal === 'object') {
    const aws = (principal as Record<string, unknown>).AWS;
    const list = Array.isArray(aws) ? aws : [aws];
    return list.includes('*');
  }
  return false;
}

/**
 * Problems with the statements of a resource policy (JSON form): an `Allow`
 * with a `*` principal and no condition that really restricts it (see
 * `restrictsPrincipal`).
 *
 * @internal
 */
export function openAccessProblems(statements: any[]): string[] {
  const problems: string[] = [];
  statements.forEach((s, i) => {
    if (s?.Effect !== 'Allow') return;
    if (hasStarPrincipal(s.Principal) && !restrictsPrincipal(s.Condition)) {
      problems.push(`policy statement ${s.Sid ? `'${s.Sid}'` : `#${i + 1}`} allows the '*' principal without a condition that restricts it to named accounts or organizations: use StringEquals (or StringLike) on aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalAccount or aws:SourceAccount with literal IDs. Negated operators, ...IfExists, ForAllValues and wildcards that match any account or organization do not restrict`);
    }
  });
  return problems;
}

/** How an operator compares: exactly, with wildcards, as ARNs; undefined when it does not restrict. */
type OperatorKind = 'equals' | 'like' | 'arn';

function operatorKind(operator: string): OperatorKind | undefined {
  let op = operator;
  const set = /^(ForAnyValue|ForAllValues):/i.exec(op);
  if (set) {
    // ForAllValues is true when the key is absent from the request.
    if (set[1].toLowerCase() === 'forallvalues') return undefined;
    op = op.slice(set[0].length);
  }
  switch (op.toLowerCase()) {
    case 'stringequals':
    case 'stringequalsignorecase':
      return 'equals';
    case 'stringlike':
      return 'like';
    case 'arnequals': // ArnEquals takes wildcards too
    case 'arnlike':
      return 'arn';
    default:
      return undefined; // negated, ...IfExists, Null, Bool, numeric, date, ...
  }
}

/** Text standing for a part of a value known only at deploy time. */
const UNKNOWN = '\u0000';

/** A resolved value as text: `Fn::Join` parts joined, other intrinsics as UNKNOWN; undefined when not text. */
function flatten(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value); // an account ID written as a number
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const join = (value as Record<string, unknown>)['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      const parts = join[1].map(flatten);
      return parts.some((p) => p === undefined) ? undefined : parts.join(join[0]);
    }
    return UNKNOWN;
  }
  return undefined;
}

/** Wildcard characters of StringLike and ArnLike. */
const WILDCARD = /[*?]/;

/** Whether text is non-empty and, for an operator with wildcards, has none. */
function literal(text: string, kind: OperatorKind): boolean {
  return text.length > 0 && !(kind !== 'equals' && WILDCARD.test(text));
}

const ACCOUNT = /^(\d{12}|\u0000)$/;
const ORGANIZATION = /^(o-[a-z0-9]{10,32}|\u0000)$/;

interface KeyRule {
  /** Whether the key holds ARNs (so ArnEquals/ArnLike apply). */
  readonly arn?: boolean;
  /** Whether a value pins the caller to a named account or organization. */
  pins(value: string | undefined, kind: OperatorKind): boolean;
}

const account: KeyRule = {
  pins: (v, kind) => v !== undefined && literal(v, kind) && ACCOUNT.test(v),
};
const organization: KeyRule = {
  pins: (v, kind) => v !== undefined && literal(v, kind) && ORGANIZATION.test(v),
};
const organizationPath: KeyRule = {
  // `o-abc/*` (the whole organization) and `o-abc/r-ab12/ou-.../*` pin the
  // organization; `*`, `o-*` and `o-abc*` do not.
  pins: (v, kind) => {
    if (v === undefined) return false;
    const slash = v.indexOf('/');
    if (slash < 0) return false;
    const org = v.slice(0, slash);
    return literal(org, kind) && ORGANIZATION.test(org);
  },
};
const arn: KeyRule = {
  arn: true,
  pins: (v, kind) => {
    if (v === undefined) return false;
    const parts = v.split(':');
    if (parts.length < 6 || parts[0] !== 'arn') return false;
    // StringLike's '*' also matches ':', so nothing before the account may be
    // a wildcard; ArnLike compares each of the six parts on its own.
    if (kind === 'like' && WILDCARD.test(parts.slice(0, 4).join(':'))) return false;
    return literal(parts[4], kind) && ACCOUNT.test(parts[4]);
  },
};

const KEY_RULES: Record<string, KeyRule> = {
  'aws:principalaccount': account,
  'aws:sourceaccount': account,
  'aws:principalorgid': organization,
  'aws:sourceorgid': organization,
  'aws:principalorgpaths': organizationPath,
  'aws:sourceorgpaths': organizationPath,
  'aws:sourcearn': arn,
  'aws:principalarn': arn,
};

/** A policy document given as an object or a JSON string, as its statements; undefined when not readable. @internal */
export function policyStatements(policy: unknown): any[] | undefined {
  let doc = policy;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch {
      return undefined;
    }
  }
  if (!doc || typeof doc !== 'object') return undefined;
  const statements = (doc as any).Statement;
  if (statements === undefined) return [];
  return Array.isArray(statements) ? statements : [statements];
}
