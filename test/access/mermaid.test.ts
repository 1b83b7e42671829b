import * as path from 'path';
import { AccessReport } from '../../src';

/** An in-memory assembly of one stack with `count` repositories, each with the given policy statements. */
function reportOf(count: number, statementsOf: (i: number) => object[]): AccessReport {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    resources[`Repo${i}`] = { Type: 'AWS::ECR::Repository', Properties: { RepositoryName: `team-${i % 3}/service-${i}`, RepositoryPolicyText: { Version: '2012-10-17', Statement: statementsOf(i) } } };
  }
  const files: Record<string, string> = {
    [path.join('out', 'manifest.json')]: JSON.stringify({ version: '55.0.0', artifacts: { Fleet: { type: 'aws:cloudformation:stack', environment: 'aws://111111111111/eu-west-1', properties: { templateFile: 'Fleet.template.json' } } } }),
    [path.join('out', 'Fleet.template.json')]: JSON.stringify({ Resources: resources }),
  };
  return AccessReport._read('out', (file) => files[file]);
}

const ORG_PULL = { Sid: 'OrgPull', Effect: 'Allow', Principal: '*', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } };

describe('access report as a Mermaid flowchart', () => {
  test('given a few repositories, then each is a node', () => {
    const mermaid = reportOf(3, () => [ORG_PULL]).toMermaid();
    expect(mermaid).toMatch(/^flowchart LR\n/);
    expect(mermaid.match(/^ {4}r\d+\[/gm)).toHaveLength(3);
    expect(mermaid).toContain('"team-0/service-0"');
  });

  test('given 3,000 repositories, then they are drawn by namespace, and a grant on part of one says on how many', () => {
    const mermaid = reportOf(3000, (i) => [ORG_PULL, ...(i === 7 ? [{ Sid: 'Push', Effect: 'Allow', Principal: { AWS: '222222222222' }, Action: 'ecr:*' }] : [])]).toMermaid();
    expect(mermaid.match(/^ {4}r\d+\[/gm)).toHaveLength(3);
    expect(mermaid).toContain('"111111111111/eu-west-1: team-1/* (1000 repositories)"');
    expect(mermaid).toMatch(/-->\|"pull \(1 of 1000\) \/ push \(1 of 1000\) \/ delete \(1 of 1000\) \/ admin \(1 of 1000\) \/ replicate \(1 of 1000\)"\|/);
    expect(mermaid).toMatch(/p\d+ -->\|"pull"\| r\d+/);
    expect(mermaid.split('\n').length).toBeLessThan(30);
  });

  test('given more than 40 principals, then the rest are folded into one node', () => {
    const mermaid = reportOf(60, (i) => [{ Sid: 'Pull', Effect: 'Allow', Principal: { AWS: String(100000000000 + i) }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] }]).toMermaid();
    expect(mermaid.match(/^ {4}p\d+\[/gm)).toHaveLength(41);
    expect(mermaid).toContain('"20 more principals"');
  });

  test('labels cannot break the diagram: quotes and angle brackets are escaped', () => {
    const mermaid = reportOf(1, () => [{ Sid: 'Odd', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:role/"odd"<x>' }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] }]).toMermaid();
    expect(mermaid).toContain('["arn:aws:iam::222222222222:role/#quot;odd#quot;#lt;x#gt;"]');
    expect(mermaid).not.toMatch(/"odd"/);
  });
});
