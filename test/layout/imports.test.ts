import * as path from 'path';
import { cycles, folderGraph, importGraph, readSourceTree, SourceFiles } from './import-graph';

/*
 * The modules of src/ depend on each other one way only: no file imports a file that
 * (through any chain) imports it back, and no top-level folder of src/ imports a folder
 * that imports it back. A cycle makes the load order decide which module sees the other's
 * exports as undefined, and ties folders together that should be read on their own.
 */

const SRC = path.join(__dirname, '..', '..', 'src');

function describeCycles(found: string[][]): string {
  return found.map((cycle) => cycle.join(' -> ')).join('\n');
}

describe('the import graph checker', () => {
  const files = (entries: Record<string, string>): SourceFiles => new Map(Object.entries(entries));

  test('given two files that import each other (one through export ... from), then it reports the cycle', () => {
    const graph = importGraph(files({
      'a/one.ts': "import { two } from './two';\nexport const one = two;",
      'a/two.ts': "export * from './one';\nexport const two = 2;",
    }));
    expect(cycles(graph)).toEqual([['a/one.ts', 'a/two.ts', 'a/one.ts']]);
  });

  test('given a longer cycle through an index file and a type-only import, then it reports every file on it', () => {
    const graph = importGraph(files({
      'a/index.ts': "export * from './one';",
      'a/one.ts': "import type { Three } from '../b/three';\nexport type One = Three;",
      'b/three.ts': "import { One } from '../a';\nexport type Three = One | number;",
    }));
    expect(cycles(graph)).toEqual([['a/index.ts', 'a/one.ts', 'b/three.ts', 'a/index.ts']]);
  });

  test('given folders that import each other through different files, then the folder graph has a cycle and the file graph none', () => {
    const graph = importGraph(files({
      'repository/enums.ts': 'export enum E { A = "a" }',
      'repository/repo.ts': "import { T } from '../registry/template';\nexport const r = T;",
      'registry/template.ts': "import { E } from '../repository/enums';\nexport const T = E.A;",
    }));
    expect(cycles(graph)).toEqual([]);
    expect(cycles(folderGraph(graph))).toEqual([['registry', 'repository', 'registry']]);
  });

  test('given an acyclic tree with a root index re-exporting every folder, then it reports nothing', () => {
    const graph = importGraph(files({
      'index.ts': "export * from './a';\nexport * from './b';",
      'a/index.ts': "export * from './x';",
      'a/x.ts': "import { y } from '../b/y';\nimport * as fs from 'fs';\nexport const x = y + fs.sep;",
      'b/index.ts': "export * from './y';",
      'b/y.ts': 'export const y = 1;',
    }));
    expect(cycles(graph)).toEqual([]);
    expect(cycles(folderGraph(graph, ['index.ts']))).toEqual([]);
  });

  test('given a relative import of a file that does not exist, then it says so rather than miss an edge', () => {
    expect(() => importGraph(files({ 'a.ts': "import { b } from './b';" }))).toThrow(/a.ts imports '.\/b'/);
  });
});

describe('src/', () => {
  const graph = importGraph(readSourceTree(SRC));

  test('the checker sees the whole library (every folder and the files that tie them together)', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('index.ts')).toEqual(expect.arrayContaining(['lifecycle/index.ts', 'repository/index.ts', 'registry/index.ts']));
  });

  test('has no file-level import cycle', () => {
    expect(describeCycles(cycles(graph))).toBe('');
  });

  test('has no folder-level import cycle between its top-level folders', () => {
    expect(describeCycles(cycles(folderGraph(graph, ['index.ts'])))).toBe('');
  });

  test('a catalog entry travels one way, file -> catalog -> model -> fleet -> template: only the catalog side and the command line import the catalog reader', () => {
    const CATALOG_SIDE = ['fleet/catalog.ts', 'fleet/schema.ts', 'fleet/verdicts.ts', 'fleet/index.ts'];
    const importers = [...graph.entries()]
      .filter(([file, imports]) => imports.includes('fleet/catalog.ts') && !CATALOG_SIDE.includes(file) && !file.startsWith('cli/'))
      .map(([file]) => file);
    expect(importers).toEqual([]);
    expect(graph.get('fleet/fleet.ts')).toContain('fleet/model.ts');
  });
});
