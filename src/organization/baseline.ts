import {
  Annotations,
  AspectPriority,
  Aspects,
  Aws,
  CfnCondition,
  CfnElement,
  CfnOutput,
  CfnParameter,
  CfnResource,
  DefaultStackSynthesizer,
  DockerImageAssetLocation,
  DockerImageAssetSource,
  FileAssetLocation,
  FileAssetSource,
  PERMISSIONS_BOUNDARY_CONTEXT_KEY,
  Stack,
  TagManager,
  Tags,
  Tokenization,
  TreeInspector,
} from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { _isCfnRole } from './role-defaults';
import { guardConstruct, mapOf, optional, STRING } from '../internal/input';
import { formatProblems } from '../internal/problems';
import { markRolledOut } from '../internal/rollout';
import { EcrAccountSettings } from '../registry/account-settings';
import { Registry } from '../registry/registry';
import { InspectorScanning } from '../scanning/inspector';

/**
 * Properties of a registry baseline.
 */
export interface RegistryBaselineProps {
  /**
   * A description of the baseline template (shown on every stack instance).
   *
   * @default 'Amazon ECR registry baseline'
   */
  readonly description?: string;

  /**
   * The name of the stack when the baseline is deployed as a stack of its
   * own (for example in the management account, where service-managed
   * StackSets never deploy).
   *
   * @default - the construct path
   */
  readonly stackName?: string;

  /**
   * Tags applied to every taggable resource of the baseline.
   *
   * @default - no tags
   */
  readonly tags?: Record<string, string>;
}

/** Resource types that are Lambda functions or stand for one. */
const LAMBDA_TYPES = /^(AWS::Lambda::|AWS::Serverless::)/;
/** Resource types answered by a custom resource provider. */
const CUSTOM_TYPES = /^(Custom::|AWS::CloudFormation::CustomResource$)/;
/** Nested stacks and StackSets live in S3 or another stack: a baseline renders neither. */
const NESTED_TYPES = /^AWS::CloudFormation::(Stack|StackSet)$/;

/**
 * The registry-level settings of one account and region, as a stack whose
 * template is self-contained: no assets, no Lambda function or other custom
 * resource, no cross-stack reference (`Fn::ImportValue`, exports), no
 * parameter. Such a template can be rolled out to every account of an
 * organization by a service-managed StackSet
 * (`RegistryBaselineStackSet`), and deployed as a stack of its own too.
 *
 * Declare the settings with the library's constructs, scoped to the
 * baseline: `RegistryScanning.of(baseline)`, `RepositoryCreationTemplate`
 * (CREATE_ON_PUSH, REPLICATION, PULL_THROUGH_CACHE), `PullThroughCacheRule`
 * for upstreams without credentials, `Registry.of(baseline)` statements.
 * Synthesis fails, naming the construct, when something in the baseline
 * would need an asset, a Lambda function, a parameter or another stack:
 * `EcrAccountSettings` and `InspectorScanning` (Lambda-backed custom
 * resources), pull-through cache credentials (a secret of one account).
 *
 * The baseline is environment-agnostic: it is the same template in every
 * account and region it is rolled out to.
 *
 * @example
 * const baseline = new RegistryBaseline(app, 'RegistryBaseline');
 * RegistryScanning.of(baseline).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['*'] });
 * new RepositoryCreationTemplate(baseline, 'Default', { prefix: 'ROOT', appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH] });
 */
export class RegistryBaseline extends Stack {
  /** Whether a construct is a registry baseline. */
  public static isRegistryBaseline(x: any): x is RegistryBaseline {
    return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[BASELINE] === true;
  }

  private readonly baselineSynthesizer: BaselineSynthesizer;

  constructor(scope: Construct, id: string, props: RegistryBaselineProps = {}) {
    guardConstruct('RegistryBaseline', scope, id, props, {
      description: optional(STRING),
      stackName: optional(STRING),
      tags: optional(mapOf(STRING)),
    });
    const synthesizer = new BaselineSynthesizer();
    super(scope, id, {
      description: props.description ?? 'Amazon ECR registry baseline',
      stackName: props.stackName,
      // The same template in every account and region, also inside a Stage
      // that has an environment.
      env: { account: Aws.ACCOUNT_ID, region: Aws.REGION },
      synthesizer,
      analyticsReporting: false,
    });
    Object.defineProperty(this, BASELINE, { value: true });
    markRolledOut(this);
    this.baselineSynthesizer = synthesizer;
    for (const [k, v] of Object.entries(props.tags ?? {})) Tags.of(this).add(k, v);
    this.node.addValidation({ validate: () => this.selfContainedProblems() });
    // After the mutating aspects (RoleDefaults, aws-cdk-lib's boundary) have run.
    Aspects.of(this).add({ visit: (c) => this.warnOfBoundaryOverride(c) }, { priority: AspectPriority.READONLY });
  }

