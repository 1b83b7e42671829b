import { App, Stack } from 'aws-cdk-lib';
import { exportedRepository, registryExport } from './exports';
import { generateRegistryExport } from './fixture';
import { RegistryExport, ImageEncryption, RepositoryFleet, ScanFrequency } from '../../src';
import { CatalogFormat, RepositoryCatalog } from '../../src/fleet/catalog';
import { importCatalog } from '../../src/fleet/catalog-import';
import { ENV } from '../util/harness';

describe('RepositoryFleet.importResourceMappings', () => {
  test('given a fleet over two shards and a registry stack, and an export where some of it runs, then one mapping per stack holding what runs, by identifier', () => {
    const app = new App();
    const names = ['team-a/api', 'team-a/web', 'team-b/api', 'team-b/new'];
    const fleet = new RepositoryFleet(app, 'Fleet', {
      env: ENV,
      maxResourcesPerStack: 10,
      repositories: [
        ...names.map((repositoryName) => ({ repositoryName, encryption: ImageEncryption.AES256 })),
        ...Array.from({ length: 12 }, (_, i) => ({ repositoryName: `svc-${String(i).padStart(2, '0')}`, encryption: ImageEncryption.AES256 })),
      ].map((r) => (r.repositoryName === 'team-a/api' ? { ...r, scanFrequency: ScanFrequency.CONTINUOUS_SCAN } : r)),
    });
    const live = RegistryExport.fromJson(JSON.stringify(registryExport(
      [...names.filter((n) => n !== 'team-b/new'), 'svc-00', 'not-in-the-fleet'].map((n) => exportedRepository(n)),
      { scanningConfiguration: { scanType: 'ENHANCED', rules: [] } },
    )));
    const mappings = fleet.importResourceMappings(live);
    const stackOf = (name: string) => fleet.stackOf(name);
    const logicalId = (name: string) => stackOf(name).getLogicalId((fleet as any).privateRepository(name).cfnRepository);
    const expected: Record<string, Record<string, unknown>> = {};
    for (const name of ['team-a/api', 'team-a/web', 'team-b/api', 'svc-00']) {
      (expected[stackOf(name).stackName] ??= {})[logicalId(name)] = { RepositoryName: name };
    }
    const registry = app.node.findChild('Fleet').node.findChild('Registry') as Stack;
    const scanning = registry.node.findAll().find((c) => (c as any).cfnResourceType === 'AWS::ECR::RegistryScanningConfiguration')!;
    expected[registry.stackName] = { [registry.getLogicalId(scanning as any)]: { RegistryId: ENV.account } };
    expect(Object.fromEntries(Object.entries(mappings).map(([k, v]) => [k, JSON.parse(v)]))).toEqual(expected);
    expect(Object.keys(mappings)).toHaveLength(3);
  });

  test('given a fleet of an imported catalog, then the registry stack\'s mapping names every registry resource that runs by its identifier, and leaves out the account settings (custom resources)', () => {
    const live = generateRegistryExport({ repositories: 20, seed: 23 });
    const imported = importCatalog(live, { source: 'export.json' });
    const catalog = RepositoryCatalog.fromText(imported.catalogText!, CatalogFormat.YAML, 'repositories.yaml');
    const app = new App();
    const env = { account: live.account, region: live.region };
    const fleet = new RepositoryFleet(app, 'Fleet', { repositories: catalog.repositories, registry: catalog.registry, env });
    const registry = fleet.node.findChild('Registry') as Stack;
    const mapping = JSON.parse(fleet.importResourceMappings(RegistryExport.fromJson(JSON.stringify(live)))[registry.stackName]);
    const byType = (type: string) => registry.node.findAll()
      .filter((c) => (c as any).cfnResourceType === type).map((c) => registry.getLogicalId(c as any));
    const identifiers = (type: string) => byType(type).map((id) => mapping[id]);
    expect(identifiers('AWS::ECR::PullThroughCacheRule')).toEqual(
      [...live.registry.pullThroughCacheRules!].map((r) => r.ecrRepositoryPrefix).sort().map((p) => ({ EcrRepositoryPrefix: p })));
    expect(identifiers('AWS::ECR::RepositoryCreationTemplate')).toEqual(
      [...live.registry.repositoryCreationTemplates!].map((t) => t.prefix).sort().map((p) => ({ Prefix: p })));
    expect(identifiers('AWS::ECR::PullTimeUpdateExclusion')).toEqual([...live.registry.pullTimeUpdateExclusions!].sort().map((p) => ({ PrincipalArn: p })));
    for (const type of ['AWS::ECR::SigningConfiguration', 'AWS::ECR::RegistryPolicy', 'AWS::ECR::ReplicationConfiguration', 'AWS::ECR::RegistryScanningConfiguration']) {
      expect(identifiers(type)).toEqual([{ RegistryId: live.account }]);
    }
    const settings = byType('Custom::EcrAccountSetting');
    expect(settings).toHaveLength(2);
    for (const id of settings) expect(mapping[id]).toBeUndefined();
  });
});
