import { createHash } from 'crypto';
import { Annotations, App, Aws, Fn, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { guard, instanceOf, listOf, STRING } from '../internal/input';
import { addOrganizationProblems } from '../internal/organizations';
import { concretePolicyLength, statementSid } from '../internal/policy-text';
import { checkAccountId, isConcrete, Problems } from '../internal/problems';
import { knownPartitions } from '../internal/regions';
import { checkAtSynth, holdsToken, SynthCheck } from '../internal/resolve';

/** Actions that pull images from a private repository (frozen: no module can widen a grant). @internal */
export const PULL_ACTIONS: readonly string[] = Object.freeze(['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']);
/** Actions that push images to a private repository (on top of pulling). @internal */
export const PUSH_ACTIONS: readonly string[] = Object.freeze(['ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart']);
/** What Lambda needs to read a container image. @internal */
const LAMBDA_ACTIONS = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];

/**
 * Who may use a repository, written as least-privilege resource policy
 * statements. The same access can be given to a repository, a repository
 * creation template, or the repositories that a pull-through cache creates.
 *
 * Same-account principals should use IAM grants instead
 * (`repository.grantPull(role)`), which need no resource policy.
 */
export class RepositoryAccess {
  /**
   * Pull access for principals of the given accounts (their administrators
   * still decide which of their principals may pull, with IAM policies).
   */
  public static pullFromAccounts(accountIds: string[]): RepositoryAccess {
    const check = checkAccounts('RepositoryAccess.pullFromAccounts', accountIds);
    return new RepositoryAccess('AccountPull', check, () => [new iam.PolicyStatement({
      sid: sidFor('AccountPull', accountIds),
      principals: accountIds.map((a) => new iam.AccountPrincipal(a)),
      actions: [...PULL_ACTIONS],
    })]);
  }

  /** Pull and push access for principals of the given accounts. */
  public static pushFromAccounts(accountIds: string[]): RepositoryAccess {
    const check = checkAccounts('RepositoryAccess.pushFromAccounts', accountIds);
    return new RepositoryAccess('AccountPush', check, () => [new iam.PolicyStatement({
      sid: sidFor('AccountPush', accountIds),
      principals: accountIds.map((a) => new iam.AccountPrincipal(a)),
      actions: [...PULL_ACTIONS, ...PUSH_ACTIONS],
    })]);
  }

  /**
   * Pull access for every principal of an AWS Organization
   * (`aws:PrincipalOrgID`).
   *
   * @param organizationId the organization's ID, for example `o-a1b2c3d4e5`
   */
  public static pullFromOrganization(organizationId: string): RepositoryAccess {
    const check = checkOrganization('RepositoryAccess.pullFromOrganization', organizationId, []);
    return new RepositoryAccess('OrganizationPull', check, () => [organizationStatement('OrganizationPull', organizationId, PULL_ACTIONS)]);
  }

  /**
   * Pull and push access for every principal of an AWS Organization
   * (`aws:PrincipalOrgID`): any role or user of any account of the
   * organization, the management account included, whose own IAM policy
   * allows it can push, and so replace what a mutable tag points to. The
   * repository warns (`cdk-ecr-platform:organizationWidePush`,
   * acknowledgeable) and suggests `pushFromOrganizationalUnits` or
   * `pushFromPrincipalArns`, which name fewer pushers.
   *
   * @param organizationId the organization's ID, for example `o-a1b2c3d4e5`
   */
  public static pushFromOrganization(organizationId: string): RepositoryAccess {
    const check = checkOrganization('RepositoryAccess.pushFromOrganization', organizationId, []);
    return new RepositoryAccess('OrganizationPush', check, () => [organizationStatement('OrganizationPush', organizationId, [...PULL_ACTIONS, ...PUSH_ACTIONS])]);
  }

  /**
   * Pull access for principals in the given organizational units and
   * everything below them (`aws:PrincipalOrgPaths`).
   *
   * @param organizationId the organization's ID, for example `o-a1b2c3d4e5`
   * @param organizationalUnitPaths paths from the root, for example `r-ab12/ou-ab12-11111111`
   */
  public static pullFromOrganizationalUnits(organizationId: string, organizationalUnitPaths: string[]): RepositoryAccess {
    const check = checkOrganization('RepositoryAccess.pullFromOrganizationalUnits', organizationId, organizationalUnitPaths);
    return new RepositoryAccess('OrganizationalUnitPull', check,
      () => [organizationalUnitStatement('OrganizationalUnitPull', organizationId, organizationalUnitPaths, PULL_ACTIONS)]);
  }