  /**
   * aws-cdk-lib writes the boundary of its `@aws-cdk/core:permissionsBoundary`
   * context (and of a Stage's or Stack's `permissionsBoundary`) as a property
   * override, which the StackSet body, rendered from the roles' properties,
   * does not carry.
   */
  private warnOfBoundaryOverride(c: IConstruct): void {
    if (!_isCfnRole(c) || Stack.of(c) !== this || c.permissionsBoundary !== undefined) return;
    if (c.node.tryGetContext(PERMISSIONS_BOUNDARY_CONTEXT_KEY) === undefined) return;
    Annotations.of(c).addWarningV2('cdk-ecr-platform:baselineRoleBoundaryOverride',
      `role '${c.node.path}' gets its permissions boundary from aws-cdk-lib's ${PERMISSIONS_BOUNDARY_CONTEXT_KEY} context (or a Stage's or Stack's permissionsBoundary), which is written as an override that the baseline's StackSet body does not carry: set it with RoleDefaults.of(scope).apply({ permissionsBoundaryName }) as well`);
  }

  /**
   * What makes the baseline's template depend on something outside it, one
   * message per construct. Empty when the template is self-contained.
   *
   * @internal
   */
  public _dependencies(): string[] {
    const messages: string[] = [];
    const reported = new Set<IConstruct>();
    const owners = new Map<string, string>();
    for (const c of this.node.findAll()) {
      if (c !== this && Stack.isStack(c)) continue;
      if (c instanceof EcrAccountSettings || c instanceof InspectorScanning) {
        const kind = c instanceof EcrAccountSettings ? 'EcrAccountSettings' : 'InspectorScanning';
        messages.push(`${kind} '${c.node.path}' needs a Lambda-backed custom resource (CloudFormation has no resource for it), which a baseline cannot hold: declare it in a stack of each account, or use the organization-wide Inspector configuration`);
        reported.add(c);
        continue;
      }
      if (!CfnElement.isCfnElement(c)) continue;
      if (c.stack !== this) continue;
      owners.set(this.resolve(c.logicalId), c.node.path);
      if (CfnResource.isCfnResource(c)) {
        const type = c.cfnResourceType;
        if (LAMBDA_TYPES.test(type) || CUSTOM_TYPES.test(type) || NESTED_TYPES.test(type)) {
          const why = LAMBDA_TYPES.test(type) ? 'a Lambda function' : CUSTOM_TYPES.test(type) ? 'a custom resource, answered by a Lambda function or topic of one account' : 'a template stored outside the baseline';
          messages.push(`'${c.node.path}' renders ${type}, ${why}: a baseline holds native registry resources only${ownerOf(c, reported)}`);
        }
        if (c instanceof ecr.CfnPullThroughCacheRule && c.credentialArn !== undefined) {
          messages.push(`'${c.node.path}' has upstream credentials: a secret lives in one account, so a baseline caches only upstreams without credentials (Amazon ECR Public, Quay, Kubernetes, ECR)`);
        }
      } else if (c instanceof CfnParameter) {
        messages.push(`'${c.node.path}' is a parameter: a baseline is rolled out without parameter values, so use a literal`);
      } else if (c instanceof CfnOutput && c.exportName !== undefined) {
        messages.push(`'${c.node.path}' exports a value: stacks of other accounts cannot import it, and an export blocks every update of the baseline`);
      }
    }
    for (const a of this.baselineSynthesizer.assets) {
      messages.push(`an asset (${a}) was added: a baseline is rolled out to accounts that have no bootstrap bucket or repository, so it holds no asset (Lambda code, files, images)`);
    }
    const { template, problems } = this.render();
    messages.push(...problems);
    if (Object.keys(template.Resources ?? {}).length === 0) {
      messages.push('the baseline declares no registry setting, and CloudFormation refuses a template without resources: add RegistryScanning.of(baseline), a RepositoryCreationTemplate or a PullThroughCacheRule');
    }
    for (const [logicalId, resource] of Object.entries<any>(template.Resources ?? {})) {
      if (containsKey(resource, 'Fn::ImportValue')) {
        messages.push(`'${owners.get(logicalId) ?? logicalId}' references a value of another stack (Fn::ImportValue): a baseline is self-contained, so pass a literal`);
      }
    }
    return messages;
  }

  /**
   * The baseline's template as CloudFormation reads it, without CDK's path
   * metadata: the StackSet's body. Complete once the app is prepared (in
   * validations and at synthesis).
   *
   * @internal
   */
  public _template(): any {
    return this.render().template;
  }

