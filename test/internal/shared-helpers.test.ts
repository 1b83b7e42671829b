import { Aws } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import {
  EcrAccountSettings,
  FindingsRouting,
  LifecyclePolicy,
  LifecyclePresets,
  PrivateRepository,
  PullThroughCacheCredentials,
  PullThroughCacheRule,
  Registry,
  RegistryPolicyScope,
  RegistryScanning,
  RegistrySigning,
  ReplicationDestination,
  RepositoryAccess,
  RepositoryCreationTemplate,
  RepositoryCreationTemplateAppliedFor,
  ImageEncryption,
  ScanFrequency,
  UpstreamRegistry,
} from '../../src';
import { mergeFilters } from '../../src/internal/filters';
import { statementSid } from '../../src/internal/policy-text';
import { Problems } from '../../src/internal/problems';
import { attachLifecyclePolicy } from '../../src/lifecycle/attach';
import { strictStack, validTemplate } from '../util/harness';

describe('one Sid derivation for every statement the library writes', () => {
  test('kind and values, letters and digits only, cut at 100; undefined while a value is a token', () => {
    expect(statementSid('PullThroughCache', ['docker-hub/', 'o-a1b2c3d4e5', 'r-ab12/ou-ab12-11111111'])).toBe('PullThroughCachedockerhuboa1b2c3d4e5rab12ouab1211111111');
    expect(statementSid('AccountPull', Array.from({ length: 20 }, () => '111111111111'))).toHaveLength(100);
    expect(statementSid('ReplicationFrom', ['111111111111', ''])).toBe('ReplicationFrom111111111111');
    expect(statementSid('AccountPull', [Aws.ACCOUNT_ID])).toBeUndefined();
  });

  test('the registry policy, the pull-through cache grants and repository access all name their statements with it', () => {
    const stack = strictStack();
    const registry = Registry.of(stack);
    registry.allowReplicationFrom('222222222222');
    registry.allowPullThroughCacheFrom('333333333333', 'shared/');
    const rule = new PullThroughCacheRule(stack, 'Cache', { ecrRepositoryPrefix: 'ecr-public', upstream: UpstreamRegistry.ecrPublic() });
    rule.allowPullThroughFromAccounts(['444444444444']);
    rule.allowPullThroughFromOrganization('o-a1b2c3d4e5', ['r-ab12/ou-ab12-11111111']);
    new PrivateRepository(stack, 'Repo', { repositoryName: 'team/api', access: [RepositoryAccess.pullFromAccounts(['555555555555'])] });
    const template = validTemplate(stack);
    const policy = Object.values(template.findResources('AWS::ECR::RegistryPolicy'))[0].Properties.PolicyText;
    expect(policy.Statement.map((s: any) => s.Sid).sort()).toEqual([
      statementSid('PullThroughCache', ['ecr-public', '444444444444']),
      statementSid('PullThroughCache', ['ecr-public', 'o-a1b2c3d4e5', 'r-ab12/ou-ab12-11111111']),
      statementSid('PullThroughCacheFrom', ['333333333333', 'shared/']),
      statementSid('ReplicationFrom', ['222222222222', '']),
    ].sort());
    template.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryPolicyText: { Statement: [Match.objectLike({ Sid: statementSid('AccountPull', ['555555555555']) })] },
    });
  });
});

