import { RemovalPolicy } from 'aws-cdk-lib';
import { Annotations as AssertAnnotations, Match } from 'aws-cdk-lib/assertions';
import * as signer from 'aws-cdk-lib/aws-signer';
import {
  BlobMounting,
  EcrAccountSettings,
  InspectorScanning,
  PrivateRepository,
  Registry,
  RegistryScanning,
  RegistrySigning,
  ReplicationDestination,
  ScanFrequency,
  ScanType,
} from '../../src';
import { strictStack, validTemplate } from '../util/harness';

const SETTINGS = ['AWS::ECR::RegistryPolicy', 'AWS::ECR::ReplicationConfiguration', 'AWS::ECR::RegistryScanningConfiguration', 'AWS::ECR::SigningConfiguration'];

/** A stack with all four account-wide settings; the policy is applied before or after they are declared. */
function settingsStack(policy: RemovalPolicy | undefined, applyFirst: boolean) {
  const stack = strictStack();
  if (policy !== undefined && applyFirst) Registry.of(stack).applyRemovalPolicy(policy);
  new PrivateRepository(stack, 'Repo', { repositoryName: 'team/api' }).replicateTo([ReplicationDestination.of('111111111111', 'eu-central-1')]);
  Registry.of(stack).allowReplicationFrom('222222222222');
  RegistryScanning.of(stack).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['*'] });
  const profile = new signer.SigningProfile(stack, 'Profile', { platform: signer.Platform.NOTATION_OCI_SHA384_ECDSA });
  RegistrySigning.of(stack).addRule({ signingProfileArn: profile.signingProfileArn });
  if (policy !== undefined && !applyFirst) Registry.of(stack).applyRemovalPolicy(policy);
  return validTemplate(stack, { nag: true });
}

function policies(template: ReturnType<typeof validTemplate>): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const type of SETTINGS) {
    const found = Object.values<any>(template.findResources(type));
    expect(found).toHaveLength(1);
    out[type] = [found[0].DeletionPolicy, found[0].UpdateReplacePolicy];
  }
  return out;
}

describe('registry settings on stack deletion', () => {
  test('by default every setting is kept when the stack is deleted, and removed when its creation rolls back (RetainExceptOnCreate)', () => {
    expect(policies(settingsStack(undefined, true))).toEqual(Object.fromEntries(SETTINGS.map((t) => [t, ['RetainExceptOnCreate', 'Retain']])));
  });

  test.each([true, false])('RemovalPolicy.RETAIN keeps every setting, whether applied before the settings are declared (%s) or after', (applyFirst) => {
    expect(policies(settingsStack(RemovalPolicy.RETAIN, applyFirst))).toEqual(Object.fromEntries(SETTINGS.map((t) => [t, ['Retain', 'Retain']])));
  });

  test('RemovalPolicy.DESTROY renders Delete explicitly', () => {
    expect(policies(settingsStack(RemovalPolicy.DESTROY, true))).toEqual(Object.fromEntries(SETTINGS.map((t) => [t, ['Delete', 'Delete']])));
  });

  test('RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE is the default, said explicitly', () => {
    expect(policies(settingsStack(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, false))).toEqual(Object.fromEntries(SETTINGS.map((t) => [t, ['RetainExceptOnCreate', 'Retain']])));
  });

  test('a deletion policy set on one setting\'s L1 (an escape hatch) is kept when the registry has no policy of its own', () => {
    const stack = strictStack();
    RegistryScanning.of(stack).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['*'] });
    Registry.of(stack).allowReplicationFrom('222222222222');
    RegistryScanning.of(stack).cfnScanningConfiguration!.applyRemovalPolicy(RemovalPolicy.DESTROY);
    const template = validTemplate(stack);
    template.hasResource('AWS::ECR::RegistryScanningConfiguration', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::ECR::RegistryPolicy', { DeletionPolicy: 'RetainExceptOnCreate' });
  });

  test('given ENHANCED scanning that a delete would reset, then a warning says Inspector would be turned off for the account; none by default', () => {
    const build = (policy?: RemovalPolicy) => {
      const stack = strictStack();
      RegistryScanning.of(stack).useScanType(ScanType.ENHANCED);
      RegistryScanning.of(stack).addRule({ frequency: ScanFrequency.CONTINUOUS_SCAN, repositoryFilters: ['*'] });
      if (policy) Registry.of(stack).applyRemovalPolicy(policy);
      return AssertAnnotations.fromStack(stack);
    };
    build(RemovalPolicy.DESTROY).hasWarning('/Stack/EcrRegistry/Scanning/Resource', Match.stringLikeRegexp('tries to turn Amazon Inspector off for the whole account'));
    build().hasNoWarning('*', Match.stringLikeRegexp('Inspector off'));
  });

  test('accounts settings and Inspector scanning keep CloudFormation\'s Delete: their handler keeps the account\'s values on delete unless asked', () => {
    const stack = strictStack();
    new EcrAccountSettings(stack, 'Settings', { blobMounting: BlobMounting.ENABLED });
    new InspectorScanning(stack, 'Inspector');
    const template = validTemplate(stack);
    for (const type of ['Custom::EcrAccountSetting', 'Custom::EcrInspectorScanning']) {
      expect(Object.values<any>(template.findResources(type)).map((r) => r.DeletionPolicy)).toEqual(['Delete']);
    }
  });

  test.each([RemovalPolicy.SNAPSHOT])('%s is refused with a clear message', (policy) => {
    expect(() => Registry.of(strictStack()).applyRemovalPolicy(policy)).toThrow(/Registry 'Stack\/EcrRegistry': 1 problem:\n.*is not supported for registry settings: use RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE/);
  });
});
