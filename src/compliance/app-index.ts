import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { wildcardMatches } from '../scanning/checks';

/** A resource of the app with its stack's concrete environment, if any. */
export interface IndexedResource {
  readonly resource: CfnResource;
  readonly stack: Stack;
  /** `account/region` when both are concrete. */
  readonly env?: string;
}

/**
 * Every CloudFormation resource of an app, grouped by type, built once per
 * validation so that rules that look across stacks (scanning coverage,
 * replication wiring, registry singletons) stay linear in the app's size.
 *
 * @internal
 */
export class AppIndex {
  private readonly byType = new Map<string, IndexedResource[]>();
  private readonly stacks: Stack[] = [];
  private readonly envOfStack = new Map<Stack, string | undefined>();
  private readonly properties = new Map<CfnResource, any>();
  private readonly memos = new Map<string, any>();

  constructor(root: IConstruct) {
    const visit = (node: IConstruct) => {
      if (Stack.isStack(node)) {
        this.stacks.push(node);
        this.envOfStack.set(node, envOf(node));
      }
      if (CfnResource.isCfnResource(node)) {
        const stack = Stack.of(node);
        const list = this.byType.get(node.cfnResourceType) ?? [];
        list.push({ resource: node, stack, env: this.envOfStack.get(stack) ?? envOf(stack) });
        this.byType.set(node.cfnResourceType, list);
      }
      for (const child of node.node.children) visit(child);
    };
    visit(root);
  }


  /**
   * A value computed once per validation: most repositories of a fleet share
   * the same policy text, so its check runs once.
   */
  public memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key);
  }

  /**
   * The resource's CloudFormation properties, resolved as they will be
   * written to the template (tags included), rendered once per validation.
   */
  public propertiesOf(resource: CfnResource): any {
    let props = this.properties.get(resource);
    if (props === undefined) {
      const rendered = Stack.of(resource).resolve((resource as any)._toCloudFormation());
      const entry: any = Object.values(rendered?.Resources ?? {})[0] ?? {};
      props = entry.Properties ?? {};
      this.properties.set(resource, props);
    }
    return props;
  }

  /** Resources of a type. */
  public ofType(type: string): IndexedResource[] {
    return this.byType.get(type) ?? [];
  }

  /** Resources of a type in the same registry as a stack: same concrete account and region, or the same stack when unknown. */
  public inRegistryOf(stack: Stack, type: string): IndexedResource[] {
    const env = this.envOfStack.get(stack) ?? envOf(stack);
    return this.ofType(type).filter((r) => (env ? r.env === env : r.stack === stack));
  }

  /** Stacks with a concrete account and region. */
  public stacksIn(account: string, region: string): Stack[] {
    return this.stacks.filter((s) => this.envOfStack.get(s) === `${account}/${region}`);
  }
}

/** `account/region` of a stack when both are concrete. @internal */
export function envOf(stack: Stack): string | undefined {
  if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) return undefined;
  return `${stack.account}/${stack.region}`;
}

/** The resolved value of an L1 property, or undefined when it holds an unresolved intrinsic. @internal */
export function resolved(resource: CfnResource, value: unknown): any {
  return Stack.of(resource).resolve(value);
}

/** Whether a resolved value still contains a CloudFormation intrinsic (Ref, Fn::*). @internal */
export function hasIntrinsic(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasIntrinsic);
  if (value && typeof value === 'object') {
    return Object.keys(value).some((k) => k === 'Ref' || k.startsWith('Fn::') || hasIntrinsic((value as any)[k]));
  }
  return false;
}

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

/** Whether an IAM element (string or list) names an action, allowing `*` wildcards. @internal */
export function allowsAction(actions: unknown, action: string): boolean {
  const list = Array.isArray(actions) ? actions : [actions];
  return list.some((a) => typeof a === 'string' && wildcardMatches(a.toLowerCase(), action.toLowerCase()));
}
