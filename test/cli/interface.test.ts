import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { fakeIo } from './fake-io';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, main, writeFileAtomically } from '../../src/cli/main';
import { LifecyclePolicy } from '../../src/lifecycle';
import { cliBootstrapTemplate } from '../bootstrap/cli-template';

/*
 * What every command shares: "did you mean", the help of each command, --format json,
 * standard input with -, the exit codes and whole-file writes.
 */

const POLICY = LifecyclePolicy.recommended().toJson();
const BAD_POLICY = JSON.stringify({
  rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 0 }, action: { type: 'expire' } }],
});
const IMAGES = JSON.stringify({ imageDetails: [{ imageDigest: 'sha256:old', imagePushedAt: '2025-01-01T00:00:00Z' }] });
const CATALOG = 'repositories:\n  - name: team/api\n  - name: team/web\n';
const BAD_CATALOG = 'repositories:\n  - name: Bad\n  - name: ok\n    ownr: x\n';
const TEMPLATE = `${JSON.stringify(cliBootstrapTemplate(), null, 2)}\n`;

/** Runs the CLI expecting an exit code; returns the parsed JSON of stdout. */
function runJson(argv: string[], io: ReturnType<typeof fakeIo>, code: number): any {
  expect(main(argv, io)).toBe(code);
  return JSON.parse(io.out);
}

describe('did you mean', () => {
  test.each<[string, string[], string]>([
    ['a misspelt group', ['lifecyle', 'validate', '--policy', 'p.json'], 'unknown command "lifecyle"; did you mean "lifecycle"?'],
    ['a misspelt group of another kind', ['catalogue', 'validate'], 'unknown command "catalogue"; did you mean "catalog"?'],
    ['a command without its group', ['validate', '--policy', 'p.json'], 'unknown command "validate"; did you mean "lifecycle validate" or "catalog validate"?'],
    ['a misspelt lifecycle command', ['lifecycle', 'valdate', '--policy', 'p.json'], 'unknown command "lifecycle valdate"; did you mean "lifecycle validate"?'],
    ['a misspelt catalog command', ['catalog', 'plna', '--catalog', 'c.yaml'], 'unknown command "catalog plna"; did you mean "catalog plan"?'],
    ['a misspelt bootstrap command', ['bootstrap', 'hardn'], 'unknown command "bootstrap hardn"; did you mean "bootstrap harden"?'],
    ['a misspelt option', ['lifecycle', 'validate', '--polcy', 'p.json'], 'unknown option --polcy; did you mean --policy?'],
    ['a misspelt option with =', ['lifecycle', 'preview', '--policy', 'p.json', '--image=i.json'], 'unknown option --image; did you mean --images?'],
    ['a misspelt catalog option', ['catalog', 'plan', '--catalog', 'c.yaml', '--placment', 'p.json'], 'unknown option --placment; did you mean --placement?'],
    ['a misspelt flag', ['bootstrap', 'harden', '--template', 't.json', '--keep-aes'], 'unknown option --keep-aes; did you mean --keep-aes256?'],
    ['an option of another command', ['lifecycle', 'validate', '--policy', 'p.json', '--write'], '--write is an option of catalog plan, not of lifecycle validate'],
  ])('given %s, then it names the closest and exits 2', (_name, argv, message) => {
    const io = fakeIo({ 'p.json': POLICY });
    expect(main(argv, io)).toBe(EXIT_USAGE);
    expect(io.err.split('\n')[0]).toBe(`cdk-ecr-platform: ${message}`);
    expect(io.err).toContain('Usage:');
    expect(io.out).toBe('');
  });

  test.each<[string, string[], string]>([
    ['a command far from every command', ['deploy'], 'unknown command "deploy"'],
    ['an option far from every option', ['lifecycle', 'validate', '--policy', 'p.json', '--verbose'], 'unknown option --verbose'],
    ['the end-of-options marker', ['catalog', 'move', '--to', '2', '--placement', 'p.json', '--', 'aa'], 'unexpected argument "--" (no argument of these commands starts with -)'],
  ])('given %s, then it suggests nothing', (_name, argv, message) => {
    const io = fakeIo();
    expect(main(argv, io)).toBe(EXIT_USAGE);
    expect(io.err.split('\n')[0]).toBe(`cdk-ecr-platform: ${message}`);
  });

  test('given a misspelt option, then the usage printed is the command\'s own, with its options', () => {
    const io = fakeIo();
    expect(main(['catalog', 'move', 'a', '--too', '2', '--placement', 'p.json'], io)).toBe(EXIT_USAGE);
    expect(io.err).toContain('did you mean --to?');
    expect(io.err).toContain('Usage: cdk-ecr-platform catalog move NAME... --to SHARD --placement FILE');
    expect(io.err).not.toContain('lifecycle preview');
  });
});

