import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/*
 * The public API as jsii languages see it, read from src/index.ts with the TypeScript
 * compiler:
 * - Every exported name is declared in public-names.txt: the API 1.0 promises.
 * - jsii drops free functions, so a capability offered only as a function would be missing
 *   from Python, Java, .NET and Go: the package exports none, and nothing internal.
 * - No public type tags: which factory made a value is the library's business, asked
 *   through internal getters, never a public string users could branch on.
 */

const INDEX = path.join(__dirname, '..', '..', 'src', 'index.ts');

const program = ts.createProgram([INDEX], {
  target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, skipLibCheck: true, noEmit: true,
});
const checker = program.getTypeChecker();

/** Whether a symbol or declaration carries a flag (flags are bit sets). */
function has(flags: number, flag: number): boolean {
  // eslint-disable-next-line no-bitwise
  return (flags & flag) !== 0;
}

const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(INDEX)!)!)
  .map((symbol) => (has(symbol.flags, ts.SymbolFlags.Alias) ? checker.getAliasedSymbol(symbol) : symbol));

function tags(symbol: ts.Symbol): string[] {
  return symbol.getJsDocTags(checker).map((tag) => tag.name);
}

function isHidden(node: ts.Declaration): boolean {
  const flags = ts.getCombinedModifierFlags(node);
  return has(flags, ts.ModifierFlags.Private) || has(flags, ts.ModifierFlags.Protected);
}

/** Public members of a class (instance and static) that are not internal: what jsii publishes. */
function publicMembers(symbol: ts.Symbol): string[] {
  const declaration = symbol.valueDeclaration as ts.ClassDeclaration;
  const members = declaration.members
    .filter((member) => member.name !== undefined && !ts.isConstructorDeclaration(member))
    .filter((member) => !isHidden(member) && !ts.isPrivateIdentifier(member.name!))
    .map((member) => member.name!.getText());
  // constructor parameters that are properties: `public x`, or `readonly x` without private/protected
  const parameterProperties = declaration.members.filter(ts.isConstructorDeclaration)
    .flatMap((ctor) => ctor.parameters.filter((p) => ts.isParameterPropertyDeclaration(p, ctor) && !isHidden(p)))
    .map((p) => p.name.getText());
  return [...members, ...parameterProperties].filter((name) => !name.startsWith('_'));
}

/**
 * Every name the package exports, one a line: the public API that 1.0 promises. A new
 * export must be added here on purpose, and a name that leaves is a breaking change
 * (see the upgrade notes, docs/upgrading.md).
 */
const PUBLIC_NAMES_FILE = path.join(__dirname, 'public-names.txt');
const declaredNames = () => fs.readFileSync(PUBLIC_NAMES_FILE, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

const classes = exported.filter((symbol) => has(symbol.flags, ts.SymbolFlags.Class));
const functions = exported.filter((symbol) => has(symbol.flags, ts.SymbolFlags.Function));

describe('the public API', () => {
  test('the checker reads the whole index (classes, interfaces and enums)', () => {
    expect(classes.map((c) => c.name)).toEqual(expect.arrayContaining(['LifecyclePolicy', 'PrivateRepository', 'RepositoryAccess', 'Registry']));
  });

  test('every name the package exports is declared in test/layout/public-names.txt, and every declared name is exported', () => {
    expect(exported.map((symbol) => symbol.name).sort()).toEqual(declaredNames().sort());
  });

  test('nothing internal leaks from the package: no export is @internal, and no function is exported (jsii drops free functions)', () => {
    expect(exported.filter((symbol) => tags(symbol).includes('internal')).map((symbol) => symbol.name)).toEqual([]);
    expect(functions.map((f) => f.name)).toEqual([]);
  });

  test('nothing in src/ is deprecated: the package has never been released, so what 1.0 does not keep is removed', () => {
    const deprecated: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (entry.name.endsWith('.ts') && /@deprecated\b/.test(fs.readFileSync(file, 'utf8'))) deprecated.push(path.relative(path.dirname(INDEX), file));
      }
    };
    walk(path.dirname(INDEX));
    expect(deprecated).toEqual([]);
  });

  test('lifecycle validation is a static method of LifecyclePolicy, which every jsii language can call', () => {
    const policy = classes.find((c) => c.name === 'LifecyclePolicy')!;
    expect(publicMembers(policy)).toEqual(expect.arrayContaining(['validateRules', 'validateJson', 'validate']));
  });

  test('no exported class has a public type tag (a member named kind)', () => {
    const tagged = classes.filter((c) => publicMembers(c).includes('kind')).map((c) => c.name);
    expect(tagged).toEqual([]);
  });

  test('PrivateRepository names the registry scanning mechanism apart from the imageScanOnPush property (no scanOnPush() method)', () => {
    const repository = classes.find((c) => c.name === 'PrivateRepository')!;
    expect(publicMembers(repository)).toContain('addToRegistryScanning');
    expect(publicMembers(repository)).not.toEqual(expect.arrayContaining(['scanOnPush']));
    expect(publicMembers(repository)).not.toEqual(expect.arrayContaining(['scanContinuously']));
  });

  test('RepositoryAccess publishes its factories only: its statements and its kind are internal', () => {
    const access = classes.find((c) => c.name === 'RepositoryAccess')!;
    expect(publicMembers(access).sort()).toEqual(['fromStatement', 'pullFromAccounts', 'pullFromLambda', 'pullFromOrganization', 'pullFromOrganizationalUnits', 'pullFromPrincipalArns', 'pushFromAccounts', 'pushFromOrganization', 'pushFromOrganizationalUnits', 'pushFromPrincipalArns'].sort());
  });
});
