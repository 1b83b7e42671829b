import { App, RemovalPolicy } from 'aws-cdk-lib';
import { CatalogFormat, readCatalog, RepositoryCatalog } from '../../src/fleet/catalog';
import { RepositoryFleet } from '../../src/fleet/fleet';
import { ImageEncryption } from '../../src/repository/encryption';
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
    expect(b.encryption).toBe(ImageEncryption.AES256);
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
      expect.stringMatching(/^c\.yaml:12:17: repositories\[2\] 'ok': encryption 'KMS2' is not one of KMS, AES256, KMS_DSSE: did you mean 'KMS'\?/),
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

  // how long this takes is measured by `npm run bench:fleet` (catalog parse), never here
  test('given 10,000 entries in YAML and in JSON, when parsed, then every entry is read', () => {
    const lines = ['defaults:', '  lifecycle:', '    - { preset: expireUntagged, days: 7 }', '    - { preset: capTotal, count: 100 }', '  access:', '    organization: o-a1b2c3d4e5', 'repositories:'];
    for (let i = 0; i < 10000; i++) lines.push(`  - name: team-${i % 50}/service-${i}`, `    owner: team-${i % 50}`, '    tagMutabilityExclusions: [latest]');
    const text = lines.join('\n');
    const json = JSON.stringify({ repositories: Array.from({ length: 10000 }, (_, i) => ({ name: `svc-${i}`, lifecycle: [{ preset: 'expireUntagged', days: 7 }, { preset: 'keepLastReleases', count: 5, patterns: ['v*'] }] })) });
    expect(RepositoryCatalog.validate(text, CatalogFormat.YAML)).toEqual([]);
    expect(RepositoryCatalog.fromText(text, CatalogFormat.YAML).repositories).toHaveLength(10000);
    expect(RepositoryCatalog.fromText(json, CatalogFormat.JSON).repositories).toHaveLength(10000);
  });
});

