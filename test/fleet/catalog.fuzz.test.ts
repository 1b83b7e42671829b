import * as fc from 'fast-check';
import { CatalogFormat, RepositoryCatalog } from '../../src/fleet/catalog';
import { resolvedAccessPolicy } from '../../src/repository/access';
import { ImageEncryption } from '../../src/repository/encryption';
import { FUZZ_RUNS } from '../util/fuzz';

const BASE = [
  '# platform catalog',
  'defaults:',
  '  owner: platform',
  '  lifecycle: { preset: expireUntagged, days: 7 }',
  'repositories:',
  '  - name: team-a/api',
  "    costCenter: 'cc-1'",
  '    replication:',
  "      - { account: '222222222222', region: eu-central-1 }",
  '  - name: team-b/web',
  '    access:',
  '      pullAccounts: [333333333333]',
];

/** Lines a catalog edit may bring: document markers, directives, quoting, tabs, colons, flow text. */
const FRAGMENTS = ['---', '...', '--- # start', '%YAML 1.2', '\ufeff', '\t  owner: x', '    owner: team: a', '    owner: "a: b"', "    name: 'x''y'",
  '  - name: 2048', '    costCenter: 4711', '  - { name: flow/one }', '    lifecycle: { policy: { rules: [] } }', '    access: { organizationalUnits: [r-ab12/ou-ab12-11111111] }',
  '    replication: [{ account: 1.5e11, region: mars-1 }]', '  -', '  - name:', '#', '"unterminated', '{', ']', ': x', '    scanning: CONTINUOUS_SCAN',
  '    acknowledge: [{ id: EcrCompliance-TagImmutability, reason: tags move }]', '    acknowledge: [{ id: EcrCompliance-TagImutability, reason: "" }]',
  '    acknowledge:', '      - { id: EcrCompliance-RegistrySingleton }', '      - reason: x',
  "    access: { pushPrincipalArns: ['arn:aws:iam::222222222222:role/ci-*'] }",
  '    access: { organization: o-a1b2c3d4e5, pushOrganization: yes }', '      pushOrganizationalUnits: [r-ab12/ou-ab12-11111111]', '      pushOrganization: true',
  '      pullPrincipalArns: [arn:aws:iam::222222222222:role/ci]', '      pushPrincipalArns:', '        - arn:aws:sts::222222222222:assumed-role/ci/s',
  '    kmsKey: arn:aws:kms:eu-west-1:111111111111:key/abc', '    encryption: KMS', '    kmsKey: 12', '    scanOnPush: false', '    scanOnPush: off', '    lifecycle: none',
  '    tags: { a: b, "aws:x": y }', '    tags:', '      k: ""', '      owner: x', '    tags: [a]',
  '    repositoryPolicy: {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "ecr:*"}]}',
  '    repositoryPolicy: { Statement: [] }', '    repositoryPolicy:', '      Statement: { Effect: Allow, Principal: { AWS: "arn:aws:iam::222222222222:root" } }',
  '    acknowledge: [{ id: EcrCompliance-OpenAccess, reason: public }]',
  'registry:', '  replication: [{ destinations: [{ account: \'222222222222\', region: us-east-1 }], filters: [a/] }]', '  scanType: ENHANCED', '  scanType: FAST',
  '  scanning: [{ frequency: CONTINUOUS_SCAN, filters: [\'*\'] }]', '  scanning: [{ frequency: SCAN_ON_PUSH }]', '  replication: [{ destinations: [] }]',
  '    encryption: KMS_DSSE', '    kmsKey: aws/ecr', '    kmsKey: alias/aws/ecr', '    region: us-gov-west-1', '    kmsKey: arn:aws-us-gov:kms:us-gov-west-1:111111111111:key/abc',
  '    acknowledge: [{ id: CT.ECR.PR.3, reason: mutable here }]', '    acknowledge: [{ id: CT.ECR.PR.9, reason: r }]', '      - { id: CT.ECR.PR.1, reason: "" }',
  // The registry block's pull-through cache rules, creation templates, signing, exclusions and account settings.
  '  pullThroughCache:', '    - { prefix: docker-hub, upstream: registry-1.docker.io }', '    - { prefix: ecr-public, upstream: public.ecr.aws }',
  "    - { prefix: central, upstream: 444444444444.dkr.ecr.eu-central-1.amazonaws.com, upstreamPrefix: platform, customRoleArn: 'arn:aws:iam::111111111111:role/r' }",
  '    - { prefix: x, upstream: example.com }', '  pullThroughCache: [{ prefix: quay, upstream: quay.io, credentialArn: 12 }]',
  '  creationTemplates:', '    - { prefix: ROOT, appliedFor: [REPLICATION], encryption: AES256, lifecycle: none }', '    - { prefix: team, appliedFor: [] }',
  '    - { prefix: team, appliedFor: [PULL_THROUGH_CACHE], tags: { owner: platform }, customRoleArn: none, acknowledge: [{ id: EcrCompliance-CustomerManagedKey, reason: r }] }',
  '    - { prefix: Team, appliedFor: [CREATE_ON_PUSH], lifecycle: { policy: { rules: [] } }, repositoryPolicy: [x] }',
  "  signing: [{ profileArn: 'arn:aws:signer:eu-west-1:111111111111:/signing-profiles/p', filters: ['a/*'] }]", '  signing: [{ filters: [] }]',
  "  pullTimeUpdateExclusions: ['arn:aws:iam::111111111111:role/scanner']", '  pullTimeUpdateExclusions: [x]',
  '  accountSettings: { BLOB_MOUNTING: ENABLED }', '  accountSettings: { REGISTRY_POLICY_SCOPE: V1, X: y }', '  accountSettings: []'];

