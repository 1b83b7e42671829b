import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { fakeIo } from './fake-io';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, main, packageVersion } from '../../src/cli/main';
import { LifecyclePolicy } from '../../src/lifecycle';

/** An in-memory CLI environment: files by name, stdin text, captured output. */
const VALID = LifecyclePolicy.recommended().toJson();
const INVALID = JSON.stringify({
  rules: [
    { rulePriority: 1, description: 'cap', selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 0 }, action: { type: 'expire' } },
    { rulePriority: 2, selection: { tagStatus: 'tagged', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 3 }, action: { type: 'expire' } },
  ],
});
const IMAGES = JSON.stringify({
  imageDetails: [
    { imageDigest: 'sha256:old', imagePushedAt: '2025-01-01T00:00:00Z' },
    { imageDigest: 'sha256:new', imagePushedAt: '2025-01-30T00:00:00Z' },
    { imageDigest: 'sha256:tagged', imageTags: ['v1'], imagePushedAt: 1735689600 },
  ],
});

describe('cdk-ecr-platform lifecycle validate', () => {
  test('given a valid policy, when validated, then it prints "valid" and exits 0', () => {
    const io = fakeIo({ 'policy.json': VALID });
    expect(main(['lifecycle', 'validate', '--policy', 'policy.json'], io)).toBe(EXIT_OK);
    expect(io.out).toBe('valid\n');
    expect(io.err).toBe('');
  });

  test('given an invalid policy, when validated, then every problem goes to stderr and it exits 1', () => {
    const io = fakeIo({ 'policy.json': INVALID });
    expect(main(['lifecycle', 'validate', '--policy=policy.json'], io)).toBe(EXIT_INVALID);
    expect(io.out).toBe('');
    expect(io.err).toContain('Lifecycle policy is invalid (4 problems):');
    expect(io.err).toContain('- rules[0] (rulePriority 1, "cap"): countNumber 0 is not an integer of at least 1');
    expect(io.err).toContain('- rules[0] (rulePriority 1, "cap"): an "any" rule must have the highest rulePriority');
    expect(io.err).toContain('- rules[1] (rulePriority 2): a tagged rule needs a tagPatternList or a tagPrefixList');
    expect(io.err).toContain('- rules[1] (rulePriority 2): sinceImagePulled rules can only transition');
  });

  test('given structural and semantic problems, when validated once, then every problem is listed, each rule named by position and priority', () => {
    const policy = JSON.stringify({
      rules: [
        { rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 0 }, action: { type: 'expire' } },
        { rulePriority: 1, selection: { tagStatus: 'tagged', tagPatternList: ['v*'], countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } },
        { rulePriority: 3, selection: { tagStatus: 'all', countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' }, enabled: true },
        { rulePriority: 3, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 9 }, action: { type: 'expire' } },
      ],
    });
    const io = fakeIo({ 'policy.json': policy });
    expect(main(['lifecycle', 'validate', '--policy', 'policy.json'], io)).toBe(EXIT_INVALID);
    const lines = io.err.split('\n').filter((line) => line.startsWith('- '));
    expect(lines).toEqual([
      '- unknown key "enabled" in rules[2] (allowed: rulePriority, description, selection, action)',
      '- rules[2].selection.tagStatus must be one of "tagged", "untagged", "any", got string "all"',
      '- rules[0] (rulePriority 1): countNumber 0 is not an integer of at least 1; use a whole number from 1 to 2147483647.',
      expect.stringMatching(/^- rules\[1\] \(rulePriority 1\): rulePriority 1 is also used by rules\[0\] \(rulePriority 1\); /),
      expect.stringMatching(/^- rules\[3\] \(rulePriority 3\): rulePriority 3 is also used by rules\[2\] \(rulePriority 3\); /),
    ]);
    expect(io.err).toContain('Lifecycle policy is invalid (5 problems):');
    // LifecyclePolicy.validateJson gives the same list
    expect(LifecyclePolicy.validateJson(policy).map((problem) => `- ${problem}`)).toEqual(lines);
  });

  test.each<[string, string, string]>([
    ['text that is not JSON', '{"rules": [', 'Lifecycle policy is not valid JSON'],
    ['an unknown top-level key', '{"rules":[],"extra":1}', 'unknown key "extra" at the top level'],
    ['a JSON array', '[1, 2]', 'Lifecycle policy must be a JSON object with a "rules" array, got an array'],
    ['rules that are not a list', '{"rules":{}}', '"rules" must be an array'],
    ['a rule of the wrong shape', '{"rules":[{"rulePriority":1,"selection":"any"}]}', 'rules[0].selection must be an object'],
  ])('given a readable file holding %s, when validated, then the policy is invalid: the problem is listed and it exits 1', (_name, text, message) => {
    const io = fakeIo({ 'policy.json': text });
    expect(main(['lifecycle', 'validate', '--policy', 'policy.json'], io)).toBe(EXIT_INVALID);
    expect(io.err).toMatch(/^Lifecycle policy is invalid \(\d+ problems?\):\n/);
    expect(io.err).toContain(`- ${message}`);
    expect(io.out).toBe('');
  });

  test('given a readable file that is not a policy, when previewed, then it exits 1 and lists the problems', () => {
    const io = fakeIo({ 'policy.json': '{"rules":[{"selection":{}}]}', 'images.json': IMAGES });
    expect(main(['lifecycle', 'preview', '--policy', 'policy.json', '--images', 'images.json', '--format', 'text'], io)).toBe(EXIT_INVALID);
    expect(io.err).toContain('- rules[0].selection.tagStatus must be one of');
    expect(io.err).toContain('- rules[0].action is missing');
  });

  test.each<[string, string]>([
    ['an empty object', '{}'],
    ['rules with an empty rule', '{"rules":[{}]}'],
    ['a rule with an empty selection and action', '{"rules":[{"selection":{},"action":{}}]}'],
    ['a transition without anything else', '{"rules":[{"selection":{"countType":"sinceImagePushed"},"action":{"type":"transition"}}]}'],
    ['null', 'null'],
    ['an empty file', ''],
  ])('given %s, when validated, then no message says "undefined"', (_name, text) => {
    const io = fakeIo({ 'policy.json': text });
    expect(main(['lifecycle', 'validate', '--policy', 'policy.json'], io)).toBe(EXIT_INVALID);
    expect(io.err).not.toMatch(/undefined/);
  });

  test('given - as the policy, when validated, then it reads standard input', () => {
    const io = fakeIo({}, VALID);
    expect(main(['lifecycle', 'validate', '--policy', '-'], io)).toBe(EXIT_OK);
  });

  test.each<[string, Record<string, string>, string]>([
    ['a missing file', {}, 'cannot read lifecycle policy policy.json: ENOENT'],
  ])('given %s, when validated, then it exits 2', (_name, files, message) => {
    const io = fakeIo(files);
    expect(main(['lifecycle', 'validate', '--policy', 'policy.json'], io)).toBe(EXIT_USAGE);
    expect(io.err).toContain(message);
  });
});

