import { ACCOUNT, exportedRepository, registryExport } from './exports';
import { repositoryProperties } from '../../src/adopt/mapping';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, main } from '../../src/cli/main';
import { fakeIo } from '../cli/fake-io';

const LIVE = registryExport([exportedRepository('team-a/api'), exportedRepository('team-a/legacy', { encryptionConfiguration: { encryptionType: 'AES256' } })]);

/** A cloud assembly in the fake file system: one stack per template. */
function assembly(stacks: Record<string, Record<string, unknown>>): Record<string, string> {
  const files: Record<string, string> = {
    'cdk.out/manifest.json': JSON.stringify({
      version: '48.0.0',
      artifacts: Object.fromEntries(Object.keys(stacks).map((s) => [s, { type: 'aws:cloudformation:stack', environment: `aws://${ACCOUNT}/eu-west-1`, properties: { templateFile: `${s}.template.json` } }])),
    }),
  };
  for (const [stack, resources] of Object.entries(stacks)) files[`cdk.out/${stack}.template.json`] = JSON.stringify({ Resources: resources });
  return files;
}

const EXACT = { Repo: { Type: 'AWS::ECR::Repository', Properties: repositoryProperties(LIVE.repositories[0]) } };

describe('cdk-ecr-platform adopt plan', () => {
  test('given an app that deploys the live repository exactly, then the summary says so, the other live repository is not managed, and it exits 0', () => {
    const io = fakeIo({ ...assembly({ Repos: EXACT }), 'export.json': JSON.stringify(LIVE) });
    expect(main(['adopt', 'plan', '--assembly', 'cdk.out', '--live', 'export.json'], io)).toBe(EXIT_OK);
    expect(io.out).toBe([
      `Adoption plan for cdk.out against account ${ACCOUNT}, eu-west-1:`,
      '  repositories (2): 1 no change, 0 in-place update, 0 replacement (refused), 0 undecided, 0 created, 1 not managed',
      '  registry settings (0): 0 no change, 0 in-place update, 0 replacement (refused), 0 undecided, 0 created, 0 not managed',
      '  nothing to fix: the first deploy replaces nothing, and every value is known',
      '',
      'Not managed (live, in no template: left alone): 1',
      '  = repository team-a/legacy',
      '',
    ].join('\n'));
  });

  test('given an app that would change the encryption of a live repository and the mutability of another, then it lists both, refuses the replacement and exits 1', () => {
    const legacy = { Type: 'AWS::ECR::Repository', Properties: { ...repositoryProperties(LIVE.repositories[1]), EncryptionConfiguration: { EncryptionType: 'KMS' } } };
    const api = { Type: 'AWS::ECR::Repository', Properties: { ...repositoryProperties(LIVE.repositories[0]), ImageTagMutability: 'MUTABLE' } };
    const io = fakeIo({ ...assembly({ Repos: { Api: api, Legacy: legacy } }), 'export.json': JSON.stringify(LIVE) });
    expect(main(['adopt', 'plan', '--assembly', 'cdk.out', '--live', 'export.json'], io)).toBe(EXIT_INVALID);
    expect(io.out).toContain('  ~ repository team-a/api: in-place update (Repos/Api)\n      ImageTagMutability: in-place update\n        live:    IMMUTABLE\n        planned: MUTABLE\n');
    expect(io.out).toContain('  ! repository team-a/legacy: replacement, REFUSED (Repos/Legacy)\n');
    expect(io.out).toContain("Problems:\n- repository 'team-a/legacy' (Repos/Legacy): EncryptionConfiguration would replace it, refused: ECR cannot change a repository's encryption in place");
  });

  test('given --format json, then one document with the summary, every resource and the problems', () => {
    const io = fakeIo({ ...assembly({ Repos: EXACT }), 'export.json': JSON.stringify(LIVE) });
    expect(main(['adopt', 'plan', '--assembly', 'cdk.out', '--live', 'export.json', '--format', 'json'], io)).toBe(EXIT_OK);
    const doc = JSON.parse(io.out);
    expect(doc).toEqual(expect.objectContaining({ assembly: 'cdk.out', live: 'export.json', account: ACCOUNT, problems: [], importMappings: null }));
    expect(doc.summary).toEqual({ 'no change': 1, 'in-place update': 0, 'replacement': 0, 'undecided': 0, 'created': 0, 'not managed': 1 });
  });

  test('given --write-import-mappings, then it writes the mapping of each stack that holds a live resource, by its identifier', () => {
    const registry = { Scanning: { Type: 'AWS::ECR::RegistryScanningConfiguration', Properties: { ScanType: 'BASIC', Rules: [] } }, New: { Type: 'AWS::ECR::Repository', Properties: { RepositoryName: 'new' } } };
    const io = fakeIo({ ...assembly({ Repos: EXACT, Registry: registry }), 'export.json': JSON.stringify(LIVE) });
    expect(main(['adopt', 'plan', '--assembly', 'cdk.out', '--live', 'export.json', '--write-import-mappings', 'mappings'], io)).toBe(EXIT_OK);
    expect(io.written).toEqual({
      'mappings/Registry.json': `${JSON.stringify({ Scanning: { RegistryId: ACCOUNT } }, null, 2)}\n`,
      'mappings/Repos.json': `${JSON.stringify({ Repo: { RepositoryName: 'team-a/api' } }, null, 2)}\n`,
    });
    expect(io.out).toContain('wrote 2 resource mappings: mappings/Registry.json, mappings/Repos.json');
    expect(io.out).toContain('import with:\n  cdk import Registry --resource-mapping mappings/Registry.json\n  cdk import Repos --resource-mapping mappings/Repos.json\n');
  });

  test('given a stack inside a construct, then the import command selects it by its construct path, as the CDK CLI does, and the file is named after the stack', () => {
    const files = assembly({ AppRepos1A2B3C4D: EXACT });
    const manifest = JSON.parse(files['cdk.out/manifest.json']);
    manifest.artifacts.AppRepos1A2B3C4D.displayName = 'App/Repos';
    files['cdk.out/manifest.json'] = JSON.stringify(manifest);
    const io = fakeIo({ ...files, 'export.json': JSON.stringify(LIVE) });
    expect(main(['adopt', 'plan', '--assembly', 'cdk.out', '--live', 'export.json', '--write-import-mappings', 'my mappings', '--format', 'json'], io)).toBe(EXIT_OK);
    expect(JSON.parse(io.out).importMappings).toEqual([
      { stack: 'AppRepos1A2B3C4D', file: 'my mappings/AppRepos1A2B3C4D.json', resources: 1, command: "cdk import App/Repos --resource-mapping 'my mappings/AppRepos1A2B3C4D.json'" },
    ]);
  });

  test('given --imported mappings that hold a repository under a logical ID the template no longer has, then the plan says the deploy takes it out of its stack', () => {
    const io = fakeIo({ ...assembly({ Repos: EXACT }), 'export.json': JSON.stringify(LIVE), 'done/Repos.json': JSON.stringify({ Repo: { RepositoryName: 'team-a/api' }, Old: { RepositoryName: 'team-a/legacy' } }) });
    expect(main(['adopt', 'plan', '--assembly', 'cdk.out', '--live', 'export.json', '--imported', 'done'], io)).toBe(EXIT_OK);
    expect(io.out).toContain("  = repository team-a/legacy (Repos): imported as Old, which the stack's template no longer has: the deploy takes it out of the stack, "
      + "which deletes the repository and its images unless its DeletionPolicy there is Retain (the library's repositories are retained)\n");
  });

  test('given --imported mappings that hold another name under the logical ID, then the rename is refused', () => {
    const io = fakeIo({ ...assembly({ Repos: EXACT }), 'export.json': JSON.stringify(LIVE), 'done/Repos.json': JSON.stringify({ Repo: { RepositoryName: 'team-a/legacy' } }) });
    expect(main(['adopt', 'plan', '--assembly', 'cdk.out', '--live', 'export.json', '--imported', 'done'], io)).toBe(EXIT_INVALID);
    expect(io.out).toMatch(/RepositoryName would replace it, refused: a renamed repository is a new one/);
  });

  test('given a key that is a parameter of the template, then the repository is undecided, listed as a problem, and it exits 1', () => {
    const undecided = { Type: 'AWS::ECR::Repository', Properties: { ...repositoryProperties(LIVE.repositories[0]), EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { Ref: 'KeyArn' } } } };
    const io = fakeIo({ ...assembly({ Repos: { Repo: undecided } }), 'export.json': JSON.stringify(LIVE) });
    expect(main(['adopt', 'plan', '--assembly', 'cdk.out', '--live', 'export.json'], io)).toBe(EXIT_INVALID);
    expect(io.out).toContain('  ? repository team-a/api: undecided (Repos/Repo)\n');
    expect(io.out).toContain("- repository 'team-a/api' (Repos/Repo): EncryptionConfiguration is undecided: the parameter KeyArn, known only at deploy");
  });

  test('given an app whose stack deploys to another account than the export\'s, then that stack is not compared, and it says so and exits 1', () => {
    const files = assembly({ Repos: EXACT });
    files['cdk.out/manifest.json'] = files['cdk.out/manifest.json'].replace(`aws://${ACCOUNT}/`, 'aws://999999999999/');
    const io = fakeIo({ ...files, 'export.json': JSON.stringify(LIVE) });
    expect(main(['adopt', 'plan', '--assembly', 'cdk.out', '--live', 'export.json'], io)).toBe(EXIT_INVALID);
    expect(io.out).toContain(`- stack Repos deploys to aws://999999999999/eu-west-1, and the export is of aws://${ACCOUNT}/eu-west-1: plan it against an export of its own registry`);
    expect(io.out).toContain('repositories (2): 0 no change, 0 in-place update, 0 replacement (refused), 0 undecided, 0 created, 2 not managed');
  });

  test.each([
    [['adopt', 'plan', '--assembly', 'cdk.out'], /--live FILE is required/],
    [['adopt', 'plan', '--live', 'export.json'], /--assembly FILE is required/],
    [['adopt', 'plan', '--assembly', 'nowhere', '--live', 'export.json'], /nowhere is not a cloud assembly/],
  ])('given %j, then exit 2 with the reason', (argv, message) => {
    const io = fakeIo({ ...assembly({ Repos: EXACT }), 'export.json': JSON.stringify(LIVE) });
    expect(main(argv, io)).toBe(EXIT_USAGE);
    expect(io.err).toMatch(message);
  });

  test.each([
    [['adopt', 'plan', '--assembly', 'cdk.out', '--live', 'bad.json']],
    [['catalog', 'plan', '--catalog', 'repositories.yaml', '--placement', 'fleet-placement.json', '--live', 'bad.json']],
  ])('given %j with an export the reader refuses, then exit 1 (a readable file with problems, as catalog import), every problem on standard error and nothing on standard output', (argv) => {
    const io = fakeIo({
      ...assembly({ Repos: EXACT }),
      'repositories.yaml': 'repositories:\n  - name: team/api\n',
      'bad.json': JSON.stringify({ ...LIVE, format: 'x', version: 9 }),
    });
    expect(main(argv, io)).toBe(EXIT_INVALID);
    expect(io.err).toMatch(/bad.json is not a registry export this library can adopt from \(1 problem\):\n- bad.json: format: "x" is not a registry export's format/);
    expect(io.out).toBe('');
  });
});

