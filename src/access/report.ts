import * as fs from 'fs';
import { AccessInputError, ReadFile, readStacks } from './assembly';
import { collectAccessModel } from './collect';
import { evaluateAccess, GrantRow } from './evaluate';
import { AccessGrant, AccessReplication, csvOf, markdownOf, mermaidOf, summaryOf } from './format';

export type { AccessGrant, AccessReplication } from './format';


/**
 * Who can pull, push, delete images from, administer or replicate into each repository of
 * a synthesized app, read from its cloud assembly (`cdk.out`), by AWS's policy evaluation
 * logic: repository policies, the registry policy, and the identity policies of the app's
 * roles, users and groups; explicit deny, same-account and cross-account rules,
 * Principal/NotPrincipal, Action/NotAction, Resource/NotResource and the principal and
 * source condition keys. What it cannot decide is reported as undecided, with the reason.
 *
 * The command line runs it: `cdk-ecr-platform access report cdk.out`.
 */
export class AccessReport {
  /**
   * The report of a cloud assembly folder (with its nested assemblies and nested stacks).
   *
   * @param directory the cloud assembly folder, for example `cdk.out`
   */
  public static fromCloudAssembly(directory: string): AccessReport {
    return AccessReport._read(directory, (file) => fs.readFileSync(file, 'utf8'));
  }

  /**
   * The report of a cloud assembly read through `readFile`. Throws AccessInputError on
   * bad input.
   *
   * @internal
   */
  public static _read(directory: string, readFile: ReadFile): AccessReport {
    const model = collectAccessModel(readStacks(directory, readFile));
    const replications = model.replications.map((r) => ({ source: r.source, destination: r.destination, filters: [...r.filters], path: r.path }))
      .sort((a, b) => cmp(`${a.source} ${a.destination} ${a.path}`, `${b.source} ${b.destination} ${b.path}`));
    return new AccessReport(evaluateAccess(model), replications, model.repositories.length);
  }

  /** Whether an error is a problem with the input (not a cloud assembly, a template that cannot be read). @internal */
  public static _isInputError(error: unknown): boolean {
    return error instanceof AccessInputError;
  }

  /** Every principal's capability on every repository, by repository, principal and capability. */
  public readonly grants: AccessGrant[];
  /** The replication between registries. */
  public readonly replications: AccessReplication[];
  /** How many repositories the app has. */
  public readonly repositoryCount: number;

  private constructor(rows: readonly GrantRow[], replications: AccessReplication[], repositoryCount: number) {
    this.grants = rows.map((r) => ({ ...r, statements: [...r.statements], conditions: [...r.conditions] }));
    this.replications = replications;
    this.repositoryCount = repositoryCount;
  }

  /** The report as JSON (a stable document for tools). */
  public toJson(): string {
    return `${JSON.stringify({ repositories: this.repositoryCount, grants: this.grants, replications: this.replications }, null, 2)}\n`;
  }

  /** The report as markdown. */
  public toMarkdown(): string {
    return markdownOf(this.grants, this.replications, this.repositoryCount);
  }

  /** The report as CSV, one grant a line. */
  public toCsv(): string {
    return csvOf(this.grants);
  }

  /** The report as a Mermaid flowchart (principals, repositories grouped by namespace when there are many, replication). */
  public toMermaid(): string {
    return mermaidOf(this.grants, this.replications, []);
  }

  /** A few lines: repositories, and who can push or administer across accounts or from anyone. */
  public summary(): string {
    return summaryOf(this.grants, this.repositoryCount);
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
