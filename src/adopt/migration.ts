import { CfnDeletionPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { closest } from '../internal/edit-distance';
import { guard, OBJECT, STRING } from '../internal/input';
import { ImageEncryption } from '../repository/encryption';
import { PrivateRepository } from '../repository/private-repository';

/** The properties of `AWS::ECR::Repository` a template can hold (the resource schema's). */
const PROPERTIES = [
  'EmptyOnDelete', 'EncryptionConfiguration', 'ImageScanningConfiguration', 'ImageTagMutability', 'ImageTagMutabilityExclusionFilters',
  'LifecyclePolicy', 'RepositoryName', 'RepositoryPolicyText', 'Tags',
];
/** Pseudo parameters whose value is the same in another stack of the same account and region. */
const SAME_IN_ANY_STACK = ['AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'AWS::URLSuffix', 'AWS::NoValue'];

/**
 * The first step of moving a repository that a CloudFormation stack already
 * holds (made by aws-cdk-lib's `Repository`, a `CfnRepository` or any
 * template) under a `PrivateRepository`, without replacing it.
 *
 * A new construct gets a new logical ID, which CloudFormation would treat as
 * a new repository. Its stack refactoring (`cdk refactor --unstable=refactor`)
 * moves and renames a resource without replacement, but only when nothing
 * else about it changes in the same operation. So the migration has two
 * steps: first a `PrivateRepository` rendered with exactly the properties and
 * deletion policies the old resource has (`sameAs`), deployed with
 * `cdk refactor`; then, in a later deploy, the settings you want, checked with
 * `cdk-ecr-platform adopt plan`.
 */
export class RepositoryMigration {
  /**
   * A `PrivateRepository` whose `AWS::ECR::Repository` has exactly the
   * properties, `DeletionPolicy` and `UpdateReplacePolicy` of the resource
   * `logicalId` of the old template: nothing added (no key, no policy, no
   * tags of its own), nothing left out. Values that refer to other resources
   * of the old stack, or to its name, are refused, because they resolve
   * differently after the move: move those resources first, or give the
   * value they resolve to in the old template.
   *
   * @param scope where to define the repository
   * @param id the construct ID (keep it in the second step, so that the logical ID stays)
   * @param template the old stack's template, as JSON text (`cdk synth` or CloudFormation's `GetTemplate`)
   * @param logicalId the logical ID of the repository in the old template
   */
  public static sameAs(scope: Construct, id: string, template: string, logicalId: string): PrivateRepository {
    guard('RepositoryMigration.sameAs', { scope: [scope, OBJECT], id: [id, STRING], template: [template, STRING], logicalId: [logicalId, STRING] });
    const subject = `RepositoryMigration.sameAs '${scope.node.path}/${id}'`;
    let parsed: any;
    try {
      parsed = JSON.parse(template);
    } catch (error) {
      throw new Error(`${subject}: the template is not JSON (${error instanceof Error ? error.message : String(error)}): give the template as JSON, for example from cdk synth --json`);
    }
    const resources: Record<string, any> = typeof parsed?.Resources === 'object' && parsed.Resources !== null ? parsed.Resources : {};
    const old = resources[logicalId];
    if (old === undefined || old?.Type !== 'AWS::ECR::Repository') {
      const repositories = Object.keys(resources).filter((k) => resources[k]?.Type === 'AWS::ECR::Repository');
      const hint = closest(logicalId, repositories);
      throw new Error(`${subject}: the template has no AWS::ECR::Repository '${logicalId}'${hint ? `: did you mean '${hint}'?` : repositories.length > 0 ? ` (it has ${repositories.join(', ')})` : ''}`);
    }
    const properties: Record<string, unknown> = typeof old.Properties === 'object' && old.Properties !== null ? old.Properties : {};
    const problems: string[] = [];
    for (const key of ['Condition', 'DependsOn']) if (old[key] !== undefined) problems.push(`it has ${key}, which a refactor cannot carry into a construct of this library: remove it first`);
    for (const [property, value] of Object.entries(properties)) {
      if (!PROPERTIES.includes(property)) problems.push(`${property} is not a property of AWS::ECR::Repository`);
      for (const reference of references(value)) {
        problems.push(`${property} refers to ${reference}, which does not resolve the same after the move: give its value in the old stack instead`);
      }
    }
    if (problems.length > 0) throw new Error(`${subject}: resource '${logicalId}' of the old template: ${problems.join('; ')}`);

    // AES256 and no settings of its own: the construct then adds no key, policy or tag, and every property is the old one's.
    // A repository without a name keeps the one CloudFormation generated: the refactor moves the physical resource.
    const literalName = typeof properties.RepositoryName === 'string' ? properties.RepositoryName : undefined;
    const repository = new PrivateRepository(scope, id, { repositoryName: literalName, encryption: ImageEncryption.AES256 });
    const cfn = repository.cfnRepository;
    // Literal values go to the resource's typed attributes (which checks such as the compliance pack read), the rest as written.
    const literal = (property: string) => properties[property] !== undefined && !hasIntrinsic(properties[property]);
    const p = properties as Record<string, any>;
    cfn.encryptionConfiguration = literal('EncryptionConfiguration')
      ? { encryptionType: p.EncryptionConfiguration.EncryptionType, kmsKey: p.EncryptionConfiguration.KmsKey } : undefined;
    cfn.imageScanningConfiguration = literal('ImageScanningConfiguration') ? { scanOnPush: p.ImageScanningConfiguration.ScanOnPush } : undefined;
    cfn.imageTagMutability = literal('ImageTagMutability') ? p.ImageTagMutability : undefined;
    cfn.imageTagMutabilityExclusionFilters = literal('ImageTagMutabilityExclusionFilters') && Array.isArray(p.ImageTagMutabilityExclusionFilters)
      ? p.ImageTagMutabilityExclusionFilters.map((f: any) => ({
        imageTagMutabilityExclusionFilterType: f?.ImageTagMutabilityExclusionFilterType,
        imageTagMutabilityExclusionFilterValue: f?.ImageTagMutabilityExclusionFilterValue,
      }))
      : undefined;
    cfn.lifecyclePolicy = literal('LifecyclePolicy')
      ? { lifecyclePolicyText: p.LifecyclePolicy.LifecyclePolicyText, registryId: p.LifecyclePolicy.RegistryId } : undefined;
    cfn.repositoryPolicyText = p.RepositoryPolicyText;
    cfn.emptyOnDelete = literal('EmptyOnDelete') ? p.EmptyOnDelete : undefined;
    for (const property of PROPERTIES) {
      if (property === 'RepositoryName' && literalName !== undefined) continue;
      // Tags as written, in their order; a value with intrinsic functions as written.
      if (property === 'Tags' || property === 'RepositoryName' || (properties[property] !== undefined && !literal(property))) {
        if (properties[property] === undefined) cfn.addPropertyDeletionOverride(property);
        else cfn.addPropertyOverride(property, properties[property]);
      }
    }
    cfn.cfnOptions.deletionPolicy = deletionPolicy(old.DeletionPolicy);
    cfn.cfnOptions.updateReplacePolicy = deletionPolicy(old.UpdateReplacePolicy);
    return repository;
  }
}

/** CloudFormation's deletion policy of that name (absent: CloudFormation's default, Delete). */
function deletionPolicy(name: unknown): CfnDeletionPolicy | undefined {
  switch (name) {
    case 'Retain': return CfnDeletionPolicy.RETAIN;
    case 'RetainExceptOnCreate': return CfnDeletionPolicy.RETAIN_EXCEPT_ON_CREATE;
    case 'Snapshot': return CfnDeletionPolicy.SNAPSHOT;
    case 'Delete': return CfnDeletionPolicy.DELETE;
    default: return undefined;
  }
}

/** Whether a value holds an intrinsic function anywhere. */
function hasIntrinsic(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasIntrinsic);
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([k, v]) => k === 'Ref' || k.startsWith('Fn::') || hasIntrinsic(v));
}

/** The references of a value to anything but the pseudo parameters that are the same in every stack. */
function references(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(references);
  if (typeof value !== 'object' || value === null) return [];
  const found: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (key === 'Ref' && typeof v === 'string' && !SAME_IN_ANY_STACK.includes(v)) {found.push(`Ref ${v}`);} else if (key === 'Fn::GetAtt' || key === 'Fn::ImportValue') {found.push(`${key} ${JSON.stringify(v)}`);} else if (key === 'Fn::Sub') {
      const text = Array.isArray(v) ? v[0] : v;
      for (const m of typeof text === 'string' ? text.matchAll(/\$\{([^}!]+)\}/g) : []) {
        const variables = Array.isArray(v) && typeof v[1] === 'object' && v[1] !== null ? v[1] : {};
        if (!SAME_IN_ANY_STACK.includes(m[1]) && !(m[1] in variables)) found.push(`\${${m[1]}} in Fn::Sub`);
      }
      found.push(...references(Array.isArray(v) ? v[1] : undefined));
    } else {found.push(...references(v));}
  }
  return found;
}