describe('cdk-ecr-platform lifecycle preview', () => {
  test('given a policy and images, when previewed, then it prints get-lifecycle-policy-preview JSON and exits 0', () => {
    const io = fakeIo({ 'policy.json': VALID, 'images.json': IMAGES });
    expect(main(['lifecycle', 'preview', '--policy', 'policy.json', '--images', 'images.json', '--now', '2025-01-31T00:00:00Z'], io)).toBe(EXIT_OK);
    expect(JSON.parse(io.out)).toEqual({
      previewResults: [{ imageDigest: 'sha256:old', imagePushedAt: '2025-01-01T00:00:00Z', action: { type: 'EXPIRE' }, appliedRulePriority: 1, storageClass: 'STANDARD' }],
      summary: { expiringImageTotalCount: 1 },
    });
  });

  test('given images on standard input, when previewed, then they are read from stdin', () => {
    const io = fakeIo({ 'policy.json': VALID }, IMAGES);
    expect(main(['lifecycle', 'preview', '--policy', 'policy.json', '--images', '-', '--now', '2025-01-31T00:00:00Z'], io)).toBe(EXIT_OK);
    expect(JSON.parse(io.out).summary.expiringImageTotalCount).toBe(1);
  });

  test('given no --now, when previewed, then the current time is used', () => {
    const io = fakeIo({ 'policy.json': VALID, 'images.json': IMAGES });
    expect(main(['lifecycle', 'preview', '--policy', 'policy.json', '--images', 'images.json'], io)).toBe(EXIT_OK);
    expect(JSON.parse(io.out).summary.expiringImageTotalCount).toBe(2);
  });

  test('given an invalid policy, when previewed as text, then it lists the problems on stderr and exits 1', () => {
    const io = fakeIo({ 'policy.json': INVALID, 'images.json': IMAGES });
    expect(main(['lifecycle', 'preview', '--policy', 'policy.json', '--images', 'images.json', '--format', 'text'], io)).toBe(EXIT_INVALID);
    expect(io.err).toContain('countNumber 0');
    expect(io.out).toBe('');
  });

  test('given an invalid policy, when previewed (JSON by default), then stdout holds the problems as JSON and it exits 1', () => {
    const io = fakeIo({ 'policy.json': INVALID, 'images.json': IMAGES });
    expect(main(['lifecycle', 'preview', '--policy', 'policy.json', '--images', 'images.json'], io)).toBe(EXIT_INVALID);
    const doc = JSON.parse(io.out);
    expect(doc.valid).toBe(false);
    expect(doc.problems).toContainEqual({ file: 'policy.json', line: null, column: null, rule: 'rules[0]', message: expect.stringContaining('countNumber 0') });
    expect(io.err).toBe('');
  });

  test('given --format text, when previewed, then each image acted on is one line and a summary follows', () => {
    const io = fakeIo({ 'policy.json': VALID, 'images.json': IMAGES });
    expect(main(['lifecycle', 'preview', '--policy', 'policy.json', '--images', 'images.json', '--now', '2025-01-31T00:00:00Z', '--format', 'text'], io)).toBe(EXIT_OK);
    expect(io.out).toBe('expire     sha256:old pushed 2025-01-01T00:00:00Z, rulePriority 1\n1 to expire, 0 to archive\n');
  });

  test.each<[string, Record<string, string>, string]>([
    ['images that are not JSON', { 'policy.json': VALID, 'images.json': 'not json' }, 'images.json: not valid JSON'],
    ['images with an image of the wrong shape', { 'policy.json': VALID, 'images.json': '{"imageDetails":[{}, null, 3]}' }, 'images.json: '],
    ['images without imageDetails', { 'policy.json': VALID, 'images.json': '{"images":[]}' }, 'an object with an "imageDetails" array'],
    ['an image with a bad timestamp', { 'policy.json': VALID, 'images.json': '{"imageDetails":[{"imageDigest":"sha256:x","imagePushedAt":"soon"}]}' }, 'imagePushedAt "soon" is not a timestamp'],
    ['a missing images file', { 'policy.json': VALID }, 'cannot read images images.json'],
    ['an image without imagePushedAt', { 'policy.json': VALID, 'images.json': '{"imageDetails":[{"imageDigest":"sha256:x"}]}' }, 'imageDetails[0] (sha256:x) has no imagePushedAt'],
  ])('given %s, when previewed, then it exits 2 and the message never says "undefined"', (_name, files, message) => {
    const io = fakeIo(files);
    expect(main(['lifecycle', 'preview', '--policy', 'policy.json', '--images', 'images.json'], io)).toBe(EXIT_USAGE);
    expect(io.err).toContain(message);
    expect(io.err).not.toMatch(/undefined/);
  });
});

