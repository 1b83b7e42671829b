import * as fs from 'fs';
import { Annotations, CfnElement, CfnResource, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';
import { ExportedRepository, RegistryExportFile } from './export-model';
import { exportFromText } from './export-source';
import { repositoryProperties } from './mapping';
import { planAdoption, PlannedTemplate } from './plan';
import { renderPlanText } from './plan-text';
import { assemblyTemplates, importMappings } from './templates';
import { EncryptionType } from '../internal/ecr-facts';
import { closest } from '../internal/edit-distance';
import { guard, OBJECT, STRING } from '../internal/input';
import { openAccessProblems } from '../internal/policy';
import { LifecyclePolicy } from '../lifecycle/policy';
import { ImageEncryption } from '../repository/encryption';
import { ImageTagMutability, PrivateRepository } from '../repository/private-repository';

/** What the first deploy of an app changes in the exported registry (see `RegistryExport.planAssembly`). */
export interface AdoptionPlanReport {
  /** The plan as `adopt plan` prints it: the summary, then what changes, property by property. */
  readonly text: string;
  /** The plan as `adopt plan --format json` prints it (every repository and registry setting with its verdict). */
  readonly json: string;
  /** The refused replacements and undecided values, one line each; empty when the deploy replaces nothing and every value is known. */
  readonly problems: string[];
}

/**
 * A registry export (the file of `cdk-ecr-platform registry export`): what
 * runs in one account and region. It renders a `PrivateRepository` that
 * takes over a live repository with exactly its settings, and the resource
 * mapping `cdk import --resource-mapping` needs to adopt what a stack holds.
 */
export class RegistryExport {
  /**
   * Reads an export file.
   *
   * @param file the export's path
   */
  public static fromFile(file: string): RegistryExport {
    guard('RegistryExport.fromFile', { file: [file, STRING] });
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`RegistryExport.fromFile: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return new RegistryExport(exportFromText(text, file));
  }

  /**
   * Reads an export from its JSON text.
   *
   * @param text the export's JSON
   */
  public static fromJson(text: string): RegistryExport {
    guard('RegistryExport.fromJson', { text: [text, STRING] });
    return new RegistryExport(exportFromText(text, 'the export'));
  }

  /** The registry (account) ID. */
  public readonly account: string;
  /** The region. */
  public readonly region: string;
  /** The names of the exported repositories, in the export's order. */
  public readonly repositoryNames: string[];
  private readonly file: RegistryExportFile;
  private readonly byName: Map<string, ExportedRepository>;

  private constructor(file: RegistryExportFile) {
    this.file = file;
    this.account = file.account;
    this.region = file.region;
    this.repositoryNames = file.repositories.map((r) => r.repositoryName);
    this.byName = new Map(file.repositories.map((r) => [r.repositoryName, r]));
  }

  /**
   * A `PrivateRepository` that takes over the live repository of that name
   * with exactly the settings it has: its name, its encryption (the existing
   * key by its ARN, never a new key: ECR cannot change a repository's
   * encryption), tag mutability and exclusion filters, scan on push, the
   * lifecycle policy text as it runs (or none), the repository policy text as
   * it runs (or none; an open policy is reported as a warning, never dropped)
   * and its tags. Retained on delete, as every `PrivateRepository`.
   *
   * Deploy it with `cdk import` (see `importResourceMapping`) or
   * `cdk deploy --import-existing-resources`; change its settings in a later
   * deploy. Statements added later with `allow()` or grants replace the live
   * policy text, which synthesis refuses: add them to the policy once adopted.
   *
   * @param scope where to define the repository
   * @param id the construct ID
   * @param repositoryName the name of the live repository
   */
  public adoptRepository(scope: Construct, id: string, repositoryName: string): PrivateRepository {
    guard('RegistryExport.adoptRepository', { scope: [scope, OBJECT], id: [id, STRING], repositoryName: [repositoryName, STRING] });
    const live = this.byName.get(repositoryName);
    if (live === undefined) {
      const hint = closest(repositoryName, this.repositoryNames);
      throw new Error(`RegistryExport.adoptRepository '${scope.node.path}/${id}': the export of ${this.account} ${this.region} has no repository '${repositoryName}'${hint ? `: did you mean '${hint}'?` : ''}`);
    }
    const mutability = live.imageTagMutability.startsWith('IMMUTABLE') ? ImageTagMutability.IMMUTABLE : ImageTagMutability.MUTABLE;
    // A set: in one order (repositoryProperties'), whatever the export's.
    const exclusions = (live.imageTagMutabilityExclusionFilters ?? []).map((f) => f.filter).sort();
    const lifecycle = live.lifecyclePolicyText !== undefined && LifecyclePolicy.validateJson(live.lifecyclePolicyText).length === 0
      ? LifecyclePolicy.fromJson(live.lifecyclePolicyText) : undefined;
    const repository = new PrivateRepository(scope, id, {
      repositoryName,
      imageTagMutability: mutability,
      imageTagMutabilityExclusions: exclusions.length > 0 ? exclusions : undefined,
      encryption: encryptionOf(scope, id, live),
      lifecyclePolicy: lifecycle,
      imageScanOnPush: live.imageScanningConfiguration?.scanOnPush ?? false,
    });
    // The live values as they run, byte for byte: the construct's own rendering may format them otherwise.
    const exact = repositoryProperties(live);
    const cfn = repository.cfnRepository;
    cfn.encryptionConfiguration = { encryptionType: live.encryptionConfiguration.encryptionType, kmsKey: live.encryptionConfiguration.kmsKey };
    cfn.lifecyclePolicy = live.lifecyclePolicyText !== undefined ? { lifecyclePolicyText: live.lifecyclePolicyText } : undefined;
    const policy = exact.RepositoryPolicyText;
    if (policy !== undefined) {
      cfn.repositoryPolicyText = policy;
      const statements = (policy as { Statement?: unknown }).Statement;
      const open = openAccessProblems(Array.isArray(statements) ? statements : statements ? [statements] : []);
      if (open.length > 0) {
        Annotations.of(repository).addWarningV2('cdk-ecr-platform:adoptedOpenPolicy',
          `PrivateRepository '${repository.node.path}' adopts the live repository policy of '${repositoryName}' as it runs, which is open: ${open.join('; ')}`);
      }
      repository.node.addValidation({
        validate: () => (cfn.repositoryPolicyText === policy ? [] : [
          `PrivateRepository '${repository.node.path}' adopted the live repository policy of '${repositoryName}', and statements added since (allow(), grants) would replace it: add them to the policy after the adoption, or leave them out`,
        ]),
      });
    }
    for (const tag of live.tags) if (tag.Value !== '') cfn.tags.setTag(tag.Key, tag.Value);
    const empty = live.tags.filter((t) => t.Value === '').map((t) => t.Key);
    if (empty.length > 0) {
      // ECR takes a tag with an empty value; CloudFormation's AWS::ECR::Repository does not (Tags[].Value: 1 to 255 characters).
      Annotations.of(repository).addWarningV2('cdk-ecr-platform:adoptedEmptyTagValue',
        `PrivateRepository '${repository.node.path}': the live tags ${empty.map((k) => `'${k}'`).join(', ')} of '${repositoryName}' have an empty value, which CloudFormation does not take: they are left out, and the first update after the import removes them from the repository; give them a value first (aws ecr tag-resource) to keep them`);
    }
    return repository;
  }

  /**
   * The adoption plan of a cloud assembly (`cdk.out`, every stack, stages
   * included) against this export: per repository and registry setting,
   * property by property, no change, in-place update, replacement (refused)
   * or undecided; created and not managed. The same as
   * `cdk-ecr-platform adopt plan --assembly DIR --live FILE`.
   *
   * @param directory the cloud assembly folder
   */
  public planAssembly(directory: string): AdoptionPlanReport {
    guard('RegistryExport.planAssembly', { directory: [directory, STRING] });
    return this.report(assemblyTemplates(directory), directory);
  }

  /**
   * The adoption plan of templates (stack name to template, as JSON objects)
   * against this export; see `planAssembly`.
   *
   * @param templates stack name to its template
   */
  public planTemplates(templates: { [stackName: string]: any }): AdoptionPlanReport {
    guard('RegistryExport.planTemplates', { templates: [templates, OBJECT] });
    return this.report(Object.entries(templates).map(([stack, template]) => ({ stack, template })), 'the templates');
  }

  private report(templates: PlannedTemplate[], title: string): AdoptionPlanReport {
    const plan = planAdoption(templates, this.file);
    return { text: renderPlanText(plan, title), json: `${JSON.stringify(plan, null, 2)}\n`, problems: plan.problems };
  }

  /**
   * The resource mapping `cdk import STACK --resource-mapping FILE` needs to
   * adopt what the stack holds and the export says runs: its repositories
   * by `RepositoryName`, the registry singletons (replication, registry
   * policy, scanning, signing) by `RegistryId`, pull-through cache rules by
   * `EcrRepositoryPrefix`, creation templates by `Prefix`, pull-time update
   * exclusions by `PrincipalArn`. What does not run is left out: the deploy
   * after the import creates it.
   *
   * @param stack the stack to import into
   */
  public importResourceMapping(stack: Stack): string {
    guard('RegistryExport.importResourceMapping', { stack: [stack, OBJECT] });
    const resources: Record<string, unknown> = {};
    for (const c of stack.node.findAll()) {
      if (!CfnResource.isCfnResource(c) || Stack.of(c) !== stack) continue;
      Object.assign(resources, (stack.resolve((c as CfnElement)._toCloudFormation()) as { Resources?: Record<string, unknown> }).Resources ?? {});
    }
    const templates = [{ stack: stack.stackName, template: { Resources: resources } }];
    const mapping = importMappings(templates, this.account, this.region, this.file).get(stack.stackName) ?? {};
    return `${JSON.stringify(mapping, null, 2)}\n`;
  }
}

/** The encryption of a live repository: KMS or KMS_DSSE with its existing key by ARN or with the AWS managed key, or AES256. */
function encryptionOf(scope: IConstruct, id: string, live: ExportedRepository): ImageEncryption {
  const { encryptionType, kmsKey } = live.encryptionConfiguration;
  if (encryptionType === 'AES256') return ImageEncryption.AES256;
  const key = kmsKey !== undefined ? kms.Key.fromKeyArn(scope, `${id}LiveKey`, kmsKey) : undefined;
  // No key: ECR's AWS managed key, never a new key (which would be another encryption).
  if (encryptionType === EncryptionType.KMS_DSSE) return key ? ImageEncryption.kmsDsse(key) : ImageEncryption.KMS_DSSE_AWS_MANAGED;
  return key ? ImageEncryption.kms(key) : ImageEncryption.KMS_AWS_MANAGED;
}
