import { App, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PublicArchitecture, PublicOperatingSystem, PublicRepository } from '../../src';
import { strictStack, validTemplate } from '../util/harness';

const US_EAST_1 = { account: '111111111111', region: 'us-east-1' };

describe('PublicRepository', () => {
  test('given catalog data and tags, then it renders the gallery fields, is retained, and is clean under every pack', () => {
    const stack = strictStack({ env: US_EAST_1 });
    // Security Hub ECR.4 (EcrCompliance-PublicRepositoryTags) wants public repositories tagged
    Tags.of(stack).add('owner', 'platform-team');
    new PublicRepository(stack, 'Public', {
      repositoryName: 'tools/cli',
      catalogData: {
        description: 'Our command-line tools',
        aboutText: '# Tools',
        usageText: 'docker pull public.ecr.aws/example/tools/cli',
        architectures: [PublicArchitecture.X86_64, PublicArchitecture.ARM_64],
        operatingSystems: [PublicOperatingSystem.LINUX],
      },
    });
    validTemplate(stack, { nag: true }).hasResource('AWS::ECR::PublicRepository', {
      DeletionPolicy: 'Retain',
      Properties: {
        RepositoryName: 'tools/cli',
        RepositoryCatalogData: {
          RepositoryDescription: 'Our command-line tools',
          AboutText: '# Tools',
          UsageText: 'docker pull public.ecr.aws/example/tools/cli',
          Architectures: ['x86-64', 'ARM 64'],
          OperatingSystems: ['Linux'],
        },
      },
    });
  });

  test('grantPush gives the repository actions on its ARN and the token actions on *', () => {
    const stack = strictStack({ env: US_EAST_1 });
    const repo = new PublicRepository(stack, 'Public', { repositoryName: 'tools/cli', removalPolicy: RemovalPolicy.DESTROY });
    const role = new iam.Role(stack, 'Pusher', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
    repo.grantPush(role);
    validTemplate(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['ecr-public:BatchCheckLayerAvailability', 'ecr-public:CompleteLayerUpload', 'ecr-public:InitiateLayerUpload', 'ecr-public:PutImage', 'ecr-public:UploadLayerPart'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Public'), 'Arn'] },
          },
          { Effect: 'Allow', Action: ['ecr-public:GetAuthorizationToken', 'sts:GetServiceBearerToken'], Resource: '*' },
        ],
      },
    });
  });

  test('a resource policy refuses open access', () => {
    const stack = strictStack({ env: US_EAST_1 });
    const repo = new PublicRepository(stack, 'Public');
    expect(() => repo.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.StarPrincipal()], actions: ['ecr-public:PutImage'] })))
      .toThrow(/PublicRepository 'Stack\/Public': 1 problem:\n.*'\*' principal/);
    repo.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AccountPrincipal('222222222222')], actions: ['ecr-public:PutImage'] }));
    validTemplate(stack).hasResourceProperties('AWS::ECR::PublicRepository', {
      RepositoryPolicyText: { Statement: [Match.objectLike({ Action: 'ecr-public:PutImage' })] },
    });
  });

  test('a stack outside us-east-1 fails with a clear error', () => {
    const stack = strictStack();
    expect(() => new PublicRepository(stack, 'Public')).toThrow(/region is 'eu-west-1', but ECR Public exists only in us-east-1/);
  });

  test('an environment-agnostic stack gets a warning', () => {
    const stack = new Stack(new App(), 'Agnostic');
    new PublicRepository(stack, 'Public');
    Annotations.fromStack(stack).hasWarning('/Agnostic/Public', Match.stringLikeRegexp('ECR Public exists only in us-east-1'));
  });

  test.each([
    [{ removalPolicy: RemovalPolicy.SNAPSHOT }, /removalPolicy is snapshot/],
    [{ repositoryName: 'a'.repeat(206) }, /has 206 characters: it must have 2 to 205/],
    [{ catalogData: { description: 'd'.repeat(1025) } }, /catalogData.description has 1025 characters: ECR Public takes at most 1024/],
    [{ catalogData: { aboutText: 'a'.repeat(10241) } }, /catalogData.aboutText has 10241 characters/],
    [{ catalogData: { usageText: 'u'.repeat(10241) } }, /catalogData.usageText has 10241 characters/],
    [{ catalogData: { architectures: [PublicArchitecture.ARM, PublicArchitecture.ARM] } }, /architectures lists the same entry twice/],
    [{ catalogData: { operatingSystems: [PublicOperatingSystem.of('')] } }, /operatingSystems entry '' must have 1 to 50 characters/],
  ])('bad input %#', (props, message) => {
    const stack = strictStack({ env: US_EAST_1 });
    expect(() => new PublicRepository(stack, 'Public', props as any)).toThrow(message);
  });
});
