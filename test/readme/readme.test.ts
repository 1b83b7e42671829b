import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { App, AppProps, CfnResource, Stack } from 'aws-cdk-lib';
import * as ts from 'typescript';
import { Fixture, FIXTURE_TYPES, makeFixture } from './fixture';
import { pages, ROOT } from './pages';
import * as lib from '../../src';
import { describeFindings, strictApp, synthesize, VALIDATE_FLAG } from '../util/harness';

/**
 * Every ```ts block of the README and of every page of docs/ is type-checked
 * against the library's source (one program for all blocks), run with a stack
 * as `this` and the fixture's names in scope, and synthesized with
 * CloudFormation validation, the library's pack and cdk-nag's four packs: the
 * examples are what users copy, so they pass what the README tells users to
 * run. Blocks with the same code (a front-page example repeated on its page)
 * are synthesized once.
 */

const PAGES = pages();
const README = PAGES.find((p) => p.file === 'README.md')!.text;

interface Block {
  /** Where the block is, `FILE:LINE` (every place, when several pages show the same code). */
  readonly where: string;
  readonly imports: string;
  readonly body: string;
  /** Fixture names the block uses and does not declare itself. */
  readonly fixture: string[];
  /** Library exports the block uses without importing them (imported by an earlier block of its page). */
  readonly implicit: string[];
}

const IMPORT = /^import\s[\s\S]*?from\s+'[^']+';[ \t]*$/gm;

function declared(code: string, name: string): boolean {
  return new RegExp(`(?:const|let|class|function)\\s+${name}\\b|import\\s+\\*\\s+as\\s+${name}\\b|import\\s*\\{[^}]*\\b${name}\\b[^}]*\\}`).test(code);
}

function blocks(): Block[] {
  const byCode = new Map<string, { where: string[]; code: string }>();
  for (const page of PAGES) {
    const re = /^```ts\n([\s\S]*?)^```$/gm;
    let m: RegExpExecArray | null;
    while ((m = re.exec(page.text)) !== null) {
      const where = `${page.file}:${page.text.slice(0, m.index).split('\n').length + 1}`;
      const seen = byCode.get(m[1]);
      if (seen) seen.where.push(where);
      else byCode.set(m[1], { where: [where], code: m[1] });
    }
  }
  return [...byCode.values()].map(({ where, code }) => {
    const imports = (code.match(IMPORT) ?? []).join('\n');
    const body = code.replace(IMPORT, '');
    const uses = (name: string) => new RegExp(`(?<![.\\w'])${name}\\b`).test(body);
    return {
      where: where.join(', '),
      imports,
      body,
      fixture: Object.keys(FIXTURE_TYPES).filter((n) => uses(n) && !declared(code, n)),
      implicit: Object.keys(lib).filter((n) => uses(n) && !declared(code, n)),
    };
  });
}

/** The module an example becomes: its imports, the implicit ones, and its body in a function whose `this` is a stack. */
function moduleOf(block: Block): string {
  const implicit = [...block.implicit];
  const extra = /(?<![.\w])subscriptions\./.test(block.body) && !declared(block.imports, 'subscriptions')
    ? "import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';\n" : '';
  return [
    block.imports,
    implicit.length > 0 ? `import { ${implicit.join(', ')} } from 'cdk-ecr-platform';` : '',
    extra,
    `declare function __fixture(): { ${block.fixture.map((n) => `${n}: ${FIXTURE_TYPES[n as keyof Fixture]}`).join('; ')} };`,
    "export function example(this: import('aws-cdk-lib').Stack): void {",
    block.fixture.length > 0 ? `  const { ${block.fixture.join(', ')} } = __fixture();` : '',
    block.body,
    '}',
  ].join('\n');
}

const BLOCKS = blocks();
const fileOf = (i: number) => path.join(ROOT, 'test', 'readme', `__readme_block_${i}.ts`);

