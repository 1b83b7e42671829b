import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { openAccessProblems } from '../internal/policy';
import { Problems } from '../internal/problems';

/**
 * Problems with one statement of a repository policy: a `*` principal without
 * an account or organization condition, a `Resource` element, no principal.
 * Used by repositories and repository creation templates alike.
 *
 * @internal
 */
export function repositoryPolicyStatementProblems(scope: IConstruct, statement: iam.PolicyStatement): string[] {
  const problems: string[] = [];
  const json = Stack.of(scope).resolve(statement.toStatementJson());
  problems.push(...openAccessProblems([json]));
  if (statement.resources.length > 0) {
    problems.push(`policy statement ${statement.sid ? `'${statement.sid}' ` : ''}names resources (${statement.resources.join(', ')}): a repository policy applies to its own repository and takes no Resource element`);
  }
  if (!statement.hasPrincipal) {
    problems.push(`policy statement ${statement.sid ? `'${statement.sid}' ` : ''}names no principal: a resource policy statement must say whom it applies to`);
  }
  return problems;
}

/**
 * Checks a statement for a repository policy (private or public), then adds
 * it to the policy document, creating and attaching the document on first use.
 * Throws one error listing every problem, naming `subject`.
 *
 * @internal
 */
export function addToRepositoryPolicy(
  subject: string,
  scope: IConstruct,
  policy: iam.PolicyDocument | undefined,
  attach: (document: iam.PolicyDocument) => void,
  statement: iam.PolicyStatement,
): iam.PolicyDocument {
  const problems = new Problems(subject);
  problems.addAll(repositoryPolicyStatementProblems(scope, statement));
  problems.throwIfAny();
  const document = policy ?? new iam.PolicyDocument();
  if (!policy) attach(document);
  document.addStatements(statement);
  return document;
}