describe('--help of each command', () => {
  const options: Record<string, string[]> = {
    'lifecycle validate': ['--policy FILE', '--format F'],
    'lifecycle preview': ['--policy FILE', '--images FILE', '--now TIME', '--format F'],
    'catalog validate': ['--catalog FILE', '--catalog-format F', '--format F'],
    'catalog plan': ['--catalog FILE', '--placement FILE', '--registry ACCOUNT', '--previous FILE', '--write', '--details', '--max-resources N', '--max-bytes N',
      '--live FILE', '--imported DIR', '--write-import-mappings DIR', '--fleet-id ID', '--catalog-format F', '--format F'],
    'catalog move': ['--to SHARD', '--placement FILE', '--format F'],
    'adopt plan': ['--assembly DIR', '--live FILE', '--imported DIR', '--write-import-mappings DIR', '--format F'],
    'bootstrap harden': ['--template FILE', '--out FILE', '--kms-key ARN', '--keep-aes256', '--untagged-days N', '--format F'],
  };
  const every = [...new Set(Object.values(options).flat().map((o) => o.split(' ')[0]))];

  test.each(Object.entries(options))('given %s --help, then it lists its options and no other, and exits 0', (command, own) => {
    const io = fakeIo();
    expect(main([...command.split(' '), '--help'], io)).toBe(EXIT_OK);
    expect(io.out).toMatch(new RegExp(`^Usage: cdk-ecr-platform ${command} `));
    const listed = io.out.split('Options:\n')[1].split('\n').map((line) => /^ {2}(-h, --help|--\S+(?: [A-Z]+)?)/.exec(line)?.[1]).filter((o) => o !== undefined);
    expect(listed).toEqual([...own, '-h, --help']);
    for (const other of every.filter((o) => !own.some((x) => x.split(' ')[0] === o))) expect(io.out).not.toContain(`${other} `);
  });

  test('given a group and --help, then it lists the group\'s commands', () => {
    const io = fakeIo();
    expect(main(['catalog', '-h'], io)).toBe(EXIT_OK);
    expect(io.out).toContain('cdk-ecr-platform catalog validate --catalog FILE');
    expect(io.out).toContain('cdk-ecr-platform catalog move NAME...');
    expect(io.out).not.toContain('lifecycle');
  });
});

