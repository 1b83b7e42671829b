import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';
import * as ts from 'typescript';
import { importGraph, readSourceTree } from './import-graph';

/*
 * The settings handler runs in Lambda, apart from the library: esbuild bundles its entry
 * point (registry/account-settings.lambda.ts) and every module it reaches into one file,
 * with the AWS SDK v3 left to the Lambda runtime. So the modules it reaches import only
 * what that runtime has (Node.js built-ins and @aws-sdk/*), never aws-cdk-lib or
 * constructs, which would drag the CDK into the bundle or fail to load there. The entry
 * point only dispatches: each kind of resource has a module of its own, and no module of
 * the handler grows past 800 lines.
 */

const ROOT = path.join(__dirname, '..', '..');
const files = readSourceTree(path.join(ROOT, 'src'));
const graph = importGraph(files);
const ENTRY = 'registry/account-settings.lambda.ts';
const BUNDLE = path.join(ROOT, 'assets', 'registry', 'account-settings.lambda', 'index.js');

/** Every file the entry reaches through relative imports, the entry first. */
function reachedFrom(entry: string): string[] {
  const seen = [entry];
  for (let i = 0; i < seen.length; i++) {
    for (const next of graph.get(seen[i]) ?? []) if (!seen.includes(next)) seen.push(next);
  }
  return seen;
}

/** The packages a file imports (every specifier that is not relative). */
function packagesOf(file: string): string[] {
  return ts.preProcessFile(files.get(file)!, true, true).importedFiles.map((f) => f.fileName).filter((name) => !name.startsWith('.'));
}

/** Whether the Lambda Node.js runtime provides the package. */
function inRuntime(name: string): boolean {
  return name.startsWith('@aws-sdk/') || builtinModules.includes(name.replace(/^node:/, ''));
}

const handlerModules = reachedFrom(ENTRY);

describe('the settings handler', () => {
  test('given its entry point, then the checker sees one module per resource kind and the plumbing they share', () => {
    expect(handlerModules).toEqual(expect.arrayContaining([
      'registry/handler/inspector.ts', 'registry/handler/account-setting.ts',
      'registry/handler/delegated-admin.ts', 'registry/handler/organization.ts',
      'registry/handler/respond.ts', 'registry/handler/retry.ts', 'registry/handler/stack.ts', 'registry/handler/budget.ts',
    ]));
  });

  test('given every module the entry point reaches, then each imports only what the Lambda runtime has (never aws-cdk-lib or constructs)', () => {
    const outside = handlerModules.flatMap((file) => packagesOf(file).filter((name) => !inRuntime(name)).map((name) => `${file} imports ${name}`));
    expect(outside).toEqual([]);
  });

  test('given the entry point, then it only dispatches: every AWS call is made by the module of a resource kind', () => {
    expect(packagesOf(ENTRY)).toEqual([]);
    expect(graph.get(ENTRY)).toEqual(expect.arrayContaining([
      'registry/handler/inspector.ts', 'registry/handler/account-setting.ts',
      'registry/handler/delegated-admin.ts', 'registry/handler/organization.ts',
    ]));
  });

  test('given every module of the handler, then none is over 800 lines', () => {
    const long = handlerModules.map((file) => [file, files.get(file)!.split('\n').length] as const).filter(([, lines]) => lines > 800);
    expect(long).toEqual([]);
  });

  test('given the bundle (`npx projen bundle`), then it is one file that requires only the AWS SDK v3 and Node.js built-ins, and exports the handler', () => {
    expect(fs.readdirSync(path.dirname(BUNDLE))).toEqual(['index.js']);
    const text = fs.readFileSync(BUNDLE, 'utf-8');
    const required = [...new Set([...text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]))].sort();
    expect(required).toEqual(expect.arrayContaining(['@aws-sdk/client-cloudformation', '@aws-sdk/client-ecr', '@aws-sdk/client-inspector2']));
    expect(required.filter((name) => !inRuntime(name))).toEqual([]);
    expect(text).not.toMatch(/aws-cdk-lib|node_modules\/constructs/);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(typeof require(BUNDLE).handler).toBe('function');
  });
});
