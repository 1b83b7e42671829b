import { generateRegistryExport } from './fixture';
import { EXPORT_FORMAT } from '../../src/adopt/export-model';
import { repositoryProperties } from '../../src/adopt/mapping';

describe('generateRegistryExport', () => {
  test('given a seed, when generated twice, then the exports are equal; another seed gives another export', () => {
    const text = (seed: number) => JSON.stringify(generateRegistryExport({ repositories: 200, seed }));
    expect(text(7)).toBe(text(7));
    expect(text(8)).not.toBe(text(7));
  });

  test('given 1,000 repositories, when generated, then names are unique and sorted and every kind of setting occurs', () => {
    const file = generateRegistryExport({ repositories: 1000, seed: 1 });
    expect(file.format).toBe(EXPORT_FORMAT);
    const names = file.repositories.map((r) => r.repositoryName);
    expect(new Set(names).size).toBe(1000);
    expect([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(names);
    const kinds = new Set(file.repositories.map((r) => r.imageTagMutability));
    expect([...kinds].sort()).toEqual(['IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION', 'MUTABLE', 'MUTABLE_WITH_EXCLUSION']);
    expect(new Set(file.repositories.map((r) => r.encryptionConfiguration.kmsKey).filter((k) => k)).size).toBeGreaterThanOrEqual(4);
    expect(file.repositories.some((r) => r.encryptionConfiguration.encryptionType === 'AES256')).toBe(true);
    expect(file.repositories.some((r) => r.lifecyclePolicyText === undefined)).toBe(true);
    expect(file.repositories.some((r) => r.repositoryPolicyText?.includes('aws:PrincipalOrgID'))).toBe(true);
    expect(file.repositories.some((r) => r.repositoryPolicyText?.includes('arn:aws:iam::222222222222:root'))).toBe(true);
    expect(file.repositories.some((r) => r.imageScanningConfiguration?.scanOnPush === false)).toBe(true);
    expect(file.registry.replicationConfiguration!.rules).toHaveLength(3);
    expect(file.registry.scanningConfiguration!.scanType).toBe('ENHANCED');
    expect(file.registry.pullThroughCacheRules).toHaveLength(5);
    expect(file.registry.repositoryCreationTemplates!.length).toBeGreaterThan(0);
    // Every repository maps to CloudFormation properties.
    for (const r of file.repositories) expect(repositoryProperties(r).RepositoryName).toBe(r.repositoryName);
  });

  test('given openPolicies, when generated, then that many repositories allow * without a condition', () => {
    const file = generateRegistryExport({ repositories: 20, seed: 3, openPolicies: 2 });
    expect(file.repositories.filter((r) => r.repositoryPolicyText?.includes('"Principal":"*"') && !r.repositoryPolicyText.includes('Condition'))).toHaveLength(2);
  });
});