  /**
   * Pull and push access for principals in the given organizational units
   * and everything below them (`aws:PrincipalOrgPaths`).
   *
   * @param organizationId the organization's ID, for example `o-a1b2c3d4e5`
   * @param organizationalUnitPaths paths from the root, for example `r-ab12/ou-ab12-11111111`
   */
  public static pushFromOrganizationalUnits(organizationId: string, organizationalUnitPaths: string[]): RepositoryAccess {
    const check = checkOrganization('RepositoryAccess.pushFromOrganizationalUnits', organizationId, organizationalUnitPaths);
    return new RepositoryAccess('OrganizationalUnitPush', check,
      () => [organizationalUnitStatement('OrganizationalUnitPush', organizationId, organizationalUnitPaths, [...PULL_ACTIONS, ...PUSH_ACTIONS])]);
  }

  /**
   * Pull access for the named IAM roles and users, by ARN
   * (`arn:aws:iam::222222222222:role/ci`, paths allowed, no wildcards).
   *
   * The statement names the principals' accounts and pins the callers with
   * an `ArnEquals` condition on `aws:PrincipalArn`, rather than naming the
   * roles in `Principal`: ECR refuses a policy whose named principal does
   * not exist yet ("Principal not found"), and IAM stores a named role as
   * its unique ID, so a role deleted and created again under the same name
   * silently loses access. The condition form needs the role neither to
   * exist when the policy is set nor to keep its ID; in exchange, a new role
   * given the same name by the account's administrators gets the access.
   * The principals still need the ECR actions in their own IAM policies.
   *
   * @param principalArns ARNs of IAM roles or users
   */
  public static pullFromPrincipalArns(principalArns: string[]): RepositoryAccess {
    const check = checkPrincipalArns('RepositoryAccess.pullFromPrincipalArns', principalArns);
    return new RepositoryAccess('PrincipalPull', check, () => [principalArnStatement('PrincipalPull', principalArns, PULL_ACTIONS)]);
  }

  /**
   * Pull and push access for the named IAM roles and users, by ARN: see
   * `pullFromPrincipalArns` for the statement's form and why.
   *
   * @param principalArns ARNs of IAM roles or users
   */
  public static pushFromPrincipalArns(principalArns: string[]): RepositoryAccess {
    const check = checkPrincipalArns('RepositoryAccess.pushFromPrincipalArns', principalArns);
    return new RepositoryAccess('PrincipalPush', check, () => [principalArnStatement('PrincipalPush', principalArns, [...PULL_ACTIONS, ...PUSH_ACTIONS])]);
  }

  /**
   * What AWS Lambda needs to create and run functions from this repository's
   * images in the given accounts (in the repository's region). Declaring it
   * here keeps Lambda from editing the repository policy behind
   * CloudFormation's back.
   *
   * For another account, its principals also get `ecr:BatchGetImage` and
   * `ecr:GetDownloadUrlForLayer`, which the function's creator needs.
   */
  public static pullFromLambda(accountIds: string[]): RepositoryAccess {
    const check = checkAccounts('RepositoryAccess.pullFromLambda', accountIds);
    return new RepositoryAccess('LambdaPull', check, () => [
      new iam.PolicyStatement({
        sid: sidFor('LambdaServicePull', accountIds),
        principals: [new iam.ServicePrincipal('lambda.amazonaws.com')],
        actions: LAMBDA_ACTIONS,
        conditions: {
          StringLike: {
            'aws:sourceArn': accountIds.map((a) => `arn:${Aws.PARTITION}:lambda:${Aws.REGION}:${a}:function:*`),
          },
        },
      }),
      new iam.PolicyStatement({
        sid: sidFor('LambdaAccountPull', accountIds),
        principals: accountIds.map((a) => new iam.AccountPrincipal(a)),
        actions: LAMBDA_ACTIONS,
      }),
    ]);
  }