describe('RepositoryCatalog quotas', () => {
  const accounts = (n: number, first: number) => Array.from({ length: n }, (_, i) => `'${first + i}'`).join(', ');

  test('given an entry whose pull accounts make a repository policy over ECR\'s 10,240 characters, when validated, then the policy size is reported at its access with the entry', () => {
    const text = `repositories:\n  - name: q/ok\n    access: { pullAccounts: [${accounts(5, 200000000000)}] }\n  - name: q/policy\n    access: { pullAccounts: [${accounts(600, 200000000000)}] }\n`;
    const problems = RepositoryCatalog.validate(text, CatalogFormat.YAML, 'c.yaml');
    expect(problems).toEqual([
      expect.stringMatching(/^c\.yaml:5:13: repositories\[1\] 'q\/policy': access: the repository policy has at least 18282 characters .*ECR takes at most 10240/),
    ]);
  });

  test('given the same entry in a fleet, when synthesized, then the repository refuses the policy with the same length', () => {
    const text = `repositories:\n  - name: q/policy\n    access: { pullAccounts: [${accounts(600, 200000000000)}] }\n`;
    const [problem] = RepositoryCatalog.validate(text, CatalogFormat.YAML, 'c.yaml');
    const length = /has at least (\d+) characters/.exec(problem)![1];
    const app = new App();
    new RepositoryFleet(app, 'Fleet', { repositories: readCatalog(text, CatalogFormat.YAML, 'c').repositories, env: { account: '111111111111', region: 'eu-west-1' } });
    expect(() => app.synth()).toThrow(`the repository policy has at least ${length} characters`);
  });

  test('given entries whose accesses differ only in their accounts, when validated, then each entry over the quota is reported and none under it', () => {
    const text = `repositories:
  - name: q/a
    access: { pullAccounts: [${accounts(600, 200000000000)}] }
  - name: q/b
    access: { pullAccounts: [${accounts(600, 300000000000)}] }
  - name: q/c
    access: { pullAccounts: [${accounts(300, 300000000000)}] }
`;
    const problems = RepositoryCatalog.validate(text, CatalogFormat.YAML, 'c.yaml');
    expect(problems.map((p) => p.slice(0, p.indexOf(': access:')))).toEqual(["c.yaml:3:13: repositories[0] 'q/a'", "c.yaml:5:13: repositories[1] 'q/b'"]);
  });

  test('given a default access over the policy quota, when validated, then it is reported once at defaults.access', () => {
    const text = `defaults:\n  access:\n    pullAccounts: [${accounts(600, 200000000000)}]\nrepositories:\n  - name: aa\n  - name: bb\n`;
    expect(RepositoryCatalog.validate(text, CatalogFormat.YAML, 'c.yaml')).toEqual([
      expect.stringMatching(/^c\.yaml:3:5: defaults\.access: access: the repository policy has at least \d+ characters/),
    ]);
  });

  test('given 30 distinct replication destinations, when validated, then the registry quota of 25 is reported at the entry that breaks it', () => {
    const destinations = Array.from({ length: 30 }, (_, i) => `      - { account: '${100000000000 + i}', region: eu-west-1 }`).join('\n');
    const text = `repositories:\n  - name: q/few\n    replication:\n      - { account: '100000000000', region: eu-west-1 }\n  - name: q/dest\n    replication:\n${destinations}\n`;
    expect(RepositoryCatalog.validate(text, CatalogFormat.YAML, 'c.yaml')).toEqual([
      "c.yaml:7:7: repositories[1] 'q/dest': replication: the fleet's registry would replicate to 30 distinct destinations: ECR takes at most 25",
    ]);
  });

  test('given 12 different sets of destinations, when validated, then the 10-rule quota is reported at the entry that needs the 11th rule', () => {
    const entries = Array.from({ length: 12 }, (_, i) => `  - name: r/s${i}\n    replication:\n      - { account: '${300000000000 + i}', region: eu-west-1 }`).join('\n');
    // two more entries reuse sets: they add no rule
    const text = `repositories:\n${entries}\n  - name: r/again\n    replication: [{ account: '300000000000', region: eu-west-1 }]\n`;
    expect(RepositoryCatalog.validate(text, CatalogFormat.YAML, 'c.yaml')).toEqual([
      "c.yaml:34:7: repositories[10] 'r/s10': replication: the fleet's registry would have 12 replication rules: ECR takes at most 10 (rules with the same destinations are merged, so reuse a set of destinations)",
    ]);
  });

  test('given 10 sets of destinations and 150 repositories in one set, when validated, then it is valid (the fleet compresses filters into prefixes)', () => {
    const sets = Array.from({ length: 9 }, (_, i) => `  - name: r/s${i}\n    replication: [{ account: '${300000000000 + i}', region: eu-west-1 }]`).join('\n');
    const many = Array.from({ length: 150 }, (_, i) => `  - name: many/r${i}`).join('\n');
    const text = `defaults:\n  replication: [{ account: '399999999999', region: eu-west-1 }]\nrepositories:\n${sets}\n${many}\n`;
    expect(RepositoryCatalog.validate(text, CatalogFormat.YAML, 'c.yaml')).toEqual([]);
  });
});

describe('RepositoryCatalog text', () => {
  test.each([
    ['YAML', '\ufeffrepositories:\n  - name: Bad\n', CatalogFormat.YAML, 'c.yaml:2:11:'],
    ['YAML starting with a comment', '\ufeff# header\nrepositories:\n  - name: a/b\n  - name: a/b\n', CatalogFormat.YAML, 'c.yaml:4:11:'],
    ['JSON', '\ufeff{"repositories":[{"name":"Bad"}]}', CatalogFormat.JSON, 'c.yaml:1:26:'],
  ])('given %s with a byte order mark, when validated, then the mark is ignored and positions are those an editor shows', (_what, text, format, position) => {
    const problems = RepositoryCatalog.validate(text, format, 'c.yaml');
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(position)).toBe(true);
    expect(RepositoryCatalog.validate(text.replace(/Bad/, 'ok'), format, 'c.yaml').filter((p) => !p.includes('already listed'))).toEqual([]);
  });

  test.each([
    ['# catalog\n---\nrepositories:\n  - name: a/b\n'],
    ['\n---\nrepositories:\n  - name: a/b\n'],
    ['--- # comment\nrepositories:\n  - name: a/b\n'],
    ['---\nrepositories:\n  - name: a/b\n...\n# end\n'],
  ])('given %j (a document start after comments, or a document end), when read, then it is accepted', (text) => {
    expect(RepositoryCatalog.fromText(text, CatalogFormat.YAML).repositories.map((r) => r.repositoryName)).toEqual(['a/b']);
  });

  test.each([
    ['repositories:\n  - name: a/b\n---\nrepositories: []\n', /^c:3:1: not valid YAML: this '---' starts a second YAML document: a catalog is one document/],
    ['---\nrepositories: []\n---\n', /^c:3:1: not valid YAML: this '---' starts a second YAML document/],
    ['%YAML 1.2\n---\nrepositories: []\n', /^c:1:1: not valid YAML: YAML directives \('%YAML'\) are not supported/],
    ['repositories:\n  - name: a/b\n...\n  - name: c/d\n', /^c:4:1: not valid YAML: text after the end of the document \('\.\.\.' at line 3\)/],
    ['--- { repositories: [] }\n', /^c:1:5: not valid YAML: content after '---' on the same line/],
  ])('given %j, when validated, then the document markers are refused with their position', (text, expected) => {
    expect(RepositoryCatalog.validate(text, CatalogFormat.YAML, 'c').join('\n')).toMatch(expected);
  });
});

