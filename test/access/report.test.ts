import { Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { OTHER, rawRepository, reportOf, SCENARIOS } from './scenarios';
import { csvOf } from '../../src/access/format';
import { ENV } from '../util/harness';

/*
 * The table of scenarios from AWS's documented policy evaluation logic: for each, the
 * report's decision for a repository, a principal and a capability (undefined: no such
 * grant at all).
 */
describe('access report: documented evaluation scenarios', () => {
  test.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
    const { report } = reportOf(scenario);
    for (const [repository, principal, capability, decision] of scenario.expect) {
      const found = report.grants.filter((g) => (g.repositoryName === repository || g.repository === repository)
        && g.principal === principal && g.capability === capability);
      const got = found.map((g) => g.decision);
      const context = `${repository} / ${principal} / ${capability}\n${report.toMarkdown()}`;
      expect({ context, decision: got.length === 0 ? undefined : got.join(',') }).toEqual({ context, decision });
    }
  });
});

describe('access report: replication and formats', () => {
  test('given a replication configuration, then the report lists which registry replicates into which, and the diagram draws it', () => {
    const { report } = reportOf({
      name: 'replication',
      build: (app) => {
        const s = new Stack(app, 'Registry', { env: ENV });
        rawRepository(s, 'Repo', 'platform/base');
        new ecr.CfnReplicationConfiguration(s, 'Replication', {
          replicationConfiguration: {
            rules: [{
              destinations: [{ region: 'eu-central-1', registryId: ENV.account }, { region: ENV.region, registryId: OTHER }],
              repositoryFilters: [{ filter: 'platform/', filterType: 'PREFIX_MATCH' }],
            }],
          },
        });
      },
      expect: [],
    });
    expect(report.replications).toEqual([
      { source: `${ENV.account}/${ENV.region}`, destination: `${ENV.account}/eu-central-1`, filters: ['platform/'], path: 'Registry/Replication' },
      { source: `${ENV.account}/${ENV.region}`, destination: `${OTHER}/${ENV.region}`, filters: ['platform/'], path: 'Registry/Replication' },
    ]);
    expect(report.toMermaid()).toMatch(/g\d+ ==>\|"replicates platform\/"\| g\d+/);
    expect(report.toMarkdown()).toContain(`| ${ENV.account}/${ENV.region} | ${OTHER}/${ENV.region} | platform/ | Registry/Replication |`);
  });

  test('the CSV has one line per grant, and a cell that starts like a formula is quoted as text', () => {
    const { report } = reportOf(SCENARIOS.find((s) => s.name.startsWith('wildcards in actions'))!);
    const lines = report.toCsv().trimEnd().split('\n');
    expect(lines).toHaveLength(report.grants.length + 1);
    expect(lines[0]).toBe('repository,repositoryName,account,region,principal,principalKind,principalAccount,capability,decision,statements,conditions,reason');
    const formula = csvOf([{ ...report.grants[0], principal: '=HYPERLINK("x")', conditions: ['a, b'] }]).split('\n')[1];
    expect(formula).toContain(',"\'=HYPERLINK(""x"")",');
    expect(formula).toContain(',"a, b",');
  });
});
