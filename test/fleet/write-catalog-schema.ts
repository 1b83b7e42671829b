/** Writes catalog.schema.json from the catalog reader (`npx projen catalog:schema`). */
import { writeFileSync } from 'fs';
import * as path from 'path';
import { catalogJsonSchema } from '../../src/fleet/schema';

writeFileSync(path.join(__dirname, '..', '..', 'catalog.schema.json'), `${JSON.stringify(catalogJsonSchema(), null, 2)}\n`);