describe('RepositoryCatalog problems that hide behind others', () => {
  test('given a duplicated destination and another destination with a bad region, when validated, then both are reported', () => {
    const text = `repositories:
  - name: a/ten
    replication:
      - { account: '111111111111', region: eu-central-1 }
      - { account: '111111111111', region: eu-central-1 }
      - { account: 111111111111, region: mars-1 }
`;
    expect(RepositoryCatalog.validate(text, CatalogFormat.YAML, 'c.yaml')).toEqual([
      "c.yaml:5:9: repositories[0] 'a/ten': replication lists 111111111111/eu-central-1 twice",
      expect.stringMatching(/^c\.yaml:6:9: repositories\[0\] 'a\/ten': replication\[2\]: region 'mars-1' is not an AWS region name/),
    ]);
  });

  test('given keepLastReleases without count and patterns, when validated, then both are reported', () => {
    const problems = RepositoryCatalog.validate('repositories:\n  - name: a/b\n    lifecycle: { preset: keepLastReleases }\n', CatalogFormat.YAML, 'c.yaml');
    expect(problems).toEqual([
      "c.yaml:3:16: repositories[0] 'a/b': lifecycle (keepLastReleases) needs count",
      "c.yaml:3:16: repositories[0] 'a/b': lifecycle (keepLastReleases) needs patterns",
    ]);
  });

  const policy = (rule: string) => `repositories:
  - name: a/b
    lifecycle:
      policy:
        rules:
          - ${rule}
            selection: { tagStatus: untagged, countType: sinceImagePushed, countUnit: days, countNumber: 1 }
            action: { type: expire }
`;
  test.each([
    ['YAML', policy('rulePriority: 1\n            rulePriority: 2'), CatalogFormat.YAML, "c:7:13: repositories[0] 'a/b': lifecycle.policy: key 'rulePriority' appears twice"],
    ['JSON', '{"repositories": [{"name": "a/b", "lifecycle": {"policy": {"rules": [{"rulePriority": 1, "rulePriority": 2, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 1}, "action": {"type": "expire"}}]}}}]}',
      CatalogFormat.JSON, "c:1:90: repositories[0] 'a/b': lifecycle.policy: key 'rulePriority' appears twice"],
  ])('given a key twice inside a lifecycle policy (%s), when validated, then it is reported like any duplicate key', (_what, text, format, expected) => {
    expect(RepositoryCatalog.validate(text, format, 'c')).toEqual([expected]);
  });

  test('given a valid policy and the same policy with a key twice, when validated, then the second is still reported', () => {
    const text = `${policy('rulePriority: 1')}${policy('rulePriority: 1\n            rulePriority: 1').replace('repositories:\n', '').replace('a/b', 'a/c')}`;
    expect(RepositoryCatalog.validate(text, CatalogFormat.YAML, 'c')).toEqual([
      "c:14:13: repositories[1] 'a/c': lifecycle.policy: key 'rulePriority' appears twice",
    ]);
  });

  test('given defaults.name, when validated, then it is reported once, with the reason', () => {
    expect(RepositoryCatalog.validate('defaults:\n  name: x\nrepositories: []\n', CatalogFormat.YAML, 'c')).toEqual([
      'c:2:3: defaults: name cannot have a default: every repository names itself',
    ]);
  });
});