describe('cdk-ecr-platform catalog plan --live', () => {
  const CATALOG = 'defaults:\n  encryption: AES256\nrepositories:\n  - name: team-a/legacy\n  - name: team-b/new\n';

  test('given a catalog whose fleet encrypts a live AES256 repository as it runs but changes its settings, then in-place updates, a created repository, exit 0, and the placement file is not written', () => {
    const io = fakeIo({ 'c.yaml': CATALOG, 'export.json': JSON.stringify(registryExport([LIVE.repositories[1]])) });
    expect(main(['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json', '--live', 'export.json', '--format', 'json'], io)).toBe(EXIT_OK);
    const doc = JSON.parse(io.out);
    expect(doc.repositories.map((r: any) => [r.id, r.verdict, r.stack])).toEqual([
      ['team-a/legacy', 'in-place update', expect.stringMatching(/^FleetShard1/)],
      ['team-b/new', 'created', expect.stringMatching(/^FleetShard1/)],
    ]);
    expect(doc.repositories[0].changes.map((c: any) => c.property)).toEqual(expect.arrayContaining(['LifecyclePolicy', 'RepositoryPolicyText', 'Tags']));
    expect(io.written).toEqual({});
  });

  test('given --write-import-mappings, then the shard stack that holds the live repository gets its mapping, and the repository to create is left out', () => {
    const io = fakeIo({ 'c.yaml': CATALOG, 'export.json': JSON.stringify(registryExport([LIVE.repositories[1]])) });
    expect(main(['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json', '--live', 'export.json', '--write-import-mappings', 'import', '--fleet-id', 'Repositories'], io)).toBe(EXIT_OK);
    const files = Object.keys(io.written);
    // Named as the app's stacks are: the fleet's construct ID, then the shard.
    expect(files).toEqual([expect.stringMatching(/^import\/RepositoriesShard1\w+\.json$/)]);
    // The CDK CLI selects the shard by its construct path, not its stack name.
    expect(io.out).toContain(`import with:\n  cdk import Repositories/Shard1 --resource-mapping ${files[0]}\n`);
    expect(Object.values(JSON.parse(io.written[files[0]]))).toEqual([{ RepositoryName: 'team-a/legacy' }]);
    // The mapped repository has in-place updates, which an import does not make: the output says so and what to do.
    expect(io.out).toMatch(/not made by `cdk import`: the in-place updates of 1 mapped resource \(team-a\/legacy\)\. CloudFormation imports a resource as it runs/);
    const json = fakeIo({ 'c.yaml': CATALOG, 'export.json': JSON.stringify(registryExport([LIVE.repositories[1]])) });
    expect(main(['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json', '--live', 'export.json', '--write-import-mappings', 'import', '--format', 'json'], json)).toBe(EXIT_OK);
    const doc = JSON.parse(json.out);
    expect(doc.importedWithUpdates).toEqual([{ type: 'AWS::ECR::Repository', id: 'team-a/legacy', stack: expect.stringMatching(/^FleetShard1/), logicalId: expect.any(String) }]);
    expect(doc.importMappings).toEqual([{ stack: expect.stringMatching(/^FleetShard1/), file: expect.stringMatching(/^import\/FleetShard1\w+\.json$/), resources: 1, command: expect.stringMatching(/^cdk import Fleet\/Shard1 --resource-mapping import\/FleetShard1\w+\.json$/) }]);
  });

  test('given a catalog whose fleet would encrypt a live AES256 repository with its shard key, then the replacement is refused and it exits 1', () => {
    const io = fakeIo({ 'c.yaml': 'repositories:\n  - name: team-a/legacy\n', 'export.json': JSON.stringify(registryExport([LIVE.repositories[1]])) });
    expect(main(['catalog', 'plan', '--catalog', 'c.yaml', '--placement', 'p.json', '--live', 'export.json'], io)).toBe(EXIT_INVALID);
    expect(io.out).toMatch(/repository 'team-a\/legacy' \(\S+\/\S+\): EncryptionConfiguration would replace it, refused: the template encrypts with AWS::KMS::Key \S+, which it creates/);
  });
});
