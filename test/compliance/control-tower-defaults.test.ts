import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import {
  EcrAccountSettings, FindingsRouting, InspectorScanning, PrivateRepository, PullThroughCacheCredentials, PullThroughCacheRule,
  RegistryPolicyScope, RepositoryCreationTemplate, RepositoryCreationTemplateAppliedFor, ImageEncryption, UpstreamRegistry,
} from '../../src';
import { CONTROL_TOWER_PLUGIN, CONTROL_TOWER_RULES } from '../util/control-tower';
import { readFindings, strictStack, validTemplate } from '../util/harness';

/** The key-policy statement CT.KMS.PR.3 asks for, as the guard rule reads it. */
const CREATE_GRANT_STATEMENT = {
  Sid: 'GrantsOnlyForAwsServices',
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 'kms:CreateGrant',
  Resource: '*',
  Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
};

/** Every construct of the library that creates a customer managed key. */
const KEY_SITES: Array<[string, (stack: Stack) => void, number]> = [
  ['the stack\'s shared repository key', (s) => new PrivateRepository(s, 'Repo', {}), 1],
  ['a repository\'s own key', (s) => new PrivateRepository(s, 'Repo', { encryption: ImageEncryption.kms() }), 1],
  ['a creation template\'s key', (s) => new RepositoryCreationTemplate(s, 'Template', {
    prefix: 'team', appliedFor: [RepositoryCreationTemplateAppliedFor.REPLICATION], encryption: ImageEncryption.kms(),
  }), 1],
  ['the pull-through cache credentials key (and the shared key)', (s) => new PullThroughCacheRule(s, 'Cache', {
    ecrRepositoryPrefix: 'docker-hub', upstream: UpstreamRegistry.dockerHub(), credentials: PullThroughCacheCredentials.createSecret(),
  }), 2],
  ['the findings topic key', (s) => new FindingsRouting(s, 'Findings', {}), 1],
  ['the settings provider\'s log group key', (s) => new EcrAccountSettings(s, 'Settings', { registryPolicyScope: RegistryPolicyScope.V2 }), 1],
];

describe('defaults that AWS Control Tower accepts', () => {
  test.each(KEY_SITES)('%s limits grants to AWS services (CT.KMS.PR.3) and passes every Control Tower rule', (_name, build, keys) => {
    const stack = strictStack();
    build(stack);
    // validTemplate fails on any Control Tower finding
    const template = validTemplate(stack, { nag: true });
    const found = template.findResources('AWS::KMS::Key');
    expect(Object.keys(found)).toHaveLength(keys);
    for (const key of Object.values<any>(found)) {
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.Properties.KeyPolicy.Statement).toContainEqual(CREATE_GRANT_STATEMENT);
    }
  });

  test('the settings provider\'s log group is encrypted with its own key, which only CloudWatch Logs of this account and region may use (CT.CLOUDWATCH.PR.3)', () => {
    const stack = strictStack();
    new InspectorScanning(stack, 'Inspector');
    const template = validTemplate(stack, { nag: true });
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];
    expect(keyId).toMatch(/^EcrPlatformSettingsProviderLogsKey/);
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, RetentionInDays: 365 });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'CloudWatchLogsEncryptsProviderLogs',
          Effect: 'Allow',
          Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
          Condition: {
            ArnLike: {
              'kms:EncryptionContext:aws:logs:arn': {
                'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':log-group:*']],
              },
            },
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          },
        })]),
      },
    });
  });

  describe('settings provider in a VPC', () => {
    function vpcOf(stack: Stack): ec2.IVpc {
      return ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
        vpcId: 'vpc-12345678',
        availabilityZones: ['eu-west-1a', 'eu-west-1b'],
        privateSubnetIds: ['subnet-11111111', 'subnet-22222222'],
      });
    }

    test('given vpc, then the function runs in its private subnets with a security group, and its role may manage its network interfaces', () => {
      const stack = strictStack();
      const vpc = vpcOf(stack);
      new InspectorScanning(stack, 'Inspector', { vpc });
      new EcrAccountSettings(stack, 'Settings', { registryPolicyScope: RegistryPolicyScope.V2 }); // inherits the placement
      const template = validTemplate(stack, { nag: true });
      template.resourceCountIs('AWS::Lambda::Function', 1);
      template.hasResourceProperties('AWS::Lambda::Function', {
        VpcConfig: { SubnetIds: ['subnet-11111111', 'subnet-22222222'], SecurityGroupIds: [{ 'Fn::GetAtt': [Match.anyValue(), 'GroupId'] }] },
      });
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({
            Action: Match.arrayWith(['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface']),
            Resource: '*',
          })]),
        },
      });
    });

    test('given no vpc, then the function is outside any VPC and has no EC2 permission', () => {
      const stack = strictStack();
      new InspectorScanning(stack, 'Inspector');
      const template = validTemplate(stack);
      template.hasResourceProperties('AWS::Lambda::Function', { VpcConfig: Match.absent() });
      expect(JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy'))).not.toContain('ec2:');
    });

    test.each([true, false])('CT.LAMBDA.PR.3, switched off for the test suite, passes with vpc (%s) and fails without', (inVpc) => {
      const stack = strictStack();
      new InspectorScanning(stack, 'Inspector', { vpc: inVpc ? vpcOf(stack) : undefined });
      const app = stack.node.root as App;
      Validations.of(app).addPlugins(new CfnGuardValidator({
        controlTowerRulesEnabled: false,
        rules: [path.join(CONTROL_TOWER_RULES, 'lambda', 'ct-lambda-pr-3.guard')],
      }));
      try {
        app.synth();
      } catch (e) {
        if (inVpc) throw e;
      }
      const findings = readFindings(app.outdir).filter((f) => f.plugin === CONTROL_TOWER_PLUGIN).map((f) => `${f.rule} at ${f.path}`);
      expect(findings).toEqual(inVpc ? [] : ['lambda_inside_vpc_check at Stack/EcrPlatformSettingsProvider/Function/Resource']);
    });

    test.each<[string, (stack: Stack) => void, RegExp]>([
      ['subnets without a vpc', (s) => new InspectorScanning(s, 'Inspector', { vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }),
        /InspectorScanning 'Stack\/Inspector': 1 problem:\n {2}- vpcSubnets and securityGroups need vpc/],
      ['a second construct with another placement', (s) => {
        new InspectorScanning(s, 'Inspector');
        new EcrAccountSettings(s, 'Settings', { registryPolicyScope: RegistryPolicyScope.V2, vpc: vpcOf(s) });
      }, /EcrAccountSettings 'Stack\/Settings': 1 problem:\n {2}- vpc, vpcSubnets or securityGroups differ from those of InspectorScanning 'Stack\/Inspector'/],
    ])('given %s, then a clear error', (_name, build, error) => {
      expect(() => build(strictStack())).toThrow(error);
    });
  });
});
