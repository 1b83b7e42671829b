import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LifecyclePolicy, LifecyclePresets, PrivateRepository, RepositoryAccess, ImageEncryption, ImageTagMutability } from '../../src';
import { acknowledgeControlTower, CT } from '../util/control-tower';
import { strictStack, synthesize, validTemplate } from '../util/harness';

describe('PrivateRepository', () => {
  test('given no props, when synthesized, then it is immutable, scanned on push, encrypted with the stack key, retained, has the recommended lifecycle policy, and is clean under every pack', () => {
    const stack = strictStack();
    new PrivateRepository(stack, 'Repo');
    new PrivateRepository(stack, 'Other');
    const template = validTemplate(stack, { nag: true });
    template.resourceCountIs('AWS::ECR::Repository', 2);
    // one shared key for the stack, not one per repository
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    template.hasResource('AWS::ECR::Repository', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        ImageTagMutability: 'IMMUTABLE',
        ImageScanningConfiguration: { ScanOnPush: true },
        LifecyclePolicy: { LifecyclePolicyText: LifecyclePolicy.recommended().toJson() },
        EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EcrRepositoryKey'), 'Arn'] } },
        RepositoryPolicyText: Match.absent(),
        EmptyOnDelete: Match.absent(),
      },
    });
  });

  test('given AES256, then no key and no EncryptionConfiguration (ECR default), and scan on push can be turned off', () => {
    const stack = strictStack();
    const repo = new PrivateRepository(stack, 'Repo', { encryption: ImageEncryption.AES256, imageScanOnPush: false });
    expect(() => validTemplate(stack)).toThrow(/CT\.ECR\.PR\.2[^\n]*\n\s+Stack\/Repo\/Resource/);
    acknowledgeControlTower(repo, [CT.ECR_SCAN_ON_PUSH], 'scan on push turned off on purpose');
    const template = validTemplate(stack);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.hasResourceProperties('AWS::ECR::Repository', { EncryptionConfiguration: Match.absent(), ImageScanningConfiguration: { ScanOnPush: false } });
  });

  test('given exclusion filters, then the mutability gets _WITH_EXCLUSION and WILDCARD filters', () => {
    const stack = strictStack();
    const repo = new PrivateRepository(stack, 'Repo', { repositoryName: 'team/app', imageTagMutabilityExclusions: ['latest', 'dev-*'] });
    // AWS Control Tower's CT.ECR.PR.3 accepts IMMUTABLE only
    expect(() => validTemplate(stack)).toThrow(/CT\.ECR\.PR\.3[^\n]*\n\s+Stack\/Repo\/Resource/);
    acknowledgeControlTower(repo, [CT.ECR_TAG_IMMUTABILITY], 'exclusions chosen on purpose');
    validTemplate(stack).hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'team/app',
      ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      ImageTagMutabilityExclusionFilters: [
        { ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'latest' },
        { ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'dev-*' },
      ],
    });
  });

  test('given MUTABLE with exclusions, then MUTABLE_WITH_EXCLUSION', () => {
    const stack = strictStack();
    const repo = new PrivateRepository(stack, 'Repo', { imageTagMutability: ImageTagMutability.MUTABLE, imageTagMutabilityExclusions: ['v*'] });
    acknowledgeControlTower(repo, [CT.ECR_TAG_IMMUTABILITY], 'mutable tags chosen on purpose');
    validTemplate(stack).hasResourceProperties('AWS::ECR::Repository', { ImageTagMutability: 'MUTABLE_WITH_EXCLUSION' });
  });

  test.each([
    ['KMS', ImageEncryption.kms()],
    ['KMS_DSSE', ImageEncryption.kmsDsse()],
  ])('given %s encryption without a key, then a rotating retained customer managed key is created', (type, encryption) => {
    // KMS_DSSE exists only in the AWS GovCloud (US) Regions.
    const stack = strictStack(type === 'KMS_DSSE' ? { env: { account: '111111111111', region: 'us-gov-west-1' } } : {});
    const repo = new PrivateRepository(stack, 'Repo', { encryption });
    const template = validTemplate(stack, { nag: true });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    template.hasResourceProperties('AWS::ECR::Repository', {
      EncryptionConfiguration: { EncryptionType: type, KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RepoKey'), 'Arn'] } },
    });
    expect(repo.encryptionKey).toBeDefined();
  });

  test('given a key, then it is used and no key is created', () => {
    const stack = strictStack();
    const key = new kms.Key(stack, 'Shared', { enableKeyRotation: true });
    new PrivateRepository(stack, 'Repo', { encryption: ImageEncryption.kms(key) });
    // the user's key is the user's: the library adds no statement to it
    acknowledgeControlTower(key, [CT.KMS_CREATE_GRANT], 'a key of the user, without the CreateGrant statement');
    const template = validTemplate(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::ECR::Repository', {
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Shared'), 'Arn'] } },
    });
  });

  test('given destroy with emptyOnDelete, then both are rendered', () => {
    const stack = strictStack();
    new PrivateRepository(stack, 'Repo', { removalPolicy: RemovalPolicy.DESTROY, emptyOnDelete: true });
    validTemplate(stack).hasResource('AWS::ECR::Repository', { DeletionPolicy: 'Delete', Properties: { EmptyOnDelete: true } });
  });

  test('given a custom lifecycle policy, then its JSON is rendered', () => {
    const stack = strictStack();
    const policy = LifecyclePolicy.fromJson(JSON.stringify({
      rules: [{ rulePriority: 1, description: 'expire untagged after 3 days', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 3 }, action: { type: 'expire' } }],
    }));
    new PrivateRepository(stack, 'Repo', { lifecyclePolicy: policy });
    validTemplate(stack).hasResourceProperties('AWS::ECR::Repository', { LifecyclePolicy: { LifecyclePolicyText: policy.toJson() } });
  });

  describe('bad input fails with one error listing every problem', () => {
    test.each([
      [{ repositoryName: 'A' }, /repositoryName 'A' has 1 characters: it must have 2 to 256/],
      [{ repositoryName: 'Bad_Name' }, /repositoryName 'Bad_Name' breaks ECR's naming rule/],
      [{ repositoryName: 'a'.repeat(257) }, /has 257 characters/],
      [{ repositoryName: 'team//app' }, /breaks ECR's naming rule/],
      [{ imageTagMutabilityExclusions: [] }, /has 0 filters: ECR takes 1 to 5/],
      [{ imageTagMutabilityExclusions: ['a', 'b', 'c', 'd', 'e', 'f'] }, /has 6 filters/],
      [{ imageTagMutabilityExclusions: ['bad tag'] }, /filter 'bad tag' must be 1 to 128 characters/],
      [{ imageTagMutabilityExclusions: ['x'.repeat(129)] }, /must be 1 to 128 characters/],
      [{ imageTagMutabilityExclusions: ['a', 'a'] }, /same filter twice/],
      [{ emptyOnDelete: true }, /emptyOnDelete is true but removalPolicy is retain/],
      [{ emptyOnDelete: true, removalPolicy: RemovalPolicy.SNAPSHOT }, /removalPolicy is snapshot/],
      [{ removalPolicy: RemovalPolicy.SNAPSHOT }, /removalPolicy is snapshot, but repositories have no snapshots/],
    ])('%j', (props, message) => {
      const stack = strictStack();
      expect(() => new PrivateRepository(stack, 'Repo', props as any)).toThrow(message);
    });

    test('every problem at once, naming the construct', () => {
      const stack = strictStack();
      let error: Error | undefined;
      try {
        new PrivateRepository(stack, 'Repo', { repositoryName: 'X', imageTagMutabilityExclusions: ['no spaces'], emptyOnDelete: true });
      } catch (e) { error = e as Error; }
      expect(error?.message).toMatch(/^PrivateRepository 'Stack\/Repo': 4 problems:/);
      expect(error?.message).toContain("'X'");
      expect(error?.message).toContain("'no spaces'");
      expect(error?.message).toContain('emptyOnDelete');
    });

    test('an invalid lifecycle policy is reported with the construct', () => {
      const stack = strictStack();
      const policy = LifecyclePolicy.fromJson(JSON.stringify({
        rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 3 }, action: { type: 'expire' } }],
      }));
      expect(() => new PrivateRepository(stack, 'Repo', { lifecyclePolicy: policy })).toThrow(/PrivateRepository 'Stack\/Repo'.*\n.*lifecyclePolicy: /);
    });
  });

  describe('access', () => {
    test('accounts get pull and push statements with account principals and no Resource', () => {
      const stack = strictStack();
      new PrivateRepository(stack, 'Repo', {
        access: [RepositoryAccess.pullFromAccounts(['222222222222']), RepositoryAccess.pushFromAccounts(['333333333333'])],
      });
      validTemplate(stack, { nag: true }).hasResourceProperties('AWS::ECR::Repository', {
        RepositoryPolicyText: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'AccountPull222222222222',
              Effect: 'Allow',
              Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:root']] } },
              Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            },
            {
              Sid: 'AccountPush333333333333',
              Effect: 'Allow',
              Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::333333333333:root']] } },
              Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer',
                'ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'],
            },
          ],
        },
      });
    });

    test('an organization gets a * principal restricted by aws:PrincipalOrgID, and AwsSolutions-ECR1 is acknowledged with a reason', () => {
      const stack = strictStack();
      const repo = new PrivateRepository(stack, 'Repo');
      repo.allow(RepositoryAccess.pullFromOrganization('o-abc123def4'));
      validTemplate(stack, { nag: true }).hasResourceProperties('AWS::ECR::Repository', {
        RepositoryPolicyText: {
          Statement: [{
            Effect: 'Allow',
            Principal: '*',
            Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } },
          }],
        },
      });
    });

    test('organizational units use aws:PrincipalOrgPaths with everything below each unit', () => {
      const stack = strictStack();
      new PrivateRepository(stack, 'Repo', {
        access: [RepositoryAccess.pullFromOrganizationalUnits('o-abc123def4', ['r-ab12/ou-ab12-11111111', 'r-ab12/ou-ab12-22222222/ou-ab12-33333333'])],
      });
      validTemplate(stack, { nag: true }).hasResourceProperties('AWS::ECR::Repository', {
        RepositoryPolicyText: {
          Statement: [Match.objectLike({
            Principal: '*',
            Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': ['o-abc123def4/r-ab12/ou-ab12-11111111/*', 'o-abc123def4/r-ab12/ou-ab12-22222222/ou-ab12-33333333/*'] } },
          })],
        },
      });
    });

    test('Lambda gets the service statement scoped by source ARN and the account statement', () => {
      const stack = strictStack();
      new PrivateRepository(stack, 'Repo', { access: [RepositoryAccess.pullFromLambda(['222222222222'])] });
      validTemplate(stack, { nag: true }).hasResourceProperties('AWS::ECR::Repository', {
        RepositoryPolicyText: {
          Statement: [
            {
              Sid: 'LambdaServicePull222222222222',
              Effect: 'Allow',
              Principal: { Service: 'lambda.amazonaws.com' },
              Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
              Condition: { StringLike: { 'aws:sourceArn': [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':222222222222:function:*']] }] } },
            },
            Match.objectLike({ Sid: 'LambdaAccountPull222222222222', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] }),
          ],
        },
      });
    });

    test('a same-account role gets an IAM grant and no repository policy', () => {
      const stack = strictStack();
      const repo = new PrivateRepository(stack, 'Repo');
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
      repo.grantPull(role);
      const template = validTemplate(stack);
      template.hasResourceProperties('AWS::ECR::Repository', { RepositoryPolicyText: Match.absent() });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({
            Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Repo'), 'Arn'] },
          })]),
        },
      });
    });

    test('it works where an aws_ecr.IRepository is expected (a Lambda container image)', () => {
      const stack = strictStack();
      const repo: ecr.IRepository = new PrivateRepository(stack, 'Repo', { repositoryName: 'fn/image' });
      new lambda.DockerImageFunction(stack, 'Fn', { code: lambda.DockerImageCode.fromEcr(repo, { tagOrDigest: 'v1' }) });
      validTemplate(stack).hasResourceProperties('AWS::Lambda::Function', {
        Code: { ImageUri: Match.objectLike({ 'Fn::Join': Match.anyValue() }) },
      });
    });

    test.each([
      ['an open * statement', new iam.PolicyStatement({ principals: [new iam.StarPrincipal()], actions: ['ecr:BatchGetImage'] }), /allows the '\*' principal without a condition that restricts it/],
      ['an AnyPrincipal statement', new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['ecr:BatchGetImage'] }), /allows the '\*' principal/],
      ['a statement with resources', new iam.PolicyStatement({ principals: [new iam.AccountPrincipal('222222222222')], actions: ['ecr:BatchGetImage'], resources: ['*'] }), /names resources/],
    ])('%s is refused', (_name, statement, message) => {
      const stack = strictStack();
      const repo = new PrivateRepository(stack, 'Repo');
      expect(() => repo.addToResourcePolicy(statement)).toThrow(message);
    });

    test('a * principal restricted by aws:PrincipalAccount is accepted', () => {
      const stack = strictStack();
      const repo = new PrivateRepository(stack, 'Repo');
      repo.allow(RepositoryAccess.fromStatement(new iam.PolicyStatement({
        principals: [new iam.StarPrincipal()], actions: ['ecr:BatchGetImage'], conditions: { StringEquals: { 'aws:PrincipalAccount': '222222222222' } },
      })));
      validTemplate(stack).hasResourceProperties('AWS::ECR::Repository', { RepositoryPolicyText: Match.objectLike({}) });
    });

    test.each([
      [() => RepositoryAccess.pullFromAccounts([]), /RepositoryAccess.pullFromAccounts: 1 problem:\n {2}- accountIds is empty/],
      [() => RepositoryAccess.pullFromAccounts(['1234']), /account '1234' is not an AWS account ID/],
      [() => RepositoryAccess.pushFromAccounts(['222222222222', '222222222222']), /listed twice/],
      [() => RepositoryAccess.pullFromLambda(['abc']), /account 'abc'/],
      [() => RepositoryAccess.pullFromOrganization('org-1'), /organizationId 'org-1' is not an AWS Organizations ID/],
      [() => RepositoryAccess.pullFromOrganizationalUnits('o-abc123def4', []), /organizationalUnitPaths is empty/],
      [() => RepositoryAccess.pullFromOrganizationalUnits('o-abc123def4', ['ou-ab12-11111111']), /must run from the root/],
    ])('bad access input %#', (fn, message) => {
      expect(fn).toThrow(message);
    });
  });

  describe('importers', () => {
    test('fromRepositoryName gives a repository usable for grants', () => {
      const stack = strictStack();
      const repo = PrivateRepository.fromRepositoryName(stack, 'Imported', 'team/app');
      expect(stack.resolve(repo.repositoryArn)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:eu-west-1:111111111111:repository/team/app']] });
    });

    test('fromRepositoryArn reads the name', () => {
      const stack = strictStack();
      const repo = PrivateRepository.fromRepositoryArn(stack, 'Imported', 'arn:aws:ecr:eu-west-1:222222222222:repository/team/app');
      expect(repo.repositoryName).toBe('team/app');
    });

    test.each([
      ['not-an-arn', /is not an ECR repository ARN/],
      ['arn:aws:s3:::bucket', /is not an ECR repository ARN/],
      ['arn:aws:ecr:eu-west-1:2222:repository/team/app', /has account '2222'/],
      ['arn:aws:ecr:eu-west-1:222222222222:repository/Team', /breaks ECR's naming rule/],
    ])('fromRepositoryArn refuses %s', (arn, message) => {
      const stack = strictStack();
      expect(() => PrivateRepository.fromRepositoryArn(stack, 'Imported', arn)).toThrow(message);
    });

    test('fromRepositoryArn refuses a token and points to fromRepositoryAttributes', () => {
      const stack = strictStack();
      const other = new PrivateRepository(stack, 'Repo');
      expect(() => PrivateRepository.fromRepositoryArn(stack, 'Imported', other.repositoryArn)).toThrow(/use PrivateRepository.fromRepositoryAttributes/);
    });

    test('fromRepositoryName refuses a bad name', () => {
      const stack = strictStack();
      expect(() => PrivateRepository.fromRepositoryName(stack, 'Imported', 'UPPER')).toThrow(/PrivateRepository.fromRepositoryName 'Stack\/Imported': 1 problem/);
    });

    test('fromRepositoryAttributes checks that the ARN names the repository', () => {
      const stack = strictStack();
      expect(() => PrivateRepository.fromRepositoryAttributes(stack, 'Imported', {
        repositoryName: 'team/app', repositoryArn: 'arn:aws:ecr:eu-west-1:222222222222:repository/team/other',
      })).toThrow(/does not name repository 'team\/app'/);
      const ok = PrivateRepository.fromRepositoryAttributes(stack, 'Ok', { repositoryName: 'team/app', repositoryArn: 'arn:aws:ecr:eu-west-1:222222222222:repository/team/app' });
      expect(ok.repositoryName).toBe('team/app');
    });
  });

  test('an environment-agnostic stack synthesizes too', () => {
    const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
    const stack = new Stack(app, 'Agnostic');
    new PrivateRepository(stack, 'Repo', { access: [RepositoryAccess.pullFromLambda(['222222222222'])] });
    const result = synthesize(app);
    expect(result.cfnFindings).toEqual([]);
  });
});

describe('restoring archived images', () => {
  test('given grantRestoreArchivedImages, then the principal may restore (and find) archived images of this repository only', () => {
    const stack = strictStack();
    const role = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    const repo = new PrivateRepository(stack, 'Repo', { repositoryName: 'team/api', lifecyclePolicy: LifecyclePresets.archiveUnpulled(30) });
    repo.grantRestoreArchivedImages(role);
    validTemplate(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: ['ecr:UpdateImageStorageClass', 'ecr:DescribeImages', 'ecr:ListImages'],
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Repo'), 'Arn'] },
        }],
      },
    });
  });
});