describe('usage', () => {
  test('given --version, then it prints the version of the package and exits 0', () => {
    const io = fakeIo();
    expect(main(['--version'], io)).toBe(EXIT_OK);
    expect(io.out).toBe(`${JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version}\n`);
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
    expect(io.err).toBe('');
  });

  test.each<[string, string[]]>([
    ['--policy followed by another option', ['lifecycle', 'preview', '--policy', '--images', 'i']],
    ['--now at the end', ['lifecycle', 'preview', '--policy', 'p', '--images', 'i', '--now']],
    ['--policy= with nothing', ['lifecycle', 'validate', '--policy=']],
    ['--now= with nothing', ['lifecycle', 'preview', '--policy', 'p', '--images', 'i', '--now=']],
    ['an empty command', ['', '']],
    ['only lifecycle', ['lifecycle']],
  ])('given %s, then the message names what is missing and never says "undefined"', (_name, argv) => {
    const io = fakeIo();
    expect(main(argv, io)).toBe(EXIT_USAGE);
    expect(io.err).not.toMatch(/undefined/);
  });

  test.each<[string, string[]]>([
    ['--help', ['--help']],
    ['-h after a command', ['lifecycle', 'preview', '-h']],
  ])('given %s, then it prints the usage and exits 0', (_name, argv) => {
    const io = fakeIo();
    expect(main(argv, io)).toBe(EXIT_OK);
    expect(io.out).toContain('cdk-ecr-platform lifecycle preview --policy FILE --images FILE [--now ISO-8601]');
  });

  test.each<[string, string[], string]>([
    ['no command', [], 'no command given'],
    ['an unknown command', ['deploy'], 'unknown command "deploy"'],
    ['no lifecycle command', ['lifecycle'], 'lifecycle needs a command: validate or preview'],
    ['an unknown lifecycle command', ['lifecycle', 'apply'], 'unknown command "lifecycle apply"'],
    ['an extra argument', ['lifecycle', 'validate', 'extra', '--policy', 'p'], 'unexpected argument "extra"'],
    ['an unknown option', ['lifecycle', 'validate', '--policy', 'p', '--verbose'], 'unknown option --verbose'],
    ['an option without value', ['lifecycle', 'validate', '--policy'], '--policy needs a value (a file, or - for standard input)'],
    ['an option followed by an option', ['lifecycle', 'preview', '--policy', '--images', 'i'], '--policy needs a value'],
    ['an option given twice', ['lifecycle', 'validate', '--policy', 'a', '--policy', 'b'], '--policy given twice'],
    ['a missing --policy', ['lifecycle', 'validate'], '--policy FILE is required'],
    ['a missing --images', ['lifecycle', 'preview', '--policy', 'p'], '--images FILE is required'],
    ['--images on validate', ['lifecycle', 'validate', '--policy', 'p', '--images', 'i'], '--images is an option of lifecycle preview, not of lifecycle validate'],
    ['both from stdin', ['lifecycle', 'preview', '--policy', '-', '--images', '-'], 'only one of --policy and --images can read standard input'],
    ['a bad --now', ['lifecycle', 'preview', '--policy', 'p', '--images', 'i', '--now', 'tomorrow'], '--now "tomorrow" is not an ISO-8601 time'],
  ])('given %s, then it prints the problem and the usage to stderr and exits 2', (_name, argv, message) => {
    const io = fakeIo();
    expect(main(argv, io)).toBe(EXIT_USAGE);
    expect(io.err).toContain(`cdk-ecr-platform: ${message}`);
    expect(io.err).toContain('Usage:');
    expect(io.out).toBe('');
  });
});

