import { Lazy } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  PrivateRepository,
  PullThroughCacheCredentials,
  PullThroughCacheRule,
  RepositoryAccess,
  RepositoryCreationTemplate,
  RepositoryCreationTemplateAppliedFor as AppliedFor,
  UpstreamRegistry,
} from '../../src';
import { strictStack, validTemplate } from '../util/harness';

/**
 * Values known only at synth (`Lazy`) skip the checks where they are passed;
 * the same checks run again at synth, on the scope that uses them.
 */
describe('Lazy inputs are checked at synth', () => {
  const lazy = (value: string) => Lazy.string({ produce: () => value });

  test.each<[string, () => RepositoryAccess, RegExp]>([
    ['an account', () => RepositoryAccess.pullFromAccounts([lazy('12345')]), /RepositoryAccess\.pullFromAccounts \(used by 'Stack\/Repo'\): 1 problem:\s+- account '12345' is not an AWS account ID/],
    ['a pushing account', () => RepositoryAccess.pushFromAccounts([lazy('111111111111'), '111111111111']), /account '111111111111' is listed twice/],
    ['a Lambda account', () => RepositoryAccess.pullFromLambda([lazy('abc')]), /RepositoryAccess\.pullFromLambda \(used by 'Stack\/Repo'\)[\s\S]*account 'abc' is not an AWS account ID/],
    ['a principal ARN', () => RepositoryAccess.pushFromPrincipalArns([lazy('arn:aws:iam::1234:role/ci')]), /RepositoryAccess\.pushFromPrincipalArns \(used by 'Stack\/Repo'\)[\s\S]*account '1234' is not an AWS account ID/],
    ['a pushing organizational unit path', () => RepositoryAccess.pushFromOrganizationalUnits('o-a1b2c3d4e5', [lazy('ou-x')]), /RepositoryAccess\.pushFromOrganizationalUnits \(used by 'Stack\/Repo'\)[\s\S]*path 'ou-x' must run from the root/],
    ['an organizational unit path', () => RepositoryAccess.pullFromOrganizationalUnits('o-a1b2c3d4e5', [lazy('o-a1b2c3d4e5/r-ab12/')]), /organizational unit path 'o-a1b2c3d4e5\/r-ab12\/' must run from the root/],
  ])('given %s that resolves to a bad value, when a repository uses it, then synth fails naming the factory, the repository and the value', (_what, access, expected) => {
    const stack = strictStack();
    new PrivateRepository(stack, 'Repo', { repositoryName: 'team/api', access: [access()] });
    expect(() => validTemplate(stack)).toThrow(expected);
  });

  test('given a Lazy account that resolves to a good value, then the repository synthesizes with it', () => {
    const stack = strictStack();
    new PrivateRepository(stack, 'Repo', { repositoryName: 'team/api', access: [RepositoryAccess.pullFromAccounts([lazy('222222222222')])] });
    expect(JSON.stringify(validTemplate(stack).toJSON())).toContain(':iam::222222222222:root');
  });

  test('given a Lazy organization ID, then the * statement check resolves it: a good one synthesizes, a bad one is refused', () => {
    const stack = strictStack();
    new PrivateRepository(stack, 'Good', { access: [RepositoryAccess.pullFromOrganization(lazy('o-a1b2c3d4e5'))] });
    validTemplate(stack).hasResourceProperties('AWS::ECR::Repository', {
      RepositoryPolicyText: { Statement: [{ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }] },
    });
    expect(() => new PrivateRepository(strictStack(), 'Bad', { access: [RepositoryAccess.pullFromOrganization(lazy('org-1'))] }))
      .toThrow(/allows the '\*' principal without a condition that restricts it/);
  });

  test('given a Lazy bad account in a creation template, then synth fails naming the template', () => {
    const stack = strictStack();
    new RepositoryCreationTemplate(stack, 'Template', {
      prefix: 'team',
      appliedFor: [AppliedFor.PULL_THROUGH_CACHE],
      access: [RepositoryAccess.pullFromAccounts([lazy('1111')])],
    });
    expect(() => validTemplate(stack)).toThrow(/RepositoryAccess\.pullFromAccounts \(used by 'Stack\/Template'\)[\s\S]*account '1111' is not/);
  });

  test.each<[string, () => PullThroughCacheCredentials, RegExp]>([
    ['a created secret', () => PullThroughCacheCredentials.createSecret({ secretName: lazy('docker-hub') }), /secretName 'docker-hub' must be 'ecr-pullthroughcache\/' followed by/],
    ['a created secret with a bad character', () => PullThroughCacheCredentials.createSecret({ secretName: lazy('ecr-pullthroughcache/a b') }), /secretName 'ecr-pullthroughcache\/a b' must be/],
  ])('given %s with a Lazy bad name, then synth fails naming the rule and the name', (_what, credentials, expected) => {
    const stack = strictStack();
    new PullThroughCacheRule(stack, 'Cache', { ecrRepositoryPrefix: 'hub', upstream: UpstreamRegistry.dockerHub(), credentials: credentials() });
    expect(() => validTemplate(stack)).toThrow(expected);
  });

  test('given an existing secret by a Lazy name without the prefix, then synth fails naming the secret', () => {
    const stack = strictStack();
    const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'Secret', lazy('docker-hub'));
    new PullThroughCacheRule(stack, 'Cache', { ecrRepositoryPrefix: 'hub', upstream: UpstreamRegistry.dockerHub(), credentials: PullThroughCacheCredentials.fromSecret(secret) });
    expect(() => validTemplate(stack)).toThrow(/credentials secret 'docker-hub' does not start with 'ecr-pullthroughcache\/'/);
  });

  test('given a Lazy good secret name, then the rule synthesizes with it', () => {
    const stack = strictStack();
    new PullThroughCacheRule(stack, 'Cache', {
      ecrRepositoryPrefix: 'hub',
      upstream: UpstreamRegistry.dockerHub(),
      credentials: PullThroughCacheCredentials.createSecret({ secretName: lazy('ecr-pullthroughcache/hub') }),
    });
    validTemplate(stack, { nag: true }).hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'ecr-pullthroughcache/hub' });
  });
});