  /**
   * Any statement of your own. A statement with a `*` principal must carry an
   * account or organization condition.
   */
  public static fromStatement(statement: iam.PolicyStatement): RepositoryAccess {
    guard('RepositoryAccess.fromStatement', { statement: [statement, instanceOf(iam.PolicyStatement)] });
    return new RepositoryAccess('Custom', undefined, () => [statement]);
  }

  /** Whether the factory's inputs hold a token, found on first use. */
  private holdsToken?: boolean;

  private constructor(
    /**
     * Which factory made this access (`AccountPull`, `OrganizationPull`, `Custom`, ...):
     * the library's own checks ask it through internal getters such as
     * `_isOrganizationWide`. Not part of the public API.
     */
    private readonly kind: string,
    /** The factory's check of its inputs, to run again at synth when they hold tokens. */
    private readonly inputCheck: DeferredCheck | undefined,
    private readonly build: () => iam.PolicyStatement[],
  ) {}

  /**
   * Checks the factory's inputs again at synth, on the scope that uses this
   * access, when they held tokens (a `Lazy` account or organization ID is
   * known only then; a deploy-time value stays unchecked). The factory has
   * already checked every literal. Also warns on the scope of a push access
   * granted to a whole organization.
   *
   * @internal
   */
  public _checkAtSynth(scope: IConstruct): void {
    if (this.kind === 'OrganizationPush') warnOrganizationWidePush(scope, this.inputCheck!.inputs.organizationId);
    // Inputs without a token (the usual case, shared by thousands of repositories) need nothing at synth.
    if (!this.inputCheck || !(this.holdsToken ??= holdsToken(this.inputCheck.inputs))) return;
    checkAtSynth(scope, new Problems(`${this.inputCheck.subject} (used by '${scope.node.path}')`), this.inputCheck.inputs, this.inputCheck.check);
  }

  /**
   * The statements this access writes into a resource policy.
   *
   * @internal
   */
  public _statements(): iam.PolicyStatement[] {
    return this.build();
  }

  /**
   * A key that two accesses share exactly when they render the same
   * statements (the factory and its inputs), or undefined for a statement of
   * the user's own.
   *
   * @internal
   */
  public get _renderKey(): string | undefined {
    return this.inputCheck ? `${this.kind}:${JSON.stringify(this.inputCheck.inputs)}` : undefined;
  }

  /** Whether it grants a `*` principal restricted by an organization condition. @internal */
  public get _isOrganizationWide(): boolean {
    return ORGANIZATION_KINDS.includes(this.kind);
  }
}

/** The factories that grant a `*` principal restricted to an organization or its units. */
const ORGANIZATION_KINDS = ['OrganizationPull', 'OrganizationPush', 'OrganizationalUnitPull', 'OrganizationalUnitPush'];

function organizationStatement(kind: string, organizationId: string, actions: readonly string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: sidFor(kind, [organizationId]),
    principals: [new iam.StarPrincipal()],
    actions: [...actions],
    conditions: { StringEquals: { 'aws:PrincipalOrgID': organizationId } },
  });
}

function organizationalUnitStatement(kind: string, organizationId: string, paths: string[], actions: readonly string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: sidFor(kind, [organizationId, ...paths]),
    principals: [new iam.StarPrincipal()],
    actions: [...actions],
    conditions: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': paths.map((p) => `${organizationId}/${p}/*`) } },
  });
}

/**
 * The statement for named roles and users: their accounts as principals,
 * the ARNs as an `ArnEquals` condition on `aws:PrincipalArn` (sorted, so
 * that the order of the input never shows).
 */
function principalArnStatement(kind: string, principalArns: string[], actions: readonly string[]): iam.PolicyStatement {
  const arns = [...new Set(principalArns)].sort();
  const accounts = [...new Set(arns.map(accountOfArn))].sort();
  return new iam.PolicyStatement({
    // ARNs are long: the Sid carries a digest of them, which stays unique where a prefix would not.
    sid: arns.every(isConcrete) ? `${kind}${createHash('sha256').update(arns.join('\n')).digest('hex').slice(0, 16)}` : kind,
    principals: accounts.map((a) => new iam.AccountPrincipal(a)),
    actions: [...actions],
    conditions: { ArnEquals: { 'aws:PrincipalArn': arns } },
  });
}

