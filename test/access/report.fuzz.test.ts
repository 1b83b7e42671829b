import * as path from 'path';
import * as fc from 'fast-check';
import { AccessReport } from '../../src';
import { FUZZ_RUNS, FUZZ_TIMEOUT } from '../util/fuzz';

/*
 * Random policies and templates: the evaluator never crashes (bad input is an input
 * error, nothing else), an explicit Deny never adds access, and the report of an assembly
 * does not depend on the order of its resources and statements.
 */

const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
const account = fc.constantFrom(...ACCOUNTS);
const principal = fc.oneof(
  fc.constant<unknown>('*'),
  account.map((a) => ({ AWS: a })),
  account.map((a) => ({ AWS: `arn:aws:iam::${a}:root` })),
  account.map((a) => ({ AWS: [`arn:aws:iam::${a}:role/ci`, '*'] })),
  fc.constant({ Service: 'lambda.amazonaws.com' }),
  fc.constant({ Federated: 'cognito-identity.amazonaws.com' }),
  fc.anything(),
);
const actions = fc.array(fc.constantFrom('*', 'ecr:*', 'ecr:Batch*', 'ecr:PutImage', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:Set*', 's3:*', 'ECR:?ut*'), { minLength: 1, maxLength: 4 });
const condition = fc.record({
  operator: fc.constantFrom('StringEquals', 'StringNotEquals', 'StringLike', 'ArnLike', 'ForAnyValue:StringLike', 'ForAllValues:StringEquals', 'StringEqualsIfExists', 'Bool', 'IpAddress'),
  key: fc.constantFrom('aws:PrincipalOrgID', 'aws:PrincipalOrgPaths', 'aws:PrincipalAccount', 'aws:PrincipalArn', 'aws:SourceAccount', 'aws:SourceArn', 'aws:SecureTransport'),
  value: fc.oneof(fc.constantFrom('o-a1b2c3d4e5', 'o-a1b2c3d4e5/r-ab12/*', '111111111111', 'arn:aws:iam::222222222222:role/*', '*'), fc.string()),
}).map((c) => ({ [c.operator]: { [c.key]: c.value } }));
const statement = fc.record({
  effect: fc.constantFrom('Allow', 'Allow', 'Deny', 'Maybe'),
  principal,
  notPrincipal: fc.boolean(),
  actions,
  notAction: fc.boolean(),
  resource: fc.option(fc.constantFrom('*', 'arn:aws:ecr:eu-west-1:111111111111:repository/team/*', 'arn:aws:ecr:*:*:repository/app'), { nil: undefined }),
  condition: fc.option(condition, { nil: undefined }),
}).map((s) => ({
  Effect: s.effect,
  [s.notPrincipal ? 'NotPrincipal' : 'Principal']: s.principal,
  [s.notAction ? 'NotAction' : 'Action']: s.actions,
  ...(s.resource ? { Resource: s.resource } : {}),
  ...(s.condition ? { Condition: s.condition } : {}),
}));
const repository = fc.record({
  name: fc.constantFrom('team/app', 'app', 'team/tools', undefined),
  statements: fc.array(statement, { maxLength: 4 }),
  asString: fc.boolean(),
});
const app = fc.record({
  repositories: fc.array(repository, { minLength: 1, maxLength: 4 }),
  roleStatements: fc.array(statement, { maxLength: 3 }),
  stackAccount: account,
});

type AppSpec = typeof app extends fc.Arbitrary<infer T> ? T : never;

function files(spec: AppSpec, reversed = false, extraDeny?: object): Record<string, string> {
  const resources: Record<string, unknown> = {};
  spec.repositories.forEach((r, i) => {
    // each statement named by a Sid: a statement without one is named by its position, which reversing changes
    const statements = [...r.statements, ...(extraDeny && i === 0 ? [extraDeny] : [])].map((st, n) => ({ Sid: `S${n}`, ...st }));
    const policy = { Version: '2012-10-17', Statement: reversed ? [...statements].reverse() : statements };
    resources[`Repo${i}`] = {
      Type: 'AWS::ECR::Repository',
      Properties: { ...(r.name ? { RepositoryName: `${r.name}${i}` } : {}), ...(statements.length > 0 ? { RepositoryPolicyText: r.asString ? JSON.stringify(policy) : policy } : {}) },
    };
  });
  resources.Role = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } };
  resources.RolePolicy = {
    Type: 'AWS::IAM::Policy',
    Properties: { PolicyName: 'p', Roles: [{ Ref: 'Role' }], PolicyDocument: { Statement: spec.roleStatements.map(({ Principal, NotPrincipal, ...rest }: any) => rest) } },
  };
  const ordered = reversed ? Object.fromEntries(Object.entries(resources).reverse()) : resources;
  return {
    [path.join('out', 'manifest.json')]: JSON.stringify({
      version: '55.0.0',
      artifacts: { Stack: { type: 'aws:cloudformation:stack', environment: `aws://${spec.stackAccount}/eu-west-1`, properties: { templateFile: 'Stack.template.json' } } },
    }),
    [path.join('out', 'Stack.template.json')]: JSON.stringify({ Resources: ordered }),
  };
}

