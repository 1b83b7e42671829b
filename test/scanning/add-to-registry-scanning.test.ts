import { Template } from 'aws-cdk-lib/assertions';
import { PrivateRepository, ScanFrequency } from '../../src';
import { strictStack, validTemplate } from '../util/harness';

/*
 * PrivateRepository.addToRegistryScanning(frequency): the registry-level mechanism, named
 * apart from the imageScanOnPush property (the repository's own setting).
 */

function scanningTemplate(add: (repo: PrivateRepository) => void): Template {
  const stack = strictStack();
  add(new PrivateRepository(stack, 'Api', { repositoryName: 'platform/api' }));
  return validTemplate(stack, { nag: true });
}

describe('PrivateRepository.addToRegistryScanning', () => {
  test.each([
    [ScanFrequency.SCAN_ON_PUSH, 'BASIC'],
    [ScanFrequency.CONTINUOUS_SCAN, 'ENHANCED'],
  ])('given %s, then the registry scanning configuration holds the repository name in that rule (scan type %s)', (frequency, scanType) => {
    const template = scanningTemplate((repo) => repo.addToRegistryScanning(frequency));
    template.resourceCountIs('AWS::ECR::RegistryScanningConfiguration', 1);
    template.hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
      ScanType: scanType,
      Rules: [{ ScanFrequency: frequency, RepositoryFilters: [{ Filter: 'platform/api', FilterType: 'WILDCARD' }] }],
    });
  });

  test('given the scanOnPush() and scanContinuously() of earlier versions, then they are gone: addToRegistryScanning names the mechanism', () => {
    const repo = new PrivateRepository(strictStack(), 'Api', { repositoryName: 'platform/api' }) as unknown as Record<string, unknown>;
    expect(repo.scanOnPush).toBeUndefined();
    expect(repo.scanContinuously).toBeUndefined();
  });

  test('leaves the repository\'s own scan-on-push setting (imageScanOnPush) as it was', () => {
    const template = scanningTemplate((repo) => repo.addToRegistryScanning(ScanFrequency.SCAN_ON_PUSH));
    template.hasResourceProperties('AWS::ECR::Repository', { ImageScanningConfiguration: { ScanOnPush: true } });
  });

  test.each([
    ['a lowercase frequency', 'scan_on_push', /PrivateRepository.addToRegistryScanning 'Stack\/Api'[^]*frequency is "scan_on_push": expected one of SCAN_ON_PUSH, CONTINUOUS_SCAN/],
    ['MANUAL (not a rule ECR takes from this method)', 'MANUAL', /frequency is "MANUAL": expected one of SCAN_ON_PUSH, CONTINUOUS_SCAN/],
    ['nothing', undefined, /frequency is undefined/],
  ])('given %s (an untyped caller), then it fails at the call naming the repository and the value', (_name, frequency, message) => {
    const stack = strictStack();
    const repo = new PrivateRepository(stack, 'Api', { repositoryName: 'platform/api' });
    expect(() => repo.addToRegistryScanning(frequency as unknown as ScanFrequency)).toThrow(message);
  });

  test('given a repository without a literal name, then it fails clearly', () => {
    const stack = strictStack();
    expect(() => new PrivateRepository(stack, 'Generated').addToRegistryScanning(ScanFrequency.SCAN_ON_PUSH)).toThrow(/scanning needs a concrete repositoryName/);
  });
});
