/*
 * What the access report reads in an assembly's templates: the repositories (any
 * AWS::ECR::Repository: this library's, aws-cdk-lib's, raw L1s) with their policies, the
 * registry policies, replication configurations, and the IAM roles, users and groups with
 * the identity policies attached to them (AWS::IAM::Policy, AWS::IAM::ManagedPolicy,
 * inline Policies).
 */
import { ALL_ECR_ACTIONS } from './actions';
import { exportsOf, NamedResource, partitionOf, StackResolver, StackTemplate, Unresolved } from './assembly';
import { readStatements, Statement } from './statements';
import { EcrType } from '../internal/ecr-facts';

/** A repository of the app. @internal */
export interface RepositoryRecord {
  /** Unique in the assembly: the construct path (or stack/logical ID). */
  readonly path: string;
  /** The repository name, or undefined when CloudFormation generates it. */
  readonly name?: string;
  readonly account: string;
  readonly region: string;
  /** Its ARN; with a generated name, a name no concrete pattern names. */
  readonly arn: string;
  readonly statements: readonly Statement[];
}

/** A role, user or group of the app (or one its policies name by name), with its identity policy statements. @internal */
export interface IdentityRecord {
  readonly kind: 'role' | 'user' | 'group';
  readonly path: string;
  readonly account: string;
  readonly arn: string;
  readonly statements: Statement[];
}

/** Replication from one registry to another. @internal */
export interface ReplicationRecord {
  readonly source: string;
  readonly destination: string;
  /** Repository name prefixes, or empty: every repository. */
  readonly filters: readonly string[];
  readonly path: string;
}

/** Everything the evaluator reads. @internal */
export interface AppAccessModel {
  readonly repositories: readonly RepositoryRecord[];
  /** Registry policy statements by registry (`account/region`). */
  readonly registryPolicies: ReadonlyMap<string, readonly Statement[]>;
  readonly identities: readonly IdentityRecord[];
  readonly replications: readonly ReplicationRecord[];
}

const IDENTITY_TYPES = new Map<unknown, { kind: IdentityRecord['kind']; nameProperty: string }>([
  ['AWS::IAM::Role', { kind: 'role', nameProperty: 'RoleName' }],
  ['AWS::IAM::User', { kind: 'user', nameProperty: 'UserName' }],
  ['AWS::IAM::Group', { kind: 'group', nameProperty: 'GroupName' }],
]);

function pathOf(stack: StackTemplate, logicalId: string, resource: any): string {
  const p = stack.paths.get(logicalId) ?? resource?.Metadata?.['aws:cdk:path'];
  return typeof p === 'string' ? p.replace(/\/(Resource|Default)$/, '') : `${stack.name}/${logicalId}`;
}

/** The registry of a stack: `account/region`. @internal */
export function registryOf(account: string, region: string): string {
  return `${account}/${region}`;
}

