import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/*
 * The import graph of a TypeScript source tree, and its cycles.
 *
 * Every `import ... from`, `export ... from`, `import type`, `import('...')` and
 * `require('...')` with a relative specifier is an edge, type-only imports included: a
 * type-only cycle is erased at run time but still ties two modules together.
 */

/** Files by path relative to the root (forward slashes), with their text. */
export type SourceFiles = Map<string, string>;

/** Edges by file: the files it imports, relative to the same root. */
export type ImportGraph = Map<string, string[]>;

/** Every .ts file under `root` (not .d.ts), relative to root with forward slashes. */
export function readSourceTree(root: string): SourceFiles {
  const files: SourceFiles = new Map();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        files.set(path.relative(root, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf-8'));
      }
    }
  };
  walk(root);
  return files;
}

/**
 * The file a relative specifier of `from` names: `x.ts`, else `x/index.ts`. Undefined when
 * the specifier leaves the tree or names no source file (a JSON file, an asset).
 */
function resolve(files: SourceFiles, from: string, specifier: string): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  if (base.startsWith('..')) return undefined;
  const stripped = base.replace(/\.js$/, '');
  for (const candidate of [stripped, `${stripped}.ts`, `${stripped}/index.ts`]) {
    if (files.has(candidate) && candidate.endsWith('.ts')) return candidate;
  }
  return undefined;
}

/** The file-level import graph of the files (relative specifiers only). */
export function importGraph(files: SourceFiles): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const [file, text] of files) {
    const info = ts.preProcessFile(text, true, true);
    const targets = new Set<string>();
    for (const imported of info.importedFiles) {
      if (!imported.fileName.startsWith('.')) continue;
      const target = resolve(files, file, imported.fileName);
      if (target === undefined) {
        throw new Error(`${file} imports '${imported.fileName}', which names no source file under the root`);
      }
      targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/**
 * The folder a file belongs to: its first path segment (`repository/access.ts` is in
 * `repository`). A file at the root is its own node (`region-options.ts`).
 */
export function folderOf(file: string): string {
  const slash = file.indexOf('/');
  return slash < 0 ? file : file.slice(0, slash);
}

/**
 * The folder-level graph: an edge A -> B when a file of A imports a file of B (A != B).
 * The files named in `skip` (such as the root `index.ts`, which re-exports every folder)
 * take no part.
 */
export function folderGraph(graph: ImportGraph, skip: string[] = []): ImportGraph {
  const folders = new Map<string, Set<string>>();
  for (const [file, targets] of graph) {
    if (skip.includes(file)) continue;
    const from = folderOf(file);
    const edges = folders.get(from) ?? new Set<string>();
    folders.set(from, edges);
    for (const target of targets) {
      if (skip.includes(target)) continue;
      const to = folderOf(target);
      if (to !== from) edges.add(to);
    }
  }
  return new Map([...folders].map(([folder, edges]) => [folder, [...edges].sort()]));
}

/**
 * Every cycle of the graph, one per strongly connected component of more than one node
 * (or a node importing itself), each written as a path that returns to its start, for
 * example `['a.ts', 'b.ts', 'a.ts']`. Empty when the graph is acyclic.
 */
export function cycles(graph: ImportGraph): string[][] {
  // Tarjan's strongly connected components (recursive: the graphs here are small)
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const edgesOf = (node: string) => graph.get(node) ?? [];

  const connect = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of edgesOf(node)) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || edgesOf(node).includes(node)) components.push(component);
    }
  };
  for (const node of [...graph.keys()].sort()) {
    if (!index.has(node)) connect(node);
  }
  return components.map((component) => cycleThrough(graph, new Set(component)));
}

/** One cycle through the smallest node of a strongly connected component (breadth first). */
function cycleThrough(graph: ImportGraph, component: Set<string>): string[] {
  const start = [...component].sort()[0];
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of graph.get(node) ?? []) {
      if (!component.has(next)) continue;
      if (next === start) {
        const walk = [start];
        for (let at = node; at !== start; at = previous.get(at)!) walk.splice(1, 0, at);
        return [...walk, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}
