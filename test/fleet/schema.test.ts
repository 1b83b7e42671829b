import { readFileSync } from 'fs';
import * as path from 'path';
import { CATALOG_KEYS } from '../../src/fleet/catalog';
import { REGISTRY_RESOURCE_KEYS } from '../../src/fleet/catalog-registry';
import { catalogJsonSchema } from '../../src/fleet/schema';
import { REPOSITORY_NAME_PATTERN } from '../../src/internal/ecr-facts';
import { MAX_INTEGER } from '../../src/lifecycle/validate';

const COMMITTED = path.join(__dirname, '..', '..', 'catalog.schema.json');

describe('catalog JSON Schema', () => {
  test('given the catalog reader, when the schema is generated, then it equals the committed catalog.schema.json (run `npx projen catalog:schema` to update it)', () => {
    expect(JSON.parse(readFileSync(COMMITTED, 'utf8'))).toEqual(catalogJsonSchema());
  });

  test('given the schema, then it lists exactly the keys the reader accepts', () => {
    const schema = catalogJsonSchema() as any;
    expect(Object.keys(schema.properties.repositories.items.properties).sort()).toEqual([...CATALOG_KEYS.entry].sort());
    expect(Object.keys(schema.properties).sort()).toEqual([...CATALOG_KEYS.top].sort());
  });

  test('given the registry block, then the schema lists exactly the keys the reader accepts, for the block, its pull-through cache rules and its creation templates', () => {
    const registry = (catalogJsonSchema() as any).properties.registry;
    expect(Object.keys(registry.properties).sort()).toEqual([...CATALOG_KEYS.registry].sort());
    expect(Object.keys(registry.properties.pullThroughCache.items.properties).sort()).toEqual([...REGISTRY_RESOURCE_KEYS.pullThroughCache].sort());
    expect(Object.keys(registry.properties.creationTemplates.items.properties).sort()).toEqual([...REGISTRY_RESOURCE_KEYS.creationTemplate].sort());
    expect(registry.properties.accountSettings.properties.REGISTRY_POLICY_SCOPE).toEqual({ enum: ['V2'] });
  });

  describe('as strict as the reader where a schema can say it', () => {
    const schema = catalogJsonSchema() as any;
    const entry = schema.properties.repositories.items.properties;
    const access = entry.access;
    const presets = Object.fromEntries(entry.lifecycle.oneOf[0].oneOf
      .filter((p: any) => p.properties.preset)
      .map((p: any) => [p.properties.preset.const, p.properties]));

    test('given organizationalUnits, pushOrganization or pushOrganizationalUnits, then the schema needs organization, as the reader does', () => {
      expect(access.dependencies).toEqual({ organizationalUnits: ['organization'], pushOrganization: ['organization'], pushOrganizationalUnits: ['organization'] });
    });

    test.each(['pullAccounts', 'pushAccounts', 'lambdaAccounts', 'organizationalUnits', 'pushOrganizationalUnits', 'pullPrincipalArns', 'pushPrincipalArns'])(
      'given an empty access.%s, which the reader refuses, then the schema needs at least one item', (key) => {
        expect(access.properties[key].minItems).toBe(1);
      });

    test.each(['keepLastReleases', 'protectTags'])('given %s with no patterns, which the reader refuses, then the schema needs at least one', (preset) => {
      expect(presets[preset].patterns.minItems).toBe(1);
    });

    test('given a repository name, then the schema holds it to ECR\'s own pattern from the model', () => {
      const name = entry.name;
      expect(name.pattern).toBe(REPOSITORY_NAME_PATTERN.source);
      const matches = (n: string) => new RegExp(name.pattern).test(n);
      expect(['team-a/api', 'a.b_c-d'].filter(matches)).toHaveLength(2);
      expect(['AB', 'a--b', 'a/', '/a'].filter(matches)).toEqual([]);
    });

    test('given counts and days, then the schema has the reader\'s maximum, and at least 90 days in the archive', () => {
      expect(presets.capTotal.count).toEqual({ type: 'integer', minimum: 1, maximum: MAX_INTEGER });
      expect(presets.keepLastReleases.count.maximum).toBe(MAX_INTEGER);
      expect(presets.expireUntagged.days.maximum).toBe(MAX_INTEGER);
      expect(presets.archiveUnpulled.deleteAfterArchivedDays).toEqual({ type: 'integer', minimum: 90, maximum: MAX_INTEGER });
    });

    test('given an account as a whole number, then the schema takes only 12 digits', () => {
      const account = access.properties.pullAccounts.items;
      const integer = account.oneOf.find((a: any) => a.type === 'integer');
      expect(integer).toEqual({ type: 'integer', minimum: 100000000000, maximum: 999999999999 });
      expect(entry.replication.items.properties.account).toEqual(account);
    });
  });
});

