import { App, Stack } from 'aws-cdk-lib';
import { Annotations as AssertAnnotations, Match } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { PrivateRepository, RegistryScanning, ScanFrequency, ScanType } from '../../src';
import { repositoryScanning, scanningConfigurationProblems, scanningFilterMatches, scanningFilterProblems, wildcardMatches } from '../../src/scanning/checks';
import { acknowledgeControlTower, CT } from '../util/control-tower';
import { strictStack, synthesize, validTemplate } from '../util/harness';

describe('RegistryScanning', () => {
  test('given repositories asking for scanning, then one scanning configuration holds one rule per frequency, rendered lazily', () => {
    const stack = strictStack();
    new PrivateRepository(stack, 'Api', { repositoryName: 'platform/api' }).addToRegistryScanning(ScanFrequency.CONTINUOUS_SCAN);
    new PrivateRepository(stack, 'Web', { repositoryName: 'platform/web' }).addToRegistryScanning(ScanFrequency.CONTINUOUS_SCAN);
    new PrivateRepository(stack, 'Tools', { repositoryName: 'tools/cli' }).addToRegistryScanning(ScanFrequency.SCAN_ON_PUSH);
    RegistryScanning.of(stack).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['team-*/*', 'tools/cli'] });
    expect(RegistryScanning.of(stack).scanType).toBe(ScanType.ENHANCED);

    const template = validTemplate(stack, { nag: true });
    template.resourceCountIs('AWS::ECR::RegistryScanningConfiguration', 1);
    template.hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
      ScanType: 'ENHANCED',
      Rules: [
        {
          ScanFrequency: 'SCAN_ON_PUSH',
          RepositoryFilters: [{ Filter: 'tools/cli', FilterType: 'WILDCARD' }, { Filter: 'team-*/*', FilterType: 'WILDCARD' }],
        },
        {
          ScanFrequency: 'CONTINUOUS_SCAN',
          RepositoryFilters: [{ Filter: 'platform/api', FilterType: 'WILDCARD' }, { Filter: 'platform/web', FilterType: 'WILDCARD' }],
        },
      ],
    });
  });

  test('given only scan on push, then the scan type is BASIC', () => {
    const stack = strictStack();
    new PrivateRepository(stack, 'Api', { repositoryName: 'platform/api' }).addToRegistryScanning(ScanFrequency.SCAN_ON_PUSH);
    const template = validTemplate(stack, { nag: true });
    template.hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
      ScanType: 'BASIC',
      Rules: [{ ScanFrequency: 'SCAN_ON_PUSH', RepositoryFilters: [{ Filter: 'platform/api', FilterType: 'WILDCARD' }] }],
    });
  });

  test('given an explicit ENHANCED scan type set twice, then it is idempotent', () => {
    const stack = strictStack();
    RegistryScanning.of(stack).useScanType(ScanType.ENHANCED);
    RegistryScanning.of(stack).useScanType(ScanType.ENHANCED); // idempotent
    const template = validTemplate(stack, { nag: true });
    template.hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', { ScanType: 'ENHANCED' });
  });

  test('given nothing about scanning, then no scanning configuration is rendered', () => {
    const stack = strictStack();
    new PrivateRepository(stack, 'Api', { repositoryName: 'platform/api' });
    validTemplate(stack).resourceCountIs('AWS::ECR::RegistryScanningConfiguration', 0);
  });

  test('given a repository no filter covers, then synth warns about it (and not about covered ones)', () => {
    const stack = strictStack();
    new PrivateRepository(stack, 'Api', { repositoryName: 'platform/api' });
    new PrivateRepository(stack, 'Legacy', { repositoryName: 'legacy/app' });
    RegistryScanning.of(stack).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['platform/*'] });
    synthesize(stack.node.root as App);
    const warnings = AssertAnnotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('repositoryNotScanned'));
    expect(warnings.map((w) => w.id)).toEqual(['/Stack/Legacy']);
    expect(JSON.stringify(warnings[0].entry.data)).toMatch(/Repository 'legacy\/app' matches no registry scanning filter/);
  });

  test('given two stacks of the same account and region that both configure scanning, then synth fails', () => {
    const stack = strictStack();
    const other = new Stack(stack.node.root as App, 'Other', { env: { account: '111111111111', region: 'eu-west-1' } });
    RegistryScanning.of(stack).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['*'] });
    RegistryScanning.of(other).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['*'] });
    expect(() => synthesize(stack.node.root as App)).toThrow(/both render AWS::ECR::RegistryScanningConfiguration for account 111111111111 in eu-west-1/);
  });

  test.each<[string, (stack: Stack) => void, RegExp]>([
    ['continuous scanning under an explicit BASIC scan type', (s) => {
      RegistryScanning.of(s).useScanType(ScanType.BASIC);
      RegistryScanning.of(s).addRule({ frequency: ScanFrequency.CONTINUOUS_SCAN, repositoryFilters: ['*'] });
    }, /scan type BASIC does not support CONTINUOUS_SCAN/],
    ['BASIC after continuous scanning was asked for', (s) => {
      new PrivateRepository(s, 'Api', { repositoryName: 'platform/api' }).addToRegistryScanning(ScanFrequency.CONTINUOUS_SCAN);
      RegistryScanning.of(s).useScanType(ScanType.BASIC);
    }, /scan type BASIC does not support CONTINUOUS_SCAN/],
    ['two different explicit scan types', (s) => {
      RegistryScanning.of(s).useScanType(ScanType.ENHANCED);
      RegistryScanning.of(s).useScanType(ScanType.BASIC);
    }, /the scan type is already ENHANCED/],
    ['an empty filter list', (s) => RegistryScanning.of(s).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: [] }), /repositoryFilters is empty/],
    ['an uppercase filter', (s) => RegistryScanning.of(s).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['Platform/*'] }), /'Platform\/\*' is not a scanning filter/],
    ['a filter too long', (s) => RegistryScanning.of(s).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['a'.repeat(256)] }), /has 256 characters: ECR takes 1 to 255/],
    ['101 filters in one rule', (s) => RegistryScanning.of(s).addRule({
      frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: Array.from({ length: 101 }, (_, i) => `team-${i}/*`),
    }), /the SCAN_ON_PUSH rule has 101 repository filters: ECR takes at most 100/],
    ['a repository without a literal name', (s) => new PrivateRepository(s, 'Generated').addToRegistryScanning(ScanFrequency.SCAN_ON_PUSH), /scanning needs a concrete repositoryName/],
  ])('given %s, then it fails at the call with a clear message', (_, build, message) => {
    const stack = strictStack();
    expect(() => build(stack)).toThrow(message);
  });

  test('a failed call leaves the configuration unchanged', () => {
    const stack = strictStack();
    const scanning = RegistryScanning.of(stack);
    scanning.addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['a/*'] });
    expect(() => scanning.addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['b/*', 'BAD'] })).toThrow();
    expect(scanning._rules()).toEqual([{ frequency: ScanFrequency.SCAN_ON_PUSH, filters: ['a/*'] }]);
  });

  describe('the model validator', () => {
    test.each<[string, ScanType, Array<{ frequency: ScanFrequency; filters: string[] }>, RegExp | undefined]>([
      ['two rules', ScanType.ENHANCED, [{ frequency: ScanFrequency.SCAN_ON_PUSH, filters: ['*'] }, { frequency: ScanFrequency.CONTINUOUS_SCAN, filters: ['a'] }], undefined],
      ['three rules', ScanType.ENHANCED, [
        { frequency: ScanFrequency.SCAN_ON_PUSH, filters: ['*'] },
        { frequency: ScanFrequency.CONTINUOUS_SCAN, filters: ['a'] },
        { frequency: ScanFrequency.CONTINUOUS_SCAN, filters: ['b'] },
      ], /has 3 rules: ECR takes at most 2/],
      ['a repeated frequency', ScanType.ENHANCED, [
        { frequency: ScanFrequency.SCAN_ON_PUSH, filters: ['a'] }, { frequency: ScanFrequency.SCAN_ON_PUSH, filters: ['b'] },
      ], /two scanning rules have frequency SCAN_ON_PUSH/],
      ['continuous under BASIC', ScanType.BASIC, [{ frequency: ScanFrequency.CONTINUOUS_SCAN, filters: ['a'] }], /does not support CONTINUOUS_SCAN/],
      ['100 filters', ScanType.BASIC, [{ frequency: ScanFrequency.SCAN_ON_PUSH, filters: Array.from({ length: 100 }, (_, i) => `r${i}`) }], undefined],
    ])('%s', (_, type, rules, message) => {
      const problems = scanningConfigurationProblems(type, rules);
      if (message) expect(problems.join('\n')).toMatch(message);
      else expect(problems).toEqual([]);
    });

    test.each([
      ['*', true], ['platform/*', true], ['a', true], ['team-a/api.v2_x', true], ['**', true], ['a'.repeat(255), true],
      ['', false], ['a'.repeat(256), false], ['/a', false], ['a//b', false], ['a/', false], ['A', false], ['a b', false], ['-a', false],
    ])('filter %j is valid: %s', (filter, valid) => {
      expect(scanningFilterProblems(filter)).toHaveLength(valid ? 0 : 1);
    });
  });

  test.each([
    ['*', 'anything/at/all', true],
    ['platform/*', 'platform/api', true],
    ['platform/*', 'platformx/api', false],
    ['*/api', 'team/api', true],
    ['team.a', 'teamxa', false],
    ['api', 'api', true],
    ['api', 'api2', true],
    ['api', 'team/rapid', true],
    ['api', 'ap', false],
  ])('scanning filter %j covers %j: %s', (filter, name, matches) => {
    expect(scanningFilterMatches(filter, name)).toBe(matches);
  });

  // The table of the ECR User Guide, "Filters to choose which repositories are scanned":
  // a filter without a wildcard matches every name that contains it, one with '*' is anchored.
  const GUIDE_NAMES = ['prod', 'repo-prod', 'prod-repo', 'repo-prod-repo', 'prodrepo'];
  test.each([
    ['prod', [true, true, true, true, true]],
    ['*prod', [true, true, false, false, false]],
    ['prod*', [true, false, true, false, true]],
    ['*prod*', [true, true, true, true, true]],
    ['prod*repo', [false, false, true, false, true]],
  ])('the ECR guide\'s filter table: %j', (filter, expected) => {
    expect(GUIDE_NAMES.map((n) => scanningFilterMatches(filter as string, n))).toEqual(expected);
  });

  test('IAM action matching stays anchored', () => {
    expect(wildcardMatches('ecr:get*', 'ecr:getauthorizationtoken')).toBe(true);
    expect(wildcardMatches('ecr:putimage', 'ecr:putimagescanningconfiguration')).toBe(false);
  });

  describe('is this repository scanned, and how (ECR\'s rules)', () => {
    const basic = (filters: string[]) => ({ scanType: ScanType.BASIC, rules: [{ frequency: ScanFrequency.SCAN_ON_PUSH, filters }] });
    const enhanced = (onPush: string[], continuous: string[]) => ({
      scanType: ScanType.ENHANCED,
      rules: [
        ...(onPush.length ? [{ frequency: ScanFrequency.SCAN_ON_PUSH, filters: onPush }] : []),
        ...(continuous.length ? [{ frequency: ScanFrequency.CONTINUOUS_SCAN, filters: continuous }] : []),
      ],
    });
    test.each([
      ['no configuration, scan on push on', 'a', true, undefined, 'SCAN_ON_PUSH', 'repository'],
      ['no configuration, scan on push off', 'a', false, undefined, 'MANUAL', 'repository'],
      ['BASIC, matched', 'team/api', false, basic(['api']), 'SCAN_ON_PUSH', 'registry'],
      ['BASIC, unmatched: manual whatever the repository says', 'web', true, basic(['api']), 'MANUAL', 'registry'],
      ['ENHANCED, continuous wins over scan on push', 'team/api', false, enhanced(['*'], ['team/*']), 'CONTINUOUS_SCAN', 'registry'],
      ['ENHANCED, scan on push only', 'web', false, enhanced(['*'], ['team/*']), 'SCAN_ON_PUSH', 'registry'],
      ['ENHANCED, unmatched: disabled whatever the repository says', 'web', true, enhanced([], ['team/*']), 'DISABLED', 'registry'],
    ])('%s', (_n, name, own, registry, mode, source) => {
      expect(repositoryScanning(name, own, registry)).toEqual({ mode, source, scanned: mode === 'SCAN_ON_PUSH' || mode === 'CONTINUOUS_SCAN' });
    });

    test('a name unknown at synth is answered only by a * filter', () => {
      expect(repositoryScanning(undefined, true, basic(['*'])).scanned).toBe(true);
      expect(repositoryScanning(undefined, true, basic(['api'])).scanned).toBeUndefined();
    });
  });

  test('given ENHANCED scanning with no rule, then it renders a SCAN_ON_PUSH rule for every repository instead of scanning nothing', () => {
    const stack = strictStack();
    RegistryScanning.of(stack).useScanType(ScanType.ENHANCED);
    new PrivateRepository(stack, 'Repo', { repositoryName: 'team/api' });
    const template = validTemplate(stack, { nag: true });
    template.hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
      ScanType: 'ENHANCED',
      Rules: [{ ScanFrequency: 'SCAN_ON_PUSH', RepositoryFilters: [{ Filter: '*', FilterType: 'WILDCARD' }] }],
    });
  });

  test('given addToRegistryScanning(SCAN_ON_PUSH) on a name other repositories contain, then a warning names them', () => {
    const stack = strictStack();
    new PrivateRepository(stack, 'Api', { repositoryName: 'api' }).addToRegistryScanning(ScanFrequency.SCAN_ON_PUSH);
    new PrivateRepository(stack, 'Gateway', { repositoryName: 'team/api-gateway' });
    new PrivateRepository(stack, 'Web', { repositoryName: 'web' });
    synthesize(stack.node.root as App);
    const warnings = AssertAnnotations.fromStack(stack).findWarning('/Stack/Api', Match.stringLikeRegexp('also covers'));
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0].entry.data)).toMatch(/'team\/api-gateway'/);
    expect(JSON.stringify(warnings[0].entry.data)).not.toMatch(/'web'/);
    // the covered repository is scanned, so it is not reported as unscanned; 'web' is
    expect(AssertAnnotations.fromStack(stack).findWarning('/Stack/Gateway', Match.stringLikeRegexp('matches no registry scanning filter'))).toHaveLength(0);
    expect(AssertAnnotations.fromStack(stack).findWarning('/Stack/Web', Match.stringLikeRegexp('MANUAL'))).toHaveLength(1);
  });

  test('given ENHANCED scanning, then a repository no filter covers is reported as not scanned at all', () => {
    const stack = strictStack();
    new PrivateRepository(stack, 'Api', { repositoryName: 'platform/api' }).addToRegistryScanning(ScanFrequency.CONTINUOUS_SCAN);
    new PrivateRepository(stack, 'Web', { repositoryName: 'web', imageScanOnPush: true });
    synthesize(stack.node.root as App);
    expect(AssertAnnotations.fromStack(stack).findWarning('/Stack/Web', Match.stringLikeRegexp('does not scan its images at all'))).toHaveLength(1);
  });

  test('repositories of aws-cdk-lib are covered by the uncovered-repository check too', () => {
    const stack = strictStack();
    const l2 = new ecr.Repository(stack, 'L2', { repositoryName: 'l2/repo', imageTagMutability: ecr.TagMutability.IMMUTABLE });
    acknowledgeControlTower(l2, [CT.ECR_LIFECYCLE, CT.ECR_SCAN_ON_PUSH], 'aws-cdk-lib defaults: no lifecycle policy, no scan on push');
    RegistryScanning.of(stack).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['platform/*'] });
    synthesize(stack.node.root as App);
    expect(AssertAnnotations.fromStack(stack).findWarning('/Stack/L2', Match.stringLikeRegexp('l2/repo'))).toHaveLength(1);
  });
});