describe('README and docs/ examples', () => {
  test('the README and the pages of docs/ have TypeScript examples', () => {
    expect(BLOCKS.length).toBeGreaterThanOrEqual(8);
    expect(BLOCKS.filter((b) => b.where.includes('README.md:')).length).toBeGreaterThanOrEqual(8);
    expect(BLOCKS.filter((b) => b.where.includes('docs/')).length).toBeGreaterThanOrEqual(8);
  });

  test('a "your first app" section goes from npm install to cdk synth with the checks on, on a supported toolchain', () => {
    const section = README.split('## Your first app')[1]?.split('\n## ')[0] ?? '';
    expect(section).toMatch(/npm install aws-cdk-lib constructs cdk-nag cdk-ecr-platform/);
    expect(section).toMatch(/typescript@~5\.9 ts-node@10/);
    expect(section).toMatch(/tsx/);
    expect(section).toMatch(/"@aws-cdk\/core:validateAgainstDefaultRules": true/);
    expect(section).toMatch(/npx cdk synth/);
    // The app of the section is a README example: it is type-checked and synthesized below.
    expect(BLOCKS.some((b) => /new App\(/.test(b.body) && /EcrComplianceChecks/.test(b.body) && section.includes(b.body.trim().split('\n')[0]))).toBe(true);
  });

  test('every example type-checks against the library', () => {
    const files = new Map(BLOCKS.map((b, i) => [fileOf(i), moduleOf(b)]));
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      esModuleInterop: true,
      types: [],
      lib: ['lib.es2022.d.ts'],
      baseUrl: ROOT,
      // the package's compiled lib/ is src/: a page may show a module of the package that the entry point does not export
      paths: { 'cdk-ecr-platform': ['src/index.ts'], 'cdk-ecr-platform/lib/*': ['src/*'] },
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    const readFile = host.readFile.bind(host);
    host.getSourceFile = (name, version, onError) => files.has(name)
      ? ts.createSourceFile(name, files.get(name)!, version) : getSourceFile(name, version, onError);
    host.fileExists = (name) => files.has(name) || fileExists(name);
    host.readFile = (name) => files.get(name) ?? readFile(name);
    const program = ts.createProgram([...files.keys()], options, host);
    const problems = ts.getPreEmitDiagnostics(program)
      .filter((d) => d.file && files.has(d.file.fileName))
      .map((d) => {
        const i = [...files.keys()].indexOf(d.file!.fileName);
        return `block at ${BLOCKS[i].where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}\n${files.get(d.file!.fileName)}`;
      });
    expect(problems).toEqual([]);
  });

  test.each(BLOCKS.map((b) => [b.where, b] as const))('the example at %s synthesizes with no CloudFormation or cdk-nag finding', (_where, block) => {
    const code = ts.transpileModule(moduleOf(block), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    const app = strictApp();
    const region = /PublicRepository\(/.test(block.body) ? 'us-east-1' : 'eu-west-1';
    const stack = new Stack(app, 'Example', { env: { account: '111111111111', region } });
    const fixture = makeFixture(stack, block.fixture);
    // An example that makes its own App (a whole program) gets one that synthesizes with the checks too.
    const apps: App[] = [app];
    class ExampleApp extends App {
      constructor(props: AppProps = {}) {
        super({ ...props, outdir: strictApp().outdir, context: { [VALIDATE_FLAG]: true, ...(props.context ?? {}) } });
        apps.push(this);
      }
    }
    const cdkForExamples = { ...cdk, App: ExampleApp };
    const exports: { example?: (this: Stack) => void } = {};
    const load = (name: string) => (name === 'cdk-ecr-platform' ? lib : name === 'aws-cdk-lib' ? cdkForExamples
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      : require(name.startsWith('cdk-ecr-platform/lib/') ? path.join(ROOT, 'src', name.slice('cdk-ecr-platform/lib/'.length)) : name));
    new Function('exports', 'require', '__fixture', code)(exports, load, () => fixture);
    exports.example!.call(stack);
    // Apps with no resource (lifecycle models, the pack's setup) are type-checked and run only.
    const built = apps.filter((a) => a.node.findAll().some((c) => CfnResource.isCfnResource(c)));
    for (const a of built) {
      const result = synthesize(a, { nag: true });
      expect(describeFindings([...result.cfnFindings, ...result.nagFindings])).toBe('');
    }
  });
});