describe('one filter merge for replication, scanning and signing rules', () => {
  test.each<[string, { filters: string[] | undefined } | undefined, string[] | undefined, string[] | undefined]>([
    ['no rule yet', undefined, ['a', 'a', 'b'], ['a', 'b']],
    ['no rule yet, every repository', undefined, undefined, undefined],
    ['a rule with filters', { filters: ['a'] }, ['b', 'a'], ['a', 'b']],
    ['a rule for every repository stays so', { filters: undefined }, ['b'], undefined],
    ['adding every repository', { filters: ['a'] }, undefined, undefined],
  ])('%s', (_, existing, added, merged) => {
    expect(mergeFilters(existing, added)).toEqual(merged);
  });

  test('replication, scanning and signing merge the same way: each filter once, in the order added', () => {
    const stack = strictStack();
    const profile = 'arn:aws:signer:eu-west-1:111111111111:/signing-profiles/platform';
    const destinations = [ReplicationDestination.of('111111111111', 'us-east-1')];
    Registry.of(stack).addReplicationRule({ destinations, repositoryFilters: ['team-a/', 'team-b/'] });
    Registry.of(stack).addReplicationRule({ destinations, repositoryFilters: ['team-b/', 'team-c/'] });
    RegistryScanning.of(stack).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['team-a/*', 'team-b/*'] });
    RegistryScanning.of(stack).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['team-b/*', 'team-c/*'] });
    RegistrySigning.of(stack).addRule({ signingProfileArn: profile, repositoryFilters: ['team-a/*', 'team-b/*'] });
    RegistrySigning.of(stack).addRule({ signingProfileArn: profile, repositoryFilters: ['team-b/*', 'team-c/*'] });
    const template = validTemplate(stack);
    const filters = (type: string, path: (p: any) => any[], key: string) =>
      path(Object.values(template.findResources(type))[0].Properties).map((f: any) => f[key]);
    expect(filters('AWS::ECR::ReplicationConfiguration', (p) => p.ReplicationConfiguration.Rules[0].RepositoryFilters, 'Filter')).toEqual(['team-a/', 'team-b/', 'team-c/']);
    expect(filters('AWS::ECR::RegistryScanningConfiguration', (p) => p.Rules[0].RepositoryFilters, 'Filter')).toEqual(['team-a/*', 'team-b/*', 'team-c/*']);
    expect(filters('AWS::ECR::SigningConfiguration', (p) => p.Rules[0].RepositoryFilters, 'Filter')).toEqual(['team-a/*', 'team-b/*', 'team-c/*']);
  });
});

describe('one lifecycle attachment for repositories and creation templates', () => {
  test('the default is one shared recommended policy, rendered the same for both', () => {
    const stack = strictStack();
    const a = attachLifecyclePolicy(stack, new Problems('A'), undefined);
    const b = attachLifecyclePolicy(stack, new Problems('B'), undefined);
    expect(a.policy).toBe(b.policy);
    expect(a.text).toBe(LifecyclePolicy.recommended().toJson());
    const repo = new PrivateRepository(stack, 'Repo', { repositoryName: 'team/api' });
    const template = new RepositoryCreationTemplate(stack, 'Template', { prefix: 'team', appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH] });
    expect(repo.lifecyclePolicy).toBe(template.lifecyclePolicy);
  });

  test('an invalid policy is refused with the same message by both', () => {
    const bad = LifecyclePolicy.combine(LifecyclePresets.expireUntagged(7), LifecyclePresets.expireUntagged(14));
    const problems = new Problems('X');
    attachLifecyclePolicy(strictStack(), problems, bad);
    expect(problems.list.length).toBeGreaterThan(0);
    const message = problems.list[0];
    expect(() => new PrivateRepository(strictStack(), 'Repo', { lifecyclePolicy: bad })).toThrow(message);
    expect(() => new RepositoryCreationTemplate(strictStack(), 'T', { prefix: 'team', appliedFor: [RepositoryCreationTemplateAppliedFor.REPLICATION], lifecyclePolicy: bad }))
      .toThrow(message);
  });
});

describe('one way to create a default customer managed key', () => {
  test('every key the library creates is retained on delete, rotates, and limits grants to AWS services', () => {
    const stack = strictStack();
    new PrivateRepository(stack, 'Shared', { repositoryName: 'team/shared' }); // the stack's shared key
    new PrivateRepository(stack, 'Own', { repositoryName: 'team/own', encryption: ImageEncryption.kms() });
    new RepositoryCreationTemplate(stack, 'Template', { prefix: 'team', appliedFor: [RepositoryCreationTemplateAppliedFor.REPLICATION], encryption: ImageEncryption.kms() });
    new PullThroughCacheRule(stack, 'DockerHub', { ecrRepositoryPrefix: 'docker-hub', upstream: UpstreamRegistry.dockerHub(), credentials: PullThroughCacheCredentials.createSecret() });
    new FindingsRouting(stack, 'Findings');
    new EcrAccountSettings(stack, 'Settings', { registryPolicyScope: RegistryPolicyScope.V2 });
    const keys = Object.values(validTemplate(stack).findResources('AWS::KMS::Key'));
    expect(keys).toHaveLength(6);
    for (const key of keys) {
      expect(key.DeletionPolicy).toBe('Retain');
      expect(key.UpdateReplacePolicy).toBe('Retain');
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.Properties.KeyPolicy.Statement.map((s: any) => s.Sid)).toContain('GrantsOnlyForAwsServices');
    }
  });
});