/** The account of a role or user ARN: its literal account, or the fifth field split at deploy. */
function accountOfArn(arn: string): string {
  const parts = arn.split(':');
  return parts.length === 6 && isConcrete(parts[4]) ? parts[4] : Fn.select(4, Fn.split(':', arn));
}

function warnOrganizationWidePush(scope: IConstruct, organizationId: string): void {
  Annotations.of(scope).addWarningV2('cdk-ecr-platform:organizationWidePush',
    `RepositoryAccess.pushFromOrganization lets every role and user of every account of organization '${organizationId}' (the management account included) `
    + 'push to this repository when its own IAM policy allows it, and so replace what a mutable tag points to: one compromised principal anywhere in the organization can publish images here. '
    + 'Name fewer pushers with RepositoryAccess.pushFromOrganizationalUnits or pushFromPrincipalArns, or acknowledge this warning where every account of the organization may push.');
}

/** The statement's Sid: the kind and its values, or the kind alone when a value is a token. */
function sidFor(kind: string, values: string[]): string {
  return statementSid(kind, values) ?? kind;
}

/** A factory's check and its inputs, kept to run again at synth. */
interface DeferredCheck {
  readonly subject: string;
  readonly inputs: any;
  readonly check: SynthCheck<any>;
}

const accountsCheck: SynthCheck<{ accountIds: string[] }> = (problems, { accountIds }) => {
  if (accountIds.length === 0) problems.add('accountIds is empty: name at least one account');
  accountIds.forEach((a) => checkAccountId(problems, 'account', a));
  const seen = new Set<string>();
  for (const a of accountIds.filter(isConcrete)) {
    if (seen.has(a)) problems.add(`account '${a}' is listed twice`);
    seen.add(a);
  }
};

function checkAccounts(what: string, accountIds: string[]): DeferredCheck {
  guard(what, { accountIds: [accountIds, listOf(STRING)] });
  const problems = new Problems(what);
  const inputs = { accountIds };
  accountsCheck(problems, inputs, false);
  problems.throwIfAny();
  return { subject: what, inputs, check: accountsCheck };
}

const organizationCheck: SynthCheck<{ organizationId: string; paths: string[]; units: boolean }> = (problems, { organizationId, paths, units }) => {
  if (units && paths.length === 0) problems.add('organizationalUnitPaths is empty: name at least one organizational unit');
  addOrganizationProblems(problems, organizationId, paths);
};

function checkOrganization(what: string, organizationId: string, paths: string[]): DeferredCheck {
  guard(what, { organizationId: [organizationId, STRING], organizationalUnitPaths: [paths, listOf(STRING)] });
  const problems = new Problems(what);
  const inputs = { organizationId, paths, units: what.endsWith('Units') };
  organizationCheck(problems, inputs, false);
  problems.throwIfAny();
  return { subject: what, inputs, check: organizationCheck };
}

/** The resource part of an IAM role or user ARN: the type, an optional path (printable ASCII), the name (IAM's name characters). */
const PRINCIPAL_RESOURCE = /^(role|user)\/([!-~]{0,510}\/)?[\w+=,.@-]{1,64}$/;

/**
 * The shape of a principal ARN that `pullFromPrincipalArns` takes, as one
 * pattern's source (for the catalog's JSON Schema; the partition only by its
 * shape).
 *
 * @internal
 */
export function principalArnPattern(): string {
  return `^arn:aws[a-z-]*:iam::\\d{12}:${PRINCIPAL_RESOURCE.source.slice(1)}`;
}

/**
 * Adds a problem when a principal ARN is not the ARN of an IAM role or user
 * with a literal 12-digit account in a known partition. Parts that are tokens
 * are skipped; an ARN that is a token as a whole is not checked.
 */
