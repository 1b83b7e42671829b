import { generateRegistryExport } from './fixture';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, main } from '../../src/cli/main';
import { CatalogFormat, RepositoryCatalog } from '../../src/fleet/catalog';
import { fakeIo } from '../cli/fake-io';

const ARGS = ['catalog', 'import', '--from', 'export.json', '--out', 'repositories.yaml', '--placement', 'fleet-placement.json'];
const text = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

describe('cdk-ecr-platform catalog import', () => {
  test('given an export, when imported, then the catalog and placement are written, the catalog is valid and the output lists what the import acknowledged and left out', () => {
    const io = fakeIo({ 'export.json': text(generateRegistryExport({ repositories: 40, seed: 5 })) });
    expect(main(ARGS, io)).toBe(EXIT_OK);
    expect(Object.keys(io.written).sort()).toEqual(['fleet-placement.json', 'repositories.yaml']);
    expect(RepositoryCatalog.validate(io.written['repositories.yaml'], CatalogFormat.YAML, 'repositories.yaml')).toEqual([]);
    expect(JSON.parse(io.written['fleet-placement.json']).shards.Shard1).toHaveLength(40);
    expect(io.out).toMatch(/^Imported 40 repositories from export\.json: wrote repositories\.yaml and fleet-placement\.json \(1 shard stack\)\.\n/);
    expect(io.out).toMatch(/EcrCompliance-TagImmutability: \d+ repositories/);
    // Every registry-level setting of the export goes into the catalog's registry block.
    expect(io.out).not.toContain('Not reproduced');
    expect(io.written['repositories.yaml']).toMatch(/^  pullThroughCache:\n    - \{"prefix":"central","upstream":"444444444444\.dkr\.ecr\.eu-central-1\.amazonaws\.com","upstreamPrefix":"platform","customRoleArn":/m);
    expect(io.written['repositories.yaml']).toMatch(/^  creationTemplates:\n    - \{"prefix":"ROOT",/m);
    expect(io.written['repositories.yaml']).toMatch(/^registry:\n  replication: \[\{"destinations":\[\{"account":"111111111111","region":"eu-central-1"\}\],"filters":\["payments\/"\]\}/m);
    expect(JSON.parse(io.written['fleet-placement.json']).registry).toBe(true);
    expect(io.err).toBe('');
    // catalog validate, which also runs the EcrCompliance pack on the catalog's fleet, accepts it as written.
    const check = fakeIo({ 'repositories.yaml': io.written['repositories.yaml'] });
    expect(main(['catalog', 'validate', '--catalog', 'repositories.yaml'], check)).toBe(EXIT_OK);
    expect(check.out).toMatch(/^valid/);
  });

  test('given an export with repositories that fail Control Tower\'s controls, when imported, then the output lists them per control as acknowledged; with --control-tower, as changed, with what each change does', () => {
    const exported = text(generateRegistryExport({ repositories: 40, seed: 5 }));
    const io = fakeIo({ 'export.json': exported });
    expect(main(ARGS, io)).toBe(EXIT_OK);
    expect(io.out).toMatch(/AWS Control Tower: \d+ repositories have settings its controls refuse, acknowledged per entry\. An account that enforces a control refuses the deploy/);
    expect(io.out).toMatch(/\n  CT\.ECR\.PR\.3: (tags [A-Z_]+(, )?)+ in \d+ repositories\n    [a-z]/);
    expect(io.written['repositories.yaml']).toContain('{"id":"CT.ECR.PR.3","reason":"Kept as it runs in');

    const changed = fakeIo({ 'export.json': exported });
    expect(main([...ARGS, '--control-tower', '--format', 'json'], changed)).toBe(EXIT_OK);
    const report = JSON.parse(changed.out);
    expect(report.controlTower.length).toBeGreaterThan(0);
    expect(report.controlTower.every((r: any) => r.changed === true && r.controls.every((c: any) => typeof c.compliant === 'string'))).toBe(true);
    expect(changed.written['repositories.yaml']).not.toContain('CT.ECR.PR');
    expect(RepositoryCatalog.validate(changed.written['repositories.yaml'], CatalogFormat.YAML, 'repositories.yaml')).toEqual([]);
    const text2 = fakeIo({ 'export.json': exported });
    expect(main([...ARGS, '--control-tower'], text2)).toBe(EXIT_OK);
    expect(text2.out).toMatch(/\n  CT\.ECR\.PR\.3: .* -> tags IMMUTABLE in \d+ repositories: tags become immutable: a push of a tag that already exists in the repository fails/);
    expect(text2.out).toMatch(/\n  CT\.ECR\.PR\.1: no lifecycle policy -> the lifecycle policy recommended in \d+ repositories: the lifecycle policy starts expiring images at once: expire untagged images/);
  });

  test('given the same export in another order, when imported, then the files are byte-identical', () => {
    const exported = generateRegistryExport({ repositories: 30, seed: 9 });
    const a = fakeIo({ 'export.json': text(exported) });
    const b = fakeIo({ 'export.json': text({ ...exported, repositories: [...exported.repositories].reverse() }) });
    expect(main(ARGS, a)).toBe(EXIT_OK);
    expect(main(ARGS, b)).toBe(EXIT_OK);
    expect(b.written).toEqual(a.written);
  });

  test('given the same export with every set in another order (tags, exclusion filters, appliedFor, scanning rules and filters), when imported, then the files are byte-identical and the plan reports no change', () => {
    const exported = generateRegistryExport({ repositories: 30, seed: 9 });
    const reversed = JSON.parse(JSON.stringify(exported));
    for (const r of reversed.repositories) {
      r.tags.reverse();
      r.imageTagMutabilityExclusionFilters?.reverse();
    }
    for (const t of reversed.registry.repositoryCreationTemplates ?? []) {
      t.appliedFor.reverse();
      t.resourceTags?.reverse();
      t.imageTagMutabilityExclusionFilters?.reverse();
    }
    reversed.registry.scanningConfiguration?.rules.reverse();
    for (const rule of reversed.registry.scanningConfiguration?.rules ?? []) rule.repositoryFilters.reverse();
    // The fixture has what the test needs: tags, exclusion filters and appliedFor that another order changes.
    expect(JSON.stringify(reversed)).not.toEqual(JSON.stringify(exported));
    expect(exported.repositories.some((r) => r.tags.length > 1 && r.tags[0].Key !== 'owner')).toBe(true);
    expect(exported.repositories.some((r) => (r.imageTagMutabilityExclusionFilters ?? []).length > 1)).toBe(true);
    const a = fakeIo({ 'export.json': text(exported) });
    const b = fakeIo({ 'export.json': text(reversed) });
    expect(main(ARGS, a)).toBe(EXIT_OK);
    expect(main(ARGS, b)).toBe(EXIT_OK);
    expect(b.written).toEqual(a.written);
    const plan = fakeIo({ ...b.written, 'export.json': text(reversed) });
    expect(main(['catalog', 'plan', '--catalog', 'repositories.yaml', '--placement', 'fleet-placement.json', '--live', 'export.json', '--format', 'json'], plan)).toBe(EXIT_OK);
    expect(JSON.parse(plan.out).summary).toEqual(expect.objectContaining({ 'in-place update': 0, 'replacement': 0, 'undecided': 0, 'created': 0, 'not managed': 0 }));
  });

  test('given an open repository policy, when imported, then the catalog is written with it, the output names it, the exit code is 1, and the catalog refuses it until acknowledged', () => {
    const io = fakeIo({ 'export.json': text(generateRegistryExport({ repositories: 10, seed: 2, openPolicies: 1 })) });
    expect(main([...ARGS, '--format', 'json'], io)).toBe(EXIT_INVALID);
    const report = JSON.parse(io.out);
    expect(report.written).toBe(true);
    expect(report.openPolicies).toEqual([{ repositoryName: expect.any(String), statements: [expect.stringMatching(/^policy statement 'PublicPull' allows the '\*' principal/)] }]);
    const catalog = io.written['repositories.yaml'];
    const problems = RepositoryCatalog.validate(catalog, CatalogFormat.YAML, 'repositories.yaml');
    expect(problems).toEqual([expect.stringMatching(new RegExp(`'${report.openPolicies[0].repositoryName}': repositoryPolicy: policy statement 'PublicPull' allows`))]);
    // The user decides: the finding acknowledged in the entry (its list of acknowledgements, or a new one) makes the catalog valid.
    const lines = catalog.split('\n');
    const start = lines.indexOf(`  - name: ${JSON.stringify(report.openPolicies[0].repositoryName)}`);
    const end = lines.findIndex((l, i) => i > start && !l.startsWith('    '));
    const list = lines.slice(start, end).indexOf('    acknowledge:');
    const item = '      - { id: EcrCompliance-OpenAccess, reason: "public base images" }';
    if (list >= 0) lines.splice(start + list + 1, 0, item); else lines.splice(start + 1, 0, '    acknowledge:', item);
    const acknowledged = lines.join('\n');
    expect(RepositoryCatalog.validate(acknowledged, CatalogFormat.YAML, 'repositories.yaml')).toEqual([]);
  });

  test('given an export with several problems, when imported, then every problem is listed and nothing is written', () => {
    const exported = generateRegistryExport({ repositories: 5, seed: 4 });
    const repositories = exported.repositories.map((r, i) => (i === 0 ? { ...r, encryptionConfiguration: { encryptionType: 'KMS_DSSE', kmsKey: 'arn:aws:kms:eu-west-1:111111111111:key/x' } }
      : i === 1 ? { ...r, tags: [{ Key: 'empty', Value: '' }] }
        : i === 2 ? { ...r, lifecyclePolicyText: '{"rules":[]}' } : r));
    const io = fakeIo({ 'export.json': text({ ...exported, repositories }) });
    expect(main(ARGS, io)).toBe(EXIT_INVALID);
    expect(io.written).toEqual({});
    expect(io.err).toMatch(/^Nothing written: the export export\.json has 3 problems:\n/);
    expect(io.err).toContain(`repository '${exported.repositories[0].repositoryName}': encryption KMS_DSSE in eu-west-1: ECR offers dual-layer KMS encryption only in the AWS GovCloud (US) Regions`);
    expect(io.err).toContain(`repository '${exported.repositories[1].repositoryName}': tags: tag 'empty' has an empty value`);
    expect(io.err).toContain(`repository '${exported.repositories[2].repositoryName}': lifecyclePolicyText:`);
  });

  test.each<[string, string]>([
    ['not JSON', '{"format": '],
    ['a repository listed twice', text((() => { const e = generateRegistryExport({ repositories: 3, seed: 1 }); return { ...e, repositories: [...e.repositories, e.repositories[0]] }; })())],
    ['another version', text({ format: 'cdk-ecr-platform/registry-export', version: 9, repositories: [], registry: {} })],
  ])('given an export that is %s, when imported, then it is refused and nothing is written', (_what, content) => {
    const io = fakeIo({ 'export.json': content });
    expect(main(ARGS, io)).toBe(EXIT_INVALID);
    expect(io.written).toEqual({});
    expect(io.err).toMatch(/^Nothing written: the export export\.json has \d problems?:\n- export\.json:/);
  });

  test('given a placement file that cannot be written, when imported, then the catalog is not left without it: a new one is removed, an existing one restored', () => {
    const exported = text(generateRegistryExport({ repositories: 3, seed: 1 }));
    const failing = (files: Record<string, string>) => {
      const io = fakeIo(files);
      const write = io.writeFile!;
      io.writeFile = (file, content) => {
        if (file === 'fleet-placement.json') throw new Error(`ENOENT: no such file or directory, open '${file}'`);
        write(file, content);
      };
      return io;
    };
    const io = failing({ 'export.json': exported });
    expect(main(ARGS, io)).toBe(EXIT_USAGE);
    expect(io.err).toContain('cannot write fleet-placement.json: ENOENT');
    expect(io.err).toContain('nothing written: repositories.yaml is as it was');
    expect(io.written).toEqual({});
    expect(Object.keys(io.files)).toEqual(['export.json']);

    const existing = failing({ 'export.json': exported, 'repositories.yaml': 'repositories: []\n' });
    expect(main([...ARGS, '--force'], existing)).toBe(EXIT_USAGE);
    expect(existing.files['repositories.yaml']).toBe('repositories: []\n');
  });

  test('given a registry setting the catalog\'s own rules refuse, when imported, then it is a problem and nothing is written (never a block the catalog then refuses)', () => {
    const exported: any = generateRegistryExport({ repositories: 3, seed: 1 });
    exported.registry.signingConfiguration = { rules: [{ signingProfileArn: 'arn:aws:signer:eu-west-1:111111111111:/signing-profiles/p' }] };
    const io = fakeIo({ 'export.json': text(exported) });
    expect(main(ARGS, io)).toBe(EXIT_INVALID);
    expect(io.written).toEqual({});
    expect(io.err).toMatch(/^- export\.json: registry: signing\[0\]: signingProfileArn 'arn:aws:signer:eu-west-1:111111111111:\/signing-profiles\/p' is not an AWS Signer profile ARN/m);
  });

  test('given an export without repositories, when imported, then the catalog is one the catalog reader takes, and its plan says no change', () => {
    const exported: any = generateRegistryExport({ repositories: 3, seed: 1 });
    exported.repositories = [];
    const io = fakeIo({ 'export.json': text(exported) });
    expect(main(ARGS, io)).toBe(EXIT_OK);
    expect(io.written['repositories.yaml']).toMatch(/\nrepositories: \[\]\n$/);
    expect(RepositoryCatalog.validate(io.written['repositories.yaml'], CatalogFormat.YAML, 'repositories.yaml')).toEqual([]);
    const plan = fakeIo({ ...io.written, 'export.json': text(exported) });
    expect(main(['catalog', 'plan', '--catalog', 'repositories.yaml', '--placement', 'fleet-placement.json', '--live', 'export.json', '--format', 'json'], plan)).toBe(EXIT_OK);
    expect(JSON.parse(plan.out).summary).toEqual(expect.objectContaining({ 'in-place update': 0, 'replacement': 0, 'undecided': 0, 'created': 0, 'not managed': 0 }));
  });

  test('given an existing catalog, when imported without --force, then nothing is written; with --force it is replaced', () => {
    const files = { 'export.json': text(generateRegistryExport({ repositories: 3, seed: 1 })), 'repositories.yaml': 'repositories: []\n' };
    const io = fakeIo(files);
    expect(main(ARGS, io)).toBe(EXIT_USAGE);
    expect(io.err).toContain('repositories.yaml exists: give --force to replace it');
    expect(io.written).toEqual({});
    expect(main([...ARGS, '--force'], io)).toBe(EXIT_OK);
    expect(io.written['repositories.yaml']).toContain('# The repositories of registry 111111111111 in eu-west-1');
  });
});

describe('catalog import, then catalog plan --live', () => {
  test('given an imported catalog, when planned against the same export, then the first deploy changes nothing, the registry settings included', () => {
    const exported = text(generateRegistryExport({ repositories: 25, seed: 11 }));
    const io = fakeIo({ 'export.json': exported });
    expect(main(ARGS, io)).toBe(EXIT_OK);
    const plan = fakeIo({ ...io.files });
    expect(main(['catalog', 'plan', '--catalog', 'repositories.yaml', '--placement', 'fleet-placement.json', '--live', 'export.json', '--format', 'json'], plan)).toBe(EXIT_OK);
    const report = JSON.parse(plan.out);
    expect(report.repositories.filter((r: any) => r.verdict !== 'no change')).toEqual([]);
    expect(report.registry.filter((r: any) => r.verdict !== 'no change')).toEqual([]);
    expect(report.registry.map((r: any) => r.type)).toEqual(expect.arrayContaining(['AWS::ECR::PullThroughCacheRule', 'AWS::ECR::RepositoryCreationTemplate', 'Custom::EcrAccountSetting']));
  });

  test('given an imported catalog, when planned with --write-import-mappings, then the registry stack\'s mapping holds the cache rules and templates, and the output says the account settings cannot be imported', () => {
    const io = fakeIo({ 'export.json': text(generateRegistryExport({ repositories: 5, seed: 11 })) });
    expect(main(ARGS, io)).toBe(EXIT_OK);
    const plan = fakeIo({ ...io.files });
    expect(main(['catalog', 'plan', '--catalog', 'repositories.yaml', '--placement', 'fleet-placement.json', '--live', 'export.json', '--write-import-mappings', 'import'], plan)).toBe(EXIT_OK);
    const registry = Object.entries(plan.written).find(([file]) => /Registry/.test(file))!;
    expect(Object.values(JSON.parse(registry[1]))).toEqual(expect.arrayContaining([{ EcrRepositoryPrefix: 'docker-hub' }, { Prefix: 'ROOT' }]));
    expect(plan.out).toContain('not in the mappings: 2 account settings (Custom::EcrAccountSetting: custom resources, which CloudFormation cannot import); the first deploy creates them');
  });
});
