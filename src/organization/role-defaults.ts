import { AspectPriority, Aspects, Aws, CfnResource, IAspect } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { guard, OBJECT, optional, STRING } from '../internal/input';
import { isConcrete, Problems } from '../internal/problems';
import { checkNowAndAtSynth } from '../internal/resolve';

/** CloudFormation's pattern of an IAM path (`AWS::IAM::Role` `Path`), 1 to 512 characters. */
const IAM_PATH = /^(\/|\/[\u0021-\u007F]+\/)$/;
const MAX_PATH = 512;
/** A managed policy ARN: customer managed (an account) or AWS managed (`aws`). */
const POLICY_ARN = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/.+$/;
/** A managed policy name (IAM CreatePolicy). */
const POLICY_NAME = /^[\w+=,.@-]+$/;
const MAX_POLICY_NAME = 128;

/** Where the options of `RoleDefaults.of(scope)` are kept: on the scope itself. */
const OPTIONS = Symbol.for('cdk-ecr-platform.RoleDefaults');

/**
 * What every IAM role in a scope gets unless it sets its own.
 */
export interface RoleDefaultsOptions {
  /**
   * The permissions boundary (a managed policy) of every role in the scope
   * that has none. Changing it later updates the roles in place.
   *
   * @default - no boundary
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;

  /**
   * The name of a customer managed policy that is the permissions boundary
   * of every role in the scope that has none, in the role's own account
   * (`arn:<partition>:iam::<the stack's account>:policy/<name>`): the form
   * to use when one app or StackSet deploys to many accounts that each hold
   * a policy of that name. Not with `permissionsBoundary`.
   *
   * @default - no boundary
   */
  readonly permissionsBoundaryName?: string;

  /**
   * The IAM path of every role in the scope that has none: `/` or a string
   * that starts and ends with `/` (1 to 512 characters, `!` to DEL
   * between). CloudFormation replaces a role whose path changes, so set it
   * before the first deployment.
   *
   * @default - '/' (CloudFormation's default)
   */
  readonly path?: string;
}

/**
 * The permissions boundary and IAM path of every IAM role in a scope (an
 * app, a stage, a stack or a registry baseline), set once: the roles this
 * library creates (repository creation templates, pull-through cache rules,
 * the settings provider of Amazon Inspector and the account settings), and
 * any other role in the scope, unless the role sets its own.
 *
 * The values are written as the roles' CloudFormation properties (not as
 * overrides), so they reach a registry baseline's StackSet body too, which
 * aws-cdk-lib's `PermissionsBoundary.of(scope).apply()` and its
 * `@aws-cdk/core:permissionsBoundary` context do not. The nearest scope
 * wins: a stack's defaults override the app's.
 *
 * @example
 * RoleDefaults.of(app).apply({ permissionsBoundaryName: 'platform-boundary', path: '/platform/ecr/' });
 */
export class RoleDefaults {
  /** The role defaults of a scope. */
  public static of(scope: IConstruct): RoleDefaults {
    guard('RoleDefaults.of', { scope: [scope, OBJECT] });
    return new RoleDefaults(scope);
  }

  private constructor(private readonly scope: IConstruct) {}

  /**
   * Sets the permissions boundary and the path of every role in the scope
   * that sets none itself. A second call on the same scope replaces the
   * options it names.
   */
  public apply(options: RoleDefaultsOptions): void {
    const subject = `RoleDefaults '${this.scope.node.path}'`;
    guard(subject, {
      options: [options, { permissionsBoundary: optional(OBJECT), permissionsBoundaryName: optional(STRING), path: optional(STRING) }],
    });
    const problems = new Problems(subject);
    const name = options.permissionsBoundaryName;
    if (name !== undefined && options.permissionsBoundary !== undefined) {
      problems.add('permissionsBoundary and permissionsBoundaryName are both set: name the boundary once');
    }
    // a Lazy name, path or ARN is checked again at synth, once resolved
    checkNowAndAtSynth(this.scope, problems, { name, path: options.path, arn: options.permissionsBoundary?.managedPolicyArn }, checkRoleDefaults);
    problems.throwIfAny();

    const holder = this.scope as unknown as Record<symbol, StoredDefaults | undefined>;
    const first = holder[OPTIONS] === undefined;
    const boundary = options.permissionsBoundary
      ?? (name === undefined ? undefined : { managedPolicyArn: `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:policy/${name}` });
    const merged: StoredDefaults = {
      boundaryArn: boundary?.managedPolicyArn ?? holder[OPTIONS]?.boundaryArn,
      path: options.path ?? holder[OPTIONS]?.path,
    };
    Object.defineProperty(this.scope, OPTIONS, { value: merged, configurable: true, enumerable: false });
    // Before read-only aspects (checks, cdk-nag), like aws-cdk-lib's own boundary aspect.
    if (first) Aspects.of(this.scope).add(new ApplyRoleDefaults(), { priority: AspectPriority.MUTATING });
  }
}

/** The checks of a name, a path and a boundary ARN (values that are tokens are left to the synth-time run). */
function checkRoleDefaults(problems: Problems, inputs: { name?: string; path?: string; arn?: string }): void {
  const { name, path, arn } = inputs;
  if (isConcrete(name) && (name.length < 1 || name.length > MAX_POLICY_NAME || !POLICY_NAME.test(name))) {
    problems.add(`permissionsBoundaryName '${name.slice(0, 140)}' is not a managed policy name: 1 to ${MAX_POLICY_NAME} letters, digits and _+=,.@-`);
  }
  if (isConcrete(path) && (path.length < 1 || path.length > MAX_PATH || !IAM_PATH.test(path))) {
    problems.add(`path '${path.slice(0, 80)}' is not an IAM path: '/' alone, or 1 to ${MAX_PATH} characters that start and end with '/' with printable ASCII between (such as '/platform/ecr/')`);
  }
  if (isConcrete(arn) && !POLICY_ARN.test(arn)) {
    problems.add(`permissionsBoundary '${arn.slice(0, 120)}' is not a managed policy ARN: arn:<partition>:iam::<account or aws>:policy/<path and name>`);
  }
}

/** What a scope's defaults are, once applied. */
interface StoredDefaults {
  readonly boundaryArn?: string;
  readonly path?: string;
}

/** The defaults that apply at a construct: for each field, the nearest scope's. @internal */
export function _roleDefaultsAt(c: IConstruct): StoredDefaults {
  let boundaryArn: string | undefined;
  let path: string | undefined;
  for (let s: IConstruct | undefined = c; s; s = s.node.scope) {
    const options = (s as unknown as Record<symbol, StoredDefaults | undefined>)[OPTIONS];
    boundaryArn ??= options?.boundaryArn;
    path ??= options?.path;
  }
  return { boundaryArn, path };
}

/** Whether a construct is an `AWS::IAM::Role` resource. @internal */
export function _isCfnRole(c: IConstruct): c is iam.CfnRole {
  return CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::IAM::Role';
}

/**
 * Writes the nearest defaults into every role that has no boundary or path
 * of its own. Every instance computes the same nearest values, so the order
 * in which the aspects of nested scopes run does not matter.
 */
class ApplyRoleDefaults implements IAspect {
  public visit(node: IConstruct): void {
    if (!_isCfnRole(node)) return;
    const { boundaryArn, path } = _roleDefaultsAt(node);
    if (boundaryArn !== undefined && node.permissionsBoundary === undefined) node.permissionsBoundary = boundaryArn;
    if (path !== undefined && node.path === undefined) node.path = path;
  }
}
