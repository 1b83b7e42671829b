import * as fc from 'fast-check';
import { generateRegistryExport } from './fixture';
import { CatalogFormat, readCatalog } from '../../src/fleet/catalog';
import { importCatalog } from '../../src/fleet/catalog-import';
import { fleetItem } from '../../src/fleet/fleet';
import { FUZZ_RUNS } from '../util/fuzz';

/** Values ECR never returns, or that a catalog cannot hold, for fields of a repository. */
const BAD_VALUES: Record<string, unknown[]> = {
  imageTagMutability: ['IMMUTABLE_WITH_EXCLUSION', 'SOMETIMES', undefined, 7],
  encryptionConfiguration: [{ encryptionType: 'KMS' }, { encryptionType: 'KMS_DSSE', kmsKey: 'arn:aws:kms:eu-west-1:111111111111:key/a' }, { encryptionType: 'ROT13' },
    { encryptionType: 'KMS', kmsKey: 'arn:aws:kms:us-east-1:111111111111:key/a' }, { encryptionType: 'KMS', kmsKey: 'alias/aws/ecr' }],
  lifecyclePolicyText: ['{"rules":[]}', 'not json', '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}'],
  repositoryPolicyText: ['{"Statement":[]}', '[]', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"ecr:*"}}', '{'],
  tags: [[{ Key: 'aws:x', Value: 'y' }], [{ Key: 'k', Value: '' }], [{ Key: 'owner', Value: 'a' }], []],
  imageScanningConfiguration: [undefined, { scanOnPush: true }],
};

describe('catalog import (property)', () => {
  test('given random realistic exports, when imported, then the catalog reads back without a problem into the same repositories, placed the same', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 60 }), (seed, size) => {
      const registryExport = generateRegistryExport({ repositories: size, seed });
      const result = importCatalog(registryExport, { source: 'export.json' });
      expect(result.problems).toEqual([]);
      const read = readCatalog(result.catalogText!, CatalogFormat.YAML, 'repositories.yaml');
      expect(read.problems).toEqual([]);
      expect(read.repositories.map(fleetItem)).toEqual(result.repositories.map(fleetItem));
      expect(read.repositories.map((r) => r.repositoryName)).toEqual(registryExport.repositories.map((r) => r.repositoryName));
    }), { numRuns: FUZZ_RUNS });
  });

  test('given random realistic exports, when imported with and without controlTower, then each repository that fails a Control Tower control is acknowledged for it, or written to comply, and both catalogs read back', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 40 }), (seed, size) => {
      const registryExport = generateRegistryExport({ repositories: size, seed });
      const kept = importCatalog(registryExport, { source: 'export.json' });
      const changed = importCatalog(registryExport, { source: 'export.json', controlTower: true });
      const controls = (list: typeof kept.controlTower) => list.map((c) => [c.repositoryName, c.controls.map((x) => x.control)]);
      expect(controls(changed.controlTower)).toEqual(controls(kept.controlTower));
      const keptRead = readCatalog(kept.catalogText!, CatalogFormat.YAML, 'kept.yaml');
      const changedRead = readCatalog(changed.catalogText!, CatalogFormat.YAML, 'changed.yaml');
      expect([...keptRead.problems, ...changedRead.problems]).toEqual([]);
      const failing = new Map(kept.controlTower.map((c) => [c.repositoryName, c.controls.map((x) => x.control).sort()]));
      keptRead.repositories.forEach((r) => {
        const acknowledged = (r.acknowledgements ?? []).map((a) => a.id).filter((id) => id.startsWith('CT.')).sort();
        expect(acknowledged).toEqual(failing.get(r.repositoryName) ?? []);
      });
      changedRead.repositories.forEach((r) => {
        expect((r.acknowledgements ?? []).filter((a) => a.id.startsWith('CT.') || a.id.startsWith('EcrCompliance-ControlTower'))).toEqual([]);
        expect(r.imageTagMutability ?? 'IMMUTABLE').toBe('IMMUTABLE');
        expect(r.imageTagMutabilityExclusions).toBeUndefined();
        expect(r.imageScanOnPush ?? true).toBe(true);
        expect(r.noLifecyclePolicy).toBeUndefined();
      });
    }), { numRuns: FUZZ_RUNS });
  });

  test('given exports with random fields replaced by values ECR never returns or a catalog cannot hold, when imported, then it never throws, and either lists problems and no files, or writes a catalog that reads back (open policies refused)', () => {
    const edit = fc.record({ at: fc.nat(), field: fc.constantFrom(...Object.keys(BAD_VALUES)), pick: fc.nat() });
    fc.assert(fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(edit, { maxLength: 4 }), (seed, edits) => {
      const registryExport = generateRegistryExport({ repositories: 8, seed });
      const repositories: any[] = registryExport.repositories.map((r) => ({ ...r }));
      for (const e of edits) {
        const values = BAD_VALUES[e.field];
        repositories[e.at % repositories.length][e.field] = values[e.pick % values.length];
      }
      const result = importCatalog({ ...registryExport, repositories }, { source: 'export.json' });
      if (result.problems.length > 0) {
        expect(result.catalogText).toBeUndefined();
        expect(result.placementText).toBeUndefined();
        for (const p of result.problems) expect(p).toMatch(/^export\.json: (repository '[^']*': )?\S/);
        return;
      }
      const read = readCatalog(result.catalogText!, CatalogFormat.YAML, 'repositories.yaml');
      const open = new Set(result.openPolicies.map((o) => o.repositoryName));
      for (const p of read.problems) expect(p).toMatch(/repositoryPolicy: policy statement .* allows the '\*' principal/);
      expect(new Set(read.problems.map((p) => /'([^']+)': repositoryPolicy/.exec(p)![1]))).toEqual(open);
    }), { numRuns: FUZZ_RUNS * 2 });
  });
});
