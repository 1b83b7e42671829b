import * as iam from 'aws-cdk-lib/aws-iam';
import { PrivateRepository, PublicRepository, Registry, RepositoryAccess, RepositoryCreationTemplate, RepositoryCreationTemplateAppliedFor } from '../../src';
import { openAccessProblems, restrictsPrincipal } from '../../src/internal/policy';
import { strictStack } from '../util/harness';

const ORG = 'o-a1b2c3d4e5';
const ACCOUNT = '222222222222';

/** Conditions on a `*` principal that do not restrict it: every one is an open repository. */
const OPEN: Array<[string, unknown]> = [
  // The four bypasses: a restricting key named, but the caller not restricted.
  ['StringNotEquals aws:PrincipalOrgID (everyone outside the organization)', { StringNotEquals: { 'aws:PrincipalOrgID': ORG } }],
  ['StringEqualsIfExists aws:SourceAccount (absent for IAM callers)', { StringEqualsIfExists: { 'aws:SourceAccount': ACCOUNT } }],
  ['StringLike aws:PrincipalAccount "*"', { StringLike: { 'aws:PrincipalAccount': '*' } }],
  ['ForAnyValue:StringLike aws:PrincipalOrgPaths "*"', { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': '*' } }],
  // More of the same kind.
  ['no condition', undefined],
  ['an unrelated key', { StringEquals: { 'aws:SourceVpce': 'vpce-1234' } }],
  ['Null aws:PrincipalOrgID false (key present, any value)', { Null: { 'aws:PrincipalOrgID': 'false' } }],
  ['StringNotLike aws:PrincipalAccount', { StringNotLike: { 'aws:PrincipalAccount': ACCOUNT } }],
  ['ArnNotEquals aws:SourceArn', { ArnNotEquals: { 'aws:SourceArn': `arn:aws:sns:eu-west-1:${ACCOUNT}:t` } }],
  ['ForAllValues:StringEquals aws:PrincipalOrgID (true when absent)', { 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': ORG } }],
  ['ForAnyValue:StringEqualsIfExists', { 'ForAnyValue:StringEqualsIfExists': { 'aws:PrincipalOrgID': ORG } }],
  ['StringLike aws:PrincipalOrgID "o-*"', { StringLike: { 'aws:PrincipalOrgID': 'o-*' } }],
  ['StringLike aws:PrincipalOrgID "?*"', { StringLike: { 'aws:PrincipalOrgID': '?*' } }],
  ['StringLike aws:PrincipalOrgPaths "o-*"', { StringLike: { 'aws:PrincipalOrgPaths': 'o-*' } }],
  ['StringLike aws:PrincipalOrgPaths "o-a1b2c3d4e5*" (another organization may share the prefix)', { StringLike: { 'aws:PrincipalOrgPaths': `${ORG}*` } }],
  ['StringLike aws:PrincipalOrgPaths "o-*/r-ab12/*"', { StringLike: { 'aws:PrincipalOrgPaths': 'o-*/r-ab12/*' } }],
  ['StringLike aws:PrincipalAccount "2222*"', { StringLike: { 'aws:PrincipalAccount': '2222*' } }],
  ['StringEquals aws:PrincipalAccount "*" (no account is named)', { StringEquals: { 'aws:PrincipalAccount': '*' } }],
  ['StringEquals aws:PrincipalAccount "" (empty)', { StringEquals: { 'aws:PrincipalAccount': '' } }],
  ['one account and one wildcard in the same list', { StringLike: { 'aws:PrincipalAccount': [ACCOUNT, '*'] } }],
  ['an empty list', { StringEquals: { 'aws:PrincipalOrgID': [] } }],
  ['StringLike aws:SourceArn with a wildcard account', { StringLike: { 'aws:SourceArn': 'arn:aws:lambda:*:*:function:*' } }],
  ['ArnLike aws:SourceArn "*"', { ArnLike: { 'aws:SourceArn': '*' } }],
  ['StringLike aws:SourceArn "arn:*:222222222222:*" (a * before the account spans ":")', { StringLike: { 'aws:SourceArn': `arn:*:${ACCOUNT}:*` } }],
  ['ArnLike on a key that holds no ARN', { ArnLike: { 'aws:PrincipalAccount': ACCOUNT } }],
  ['a NumericEquals on an account key', { NumericEquals: { 'aws:PrincipalAccount': ACCOUNT } }],
];

/** Conditions that really restrict a `*` principal. */
const RESTRICTED: Array<[string, unknown]> = [
  ['StringEquals aws:PrincipalOrgID', { StringEquals: { 'aws:PrincipalOrgID': ORG } }],
  ['StringEquals aws:PrincipalOrgID, key in another case', { StringEquals: { 'aws:principalorgid': ORG } }],
  ['StringLike aws:PrincipalOrgID without wildcards', { StringLike: { 'aws:PrincipalOrgID': ORG } }],
  ['ForAnyValue:StringEquals aws:PrincipalOrgID (single-valued key, false when absent)', { 'ForAnyValue:StringEquals': { 'aws:PrincipalOrgID': ORG } }],
  ['ForAnyValue:StringLike aws:PrincipalOrgPaths for a unit', { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': [`${ORG}/r-ab12/ou-ab12-11111111/*`] } }],
  ['ForAnyValue:StringLike aws:PrincipalOrgPaths for the whole organization', { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': `${ORG}/*` } }],
  ['StringEquals aws:PrincipalAccount, two accounts', { StringEquals: { 'aws:PrincipalAccount': [ACCOUNT, '333333333333'] } }],
  ['StringEquals aws:SourceAccount (present only for a service acting for a resource)', { StringEquals: { 'aws:SourceAccount': ACCOUNT } }],
  ['StringEquals aws:SourceOrgID', { StringEquals: { 'aws:SourceOrgID': ORG } }],
  ['ArnLike aws:SourceArn with a literal account and wildcards elsewhere', { ArnLike: { 'aws:SourceArn': `arn:aws:lambda:*:${ACCOUNT}:function:*` } }],
  ['StringLike aws:SourceArn with wildcards only after the account', { StringLike: { 'aws:SourceArn': `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:*` } }],
  ['ArnEquals aws:PrincipalArn of a role', { ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/puller` } }],
  ['a restricting block next to an open one (blocks are ANDed)', { StringEquals: { 'aws:PrincipalOrgID': ORG }, StringNotEquals: { 'aws:PrincipalAccount': ACCOUNT } }],
  ['an account ID written as a JSON number', { StringEquals: { 'aws:PrincipalAccount': 222222222222 } }],
  ['an organization ID known only at deploy', { StringEquals: { 'aws:PrincipalOrgID': { Ref: 'OrgId' } } }],
  ['an organization path whose organization is known only at deploy', { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': { 'Fn::Join': ['', [{ Ref: 'OrgId' }, '/r-ab12/*']] } } }],
];

describe('open access is judged by meaning', () => {
  test.each(OPEN)('given a * principal with %s, then it is open access', (_name, condition) => {
    expect(restrictsPrincipal(condition)).toBe(false);
    for (const principal of ['*', { AWS: '*' }, { AWS: ['arn:aws:iam::222222222222:root', '*'] }]) {
      expect(openAccessProblems([{ Effect: 'Allow', Principal: principal, Action: 'ecr:BatchGetImage', Condition: condition }])).toHaveLength(1);
    }
  });

  test.each(RESTRICTED)('given a * principal with %s, then it is restricted', (_name, condition) => {
    expect(restrictsPrincipal(condition)).toBe(true);
    expect(openAccessProblems([{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'ecr:BatchGetImage', Condition: condition }])).toEqual([]);
  });

  test('given a Deny or a named principal, then no open-access problem', () => {
    expect(openAccessProblems([{ Effect: 'Deny', Principal: '*', Action: 'ecr:*' }])).toEqual([]);
    expect(openAccessProblems([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'ecr:BatchGetImage' }])).toEqual([]);
  });

  const bypasses: Array<[string, Record<string, Record<string, string>>]> = [
    ['StringNotEquals', { StringNotEquals: { 'aws:PrincipalOrgID': ORG } }],
    ['StringEqualsIfExists', { StringEqualsIfExists: { 'aws:SourceAccount': ACCOUNT } }],
    ['StringLike *', { StringLike: { 'aws:PrincipalAccount': '*' } }],
    ['ForAnyValue:StringLike *', { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': '*' } }],
  ];
  const open = (conditions: Record<string, Record<string, string>>) => new iam.PolicyStatement({
    principals: [new iam.StarPrincipal()], actions: ['ecr:BatchGetImage'], conditions,
  });

  test.each(bypasses)('given the %s bypass, then private and public repositories, the registry policy and creation templates refuse it', (_n, conditions) => {
    const stack = strictStack();
    const repo = new PrivateRepository(stack, 'Repo', { repositoryName: 'team/api' });
    expect(() => repo.addToResourcePolicy(open(conditions))).toThrow(/allows the '\*' principal without a condition that restricts it/);
    const pub = new PublicRepository(strictStack({ env: { account: '111111111111', region: 'us-east-1' } }), 'Public', { repositoryName: 'team/api' });
    expect(() => pub.addToResourcePolicy(open(conditions))).toThrow(/allows the '\*' principal/);
    const registryStatement = new iam.PolicyStatement({
      principals: [new iam.StarPrincipal()], actions: ['ecr:CreateRepository'], resources: [Registry.of(stack).arnForRepositories('team/')], conditions,
    });
    expect(() => Registry.of(stack).addToPolicy(registryStatement)).toThrow(/allows the '\*' principal/);
    expect(() => new RepositoryCreationTemplate(stack, 'Template', {
      prefix: 'team',
      appliedFor: [RepositoryCreationTemplateAppliedFor.REPLICATION],
      access: [RepositoryAccess.fromStatement(open(conditions))],
    })).toThrow(/allows the '\*' principal/);
  });
});