describe('RepositoryCatalog values YAML reads otherwise than meant', () => {
  test.each([
    ['  - name: 2048\n', 'c:2:11: repositories[0]: name must be a string, not the number 2048: put it in quotes'],
    ['  - name: 1e3\n', 'c:2:11: repositories[0]: name must be a string, not the number 1e3: put it in quotes'],
    ['  - name: a/b\n    costCenter: 4711\n', "c:3:17: repositories[0] 'a/b': costCenter must be a string, not the number 4711: put it in quotes"],
    ['  - name: a/b\n    owner: true\n', "c:3:12: repositories[0] 'a/b': owner must be a string, not the boolean true: put it in quotes"],
  ])('given %j, when validated, then the message says to quote the value', (entries, expected) => {
    expect(RepositoryCatalog.validate(`repositories:\n${entries}`, CatalogFormat.YAML, 'c')).toEqual([expected]);
  });

  test('given a number as a name in JSON, when validated, then the message says to quote it', () => {
    expect(RepositoryCatalog.validate('{"repositories": [{"name": 2048}]}', CatalogFormat.JSON, 'c')).toEqual([
      'c:1:28: repositories[0]: name must be a string, not the number 2048: put it in quotes',
    ]);
  });

  test.each([
    ['    owner: team: a\n', /^c:3:16: not valid YAML: ': ' inside a plain value \('team: a'\) starts a mapping in YAML: put the value in quotes$/],
    ['    owner: { team: a: b }\n', /^c:3:\d+: not valid YAML: ': ' inside a plain value \('a: b'\)/],
  ])('given %j, when validated, then the unquoted ": " is refused as YAML refuses it', (line, expected) => {
    expect(RepositoryCatalog.validate(`repositories:\n  - name: a/b\n${line}`, CatalogFormat.YAML, 'c').join('\n')).toMatch(expected);
  });

  test.each(['123456789012.0', '1.23456789012e11'])('given the account %s, a number YAML reads as 123456789012, when validated, then it is refused', (account) => {
    expect(RepositoryCatalog.validate(`repositories:\n  - name: a/b\n    access: { pullAccounts: [${account}] }\n`, CatalogFormat.YAML, 'c')).toEqual([
      `c:3:30: repositories[0] 'a/b': access.pullAccounts[0] ${account} is not an account ID: write its 12 digits, in quotes`,
    ]);
  });

  test('given quoted values with ": " and URLs, when read, then they are strings', () => {
    const [r] = RepositoryCatalog.fromText("repositories:\n  - name: a/b\n    owner: 'team: a'\n    costCenter: https://example.com/cc\n", CatalogFormat.YAML).repositories;
    expect([r.owner, r.costCenter]).toEqual(['team: a', 'https://example.com/cc']);
  });

  test('given a whole catalog as one flow mapping, when read as YAML, then it is read', () => {
    expect(RepositoryCatalog.fromText('{repositories: [{name: a/b}]}\n', CatalogFormat.YAML).repositories.map((r) => r.repositoryName)).toEqual(['a/b']);
  });
});

