import { Annotations as CoreAnnotations, Aws, Lazy } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PrivateRepository, RepositoryAccess, RepositoryCreationTemplate, RepositoryCreationTemplateAppliedFor as AppliedFor } from '../../src';
import { openAccessProblems } from '../../src/internal/policy';
import { PULL_ACTIONS, PUSH_ACTIONS } from '../../src/repository/access';
import { strictStack, synthesize, validTemplate } from '../util/harness';

const PUSH = [...PULL_ACTIONS, ...PUSH_ACTIONS];

describe('RepositoryAccess: organization push and principal ARNs', () => {
  describe('given push for an organization or its units', () => {
    test('when a repository uses pushFromOrganization, then it renders a * principal restricted by aws:PrincipalOrgID with the pull and push actions, and is clean under every pack', () => {
      const stack = strictStack();
      new PrivateRepository(stack, 'Repo', { repositoryName: 'team/api', access: [RepositoryAccess.pushFromOrganization('o-abc123def4')] });
      validTemplate(stack, { nag: true }).hasResourceProperties('AWS::ECR::Repository', {
        RepositoryPolicyText: {
          Statement: [{
            Sid: 'OrganizationPushoabc123def4',
            Effect: 'Allow',
            Principal: '*',
            Action: PUSH,
            Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } },
          }],
        },
      });
    });

    test('when a repository uses pushFromOrganizationalUnits, then it renders aws:PrincipalOrgPaths below each unit with the push actions, and is clean under every pack', () => {
      const stack = strictStack();
      new PrivateRepository(stack, 'Repo', {
        repositoryName: 'team/api',
        access: [RepositoryAccess.pushFromOrganizationalUnits('o-abc123def4', ['r-ab12/ou-ab12-11111111'])],
      });
      validTemplate(stack, { nag: true }).hasResourceProperties('AWS::ECR::Repository', {
        RepositoryPolicyText: {
          Statement: [{
            Sid: 'OrganizationalUnitPushoabc123def4rab12ouab1211111111',
            Effect: 'Allow',
            Principal: '*',
            Action: PUSH,
            Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': ['o-abc123def4/r-ab12/ou-ab12-11111111/*'] } },
          }],
        },
      });
    });

    test('then the library\'s open-access check judges both restricted (not open access)', () => {
      const stack = strictStack();
      for (const access of [RepositoryAccess.pushFromOrganization('o-abc123def4'), RepositoryAccess.pushFromOrganizationalUnits('o-abc123def4', ['r-ab12/ou-ab12-11111111'])]) {
        const json = access._statements().map((s) => stack.resolve(s.toStatementJson()));
        expect(openAccessProblems(json)).toEqual([]);
      }
    });

    test('when a repository uses pushFromOrganization, then it warns of the blast radius, and the warning can be acknowledged', () => {
      const stack = strictStack();
      new PrivateRepository(stack, 'Repo', { repositoryName: 'team/api', access: [RepositoryAccess.pushFromOrganization('o-abc123def4')] });
      Annotations.fromStack(stack).hasWarning('/Stack/Repo', Match.stringLikeRegexp("every role and user of every account of organization 'o-abc123def4'.*pushFromOrganizationalUnits or pushFromPrincipalArns.*organizationWidePush"));

      const quiet = strictStack();
      CoreAnnotations.of(quiet).acknowledgeWarning('cdk-ecr-platform:organizationWidePush', 'every account of the organization builds this image');
      new PrivateRepository(quiet, 'Repo', { repositoryName: 'team/api', access: [RepositoryAccess.pushFromOrganization('o-abc123def4')] });
      Annotations.fromStack(quiet).hasNoWarning('*', Match.stringLikeRegexp('organizationWidePush'));
    });

    test.each<[string, () => RepositoryAccess]>([
      ['pullFromOrganization', () => RepositoryAccess.pullFromOrganization('o-abc123def4')],
      ['pushFromOrganizationalUnits', () => RepositoryAccess.pushFromOrganizationalUnits('o-abc123def4', ['r-ab12/ou-ab12-11111111'])],
      ['pushFromPrincipalArns', () => RepositoryAccess.pushFromPrincipalArns(['arn:aws:iam::222222222222:role/ci'])],
    ])('when a repository uses %s, then it does not warn of an organization-wide push', (_name, access) => {
      const stack = strictStack();
      new PrivateRepository(stack, 'Repo', { repositoryName: 'team/api', access: [access()] });
      Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('organizationWidePush'));
    });

    test('when a creation template uses pushFromOrganization, then it renders the statement, warns on the template, and is clean under every pack', () => {
      const stack = strictStack();
      new RepositoryCreationTemplate(stack, 'Template', {
        prefix: 'team',
        appliedFor: [AppliedFor.CREATE_ON_PUSH],
        access: [RepositoryAccess.pushFromOrganization('o-abc123def4')],
      });
      const result = synthesize(stack.node.root as any, { nag: true });
      expect(result.nagFindings).toEqual([]);
      expect(result.controlTowerFindings).toEqual([]);
      const text = JSON.stringify(result.assembly.getStackByName(stack.stackName).template);
      expect(text).toContain('aws:PrincipalOrgID');
      expect(text).toContain('ecr:PutImage');
      Annotations.fromStack(stack).hasWarning('/Stack/Template', Match.stringLikeRegexp('organizationWidePush'));
    });

    test.each<[string, () => RepositoryAccess, RegExp]>([
      ['a bad organization ID', () => RepositoryAccess.pushFromOrganization('org-1'), /RepositoryAccess\.pushFromOrganization: 1 problem:\s+- organizationId 'org-1' is not an AWS Organizations ID/],
      ['no organizational unit', () => RepositoryAccess.pushFromOrganizationalUnits('o-abc123def4', []), /RepositoryAccess\.pushFromOrganizationalUnits: 1 problem:\s+- organizationalUnitPaths is empty/],
      ['a path without its root', () => RepositoryAccess.pushFromOrganizationalUnits('o-abc123def4', ['ou-ab12-11111111']), /organizational unit path 'ou-ab12-11111111' must run from the root/],
      ['a bad ID and a bad path at once', () => RepositoryAccess.pushFromOrganizationalUnits('org', ['x']), /2 problems:[\s\S]*organizationId 'org'[\s\S]*path 'x'/],
    ])('given %s, then the factory refuses it naming the value', (_what, make, expected) => {
      expect(make).toThrow(expected);
    });
  });

  describe('given principal ARNs', () => {
    test('when a repository uses pullFromPrincipalArns and pushFromPrincipalArns, then each statement names the accounts and pins the ARNs with ArnEquals on aws:PrincipalArn, sorted, and is clean under every pack', () => {
      const stack = strictStack();
      new PrivateRepository(stack, 'Repo', {
        repositoryName: 'team/api',
        access: [
          RepositoryAccess.pullFromPrincipalArns(['arn:aws:iam::333333333333:role/deploy', 'arn:aws:iam::222222222222:role/team/reader']),
          RepositoryAccess.pushFromPrincipalArns(['arn:aws:iam::222222222222:user/builder']),
        ],
      });
      const root = (account: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]] });
      validTemplate(stack, { nag: true }).hasResourceProperties('AWS::ECR::Repository', {
        RepositoryPolicyText: {
          Statement: [
            {
              Sid: Match.stringLikeRegexp('^PrincipalPull[0-9a-f]{16}$'),
              Effect: 'Allow',
              Principal: { AWS: [root('222222222222'), root('333333333333')] },
              Action: [...PULL_ACTIONS],
              Condition: { ArnEquals: { 'aws:PrincipalArn': ['arn:aws:iam::222222222222:role/team/reader', 'arn:aws:iam::333333333333:role/deploy'] } },
            },
            {
              Sid: Match.stringLikeRegexp('^PrincipalPush[0-9a-f]{16}$'),
              Effect: 'Allow',
              Principal: { AWS: root('222222222222') },
              Action: PUSH,
              Condition: { ArnEquals: { 'aws:PrincipalArn': ['arn:aws:iam::222222222222:user/builder'] } },
            },
          ],
        },
      });
    });

    test('given the same ARNs in another order, then the template is byte-identical', () => {
      const render = (arns: string[]) => {
        const stack = strictStack();
        new PrivateRepository(stack, 'Repo', { repositoryName: 'team/api', access: [RepositoryAccess.pushFromPrincipalArns(arns)] });
        return JSON.stringify(validTemplate(stack).toJSON());
      };
      const arns = ['arn:aws:iam::333333333333:role/deploy', 'arn:aws:iam::222222222222:role/ci', 'arn:aws-us-gov:iam::444444444444:role/x'];
      expect(render(arns)).toEqual(render([...arns].reverse()));
    });

    test('given two sets of ARNs that share a long prefix, then their Sids differ', () => {
      const long = `arn:aws:iam::222222222222:role/${'a'.repeat(60)}`;
      const sid = (arn: string) => RepositoryAccess.pullFromPrincipalArns([arn])._statements()[0].sid;
      expect(sid(`${long}1`)).not.toEqual(sid(`${long}2`));
    });

    test('given an ARN with a deploy-time partition, then it is checked and rendered with the partition of the stack', () => {
      const stack = strictStack();
      new PrivateRepository(stack, 'Repo', {
        repositoryName: 'team/api',
        access: [RepositoryAccess.pullFromPrincipalArns([`arn:${Aws.PARTITION}:iam::222222222222:role/ci`])],
      });
      validTemplate(stack, { nag: true }).hasResourceProperties('AWS::ECR::Repository', {
        RepositoryPolicyText: {
          Statement: [Match.objectLike({
            Condition: { ArnEquals: { 'aws:PrincipalArn': [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:role/ci']] }] } },
          })],
        },
      });
      expect(() => RepositoryAccess.pullFromPrincipalArns([`arn:${Aws.PARTITION}:iam::2222:role/ci`])).toThrow(/account '2222' is not an AWS account ID/);
    });

    test('given a role of the same app, then its ARN is taken as is and its account is read from the ARN at deploy', () => {
      const stack = strictStack();
      const role = new iam.Role(stack, 'Ci', { assumedBy: new iam.AccountRootPrincipal() });
      new PrivateRepository(stack, 'Repo', { repositoryName: 'team/api', access: [RepositoryAccess.pushFromPrincipalArns([role.roleArn])] });
      validTemplate(stack).hasResourceProperties('AWS::ECR::Repository', {
        RepositoryPolicyText: {
          Statement: [Match.objectLike({
            Sid: 'PrincipalPush',
            Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { 'Fn::Select': [4, { 'Fn::Split': [':', { 'Fn::GetAtt': [Match.stringLikeRegexp('^Ci'), 'Arn'] }] }] }, ':root']] } },
            Condition: { ArnEquals: { 'aws:PrincipalArn': [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Ci'), 'Arn'] }] } },
          })],
        },
      });
    });

    test('given a Lazy ARN that resolves to a bad value, then synth fails naming the factory, the repository and the value', () => {
      const stack = strictStack();
      new PrivateRepository(stack, 'Repo', {
        repositoryName: 'team/api',
        access: [RepositoryAccess.pullFromPrincipalArns([Lazy.string({ produce: () => 'arn:aws:iam::222222222222:role/ci-*' })])],
      });
      expect(() => validTemplate(stack)).toThrow(/RepositoryAccess\.pullFromPrincipalArns \(used by 'Stack\/Repo'\): 1 problem:\s+- principal ARN 'arn:aws:iam::222222222222:role\/ci-\*' has a wildcard/);
    });

    test('given a Lazy ARN that resolves to a good value, then the repository synthesizes with it', () => {
      const stack = strictStack();
      new PrivateRepository(stack, 'Repo', {
        repositoryName: 'team/api',
        access: [RepositoryAccess.pullFromPrincipalArns([Lazy.string({ produce: () => 'arn:aws:iam::222222222222:role/ci' })])],
      });
      expect(JSON.stringify(validTemplate(stack).toJSON())).toContain('arn:aws:iam::222222222222:role/ci');
    });

    test('when a creation template uses pushFromPrincipalArns, then its repository policy pins the ARNs', () => {
      const stack = strictStack();
      new RepositoryCreationTemplate(stack, 'Template', {
        prefix: 'team',
        appliedFor: [AppliedFor.CREATE_ON_PUSH],
        access: [RepositoryAccess.pushFromPrincipalArns(['arn:aws:iam::222222222222:role/ci'])],
      });
      const result = synthesize(stack.node.root as any, { nag: true });
      expect(result.nagFindings).toEqual([]);
      const text = JSON.stringify(result.assembly.getStackByName(stack.stackName).template);
      expect(text).toContain('ArnEquals');
      expect(text).toContain('arn:aws:iam::222222222222:role/ci');
    });

    test.each<[string, string[], RegExp]>([
      ['no ARN', [], /principalArns is empty: name at least one role or user/],
      ['a wildcard in the name', ['arn:aws:iam::222222222222:role/ci-*'], /principal ARN 'arn:aws:iam::222222222222:role\/ci-\*' has a wildcard: IAM takes no wildcard in a principal ARN/],
      ['a wildcard for the account', ['arn:aws:iam::*:role/ci'], /has a wildcard/],
      ['a ? wildcard', ['arn:aws:iam::222222222222:role/c?'], /has a wildcard/],
      ['not an ARN', ['ci-role'], /principal ARN 'ci-role' is not an ARN of an IAM role or user: write arn:<partition>:iam::<12-digit account>:role\/<name>/],
      ['a region in the ARN', ['arn:aws:iam:eu-west-1:222222222222:role/ci'], /is not an ARN of an IAM role or user/],
      ['an unknown partition', ['arn:aws-moon:iam::222222222222:role/ci'], /has partition 'aws-moon', which is not one of aws, aws-cn,/],
      ['a short account', ['arn:aws:iam::2222:role/ci'], /principal ARN 'arn:aws:iam::2222:role\/ci': account '2222' is not an AWS account ID/],
      ['a role session', ['arn:aws:sts::222222222222:assumed-role/ci/session'], /names a role session: aws:PrincipalArn holds the role's own ARN/],
      ['another service', ['arn:aws:s3::222222222222:role/ci'], /is not an ARN of an IAM role or user \(service 's3'\)/],
      ['an account root', ['arn:aws:iam::222222222222:root'], /names a whole account: use RepositoryAccess.pullFromAccounts or pushFromAccounts/],
      ['a group', ['arn:aws:iam::222222222222:group/admins'], /does not name a role or user \('group\/admins'\)/],
      ['a name too long', [`arn:aws:iam::222222222222:role/${'a'.repeat(65)}`], /does not name a role or user/],
      ['an ARN twice', ['arn:aws:iam::222222222222:role/ci', 'arn:aws:iam::222222222222:role/ci'], /principal ARN 'arn:aws:iam::222222222222:role\/ci' is listed twice/],
      ['two bad ARNs at once', ['x', 'arn:aws:iam::1:role/ci'], /2 problems:[\s\S]*'x'[\s\S]*account '1'/],
    ])('given %s, then both factories refuse it naming the value and the rule', (_what, arns, expected) => {
      expect(() => RepositoryAccess.pullFromPrincipalArns(arns)).toThrow(expected);
      expect(() => RepositoryAccess.pushFromPrincipalArns(arns)).toThrow(expected);
    });

    test.each([
      'arn:aws:iam::222222222222:role/ci',
      'arn:aws:iam::222222222222:role/team/ci',
      'arn:aws-cn:iam::222222222222:user/builder',
      'arn:aws-us-gov:iam::222222222222:role/service-role/ci+=,.@-_',
      'arn:aws:iam::222222222222:role/team!a/b#c/ci',
    ])('given the valid ARN %s, then it is accepted', (arn) => {
      expect(() => RepositoryAccess.pushFromPrincipalArns([arn])).not.toThrow();
    });
  });
});
