import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { generateRegistryExport } from './fixture';
import { ExportedRepository, RegistryExportFile } from '../../src/adopt/export-model';
import { registryResources, repositoryProperties } from '../../src/adopt/mapping';
import { canonical, planAdoption } from '../../src/adopt/plan';
import { RepositoryCatalog } from '../../src/fleet/catalog';
import { importCatalog } from '../../src/fleet/catalog-import';
import { RepositoryFleet } from '../../src/fleet/fleet';
import { describeFindings, strictApp, synthesize } from '../util/harness';

/*
 * The round trip of issue 23: a realistic export, imported into a catalog and
 * a placement file, read back as a user's app reads them, synthesized, and
 * every synthesized AWS::ECR::Repository compared with the one mapping from
 * ECR's API fields to CloudFormation properties (src/adopt/mapping.ts).
 */

interface Written { readonly catalog: string; readonly placement: string; readonly placementText: string }

/** Imports the export and writes the catalog and placement file to a fresh folder. */
function imported(registryExport: RegistryExportFile): Written {
  const result = importCatalog(registryExport, { source: 'export.json' });
  expect(result.problems).toEqual([]);
  expect(result.openPolicies).toEqual([]);
  const dir = mkdtempSync(path.join(tmpdir(), 'catalog-import-'));
  const catalog = path.join(dir, 'repositories.yaml');
  const placement = path.join(dir, 'fleet-placement.json');
  writeFileSync(catalog, result.catalogText!);
  writeFileSync(placement, result.placementText!);
  return { catalog, placement, placementText: result.placementText! };
}

/** The fleet of the written catalog and placement file, as a user's app builds it (CI: the placement file is not updated). */
function fleetOf(app: App, written: Written, registryExport: RegistryExportFile): RepositoryFleet {
  const catalog = RepositoryCatalog.fromFile(written.catalog);
  const fleet = new RepositoryFleet(app, 'Fleet', {
    repositories: catalog.repositories,
    registry: catalog.registry,
    env: { account: registryExport.account, region: registryExport.region },
    placementFile: written.placement,
    updatePlacementFile: false,
  });
  // The placement file is what the fleet itself would write: nothing to place, nothing moved.
  expect(fleet.placementText).toBe(written.placementText);
  return fleet;
}

/** What a template holds, in the mapping's terms: policies as objects, tags sorted, AES256 spelt out. */
function normalized(properties: Record<string, any>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...properties };
  // The library renders no EncryptionConfiguration for AES256, ECR's default (so that CloudFormation never
  // sees a change that replaces the repository): what runs is AES256, as the mapping says.
  out.EncryptionConfiguration ??= { EncryptionType: 'AES256' };
  if (out.Tags) out.Tags = [...(out.Tags as { Key: string }[])].sort((a, b) => (a.Key < b.Key ? -1 : 1));
  if (out.LifecyclePolicy) out.LifecyclePolicy = { LifecyclePolicyText: JSON.parse((out.LifecyclePolicy as any).LifecyclePolicyText) };
  return out;
}

function expected(r: ExportedRepository): Record<string, unknown> {
  const out = repositoryProperties(r);
  if (out.LifecyclePolicy) out.LifecyclePolicy = { LifecyclePolicyText: JSON.parse((out.LifecyclePolicy as any).LifecyclePolicyText) };
  return out;
}

/** Every synthesized repository of the fleet's shards, by name. */
function synthesizedRepositories(app: App, fleet: RepositoryFleet): Map<string, Record<string, any>> {
  const assembly = app.synth();
  const found = new Map<string, Record<string, any>>();
  for (const stack of fleet.stacks) {
    const template = JSON.parse(readFileSync(path.join(assembly.directory, stack.templateFile), 'utf8'));
    for (const resource of Object.values<any>(template.Resources)) {
      if (resource.Type === 'AWS::ECR::Repository') found.set(resource.Properties.RepositoryName, resource.Properties);
    }
  }
  return found;
}

