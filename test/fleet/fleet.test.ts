import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Annotations, App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EcrComplianceChecks } from '../../src/compliance/pack';
import { CatalogFormat, RepositoryCatalog } from '../../src/fleet/catalog';
import { RepositoryFleet } from '../../src/fleet/fleet';
import { FleetKeyScope } from '../../src/fleet/key-scope';
import { moveRepositories, parsePlacementState, renderPlacementState } from '../../src/fleet/placement';
import { ReplicationDestination } from '../../src/registry/replication';
import { ImageEncryption } from '../../src/repository/encryption';
import { PrivateRepository } from '../../src/repository/private-repository';
import { RegistrySigning } from '../../src/signing/registry-signing';
import { describeFindings, ENV, readFindings, strictApp, synthesize, validTemplate } from '../util/harness';

const CATALOG = `defaults:
  owner: platform
  lifecycle:
    - { preset: expireUntagged, days: 7 }
    - { preset: keepLastReleases, count: 20, patterns: ['v*'] }
    - { preset: capTotal, count: 500 }
  access:
    organization: o-a1b2c3d4e5
repositories:
${Array.from({ length: 25 }, (_, i) => `  - name: team-${i % 3}/svc-${i}\n    costCenter: cc-${i % 4}`).join('\n')}
  - name: shared/base
    replication:
      - { account: '222222222222', region: eu-central-1 }
    scanning: SCAN_ON_PUSH
`;

function tmpFile(name: string): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'fleet-')), name);
}

