import * as path from 'path';
import { AccessReport } from '../../src';

/** An in-memory assembly of one stack with these resources. */
function reportOf(resources: Record<string, unknown>): AccessReport {
  const files: Record<string, string> = {
    [path.join('out', 'manifest.json')]: JSON.stringify({ version: '55.0.0', artifacts: { S: { type: 'aws:cloudformation:stack', environment: 'aws://111111111111/eu-west-1', properties: { templateFile: 'S.json' } } } }),
    [path.join('out', 'S.json')]: JSON.stringify({ Resources: { Repo: { Type: 'AWS::ECR::Repository', Properties: { RepositoryName: 'app' } }, ...resources } }),
  };
  return AccessReport._read('out', (file) => files[file]);
}

const REPO_ARN = { 'Fn::GetAtt': ['Repo', 'Arn'] };
const pull = (resource: unknown = REPO_ARN) => ({ Statement: [{ Effect: 'Allow', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Resource: resource }] });
const granted = (report: AccessReport) => report.grants.map((g) => `${g.principal} ${g.principalKind} ${g.capability} ${g.decision}`);

describe('access report: identity policies of the app', () => {
  test('a policy attached by Ref to a role with an IAM path is that role\'s', () => {
    const report = reportOf({
      Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'builder', Path: '/ci/' } },
      Policy: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', Roles: [{ Ref: 'Role' }], PolicyDocument: pull() } },
    });
    expect(granted(report)).toEqual(['S/Role role pull allowed']);
  });

  test('managed policies (by Roles, and by the role\'s ManagedPolicyArns), inline policies of users, and groups', () => {
    const report = reportOf({
      Role: { Type: 'AWS::IAM::Role', Properties: { ManagedPolicyArns: [{ Ref: 'Managed' }] } },
      Managed: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: pull() } },
      Other: { Type: 'AWS::IAM::Role', Properties: {} },
      ManagedByRoles: { Type: 'AWS::IAM::ManagedPolicy', Properties: { Roles: [{ Ref: 'Other' }], PolicyDocument: pull({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:eu-west-1:111111111111:repository/', { Ref: 'Repo' }]] }) } },
      User: { Type: 'AWS::IAM::User', Properties: { Policies: [{ PolicyName: 'inline', PolicyDocument: pull('arn:aws:ecr:*:111111111111:repository/*') }] } },
      Group: { Type: 'AWS::IAM::Group', Properties: { Policies: [{ PolicyName: 'inline', PolicyDocument: pull() }] } },
    });
    expect(granted(report)).toEqual(['S/Group group pull allowed', 'S/Other role pull allowed', 'S/Role role pull allowed', 'S/User user pull allowed']);
  });

  test('a policy naming a role outside the app by name reports that role', () => {
    const report = reportOf({ Policy: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', Roles: ['existing-ci'], PolicyDocument: pull() } } });
    expect(granted(report)).toEqual(['role existing-ci (not in the app) role pull allowed']);
  });

  test('a resource the report cannot resolve leaves the grant undecided, with the reason', () => {
    const report = reportOf({
      Role: { Type: 'AWS::IAM::Role', Properties: { Policies: [{ PolicyName: 'p', PolicyDocument: pull({ 'Fn::ImportValue': 'NoSuchExport' }) }] } },
    });
    expect(report.grants.map((g) => [g.principal, g.decision, g.reason])).toEqual([
      ['S/Role', 'undecided', 'Resource: Fn::ImportValue NoSuchExport: no stack of the assembly exports it'],
    ]);
  });
});
