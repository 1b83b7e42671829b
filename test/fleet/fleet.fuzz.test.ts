import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { CfnResource } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { CliIo, main } from '../../src/cli/main';
import { CatalogFormat, RepositoryCatalog } from '../../src/fleet/catalog';
import { RepositoryFleet } from '../../src/fleet/fleet';
import { FleetKeyScope } from '../../src/fleet/key-scope';
import { parsePlacementState, placeRepositories, PlacementItem, placementOf, renderPlacementState } from '../../src/fleet/placement';
import { PrivateRepository } from '../../src/repository/private-repository';
import { FUZZ_RUNS, FUZZ_TIMEOUT, VALIDATION_ERROR } from '../util/fuzz';
import { ENV, strictApp } from '../util/harness';

/** A step: add these new repositories (name suffix, resources, bytes), then remove these (by index into the current list). */
const step = fc.record({
  add: fc.array(fc.record({ resources: fc.integer({ min: 1, max: 3 }), bytes: fc.integer({ min: 500, max: 20_000 }) }), { maxLength: 40 }),
  remove: fc.array(fc.nat(), { maxLength: 15 }),
});

describe('stable placement', () => {
  test('given random additions and removals, when placed each time from the committed file, then no repository ever changes shard, no shard ever leaves the file, and every shard stays within budget', () => {
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), fc.integer({ min: 10, max: 60 }), (steps, budgetResources) => {
      const budget = { resources: budgetResources, bytes: 200_000 };
      let current: PlacementItem[] = [];
      let file = renderPlacementState(placementOf(new Map()));
      const everListed = new Set<number>();
      let counter = 0;
      const everPlaced = new Map<string, number>();
      for (const s of steps) {
        current = [...current, ...s.add.map((a) => ({ name: `repo-${counter++}`, ...a }))];
        const removed = new Set(s.remove.filter(() => current.length > 0).map((i) => current[i % current.length].name));
        current = current.filter((c) => !removed.has(c.name));
        const previous = parsePlacementState(file, 'placement.json');
        const result = placeRepositories(previous.repositories, current, budget, previous.shards);
        // an emptied shard stays, so that the removal of its repositories is deployed
        for (const shard of everListed) expect(result.shards.map((u) => u.shard)).toContain(shard);
        for (const item of current) {
          const shard = result.placement.get(item.name)!;
          if (everPlaced.has(item.name)) expect(shard).toBe(everPlaced.get(item.name));
          everPlaced.set(item.name, shard);
        }
        expect([...result.placement.keys()].sort()).toEqual(current.map((c) => c.name).sort());
        for (const shard of result.shards) {
          expect(shard.resources).toBeLessThanOrEqual(budget.resources);
          expect(shard.bytes).toBeLessThanOrEqual(budget.bytes);
        }
        file = renderPlacementState({ ...previous, repositories: result.placement, shards: result.shards.map((u) => u.shard) });
        result.shards.forEach((u) => everListed.add(u.shard));
      }
    }), { numRuns: Math.max(FUZZ_RUNS, 100) });
  });

  test('given random additions and removals of a fleet with a placement file, when synthesized each time, then no repository changes stack, logical ID or key (whatever the key scope of each synthesis) and no stack holds more resources than the budget', () => {
    const steps = fc.array(
      fc.record({
        add: fc.integer({ min: 0, max: 15 }),
        remove: fc.array(fc.nat(), { maxLength: 6 }),
        keyScope: fc.constantFrom(FleetKeyScope.SHARD, FleetKeyScope.REGISTRY),
      }),
      { minLength: 1, maxLength: 5 },
    );
    fc.assert(fc.property(steps, (sequence) => {
      const placementFile = path.join(mkdtempSync(path.join(tmpdir(), 'fleet-fuzz-')), 'placement.json');
      let names: string[] = [];
      let counter = 0;
      const seen = new Map<string, string>();
      for (const s of sequence) {
        names = [...names, ...Array.from({ length: s.add }, () => `team-${counter % 3}/svc-${counter++}`)];
        const removed = new Set(s.remove.filter(() => names.length > 0).map((i) => names[i % names.length]));
        names = names.filter((n) => !removed.has(n));
        const fleet = new RepositoryFleet(strictApp(), 'Fleet', { repositories: names.map((repositoryName) => ({ repositoryName })), env: ENV, maxResourcesPerStack: 12, placementFile, keyScope: s.keyScope });
        for (const n of names) {
          // the key too: ECR cannot change a repository's key, whatever the fleet's key scope
          const key = (fleet.stackOf(n).node.findChild(n.replace(/\//g, '--')) as PrivateRepository).encryptionKey!.node.path;
          const where = `${fleet.stackOf(n).node.path} ${Object.keys(JSON.parse(fleet.importResourceMapping([n])))[0]} ${key}`;
          if (seen.has(n)) expect(where).toBe(seen.get(n));
          seen.set(n, where);
        }
        for (const stack of fleet.stacks) {
          expect(stack.node.findAll().filter((c) => CfnResource.isCfnResource(c)).length).toBeLessThanOrEqual(12);
        }
      }
    }), { numRuns: Math.min(FUZZ_RUNS, 25) });
  }, FUZZ_TIMEOUT);
});

describe('output independent of the catalog\'s order', () => {
  const DESTINATIONS = [
    [{ account: '222222222222', region: 'eu-central-1' }],
    [{ account: '222222222222', region: 'eu-central-1' }, { account: '333333333333', region: 'us-east-1' }],
    [{ account: '111111111111', region: 'eu-north-1' }],
  ];
  const entry = fc.record({
    owner: fc.option(fc.constantFrom('team-a', 'team-b'), { nil: undefined }),
    costCenter: fc.option(fc.constantFrom('cc-1', 'cc-2'), { nil: undefined }),
    replication: fc.option(fc.nat(DESTINATIONS.length - 1), { nil: undefined }),
    scanning: fc.option(fc.constantFrom('SCAN_ON_PUSH', 'CONTINUOUS_SCAN'), { nil: undefined }),
    access: fc.option(fc.constantFrom({ pullAccounts: ['222222222222'] }, { pullAccounts: ['333333333333', '444444444444'] }), { nil: undefined }),
    encryption: fc.option(fc.constantFrom('KMS', 'AES256'), { nil: undefined }),
  }, { requiredKeys: [] });
  const catalogs = fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 14 }).chain((ids) => fc.record({
    entries: fc.tuple(...ids.map((id) => entry.map((e) => ({ name: `team-${id % 3}/svc-${id}`, ...e })))),
    // Repositories already in the placement file (the others are new to it), and a permutation of the entries.
    placed: fc.array(fc.boolean(), { minLength: ids.length, maxLength: ids.length }),
    order: fc.array(fc.double({ noNaN: true }), { minLength: ids.length, maxLength: ids.length }),
    reversedDestinations: fc.boolean(),
    keyScope: fc.constantFrom(FleetKeyScope.SHARD, FleetKeyScope.REGISTRY),
  }));

  /** Every template of the app, the placement file after synth and the plan's output, for the catalog's entries in this order. */
  function outputs(entries: object[], previousPlacement: string, keyScope: FleetKeyScope): Map<string, string> {
    const dir = mkdtempSync(path.join(tmpdir(), 'fleet-order-'));
    const catalogText = JSON.stringify({ repositories: entries }, null, 2);
    const placementFile = path.join(dir, 'placement.json');
    writeFileSync(placementFile, previousPlacement);
    const files: Record<string, string> = { 'c.json': catalogText, 'p.json': previousPlacement };
    let plan = '';
    const io: CliIo = {
      stdout: (t) => { plan += t; }, stderr: (t) => { plan += t; }, readFile: (f) => files[f], readStdin: () => '', exists: (f) => f in files,
    };
    expect(main(['catalog', 'plan', '--catalog', 'c.json', '--placement', 'p.json', '--max-resources', '10', '--details'], io)).toBe(0);
    const app = strictApp();
    new RepositoryFleet(app, 'Fleet', {
      repositories: RepositoryCatalog.fromText(catalogText, CatalogFormat.JSON, 'c.json').repositories,
      env: ENV,
      maxResourcesPerStack: 10,
      placementFile,
      keyScope,
    });
    const out = app.synth().directory;
    const result = new Map<string, string>([['plan', plan], ['placement', readFileSync(placementFile, 'utf8')]]);
    for (const f of readdirSync(out).filter((n) => n.endsWith('.template.json')).sort()) result.set(f, readFileSync(path.join(out, f), 'utf8'));
    return result;
  }

  test('given random catalogs and placement files, when the entries are shuffled, then every template, the placement file and the plan are byte-identical', () => {
    fc.assert(fc.property(catalogs, ({ entries, placed, order, reversedDestinations, keyScope }) => {
      const asCatalog = (e: typeof entries[number], reverse: boolean) => {
        const { replication, ...rest } = e;
        const destinations = replication === undefined ? undefined : DESTINATIONS[replication];
        return { ...rest, ...(destinations ? { replication: reverse ? [...destinations].reverse() : destinations } : {}) };
      };
      const already = new Map(entries.filter((_, i) => placed[i]).map((e, i) => [e.name, 1 + (i % 2)]));
      const previous = renderPlacementState({ ...placementOf(already), shards: [1, 2] });
      const shuffled = entries.map((e, i) => ({ e, k: order[i] })).sort((a, b) => a.k - b.k).map(({ e }) => asCatalog(e, reversedDestinations));
      const first = outputs(entries.map((e) => asCatalog(e, false)), previous, keyScope);
      const second = outputs(shuffled, previous, keyScope);
      expect([...second.keys()]).toEqual([...first.keys()]);
      for (const [file, text] of first) expect(`${file}:\n${second.get(file)}`).toBe(`${file}:\n${text}`);
    }), { numRuns: Math.min(FUZZ_RUNS, 20) });
  }, FUZZ_TIMEOUT);
});

