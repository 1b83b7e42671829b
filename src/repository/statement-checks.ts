import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { openAccessProblems } from '../internal/policy';
import { concretePolicyLength, policySizeProblem } from '../internal/policy-text';
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
 * Throws one error listing every problem, naming `subject`. Once the app is
 * complete, synthesis fails when the policy is longer than ECR takes.
 *
 * @internal
 */
export function addToRepositoryPolicy(
  subject: string,
  scope: IConstruct,
  policy: iam.PolicyDocument | undefined,
  attach: (document: iam.PolicyDocument) => unknown,
  statement: iam.PolicyStatement,
): iam.PolicyDocument {
  const problems = new Problems(subject);
  problems.addAll(repositoryPolicyStatementProblems(scope, statement));
  problems.throwIfAny();
  const document = policy ?? new iam.PolicyDocument();
  if (!policy) {
    // The size is checked on what the resource renders (a repository may render a shared, cached text).
    checkRepositoryPolicySize(subject, scope, attach(document) ?? document);
  }
  document.addStatements(statement);
  return document;
}

/**
 * Fails synthesis, once the app is complete, when the repository policy
 * `rendered` (a document, or the token that renders it) is longer than ECR
 * takes. Registered once per repository policy.
 *
 * @internal
 */
export function checkRepositoryPolicySize(subject: string, scope: IConstruct, rendered: unknown): void {
  scope.node.addValidation({ validate: () => repositoryPolicySizeProblems(subject, scope, rendered) });
}

/**
 * The repository policy's size against ECR's quota (SetRepositoryPolicy,
 * private and public), checked once every statement is in.
 */
function repositoryPolicySizeProblems(subject: string, scope: IConstruct, document: unknown): string[] {
  const problem = policySizeProblem(`${subject}: the repository policy`, concretePolicyLength(scope, document),
    'Give access to fewer, wider principals: an organization or organizational unit (RepositoryAccess.pullFromOrganization) rather than many accounts, one statement for several accounts rather than one each.');
  return problem === undefined ? [] : [problem];
}