describe('RepositoryFleet', () => {
  test('given a catalog and a small budget, when synthesized, then repositories spread over shard stacks that pass validation, Control Tower and the nag packs', () => {
    const app = strictApp();
    const placementFile = tmpFile('placement.json');
    const catalog = RepositoryCatalog.fromText(CATALOG, CatalogFormat.YAML, 'catalog.yaml');
    const fleet = new RepositoryFleet(app, 'Fleet', { repositories: catalog.repositories, env: ENV, maxResourcesPerStack: 12, placementFile });

    const result = synthesize(app, { nag: true });
    expect(describeFindings(result.cfnFindings)).toBe('');
    expect(describeFindings(result.controlTowerFindings)).toBe('');
    expect(describeFindings(result.nagFindings)).toBe('');

    expect(fleet.stacks.map((s) => s.node.id)).toEqual(['Shard1', 'Shard2', 'Shard3']);
    let repositories = 0;
    for (const stack of fleet.stacks) {
      const template = Template.fromJSON(JSON.parse(readFileSync(path.join(result.assembly.directory, stack.templateFile), 'utf8')));
      expect(Object.keys(template.toJSON().Resources).length).toBeLessThanOrEqual(12);
      repositories += Object.keys(template.findResources('AWS::ECR::Repository')).length;
    }
    expect(repositories).toBe(26);
    const shard1 = Template.fromJSON(JSON.parse(readFileSync(path.join(result.assembly.directory, fleet.stacks[0].templateFile), 'utf8')));
    shard1.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'team-0/svc-0',
      Tags: [{ Key: 'cost-center', Value: 'cc-0' }, { Key: 'owner', Value: 'platform' }],
      ImageTagMutability: 'IMMUTABLE',
    });
    const registryStack = app.node.findChild('Fleet').node.findChild('Registry') as Stack;
    const registry = Template.fromJSON(JSON.parse(readFileSync(path.join(result.assembly.directory, registryStack.templateFile), 'utf8')));
    registry.resourceCountIs('AWS::ECR::ReplicationConfiguration', 1);
    expect(JSON.stringify(registry.toJSON())).toContain('shared/base');
    registry.hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
      Rules: [{ ScanFrequency: 'SCAN_ON_PUSH', RepositoryFilters: [{ Filter: '*', FilterType: 'WILDCARD' }] }],
    });
    expect(JSON.parse(readFileSync(placementFile, 'utf8')).shards.Shard1).toContain('team-0/svc-0');
  });

  test('given a placement file, when a repository is added and another removed, then no other repository changes stack or logical ID', () => {
    const placementFile = tmpFile('placement.json');
    const names = Array.from({ length: 30 }, (_, i) => `svc-${i}`);
    const build = (list: string[]) => {
      const app = strictApp();
      const fleet = new RepositoryFleet(app, 'Fleet', { repositories: list.map((repositoryName) => ({ repositoryName })), env: ENV, maxResourcesPerStack: 12, placementFile });
      const where = new Map<string, string>();
      for (const n of list) {
        where.set(n, `${fleet.stackOf(n).node.path}/${Object.keys(JSON.parse(fleet.importResourceMapping([n])))[0]}`);
      }
      return where;
    };
    const before = build(names);
    const after = build(['new-first', ...names.filter((n) => n !== 'svc-3'), 'new-last']);
    for (const n of names.filter((x) => x !== 'svc-3')) expect(after.get(n)).toBe(before.get(n));
    // the room svc-3 left (new repositories are placed in name order: new-first before new-last)
    expect(after.get('new-first')!.split('/')[1]).toBe(before.get('svc-3')!.split('/')[1]);
  });

  test('given updatePlacementFile false and a catalog the file does not cover, when synthesized, then it fails naming the file', () => {
    const placementFile = tmpFile('placement.json');
    writeFileSync(placementFile, JSON.stringify({ version: 1, shards: { Shard1: ['a1'] } }));
    expect(() => new RepositoryFleet(strictApp(), 'Fleet', { repositories: [{ repositoryName: 'a1' }, { repositoryName: 'b2' }], placementFile, updatePlacementFile: false }))
      .toThrow(/placement file .*placement\.json is out of date \(1 repositories to place, 0 to remove\)/);
  });

  describe('acknowledged findings', () => {
    /** The EcrCompliance findings of a synthesis of the catalog's fleet, as `rule at path`. */
    function complianceFindings(catalog: string): string[] {
      const app = strictApp();
      Validations.of(app).addPlugins(new EcrComplianceChecks(app));
      new RepositoryFleet(app, 'Fleet', { repositories: RepositoryCatalog.fromText(catalog, CatalogFormat.YAML, 'c.yaml').repositories, env: ENV });
      try {
        app.synth();
      } catch (e) {
        if (!/Validation failed|\(EcrCompliance\)/.test(String((e as Error).message))) throw e;
      }
      return readFindings(app.outdir).filter((f) => f.plugin === 'EcrCompliance').map((f) => `${f.rule} at ${f.path}`).sort();
    }
    const MUTABLE = 'repositories:\n  - name: cache/a\n    tagMutability: MUTABLE\n    encryption: AES256\n';

    test('given a MUTABLE AES256 entry, when synthesized with the pack, then it reports the findings', () => {
      expect(complianceFindings(MUTABLE).map((f) => f.replace(/ at .*/, ''))).toEqual([
        'EcrCompliance-ControlTowerImmutableTags', 'EcrCompliance-CustomerManagedKey', 'EcrCompliance-TagImmutability',
      ]);
    });

    test('given the same entry acknowledging each finding with a reason, when synthesized, then the pack reports none', () => {
      const catalog = `repositories:
  - name: cache/a
    tagMutability: MUTABLE
    encryption: AES256
    acknowledge:
      - { id: EcrCompliance-TagImmutability, reason: cache tags move }
      - { id: EcrCompliance-ControlTowerImmutableTags, reason: cache tags move }
      - { id: EcrCompliance-CustomerManagedKey, reason: AES256 accepted for caches }
`;
      expect(complianceFindings(catalog)).toEqual([]);
    });

    test.each([
      [[{ id: 'EcrCompliance-TagImutability', reason: 'x' }], /repositories\[0\] 'a\/b': acknowledgements\[0\]\.id: 'EcrCompliance-TagImutability' is no rule of the EcrCompliance pack that checks repositories: did you mean 'EcrCompliance-TagImmutability'\?/],
      [[{ id: 'EcrCompliance-TagImmutability', reason: ' ' }], /acknowledgements\[0\]\.reason: the acknowledgement of EcrCompliance-TagImmutability needs a reason/],
      [[{ id: 'EcrCompliance-TagImmutability', reason: 'a' }, { id: 'EcrCompliance-TagImmutability', reason: 'b' }], /acknowledgements\[1\]: EcrCompliance-TagImmutability is acknowledged twice/],
    ])('given acknowledgements %j in code, when the fleet is constructed, then it refuses them naming the entry', (acknowledgements, expected) => {
      expect(() => new RepositoryFleet(strictApp(), 'Fleet', { repositories: [{ repositoryName: 'a/b', acknowledgements }] })).toThrow(expected);
    });
  });

  describe('messages of the fleet', () => {
    /** The messages of every stack artifact of the app's cloud assembly, as `cdk synth` prints them. */
    function assemblyMessages(app: App): { level: string; path: string; text: string }[] {
      return app.synth().stacks.flatMap((s) => s.messages.map((m) => ({ level: m.level, path: m.id, text: String(m.entry.data) })));
    }
    const destination = ReplicationDestination.of('222222222222', 'eu-central-1');
    function outdatedRegistryFile(): string {
      const placementFile = tmpFile('placement.json');
      writeFileSync(placementFile, JSON.stringify({ version: 1, shards: { Shard1: ['a1'] } }));
      return placementFile;
    }

    test('given updatePlacementFile false and a file that does not record the registry stack, when synthesized, then the warning reaches the cloud assembly at a stack of the fleet', () => {
      const app = strictApp();
      new RepositoryFleet(app, 'Fleet', { repositories: [{ repositoryName: 'a1', replicationDestinations: [destination] }], env: ENV, placementFile: outdatedRegistryFile(), updatePlacementFile: false });
      const warnings = assemblyMessages(app).filter((m) => m.level === 'warning' && m.text.includes('cdk-ecr-platform:placementFileOutdated'));
      expect(warnings).toEqual([{ level: 'warning', path: '/Fleet/Shard1', text: expect.stringMatching(/^RepositoryFleet 'Fleet': placement file .*placement\.json does not record the registry stack/) }]);
    });

    test('given that warning acknowledged on the fleet, when synthesized, then the assembly has no such warning', () => {
      const app = strictApp();
      const fleet = new RepositoryFleet(app, 'Fleet', { repositories: [{ repositoryName: 'a1', replicationDestinations: [destination] }], env: ENV, placementFile: outdatedRegistryFile(), updatePlacementFile: false });
      Annotations.of(fleet).acknowledgeWarning('cdk-ecr-platform:placementFileOutdated', 'the registry stack is recorded by the next release');
      expect(assemblyMessages(app).filter((m) => m.text.includes('placementFileOutdated'))).toEqual([]);
    });

    test('given repositories new to a placement file, when synthesized, then the note that lists them reaches the cloud assembly', () => {
      const placementFile = tmpFile('placement.json');
      writeFileSync(placementFile, JSON.stringify({ version: 1, shards: { Shard1: ['a1'] } }));
      const app = strictApp();
      new RepositoryFleet(app, 'Fleet', { repositories: [{ repositoryName: 'c3' }, { repositoryName: 'a1' }, { repositoryName: 'b2' }], env: ENV, placementFile });
      expect(assemblyMessages(app).filter((m) => m.level === 'info' && m.text.includes('new repositories placed')))
        .toEqual([{ level: 'info', path: '/Fleet/Shard1', text: "RepositoryFleet 'Fleet': 2 new repositories placed: b2, c3" }]);
    });
  });

  test.each([
    [{ repositories: [{ repositoryName: 'a1' }, { repositoryName: 'a1' }] }, /repository 'a1' is listed twice/],
    [{ repositories: [], maxResourcesPerStack: 600 }, /maxResourcesPerStack 600 must be a whole number from 10 to 500/],
    [{ repositories: [{ repositoryName: 'Bad' }] }, /repositoryName 'Bad' breaks ECR's naming rule/],
  ])('given bad props %#, when constructed, then the error names the rule', (props, expected) => {
    expect(() => new RepositoryFleet(strictApp(), 'Fleet', props as any)).toThrow(expected);
  });

  test('given a fleet, when asked for an unknown repository or an import mapping, then it answers by name', () => {
    const app = strictApp();
    const fleet = new RepositoryFleet(app, 'Fleet', { repositories: [{ repositoryName: 'team/api' }], env: ENV });
    const role = new iam.Role(new Stack(app, 'Consumer', { env: ENV }), 'Role', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
    fleet.repository('team/api').grantPull(role);
    expect(JSON.stringify(Stack.of(role).resolve((role.node.findChild('DefaultPolicy') as iam.Policy).document))).toContain('ecr:BatchGetImage');
    expect(() => fleet.repository('team/apj')).toThrow(/no repository 'team\/apj' in the fleet: did you mean 'team\/api'\?/);
    const mapping = JSON.parse(fleet.importResourceMapping(['team/api']));
    expect(Object.values(mapping)).toEqual([{ RepositoryName: 'team/api' }]);
    expect(Object.keys(mapping)[0]).toMatch(/^teamapi/);
  });

  test('given a fleet, when synthesized, then its shard resources record no creation stack trace unless asked, and other stacks keep theirs', () => {
    const traces = (creationStackTraces?: boolean) => {
      const app = strictApp();
      const fleet = new RepositoryFleet(app, 'Fleet', { repositories: [{ repositoryName: 'team/api' }], env: ENV, creationStackTraces });
      const other = new Stack(app, 'Other', { env: ENV });
      new iam.Role(other, 'Role', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
      const traced = (stack: Stack) => stack.node.findAll().filter((c) => c.node.metadata.some((entry) => entry.type === 'aws:cdk:creationStack')).map((c) => c.node.path);
      return { shard: traced(fleet.stacks[0]).sort(), other: traced(other).sort() };
    };
    const before = process.env.CDK_DEBUG;
    delete process.env.CDK_DEBUG;
    try {
      // the shard stack itself keeps the trace of the fleet's constructor
      expect(traces()).toEqual({ shard: ['Fleet/Shard1'], other: ['Other', 'Other/Role/Resource'] });
      expect(traces(true)).toEqual({
        shard: ['Fleet/Shard1', 'Fleet/Shard1/EcrRepositoryKey/Resource', 'Fleet/Shard1/team--api/Resource'],
        other: ['Other', 'Other/Role/Resource'],
      });
    } finally {
      if (before !== undefined) process.env.CDK_DEBUG = before;
    }
  });

  test('given a shard whose last repository is removed, when synthesized, then the shard stays in the app with a placeholder, so that the removal is deployed, and the file keeps it', () => {
    const placementFile = tmpFile('placement.json');
    writeFileSync(placementFile, JSON.stringify({ version: 1, shards: { Shard1: ['a1'], Shard2: ['b1'] } }));
    const app = strictApp();
    const fleet = new RepositoryFleet(app, 'Fleet', { repositories: [{ repositoryName: 'a1' }], env: ENV, placementFile });
    const result = synthesize(app, { nag: true });
    expect(describeFindings(result.cfnFindings)).toBe('');
    expect(describeFindings(result.controlTowerFindings)).toBe('');
    expect(describeFindings(result.nagFindings)).toBe('');
    expect(fleet.stacks.map((s) => s.node.id)).toEqual(['Shard1', 'Shard2']);
    const shard2 = JSON.parse(readFileSync(path.join(result.assembly.directory, fleet.stacks[1].templateFile), 'utf8'));
    expect(Object.values<any>(shard2.Resources).map((r) => r.Type)).toEqual(['AWS::CloudFormation::WaitConditionHandle']);
    expect(JSON.parse(readFileSync(placementFile, 'utf8')).shards).toEqual({ Shard1: ['a1'], Shard2: [] });

    // once Shard1 is full, a new repository goes to the emptied shard, and the placeholder goes
    const full = Array.from({ length: 8 }, (_, i) => ({ repositoryName: `a${i + 1}` }));
    writeFileSync(placementFile, JSON.stringify({ version: 1, shards: { Shard1: full.map((r) => r.repositoryName), Shard2: [] } }));
    const again = new RepositoryFleet(strictApp(), 'Fleet', { repositories: [...full, { repositoryName: 'c1' }], env: ENV, placementFile, maxResourcesPerStack: 10 });
    expect(again.stackOf('c1').node.id).toBe('Shard2');
    expect(again.stacks[1].node.tryFindChild('EmptyShardPlaceholder')).toBeUndefined();
  });

  test('given a fleet whose registry settings all go, when synthesized, then its registry stack stays with a placeholder, so that CloudFormation removes them', () => {
    const placementFile = tmpFile('placement.json');
    const destination = ReplicationDestination.of('222222222222', 'eu-central-1');
    new RepositoryFleet(strictApp(), 'Fleet', { repositories: [{ repositoryName: 'a1', replicationDestinations: [destination] }], env: ENV, placementFile });
    expect(JSON.parse(readFileSync(placementFile, 'utf8')).registry).toBe(true);

    const app = strictApp();
    new RepositoryFleet(app, 'Fleet', { repositories: [{ repositoryName: 'a1' }], env: ENV, placementFile });
    const registryStack = app.node.findChild('Fleet').node.findChild('Registry') as Stack;
    const template = validTemplate(registryStack, { nag: true });
    expect(Object.values<any>(template.toJSON().Resources).map((r) => r.Type)).toEqual(['AWS::CloudFormation::WaitConditionHandle']);
  });

  test('given a fleet that fails validation, when constructed, then the placement file is not written', () => {
    const placementFile = tmpFile('placement.json');
    expect(() => new RepositoryFleet(strictApp(), 'Fleet', { repositories: [{ repositoryName: 'a1' }, { repositoryName: 'Bad' }], env: ENV, placementFile }))
      .toThrow(/repositoryName 'Bad' breaks ECR's naming rule/);
    expect(existsSync(placementFile)).toBe(false);
  });

  test('given a repository moved to another shard with its key recorded, when synthesized, then it keeps the old shard\'s key, and the old shard keeps the key', () => {
    const placementFile = tmpFile('placement.json');
    // Shard1 lost its last repository by the move: it keeps the key, which still encrypts the moved one
    writeFileSync(placementFile, JSON.stringify({ version: 1, shards: { Shard1: [], Shard2: ['b1', 'moved'] }, keys: { moved: 'Shard1' } }));
    const app = strictApp();
    const fleet = new RepositoryFleet(app, 'Fleet', {
      repositories: [{ repositoryName: 'b1' }, { repositoryName: 'moved' }],
      env: ENV,
      placementFile,
    });
    const result = synthesize(app, { nag: true });
    expect(describeFindings(result.cfnFindings)).toBe('');
    expect(describeFindings(result.nagFindings)).toBe('');
    const read = (stack: Stack) => JSON.parse(readFileSync(path.join(result.assembly.directory, stack.templateFile), 'utf8'));
    const shard1 = read(fleet.stacks[0]);
    const shard2 = read(fleet.stacks[1]);
    const keyOf = (template: any, name: string) => Object.values<any>(template.Resources)
      .find((r) => r.Properties?.RepositoryName === name).Properties.EncryptionConfiguration.KmsKey;
    expect(Object.values<any>(shard1.Resources).map((r) => r.Type)).toEqual(['AWS::KMS::Key']);
    const shard1Key = Object.keys(shard1.Resources)[0];
    expect(shard1Key).toMatch(/^EcrRepositoryKey/);
    expect(JSON.stringify(keyOf(shard2, 'moved'))).toContain('Fn::ImportValue');
    expect(JSON.stringify(keyOf(shard2, 'moved'))).toContain(shard1Key);
    expect(keyOf(shard2, 'b1')).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^EcrRepositoryKey/), 'Arn'] });
    expect(JSON.parse(readFileSync(placementFile, 'utf8')).keys).toEqual({ moved: 'Shard1' });
  });

  describe('key scope', () => {
    /** Every template of a synthesis (with the nag packs, which must find nothing), by stack ID. */
    function templates(app: App): Record<string, any> {
      const result = synthesize(app, { nag: true });
      expect(describeFindings(result.cfnFindings)).toBe('');
      expect(describeFindings(result.nagFindings)).toBe('');
      return Object.fromEntries(result.assembly.stacks.map((s) => [s.hierarchicalId.replace(/^Fleet\//, ''), s.template]));
    }
    const keyOf = (all: Record<string, any>, name: string) => {
      for (const t of Object.values(all)) {
        const r = Object.values<any>(t.Resources).find((x) => x.Properties?.RepositoryName === name);
        if (r) return JSON.stringify(r.Properties.EncryptionConfiguration.KmsKey);
      }
      throw new Error(`no repository ${name}`);
    };
    const typesOf = (template: any) => Object.values<any>(template.Resources).map((r) => r.Type);
    const names = (n: number, prefix = 'svc') => Array.from({ length: n }, (_, i) => ({ repositoryName: `${prefix}-${i}` }));

    test('given keyScope REGISTRY, when synthesized, then every shard\'s repositories use the one key of the registry stack, which exports it, and no shard has a key', () => {
      const placementFile = tmpFile('placement.json');
      const app = strictApp();
      const fleet = new RepositoryFleet(app, 'Fleet', { repositories: names(12), env: ENV, maxResourcesPerStack: 10, placementFile, keyScope: FleetKeyScope.REGISTRY });
      expect(fleet.stacks.length).toBe(2);
      const all = templates(app);
      expect(typesOf(all.Registry)).toEqual(['AWS::KMS::Key']);
      expect(Object.values<any>(all.Registry.Outputs).map((o) => Object.keys(o.Export))).toEqual([['Name']]);
      for (const shard of ['Shard1', 'Shard2']) expect(typesOf(all[shard]).filter((t) => t === 'AWS::KMS::Key')).toEqual([]);
      const keys = new Set(names(12).map((r) => keyOf(all, r.repositoryName)));
      expect([...keys]).toEqual([expect.stringContaining('Fn::ImportValue')]);
      expect(JSON.parse(readFileSync(placementFile, 'utf8'))).toMatchObject({ keyScope: 'REGISTRY', registryKey: true, registry: true });
    });

    test('given a fleet on shard keys switched to keyScope REGISTRY, when synthesized, then the placed repositories keep their shard\'s key (recorded in the file, with a warning), new ones take the registry key, and a move needs no key bookkeeping', () => {
      const placementFile = tmpFile('placement.json');
      const first = strictApp();
      new RepositoryFleet(first, 'Fleet', { repositories: names(3), env: ENV, placementFile });
      const before = templates(first);

      const app = strictApp();
      new RepositoryFleet(app, 'Fleet', { repositories: [...names(3), { repositoryName: 'new-one' }], env: ENV, placementFile, keyScope: FleetKeyScope.REGISTRY });
      const messages = app.synth().stacks.flatMap((s) => s.messages.map((m) => String(m.entry.data)));
      expect(messages.filter((m) => m.includes('fleetKeyScopeKept'))).toEqual([
        expect.stringContaining("RepositoryFleet 'Fleet': keyScope REGISTRY applies to new repositories only: 3 repositories of the placement file keep the key they have, because ECR cannot change a repository's key (svc-0, svc-1, svc-2)"),
      ]);
      const after = templates(app);
      for (const r of names(3)) expect(keyOf(after, r.repositoryName)).toBe(keyOf(before, r.repositoryName));
      expect(keyOf(after, 'new-one')).toContain('Fn::ImportValue');
      expect(typesOf(after.Shard1).filter((t) => t === 'AWS::KMS::Key')).toHaveLength(1);
      const file = JSON.parse(readFileSync(placementFile, 'utf8'));
      expect(file).toMatchObject({ keyScope: 'REGISTRY', keys: { 'svc-0': 'Shard1', 'svc-1': 'Shard1', 'svc-2': 'Shard1' } });

      // moved to a new shard: the registry-keyed repository records nothing, and keeps its key
      writeFileSync(placementFile, renderPlacementState(moveRepositories(parsePlacementState(readFileSync(placementFile, 'utf8'), 'p'), ['new-one'], 2)));
      expect(JSON.parse(readFileSync(placementFile, 'utf8')).keys).toEqual(file.keys);
      const moved = strictApp();
      new RepositoryFleet(moved, 'Fleet', { repositories: [...names(3), { repositoryName: 'new-one' }], env: ENV, placementFile, keyScope: FleetKeyScope.REGISTRY });
      const afterMove = templates(moved);
      expect(typesOf(afterMove.Shard2)).toEqual(['AWS::ECR::Repository']);
      expect(keyOf(afterMove, 'new-one')).toBe(keyOf(after, 'new-one'));
    });

    test('given a fleet on the registry key switched back to shard keys, when synthesized, then its repositories keep the registry key, which the registry stack keeps', () => {
      const placementFile = tmpFile('placement.json');
      const first = strictApp();
      new RepositoryFleet(first, 'Fleet', { repositories: names(2), env: ENV, placementFile, keyScope: FleetKeyScope.REGISTRY });
      const before = templates(first);
      const app = strictApp();
      new RepositoryFleet(app, 'Fleet', { repositories: [...names(2), { repositoryName: 'new-one' }], env: ENV, placementFile });
      const after = templates(app);
      for (const r of names(2)) expect(keyOf(after, r.repositoryName)).toBe(keyOf(before, r.repositoryName));
      expect(keyOf(after, 'new-one')).toContain('Fn::GetAtt');
      expect(typesOf(after.Registry)).toEqual(['AWS::KMS::Key']);
      expect(JSON.parse(readFileSync(placementFile, 'utf8'))).toMatchObject({ registryKey: true, keys: { 'svc-0': 'Registry', 'svc-1': 'Registry' } });
    });
  });

  test('given a moved repository whose encryption creates a key of its own, then the fleet refuses it naming the repository', () => {
    const placementFile = tmpFile('placement.json');
    writeFileSync(placementFile, JSON.stringify({ version: 1, shards: { Shard1: [], Shard2: ['moved'] }, keys: { moved: 'Shard1' } }));
    expect(() => new RepositoryFleet(strictApp(), 'Fleet', { repositories: [{ repositoryName: 'moved', encryption: ImageEncryption.kms() }], env: ENV, placementFile }))
      .toThrow(/repository 'moved' moved from Shard1 \(placement file keys\), but its encryption creates a key of its own/);
  });

  test.each([
    [{ Shard1: ['a1'] }, { b1: 'Shard1' }, /keys: 'b1' is in no shard of the file/],
    [{ Shard2: ['a1'] }, { a1: 'Shard1' }, /keys: 'a1' is encrypted with the key of Shard1, which the file does not list/],
    [{ Shard1: ['a1'] }, { a1: 1 }, /keys: 'a1' must name a shard/],
  ])('given a placement file with bad keys %#, then the fleet fails naming the file and the entry', (shards, keys, expected) => {
    const placementFile = tmpFile('placement.json');
    writeFileSync(placementFile, JSON.stringify({ version: 1, shards, keys }));
    expect(() => new RepositoryFleet(strictApp(), 'Fleet', { repositories: [{ repositoryName: 'a1' }], env: ENV, placementFile })).toThrow(expected);
  });

  test('given a fleet with a concrete env, when another stack is granted access to one of its repositories, then the shard exports nothing and another account\'s grant goes to the repository policy', () => {
    const app = strictApp();
    const fleet = new RepositoryFleet(app, 'Fleet', { repositories: [{ repositoryName: 'team/api' }], env: ENV });
    const consumer = new Stack(app, 'Consumer', { env: ENV });
    const role = new iam.Role(consumer, 'Role', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
    const repository = fleet.repository('team/api');
    repository.grantPull(role);
    repository.grantPull(new iam.AccountPrincipal('333333333333'));
    expect(repository.repositoryName).toBe('team/api');

    const shard = validTemplate(fleet.stacks[0]);
    expect(shard.toJSON().Outputs).toBeUndefined();
    shard.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryPolicyText: { Statement: [{ Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::333333333333:root']] } } }] },
    });
    const policy = JSON.stringify(validTemplate(consumer).toJSON());
    expect(policy).not.toContain('Fn::ImportValue');
    expect(policy).toContain(':ecr:eu-west-1:111111111111:repository/team/api');
    expect(consumer.dependencies).toEqual([]);
  });

  test('given an environment-agnostic fleet, then its repository is the repository itself (other stacks import it from the shard)', () => {
    const app = strictApp();
    const fleet = new RepositoryFleet(app, 'Fleet', { repositories: [{ repositoryName: 'team/api' }] });
    expect(fleet.repository('team/api')).toBeInstanceOf(PrivateRepository);
  });

  test.each([
    ['{\n  "version": 1,\n  "shards": {},\n}', /placement\.json:4:1: placement file is not valid JSON: expected a key in double quotes/],
    ['{"version": 2, "shards": {}}', /placement file .*placement\.json has version 2, which this version of cdk-ecr-platform does not know/],
  ])('given a broken placement file %#, then the fleet says where or which version', (text, expected) => {
    const placementFile = tmpFile('placement.json');
    writeFileSync(placementFile, text);
    expect(() => new RepositoryFleet(strictApp(), 'Fleet', { repositories: [{ repositoryName: 'a1' }], env: ENV, placementFile })).toThrow(expected);
  });

  test('given repositories moved with moveRepositories, then each records the shard of its key, keeps it over a second move, drops it when moved back, and keeps its logical ID', () => {
    const start = parsePlacementState(JSON.stringify({ version: 1, shards: { Shard1: ['a1', 'a2'], Shard2: ['b1'] } }), 'placement.json');
    const moved = moveRepositories(start, ['a1', 'a2'], 3);
    expect(moved.keys).toEqual(new Map([['a1', 1], ['a2', 1]]));
    const again = moveRepositories(moveRepositories(moved, ['a1'], 2), ['a2'], 1);
    expect(again.keys).toEqual(new Map([['a1', 1]]));
    expect(JSON.parse(renderPlacementState(again))).toEqual({ version: 1, shards: { Shard1: ['a2'], Shard2: ['a1', 'b1'], Shard3: [] }, keys: { a1: 'Shard1' } });
    expect(() => moveRepositories(start, ['zz'], 2)).toThrow(/the placement holds no repository 'zz'/);

    const placementFile = tmpFile('placement.json');
    const repositories = [{ repositoryName: 'a1' }, { repositoryName: 'a2' }, { repositoryName: 'b1' }];
    writeFileSync(placementFile, renderPlacementState(start));
    const before = new RepositoryFleet(strictApp(), 'Fleet', { repositories, env: ENV, placementFile });
    writeFileSync(placementFile, renderPlacementState(again));
    const after = new RepositoryFleet(strictApp(), 'Fleet', { repositories, env: ENV, placementFile, updatePlacementFile: false });
    expect(after.stackOf('a1').node.id).toBe('Shard2');
    expect(after.importResourceMapping(['a1', 'a2', 'b1'])).toBe(before.importResourceMapping(['a1', 'a2', 'b1']));
    expect(after.stacks.map((s) => s.node.id)).toEqual(['Shard1', 'Shard2', 'Shard3']);
  });

  test.each([
    ['grantPush', (r: any, g: iam.IGrantable) => r.grantPush(g)],
    ['grantPullPush', (r: any, g: iam.IGrantable) => r.grantPullPush(g)],
  ])('given %s on a fleet repository that a signing rule of its registry covers, then the pusher may sign with the profile', (_name, grant) => {
    const app = strictApp();
    const fleet = new RepositoryFleet(app, 'Fleet', { repositories: [{ repositoryName: 'platform/api' }], env: ENV });
    const profile = 'arn:aws:signer:eu-west-1:111111111111:/signing-profiles/platform';
    const consumer = new Stack(app, 'Consumer', { env: ENV });
    RegistrySigning.of(consumer).addRule({ signingProfileArn: profile, repositoryFilters: ['platform/*'] });
    const role = new iam.Role(consumer, 'Builder', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
    grant(fleet.repository('platform/api'), role);
    validTemplate(consumer).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([{ Effect: 'Allow', Action: 'signer:SignPayload', Resource: profile }]) },
    });
  });
});
