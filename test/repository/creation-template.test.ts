import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations as AssertAnnotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  ImageTagMutability,
  LifecyclePolicy,
  LifecyclePresets,
  PrivateRepository,
  RepositoryAccess,
  RepositoryCreationTemplate,
  RepositoryCreationTemplateAppliedFor as AppliedFor,
  RepositoryCreationTemplateProps,
  ImageEncryption,
} from '../../src';
import { describeFindings, strictApp, strictStack, synthesize, validTemplate } from '../util/harness';

describe('RepositoryCreationTemplate', () => {
  test('given only a prefix and a scenario, then immutable tags, the stack shared key with a role that may use it, and the recommended lifecycle policy', () => {
    const stack = strictStack();
    new RepositoryCreationTemplate(stack, 'Template', { prefix: 'platform', appliedFor: [AppliedFor.REPLICATION] });
    const template = validTemplate(stack, { nag: true });
    template.hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', {
      Prefix: 'platform',
      AppliedFor: ['REPLICATION'],
      ImageTagMutability: 'IMMUTABLE',
      LifecyclePolicy: LifecyclePolicy.recommended().toJson(),
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EcrRepositoryKey'), 'Arn'] } },
      RepositoryPolicy: Match.absent(),
      CustomRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TemplateRole'), 'Arn'] },
    });
    // the stack's shared key, and a role that may use it for the repositories ECR creates
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourceCountIs('AWS::IAM::Role', 1);
  });

  test('given AES256, then no key, no role, and no EncryptionConfiguration (ECR\'s default), as a repository renders it', () => {
    const stack = strictStack();
    new RepositoryCreationTemplate(stack, 'Template', { prefix: 'platform', appliedFor: [AppliedFor.REPLICATION], encryption: ImageEncryption.AES256 });
    new PrivateRepository(stack, 'Repo', { repositoryName: 'platform/api', encryption: ImageEncryption.AES256 });
    const template = validTemplate(stack);
    template.hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', { EncryptionConfiguration: Match.absent(), CustomRoleArn: Match.absent() });
    template.hasResourceProperties('AWS::ECR::Repository', { EncryptionConfiguration: Match.absent() });
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.resourceCountIs('AWS::IAM::Role', 0);
  });

  test('given access, KMS, exclusions, tags and a description, then the repository policy is a string, and a least-privilege role is created', () => {
    const stack = strictStack();
    new RepositoryCreationTemplate(stack, 'Template', {
      prefix: 'platform/',
      appliedFor: [AppliedFor.REPLICATION, AppliedFor.PULL_THROUGH_CACHE],
      lifecyclePolicy: LifecyclePolicy.combine(LifecyclePresets.protectTags(['prod-*']), LifecyclePolicy.recommended()),
      access: [RepositoryAccess.pullFromOrganization('o-exampleorg1')],
      encryption: ImageEncryption.kms(),
      imageTagMutability: ImageTagMutability.MUTABLE,
      imageTagMutabilityExclusions: ['v*'],
      resourceTags: { 'team': 'platform', 'cost-center': '42' },
      description: 'Replicas of the platform images',
    });
    const template = validTemplate(stack, { nag: true });
    template.hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', {
      Prefix: 'platform/',
      ImageTagMutability: 'MUTABLE_WITH_EXCLUSION',
      ImageTagMutabilityExclusionFilters: [{ ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'v*' }],
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TemplateKey'), 'Arn'] } },
      ResourceTags: [{ Key: 'team', Value: 'platform' }, { Key: 'cost-center', Value: '42' }],
      Description: 'Replicas of the platform images',
      RepositoryPolicy: Match.stringLikeRegexp('"aws:PrincipalOrgID":"o-exampleorg1"'),
      CustomRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TemplateRole'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      // Against the confused deputy: ECR may assume the role only for this account.
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'ecr.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
        }],
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['ecr:CreateRepository', 'ecr:ReplicateImage', 'ecr:TagResource'],
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:eu-west-1:111111111111:repository/platform/*']] },
          },
          {
            Action: ['kms:CreateGrant', 'kms:DescribeKey', 'kms:RetireGrant'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TemplateKey'), 'Arn'] },
          },
        ],
      },
    });
  });

  test('given ROOT, then the role covers every repository', () => {
    const stack = strictStack();
    new RepositoryCreationTemplate(stack, 'Template', { prefix: 'ROOT', appliedFor: [AppliedFor.CREATE_ON_PUSH], resourceTags: { team: 'x' } });
    validTemplate(stack, { nag: true }).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: ['ecr:CreateRepository', 'ecr:TagResource'], Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:eu-west-1:111111111111:repository/*']] } },
          Match.objectLike({ Action: Match.arrayWith(['kms:CreateGrant']), Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EcrRepositoryKey'), 'Arn'] } }),
        ],
      },
    });
  });

  test('given your own role, then it is used and none is created', () => {
    const stack = strictStack();
    const role = iam.Role.fromRoleArn(stack, 'Mine', 'arn:aws:iam::111111111111:role/ecr-templates');
    new RepositoryCreationTemplate(stack, 'Template', { prefix: 'team', appliedFor: [AppliedFor.REPLICATION], resourceTags: { team: 'x' }, customRole: role });
    const template = validTemplate(stack);
    template.resourceCountIs('AWS::IAM::Role', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    template.hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', { CustomRoleArn: 'arn:aws:iam::111111111111:role/ecr-templates' });
  });

  const base: RepositoryCreationTemplateProps = { prefix: 'team', appliedFor: [AppliedFor.REPLICATION] };
  test.each<[string, Partial<RepositoryCreationTemplateProps>, RegExp]>([
    ['an uppercase prefix', { prefix: 'Team' }, /prefix 'Team' is neither 'ROOT' nor a repository namespace/],
    ['a prefix starting with /', { prefix: '/team' }, /prefix '\/team' is neither/],
    ['a too long prefix', { prefix: 'a'.repeat(257) }, /has 257 characters: it must have 1 to 256/],
    ['no scenario', { appliedFor: [] }, /appliedFor is empty/],
    ['a scenario twice', { appliedFor: [AppliedFor.REPLICATION, AppliedFor.REPLICATION] }, /appliedFor lists the same scenario twice/],
    ['six exclusion filters', { imageTagMutabilityExclusions: ['a', 'b', 'c', 'd', 'e', 'f'] }, /imageTagMutabilityExclusions has 6 filters/],
    ['a bad exclusion filter', { imageTagMutabilityExclusions: ['no spaces'] }, /filter 'no spaces' must be 1 to 128 characters/],
    ['an invalid lifecycle policy', { lifecyclePolicy: LifecyclePolicy.fromRules([]) }, /lifecyclePolicy: /],
    ['a long description', { description: 'd'.repeat(257) }, /description has 257 characters/],
    ['51 tags', { resourceTags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) }, /resourceTags has 51 tags/],
    ['an aws: tag key', { resourceTags: { 'aws:team': 'x' } }, /resourceTags key 'aws:team'/],
    ['a bad tag value', { resourceTags: { team: 'a'.repeat(257) } }, /resourceTags value/],
    ['open access', { access: [RepositoryAccess.fromStatement(new iam.PolicyStatement({ principals: [new iam.StarPrincipal()], actions: ['ecr:BatchGetImage'] }))] }, /allows the '\*' principal/],
    ['a statement with a resource', { access: [RepositoryAccess.fromStatement(new iam.PolicyStatement({ principals: [new iam.AccountPrincipal('222222222222')], actions: ['ecr:BatchGetImage'], resources: ['*'] }))] }, /names resources/],
  ])('given %s, then it fails naming the template', (_name, override, message) => {
    const make = () => new RepositoryCreationTemplate(strictStack(), 'Template', { ...base, ...override });
    expect(make).toThrow(/^RepositoryCreationTemplate 'Stack\/Template': \d+ problems?:/);
    expect(make).toThrow(message);
  });

  test('given a template as it runs (no lifecycle policy, a policy text, tags and the AWS managed key without a custom role), then it renders exactly that, and the compliance pack reports only the key', () => {
    const stack = strictStack();
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'OrgPull', Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }] });
    const props = { ...base, noLifecyclePolicy: true, repositoryPolicyText: policy, resourceTags: { owner: 'platform' }, encryption: ImageEncryption.KMS_AWS_MANAGED, createRole: false };
    const unacknowledged = strictStack();
    new RepositoryCreationTemplate(unacknowledged, 'Template', props);
    expect(() => synthesize(unacknowledged.node.root as App, { nag: true })).toThrow(/EcrCompliance-CustomerManagedKey/);
    const created = new RepositoryCreationTemplate(stack, 'Template', props);
    Validations.of(created.cfnTemplate).acknowledge({ id: 'EcrCompliance-CustomerManagedKey', reason: 'kept as it runs' });
    const result = synthesize(stack.node.root as App, { nag: true });
    expect(describeFindings(result.nagFindings)).toBe('');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', {
      LifecyclePolicy: Match.absent(), RepositoryPolicy: policy, CustomRoleArn: Match.absent(), EncryptionConfiguration: { EncryptionType: 'KMS' },
    });
    template.resourceCountIs('AWS::IAM::Role', 0);
  });

  test.each<[string, Partial<RepositoryCreationTemplateProps>, RegExp]>([
    ['noLifecyclePolicy with a lifecycle policy', { noLifecyclePolicy: true, lifecyclePolicy: LifecyclePolicy.recommended() }, /noLifecyclePolicy is true and lifecyclePolicy is given/],
    ['a policy text that is not JSON', { repositoryPolicyText: '{' }, /repositoryPolicyText: the repository policy is not JSON/],
    ['a policy text and access', { repositoryPolicyText: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"ecr:BatchGetImage"}]}', access: [RepositoryAccess.pullFromAccounts(['333333333333'])] }, /repositoryPolicyText and access are both given/],
  ])('given %s, then it fails naming the template', (_name, override, message) => {
    expect(() => new RepositoryCreationTemplate(strictStack(), 'Template', { ...base, ...override })).toThrow(message);
  });

  test('given two templates with the same prefix in one registry, then the second fails naming the first', () => {
    const stack = strictStack();
    new RepositoryCreationTemplate(stack, 'First', base);
    expect(() => new RepositoryCreationTemplate(stack, 'Second', base))
      .toThrow(/RepositoryCreationTemplate 'Stack\/Second': 1 problem:\n {2}- AWS::ECR::RepositoryCreationTemplate with prefix 'team' is already declared by 'Stack\/First'/);
  });

  test("given 'team' and 'team/' in one registry, then they are the same prefix", () => {
    const stack = strictStack();
    new RepositoryCreationTemplate(stack, 'First', base);
    expect(() => new RepositoryCreationTemplate(stack, 'Second', { ...base, prefix: 'team/' })).toThrow(/prefix 'team' is already declared by 'Stack\/First'/);
  });

  test('given an environment-agnostic stack, then a template with tags and KMS is still clean under cdk-nag, and warns about the unknown environment', () => {
    const stack = new Stack(strictApp(), 'Agnostic');
    new RepositoryCreationTemplate(stack, 'Template', { ...base, encryption: ImageEncryption.kms(), resourceTags: { team: 'x' } });
    validTemplate(stack, { nag: true }).resourceCountIs('AWS::IAM::Role', 1);
    AssertAnnotations.fromStack(stack).hasWarning('/Agnostic/EcrRegistry', Match.stringLikeRegexp("renders AWS::ECR::RepositoryCreationTemplate with prefix 'team' without a concrete account and region"));
  });

  test('given two stacks of the same environment with the same template prefix, then synth fails naming both', () => {
    const first = strictStack({}, 'First');
    const second = new Stack(first.node.root as any, 'Second', { env: { account: '111111111111', region: 'eu-west-1' } });
    new RepositoryCreationTemplate(first, 'T', base);
    new RepositoryCreationTemplate(second, 'T', base);
    expect(() => (first.node.root as any).synth()).toThrow(/repository creation template prefix 'team' is used by 'First\/T' and 'Second\/T' in account 111111111111, region eu-west-1/);
  });
});