function checkPrincipalArn(problems: Problems, arn: string): void {
  if (Token.isUnresolved(arn) && !arn.includes(':')) return;
  const shape = 'write arn:<partition>:iam::<12-digit account>:role/<name> (or user/<name>, with an optional path)';
  const parts = arn.split(':');
  const literal = parts.filter(isConcrete);
  if (literal.some((p) => /[*?]/.test(p))) {
    problems.add(`principal ARN '${arn}' has a wildcard: IAM takes no wildcard in a principal ARN, and this access matches ARNs exactly; name each role or user, or grant whole accounts or organizational units`);
    return;
  }
  if (parts.length !== 6 || parts[0] !== 'arn' || parts[3] !== '') {
    problems.add(`principal ARN '${arn}' is not an ARN of an IAM role or user: ${shape}`);
    return;
  }
  const [, partition, service, , account, resource] = parts;
  if (isConcrete(partition) && !knownPartitions().has(partition)) {
    problems.add(`principal ARN '${arn}' has partition '${partition}', which is not one of ${[...knownPartitions()].sort().join(', ')}`);
  }
  if (isConcrete(service) && service === 'sts' && isConcrete(resource) && resource.startsWith('assumed-role/')) {
    problems.add(`principal ARN '${arn}' names a role session: aws:PrincipalArn holds the role's own ARN, so name the role, arn:<partition>:iam::<account>:role/<name>`);
    return;
  }
  if (isConcrete(service) && service !== 'iam') {
    problems.add(`principal ARN '${arn}' is not an ARN of an IAM role or user (service '${service}'): ${shape}`);
    return;
  }
  checkAccountId(problems, `principal ARN '${arn}': account`, account);
  if (isConcrete(resource) && resource === 'root') {
    problems.add(`principal ARN '${arn}' names a whole account: use RepositoryAccess.pullFromAccounts or pushFromAccounts`);
  } else if (isConcrete(resource) && !PRINCIPAL_RESOURCE.test(resource)) {
    problems.add(`principal ARN '${arn}' does not name a role or user ('${resource}'): ${shape}`);
  }
}

const principalArnsCheck: SynthCheck<{ principalArns: string[] }> = (problems, { principalArns }) => {
  if (principalArns.length === 0) problems.add('principalArns is empty: name at least one role or user');
  principalArns.forEach((arn) => checkPrincipalArn(problems, arn));
  const seen = new Set<string>();
  for (const arn of principalArns.filter(isConcrete)) {
    if (seen.has(arn)) problems.add(`principal ARN '${arn}' is listed twice`);
    seen.add(arn);
  }
};

function checkPrincipalArns(what: string, principalArns: string[]): DeferredCheck {
  guard(what, { principalArns: [principalArns, listOf(STRING)] });
  const problems = new Problems(what);
  const inputs = { principalArns };
  principalArnsCheck(problems, inputs, false);
  problems.throwIfAny();
  return { subject: what, inputs, check: principalArnsCheck };
}

/**
 * Who a repository policy statement lets push (`ecr:PutImage`), for
 * messages: the ARNs of its `aws:PrincipalArn` condition when it has one
 * (they are narrower than its account principals), else its principals;
 * undefined when it does not push.
 *
 * @internal
 */
export function policyPushers(statement: iam.PolicyStatement): string[] | undefined {
  if (!statement.actions.includes('ecr:PutImage')) return undefined;
  const arns = (statement.conditions as Record<string, Record<string, unknown> | undefined>).ArnEquals?.['aws:PrincipalArn'];
  return Array.isArray(arns) ? arns.map(String) : statement.principals.map((p) => `${p}`);
}

/** A stack of its own, in an app that never synthesizes, to resolve access policies outside any app. */
let detached: Stack | undefined;

/**
 * The repository policy these accesses write, resolved as a template holds
 * it (the partition and region stay CloudFormation intrinsics): for
 * measuring a policy before any repository or stack exists (the catalog's
 * size check, the fleet's placement estimate).
 *
 * @internal
 */
export function resolvedAccessPolicy(access: RepositoryAccess[]): unknown {
  return detachedStack().resolve(new iam.PolicyDocument({ statements: access.flatMap((a) => a._statements()) }));
}

/** The length ECR counts of the repository policy these accesses write (`concretePolicyLength`). @internal */
export function accessPolicyLength(access: RepositoryAccess[]): number {
  return concretePolicyLength(detachedStack(), resolvedAccessPolicy(access));
}

function detachedStack(): Stack {
  return detached ??= new Stack(new App({ autoSynth: false }), 'AccessPolicy');
}
