/**
 * The templates an app deploys, read from its cloud assembly (`cdk.out`), and
 * the resource mapping `cdk import --resource-mapping` takes for each stack.
 *
 * @module
 */
import * as fs from 'fs';
import * as path from 'path';
import { RegistryExportFile } from './export-model';
import { REGISTRY_RESOURCES, REPOSITORY_IDENTIFIER, registryResources } from './mapping';
import { PlannedTemplate } from './plan';
import { resolveValue } from './resolve';

/**
 * Every stack template of a cloud assembly folder, nested assemblies (stages)
 * included, in the manifest's order. Throws a clear error when the folder
 * holds no cloud assembly.
 */
export function assemblyTemplates(directory: string, read: (file: string) => string = (file) => fs.readFileSync(file, 'utf8')): PlannedTemplate[] {
  const manifestFile = path.join(directory, 'manifest.json');
  let manifest: any;
  try {
    manifest = JSON.parse(read(manifestFile));
  } catch (error) {
    throw new Error(`${directory} is not a cloud assembly (${manifestFile}: ${error instanceof Error ? error.message : String(error)}): run cdk synth first`);
  }
  const out: PlannedTemplate[] = [];
  for (const [id, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact?.type === 'aws:cloudformation:stack') {
      const file = path.join(directory, artifact.properties?.templateFile ?? `${id}.template.json`);
      out.push({
        stack: artifact.properties?.stackName ?? id,
        selector: typeof artifact.displayName === 'string' ? artifact.displayName : id,
        template: JSON.parse(read(file)),
        environment: artifact.environment,
      });
    } else if (artifact?.type === 'cdk:cloud-assembly' && typeof artifact.properties?.directoryName === 'string') {
      out.push(...assemblyTemplates(path.join(directory, artifact.properties.directoryName), read));
    }
  }
  return out;
}

/** One stack's `cdk import` resource mapping: logical ID to the identifier of the resource it takes over. */
export type ResourceMapping = Record<string, Record<string, string>>;

/**
 * The resource mapping of each stack that holds ECR resources which can be
 * imported: repositories by `RepositoryName`, the registry singletons
 * (replication, registry policy, scanning and signing configuration) by
 * `RegistryId` (the account), pull-through cache rules by
 * `EcrRepositoryPrefix`, creation templates by `Prefix`, pull-time update
 * exclusions by `PrincipalArn`. With an export, only what runs is mapped (the
 * rest is created by a deploy after the import). A resource whose identifier
 * is not a literal, or is resolved only at deploy, is left out: CloudFormation
 * needs the value. Custom resources (account settings) cannot be imported.
 */
export function importMappings(
  templates: readonly PlannedTemplate[], account: string, region: string, live?: RegistryExportFile,
): Map<string, ResourceMapping> {
  const running = live === undefined ? undefined : new Set([
    ...live.repositories.map((r) => `AWS::ECR::Repository\n${r.repositoryName}`),
    ...registryResources(live).map((r) => `${r.type}\n${r.id}`),
  ]);
  const out = new Map<string, ResourceMapping>();
  for (const { stack, template, environment } of templates) {
    const env = /^aws:\/\/(\d{12})\/([a-z0-9-]+)$/.exec(environment ?? '');
    if (env && (env[1] !== account || env[2] !== region)) continue; // another registry
    const resources: Record<string, any> = (template as any)?.Resources ?? {};
    const types = new Map(Object.entries(resources).map(([id, r]) => [id, String(r?.Type)]));
    const mapping: ResourceMapping = {};
    for (const logicalId of Object.keys(resources).sort()) {
      const r = resources[logicalId];
      const type = String(r?.Type);
      const kind = type === 'AWS::ECR::Repository'
        ? { identifier: REPOSITORY_IDENTIFIER, singleton: false }
        : REGISTRY_RESOURCES.find((m) => m.type === type && !m.notImportable);
      if (kind === undefined) continue;
      let id: string;
      if (kind.singleton) {
        id = account;
      } else {
        const resolved = resolveValue(r?.Properties?.[kind.identifier], { account, region, resources: types });
        if (resolved.kind !== 'value' || typeof resolved.value !== 'string') continue;
        id = resolved.value;
      }
      if (running && !running.has(`${type}\n${id}`)) continue;
      mapping[logicalId] = { [kind.identifier]: id };
    }
    if (Object.keys(mapping).length > 0) out.set(stack, mapping);
  }
  return out;
}
