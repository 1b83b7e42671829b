import { wildcardPattern } from './actions';
import { grantTable, mermaidOf, needsAcknowledgement } from './format';
import { AccessGrant, AccessReport } from './report';

/**
 * A reviewed grant a change may add without failing `access diff`: in the style of cdk-nag
 * acknowledgements, it names what it accepts and why.
 */
export interface AccessAcknowledgement {
  /** The repository: its construct path or name, `*` and `?` as wildcards. */
  readonly repository: string;
  /** The principal as the report names it (`account 222222222222`, `anyone (*)`, a role's path), `*` and `?` as wildcards. */
  readonly principal: string;
  /**
   * The capability: pull, push, delete, admin or replicate.
   * @default - every capability
   */
  readonly capability?: string;
  /** Why the grant is accepted (required, not empty). */
  readonly reason: string;
}

/** Thrown for an acknowledgements file that cannot be used. */
class AcknowledgementError extends Error {}

function key(g: AccessGrant): string {
  return `${g.repository}\u0000${g.principal}\u0000${g.capability}\u0000${g.decision}`;
}

function matches(pattern: string, ...values: string[]): boolean {
  const re = wildcardPattern(pattern, false);
  return values.some((v) => re.test(v));
}

/**
 * What a change grants and revokes: the access report of the app before and after it.
 * A change fails review (`failed`) when it adds push, delete or administration across
 * accounts, or any access for anyone, that no acknowledgement names.
 *
 * The command line runs it: `cdk-ecr-platform access diff OLD_CDK_OUT NEW_CDK_OUT`.
 */
export class AccessDiff {
  /**
   * The difference between two reports.
   *
   * @param before the report of the app before the change
   * @param after the report of the app after it
   * @param acknowledgements grants reviewed and accepted
   */
  public static between(before: AccessReport, after: AccessReport, acknowledgements: AccessAcknowledgement[] = []): AccessDiff {
    return new AccessDiff(before, after, acknowledgements);
  }