function compare(registryExport: RegistryExportFile, found: Map<string, Record<string, any>>): void {
  expect([...found.keys()].sort()).toEqual(registryExport.repositories.map((r) => r.repositoryName).sort());
  const differences = registryExport.repositories
    .map((r) => ({ name: r.repositoryName, synthesized: normalized(found.get(r.repositoryName)!), exported: expected(r) }))
    .filter((d) => JSON.stringify(d.synthesized) !== JSON.stringify(normalizedOrder(d.exported, d.synthesized)));
  // Compared as values: key order inside policies is kept by both sides, so a deep equality is exact.
  for (const d of differences.slice(0, 3)) expect(d.synthesized).toEqual(d.exported);
  expect(differences.map((d) => d.name)).toEqual([]);
}

/** The expected properties in the key order of the synthesized ones, so that text comparison means value comparison. */
function normalizedOrder(expectedProps: Record<string, unknown>, actual: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(actual)) if (k in expectedProps) out[k] = expectedProps[k];
  for (const k of Object.keys(expectedProps)) if (!(k in out)) out[k] = expectedProps[k];
  return out;
}

/** The registry stack's replication and scanning configurations, compared with the export's as sets of rules and filters. */
function compareRegistry(registryExport: RegistryExportFile, template: any): void {
  const resources = Object.values<any>(template.Resources);
  const of = (type: string) => resources.filter((r) => r.Type === type).map((r) => r.Properties);
  const sorted = <T>(list: T[]) => list.map((x) => JSON.stringify(x)).sort();
  const [replication] = of('AWS::ECR::ReplicationConfiguration');
  // Rules as (destinations, filters) sets; the export's rules have distinct destinations, so none is merged.
  const rules = (list: { destinations: string[]; filters: string[] }[]) =>
    sorted(list.map((r) => ({ d: [...r.destinations].sort(), f: [...r.filters].sort() })));
  expect(rules(replication.ReplicationConfiguration.Rules.map((r: any) => ({
    destinations: r.Destinations.map((d: any) => `${d.RegistryId}/${d.Region}`),
    filters: (r.RepositoryFilters ?? []).map((f: any) => `${f.FilterType}:${f.Filter}`),
  })))).toEqual(rules(registryExport.registry.replicationConfiguration!.rules.map((r) => ({
    destinations: r.destinations.map((d) => `${d.registryId}/${d.region}`),
    filters: (r.repositoryFilters ?? []).map((f) => `${f.filterType}:${f.filter}`),
  }))));
  const [scanning] = of('AWS::ECR::RegistryScanningConfiguration');
  const scanningRules = (list: { frequency: string; filters: string[] }[]) => sorted(list.map((r) => ({ q: r.frequency, f: [...r.filters].sort() })));
  expect(scanning.ScanType).toBe(registryExport.registry.scanningConfiguration!.scanType);
  expect(scanningRules(scanning.Rules.map((r: any) => ({ frequency: r.ScanFrequency, filters: r.RepositoryFilters.map((f: any) => `${f.FilterType}:${f.Filter}`) }))))
    .toEqual(scanningRules(registryExport.registry.scanningConfiguration!.rules.map((r) => ({ frequency: r.scanFrequency, filters: r.repositoryFilters.map((f) => `${f.filterType}:${f.filter}`) }))));
}

/**
 * The registry stack's pull-through cache rules, creation templates, pull-time update exclusions and signing
 * configuration, property by property against the mapping's live resources (`registryResources`): the same
 * values, with what a template holds as text (policies) compared as JSON and lists of names (AppliedFor,
 * tags) as sets; AES256 spelt out for a template that renders no EncryptionConfiguration, as ECR applies it.
 */
function compareRegistryResources(registryExport: RegistryExportFile, template: any): void {
  const types = ['AWS::ECR::PullThroughCacheRule', 'AWS::ECR::RepositoryCreationTemplate', 'AWS::ECR::PullTimeUpdateExclusion', 'AWS::ECR::SigningConfiguration'];
  const form = (type: string, properties: Record<string, any>) => {
    const out: Record<string, unknown> = { ...properties };
    if (type === 'AWS::ECR::RepositoryCreationTemplate') {
      out.EncryptionConfiguration ??= { EncryptionType: 'AES256' };
      for (const k of ['LifecyclePolicy', 'RepositoryPolicy']) if (typeof out[k] === 'string') out[k] = JSON.parse(out[k] as string);
      out.AppliedFor = [...(out.AppliedFor as string[])].sort();
      if (out.ResourceTags) out.ResourceTags = [...(out.ResourceTags as { Key: string }[])].sort((a, b) => (a.Key < b.Key ? -1 : 1));
    }
    return canonical(out);
  };
  const synthesized = Object.values<any>(template.Resources).filter((r) => types.includes(r.Type)).map((r) => `${r.Type} ${form(r.Type, r.Properties)}`).sort();
  const live = registryResources(registryExport).filter((r) => types.includes(r.type)).map((r) => `${r.type} ${form(r.type, r.properties)}`).sort();
  expect(synthesized).toEqual(live);
}

