import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { readSourceTree } from './import-graph';

/*
 * Why cdk-nag is a required peer dependency and not an optional one (see .projenrc.ts and
 * docs/compliance.md), checked so that the reasons and the package agree:
 * the compliance pack's public types are cdk-nag's, and the entry point loads the pack.
 * Only the pack imports cdk-nag, so the rest of the library loads without it.
 */

const ROOT = path.join(__dirname, '..', '..');
const files = readSourceTree(path.join(ROOT, 'src'));
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8'));

function importsCdkNag(text: string): boolean {
  return ts.preProcessFile(text, true, true).importedFiles.some((f) => f.fileName === 'cdk-nag' || f.fileName.startsWith('cdk-nag/'));
}

describe('cdk-nag', () => {
  test('only the compliance pack (src/compliance/) imports it', () => {
    const importers = [...files].filter(([, text]) => importsCdkNag(text)).map(([file]) => file);
    expect(importers).toContain('compliance/pack.ts');
    expect(importers.filter((file) => !file.startsWith('compliance/'))).toEqual([]);
  });

  test('the pack publishes cdk-nag types (a NagPack with NagPackProps), so jsii packages depend on cdk-nag', () => {
    const pack = files.get('compliance/pack.ts')!;
    expect(pack).toMatch(/export class EcrComplianceChecks extends NagPack\b/);
    expect(pack).toMatch(/export interface EcrComplianceChecksProps extends NagPackProps\b/);
  });

  test('is a required peer: listed in peerDependencies, not optional', () => {
    expect(pkg.peerDependencies['cdk-nag']).toMatch(/^\^3\./);
    expect(pkg.peerDependenciesMeta?.['cdk-nag']?.optional).not.toBe(true);
  });

  test('given an app without cdk-nag, then the entry point fails to load (the pack is loaded with it), and the modules other than the pack load', () => {
    jest.isolateModules(() => {
      jest.doMock('cdk-nag', () => { throw new Error('Cannot find module \'cdk-nag\''); });
      for (const folder of ['repository', 'registry', 'lifecycle', 'pull-through-cache', 'scanning', 'signing', 'organization', 'fleet', 'operations']) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        expect(() => require(`../../src/${folder}`)).not.toThrow();
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      expect(() => require('../../src')).toThrow(/cdk-nag/);
    });
  });
});