describe('catalog reading', () => {
  const value = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom('KMS', 'AES256', 'retain', 'destroy', 'SCAN_ON_PUSH', 'o-a1b2c3d4e5', '111111111111'));
  const setting = fc.dictionary(
    fc.constantFrom('owner', 'costCenter', 'tagMutability', 'encryption', 'scanning', 'removalPolicy', 'lifecycle', 'access', 'replication', 'ownr', 'tagMutabilityExclusions', 'acknowledge'),
    fc.oneof(value, fc.array(value, { maxLength: 3 }),
      fc.record({ preset: fc.constantFrom('recommended', 'capTotal', 'expireUntagged', 'keepLast'), count: fc.integer({ min: -1, max: 3 }), days: fc.integer({ min: -1, max: 3 }) }, { requiredKeys: ['preset'] }),
      fc.record({ pullAccounts: fc.array(value, { maxLength: 2 }), organization: value }, { requiredKeys: [] }),
      fc.array(fc.record({ account: value, region: fc.constantFrom('eu-west-1', 'moon-1') }), { maxLength: 2 }),
      fc.array(fc.record({
        id: fc.oneof(value, fc.constantFrom('EcrCompliance-TagImmutability', 'EcrCompliance-TagImutability', 'EcrCompliance-RegistrySingleton', 'AwsSolutions-ECR1')),
        reason: fc.oneof(value, fc.constantFrom('', ' ', 'tags move')),
      }, { requiredKeys: [] }), { maxLength: 3 })),
    { maxKeys: 4 },
  );
  const catalog = fc.record({
    defaults: setting,
    repositories: fc.array(fc.tuple(fc.constantFrom('svc', 'team/api', 'Bad', 'a', 'svc'), setting).map(([name, s]) => ({ name, ...s })), { maxLength: 5 }),
  }, { requiredKeys: [] });

  test('given random catalogs, when read, then each either yields repositories or fails listing every problem with file:line:column', () => {
    fc.assert(fc.property(catalog, fc.boolean(), (data, pretty) => {
      const text = JSON.stringify(data, null, pretty ? 2 : undefined);
      const problems = RepositoryCatalog.validate(text, CatalogFormat.JSON, 'c.json');
      for (const p of problems) expect(p).toMatch(/^c\.json:\d+:\d+: /);
      if (problems.length === 0) {
        expect(RepositoryCatalog.fromText(text, CatalogFormat.JSON, 'c.json').repositories).toHaveLength((data.repositories ?? []).length);
      } else {
        expect(() => RepositoryCatalog.fromText(text, CatalogFormat.JSON, 'c.json')).toThrow(VALIDATION_ERROR);
      }
    }), { numRuns: Math.max(FUZZ_RUNS, 200) });
  });
});
