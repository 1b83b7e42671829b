import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { fakeIo } from './fake-io';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, main } from '../../src/cli/main';

const VALID = `defaults:
  lifecycle: { preset: expireUntagged, days: 7 }
repositories:
${Array.from({ length: 25 }, (_, i) => `  - name: svc-${i}`).join('\n')}
`;
const INVALID = `repositories:
  - name: Bad
  - name: ok
    ownr: x
  - name: ok
`;

describe('cdk-ecr-platform catalog validate', () => {
  test('given a valid catalog, then it prints valid and exits 0', () => {
    const io = fakeIo({ 'c.yaml': VALID });
    expect(main(['catalog', 'validate', '--catalog', 'c.yaml'], io)).toBe(EXIT_OK);
    expect(io.out).toBe('valid (25 repositories)\n');
  });

  test('given a catalog whose fleet the compliance pack fails (MUTABLE, tag exclusions), then it is invalid with each finding where the catalog sets the value', () => {
    const io = fakeIo({ 'c.yaml': 'repositories:\n  - name: cache/a\n    tagMutability: MUTABLE\n  - name: web/b\n    tagMutabilityExclusions: [latest]\n' });
    expect(main(['catalog', 'validate', '--catalog', 'c.yaml'], io)).toBe(EXIT_INVALID);
    expect(io.err.split('\n').map((l) => l.replace(/\(error\): .*/, '(error)'))).toEqual([
      'Catalog c.yaml is invalid (3 problems):',
      "- c.yaml:3:20: repositories[0] 'cache/a': EcrCompliance-ControlTowerImmutableTags (error)",
      "- c.yaml:3:20: repositories[0] 'cache/a': EcrCompliance-TagImmutability (error)",
      "- c.yaml:5:30: repositories[1] 'web/b': EcrCompliance-ControlTowerImmutableTags (error)",
      '',
    ]);
    expect(io.err).toContain("To accept it: acknowledge: [{ id: EcrCompliance-TagImmutability, reason: '...' }] in the entry or in defaults.");
  });

  test('given those findings acknowledged and AES256 by default, then it is valid and lists the warnings of the pack at the default', () => {
    const io = fakeIo({
      'c.yaml': `defaults:
  encryption: AES256
repositories:
  - name: cache/a
    tagMutability: MUTABLE
    acknowledge:
      - { id: EcrCompliance-TagImmutability, reason: cache tags move }
      - { id: EcrCompliance-ControlTowerImmutableTags, reason: cache tags move }
      - { id: EcrCompliance-CustomerManagedKey, reason: caches need no key of their own }
  - name: web/b
`,
    });
    expect(main(['catalog', 'validate', '--catalog', 'c.yaml'], io)).toBe(EXIT_OK);
    expect(io.out.split('\n').map((l) => l.replace(/\(warning\): .*/, '(warning)'))).toEqual([
      'valid (2 repositories; 1 compliance warning)',
      "- c.yaml:2:15: repositories[1] 'web/b' (defaults.encryption): EcrCompliance-CustomerManagedKey (warning)",
      '',
    ]);
  });

  test('given an invalid catalog, then every problem is listed with file:line:column and it exits 1', () => {
    const io = fakeIo({ 'c.yaml': INVALID });
    expect(main(['catalog', 'validate', '--catalog', 'c.yaml'], io)).toBe(EXIT_INVALID);
    expect(io.err).toMatch(/^Catalog c\.yaml is invalid \(3 problems\):\n/);
    expect(io.err).toContain("- c.yaml:2:11: repositories[0] 'Bad': repositoryName 'Bad' breaks ECR's naming rule");
    expect(io.err).toContain("- c.yaml:4:5: repositories[1] 'ok': unknown key 'ownr': did you mean 'owner'?");
    expect(io.err).toContain("- c.yaml:5:11: repositories[2] 'ok': repository 'ok' is already listed at line 3");
  });

  test.each([
    ['YAML', 'repositories:\n  - name: a/b\n  - name: Bad\n', [], "- stdin:3:11: repositories[1] 'Bad'"],
    ['JSON', '\n  {"repositories": [{"name": "Bad"}]}', [], "- stdin:2:30: repositories[0] 'Bad'"],
    ['YAML given --catalog-format yaml', '{repositories: [{name: Bad}]}', ['--catalog-format', 'yaml'], "- stdin:1:24: repositories[0] 'Bad'"],
  ])('given %s on standard input, when validated with -, then it is read in its format and named stdin in every line', (_what, text, extra, expected) => {
    const io = { ...fakeIo(), readStdin: () => text };
    const run = fakeIo();
    io.stderr = run.stderr; io.stdout = run.stdout;
    expect(main(['catalog', 'validate', '--catalog', '-', ...extra], io)).toBe(EXIT_INVALID);
    expect(run.err).toMatch(/^Catalog stdin is invalid \(1 problem\):\n/);
    expect(run.err).toContain(expected);
  });

  test('given --catalog-format json for a .yaml file, when validated, then it is read as JSON', () => {
    const io = fakeIo({ 'c.yaml': '{"repositories": [{"name": "a/b"}]}' });
    expect(main(['catalog', 'validate', '--catalog', 'c.yaml', '--catalog-format', 'json'], io)).toBe(EXIT_OK);
    expect(io.out).toBe('valid (1 repositories)\n');
  });

  test.each([
    [['catalog', 'validate'], /catalog FILE is required/],
    [['catalog', 'validate', '--catalog', 'c.yaml', '--catalog-format', 'toml'], /--catalog-format "toml" must be yaml or json/],
    [['catalog', 'validate', '--catalog', 'c.yaml', '--catalog-format'], /--catalog-format needs a value \(yaml or json\)/],
    [['catalog', 'validate', '--catalog', 'c.yaml', '--format', 'yaml'], /--format "yaml" must be text or json \(the catalog's own format is --catalog-format yaml\|json\)/],
    [['catalog', 'validate', '--catalog', 'missing.yaml'], /cannot read catalog missing\.yaml/],
    [['catalog', 'validate', '--catalog', 'c.yaml', 'more'], /unexpected argument "more"/],
    [['catalog', 'check', 'c.yaml'], /unknown command "catalog check"/],
    [['catalog', 'validate', '--catalog', 'c.yaml', '--policy', 'x'], /--policy is an option of lifecycle validate and lifecycle preview, not of catalog validate/],
    [['catalog', 'plan', '--catalog', 'c.yaml'], /--placement FILE is required/],
    [['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json', '--max-resources', 'many'], /--max-resources "many" is not a positive whole number/],
    [['lifecycle', 'validate', '--policy', 'p.json', '--write'], /--write is an option of catalog plan/],
    [['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json', '--max-resources', '600'], /--max-resources and --max-bytes: maxResourcesPerStack 600 must be a whole number from 10 to 500 \(CloudFormation's limit per stack\)/],
    [['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json', '--max-resources', '1'], /maxResourcesPerStack 1 must be a whole number from 10 to 500/],
    [['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json', '--max-bytes', '5000000'], /maxTemplateBytesPerStack 5000000 must be a whole number from 50000 to 1000000 \(CloudFormation's limit per template\)/],
  ])('given %j, then it exits 2 with a usage message', (argv, expected) => {
    const io = fakeIo({ 'c.yaml': VALID, 'p.json': '{}' });
    expect(main(argv, io)).toBe(EXIT_USAGE);
    expect(io.err).toMatch(expected);
  });
});

describe('cdk-ecr-platform catalog plan', () => {
  test('given a placement file on the registry key, when a repository is moved, then catalog move records no key and plan says it keeps the registry key', () => {
    const io = fakeIo({
      'c.yaml': 'repositories:\n  - name: aa\n  - name: bb\n',
      'p.json': JSON.stringify({ version: 1, shards: { Shard1: ['aa', 'bb'] }, keyScope: 'REGISTRY', registryKey: true }),
    });
    io.files['old.json'] = io.files['p.json'];
    expect(main(['catalog', 'move', 'bb', '--to', 'Shard2', '--placement', 'p.json'], io)).toBe(EXIT_OK);
    expect(JSON.parse(io.files['p.json'])).toEqual({ version: 1, shards: { Shard1: ['aa'], Shard2: ['bb'] }, keyScope: 'REGISTRY', registryKey: true });
    io.out = '';
    expect(main(['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json', '--previous', 'old.json', '--details'], io)).toBe(EXIT_OK);
    expect(io.out).toContain('~ bb Shard1 -> Shard2 (keeps the key of Registry;');
  });

  test('given no placement file, when planned with --write, then everything is created, shards are filled to the budget and the file is written', () => {
    const io = fakeIo({ 'c.yaml': VALID });
    expect(main(['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json', '--max-resources', '12', '--write', '--details'], io)).toBe(EXIT_OK);
    expect(io.out).toContain('create 25');
    expect(io.out).toContain('+ svc-0 -> Shard1');
    expect(io.out).toContain('Shard1: 10 repositories, 12/12 resources (headroom 0)');
    expect(io.out).toContain('Shard3: 5 repositories, 7/12 resources (headroom 5)');
    expect(JSON.parse(io.files['p.json']).shards.Shard3).toHaveLength(5);

    // the catalog loses svc-3 and gains svc-new: only those change
    io.files['c.yaml'] = VALID.replace('  - name: svc-3\n', '') + '  - name: svc-new\n';
    io.out = '';
    expect(main(['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json', '--max-resources', '12', '--details'], io)).toBe(EXIT_OK);
    // (placed in name order, svc-3 went to Shard2 after svc-0 ... svc-2, svc-20 ... svc-24)
    expect(io.out).toMatch(/create 1\n {4}\+ svc-new -> Shard2\n {2}remove 1\n {4}- svc-3 \(Shard2; retained unless its removalPolicy says otherwise\)\n {2}move 0\n/);
  });

  test('given an earlier placement file, when planned, then moves made by editing the placement are listed', () => {
    const io = fakeIo({ 'c.yaml': 'repositories:\n  - name: aa\n  - name: bb\n', 'old.json': JSON.stringify({ version: 1, shards: { Shard1: ['aa', 'bb'] } }), 'p.json': JSON.stringify({ version: 1, shards: { Shard1: ['aa'], Shard2: ['bb'] } }) });
    expect(main(['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json', '--previous', 'old.json', '--details'], io)).toBe(EXIT_OK);
    expect(io.out).toContain('move 1\n    ~ bb Shard1 -> Shard2 (no key recorded: a repository on the shard key needs "keys": {"bb": "Shard1"}, which `catalog move` writes; retain in the old stack, then cdk import into the new one)');
  });

  test('given a placement file with an emptied shard, a moved key and the registry stack, when planned with --write, then all three are kept', () => {
    const placement = { version: 1, shards: { Shard1: ['aa'], Shard2: [], Shard3: ['bb'] }, keys: { bb: 'Shard1' }, registry: true };
    const io = fakeIo({ 'c.yaml': 'repositories:\n  - name: aa\n  - name: bb\n', 'p.json': JSON.stringify(placement) });
    expect(main(['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json', '--write'], io)).toBe(EXIT_OK);
    expect(io.out).toContain('Shard2: 0 repositories');
    expect(JSON.parse(io.files['p.json'])).toEqual(placement);
  });
});

describe('cdk-ecr-platform catalog plan at scale', () => {
  // Shard1 loses 'gone' and gains c1 and c2; Shard2 gains c3 and loses a7 to Shard3 (moved by editing the placement).
  const SHARDED = {
    'c.yaml': `repositories:\n${['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'b1', 'b2', 'c1', 'c2', 'c3'].map((n) => `  - name: ${n}\n`).join('')}`,
    'old.json': JSON.stringify({ version: 1, shards: { Shard1: ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'gone'], Shard2: ['b1', 'b2', 'a7'] } }),
    'p.json': JSON.stringify({ version: 1, shards: { Shard1: ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'gone'], Shard2: ['b1', 'b2'], Shard3: ['a7'] }, registry: true, registryKey: true }),
  };
  const PLAN = ['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json', '--previous', 'old.json', '--max-resources', '10'];
  /** The output with each shard's estimated bytes left out (the size model's own tests check them). */
  const lines = (out: string) => out.replace(/~\d+\/800000 bytes \(headroom ~\d+\)/g, '~B bytes').split('\n');

  test('given creations, removals and moves over several shards, when planned, then it prints the totals and one line per shard stack, and no repository', () => {
    const io = fakeIo({ ...SHARDED });
    expect(main(PLAN, io)).toBe(EXIT_OK);
    expect(lines(io.out)).toEqual([
      'Plan for c.yaml with p.json (per shard: 10 resources, ~800000 template bytes):',
      '  create 3, remove 1, move 1',
      'Shards:',
      '  Shard1: 8 repositories, 10/10 resources (headroom 0), ~B bytes; added 2, removed 1, moved in 0, moved out 0',
      '  Shard2: 3 repositories, 5/10 resources (headroom 5), ~B bytes; added 1, removed 0, moved in 0, moved out 1',
      '  Shard3: 1 repositories, 3/10 resources (headroom 7), ~B bytes; added 0, removed 0, moved in 1, moved out 0',
      "Registry stack: kept (the placement file records it), with the fleet's registry key",
      '--details lists every repository',
      '',
    ]);
    expect(io.err).toBe('');
  });

  test('given --details, when planned, then every repository created, removed and moved is listed before the shard stacks', () => {
    const io = fakeIo({ ...SHARDED });
    expect(main([...PLAN, '--details'], io)).toBe(EXIT_OK);
    expect(lines(io.out)).toEqual([
      'Plan for c.yaml with p.json (per shard: 10 resources, ~800000 template bytes):',
      '  create 3',
      '    + c1 -> Shard1',
      '    + c2 -> Shard1',
      '    + c3 -> Shard2',
      '  remove 1',
      '    - gone (Shard1; retained unless its removalPolicy says otherwise)',
      '  move 1',
      '    ~ a7 Shard2 -> Shard3 (no key recorded: a repository on the shard key needs "keys": {"a7": "Shard2"}, which `catalog move` writes; retain in the old stack, then cdk import into the new one)',
      'Shards:',
      '  Shard1: 8 repositories, 10/10 resources (headroom 0), ~B bytes; added 2, removed 1, moved in 0, moved out 0',
      '  Shard2: 3 repositories, 5/10 resources (headroom 5), ~B bytes; added 1, removed 0, moved in 0, moved out 1',
      '  Shard3: 1 repositories, 3/10 resources (headroom 7), ~B bytes; added 0, removed 0, moved in 1, moved out 0',
      "Registry stack: kept (the placement file records it), with the fleet's registry key",
      '',
    ]);
  });

  test('given an earlier placement with a shard the placement no longer has, when planned, then that shard is listed with its moves out', () => {
    const io = fakeIo({
      'c.yaml': 'repositories:\n  - name: aa\n',
      'old.json': JSON.stringify({ version: 1, shards: { Shard4: ['aa'] } }),
      'p.json': JSON.stringify({ version: 1, shards: { Shard1: ['aa'] } }),
    });
    expect(main(['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json', '--previous', 'old.json'], io)).toBe(EXIT_OK);
    expect(io.out).toContain('\n  Shard4: not in the placement; added 0, removed 0, moved in 0, moved out 1\n');
  });

  /** A clock that moves on by `step` milliseconds each time it is read. */
  const ticking = (step: number) => {
    let now = 0;
    return () => (now += step);
  };

  test('given standard error on a terminal and a command past its first second, when planned, then the steps from then on are shown on stderr', () => {
    const io = { ...fakeIo({ ...SHARDED }), stderrIsTTY: true, clock: ticking(400) };
    const run = fakeIo();
    io.stderr = run.stderr;
    expect(main([...PLAN, '--write'], io)).toBe(EXIT_OK);
    // the clock reads 400 at the start, then 400 ms more at each step: reading the catalog (400 ms in),
    // the placement (800), placing (1,200: shown) and writing (1,600: shown)
    expect(run.err).toBe('placing 12 repositories...\nwriting p.json...\n');
  });

  test.each([
    ['not a terminal', { stderrIsTTY: false, clock: ticking(400) }],
    ['a terminal, within the first second', { stderrIsTTY: true, clock: ticking(1) }],
    ['a terminal without a clock', { stderrIsTTY: true }],
  ])('given standard error %s, when planned, then no progress is shown', (_what, extra) => {
    const io = { ...fakeIo({ ...SHARDED }), ...extra };
    const run = fakeIo();
    io.stdout = run.stdout; io.stderr = run.stderr;
    expect(main([...PLAN, '--write'], io)).toBe(EXIT_OK);
    expect(run.err).toBe('');
    expect(run.out).toContain('\n  create 3, remove 1, move 1\n');
  });

  test('given a catalog of 50,000 repositories, when planned, then the text is a summary of one line per shard stack, not a line per repository', () => {
    const names = Array.from({ length: 50_000 }, (_, i) => `team-${Math.floor(i / 1000)}/svc-${i}`);
    const io = { ...fakeIo({ 'c.json': JSON.stringify({ repositories: names.map((name) => ({ name })) }) }), stderrIsTTY: true, clock: ticking(600) };
    const run = fakeIo();
    io.stdout = run.stdout; io.stderr = run.stderr;
    expect(main(['catalog', 'plan', '--catalog', 'c.json', '--placement', 'p.json', '--write'], io)).toBe(EXIT_OK);
    expect(run.err).toBe('reading placement p.json...\nplacing 50,000 repositories...\nwriting p.json...\n');
    const out = run.out.split('\n');
    const shards = JSON.parse(io.files['p.json']).shards as Record<string, string[]>;
    const count = Object.keys(shards).length;
    expect(count).toBeGreaterThan(100);
    expect(out[1]).toBe('  create 50000, remove 0, move 0');
    expect(out.filter((l) => /^ {2}Shard\d+: \d+ repositories, /.test(l))).toHaveLength(count);
    // header, totals, "Shards:", one line per shard, the hint, "wrote", and the final newline
    expect(out).toHaveLength(count + 6);
    expect(out.slice(-3)).toEqual(['--details lists every repository', 'wrote p.json', '']);
    expect(Object.values(shards).flat()).toHaveLength(50_000);
  });
});

describe('cdk-ecr-platform catalog move', () => {
  test('given repositories and a shard, when moved, then the placement file moves them and records the shard of their key', () => {
    const io = fakeIo({ 'p.json': JSON.stringify({ version: 1, shards: { Shard1: ['aa', 'bb'], Shard2: ['cc'] } }) });
    expect(main(['catalog', 'move', 'aa', 'bb', '--to', 'Shard3', '--placement', 'p.json'], io)).toBe(EXIT_OK);
    expect(JSON.parse(io.files['p.json'])).toEqual({ version: 1, shards: { Shard1: [], Shard2: ['cc'], Shard3: ['aa', 'bb'] }, keys: { aa: 'Shard1', bb: 'Shard1' } });
    expect(io.out).toContain('~ aa Shard1 -> Shard3 (keeps the key of Shard1)');
    // moved back: the key is its shard's again
    expect(main(['catalog', 'move', 'aa', '--to', '1', '--placement', 'p.json'], io)).toBe(EXIT_OK);
    expect(JSON.parse(io.files['p.json']).keys).toEqual({ bb: 'Shard1' });
  });

  test.each([
    [['catalog', 'move', 'aa', '--placement', 'p.json'], /--to is required/],
    [['catalog', 'move', 'aa', '--to', 'x', '--placement', 'p.json'], /--to "x": name a shard/],
    [['catalog', 'move', '--to', '2', '--placement', 'p.json'], /needs the names of the repositories/],
    [['catalog', 'move', 'zz', '--to', '2', '--placement', 'p.json'], /p\.json: the placement holds no repository 'zz'/],
    [['catalog', 'move', 'aa', '--to', '2', '--placement', 'missing.json'], /missing\.json/],
  ])('given bad arguments %#, then it exits 2 naming the problem and writes nothing', (argv, expected) => {
    const text = JSON.stringify({ version: 1, shards: { Shard1: ['aa'] } });
    const io = fakeIo({ 'p.json': text });
    expect(main(argv, io)).toBe(EXIT_USAGE);
    expect(io.err).toMatch(expected);
    expect(io.files['p.json']).toBe(text);
  });

  test('given an invalid catalog or placement file, then it exits 1 or 2', () => {
    expect(main(['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json'], fakeIo({ 'c.yaml': INVALID }))).toBe(EXIT_INVALID);
    const io = fakeIo({ 'c.yaml': VALID, 'p.json': '{"version": 1, "shards": {"Shard1": ["svc-1"], "Shard2": ["svc-1"]}}' });
    expect(main(['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json'], io)).toBe(EXIT_USAGE);
    expect(io.err).toMatch(/repository 'svc-1' is placed in Shard1 and Shard2/);
  });

  test('given the compiled command run by node, then validate exits 0 and 1 as documented', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'catalog-cli-'));
    writeFileSync(path.join(dir, 'good.json'), JSON.stringify({ repositories: [{ name: 'team/api' }] }));
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ repositories: [{ name: 'team/api', scaning: 'SCAN_ON_PUSH' }] }, null, 2));
    const run = (file: string) => spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts'), 'catalog', 'validate', '--catalog', file], { encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, '..', 'tsconfig.json') } });
    expect(run(path.join(dir, 'good.json')).status).toBe(0);
    const bad = run(path.join(dir, 'bad.json'));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(`${path.join(dir, 'bad.json')}:5:7: repositories[0] 'team/api': unknown key 'scaning': did you mean 'scanning'?`);
    expect(readFileSync(path.join(dir, 'good.json'), 'utf8')).toContain('team/api');
  });
});