  /**
   * Renders the template from what the tree declares, through public APIs
   * only: each registry setting renders its resource from its own model
   * (`Registry.settings`), and the resources the settings create (keys,
   * roles, policies) render from their public properties, which for those
   * are values, lists, tags and policy documents. A resource with a nested
   * property structure that no setting renders cannot be rendered that way,
   * and is reported.
   */
  private render(): { template: any; problems: string[] } {
    const problems: string[] = [];
    const registry = Registry._tryOf(this);
    const options = this.templateOptions;
    const template: any = {
      Description: options.description,
      Transform: options.transforms && options.transforms.length > 0
        ? (options.transforms.length === 1 ? options.transforms[0] : [...new Set(options.transforms)])
        : undefined,
      AWSTemplateFormatVersion: options.templateFormatVersion,
      Metadata: options.metadata,
    };
    const section = (name: string): Record<string, unknown> => (template[name] ??= {});
    for (const c of cfnElementsOf(this)) {
      const logicalId = this.resolve(c.logicalId);
      if (CfnResource.isCfnResource(c)) {
        if (c instanceof iam.CfnPolicy && c.node.scope instanceof iam.Policy && (c.node.scope.document.isEmpty || !attached(c))) {
          // aws-cdk-lib renders such a policy or leaves it out by state it does not expose.
          problems.push(`'${c.node.scope.node.path}' is a policy with no statement or attached to no role, user or group, which aws-cdk-lib may leave out of the template: add statements and attach it, or remove it from the baseline`);
          continue;
        }
        const properties = registry?._renderProperties(c) ?? ownerRendering(c) ?? publicProperties(c, problems);
        const metadata = { ...(c.cfnOptions.metadata ?? {}) };
        delete metadata['aws:cdk:path'];
        const dependsOn = c.obtainDependencies()
          .filter((d): d is CfnResource => CfnResource.isCfnResource(d) && d.stack === this)
          .sort((x, y) => x.node.path.localeCompare(y.node.path))
          .map((d) => d.logicalId);
        section('Resources')[logicalId] = {
          Type: c.cfnResourceType,
          Properties: nonEmpty(this.resolve(properties)),
          DependsOn: nonEmpty(dependsOn),
          CreationPolicy: capitalized(c.cfnOptions.creationPolicy),
          UpdatePolicy: capitalized(c.cfnOptions.updatePolicy),
          UpdateReplacePolicy: c.cfnOptions.updateReplacePolicy,
          DeletionPolicy: c.cfnOptions.deletionPolicy,
          Version: c.cfnOptions.version,
          Description: c.cfnOptions.description,
          Metadata: nonEmpty(metadata),
          Condition: c.cfnOptions.condition?.logicalId,
        };
      } else if (c instanceof CfnOutput) {
        section('Outputs')[logicalId] = {
          Description: c.description,
          Value: c.value,
          Export: c.exportName !== undefined ? { Name: c.exportName } : undefined,
          Condition: c.condition?.logicalId,
        };
      } else if (c instanceof CfnCondition) {
        if (c.expression !== undefined) section('Conditions')[logicalId] = c.expression;
      } else if (!(c instanceof CfnParameter)) {
        // Parameters are refused on their own; mappings, rules, hooks and
        // includes render nothing a registry baseline needs.
        problems.push(`'${c.node.path}' is a ${c.constructor.name}, which a baseline's StackSet body does not carry: a baseline holds resources (and their conditions and outputs) only`);
      }
    }
    return { template: this.resolve(template) ?? {}, problems };
  }

  private selfContainedProblems(): string[] {
    const messages = this._dependencies();
    return messages.length === 0 ? [] : [formatProblems(`RegistryBaseline '${this.node.path}'`, messages)];
  }
}

/** Marks registry baselines (across copies of the library). */
const BASELINE = Symbol.for('cdk-ecr-platform.RegistryBaseline');

/** The CloudFormation elements of a stack, in the order the stack renders them, without nested stacks. */
function cfnElementsOf(stack: Stack): CfnElement[] {
  const found: CfnElement[] = [];
  const walk = (c: IConstruct) => {
    if (c !== stack && Stack.isStack(c)) return;
    if (CfnElement.isCfnElement(c)) found.push(c);
    c.node.children.forEach(walk);
  };
  walk(stack);
  return found;
}

/**
 * A resource's CloudFormation properties as the construct that created it
 * renders them from its own model, when it does: a construct of the
 * library that creates resources with nested properties (the rules and
 * dead-letter queue of `RegistryEventRouting`) implements
 * `_renderBaselineProperties(resource)`. Found by walking up the scopes, so
 * that this module needs none of those constructs.
 */
function ownerRendering(resource: CfnResource): Record<string, unknown> | undefined {
  for (let scope = resource.node.scope; scope !== undefined; scope = scope.node.scope) {
    const render = (scope as { _renderBaselineProperties?: (r: CfnResource) => Record<string, unknown> | undefined })._renderBaselineProperties;
    if (typeof render === 'function') {
      const rendered = render.call(scope, resource);
      if (rendered !== undefined) return rendered;
    }
  }
  return undefined;
}