describe('the CLI as a process', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cdk-ecr-platform-cli-'));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const cli = path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
  const run = (args: string[], input?: string) => spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', cli, ...args], {
    encoding: 'utf8',
    input,
    env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, '..', 'tsconfig.json') },
  });

  test('given real files, when run with node, then the exit codes are 0, 1 and 2', () => {
    const valid = write('valid.json', VALID);
    const invalid = write('invalid.json', INVALID);
    const images = write('images.json', IMAGES);

    const ok = run(['lifecycle', 'preview', '--policy', valid, '--images', images, '--now', '2025-01-31T00:00:00Z']);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).summary).toEqual({ expiringImageTotalCount: 1 });

    const fromStdin = run(['lifecycle', 'validate', '--policy', '-'], VALID);
    expect(fromStdin.status).toBe(0);
    expect(fromStdin.stdout).toBe('valid\n');

    const bad = run(['lifecycle', 'validate', '--policy', invalid]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('countNumber 0');

    const usage = run(['lifecycle', 'preview', '--policy', valid]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('--images FILE is required');
  }, 60_000);

  test('given the validate command, when run, then aws-cdk-lib is never loaded', () => {
    const policy = write('policy.json', VALID);
    const script = `const { main } = require(${JSON.stringify(cli)});
      const code = main(['lifecycle', 'validate', '--policy', ${JSON.stringify(policy)}]);
      process.stdout.write(' cdk-loaded=' + Object.keys(require.cache).some((k) => k.includes('aws-cdk-lib')));
      process.exitCode = code;`;
    const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
      encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, '..', 'tsconfig.json') },
    });
    expect(result.stdout).toBe('valid\n cdk-loaded=false');
    expect(result.status).toBe(0);
  }, 60_000);

  test('given the compiled JavaScript, when run with plain node, then it works without ts-node', () => {
    const out = path.join(dir, 'lib');
    const root = path.join(__dirname, '..', '..');
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--outDir', out, '--rootDir', path.join(root, 'src'),
      '--module', 'commonjs', '--target', 'ES2022', '--strict', '--skipLibCheck', '--types', 'node', path.join(root, 'src', 'cli', 'main.ts')], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    const policy = write('compiled-policy.json', VALID);
    const result = spawnSync(process.execPath, [path.join(out, 'cli', 'main.js'), 'lifecycle', 'validate', '--policy', policy], { encoding: 'utf8' });
    expect(result.stdout).toBe('valid\n');
    expect(result.status).toBe(0);
  }, 120_000);

  test('the CLI starts with a node shebang', () => {
    const source = readFileSync(cli, 'utf8');
    expect(source.startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});
