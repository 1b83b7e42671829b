import { RemovalPolicy, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ACCOUNT_ID_PATTERN as ACCOUNT_ID } from './ecr-facts';
import { formatProblems, ProblemsError } from './input';

export { formatProblems, ProblemsError };

/**
 * Collects every problem found in one call so that users see them all at once.
 *
 * @internal
 */
export class Problems {
  private readonly messages: string[] = [];

  /**
   * @param subject what is being checked, for example `PrivateRepository 'Stack/Repo'`
   */
  constructor(public readonly subject: string) {}

  /** An empty collector for the same subject. */
  public fresh(): Problems {
    return new Problems(this.subject);
  }

  /** Records a problem. */
  public add(message: string): void {
    this.messages.push(message);
  }

  /** Records every message of a list. */
  public addAll(messages: string[], prefix = ''): void {
    for (const m of messages) this.messages.push(prefix + m);
  }

  /** Whether nothing was recorded. */
  public get empty(): boolean {
    return this.messages.length === 0;
  }

  /** The recorded problems. */
  public get list(): string[] {
    return [...this.messages];
  }

  /** Throws one error listing every recorded problem, if any. */
  public throwIfAny(): void {
    if (this.messages.length === 0) return;
    throw new ProblemsError(this.subject, this.messages);
  }
}

/** The subject line for a construct: its type and path. @internal */
export function subjectOf(kind: string, scope: IConstruct, id: string): string {
  const parent = scope.node.path;
  return `${kind} '${parent ? `${parent}/${id}` : id}'`;
}

/** True when the value is a concrete string (not undefined, not a token). @internal */
export function isConcrete(value: string | undefined): value is string {
  return value !== undefined && !Token.isUnresolved(value);
}

/** True when the value is a concrete number (not undefined, not a token). @internal */
export function isConcreteNumber(value: number | undefined): value is number {
  return value !== undefined && !Token.isUnresolved(value);
}

/** @internal */
export function checkAccountId(problems: Problems, what: string, value: string): void {
  if (isConcrete(value) && !ACCOUNT_ID.test(value)) {
    problems.add(`${what} '${value}' is not an AWS account ID: it must be exactly 12 digits`);
  }
}

/**
 * Removal policies that CloudFormation accepts for a resource without
 * snapshots (ECR repositories): SNAPSHOT is refused.
 *
 * @internal
 */
export function checkRemovalPolicy(problems: Problems, policy: RemovalPolicy | undefined): void {
  if (policy === RemovalPolicy.SNAPSHOT) {
    problems.add('removalPolicy is snapshot, but repositories have no snapshots: use RemovalPolicy.RETAIN (the default), RETAIN_ON_UPDATE_OR_DELETE or DESTROY');
  }
}