function report(fileMap: Record<string, string>): AccessReport {
  return AccessReport._read('out', (file) => {
    if (!(file in fileMap)) throw new Error(`no ${file}`);
    return fileMap[file];
  });
}

const STRENGTH: Record<string, number> = { 'allowed': 2, 'if-identity-allows': 1 };

describe('access report (fuzzed)', () => {
  test('random policies never crash the evaluator, and the report does not depend on the order of resources and of named statements', () => {
    fc.assert(fc.property(app, (spec) => {
      const json = report(files(spec)).toJson();
      expect(report(files(spec, true)).toJson()).toBe(json);
      expect(report(files(spec)).toJson()).toBe(json);
    }), { numRuns: FUZZ_RUNS });
  }, FUZZ_TIMEOUT);

  test('adding an explicit Deny never adds access', () => {
    fc.assert(fc.property(app, statement, (spec, deny) => {
      const before = report(files(spec)).grants;
      const after = report(files(spec, false, { ...deny, Effect: 'Deny' })).grants;
      for (const g of after) {
        const strength = STRENGTH[g.decision];
        if (strength === undefined) continue;
        // the same principal held it at least as strongly, or anyone did (a Deny narrows anyone to an organization)
        const held = before.some((b) => b.repository === g.repository && b.capability === g.capability && (STRENGTH[b.decision] ?? 0) >= strength
          && (b.principal === g.principal || b.principalKind === 'anyone'));
        expect({ grant: g, held }).toEqual({ grant: g, held: true });
      }
    }), { numRuns: FUZZ_RUNS });
  }, FUZZ_TIMEOUT);

  test('templates of any shape never crash the evaluator', () => {
    const types = fc.constantFrom('AWS::ECR::Repository', 'AWS::ECR::RegistryPolicy', 'AWS::ECR::ReplicationConfiguration', 'AWS::IAM::Role', 'AWS::IAM::Policy',
      'AWS::IAM::ManagedPolicy', 'AWS::IAM::User', 'AWS::IAM::Group', 'AWS::CloudFormation::Stack', 'constructor', '__proto__');
    const resource = fc.record({
      Type: types,
      Properties: fc.oneof(fc.anything(), fc.dictionary(fc.constantFrom('RepositoryName', 'RepositoryPolicyText', 'PolicyText',
        'PolicyDocument', 'Roles', 'Policies', 'ManagedPolicyArns', 'ReplicationConfiguration', 'TemplateURL'), fc.anything())),
    });
    fc.assert(fc.property(fc.dictionary(fc.constantFrom('A', 'B', 'C', 'D'), resource), fc.anything(), (resources, outputs) => {
      const fileMap = {
        [path.join('out', 'manifest.json')]: JSON.stringify({ artifacts: { S: { type: 'aws:cloudformation:stack', environment: 'aws://111111111111/eu-west-1', properties: { templateFile: 'S.json' } } } }),
        [path.join('out', 'S.json')]: JSON.stringify({ Resources: resources, Outputs: outputs }),
      };
      const r = report(fileMap);
      expect(() => [r.toJson(), r.toMarkdown(), r.toCsv(), r.toMermaid(), r.summary()]).not.toThrow();
    }), { numRuns: FUZZ_RUNS });
  }, FUZZ_TIMEOUT);

  test('a folder without a manifest, or a template that is not JSON, is an input error', () => {
    expect(() => report({})).toThrow(/out is not a cloud assembly: it has no manifest.json/);
    const broken = files({ repositories: [{ name: 'app', statements: [], asString: false }], roleStatements: [], stackAccount: ACCOUNTS[0] });
    broken[path.join('out', 'Stack.template.json')] = '[';
    expect(() => report(broken)).toThrow(/Stack.template.json: the template of stack Stack is not valid JSON/);
  });
});
