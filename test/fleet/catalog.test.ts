import { RemovalPolicy } from 'aws-cdk-lib';
import { CatalogFormat, RepositoryCatalog } from '../../src/fleet/catalog';
import { RepositoryEncryption } from '../../src/repository/encryption';
import { ImageTagMutability } from '../../src/repository/private-repository';
import { ScanFrequency } from '../../src/scanning/enums';

const YAML = `# platform catalog
defaults:
  owner: platform
  lifecycle:
    - { preset: expireUntagged, days: 7 }
    - preset: keepLastReleases
      count: 20
      patterns: ['v*']
  access:
    organization: o-a1b2c3d4e5
repositories:
  - name: team-a/api
    costCenter: cc-1234
    tagMutabilityExclusions: [latest]
    replication:
      - account: 222222222222
        region: eu-central-1
    scanning: CONTINUOUS_SCAN
  - name: team-b/web
    owner: team-b
    encryption: AES256
    tagMutability: MUTABLE
    removalPolicy: destroy
    lifecycle: { preset: recommended }
    access:
      pullAccounts: ['333333333333']
`;

describe('RepositoryCatalog', () => {
  test('given a YAML catalog, when read, then every setting becomes the library model with defaults applied', () => {
    const catalog = RepositoryCatalog.fromText(YAML, CatalogFormat.YAML, 'catalog.yaml');
    const [a, b] = catalog.repositories;
    expect(a.repositoryName).toBe('team-a/api');
    expect(a.owner).toBe('platform');
    expect(a.costCenter).toBe('cc-1234');
    expect(a.imageTagMutabilityExclusions).toEqual(['latest']);
    expect(a.replicationDestinations!.map(String)).toEqual(['222222222222/eu-central-1']);
    expect(a.scanFrequency).toBe(ScanFrequency.CONTINUOUS_SCAN);
    expect(JSON.parse(a.lifecyclePolicy!.toJson()).rules).toHaveLength(2);
    expect(a.access).toHaveLength(1);
    expect(b.owner).toBe('team-b');
    expect(b.encryption).toBe(RepositoryEncryption.AES256);
    expect(b.imageTagMutability).toBe(ImageTagMutability.MUTABLE);
    expect(b.removalPolicy).toBe(RemovalPolicy.DESTROY);
    expect(b.access).toHaveLength(1);
  });

  test('given the same catalog as JSON, when read, then it gives the same repositories', () => {
    const json = JSON.stringify({
      defaults: { lifecycle: { policy: { rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } }] } } },
      repositories: [{ name: 'svc' }],
    }, null, 2);
    const [svc] = RepositoryCatalog.fromText(json, CatalogFormat.JSON, 'c.json').repositories;
    expect(JSON.parse(svc.lifecyclePolicy!.toJson()).rules[0].selection.countNumber).toBe(5);
  });

  test('given a catalog with many problems, when validated, then each is listed once with file:line:column and entry', () => {
    const text = `defaults:
  lifecyle: { preset: recommended }
repositories:
  - name: Bad_Name
  - name: ok
    ownr: x
    lifecycle: { preset: keepLast, count: 3 }
  - name: ok
    replication:
      - { account: '12', region: eu-west-1 }
    lifecycle: { preset: expireUntagged, days: 0 }
    encryption: KMS2
`;
    const problems = RepositoryCatalog.validate(text, CatalogFormat.YAML, 'c.yaml');
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^c\.yaml:2:3: defaults: unknown key 'lifecyle': did you mean 'lifecycle'\?/),
      expect.stringMatching(/^c\.yaml:4:11: repositories\[0\] 'Bad_Name': repositoryName 'Bad_Name' breaks ECR's naming rule/),
      expect.stringMatching(/^c\.yaml:6:5: repositories\[1\] 'ok': unknown key 'ownr': did you mean 'owner'\?/),
      expect.stringMatching(/^c\.yaml:7:\d+: repositories\[1\] 'ok': lifecycle\.preset 'keepLast' is not one of .*did you mean 'keepLastReleases'\?/),
      expect.stringMatching(/^c\.yaml:8:11: repositories\[2\] 'ok': repository 'ok' is already listed at line 5/),
      expect.stringMatching(/^c\.yaml:10:9: repositories\[2\] 'ok': replication\[0\]: .*12 digits/),
      expect.stringMatching(/^c\.yaml:11:\d+: repositories\[2\] 'ok': lifecycle \(expireUntagged\): /),
      expect.stringMatching(/^c\.yaml:12:17: repositories\[2\] 'ok': encryption 'KMS2' is not one of KMS, AES256: did you mean 'KMS'\?/),
    ]));
    expect(() => RepositoryCatalog.fromText(text, CatalogFormat.YAML, 'c.yaml')).toThrow(/RepositoryCatalog 'c.yaml': \d+ problems/);
  });

  test.each([
    ['{"repositories": [ {"name": "svc"}, ]}', CatalogFormat.JSON, /^c:1:37: not valid JSON: unexpected character ']'/],
    ['{"repositories": [], "defaults": {"lifecycle": {"preset": "capTotal", "count": 1, "count": 2}}}', CatalogFormat.JSON, /key 'count' appears twice/],
    ['repositories:\n  - name: svc\n    lifecycle: &x 1\n', CatalogFormat.YAML, /^c:3:16: not valid YAML: '&'/],
    ['repositories: 3', CatalogFormat.YAML, /^c:1:15: repositories: expected a list/],
    ['defaults: {}', CatalogFormat.YAML, /no repositories key/],
    ['repositories:\n  - name: svc\n    access:\n      organizationalUnits: [r-ab12/ou-ab12-11111111]\n', CatalogFormat.YAML, /^c:4:28: .*needs access\.organization/],
    ['repositories:\n  - name: svc\n    tagMutabilityExclusions: [a, b, c, d, e, f]\n', CatalogFormat.YAML, /^c:3:30: .*1 to 5/],
    ['repositories:\n  - name: svc\n    lifecycle: { policy: { rules: [] }, preset: recommended }\n', CatalogFormat.YAML, /^c:3:16: .*policy stands alone/],
  ])('given %j, when validated, then the problem is named with its position', (text, format, expected) => {
    const problems = RepositoryCatalog.validate(text, format, 'c');
    expect(problems.join('\n')).toMatch(expected);
  });

  test('given 10,000 entries, when parsed and validated, then it takes under a second', () => {
    const lines = ['defaults:', '  lifecycle:', '    - { preset: expireUntagged, days: 7 }', '    - { preset: capTotal, count: 100 }', '  access:', '    organization: o-a1b2c3d4e5', 'repositories:'];
    for (let i = 0; i < 10000; i++) lines.push(`  - name: team-${i % 50}/service-${i}`, `    owner: team-${i % 50}`, '    tagMutabilityExclusions: [latest]');
    const text = lines.join('\n');
    const json = JSON.stringify({ repositories: Array.from({ length: 10000 }, (_, i) => ({ name: `svc-${i}`, lifecycle: [{ preset: 'expireUntagged', days: 7 }, { preset: 'keepLastReleases', count: 5, patterns: ['v*'] }] })) });
    RepositoryCatalog.validate(text, CatalogFormat.YAML); // warm up
    const start = process.hrtime.bigint();
    expect(RepositoryCatalog.fromText(text, CatalogFormat.YAML).repositories).toHaveLength(10000);
    const yamlMs = Number(process.hrtime.bigint() - start) / 1e6;
    const start2 = process.hrtime.bigint();
    expect(RepositoryCatalog.fromText(json, CatalogFormat.JSON).repositories).toHaveLength(10000);
    const jsonMs = Number(process.hrtime.bigint() - start2) / 1e6;
    expect(yamlMs).toBeLessThan(1000);
    expect(jsonMs).toBeLessThan(1000);
  });
});