  /**
   * Reads acknowledgements from JSON: a list, or `{ "acknowledgements": [...] }`, of
   * `{ repository, principal, capability?, reason }`. Throws with every problem when an
   * entry lacks a field or a reason.
   */
  public static parseAcknowledgements(text: string): AccessAcknowledgement[] {
    let value: any;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new AcknowledgementError(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    const list = Array.isArray(value) ? value : value?.acknowledgements;
    if (!Array.isArray(list)) throw new AcknowledgementError('expected a list of acknowledgements, or { "acknowledgements": [...] }');
    const problems: string[] = [];
    const out: AccessAcknowledgement[] = [];
    list.forEach((entry: any, i: number) => {
      const at = `acknowledgements[${i}]`;
      if (entry === null || typeof entry !== 'object') return problems.push(`${at} is not an object`);
      for (const field of ['repository', 'principal', 'reason']) {
        if (typeof entry[field] !== 'string' || entry[field].trim() === '') problems.push(`${at}.${field} is required (a non-empty string)${field === 'reason' ? ': say why the grant is accepted' : ''}`);
      }
      const capabilities = ['pull', 'push', 'delete', 'admin', 'replicate'];
      if (entry.capability !== undefined && !capabilities.includes(entry.capability)) problems.push(`${at}.capability ${JSON.stringify(entry.capability)} must be one of ${capabilities.join(', ')}`);
      const unknown = Object.keys(entry).filter((k) => !['repository', 'principal', 'capability', 'reason'].includes(k));
      if (unknown.length > 0) problems.push(`${at} has unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
      out.push({ repository: entry.repository, principal: entry.principal, capability: entry.capability, reason: entry.reason });
      return undefined;
    });
    if (problems.length > 0) throw new AcknowledgementError(problems.join('; '));
    return out;
  }

  /** @internal */
  public static _isAcknowledgementError(error: unknown): boolean {
    return error instanceof AcknowledgementError;
  }

  /** Grants the change adds (a new grant, or a grant whose decision changed). */
  public readonly added: AccessGrant[];
  /** Grants the change takes away (or whose decision changed). */
  public readonly removed: AccessGrant[];
  /** Added grants that need an acknowledgement and have none: the change fails review. */
  public readonly unacknowledged: AccessGrant[];
  /** Added grants that needed an acknowledgement, with the reason of the one that names them. */
  public readonly acknowledged: AccessGrant[];
  /** Acknowledgements that name no added grant (stale: remove them). */
  public readonly unmatchedAcknowledgements: AccessAcknowledgement[];
  private readonly reasons = new Map<AccessGrant, string>();
  private readonly after: AccessReport;

  private constructor(before: AccessReport, after: AccessReport, acknowledgements: AccessAcknowledgement[]) {
    this.after = after;
    const live = (r: AccessReport) => r.grants.filter((g) => g.decision !== 'denied');
    const old = new Set(live(before).map(key));
    const now = new Set(live(after).map(key));
    this.added = live(after).filter((g) => !old.has(key(g)));
    this.removed = live(before).filter((g) => !now.has(key(g)));
    const used = new Set<AccessAcknowledgement>();
    this.unacknowledged = [];
    this.acknowledged = [];
    for (const g of this.added.filter(needsAcknowledgement)) {
      const ack = acknowledgements.find((a) => matches(a.repository, g.repository, g.repositoryName) && matches(a.principal, g.principal)
        && (a.capability === undefined || a.capability === g.capability));
      if (ack) {
        used.add(ack);
        this.acknowledged.push(g);
        this.reasons.set(g, ack.reason);
      } else {
        this.unacknowledged.push(g);
      }
    }
    this.unmatchedAcknowledgements = acknowledgements.filter((a) => !used.has(a));
  }

  /** Whether the change adds a grant that needs an acknowledgement and has none. */
  public get failed(): boolean {
    return this.unacknowledged.length > 0;
  }

  /** The diff as JSON. */
  public toJson(): string {
    const ack = this.acknowledged.map((g) => ({ ...g, acknowledgement: this.reasons.get(g) }));
    return `${JSON.stringify({
      failed: this.failed,
      added: this.added,
      removed: this.removed,
      unacknowledged: this.unacknowledged,
      acknowledged: ack,
      unmatchedAcknowledgements: this.unmatchedAcknowledgements,
    }, null, 2)}\n`;
  }

  /** The diff as markdown, for a pull-request comment. */
  public toMarkdown(): string {
    const out = ['# Repository access changes', ''];
    if (this.added.length === 0 && this.removed.length === 0) out.push('No change to who can pull, push, delete, administer or replicate.', '');
    else out.push(`${this.added.length} grants added, ${this.removed.length} removed.`, '');
    if (this.unacknowledged.length > 0) {
      out.push(`## :x: Needs review (${this.unacknowledged.length})`, '',
        'Push, delete or administration across accounts, or access for anyone outside the organization. Acknowledge each with a reason in the acknowledgements file, or change the policy.', '',
        ...grantTable(this.unacknowledged, '+'), '');
    }
    if (this.acknowledged.length > 0) {
      out.push('## Acknowledged', '', '| Repository | Principal | Can | Reason |', '|---|---|---|---|');
      for (const g of this.acknowledged) out.push(`| ${g.repository} | ${g.principal} | ${g.capability} | ${(this.reasons.get(g) ?? '').replace(/\|/g, '\\|')} |`);
      out.push('');
    }
    if (this.added.length > 0) out.push('## Added', '', ...grantTable(this.added, '+'), '');
    if (this.removed.length > 0) out.push('## Removed', '', ...grantTable(this.removed, '-'), '');
    if (this.unmatchedAcknowledgements.length > 0) {
      out.push('## Acknowledgements that match nothing', '');
      for (const a of this.unmatchedAcknowledgements) out.push(`- ${a.repository} / ${a.principal}${a.capability ? ` / ${a.capability}` : ''}: ${a.reason}`);
      out.push('');
    }
    return `${out.join('\n')}\n`;
  }

  /** The diff as a Mermaid flowchart: added edges green, removed edges dashed red. */
  public toMermaid(): string {
    return mermaidOf(this.added, this.after.replications, this.removed, true);
  }
}
