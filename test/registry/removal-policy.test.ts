import { RemovalPolicy } from 'aws-cdk-lib';
import * as signer from 'aws-cdk-lib/aws-signer';
import { PrivateRepository, Registry, RegistryScanning, RegistrySigning, ReplicationDestination, ScanFrequency } from '../../src';
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
  test('by default no DeletionPolicy is rendered: deleting the stack resets the account\'s settings (CloudFormation\'s default, Delete)', () => {
    expect(policies(settingsStack(undefined, true))).toEqual(Object.fromEntries(SETTINGS.map((t) => [t, [undefined, undefined]])));
  });

  test.each([true, false])('RemovalPolicy.RETAIN keeps every setting, whether applied before the settings are declared (%s) or after', (applyFirst) => {
    expect(policies(settingsStack(RemovalPolicy.RETAIN, applyFirst))).toEqual(Object.fromEntries(SETTINGS.map((t) => [t, ['Retain', 'Retain']])));
  });

  test('RemovalPolicy.DESTROY renders Delete explicitly', () => {
    expect(policies(settingsStack(RemovalPolicy.DESTROY, true))).toEqual(Object.fromEntries(SETTINGS.map((t) => [t, ['Delete', 'Delete']])));
  });

  test.each([RemovalPolicy.SNAPSHOT, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE])('%s is refused with a clear message', (policy) => {
    expect(() => Registry.of(strictStack()).applyRemovalPolicy(policy)).toThrow(/Registry 'Stack\/EcrRegistry': 1 problem:\n.*is not supported for registry settings: use RemovalPolicy.DESTROY/);
  });
});
