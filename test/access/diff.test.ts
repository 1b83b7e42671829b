import * as path from 'path';
import { AccessDiff, AccessReport } from '../../src';

/** An in-memory assembly: one repository `app` in account 111111111111 with these statements, and a role of that account. */
function reportOf(statements: object[], roleStatements: object[] = []): AccessReport {
  const files: Record<string, string> = {
    [path.join('out', 'manifest.json')]: JSON.stringify({ version: '55.0.0', artifacts: { S: { type: 'aws:cloudformation:stack', environment: 'aws://111111111111/eu-west-1', properties: { templateFile: 'S.json' } } } }),
    [path.join('out', 'S.json')]: JSON.stringify({
      Resources: {
        Repo: { Type: 'AWS::ECR::Repository', Properties: { RepositoryName: 'app', ...(statements.length > 0 ? { RepositoryPolicyText: { Statement: statements } } : {}) } },
        Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'builder', Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: roleStatements } }] } },
      },
    }),
  };
  return AccessReport._read('out', (file) => files[file]);
}

const allow = (principal: unknown, action: string | string[], condition?: object) => ({ Effect: 'Allow', Principal: principal, Action: action, ...(condition ? { Condition: condition } : {}) });
const PULL = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
const BEFORE = reportOf([]);

describe('access diff: what needs review', () => {
  test.each([
    ['push for another account', [allow({ AWS: '222222222222' }, 'ecr:PutImage'), allow({ AWS: '222222222222' }, ['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload'])], [], ['account 222222222222 push']],
    ['administration for the organization', [allow('*', 'ecr:SetRepositoryPolicy', { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } })], [], ['organization o-a1b2c3d4e5 admin']],
    ['delete for an OU', [allow('*', 'ecr:BatchDeleteImage', { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-a1b2c3d4e5/r-ab12/*' } })], [], ['OU o-a1b2c3d4e5/r-ab12/* delete']],
    ['pull for anyone', [allow('*', PULL)], [], ['anyone (*) pull']],
    ['pull for another account (allowed without review)', [allow({ AWS: '222222222222' }, PULL)], [], []],
    ['push for a role of the same account (allowed without review)', [], [{ Effect: 'Allow', Action: 'ecr:*', Resource: '*' }], []],
    ['admin for a service with a source condition (allowed without review)', [allow({ Service: 'lambda.amazonaws.com' }, 'ecr:SetRepositoryPolicy', { StringEquals: { 'aws:SourceAccount': '111111111111' } })], [], []],
    ['an undecided push for another account (it may hold)', [allow({ AWS: '222222222222' }, 'ecr:*', { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })], [], ['account 222222222222 push', 'account 222222222222 delete', 'account 222222222222 admin']],
  ])('given %s added', (_name, statements, roleStatements, expected) => {
    const diff = AccessDiff.between(BEFORE, reportOf(statements as object[], roleStatements as object[]));
    expect(diff.unacknowledged.map((g) => `${g.principal} ${g.capability}`)).toEqual(expected);
    expect(diff.failed).toBe(expected.length > 0);
  });

  test('a grant the change removes is listed, and never needs review', () => {
    const diff = AccessDiff.between(reportOf([allow('*', PULL)]), BEFORE);
    expect(diff.removed.map((g) => `${g.principal} ${g.capability}`)).toEqual(['anyone (*) pull']);
    expect(diff.failed).toBe(false);
    expect(diff.toMarkdown()).toContain('| - | S/Repo | anyone (*) | pull |');
  });

  test('an explicit Deny added takes the grant away: removed, not added', () => {
    const diff = AccessDiff.between(reportOf([allow({ AWS: '222222222222' }, 'ecr:*')]), reportOf([allow({ AWS: '222222222222' }, 'ecr:*'), { Effect: 'Deny', Principal: '*', Action: 'ecr:PutImage' }]));
    expect(diff.added).toEqual([]);
    expect(diff.removed.map((g) => `${g.principal} ${g.capability}`)).toEqual(['account 222222222222 push']);
  });

  test('acknowledgements need a reason and known fields, and every problem is listed at once', () => {
    expect(() => AccessDiff.parseAcknowledgements(JSON.stringify([{ repository: 'app', principal: '*', reason: ' ' }, { repository: 'app', principal: '*', reason: 'ok', capability: 'read', extra: 1 }])))
      .toThrow('acknowledgements[0].reason is required (a non-empty string): say why the grant is accepted; acknowledgements[1].capability "read" must be one of pull, push, delete, admin, replicate; acknowledgements[1] has unknown field extra');
    expect(() => AccessDiff.parseAcknowledgements('{')).toThrow(/not valid JSON/);
    expect(AccessDiff.parseAcknowledgements(JSON.stringify({ acknowledgements: [{ repository: 'a*', principal: 'anyone (*)', reason: 'mirror' }] }))).toEqual([{ repository: 'a*', principal: 'anyone (*)', capability: undefined, reason: 'mirror' }]);
  });

  test('an acknowledgement without a capability covers every capability of what it names', () => {
    const diff = AccessDiff.between(BEFORE, reportOf([allow({ AWS: '222222222222' }, 'ecr:*')]), [{ repository: 'S/Repo', principal: 'account 2222*', reason: 'build account' }]);
    expect(diff.failed).toBe(false);
    expect(diff.acknowledged.map((g) => g.capability)).toEqual(['push', 'delete', 'admin']);
    expect(diff.unmatchedAcknowledgements).toEqual([]);
  });
});

describe('access report: denies that cover part of a principal', () => {
  test('a Deny of everyone but one account keeps the organization\'s grant, with the exception as a condition', () => {
    const report = reportOf([
      allow('*', PULL, { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }),
      { Sid: 'OnlyOne', Effect: 'Deny', NotPrincipal: { AWS: '222222222222' }, Action: 'ecr:*' },
    ]);
    expect(report.grants.map((g) => [g.principal, g.capability, g.decision, g.conditions])).toEqual([
      ['organization o-a1b2c3d4e5', 'pull', 'if-identity-allows', ['except principals S/Repo repository policy OnlyOne denies']],
    ]);
  });

  test('an Allow with NotPrincipal grants everyone else: anyone, which needs review', () => {
    const report = reportOf([{ Effect: 'Allow', NotPrincipal: { AWS: '222222222222' }, Action: PULL }]);
    expect(report.grants.map((g) => [g.principal, g.capability, g.decision])).toEqual([['anyone (*)', 'pull', 'if-identity-allows']]);
    expect(AccessDiff.between(BEFORE, report).failed).toBe(true);
  });
});