const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const GOV_KEY = 'arn:aws-us-gov:kms:us-gov-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
/** Policy documents: restricted, open, malformed. */
const POLICIES: unknown[] = [
  { Version: '2012-10-17', Statement: [{ Sid: 'Org', Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }] },
  { Version: '2008-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: ['ecr:BatchGetImage'] }] },
  { Version: '2012-10-17', Statement: [{ Sid: 'Open', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'ecr:BatchGetImage' }] },
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'ecr:*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }] },
  { Statement: [] },
  { Version: 1, Statement: [{ Effect: 'Maybe', Principal: '*' }] },
];

/** Access settings as YAML flow text and as JSON: good and bad principal ARNs, push from the organization or its units. */
const ACCESS_VARIANTS: [string, unknown][] = [
  ["{ pullPrincipalArns: ['arn:aws:iam::222222222222:role/ci'] }", { pullPrincipalArns: ['arn:aws:iam::222222222222:role/ci'] }],
  ["{ pushPrincipalArns: ['arn:aws:iam::222222222222:role/ci-*', 'arn:aws-cn:iam::333333333333:user/a'] }", { pushPrincipalArns: ['arn:aws:iam::222222222222:role/ci-*', 'arn:aws-cn:iam::333333333333:user/a'] }],
  ["{ pushPrincipalArns: ['arn:aws:iam::12:role/ci'] }", { pushPrincipalArns: ['arn:aws:iam::12:role/ci'] }],
  ['{ organization: o-a1b2c3d4e5, pushOrganization: true }', { organization: 'o-a1b2c3d4e5', pushOrganization: true }],
  ['{ organization: o-a1b2c3d4e5, pushOrganization: false }', { organization: 'o-a1b2c3d4e5', pushOrganization: false }],
  ["{ organization: o-a1b2c3d4e5, pushOrganization: 'true' }", { organization: 'o-a1b2c3d4e5', pushOrganization: 'true' }],
  ['{ pushOrganization: true }', { pushOrganization: true }],
  ['{ organization: o-a1b2c3d4e5, pushOrganizationalUnits: [r-ab12/ou-ab12-11111111] }', { organization: 'o-a1b2c3d4e5', pushOrganizationalUnits: ['r-ab12/ou-ab12-11111111'] }],
  ['{ organization: o-a1b2c3d4e5, pushOrganizationalUnits: [ou-x] }', { organization: 'o-a1b2c3d4e5', pushOrganizationalUnits: ['ou-x'] }],
];

describe('RepositoryCatalog reader (property)', () => {
  test('given a catalog with random lines inserted, replaced or removed, when validated, then it never throws and every problem names file:line:column', () => {
    const edit = fc.record({ at: fc.nat(BASE.length), op: fc.constantFrom('insert', 'replace', 'remove'), line: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 30 })) });
    fc.assert(fc.property(fc.array(edit, { maxLength: 4 }), fc.boolean(), (edits, crlf) => {
      const lines = [...BASE];
      for (const e of edits) {
        const at = Math.min(e.at, lines.length);
        if (e.op === 'insert') lines.splice(at, 0, e.line);
        else if (e.op === 'replace') lines.splice(at, 1, e.line);
        else lines.splice(at, 1);
      }
      const text = lines.join(crlf ? '\r\n' : '\n');
      const problems = RepositoryCatalog.validate(text, CatalogFormat.YAML, 'c.yaml');
      for (const p of problems) expect(p).toMatch(/^c\.yaml:\d+:\d+: \S/);
      const lineCount = text.split('\n').length;
      for (const p of problems) expect(Number(/^c\.yaml:(\d+):/.exec(p)![1])).toBeLessThanOrEqual(lineCount);
      if (problems.length === 0) expect(RepositoryCatalog.fromText(text, CatalogFormat.YAML).repositories.length).toBeGreaterThanOrEqual(0);
    }), { numRuns: FUZZ_RUNS * 5 });
  });

  test('given random registry blocks of cache rules and creation templates written as YAML and as JSON, when read, then both give the same settings or the same problems', () => {
    // Mostly valid values, each with a rare bad one, so that both branches run.
    const mostly = <T>(good: T[], bad: T[]) =>
      fc.oneof({ arbitrary: fc.constantFrom(...good), weight: 6 }, { arbitrary: fc.constantFrom(...bad), weight: 1 });
    const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });
    const SECRET = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:ecr-pullthroughcache/hub-AbCdEf';
    const rule = fc.oneof(
      fc.record({ prefix: fc.constantFrom('ecr-public', 'team/cache', 'ROOT'), upstream: mostly(['public.ecr.aws', 'quay.io', 'registry.k8s.io'], ['example.com']) }),
      fc.record({ prefix: fc.constantFrom('docker-hub', 'hub'), upstream: fc.constantFrom('registry-1.docker.io', 'ghcr.io'), credentialArn: mostly([SECRET], ['arn:aws:secretsmanager:eu-west-1:111111111111:secret:other']) }),
      fc.record({
        prefix: mostly(['central', 'mirror'], ['q']),
        upstream: fc.constant('444444444444.dkr.ecr.eu-central-1.amazonaws.com'),
        upstreamPrefix: maybe(mostly(['platform'], ['P'])),
        customRoleArn: fc.constant('arn:aws:iam::111111111111:role/cache'),
      }),
    );
    const template = fc.record({
      prefix: mostly(['ROOT', 'team', 'a/b'], ['Team']),
      appliedFor: mostly([['PULL_THROUGH_CACHE'], ['REPLICATION', 'CREATE_ON_PUSH']], [[], ['REPLICATON']]),
      encryption: maybe(fc.constantFrom('AES256', 'KMS')),
      kmsKey: maybe(mostly([KEY], ['not-a-key'])),
      tagMutability: maybe(mostly(['MUTABLE', 'IMMUTABLE'], ['MUTABLE_WITH_EXCLUSION'])),
      tagMutabilityExclusions: maybe(mostly([['latest']], [['no spaces'], []])),
      lifecycle: maybe(mostly<unknown>(['none', { policy: { rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } }] } }], [{ policy: { rules: [] } }])),
      repositoryPolicy: maybe(mostly([POLICIES[0], POLICIES[1]], POLICIES.slice(4))),
      tags: maybe(mostly<Record<string, string>>([{ owner: 'platform' }], [{ 'aws:x': 'y' }])),
      customRoleArn: maybe(fc.constantFrom('none', 'arn:aws:iam::111111111111:role/t')),
    });
    let valid = 0;
    const unique = <T extends { prefix: string }>(a: fc.Arbitrary<T>) => fc.uniqueArray(a, { minLength: 1, maxLength: 3, selector: (x) => x.prefix });
    fc.assert(fc.property(unique(rule), unique(template), (rules, templates) => {
      const defined = (o: object) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
      const registry = { pullThroughCache: rules.map(defined), creationTemplates: templates.map(defined) };
      const yaml = ['registry:', '  pullThroughCache:', ...registry.pullThroughCache.map((r) => `    - ${JSON.stringify(r)}`),
        '  creationTemplates:', ...registry.creationTemplates.map((t) => `    - ${JSON.stringify(t)}`), 'repositories:', '  - name: team/api'].join('\n');
      const json = JSON.stringify({ registry, repositories: [{ name: 'team/api' }] });
      const strip = (p: string) => p.replace(/^c:\d+:\d+: /, '');
      const yamlProblems = RepositoryCatalog.validate(yaml, CatalogFormat.YAML, 'c');
      for (const p of yamlProblems) expect(p).toMatch(/^c:\d+:\d+: registry: (pullThroughCache|creationTemplates)/);
      expect(yamlProblems.map(strip)).toEqual(RepositoryCatalog.validate(json, CatalogFormat.JSON, 'c').map(strip));
      if (yamlProblems.length === 0) {
        const plain = (f: CatalogFormat, t: string) => JSON.stringify(RepositoryCatalog.fromText(t, f).registry, (_k, v) => (v instanceof Object && 'toJson' in v ? v.toJson() : v));
        expect(plain(CatalogFormat.YAML, yaml)).toBe(plain(CatalogFormat.JSON, json));
        valid++;
      }
    }), { numRuns: FUZZ_RUNS * 2 });
    // Both branches ran: some blocks were valid.
    expect(valid).toBeGreaterThan(0);
  });

  test('given random catalogs written as YAML and as JSON, when read, then both give the same repositories or the same problems by line', () => {
    const part = fc.stringMatching(/^[a-z0-9]{1,6}$/);
    const entry = fc.record({
      name: fc.oneof(fc.tuple(part, part).map(([a, b]) => `${a}/${b}`), fc.constantFrom('Bad', 'a--b', 'x')),
      owner: fc.option(fc.oneof(part, fc.constant('team: a')), { nil: undefined }),
      account: fc.option(fc.constantFrom('222222222222', '12', '333333333333'), { nil: undefined }),
      days: fc.option(fc.integer({ min: -1, max: 400 }), { nil: undefined }),
      access: fc.option(fc.constantFrom(...ACCESS_VARIANTS), { nil: undefined }),
    });
    fc.assert(fc.property(fc.array(entry, { minLength: 1, maxLength: 6 }), (entries) => {
      const yaml = ['repositories:', ...entries.flatMap((e) => [
        `  - name: '${e.name}'`,
        ...(e.owner !== undefined ? [`    owner: '${e.owner}'`] : []),
        ...(e.account !== undefined ? [`    replication: [{ account: '${e.account}', region: eu-west-1 }]`] : []),
        ...(e.days !== undefined ? [`    lifecycle: { preset: expireUntagged, days: ${e.days} }`] : []),
        ...(e.access !== undefined ? [`    access: ${e.access[0]}`] : []),
      ])].join('\n');
      const json = JSON.stringify({
        repositories: entries.map((e) => ({
          name: e.name,
          ...(e.owner !== undefined ? { owner: e.owner } : {}),
          ...(e.account !== undefined ? { replication: [{ account: e.account, region: 'eu-west-1' }] } : {}),
          ...(e.days !== undefined ? { lifecycle: { preset: 'expireUntagged', days: e.days } } : {}),
          ...(e.access !== undefined ? { access: e.access[1] } : {}),
        })),
      });
      const strip = (p: string) => p.replace(/^c:\d+:\d+: /, '').replace(/ at line \d+$/, '');
      const yamlProblems = RepositoryCatalog.validate(yaml, CatalogFormat.YAML, 'c').map(strip);
      const jsonProblems = RepositoryCatalog.validate(json, CatalogFormat.JSON, 'c').map(strip);
      expect(yamlProblems).toEqual(jsonProblems);
      if (yamlProblems.length === 0) {
        const plain = (f: CatalogFormat, t: string) => RepositoryCatalog.fromText(t, f).repositories
          .map((r) => [r.repositoryName, r.owner, r.replicationDestinations?.map(String), r.lifecyclePolicy?.toJson(),
            JSON.stringify(resolvedAccessPolicy(r.access ?? []))]);
        expect(plain(CatalogFormat.YAML, yaml)).toEqual(plain(CatalogFormat.JSON, json));
      }
    }), { numRuns: FUZZ_RUNS * 3 });
  });

  test('given random settings of existing repositories written as YAML and as JSON, when read, then both agree, and an open policy is refused unless acknowledged', () => {
    const tagKey = fc.oneof(fc.stringMatching(/^[a-z:]{1,8}$/), fc.constantFrom('owner', 'cost-center', 'aws:x', 'AWS:y', 'k'.repeat(129)));
    const tagValue = fc.oneof(fc.stringMatching(/^[a-z0-9 ]{0,8}$/), fc.constant('v'.repeat(257)));
    const entry = fc.record({
      owner: fc.option(fc.constant('team'), { nil: undefined }),
      tags: fc.option(fc.dictionary(tagKey, tagValue, { maxKeys: 4 }), { nil: undefined }),
      kmsKey: fc.option(fc.constantFrom(KEY, KEY.replace('key/', 'alias/'), 'arn:aws:kms:eu-west-1:12:key/a', 'aws/ecr', GOV_KEY), { nil: undefined }),
      encryption: fc.option(fc.constantFrom('KMS', 'AES256', 'KMS_DSSE'), { nil: undefined }),
      region: fc.option(fc.constantFrom('us-gov-west-1', 'eu-west-1'), { nil: undefined }),
      controlTower: fc.subarray(['CT.ECR.PR.1', 'CT.ECR.PR.2', 'CT.ECR.PR.3', 'CT.ECR.PR.4']),
      scanOnPush: fc.option(fc.boolean(), { nil: undefined }),
      lifecycleNone: fc.boolean(),
      policy: fc.option(fc.nat(POLICIES.length - 1), { nil: undefined }),
      acknowledgeOpen: fc.boolean(),
    });
    fc.assert(fc.property(fc.array(entry, { minLength: 1, maxLength: 4 }), (entries) => {
      const settings = entries.map((e, i) => ({
        name: `team/r${i}`,
        ...(e.owner !== undefined ? { owner: e.owner } : {}),
        ...(e.tags !== undefined ? { tags: e.tags } : {}),
        ...(e.encryption !== undefined ? { encryption: e.encryption } : {}),
        ...(e.kmsKey !== undefined ? { kmsKey: e.kmsKey } : {}),
        ...(e.scanOnPush !== undefined ? { scanOnPush: e.scanOnPush } : {}),
        ...(e.lifecycleNone ? { lifecycle: 'none' } : {}),
        ...(e.policy !== undefined ? { repositoryPolicy: POLICIES[e.policy] } : {}),
        ...(e.region !== undefined ? { region: e.region } : {}),
        ...(e.acknowledgeOpen || e.controlTower.length > 0 ? {
          acknowledge: [...(e.acknowledgeOpen ? [{ id: 'EcrCompliance-OpenAccess', reason: 'public by design' }] : []), ...e.controlTower.map((id) => ({ id, reason: 'not enforced here' }))],
        } : {}),
      }));
      // YAML whose values are JSON flow text: the form catalog import writes.
      const yaml = ['repositories:', ...settings.flatMap((e) => [
        `  - name: ${JSON.stringify(e.name)}`,
        ...Object.entries(e).filter(([k]) => k !== 'name').map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`),
      ])].join('\n');
      const json = JSON.stringify({ repositories: settings });
      const yamlProblems = RepositoryCatalog.validate(yaml, CatalogFormat.YAML, 'c');
      for (const p of yamlProblems) expect(p).toMatch(/^c:\d+:\d+: repositories\[\d+\] 'team\/r\d+': \S/);
      const strip = (p: string) => p.replace(/^c:\d+:\d+: /, '');
      expect(yamlProblems.map(strip)).toEqual(RepositoryCatalog.validate(json, CatalogFormat.JSON, 'c').map(strip));
      entries.forEach((e, i) => {
        const open = e.policy === 2 || e.policy === 3;
        const refused = yamlProblems.some((p) => p.includes(`'team/r${i}': repositoryPolicy: policy statement`) && p.includes("allows the '*' principal"));
        // A list with an ID that is no rule or control is refused whole, the open access's acknowledgement with it.
        const badId = e.controlTower.includes('CT.ECR.PR.4');
        expect(refused).toBe(open && !(e.acknowledgeOpen && !badId));
        if (badId) expect(yamlProblems.some((p) => p.includes(`'team/r${i}'`) && p.includes("'CT.ECR.PR.4' is no rule"))).toBe(true);
      });
      if (yamlProblems.length === 0) {
        const plain = (f: CatalogFormat, t: string) => RepositoryCatalog.fromText(t, f).repositories
          .map((r) => [r.repositoryName, r.tags, r.kmsKeyArn, r.imageScanOnPush, r.noLifecyclePolicy, r.repositoryPolicyText,
            r.encryption?.encryptionType, r.dualLayerEncryption, r.acknowledgements]);
        const read = plain(CatalogFormat.YAML, yaml);
        expect(read).toEqual(plain(CatalogFormat.JSON, json));
        // The encryption is the entry's exactly: the type it names, the key ARN it names or ECR's AWS managed key; KMS_DSSE only in GovCloud.
        RepositoryCatalog.fromText(json, CatalogFormat.JSON).repositories.forEach((r, i) => {
          const e = entries[i];
          expect(e.controlTower).not.toContain('CT.ECR.PR.4');
          if (e.kmsKey === 'aws/ecr') {
            expect(r.kmsKeyArn).toBeUndefined();
            expect(r.encryption).toBe(e.encryption === 'KMS_DSSE' ? ImageEncryption.KMS_DSSE_AWS_MANAGED : ImageEncryption.KMS_AWS_MANAGED);
          } else if (e.kmsKey !== undefined) {
            expect(r.kmsKeyArn).toBe(e.kmsKey);
            expect(r.dualLayerEncryption === true).toBe(e.encryption === 'KMS_DSSE');
          }
          if (e.encryption === 'KMS_DSSE') {
            expect(e.kmsKey).toBeDefined();
            expect([e.region, r.kmsKeyArn?.split(':')[3]].filter((x) => x !== undefined).every((x) => x!.startsWith('us-gov-'))).toBe(true);
          }
        });
        read.forEach((r, i) => {
          if (settings[i].repositoryPolicy !== undefined) expect(JSON.parse(r[5] as string)).toEqual(settings[i].repositoryPolicy);
        });
      }
    }), { numRuns: FUZZ_RUNS * 3 });
  });
});
