import { readFileSync } from 'fs';
import * as path from 'path';
import { CATALOG_KEYS } from '../../src/fleet/catalog';
import { catalogJsonSchema } from '../../src/fleet/schema';

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
});
