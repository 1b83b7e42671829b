import { App, Stack } from 'aws-cdk-lib';
import { Annotations as AssertAnnotations, Match } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { PrivateRepository, RegistryScanning, ScanFrequency, ScanType } from '../../src';
import { scanningConfigurationProblems, scanningFilterProblems, wildcardMatches } from '../../src/scanning/checks';
import { acknowledgeControlTower, CT } from '../util/control-tower';
import { strictStack, synthesize, validTemplate } from '../util/harness';

describe('RegistryScanning', () => {
  test('given repositories asking for scanning, then one scanning configuration holds one rule per frequency, rendered lazily', () => {
    const stack = strictStack();
    new PrivateRepository(stack, 'Api', { repositoryName: 'platform/api' }).scanContinuously();
    new PrivateRepository(stack, 'Web', { repositoryName: 'platform/web' }).scanContinuously();
    new PrivateRepository(stack, 'Tools', { repositoryName: 'tools/cli' }).scanOnPush();
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
    new PrivateRepository(stack, 'Api', { repositoryName: 'platform/api' }).scanOnPush();
    const template = validTemplate(stack, { nag: true });
    template.hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
      ScanType: 'BASIC',
      Rules: [{ ScanFrequency: 'SCAN_ON_PUSH', RepositoryFilters: [{ Filter: 'platform/api', FilterType: 'WILDCARD' }] }],
    });
  });

  test('given an explicit ENHANCED scan type without rules, then the configuration renders no rule', () => {
    const stack = strictStack();
    RegistryScanning.of(stack).useScanType(ScanType.ENHANCED);
    RegistryScanning.of(stack).useScanType(ScanType.ENHANCED); // idempotent
    const template = validTemplate(stack, { nag: true });
    template.hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', { ScanType: 'ENHANCED', Rules: [] });
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
      new PrivateRepository(s, 'Api', { repositoryName: 'platform/api' }).scanContinuously();
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
    ['a repository without a literal name', (s) => new PrivateRepository(s, 'Generated').scanOnPush(), /scanning needs a concrete repositoryName/],
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
    ['api', 'api2', false],
  ])('wildcard %j matches %j: %s', (filter, name, matches) => {
    expect(wildcardMatches(filter, name)).toBe(matches);
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