/**
 * A resource's CloudFormation properties from its public API: the
 * properties it reports to tree inspection, named as CloudFormation names
 * them (`cfnPropertyName`), and its tags. That is exact for values, lists of
 * values, tags and documents that render themselves (policy documents); a
 * nested property structure is in the construct library's casing, which
 * only the resource itself can map, so it is reported instead of guessed.
 */
function publicProperties(resource: CfnResource, problems: string[]): Record<string, unknown> {
  const inspect = (resource as unknown as { inspect?: (i: TreeInspector) => void }).inspect;
  if (typeof (resource as Partial<CfnResource>).cfnPropertyName !== 'function') {
    problems.push(`'${resource.node.path}' renders ${resource.cfnResourceType}, whose CloudFormation property names this version of aws-cdk-lib does not report (CfnResource.cfnPropertyName): upgrade aws-cdk-lib to render it into a baseline's StackSet body`);
    return {};
  }
  if (typeof inspect !== 'function') {
    problems.push(`'${resource.node.path}' renders ${resource.cfnResourceType} through a construct that does not report its properties: a baseline's StackSet body holds the library's registry settings and typed aws-cdk-lib resources only`);
    return {};
  }
  const inspector = new TreeInspector();
  inspect.call(resource, inspector);
  const props: Record<string, unknown> = inspector.attributes['aws:cdk:cloudformation:props'] ?? {};
  const tagProperty = TagManager.of(resource)?.tagPropertyName;
  const rendered: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined) continue;
    const cfnName = resource.cfnPropertyName(name);
    if (cfnName === undefined) {
      problems.push(`'${resource.node.path}' sets property '${name}' of ${resource.cfnResourceType}, which has no CloudFormation name: a baseline's StackSet body cannot carry it`);
      continue;
    }
    if (name === tagProperty) {
      rendered[cfnName] = Array.isArray(value) ? value.map((t: any) => (t && typeof t === 'object' && 'key' in t ? { Key: t.key, Value: t.value } : t)) : value;
    } else if (!flat(value)) {
      problems.push(`'${resource.node.path}' sets ${cfnName} of ${resource.cfnResourceType} to a nested structure, which a baseline renders only for its registry settings: declare it with the library's constructs, or set it in a stack of each account`);
    } else {
      rendered[cfnName] = value;
    }
  }
  return rendered;
}

/** A value whose CloudFormation form is itself once resolved: a primitive, a token, a document that renders itself, or a list of those. */
function flat(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Tokenization.isResolvable(value)) return true;
  if (Array.isArray(value)) return value.every((v) => v === null || typeof v !== 'object' || Tokenization.isResolvable(v));
  return false;
}

function attached(policy: iam.CfnPolicy): boolean {
  return [policy.roles, policy.users, policy.groups].some((list) => {
    const resolved = policy.stack.resolve(list);
    return Array.isArray(resolved) ? resolved.length > 0 : resolved !== undefined;
  });
}

function nonEmpty<T>(value: T): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.length === 0 ? undefined : value;
  if (typeof value === 'object' && Object.values(value as object).every((v) => v === undefined)) return undefined;
  return value;
}

/** Resource options (creation and update policies) in CloudFormation casing. */
function capitalized(value: unknown): unknown {
  if (value === undefined || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(capitalized);
  return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), capitalized(v)]));
}

function ownerOf(c: IConstruct, reported: Set<IConstruct>): string {
  for (let p = c.node.scope; p; p = p.node.scope) {
    if (reported.has(p)) return ` (part of '${p.node.path}')`;
  }
  return '';
}

function containsKey(value: unknown, key: string): boolean {
  if (Array.isArray(value)) return value.some((v) => containsKey(v, key));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).some(([k, v]) => k === key || containsKey(v, key));
  }
  return false;
}

/**
 * The default synthesizer without the bootstrap version check (target
 * accounts of a StackSet are not bootstrapped), recording every asset so
 * that the baseline can refuse it.
 */
class BaselineSynthesizer extends DefaultStackSynthesizer {
  public readonly assets: string[] = [];

  constructor() {
    super({ generateBootstrapVersionRule: false });
  }

  public addFileAsset(asset: FileAssetSource): FileAssetLocation {
    // The synthesizer registers the stack's own template as a file asset.
    if (asset.fileName !== this.boundStack.templateFile) this.assets.push(`file ${asset.fileName ?? asset.executable?.join(' ') ?? asset.sourceHash}`);
    return super.addFileAsset(asset);
  }

  public addDockerImageAsset(asset: DockerImageAssetSource): DockerImageAssetLocation {
    this.assets.push(`image ${asset.directoryName ?? asset.executable?.join(' ') ?? asset.sourceHash}`);
    return super.addDockerImageAsset(asset);
  }
}
