import { reportOf, SCENARIOS } from './scenarios';

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
