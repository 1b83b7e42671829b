import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Annotations as AssertAnnotations, Match } from 'aws-cdk-lib/assertions';
import {
  BasicScanTypeVersion,
  BlobMounting,
  EcrAccountSettings,
  InspectorPullDateRescanDuration,
  InspectorPullDateRescanMode,
  InspectorRescanDuration,
  InspectorScanning,
  Registry,
  RegistryPolicyScope,
  RegistryScanning,
  ScanType,
} from '../../src';
import { strictStack, synthesize, validTemplate } from '../util/harness';

describe('InspectorScanning and EcrAccountSettings', () => {
  test('given both, then one provider function serves them with the smallest policy, clean under the four cdk-nag packs', () => {
    const stack = strictStack();
    new InspectorScanning(stack, 'Inspector', {
      rescanDuration: InspectorRescanDuration.DAYS_180,
      pullDateRescanDuration: InspectorPullDateRescanDuration.DAYS_30,
      pullDateRescanMode: InspectorPullDateRescanMode.LAST_PULL_DATE,
    });
    new EcrAccountSettings(stack, 'Settings', {
      basicScanTypeVersion: BasicScanTypeVersion.AWS_NATIVE,
      registryPolicyScope: RegistryPolicyScope.V2,
      restoreOnDelete: true,
    });
    const template = validTemplate(stack, { nag: true });

    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Handler: 'index.handler', Timeout: 900 });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    template.hasResourceProperties('Custom::EcrInspectorScanning', {
      Kind: 'Inspector', RescanDuration: 'DAYS_180', PullDateRescanDuration: 'DAYS_30', PullDateRescanMode: 'LAST_PULL_DATE', DisableOnDelete: 'false',
    });
    template.hasResourceProperties('Custom::EcrAccountSetting', { Kind: 'AccountSetting', Name: 'BASIC_SCAN_TYPE_VERSION', Value: 'AWS_NATIVE', RestoreOnDelete: 'true' });
    template.hasResourceProperties('Custom::EcrAccountSetting', { Kind: 'AccountSetting', Name: 'REGISTRY_POLICY_SCOPE', Value: 'V2' });
    template.hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', { ScanType: 'ENHANCED' });

    // No AWS managed policy, no inline policy: one customer managed policy.
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('SettingsProviderRole') }],
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('Logs'), 'Arn'] } },
          {
            Effect: 'Allow',
            Action: [
              'inspector2:BatchGetAccountStatus', 'inspector2:GetDelegatedAdminAccount', 'inspector2:GetConfiguration', 'inspector2:UpdateConfiguration',
              'inspector2:Disable', 'ecr:GetAccountSetting', 'ecr:PutAccountSetting', 'inspector2:Enable',
            ],
            Resource: '*',
          },
          { Effect: 'Allow', Action: 'cloudformation:ListStackResources', Resource: { Ref: 'AWS::StackId' } },
          {
            Effect: 'Allow',
            Action: 'iam:CreateServiceLinkedRole',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/aws-service-role/inspector2.amazonaws.com/AWSServiceRoleForAmazonInspector2']] },
            Condition: { StringEquals: { 'iam:AWSServiceName': 'inspector2.amazonaws.com' } },
          },
        ],
      },
    });
  });

  test('given the stack keeps only EcrAccountSettings after InspectorScanning({ disableOnDelete: true }) is removed, then the provider still holds what the Inspector delete needs', () => {
    // The policy is updated before CloudFormation deletes the removed
    // resource, so the delete-time permissions cannot depend on it.
    const before = strictStack();
    new InspectorScanning(before, 'Inspector', { disableOnDelete: true });
    new EcrAccountSettings(before, 'Settings', { basicScanTypeVersion: BasicScanTypeVersion.AWS_NATIVE });
    const after = strictStack();
    new EcrAccountSettings(after, 'Settings', { basicScanTypeVersion: BasicScanTypeVersion.AWS_NATIVE });
    const actions = (stack: Stack): string[] => {
      const policies = Object.values(validTemplate(stack).findResources('AWS::IAM::ManagedPolicy'));
      return policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement.flatMap((st: any) => [st.Action].flat()));
    };
    const deleteTime = [
      'inspector2:BatchGetAccountStatus', 'inspector2:Disable', 'inspector2:GetDelegatedAdminAccount', 'inspector2:GetConfiguration',
      'inspector2:UpdateConfiguration', 'ecr:GetAccountSetting', 'ecr:PutAccountSetting', 'cloudformation:ListStackResources',
    ];
    expect(actions(before)).toEqual(expect.arrayContaining([...deleteTime, 'inspector2:Enable']));
    expect(actions(after)).toEqual(expect.arrayContaining(deleteTime));
    // Create-time permissions stay with the construct that needs them.
    expect(actions(after)).not.toContain('inspector2:Enable');
    expect(actions(after)).not.toContain('iam:CreateServiceLinkedRole');
  });

  test('given either construct, then CloudFormation waits at most 10 minutes for an answer, less than the function\'s 15-minute timeout', () => {
    const stack = strictStack();
    new InspectorScanning(stack, 'Inspector');
    new EcrAccountSettings(stack, 'Settings', { blobMounting: BlobMounting.ENABLED });
    const template = validTemplate(stack);
    const timeout = Object.values(template.findResources('AWS::Lambda::Function'))[0].Properties.Timeout;
    for (const type of ['Custom::EcrInspectorScanning', 'Custom::EcrAccountSetting']) {
      for (const resource of Object.values(template.findResources(type))) {
        expect(Number(resource.Properties.ServiceTimeout)).toBe(600);
        expect(Number(resource.Properties.ServiceTimeout)).toBeLessThan(timeout);
      }
    }
  });

  test('given blobMounting, then a BLOB_MOUNTING account setting is rendered like the others', () => {
    const stack = strictStack();
    new EcrAccountSettings(stack, 'Settings', { blobMounting: BlobMounting.DISABLED, restoreOnDelete: true });
    const template = validTemplate(stack, { nag: true });
    template.resourceCountIs('Custom::EcrAccountSetting', 1);
    template.hasResourceProperties('Custom::EcrAccountSetting', { Kind: 'AccountSetting', Name: 'BLOB_MOUNTING', Value: 'DISABLED', RestoreOnDelete: 'true' });
  });

  test('the custom resource waits for its policy, so the first call has permissions', () => {
    const stack = strictStack();
    new InspectorScanning(stack, 'Inspector');
    const template = validTemplate(stack);
    const policyId = Object.keys(template.findResources('AWS::IAM::ManagedPolicy'))[0];
    template.hasResource('Custom::EcrInspectorScanning', { DependsOn: Match.arrayWith([policyId]) });
  });

  test.each<[string, (stack: Stack) => void, RegExp]>([
    ['pull-date settings without rescanDuration', (s) => new InspectorScanning(s, 'I', { pullDateRescanMode: InspectorPullDateRescanMode.LAST_IN_USE_AT }), /need rescanDuration/],
    ['two InspectorScanning in one registry', (s) => { new InspectorScanning(s, 'A'); new InspectorScanning(s, 'B'); }, /Custom::EcrInspectorScanning is already declared by 'Stack\/A'/],
    ['Inspector with a BASIC registry scan type', (s) => { RegistryScanning.of(s).useScanType(ScanType.BASIC); new InspectorScanning(s, 'I'); }, /the scan type is already BASIC/],
    ['no account setting', (s) => new EcrAccountSettings(s, 'S', {}), /no setting given/],
    ['the same BLOB_MOUNTING setting twice', (s) => {
      new EcrAccountSettings(s, 'A', { blobMounting: BlobMounting.ENABLED });
      new EcrAccountSettings(s, 'B', { blobMounting: BlobMounting.DISABLED });
    }, /ECR account setting BLOB_MOUNTING is already declared/],
    ['the same account setting twice', (s) => {
      new EcrAccountSettings(s, 'A', { registryPolicyScope: RegistryPolicyScope.V2 });
      new EcrAccountSettings(s, 'B', { registryPolicyScope: RegistryPolicyScope.V2 });
    }, /ECR account setting REGISTRY_POLICY_SCOPE is already declared/],
  ])('given %s, then it fails with a clear message', (_, build, message) => {
    expect(() => build(strictStack())).toThrow(message);
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['CLAIR', { basicScanTypeVersion: BasicScanTypeVersion.CLAIR },
      /EcrAccountSettings 'Stack\/S': 1 problem:\n {2}- basicScanTypeVersion is CLAIR, which ECR no longer sets: PutAccountSetting takes only AWS_NATIVE for BASIC_SCAN_TYPE_VERSION\. Use BasicScanTypeVersion\.AWS_NATIVE/],
    ['V1', { registryPolicyScope: RegistryPolicyScope.V1 },
      /EcrAccountSettings 'Stack\/S': 1 problem:\n {2}- registryPolicyScope is V1, which ECR no longer sets: PutAccountSetting takes only V2 for REGISTRY_POLICY_SCOPE\. Use RegistryPolicyScope\.V2/],
    ['CLAIR and V1 together, from an untyped caller', { basicScanTypeVersion: 'CLAIR', registryPolicyScope: 'V1' }, /2 problems:\n.*basicScanTypeVersion is CLAIR.*\n.*registryPolicyScope is V1/],
    ['blobMounting in lowercase, from an untyped caller', { blobMounting: 'enabled' }, /EcrAccountSettings 'Stack\/S': 1 problem:\n {2}- props\.blobMounting is "enabled": expected one of ENABLED, DISABLED/],
    ['blobMounting that is not a string', { blobMounting: true }, /props\.blobMounting is true: expected one of ENABLED, DISABLED/],
  ])('given %s, then nothing is rendered and the error says what ECR takes', (_, props, message) => {
    const stack = strictStack();
    expect(() => new EcrAccountSettings(stack, 'S', props as any)).toThrow(message);
    expect(stack.node.findAll().some((c) => CfnResource.isCfnResource(c))).toBe(false);
  });

  test('given a registry still on V1 (read live), then the registry policy still warns that V2 is needed', () => {
    const stack = strictStack();
    Registry.of(stack).allowPullThroughCacheFrom('222222222222');
    AssertAnnotations.fromStack(stack).hasWarning('/Stack/EcrRegistry', Match.stringLikeRegexp('a registry still on V1 accepts only'));
  });

  test('given two stacks of the same account and region that both enable Inspector, then synth fails', () => {
    const stack = strictStack();
    const other = new Stack(stack.node.root as App, 'Other', { env: { account: '111111111111', region: 'eu-west-1' } });
    new InspectorScanning(stack, 'Inspector');
    new InspectorScanning(other, 'Inspector');
    expect(() => synthesize(stack.node.root as App)).toThrow(/both render Custom::EcrInspectorScanning/);
  });
});