describe('RepositoryCatalog filter quotas after compression', () => {
  // 150 replicated repositories interleaved with 150 others: no prefix covers only replicated ones.
  const interleaved = (replicated: string, other = '') => ['repositories:', ...Array.from({ length: 300 }, (_, i) => (i % 2 === 0
    ? `  - name: svc-${String(i).padStart(3, '0')}\n${replicated}`
    : `  - name: svc-${String(i).padStart(3, '0')}\n${other}`))].join('\n');

  test('given replicated repositories that no prefix separates from the others, when validated, then the replication rule\'s filter quota is reported, as the fleet reports it', () => {
    const problems = RepositoryCatalog.validate(interleaved("    replication: [{ account: '222222222222', region: eu-central-1 }]\n"), CatalogFormat.YAML, 'c');
    expect(problems).toEqual([expect.stringMatching(
      /^c:3:18: repositories\[0\] 'svc-000': replication: the fleet's replication rule to 222222222222\/eu-central-1 needs at least \d+ PREFIX_MATCH filters for its 150 repositories .*ECR takes at most 100 per rule, \d+ too many/)]);
  });

  test('given the entries of that catalog, when a fleet is built from them, then the fleet refuses them with the same problem', () => {
    const text = interleaved("    replication: [{ account: '222222222222', region: eu-central-1 }]\n");
    const [problem] = RepositoryCatalog.validate(text, CatalogFormat.YAML, 'c');
    const { repositories } = readCatalog(text, CatalogFormat.YAML, 'c');
    const fleetProblem = problem.slice(problem.indexOf("the fleet's ") + "the fleet's ".length);
    expect(() => new RepositoryFleet(new App(), 'Fleet', { repositories, env: { account: '111111111111', region: 'eu-west-1' } })).toThrow(fleetProblem);
  });

  test('given continuously scanned repositories that no prefix separates from the others, when validated, then the scanning rule\'s filter quota is reported', () => {
    const problems = RepositoryCatalog.validate(interleaved('    scanning: CONTINUOUS_SCAN\n'), CatalogFormat.YAML, 'c');
    expect(problems).toEqual([expect.stringMatching(
      /^c:3:15: repositories\[0\] 'svc-000': scanning: the fleet's CONTINUOUS_SCAN scanning rule needs at least \d+ WILDCARD filters for its 150 repositories .*ECR takes at most 100 per rule/)]);
  });

  test('given 150 replicated repositories under a namespace of their own, when validated, then it is valid', () => {
    const text = interleaved("    replication: [{ account: '222222222222', region: eu-central-1 }]\n").replace(/name: svc-(\d*[02468])\n/g, 'name: replicated/svc-$1\n');
    expect(RepositoryCatalog.validate(text, CatalogFormat.YAML, 'c')).toEqual([]);
  });
});

describe('RepositoryCatalog acknowledgements', () => {
  test('given acknowledgements in defaults and in an entry, when read, then an entry without its own takes the defaults\', and an entry\'s replace them', () => {
    const text = `defaults:
  acknowledge:
    - { id: EcrCompliance-CustomerManagedKey, reason: AES256 is accepted for build caches }
repositories:
  - name: cache/a
  - name: cache/b
    acknowledge:
      - id: EcrCompliance-TagImmutability
        reason: cache tags move by design
`;
    const [a, b] = RepositoryCatalog.fromText(text, CatalogFormat.YAML, 'c.yaml').repositories;
    expect(a.acknowledgements).toEqual([{ id: 'EcrCompliance-CustomerManagedKey', reason: 'AES256 is accepted for build caches' }]);
    expect(b.acknowledgements).toEqual([{ id: 'EcrCompliance-TagImmutability', reason: 'cache tags move by design' }]);
  });

  test.each([
    ['an unknown rule ID', '{ id: EcrCompliance-TagImutability, reason: tags move }', "c.yaml:4:15: repositories[0] 'a/b': acknowledge[0].id: 'EcrCompliance-TagImutability' is no rule of the EcrCompliance pack that checks repositories: did you mean 'EcrCompliance-TagImmutability'?"],
    ['an empty reason', "{ id: EcrCompliance-TagImmutability, reason: '' }", "c.yaml:4:54: repositories[0] 'a/b': acknowledge[0].reason: the acknowledgement of EcrCompliance-TagImmutability needs a reason"],
    ['a blank reason', "{ id: EcrCompliance-TagImmutability, reason: '   ' }", 'acknowledge[0].reason: the acknowledgement of EcrCompliance-TagImmutability needs a reason'],
    ['no reason', '{ id: EcrCompliance-TagImmutability }', "c.yaml:4:9: repositories[0] 'a/b': acknowledge[0] needs reason: the rule ID and why its finding is accepted"],
    ['a rule that checks no repository', '{ id: EcrCompliance-RegistrySingleton, reason: two stacks }', 'acknowledge[0].id: EcrCompliance-RegistrySingleton checks no repository'],
    ['a misspelt key', '{ id: EcrCompliance-TagImmutability, reasn: tags move }', "acknowledge[0]: unknown key 'reasn': did you mean 'reason'?"],
    ['a rule acknowledged twice', '{ id: EcrCompliance-TagImmutability, reason: a }\n      - { id: EcrCompliance-TagImmutability, reason: b }', 'c.yaml:5:15: repositories[0] \'a/b\': acknowledge[1]: EcrCompliance-TagImmutability is acknowledged twice'],
  ])('given %s, when validated, then it is refused at its position', (_what, ack, expected) => {
    const text = `repositories:\n  - name: a/b\n    acknowledge:\n      - ${ack}\n`;
    expect(RepositoryCatalog.validate(text, CatalogFormat.YAML, 'c.yaml').join('\n')).toContain(expected);
  });
});
