import { readFileSync } from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { CatalogFormat, RepositoryCatalog } from '../../src/fleet/catalog';
import { RepositoryFleet } from '../../src/fleet/fleet';
import { catalogJsonSchema } from '../../src/fleet/schema';
import { PULL_ACTIONS, PUSH_ACTIONS, resolvedAccessPolicy } from '../../src/repository/access';
import { describeFindings, ENV, strictApp, synthesize } from '../util/harness';

/** The statements a catalog entry's access renders, as a template holds them. */
function statementsOf(text: string): any[] {
  const [entry] = RepositoryCatalog.fromText(text, CatalogFormat.YAML, 'c.yaml').repositories;
  return (resolvedAccessPolicy(entry.access ?? []) as any).Statement;
}

const PUSH = [...PULL_ACTIONS, ...PUSH_ACTIONS];

describe('catalog access: push from the organization and principal ARNs', () => {
  test('given pullPrincipalArns and pushPrincipalArns, when read, then each becomes the factory\'s statement pinned by aws:PrincipalArn', () => {
    const statements = statementsOf([
      'repositories:',
      '  - name: team/api',
      '    access:',
      "      pullPrincipalArns: ['arn:aws:iam::222222222222:role/reader']",
      '      pushPrincipalArns:',
      '        - arn:aws:iam::333333333333:role/ci/builder',
    ].join('\n'));
    expect(statements.map((s) => [s.Action, s.Condition])).toEqual([
      [[...PULL_ACTIONS], { ArnEquals: { 'aws:PrincipalArn': ['arn:aws:iam::222222222222:role/reader'] } }],
      [PUSH, { ArnEquals: { 'aws:PrincipalArn': ['arn:aws:iam::333333333333:role/ci/builder'] } }],
    ]);
  });

  test('given organization with pushOrganization true, when read, then one push statement for the organization replaces its pull statement', () => {
    const statements = statementsOf('repositories:\n  - name: team/api\n    access: { organization: o-a1b2c3d4e5, pushOrganization: true }\n');
    expect(statements).toEqual([expect.objectContaining({
      Principal: '*', Action: PUSH, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    })]);
  });

  test('given organization with pushOrganization false, when read, then only the organization pulls', () => {
    const statements = statementsOf('repositories:\n  - name: team/api\n    access: { organization: o-a1b2c3d4e5, pushOrganization: false }\n');
    expect(statements.map((s) => s.Action)).toEqual([[...PULL_ACTIONS]]);
  });

  test('given organization with pushOrganizationalUnits, when read, then the organization pulls and the units push', () => {
    const statements = statementsOf('repositories:\n  - name: team/api\n    access:\n      organization: o-a1b2c3d4e5\n      pushOrganizationalUnits: [r-ab12/ou-ab12-11111111]\n');
    expect(statements.map((s) => [s.Action, s.Condition])).toEqual([
      [[...PULL_ACTIONS], { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }],
      [PUSH, { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': ['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*'] } }],
    ]);
  });

  test.each<[string, string, RegExp]>([
    ['a wildcard in a principal ARN', "    access: { pushPrincipalArns: ['arn:aws:iam::222222222222:role/ci-*'] }",
      /^c\.yaml:3:34: repositories\[0\] 'svc': access\.pushPrincipalArns: principal ARN 'arn:aws:iam::222222222222:role\/ci-\*' has a wildcard/],
    ['a role session ARN', "    access: { pullPrincipalArns: ['arn:aws:sts::222222222222:assumed-role/ci/s'] }",
      /^c\.yaml:3:34: .*access\.pullPrincipalArns: principal ARN .* names a role session/],
    ['no principal ARN', '    access: { pullPrincipalArns: [] }', /^c\.yaml:3:34: .*access\.pullPrincipalArns: principalArns is empty/],
    ['principal ARNs that are not a list', '    access: { pushPrincipalArns: arn }', /^c\.yaml:3:34: .*access\.pushPrincipalArns must be a list/],
    ['a principal ARN that is not a string', '    access: { pushPrincipalArns: [12] }', /^c\.yaml:3:35: .*access\.pushPrincipalArns\[0\] must be a string/],
    ['pushOrganization without organization', '    access: { pushOrganization: true }', /^c\.yaml:3:33: .*access\.pushOrganization needs access\.organization/],
    ['pushOrganization that is not a boolean', '    access: { organization: o-a1b2c3d4e5, pushOrganization: yes }', /^c\.yaml:3:61: .*access\.pushOrganization must be true or false/],
    ['pushOrganization with a bad organization', '    access: { organization: org-1, pushOrganization: true }', /^c\.yaml:3:54: .*access\.pushOrganization: organizationId 'org-1' is not an AWS Organizations ID/],
    ['pushOrganizationalUnits without organization', '    access: { pushOrganizationalUnits: [r-ab12/ou-ab12-11111111] }', /^c\.yaml:3:40: .*access\.pushOrganizationalUnits needs access\.organization/],
    ['a bad push unit path', '    access: { organization: o-a1b2c3d4e5, pushOrganizationalUnits: [ou-ab12-11111111] }', /^c\.yaml:3:68: .*access\.pushOrganizationalUnits: organizational unit path 'ou-ab12-11111111' must run from the root/],
    ['a misspelt key', "    access: { pushPrincipalArn: ['arn:aws:iam::222222222222:role/ci'] }", /c\.yaml:3:15: .*unknown key 'pushPrincipalArn'.*did you mean 'pushPrincipalArns'/],
  ])('given %s, when validated, then the problem is named with its position', (_what, line, expected) => {
    const problems = RepositoryCatalog.validate(`repositories:\n  - name: svc\n${line}\n`, CatalogFormat.YAML, 'c.yaml');
    expect(problems.join('\n')).toMatch(expected);
  });

  test('given an access that is not a mapping, when validated, then the message lists every access key', () => {
    const [problem] = RepositoryCatalog.validate('repositories:\n  - name: svc\n    access: 3\n', CatalogFormat.YAML, 'c');
    expect(problem).toMatch(/access must be a mapping with pullAccounts, .*pushOrganization, pushOrganizationalUnits, pullPrincipalArns or pushPrincipalArns/);
  });

  test('given the schema, then it takes the new keys with the reader\'s companions and the principal ARN shape', () => {
    const access = (catalogJsonSchema() as any).properties.repositories.items.properties.access;
    expect(access.dependencies).toEqual(expect.objectContaining({ pushOrganization: ['organization'], pushOrganizationalUnits: ['organization'] }));
    expect(access.properties.pushOrganization.type).toBe('boolean');
    const arn = new RegExp(access.properties.pushPrincipalArns.items.pattern);
    expect(['arn:aws:iam::222222222222:role/ci', 'arn:aws-cn:iam::222222222222:user/a/b'].filter((a) => arn.test(a))).toHaveLength(2);
    expect(['arn:aws:iam::222222222222:role/ci-*', 'arn:aws:iam::2222:role/ci', 'arn:aws:sts::222222222222:assumed-role/ci/s'].filter((a) => arn.test(a))).toEqual([]);
    expect(access.properties.pullPrincipalArns.minItems).toBe(1);
  });

  test('given a fleet from a catalog with the new keys, when synthesized, then it passes validation, Control Tower and the nag packs', () => {
    const catalog = RepositoryCatalog.fromText([
      'defaults:',
      '  access:',
      '    organization: o-a1b2c3d4e5',
      '    pushOrganizationalUnits: [r-ab12/ou-ab12-11111111]',
      'repositories:',
      '  - name: team/api',
      '  - name: team/web',
      '    access:',
      '      organization: o-a1b2c3d4e5',
      '      pushOrganization: true',
      '  - name: team/cli',
      '    access:',
      "      pushPrincipalArns: ['arn:aws:iam::222222222222:role/ci']",
    ].join('\n'), CatalogFormat.YAML, 'catalog.yaml');
    const app = strictApp();
    const fleet = new RepositoryFleet(app, 'Fleet', { repositories: catalog.repositories, env: ENV });
    const result = synthesize(app, { nag: true });
    expect(describeFindings(result.cfnFindings)).toBe('');
    expect(describeFindings(result.controlTowerFindings)).toBe('');
    expect(describeFindings(result.nagFindings)).toBe('');
    const template = Template.fromJSON(JSON.parse(readFileSync(path.join(result.assembly.directory, fleet.stacks[0].templateFile), 'utf8')));
    const policies = Object.values(template.findResources('AWS::ECR::Repository')).map((r: any) => r.Properties.RepositoryPolicyText);
    expect(JSON.stringify(policies)).toContain('aws:PrincipalOrgPaths');
    expect(JSON.stringify(policies)).toContain('arn:aws:iam::222222222222:role/ci');
  });
});