describe('--format json', () => {
  test('given lifecycle validate of a valid policy on standard input, then the document says valid and it exits 0', () => {
    const io = fakeIo({}, POLICY);
    expect(runJson(['lifecycle', 'validate', '--policy', '-', '--format', 'json'], io, EXIT_OK)).toEqual({ file: 'stdin', valid: true, problems: [] });
    expect(io.err).toBe('');
  });

  test('given lifecycle validate of an invalid policy, then each problem names the file and the rule, and it exits 1', () => {
    const io = fakeIo({ 'p.json': BAD_POLICY });
    const doc = runJson(['lifecycle', 'validate', '--policy', 'p.json', '--format=json'], io, EXIT_INVALID);
    expect(doc).toEqual({
      file: 'p.json',
      valid: false,
      problems: LifecyclePolicy.validateJson(BAD_POLICY).map((message) => ({ file: 'p.json', line: null, column: null, rule: 'rules[0]', message })),
    });
    expect(doc.problems[0].message).toContain('countNumber 0 is not an integer of at least 1');
    expect(io.err).toBe('');
  });

  test('given lifecycle preview with --format json, then it prints get-lifecycle-policy-preview JSON', () => {
    const io = fakeIo({ 'p.json': POLICY }, IMAGES);
    const doc = runJson(['lifecycle', 'preview', '--policy', 'p.json', '--images', '-', '--now', '2025-03-01T00:00:00Z', '--format', 'json'], io, EXIT_OK);
    expect(doc.summary).toEqual({ expiringImageTotalCount: 1 });
    expect(doc.previewResults.map((r: any) => r.imageDigest)).toEqual(['sha256:old']);
  });

  test('given catalog validate of a valid catalog, then the document counts its repositories', () => {
    const io = fakeIo({ 'c.yaml': CATALOG });
    expect(runJson(['catalog', 'validate', '--catalog', 'c.yaml', '--format', 'json'], io, EXIT_OK)).toEqual({ file: 'c.yaml', valid: true, repositories: 2, problems: [], warnings: [] });
  });

  test('given catalog validate of an invalid catalog on standard input, then each problem has file, line, column, entry and message', () => {
    const io = fakeIo({}, BAD_CATALOG);
    const doc = runJson(['catalog', 'validate', '--catalog', '-', '--format', 'json'], io, EXIT_INVALID);
    expect(doc.file).toBe('stdin');
    expect(doc.valid).toBe(false);
    expect(doc.problems).toEqual([
      { file: 'stdin', line: 2, column: 11, rule: 'repositories[0]', message: expect.stringMatching(/^repositories\[0\] 'Bad': repositoryName 'Bad' breaks ECR's naming rule/) },
      { file: 'stdin', line: 4, column: 5, rule: 'repositories[1]', message: "repositories[1] 'ok': unknown key 'ownr': did you mean 'owner'?" },
    ]);
    expect(io.err).toBe('');
  });

  test('given catalog plan --write, then the document lists creations, removals, moves and shards, and the file is written', () => {
    const placement = JSON.stringify({ version: 1, shards: { Shard1: ['team/api', 'gone'], Shard2: [] } });
    const io = fakeIo({ 'c.yaml': CATALOG, 'p.json': placement, 'old.json': JSON.stringify({ version: 1, shards: { Shard2: ['team/api'] } }) });
    const doc = runJson(['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json', '--previous', 'old.json', '--write', '--max-resources', '50', '--format', 'json'], io, EXIT_OK);
    expect(doc).toEqual({
      catalog: 'c.yaml',
      placement: 'p.json',
      budget: { resources: 50, bytes: 800000 },
      summary: {
        create: 1,
        remove: 1,
        move: 1,
        stacks: [
          expect.objectContaining({ stack: 'Shard1', shard: 1, added: 1, removed: 1, movedIn: 1, movedOut: 0, repositories: 2 }),
          expect.objectContaining({ stack: 'Shard2', shard: 2, added: 0, removed: 0, movedIn: 0, movedOut: 1, repositories: 0 }),
        ],
        registry: null,
      },
      create: [{ name: 'team/web', shard: 1 }],
      remove: [{ name: 'gone', shard: 1 }],
      move: [{ name: 'team/api', from: 2, to: 1, keyHolder: null }],
      shards: [
        expect.objectContaining({ shard: 1, repositories: 2 }),
        expect.objectContaining({ shard: 2, repositories: 0 }),
      ],
      wrote: 'p.json',
    });
    for (const s of doc.shards) expect(s.headroom).toEqual({ resources: 50 - s.resources, bytes: 800000 - s.bytes });
    // each stack's summary has the use and headroom of its shard
    const use = ({ resources, bytes, headroom }: any) => ({ resources, bytes, headroom });
    expect(doc.summary.stacks.map(use)).toEqual(doc.shards.map(use));
    expect(JSON.parse(io.files['p.json']).shards).toEqual({ Shard1: ['team/api', 'team/web'], Shard2: [] });
  });

  test('given catalog plan of a placement with the registry stack, then the summary records it and the details stay without --details', () => {
    const io = fakeIo({ 'c.yaml': CATALOG, 'p.json': JSON.stringify({ version: 1, shards: { Shard1: ['team/api'] }, registry: true }) });
    const doc = runJson(['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json', '--format', 'json'], io, EXIT_OK);
    expect(doc.summary.registry).toEqual({ registryKey: false });
    expect(doc.create).toEqual([{ name: 'team/web', shard: 1 }]);
    expect(runJson(['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json', '--details', '--format', 'json'], fakeIo({ ...io.files }), EXIT_OK)).toEqual(doc);
  });

  test('given --detail for --details, then "did you mean" knows the option', () => {
    const io = fakeIo({ 'c.yaml': CATALOG });
    expect(main(['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json', '--detail'], io)).toBe(EXIT_USAGE);
    expect(io.err).toContain('unknown option --detail; did you mean --details?');
  });

  test('given catalog plan of an invalid catalog, then the problems are the document, it exits 1 and nothing is written', () => {
    const io = fakeIo({ 'c.yaml': BAD_CATALOG });
    const doc = runJson(['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json', '--write', '--format', 'json'], io, EXIT_INVALID);
    expect(doc.problems.map((p: any) => [p.file, p.line, p.column])).toEqual([['c.yaml', 2, 11], ['c.yaml', 4, 5]]);
    expect(io.files['p.json']).toBeUndefined();
  });

  test('given catalog move, then the document lists each move with the shard of its key', () => {
    const io = fakeIo({ 'p.json': JSON.stringify({ version: 1, shards: { Shard1: ['aa', 'bb'] } }) });
    expect(runJson(['catalog', 'move', 'aa', '--to', 'Shard2', '--placement', 'p.json', '--format', 'json'], io, EXIT_OK)).toEqual({
      placement: 'p.json',
      moved: [{ name: 'aa', from: 1, to: 2, keyHolder: 'Shard1' }],
    });
  });

  test('given bootstrap harden from standard input with --out, then the document lists the changes and the template is written', () => {
    const io = fakeIo({}, TEMPLATE);
    const doc = runJson(['bootstrap', 'harden', '--template', '-', '--out', 'h.json', '--format', 'json'], io, EXIT_OK);
    expect(doc).toEqual({ template: 'stdin', out: 'h.json', resource: 'ContainerAssetsRepository', changes: expect.arrayContaining(['scan on push: turned on']) });
    expect(JSON.parse(io.files['h.json']).Resources.ContainerAssetsRepository.Properties.ImageScanningConfiguration).toEqual({ ScanOnPush: true });
    expect(io.err).toBe('');
  });

  test.each<[string, string]>([
    ['YAML', 'Resources: {}\n'],
    ['a template that is not the bootstrap template', '{"Resources": {}}'],
  ])('given bootstrap harden of %s, then the problems are the document, it exits 1 and nothing is written', (_name, text) => {
    const io = fakeIo({ 't.json': text });
    const doc = runJson(['bootstrap', 'harden', '--template', 't.json', '--out', 'h.json', '--format', 'json'], io, EXIT_INVALID);
    expect(doc.valid).toBe(false);
    expect(doc.problems.length).toBeGreaterThan(0);
    for (const p of doc.problems) expect(p).toEqual({ file: 't.json', line: null, column: null, rule: null, message: expect.any(String) });
    expect(io.files['h.json']).toBeUndefined();
  });

  test.each<[string, string[], string]>([
    ['an unknown format', ['lifecycle', 'validate', '--policy', 'p.json', '--format', 'xml'], '--format "xml" must be text or json'],
    ['json for harden without --out', ['bootstrap', 'harden', '--template', 't.json', '--format', 'json'], '--format json prints the changes on standard output: give --out FILE'],
  ])('given %s, then it is a usage error (exit 2)', (_name, argv, message) => {
    const io = fakeIo({ 'p.json': POLICY, 't.json': TEMPLATE });
    expect(main(argv, io)).toBe(EXIT_USAGE);
    expect(io.err).toContain(`cdk-ecr-platform: ${message}`);
    expect(io.out).toBe('');
  });
});

describe('the catalog file', () => {
  test.each([['validate', []], ['plan', ['--placement', 'p.json']]])('given catalog %s with the positional FILE of earlier versions, then it still works with a one-line notice on stderr', (command, extra) => {
    const io = fakeIo({ 'c.yaml': CATALOG });
    expect(main(['catalog', command, 'c.yaml', ...extra], io)).toBe(EXIT_OK);
    expect(io.err).toBe(`cdk-ecr-platform: "catalog ${command} FILE" is deprecated: use "catalog ${command} --catalog FILE"\n`);
    expect(io.out).toContain(command === 'validate' ? 'valid (2 repositories)' : 'create 2');
  });

  test('given both --catalog and a positional file, then it is a usage error', () => {
    const io = fakeIo({ 'c.yaml': CATALOG });
    expect(main(['catalog', 'validate', '--catalog', 'c.yaml', 'other.yaml'], io)).toBe(EXIT_USAGE);
    expect(io.err).toContain('unexpected argument "other.yaml" (the catalog is --catalog c.yaml)');
  });
});

describe('whole files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cdk-ecr-platform-write-'));

  test('given an existing file, when written, then it holds the new text and no temporary file is left', () => {
    const file = path.join(dir, 'placement.json');
    writeFileSync(file, 'old');
    writeFileAtomically(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['placement.json']);
  });

  test('given a target that cannot be replaced, when written, then it throws and leaves nothing behind', () => {
    const target = path.join(dir, 'folder');
    mkdirSync(target);
    writeFileSync(path.join(target, 'inside'), 'x');
    expect(() => writeFileAtomically(target, 'text')).toThrow();
    expect(readdirSync(dir).sort()).toEqual(['folder', 'placement.json']);
  });

  test('given the CLI as a process, when a catalog on stdin is validated as JSON and a template hardened into a missing folder, then the exit codes are 1 and 2 and nothing is written', () => {
    const cli = path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
    const run = (args: string[], input: string) => spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', cli, ...args], {
      encoding: 'utf8', input, env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, '..', 'tsconfig.json') },
    });
    const invalid = run(['catalog', 'validate', '--catalog', '-', '--format', 'json'], BAD_CATALOG);
    expect(invalid.status).toBe(1);
    expect(JSON.parse(invalid.stdout).problems).toHaveLength(2);
    const out = path.join(dir, 'missing', 'hardened.json');
    const unwritable = run(['bootstrap', 'harden', '--template', '-', '--out', out, '--format', 'json'], TEMPLATE);
    expect(unwritable.status).toBe(2);
    expect(unwritable.stdout).toBe('');
    expect(unwritable.stderr).toContain(`cannot write ${out}`);
    expect(existsSync(path.dirname(out))).toBe(false);
  }, 60_000);
});
