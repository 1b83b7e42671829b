import { readFileSync } from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { PrivateRepository } from '../src';

/*
 * The README shows the error a user gets for bad input: it must be the error the
 * library really prints, for the input the README names.
 */
describe('README: the sample construct error', () => {
  const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

  test('given the input the README names, when the repository is built, then the error is exactly the one the README shows', () => {
    const intro = /`repositoryName: '([^']*)'`, `imageTagMutabilityExclusions:\s+\['([^']*)'\]` and `emptyOnDelete: true` \(without a removal policy\) give:\s*```\n([\s\S]*?)```/.exec(readme);
    expect(intro).not.toBeNull();
    const [, repositoryName, exclusion, shown] = intro!;

    const stack = new Stack(new App(), 'Stack');
    let message = '';
    try {
      new PrivateRepository(stack, 'Repo', { repositoryName, imageTagMutabilityExclusions: [exclusion], emptyOnDelete: true });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(shown.trimEnd());
  });
});
