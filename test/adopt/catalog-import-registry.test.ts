import { generateRegistryExport } from './fixture';
import { RegistryExportFile } from '../../src/adopt/export-model';
import { CatalogFormat, RepositoryCatalog } from '../../src/fleet/catalog';
import { importCatalog } from '../../src/fleet/catalog-import';

/*
 * catalog import of the registry settings besides replication, scanning and the registry policy: what it
 * writes, and what it says it cannot reproduce and why.
 */

function withRegistry(registry: Partial<RegistryExportFile['registry']>): RegistryExportFile {
  const base = generateRegistryExport({ repositories: 3, seed: 5 });
  return { ...base, registry: { ...base.registry, ...registry } };
}

describe('catalog import: registry settings', () => {
  test('given the fixture\'s registry, when imported, then the catalog reads back to the same settings, with nothing left out', () => {
    const result = importCatalog(withRegistry({}), { source: 'export.json' });
    expect(result.problems).toEqual([]);
    expect(result.notReproduced).toEqual([]);
    const read = RepositoryCatalog.fromText(result.catalogText!, CatalogFormat.YAML, 'repositories.yaml').registry!;
    expect(JSON.stringify(read.pullThroughCacheRules)).toBe(JSON.stringify(result.registry!.pullThroughCacheRules));
    expect(read.creationTemplates!.map((t) => [t.prefix, t.noCustomRole ?? false, t.customRoleArn, t.noLifecyclePolicy ?? false]))
      .toEqual([['ROOT', true, undefined, false], ['docker-hub', false, undefined, false], ['payments', false, 'arn:aws:iam::111111111111:role/ecr-creation-template', true]]);
    expect(read.accountSettings).toEqual({ basicScanTypeVersion: 'AWS_NATIVE', registryPolicyScope: 'V2' });
    expect(read.signingRules).toEqual(result.registry!.signingRules);
    expect(read.pullTimeUpdateExclusions).toEqual(result.registry!.pullTimeUpdateExclusions);
  });

  test('given a MANUAL scanning rule, an account setting ECR no longer sets and a template open to anyone, when imported, then each is named with why', () => {
    const result = importCatalog(withRegistry({
      scanningConfiguration: { scanType: 'BASIC', rules: [{ scanFrequency: 'MANUAL', repositoryFilters: [{ filter: 'legacy/*', filterType: 'WILDCARD' }] }] },
      accountSettings: { REGISTRY_POLICY_SCOPE: 'V1' },
      repositoryCreationTemplates: [{
        prefix: 'public',
        appliedFor: ['CREATE_ON_PUSH'],
        imageTagMutability: 'MUTABLE',
        repositoryPolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' }] }),
      }],
    }), { source: 'export.json' });
    expect(result.problems).toEqual([]);
    expect(result.notReproduced).toEqual([
      expect.stringMatching(/^the registry scanning rules of frequency MANUAL \(CloudFormation's AWS::ECR::RegistryScanningConfiguration takes SCAN_ON_PUSH and CONTINUOUS_SCAN only;/),
      expect.stringMatching(/^the repository policy of creation template 'public' as it runs is open .*acknowledge EcrCompliance-OpenAccess in the template/),
      'the account setting REGISTRY_POLICY_SCOPE V1 (ECR\'s PutAccountSetting no longer sets this value, so no template can hold it)',
    ]);
    expect(result.catalogText).not.toContain('accountSettings');
    // A template without encryption is AES256, ECR's default, spelt out and acknowledged.
    expect(result.registry!.creationTemplates![0].acknowledgements!.map((a) => a.id)).toEqual(['EcrCompliance-CustomerManagedKey']);
  });

  test('given a cache rule whose upstream URL names no supported upstream, or does not go with its upstreamRegistry, when imported, then nothing is written and each is named', () => {
    const result = importCatalog(withRegistry({
      pullThroughCacheRules: [
        { ecrRepositoryPrefix: 'quay', upstreamRegistryUrl: 'quay.io', upstreamRegistry: 'docker-hub' },
        { ecrRepositoryPrefix: 'mirror', upstreamRegistryUrl: 'registry.example.com' },
      ],
    }), { source: 'export.json' });
    expect(result.catalogText).toBeUndefined();
    expect(result.problems).toEqual([
      expect.stringMatching(/^export\.json: registry: pullThroughCacheRules\[1\] 'mirror': upstreamRegistryUrl 'registry\.example\.com' is the URL of no upstream registry/),
      'export.json: registry: pullThroughCacheRules[0] \'quay\': upstreamRegistry docker-hub does not go with the URL quay.io, which is quay\'s',
    ]);
  });
});