describe('catalog import round trip', () => {
  test('given a realistic export of 1,000 repositories, when imported, read back and synthesized, then every repository renders exactly what the export says runs', () => {
    const registryExport = generateRegistryExport({ repositories: 1000, seed: 23 });
    const written = imported(registryExport);
    // Without validation plugins: the full validation runs on a sample below.
    const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'round-trip-')) });
    const fleet = fleetOf(app, written, registryExport);
    compare(registryExport, synthesizedRepositories(app, fleet));
    const registryStack = fleet.node.findChild('Registry') as Stack;
    compareRegistry(registryExport, JSON.parse(readFileSync(path.join(app.outdir, registryStack.templateFile), 'utf8')));

    // The adoption plan of the first deploy: nothing changes on any repository, nor on the registry settings the catalog holds.
    const templates = [...fleet.stacks, registryStack].map((stack) => ({
      stack: stack.stackName,
      template: JSON.parse(readFileSync(path.join(app.outdir, stack.templateFile), 'utf8')),
      environment: `aws://${registryExport.account}/${registryExport.region}`,
    }));
    const plan = planAdoption(templates, registryExport);
    expect(plan.problems).toEqual([]);
    expect(plan.repositories.filter((r) => r.verdict !== 'no change').map((r) => `${r.id}: ${r.verdict} ${JSON.stringify(r.changes)}`)).toEqual([]);
    // Every registry-level setting of the export, and nothing else, with no change: none is left "not managed".
    expect(plan.registry.filter((r) => r.verdict !== 'no change').map((r) => `${r.type} ${r.id}: ${r.verdict} ${JSON.stringify(r.changes)}`)).toEqual([]);
    expect(plan.registry.map((r) => `${r.type} ${r.id}`).sort()).toEqual(registryResources(registryExport).map((r) => `${r.type} ${r.id}`).sort());
    expect(plan.registry.map((r) => r.type).filter((t, i, all) => all.indexOf(t) === i).sort()).toEqual([
      'AWS::ECR::PullThroughCacheRule', 'AWS::ECR::PullTimeUpdateExclusion', 'AWS::ECR::RegistryPolicy', 'AWS::ECR::RegistryScanningConfiguration',
      'AWS::ECR::ReplicationConfiguration', 'AWS::ECR::RepositoryCreationTemplate', 'AWS::ECR::SigningConfiguration', 'Custom::EcrAccountSetting',
    ]);
    compareRegistryResources(registryExport, JSON.parse(readFileSync(path.join(app.outdir, registryStack.templateFile), 'utf8')));
  });

  test('given a sample of the same export, when synthesized with CloudFormation validation, every cdk-nag pack and Control Tower, then the only findings are the acknowledged ones', () => {
    const full = generateRegistryExport({ repositories: 1000, seed: 23 });
    const registryExport = { ...full, repositories: full.repositories.filter((_, i) => i % 25 === 0) };
    const written = imported(registryExport);
    const app = strictApp();
    const fleet = fleetOf(app, written, registryExport);
    // The import acknowledges, per entry, the Control Tower controls the live settings fail (CT.ECR.PR.1-3): nothing else is acknowledged here.
    const result = synthesize(app, { nag: true });
    expect(describeFindings(result.cfnFindings)).toBe('');
    expect(describeFindings(result.nagFindings)).toBe('');
    expect(describeFindings(result.controlTowerFindings)).toBe('');
    const found = new Map<string, Record<string, any>>();
    for (const stack of fleet.stacks) {
      const template = JSON.parse(readFileSync(path.join(result.assembly.directory, stack.templateFile), 'utf8'));
      for (const resource of Object.values<any>(template.Resources)) if (resource.Type === 'AWS::ECR::Repository') found.set(resource.Properties.RepositoryName, resource.Properties);
    }
    compare(registryExport, found);
  });
});
