import { CfnResource, ITaggable, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';
import { AppRegistries, registryKeyOf } from '../registry/app-registries';
import { wildcardMatches } from '../scanning/checks';

/** A resource of the app with its stack's concrete environment, if any. */
export interface IndexedResource {
  readonly resource: CfnResource;
  readonly stack: Stack;
  /** `account/region` when both are concrete. */
  readonly env?: string;
}

/**
 * Every CloudFormation resource of an app, grouped by type and registry,
 * built with one walk of the tree per validation so that rules that look
 * across stacks (scanning coverage, replication wiring, registry
 * singletons) stay linear in the app's size. Which stacks share a registry
 * is answered by the same lookup the constructs use (`AppRegistries`).
 *
 * @internal
 */
export class AppIndex {
  private readonly registries: AppRegistries;
  private readonly byType = new Map<string, IndexedResource[]>();
  /** Resources by `type registry`, where the registry is `account/region` or the stack itself. */
  private readonly byRegistry = new Map<string, Map<Stack | string, IndexedResource[]>>();
  private readonly properties = new Map<CfnResource, any>();
  private readonly memos = new Map<string, any>();

  constructor(root: IConstruct) {
    const envOfStack = new Map<Stack, string | undefined>();
    this.registries = new AppRegistries(root, (node) => {
      if (!CfnResource.isCfnResource(node)) return;
      const stack = Stack.of(node);
      if (!envOfStack.has(stack)) envOfStack.set(stack, registryKeyOf(stack));
      const indexed: IndexedResource = { resource: node, stack, env: envOfStack.get(stack) };
      push(this.byType, node.cfnResourceType, indexed);
      let inType = this.byRegistry.get(node.cfnResourceType);
      if (!inType) this.byRegistry.set(node.cfnResourceType, inType = new Map());
      push(inType, indexed.env ?? stack, indexed);
    });
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
   * The properties the rules read, under their CloudFormation names and
   * resolved as they will be written to the template (tags included), read
   * once per validation from the resource's typed attributes. Resources
   * whose type the pack does not check, or generic `CfnResource` objects,
   * have none.
   */
  public propertiesOf(resource: CfnResource): any {
    let props = this.properties.get(resource);
    if (props === undefined) {
      props = withoutUndefined(typedProperties(resource));
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
    return this.byRegistry.get(type)?.get(registryKeyOf(stack) ?? stack) ?? [];
  }

  /** Stacks with a concrete account and region. */
  public stacksIn(account: string, region: string): Stack[] {
    return this.registries.stacksIn(account, region);
  }
}

/** `account/region` of a stack when both are concrete. @internal */
export function envOf(stack: Stack): string | undefined {
  return registryKeyOf(stack);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The properties the pack's rules read, from the public typed attributes of
 * the L1 classes, keyed by their CloudFormation names. Struct properties are
 * given their CloudFormation key names (`scanOnPush` is `ScanOnPush`);
 * policy documents (JSON) are kept as they are.
 */
function typedProperties(r: CfnResource): Record<string, unknown> {
  const stack = Stack.of(r);
  const plain = (value: unknown) => stack.resolve(value);
  const cfnKeys = (value: unknown) => upperKeys(stack.resolve(value));
  const tagsOf = (taggable: ITaggable) => cfnKeys(taggable.tags.renderTags());
  if (r instanceof ecr.CfnRepository) {
    return {
      RepositoryName: plain(r.repositoryName),
      ImageTagMutability: plain(r.imageTagMutability),
      ImageTagMutabilityExclusionFilters: cfnKeys(r.imageTagMutabilityExclusionFilters),
      ImageScanningConfiguration: cfnKeys(r.imageScanningConfiguration),
      EncryptionConfiguration: cfnKeys(r.encryptionConfiguration),
      LifecyclePolicy: cfnKeys(r.lifecyclePolicy),
      RepositoryPolicyText: plain(r.repositoryPolicyText),
      EmptyOnDelete: plain(r.emptyOnDelete),
      Tags: tagsOf(r),
    };
  }
  if (r instanceof ecr.CfnPublicRepository) {
    return { RepositoryName: plain(r.repositoryName), RepositoryPolicyText: plain(r.repositoryPolicyText), Tags: tagsOf(r) };
  }
  if (r instanceof ecr.CfnRepositoryCreationTemplate) {
    return {
      Prefix: plain(r.prefix),
      AppliedFor: plain(r.appliedFor),
      Description: plain(r.description),
      ImageTagMutability: plain(r.imageTagMutability),
      ImageTagMutabilityExclusionFilters: cfnKeys(r.imageTagMutabilityExclusionFilters),
      EncryptionConfiguration: cfnKeys(r.encryptionConfiguration),
      LifecyclePolicy: plain(r.lifecyclePolicy),
      RepositoryPolicy: plain(r.repositoryPolicy),
      ResourceTags: cfnKeys(r.resourceTags),
      CustomRoleArn: plain(r.customRoleArn),
    };
  }
  if (r instanceof ecr.CfnRegistryPolicy) return { PolicyText: plain(r.policyText) };
  if (r instanceof ecr.CfnPullThroughCacheRule) {
    return {
      EcrRepositoryPrefix: plain(r.ecrRepositoryPrefix),
      UpstreamRegistry: plain(r.upstreamRegistry),
      UpstreamRegistryUrl: plain(r.upstreamRegistryUrl),
      UpstreamRepositoryPrefix: plain(r.upstreamRepositoryPrefix),
      CredentialArn: plain(r.credentialArn),
      CustomRoleArn: plain(r.customRoleArn),
    };
  }
  if (r instanceof ecr.CfnReplicationConfiguration) return { ReplicationConfiguration: cfnKeys(r.replicationConfiguration) };
  if (r instanceof ecr.CfnRegistryScanningConfiguration) return { ScanType: plain(r.scanType), Rules: cfnKeys(r.rules) };
  if (r instanceof secretsmanager.CfnSecret) return { Name: plain(r.name), KmsKeyId: plain(r.kmsKeyId) };
  return {};
}

/**
 * A resolved struct with CloudFormation key names: the typed attributes of an
 * L1 use the same names with a lower-case first letter. Names that already
 * start upper-case (from a Lazy value, or `Ref` and `Fn::` intrinsics) stay
 * as they are.
 */
function upperKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(upperKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), upperKeys(v)]));
  }
  return value;
}

/** Drops properties the template would not have. */
function withoutUndefined(props: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined));
}

/** Whether a resolved value still contains a CloudFormation intrinsic (Ref, Fn::*). @internal */
export function hasIntrinsic(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasIntrinsic);
  if (value && typeof value === 'object') {
    return Object.keys(value).some((k) => k === 'Ref' || k.startsWith('Fn::') || hasIntrinsic((value as any)[k]));
  }
  return false;
}

export { policyStatements } from '../internal/policy';

/** Whether an IAM element (string or list) names an action, allowing `*` wildcards. @internal */
export function allowsAction(actions: unknown, action: string): boolean {
  const list = Array.isArray(actions) ? actions : [actions];
  return list.some((a) => typeof a === 'string' && wildcardMatches(a.toLowerCase(), action.toLowerCase()));
}
