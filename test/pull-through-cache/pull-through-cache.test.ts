import { Stack } from 'aws-cdk-lib';
import { Annotations as AssertAnnotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  ImageTagMutability,
  LifecyclePolicy,
  LifecyclePresets,
  PrivateRepository,
  PullThroughCacheCredentials,
  PullThroughCacheRule,
  PullThroughCacheRuleProps,
  Registry,
  RepositoryAccess,
  RepositoryCreationTemplate,
  RepositoryCreationTemplateAppliedFor,
  ImageEncryption,
  UpstreamAuthentication,
  UpstreamRegistry,
} from '../../src';
import { acknowledgeControlTower, CT } from '../util/control-tower';
import { strictApp, strictStack, validTemplate } from '../util/harness';

/** A role that ECR's pull-through cache assumes (to pull from an ECR upstream). */
const PULL_THROUGH_TRUST = {
  AssumeRolePolicyDocument: Match.objectLike({
    Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'pullthroughcache.ecr.amazonaws.com' } })]),
  }),
};

const arn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });

describe('UpstreamRegistry', () => {
  test.each<[string, UpstreamRegistry, string, string, UpstreamAuthentication]>([
    ['ECR Public', UpstreamRegistry.ecrPublic(), 'ecr-public', 'public.ecr.aws', UpstreamAuthentication.NONE],
    ['Kubernetes', UpstreamRegistry.kubernetes(), 'k8s', 'registry.k8s.io', UpstreamAuthentication.NONE],
    ['Quay', UpstreamRegistry.quay(), 'quay', 'quay.io', UpstreamAuthentication.NONE],
    ['Docker Hub', UpstreamRegistry.dockerHub(), 'docker-hub', 'registry-1.docker.io', UpstreamAuthentication.SECRET],
    ['GitHub', UpstreamRegistry.githubContainerRegistry(), 'github-container-registry', 'ghcr.io', UpstreamAuthentication.SECRET],
    ['GitLab', UpstreamRegistry.gitlabContainerRegistry(), 'gitlab-container-registry', 'registry.gitlab.com', UpstreamAuthentication.SECRET],
    ['Azure', UpstreamRegistry.azureContainerRegistry('MyRegistry01'), 'azure-container-registry', 'myregistry01.azurecr.io', UpstreamAuthentication.SECRET],
    ['Chainguard', UpstreamRegistry.chainguard(), 'chainguard', 'cgr.dev', UpstreamAuthentication.SECRET],
    ['private ECR', UpstreamRegistry.ecr('222222222222', 'eu-west-1'), 'ecr', '222222222222.dkr.ecr.eu-west-1.amazonaws.com', UpstreamAuthentication.IAM_ROLE],
    ['private ECR in China', UpstreamRegistry.ecr('222222222222', 'cn-north-1'), 'ecr', '222222222222.dkr.ecr.cn-north-1.amazonaws.com.cn', UpstreamAuthentication.IAM_ROLE],
  ])('given %s, then its type, URL and authentication', (_name, upstream, type, url, auth) => {
    expect(upstream.registryType).toBe(type);
    expect(upstream.url).toBe(url);
    expect(upstream.authentication).toBe(auth);
  });

  test.each<[string, () => UpstreamRegistry, RegExp]>([
    ['a short Azure name', () => UpstreamRegistry.azureContainerRegistry('abc'), /^UpstreamRegistry.azureContainerRegistry: 1 problem:\n {2}- registryName 'abc' is not an Azure Container Registry name/],
    ['an Azure name with a dash', () => UpstreamRegistry.azureContainerRegistry('my-registry'), /registryName 'my-registry'/],
    ['a bad ECR account', () => UpstreamRegistry.ecr('1234', 'eu-west-1'), /^UpstreamRegistry.ecr: 1 problem:\n {2}- account '1234' is not an AWS account ID/],
    ['a bad ECR region', () => UpstreamRegistry.ecr('222222222222', 'Europe'), /region 'Europe' is not an AWS region name/],
  ])('given %s, then it fails clearly', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});

describe('PullThroughCacheRule', () => {
  test.each<[string, UpstreamRegistry]>([
    ['ECR Public', UpstreamRegistry.ecrPublic()],
    ['Kubernetes', UpstreamRegistry.kubernetes()],
    ['Quay', UpstreamRegistry.quay()],
  ])('given %s, then a rule without credentials or role, and a cache template, clean under every pack', (_name, upstream) => {
    const stack = strictStack();
    new PullThroughCacheRule(stack, 'Cache', { ecrRepositoryPrefix: 'public-cache', upstream });
    const template = validTemplate(stack, { nag: true });
    template.hasResourceProperties('AWS::ECR::PullThroughCacheRule', {
      EcrRepositoryPrefix: 'public-cache',
      UpstreamRegistry: upstream.registryType,
      UpstreamRegistryUrl: upstream.url,
      CredentialArn: Match.absent(),
      CustomRoleArn: Match.absent(),
      UpstreamRepositoryPrefix: Match.absent(),
    });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    // no role for the upstream (the cache template's role for the stack's key is the only one)
    template.resourcePropertiesCountIs('AWS::IAM::Role', PULL_THROUGH_TRUST, 0);
    template.hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', {
      Prefix: 'public-cache',
      AppliedFor: ['PULL_THROUGH_CACHE'],
      ImageTagMutability: 'MUTABLE',
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EcrRepositoryKey'), 'Arn'] } },
      LifecyclePolicy: LifecyclePolicy.combine(LifecyclePresets.expireUntagged(7), LifecyclePresets.capTotal(200)).toJson(),
    });
  });

  test.each<[string, UpstreamRegistry]>([
    ['Docker Hub', UpstreamRegistry.dockerHub()],
    ['GitHub', UpstreamRegistry.githubContainerRegistry()],
    ['GitLab', UpstreamRegistry.gitlabContainerRegistry()],
    ['Azure', UpstreamRegistry.azureContainerRegistry('contoso')],
    ['Chainguard', UpstreamRegistry.chainguard()],
  ])('given %s with a created secret, then the secret shell is named after the prefix, encrypted with a rotating key ECR can use, and clean under every pack', (_name, upstream) => {
    const stack = strictStack();
    new PullThroughCacheRule(stack, 'Cache', { ecrRepositoryPrefix: 'team/hub', upstream, credentials: PullThroughCacheCredentials.createSecret() });
    const template = validTemplate(stack, { nag: true });
    const secretId = Object.keys(template.findResources('AWS::SecretsManager::Secret'))[0];
    template.hasResourceProperties('AWS::ECR::PullThroughCacheRule', {
      UpstreamRegistry: upstream.registryType,
      UpstreamRegistryUrl: upstream.url,
      CredentialArn: { Ref: secretId },
    });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'ecr-pullthroughcache/team/hub',
      GenerateSecretString: { SecretStringTemplate: '{"username":""}', GenerateStringKey: 'accessToken' },
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CacheCredentialsKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Sid: 'PullThroughCacheReadsCredentials',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: {
            StringEquals: {
              'kms:CallerAccount': '111111111111',
              'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.eu-west-1.', { Ref: 'AWS::URLSuffix' }]] },
              'aws:PrincipalArn': arn(':iam::111111111111:role/aws-service-role/pullthroughcache.ecr.amazonaws.com/AWSServiceRoleForECRPullThroughCache'),
            },
          },
        }]),
      },
    });
  });

  test('given an existing secret and key, then the rule uses them and creates none', () => {
    const stack = strictStack();
    const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Secret', 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:ecr-pullthroughcache/hub-AbCdEf');
    new PullThroughCacheRule(stack, 'Cache', { ecrRepositoryPrefix: 'hub', upstream: UpstreamRegistry.dockerHub(), credentials: PullThroughCacheCredentials.fromSecret(secret) });
    const template = validTemplate(stack, { nag: true });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    // only the stack's shared repository key, used by the cache template
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::ECR::PullThroughCacheRule', { CredentialArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:ecr-pullthroughcache/hub-AbCdEf' });
  });

  test('given createSecret with a name and a key of the app, then both are used and the key policy lets ECR decrypt', () => {
    const stack = strictStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new PullThroughCacheRule(stack, 'Cache', {
      ecrRepositoryPrefix: 'ghcr',
      upstream: UpstreamRegistry.githubContainerRegistry(),
      credentials: PullThroughCacheCredentials.createSecret({ secretName: 'ecr-pullthroughcache/github', encryptionKey: key }),
    });
    acknowledgeControlTower(key, [CT.KMS_CREATE_GRANT], 'a key of the user, without the CreateGrant statement');
    const template = validTemplate(stack, { nag: true });
    template.resourceCountIs('AWS::KMS::Key', 2); // the credentials key and the stack's shared repository key
    template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'ecr-pullthroughcache/github', KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', { KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'PullThroughCacheReadsCredentials' })]) } });
  });

  test('given an imported key, then a warning says the key policy must let ECR decrypt', () => {
    const stack = strictStack();
    new PullThroughCacheRule(stack, 'Cache', {
      ecrRepositoryPrefix: 'ghcr',
      upstream: UpstreamRegistry.githubContainerRegistry(),
      credentials: PullThroughCacheCredentials.createSecret({ encryptionKey: kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab') }),
    });
    AssertAnnotations.fromStack(stack).hasWarning('/Stack/Cache', Match.stringLikeRegexp('is imported: its key policy must let the role'));
  });

  test('given settings for cached repositories, then the template carries them', () => {
    const stack = strictStack();
    new PullThroughCacheRule(stack, 'Cache', {
      ecrRepositoryPrefix: 'quay',
      upstream: UpstreamRegistry.quay(),
      lifecyclePolicy: LifecyclePresets.expireUntagged(3),
      encryption: ImageEncryption.kms(),
      imageTagMutability: ImageTagMutability.IMMUTABLE,
      access: [RepositoryAccess.pullFromOrganization('o-exampleorg1')],
      resourceTags: { team: 'platform' },
    });
    const template = validTemplate(stack, { nag: true });
    template.hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', {
      Prefix: 'quay',
      AppliedFor: ['PULL_THROUGH_CACHE'],
      LifecyclePolicy: LifecyclePresets.expireUntagged(3).toJson(),
      ImageTagMutability: 'IMMUTABLE',
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: Match.anyValue() },
      RepositoryPolicy: Match.stringLikeRegexp('"aws:PrincipalOrgID":"o-exampleorg1"'),
      ResourceTags: [{ Key: 'team', Value: 'platform' }],
      CustomRoleArn: Match.anyValue(),
    });
  });

  test('given a cross-account ECR upstream, then the role ECR assumes trusts the pull-through cache service for this account only', () => {
    const stack = strictStack();
    new PullThroughCacheRule(stack, 'Upstream', { ecrRepositoryPrefix: 'workloads', upstream: UpstreamRegistry.ecr('222222222222', 'eu-west-1') });
    validTemplate(stack, { nag: true }).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'pullthroughcache.ecr.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
        }],
      },
    });
  });

  test('given createTemplate false, then no template, and a warning when template settings are given', () => {
    const stack = strictStack();
    new PullThroughCacheRule(stack, 'Cache', { ecrRepositoryPrefix: 'quay', upstream: UpstreamRegistry.quay(), createTemplate: false, encryption: ImageEncryption.kms() });
    new RepositoryCreationTemplate(stack, 'Mine', { prefix: 'quay', appliedFor: [RepositoryCreationTemplateAppliedFor.PULL_THROUGH_CACHE] });
    const template = validTemplate(stack, { nag: true });
    template.resourceCountIs('AWS::ECR::RepositoryCreationTemplate', 1);
    AssertAnnotations.fromStack(stack).hasWarning('/Stack/Cache', Match.stringLikeRegexp('createTemplate is false'));
  });

  describe('grants', () => {
    test('grantPull gives the pull and pull-through actions on the cached repositories and the token on *', () => {
      const stack = strictStack();
      const rule = new PullThroughCacheRule(stack, 'Cache', { ecrRepositoryPrefix: 'ecr-public', upstream: UpstreamRegistry.ecrPublic() });
      const role = new iam.Role(stack, 'Puller', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      rule.grantPull(role);
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            {
              Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchImportUpstreamImage', 'ecr:CreateRepository'],
              Effect: 'Allow',
              Resource: arn(':ecr:eu-west-1:111111111111:repository/ecr-public/*'),
            },
            { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
          ],
        },
      });
    });

    test('grantPull adds ecr:TagResource when cached repositories are tagged, and covers every repository for ROOT', () => {
      const stack = strictStack();
      const rule = new PullThroughCacheRule(stack, 'Cache', { ecrRepositoryPrefix: 'ROOT', upstream: UpstreamRegistry.ecrPublic(), resourceTags: { team: 'x' } });
      const role = new iam.Role(stack, 'Puller', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      rule.grantPull(role);
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([{
            Action: Match.arrayWith(['ecr:TagResource']),
            Effect: 'Allow',
            Resource: arn(':ecr:eu-west-1:111111111111:repository/*'),
          }]),
        },
      });
    });

    test('allowPullThroughFromAccounts adds a registry policy statement on the cached repositories', () => {
      const stack = strictStack();
      const rule = new PullThroughCacheRule(stack, 'Cache', { ecrRepositoryPrefix: 'k8s', upstream: UpstreamRegistry.kubernetes() });
      rule.allowPullThroughFromAccounts(['222222222222']);
      rule.allowPullThroughFromAccounts(['222222222222']); // no duplicate
      validTemplate(stack, { nag: true }).hasResourceProperties('AWS::ECR::RegistryPolicy', {
        PolicyText: {
          Statement: [{
            Sid: 'PullThroughCachek8s222222222222',
            Effect: 'Allow',
            Principal: { AWS: arn(':iam::222222222222:root') },
            Action: ['ecr:BatchImportUpstreamImage', 'ecr:CreateRepository'],
            Resource: arn(':ecr:eu-west-1:111111111111:repository/k8s/*'),
          }],
        },
      });
    });

    test('allowPullThroughFromOrganization adds a * statement restricted by aws:PrincipalOrgID that the open-access check accepts', () => {
      const stack = strictStack();
      const rule = new PullThroughCacheRule(stack, 'Cache', {
        ecrRepositoryPrefix: 'k8s',
        upstream: UpstreamRegistry.kubernetes(),
        access: [RepositoryAccess.pullFromOrganization('o-exampleorg1')],
      });
      rule.allowPullThroughFromOrganization('o-exampleorg1');
      rule.allowPullThroughFromOrganization('o-exampleorg1'); // no duplicate
      rule.allowPullThroughFromOrganization('o-exampleorg1', ['r-ab12/ou-ab12-11111111']);
      validTemplate(stack, { nag: true }).hasResourceProperties('AWS::ECR::RegistryPolicy', {
        PolicyText: {
          Statement: [
            {
              Sid: 'PullThroughCachek8soexampleorg1',
              Effect: 'Allow',
              Principal: '*',
              Action: ['ecr:BatchImportUpstreamImage', 'ecr:CreateRepository'],
              Resource: arn(':ecr:eu-west-1:111111111111:repository/k8s/*'),
              Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg1' } },
            },
            {
              Sid: 'PullThroughCachek8soexampleorg1rab12ouab1211111111',
              Effect: 'Allow',
              Principal: '*',
              Action: ['ecr:BatchImportUpstreamImage', 'ecr:CreateRepository'],
              Resource: arn(':ecr:eu-west-1:111111111111:repository/k8s/*'),
              Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': ['o-exampleorg1/r-ab12/ou-ab12-11111111/*'] } },
            },
          ],
        },
      });
    });

    test.each<[string, string, string[] | undefined, RegExp]>([
      ['a bad organization ID', 'exampleorg', undefined, /organizationId 'exampleorg' is not an AWS Organizations ID/],
      ['no unit', 'o-exampleorg1', [], /organizationalUnitPaths is empty/],
      ['a unit path with the organization ID', 'o-exampleorg1', ['o-exampleorg1/r-ab12/ou-ab12-11111111'], /must run from the root to the unit/],
    ])('allowPullThroughFromOrganization with %s fails', (_name, org, paths, message) => {
      const rule = new PullThroughCacheRule(strictStack(), 'Cache', { ecrRepositoryPrefix: 'k8s', upstream: UpstreamRegistry.kubernetes() });
      expect(() => rule.allowPullThroughFromOrganization(org, paths)).toThrow(message);
    });

    test.each<[string, string[], RegExp]>([
      ['no account', [], /accountIds is empty/],
      ['a bad account', ['12'], /account '12' is not an AWS account ID/],
    ])('allowPullThroughFromAccounts with %s fails', (_name, accounts, message) => {
      const rule = new PullThroughCacheRule(strictStack(), 'Cache', { ecrRepositoryPrefix: 'k8s', upstream: UpstreamRegistry.kubernetes() });
      expect(() => rule.allowPullThroughFromAccounts(accounts)).toThrow(message);
    });
  });

  describe('private ECR upstream', () => {
    test('given an upstream in another account in the app, then a least-privilege role here and a registry policy statement there, with literal accounts', () => {
      const app = strictApp();
      const cache = new Stack(app, 'Cache', { env: { account: '111111111111', region: 'eu-west-1' } });
      const upstreamStack = new Stack(app, 'Upstream', { env: { account: '222222222222', region: 'eu-west-1' } });
      new PullThroughCacheRule(cache, 'Platform', {
        ecrRepositoryPrefix: 'platform-cache',
        upstream: UpstreamRegistry.ecr('222222222222', 'eu-west-1'),
        upstreamRepositoryPrefix: 'platform',
      });
      const template = validTemplate(cache, { nag: true });
      template.hasResourceProperties('AWS::ECR::PullThroughCacheRule', {
        UpstreamRegistry: 'ecr',
        UpstreamRegistryUrl: '222222222222.dkr.ecr.eu-west-1.amazonaws.com',
        UpstreamRepositoryPrefix: 'platform',
        CustomRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PlatformRole'), 'Arn'] },
        CredentialArn: Match.absent(),
      });
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'pullthroughcache.ecr.amazonaws.com' } }] },
      });
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: [
            { Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Effect: 'Allow', Resource: arn(':ecr:eu-west-1:222222222222:repository/platform/*') },
            {
              Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchImportUpstreamImage', 'ecr:CompleteLayerUpload', 'ecr:GetImageCopyStatus', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'],
              Effect: 'Allow',
              Resource: arn(':ecr:eu-west-1:111111111111:repository/platform-cache/*'),
            },
            { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
          ],
        },
      });
      validTemplate(upstreamStack, { nag: true }).hasResourceProperties('AWS::ECR::RegistryPolicy', {
        PolicyText: {
          Statement: [{
            Sid: 'PullThroughCacheFrom111111111111platform',
            Effect: 'Allow',
            Principal: { AWS: arn(':iam::111111111111:root') },
            Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            Resource: arn(':ecr:eu-west-1:222222222222:repository/platform/*'),
          }],
        },
      });
    });

    test('given an upstream outside the app, then a warning names the one call to deploy there', () => {
      const stack = strictStack();
      new PullThroughCacheRule(stack, 'Platform', { ecrRepositoryPrefix: 'platform-cache', upstream: UpstreamRegistry.ecr('333333333333', 'us-east-1') });
      validTemplate(stack, { nag: true }).hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([{ Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Effect: 'Allow', Resource: arn(':ecr:us-east-1:333333333333:repository/*') }]) },
      });
      AssertAnnotations.fromStack(stack).hasWarning('/Stack/Platform', Match.stringLikeRegexp("deploy Registry.of\\(stack\\).allowPullThroughCacheFrom\\('111111111111'\\) there"));
    });

    test('given the same account in another region, then no role and no registry policy', () => {
      const app = strictApp();
      const cache = new Stack(app, 'Cache', { env: { account: '111111111111', region: 'eu-west-1' } });
      const other = new Stack(app, 'Other', { env: { account: '111111111111', region: 'eu-central-1' } });
      new PrivateRepository(other, 'Anchor'); // a stack with no resource is not a valid template
      new PullThroughCacheRule(cache, 'Platform', { ecrRepositoryPrefix: 'central', upstream: UpstreamRegistry.ecr('111111111111', 'eu-central-1') });
      const template = validTemplate(cache, { nag: true });
      template.resourcePropertiesCountIs('AWS::IAM::Role', PULL_THROUGH_TRUST, 0);
      template.hasResourceProperties('AWS::ECR::PullThroughCacheRule', { CustomRoleArn: Match.absent() });
      expect(other.node.tryFindChild('EcrRegistry')).toBeUndefined();
    });

    test('given your own role, then it is used and none is created', () => {
      const stack = strictStack();
      const role = iam.Role.fromRoleArn(stack, 'Mine', 'arn:aws:iam::111111111111:role/ptc');
      new PullThroughCacheRule(stack, 'Platform', { ecrRepositoryPrefix: 'up', upstream: UpstreamRegistry.ecr('333333333333', 'eu-west-1'), customRole: role });
      const template = validTemplate(stack);
      template.resourcePropertiesCountIs('AWS::IAM::Role', PULL_THROUGH_TRUST, 0);
      template.hasResourceProperties('AWS::ECR::PullThroughCacheRule', { CustomRoleArn: 'arn:aws:iam::111111111111:role/ptc' });
    });

    test('Registry.allowPullThroughCacheFrom, for an upstream outside the app, adds the statement once, for every repository by default', () => {
      const stack = strictStack({ env: { account: '222222222222', region: 'eu-west-1' } });
      Registry.of(stack).allowPullThroughCacheFrom('111111111111');
      Registry.of(stack).allowPullThroughCacheFrom('111111111111');
      validTemplate(stack, { nag: true }).hasResourceProperties('AWS::ECR::RegistryPolicy', {
        PolicyText: {
          Statement: [{
            Sid: 'PullThroughCacheFrom111111111111',
            Principal: { AWS: arn(':iam::111111111111:root') },
            Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            Resource: arn(':ecr:eu-west-1:222222222222:repository/*'),
          }],
        },
      });
    });

    test.each<[string, string, RegExp]>([
      ['a bad account', '12', /cacheAccount '12' is not an AWS account ID/],
      ['its own account', '222222222222', /is this registry's own account/],
    ])('Registry.allowPullThroughCacheFrom with %s fails', (_name, account, message) => {
      const stack = strictStack({ env: { account: '222222222222', region: 'eu-west-1' } });
      expect(() => Registry.of(stack).allowPullThroughCacheFrom(account)).toThrow(message);
    });

    test('given an environment-agnostic stack, then the upstream is not wired and a warning says why', () => {
      const stack = new Stack(strictApp(), 'Agnostic');
      new PullThroughCacheRule(stack, 'Platform', { ecrRepositoryPrefix: 'up', upstream: UpstreamRegistry.ecr('333333333333', 'eu-west-1') });
      validTemplate(stack, { nag: true });
      AssertAnnotations.fromStack(stack).hasWarning('/Agnostic/Platform', Match.stringLikeRegexp('environment-agnostic stack'));
    });
  });

  describe('validation', () => {
    const hub: PullThroughCacheRuleProps = { ecrRepositoryPrefix: 'hub', upstream: UpstreamRegistry.dockerHub(), credentials: PullThroughCacheCredentials.createSecret() };
    const ecrUp: PullThroughCacheRuleProps = { ecrRepositoryPrefix: 'up', upstream: UpstreamRegistry.ecr('222222222222', 'eu-west-1') };
    test.each<[string, PullThroughCacheRuleProps, RegExp]>([
      ['a one-character prefix', { ...hub, ecrRepositoryPrefix: 'a' }, /ecrRepositoryPrefix 'a' has 1 characters: it must have 2 to 30/],
      ['a 31-character prefix', { ...hub, ecrRepositoryPrefix: 'a'.repeat(31) }, /has 31 characters/],
      ['an uppercase prefix', { ...hub, ecrRepositoryPrefix: 'Hub' }, /ecrRepositoryPrefix 'Hub' is neither 'ROOT' nor a repository namespace/],
      ['a prefix starting with /', { ...hub, ecrRepositoryPrefix: '/hub' }, /is neither 'ROOT'/],
      ['no credentials for Docker Hub', { ...hub, credentials: undefined }, /the upstream docker-hub \(registry-1.docker.io\) needs credentials/],
      ['credentials for ECR Public', { ecrRepositoryPrefix: 'pub', upstream: UpstreamRegistry.ecrPublic(), credentials: PullThroughCacheCredentials.createSecret() }, /credentials are set, but the upstream ecr-public \(public.ecr.aws\) takes none/],
      ['credentials for ECR', { ...ecrUp, credentials: PullThroughCacheCredentials.createSecret() }, /takes none: ECR authenticates to a private ECR upstream with an IAM role/],
      ['an upstream prefix for Quay', { ecrRepositoryPrefix: 'quay', upstream: UpstreamRegistry.quay(), upstreamRepositoryPrefix: 'library' }, /upstreamRepositoryPrefix is set, but the upstream is quay/],
      ['a bad upstream prefix', { ...ecrUp, upstreamRepositoryPrefix: 'A' }, /upstreamRepositoryPrefix 'A' has 1 characters[^]*upstreamRepositoryPrefix 'A' is neither/],
      ['a role for Quay', { ecrRepositoryPrefix: 'quay', upstream: UpstreamRegistry.quay(), customRole: iam.Role.fromRoleArn(new Stack(), 'R', 'arn:aws:iam::111111111111:role/r') }, /customRole is set, but the upstream is quay/],
      ['the registry itself as upstream', { ...ecrUp, upstream: UpstreamRegistry.ecr('111111111111', 'eu-west-1') }, /is this registry itself/],
      ['a secret name without the prefix', { ...hub, credentials: PullThroughCacheCredentials.createSecret({ secretName: 'dockerhub' }) }, /secretName 'dockerhub' must be 'ecr-pullthroughcache\/' followed by/],
    ])('given %s, then it fails naming the rule', (_name, props, message) => {
      const make = () => new PullThroughCacheRule(strictStack(), 'Cache', props);
      expect(make).toThrow(/^PullThroughCacheRule 'Stack\/Cache': \d+ problems?:/);
      expect(make).toThrow(message);
    });

    test.each<[string, (s: Stack) => secretsmanager.ISecret, RegExp]>([
      ['a secret named without the prefix', (s) => secretsmanager.Secret.fromSecretNameV2(s, 'S', 'dockerhub'), /credentials secret 'dockerhub' does not start with 'ecr-pullthroughcache\/'/],
      ['a secret by ARN without the prefix', (s) => secretsmanager.Secret.fromSecretCompleteArn(s, 'S', 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:dockerhub-AbCdEf'), /does not start with 'ecr-pullthroughcache\/'/],
      ['a secret in another account', (s) => secretsmanager.Secret.fromSecretCompleteArn(s, 'S', 'arn:aws:secretsmanager:eu-west-1:999999999999:secret:ecr-pullthroughcache/hub-AbCdEf'), /credentials secret is in account 999999999999, the rule in 111111111111/],
      ['a secret in another region', (s) => secretsmanager.Secret.fromSecretCompleteArn(s, 'S', 'arn:aws:secretsmanager:us-east-1:111111111111:secret:ecr-pullthroughcache/hub-AbCdEf'), /credentials secret is in region us-east-1, the rule in eu-west-1/],
    ])('given %s, then it fails naming the rule', (_name, secret, message) => {
      const stack = strictStack();
      expect(() => new PullThroughCacheRule(stack, 'Cache', { ...hub, credentials: PullThroughCacheCredentials.fromSecret(secret(stack)) })).toThrow(message);
    });

    test('given every problem at once, then one error lists them all', () => {
      expect(() => new PullThroughCacheRule(strictStack(), 'Cache', { ecrRepositoryPrefix: 'X', upstream: UpstreamRegistry.dockerHub(), upstreamRepositoryPrefix: 'y' }))
        .toThrow(/^PullThroughCacheRule 'Stack\/Cache': 4 problems:/);
    });

    test('given two rules with the same prefix in one registry, then the second fails naming the first', () => {
      const stack = strictStack();
      new PullThroughCacheRule(stack, 'First', { ecrRepositoryPrefix: 'pub', upstream: UpstreamRegistry.ecrPublic(), createTemplate: false });
      expect(() => new PullThroughCacheRule(stack, 'Second', { ecrRepositoryPrefix: 'pub/', upstream: UpstreamRegistry.quay(), createTemplate: false }))
        .toThrow(/PullThroughCacheRule 'Stack\/Second': 1 problem:\n {2}- AWS::ECR::PullThroughCacheRule prefix 'pub' is already declared by 'Stack\/First'/);
    });

    test('given 51 rules in one registry, then the 51st fails with the quota', () => {
      const stack = strictStack();
      for (let i = 0; i < 50; i++) new PullThroughCacheRule(stack, `R${i}`, { ecrRepositoryPrefix: `cache${i}`, upstream: UpstreamRegistry.ecrPublic(), createTemplate: false });
      expect(() => new PullThroughCacheRule(stack, 'R50', { ecrRepositoryPrefix: 'cache50', upstream: UpstreamRegistry.ecrPublic(), createTemplate: false }))
        .toThrow(/the registry would have 51 pull-through cache rules: ECR takes at most 50/);
    });

    test('given two stacks of the same environment with the same prefix, then synth fails naming both', () => {
      const first = strictStack({}, 'First');
      const second = new Stack(first.node.root as any, 'Second', { env: { account: '111111111111', region: 'eu-west-1' } });
      new PullThroughCacheRule(first, 'C', { ecrRepositoryPrefix: 'pub', upstream: UpstreamRegistry.ecrPublic(), createTemplate: false });
      new PullThroughCacheRule(second, 'C', { ecrRepositoryPrefix: 'pub', upstream: UpstreamRegistry.ecrPublic(), createTemplate: false });
      expect(() => (first.node.root as any).synth()).toThrow(/pull-through cache prefix 'pub' is used by 'First\/C' and 'Second\/C' in account 111111111111, region eu-west-1/);
    });
  });
});