/** Reads the access model of an assembly's stacks. @internal */
export function collectAccessModel(stacks: readonly StackTemplate[]): AppAccessModel {
  const exportsMap = exportsOf(stacks);
  // Ref and Arn of the resources the report knows, by stack
  const namedByStack = new Map<StackTemplate, Map<string, NamedResource>>();
  const plainResolvers = new Map<StackTemplate, StackResolver>();
  const resolverOf = (stack: StackTemplate): StackResolver => {
    let r = plainResolvers.get(stack);
    if (r === undefined) {
      r = new StackResolver(stack, (s, id) => namedByStack.get(s)?.get(id), exportsMap, resolverOf);
      plainResolvers.set(stack, r);
    }
    return r;
  };
  // first the names: repository and identity names may be plain strings or need pseudo parameters
  for (const stack of stacks) {
    const named = new Map<string, NamedResource>();
    namedByStack.set(stack, named);
    const partition = partitionOf(stack.region);
    for (const [logicalId, resource] of Object.entries<any>(stack.template.Resources ?? {})) {
      const type = resource?.Type;
      if (type === EcrType.REPOSITORY) {
        const name = resource.Properties?.RepositoryName === undefined ? undefined : resolverOf(stack).string(resource.Properties.RepositoryName);
        const known = typeof name === 'string' ? name : undefined;
        named.set(logicalId, {
          ref: known,
          arn: `arn:${partition}:ecr:${stack.region}:${stack.account}:repository/${known ?? `<generated:${stack.stackName}-${logicalId}>`}`,
        });
      } else if (IDENTITY_TYPES.has(type)) {
        const { kind, nameProperty } = IDENTITY_TYPES.get(type)!;
        const given = resource.Properties?.[nameProperty] === undefined ? undefined : resolverOf(stack).string(resource.Properties[nameProperty]);
        const name = typeof given === 'string' ? given : `${stack.stackName}-${logicalId}`;
        const iamPath = typeof resource.Properties?.Path === 'string' ? resource.Properties.Path : '/';
        named.set(logicalId, { ref: name, arn: `arn:${partition}:iam::${stack.account}:${kind}${iamPath}${name}` });
      } else if (type === 'AWS::IAM::ManagedPolicy') {
        named.set(logicalId, { ref: `arn:${partition}:iam::${stack.account}:policy/${stack.stackName}-${logicalId}` });
      }
    }
  }

  const repositories: RepositoryRecord[] = [];
  const registryPolicies = new Map<string, Statement[]>();
  const identities = new Map<string, IdentityRecord>();
  const replications: ReplicationRecord[] = [];
  const identityOf = (stack: StackTemplate, kind: IdentityRecord['kind'], name: string, path?: string): IdentityRecord => {
    const partition = partitionOf(stack.region);
    const arn = name.startsWith('arn:') ? name : `arn:${partition}:iam::${stack.account}:${kind}/${name}`;
    let identity = identities.get(arn);
    if (identity === undefined) {
      identity = { kind, path: path ?? `${kind} ${name} (not in the app)`, account: stack.account, arn, statements: [] };
      identities.set(arn, identity);
    }
    return identity;
  };

  for (const stack of stacks) {
    const resolver = resolverOf(stack);
    const named = namedByStack.get(stack)!;
    const resources = Object.entries<any>(stack.template.Resources ?? {});
    // identities first, so that policies attach to their records (with their construct paths)
    for (const [logicalId, resource] of resources) {
      const spec = IDENTITY_TYPES.get(resource?.Type);
      if (!spec) continue;
      const n = named.get(logicalId)!;
      const identity = identityOf(stack, spec.kind, n.arn!, pathOf(stack, logicalId, resource));
      for (const [i, policy] of list(resource.Properties?.Policies).entries()) {
        const policyName = typeof policy?.PolicyName === 'string' ? policy.PolicyName : `policy ${i + 1}`;
        identity.statements.push(...readStatements(policy?.PolicyDocument, `${identity.path} inline policy ${policyName}`, resolver, false));
      }
    }
    const managedByRef = new Map<string, Statement[]>();
    const arnByName = new Map<string, string>();
    for (const [logicalId, resource] of resources) {
      const spec = IDENTITY_TYPES.get(resource?.Type);
      if (spec) arnByName.set(`${spec.kind}:${named.get(logicalId)!.ref}`, named.get(logicalId)!.arn!);
    }
    for (const [logicalId, resource] of resources) {
      const type = resource?.Type;
      const props = resource?.Properties ?? {};
      const path = pathOf(stack, logicalId, resource);
      if (type === EcrType.REPOSITORY) {
        const n = named.get(logicalId)!;
        const statements = props.RepositoryPolicyText === undefined ? [] : readStatements(props.RepositoryPolicyText, `${path} repository policy`, resolver, true);
        repositories.push({ path, name: n.ref, account: stack.account, region: stack.region, arn: n.arn!, statements });
      } else if (type === EcrType.REGISTRY_POLICY) {
        const key = registryOf(stack.account, stack.region);
        const statements = registryPolicies.get(key) ?? [];
        statements.push(...readStatements(props.PolicyText, `${path} registry policy`, resolver, true));
        registryPolicies.set(key, statements);
      } else if (type === EcrType.REPLICATION_CONFIGURATION) {
        for (const rule of list(props.ReplicationConfiguration?.Rules)) {
          const filters = list(rule?.RepositoryFilters).map((f: any) => resolver.string(f?.Filter)).map((f) => (f instanceof Unresolved ? '(unresolved filter)' : f));
          for (const destination of list(rule?.Destinations)) {
            const account = resolver.string(destination?.RegistryId);
            const region = resolver.string(destination?.Region);
            replications.push({
              source: registryOf(stack.account, stack.region),
              destination: registryOf(account instanceof Unresolved ? '(unresolved account)' : account, region instanceof Unresolved ? '(unresolved region)' : region),
              filters,
              path,
            });
          }
        }
      } else if (type === 'AWS::IAM::Policy' || type === 'AWS::IAM::ManagedPolicy') {
        const label = type === 'AWS::IAM::Policy' ? `${path} (policy ${typeof props.PolicyName === 'string' ? props.PolicyName : logicalId})` : `${path} (managed policy)`;
        const attach = (kind: IdentityRecord['kind'], property: string) => {
          for (const ref of list(props[property])) {
            const name = resolver.string(ref);
            // a Ref of the app's role (whatever its IAM path), or the name of one outside the app
            const target = name instanceof Unresolved ? undefined : identityOf(stack, kind, arnByName.get(`${kind}:${name}`) ?? name);
            if (target) target.statements.push(...readStatements(props.PolicyDocument, label, resolver, false));
          }
        };
        attach('role', 'Roles');
        attach('user', 'Users');
        attach('group', 'Groups');
        if (type === 'AWS::IAM::ManagedPolicy') managedByRef.set(named.get(logicalId)!.ref!, readStatements(props.PolicyDocument, label, resolver, false));
      }
    }
    // managed policies attached by ARN from the identity (ManagedPolicyArns: [{ Ref: Policy }])
    for (const [logicalId, resource] of resources) {
      const spec = IDENTITY_TYPES.get(resource?.Type);
      if (!spec) continue;
      const identity = identityOf(stack, spec.kind, named.get(logicalId)!.arn!);
      for (const arn of list(resource.Properties?.ManagedPolicyArns)) {
        const resolved = resolver.string(arn);
        if (typeof resolved !== 'string') continue;
        if (managedByRef.has(resolved)) identity.statements.push(...managedByRef.get(resolved)!);
        else if (MAY_GRANT_ECR.test(resolved)) identity.statements.push(outsidePolicy(identity.path, resolved));
      }
    }
  }
  return {
    repositories,
    registryPolicies,
    identities: [...identities.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    replications,
  };
}

/**
 * Managed policies outside the app whose names say they may grant ECR actions (AWS's
 * AmazonEC2ContainerRegistry* policies, administrator and power-user policies): the report
 * cannot read them, so what they grant is undecided rather than left out.
 */
const MAY_GRANT_ECR = /:policy\/(?:.*\/)?[^/]*(ContainerRegistry|ECR|Ecr|Administrator|PowerUser)[^/]*$/;

function outsidePolicy(path: string, arn: string): Statement {
  return {
    source: `${path} managed policy ${arn}`,
    effect: 'Allow',
    notPrincipal: false,
    actions: new Set(ALL_ECR_ACTIONS),
    resources: ['*'],
    notResource: false,
    conditions: [],
    unresolved: [`managed policy ${arn} is not in the app: what it grants is not read`],
  };
}

function list(value: unknown): any[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}
