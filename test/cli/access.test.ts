import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { fakeIo } from './fake-io';
import { PrivateRepository, RepositoryAccess } from '../../src';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, main } from '../../src/cli/main';
import { OTHER, ORG, rawRepository } from '../access/scenarios';
import { ENV, strictApp, synthesize } from '../util/harness';

/** The files of a synthesized app, in memory under `name/`. */
function assembly(name: string, build: (app: App) => void): Record<string, string> {
  const app = strictApp();
  build(app);
  const dir = synthesize(app).assembly.directory;
  const files: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.json')) files[path.join(name, rel)] = fs.readFileSync(path.join(dir, rel), 'utf8');
    }
  };
  walk('');
  return files;
}

const stackOf = (app: App) => new Stack(app, 'Registry', { env: ENV });
const BEFORE = assembly('old', (app) => {
  new PrivateRepository(stackOf(app), 'Repo', { repositoryName: 'team/app', access: [RepositoryAccess.pullFromOrganization(ORG)] });
});
const AFTER = assembly('new', (app) => {
  const s = stackOf(app);
  new PrivateRepository(s, 'Repo', { repositoryName: 'team/app', access: [RepositoryAccess.pushFromAccounts([OTHER])] });
});

describe('cdk-ecr-platform access report', () => {
  test('given a cloud assembly, when reported as markdown (the default), then each grant is a line with its statement', () => {
    const io = fakeIo({ ...BEFORE });
    expect(main(['access', 'report', 'old'], io)).toBe(EXIT_OK);
    expect(io.out).toContain('# Repository access');
    expect(io.out).toMatch(new RegExp(`\\| Registry/Repo \\| organization ${ORG} \\| pull \\| if-identity-allows \\| Registry/Repo repository policy OrganizationPull`));
  });

  test.each([['json', /"capability": "pull"/], ['csv', /^repository,repositoryName,/], ['mermaid', /^flowchart LR\n/]])('given --format %s, then it prints that format', (format, pattern) => {
    const io = fakeIo({ ...BEFORE });
    expect(main(['access', 'report', 'old', '--format', format as string], io)).toBe(EXIT_OK);
    expect(io.out).toMatch(pattern as RegExp);
  });

  test('given a folder that is not a cloud assembly, then it says so and exits 2', () => {
    const io = fakeIo({});
    expect(main(['access', 'report', 'nowhere'], io)).toBe(EXIT_USAGE);
    expect(io.err).toContain('nowhere is not a cloud assembly: it has no manifest.json');
  });

  test('given a template that is not JSON, then it names the file and exits 2', () => {
    const files = { ...BEFORE };
    const template = Object.keys(files).find((f) => f.endsWith('.template.json'))!;
    files[template] = '{ not json';
    const io = fakeIo(files);
    expect(main(['access', 'report', 'old'], io)).toBe(EXIT_USAGE);
    expect(io.err).toContain(`${template}: the template of stack Registry is not valid JSON`);
  });

  test('given an unknown format, then it is a usage error', () => {
    const io = fakeIo({ ...BEFORE });
    expect(main(['access', 'report', 'old', '--format', 'html'], io)).toBe(EXIT_USAGE);
    expect(io.err).toContain('--format "html" must be md, json, csv or mermaid');
  });
});

describe('cdk-ecr-platform access diff', () => {
  test('given a change that adds push for another account, then it lists it as needing review and exits 1', () => {
    const io = fakeIo({ ...BEFORE, ...AFTER });
    expect(main(['access', 'diff', 'old', 'new'], io)).toBe(EXIT_INVALID);
    expect(io.out).toContain('## :x: Needs review (1)');
    expect(io.out).toMatch(new RegExp(`\\| \\+ \\| Registry/Repo \\| account ${OTHER} \\| push \\|`));
    expect(io.out).toContain('## Removed');
    expect(io.out).toContain(`organization ${ORG}`);
    expect(io.err).toContain('1 added grant needs review');
  });

  test('given an acknowledgement with a reason, then the change passes; one that matches nothing is reported', () => {
    const acks = JSON.stringify([
      { repository: 'team/*', principal: `account ${OTHER}`, capability: 'push', reason: 'CI of the build account pushes' },
      { repository: 'other', principal: '*', reason: 'stale' },
    ]);
    const io = fakeIo({ ...BEFORE, ...AFTER, 'acks.json': acks });
    expect(main(['access', 'diff', 'old', 'new', '--acknowledgements', 'acks.json', '--format', 'json'], io)).toBe(EXIT_OK);
    const doc = JSON.parse(io.out);
    expect(doc.failed).toBe(false);
    expect(doc.acknowledged.map((g: any) => [g.principal, g.capability, g.acknowledgement])).toEqual([[`account ${OTHER}`, 'push', 'CI of the build account pushes']]);
    expect(doc.unmatchedAcknowledgements).toEqual([{ repository: 'other', principal: '*', reason: 'stale' }]);
    expect(io.err).toContain('acknowledgement matches no added grant: other / *');
  });

  test('given an acknowledgement without a reason, then it is refused (exit 2)', () => {
    const io = fakeIo({ ...BEFORE, ...AFTER, 'acks.json': JSON.stringify([{ repository: '*', principal: '*' }]) });
    expect(main(['access', 'diff', 'old', 'new', '--acknowledgements', 'acks.json'], io)).toBe(EXIT_USAGE);
    expect(io.err).toContain('acks.json: acknowledgements[0].reason is required');
  });

  test('given the same app twice, then nothing changed and it exits 0', () => {
    const io = fakeIo({ ...BEFORE });
    expect(main(['access', 'diff', 'old', 'old'], io)).toBe(EXIT_OK);
    expect(io.out).toContain('No change to who can pull');
  });

  test('given access for anyone added, even pull, then it needs review', () => {
    const open = assembly('open', (app) => {
      rawRepository(stackOf(app), 'Repo', 'team/app', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] }] });
    });
    const io = fakeIo({ ...BEFORE, ...open });
    expect(main(['access', 'diff', 'old', 'open', '--format', 'json'], io)).toBe(EXIT_INVALID);
    expect(JSON.parse(io.out).unacknowledged.map((g: any) => [g.principal, g.capability])).toEqual([['anyone (*)', 'pull']]);
  });

  test('given --format mermaid, then added and removed edges are styled apart', () => {
    const io = fakeIo({ ...BEFORE, ...AFTER });
    expect(main(['access', 'diff', 'old', 'new', '--format', 'mermaid'], io)).toBe(EXIT_INVALID);
    expect(io.out).toMatch(/\|"added: pull \/ push"\|/);
    expect(io.out).toMatch(/-\.->\|"removed: pull"\|/);
    expect(io.out).toContain('stroke:#d73a49');
    expect(io.out).toContain('stroke:#28a745');
  });
});
