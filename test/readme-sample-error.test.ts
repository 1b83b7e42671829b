import { App, Stack } from 'aws-cdk-lib';
import { PrivateRepository } from '../src';
import { findInPages } from './readme/pages';

/*
 * The documentation (the README or a page of docs/: docs/repositories.md today)
 * shows the error a user gets for bad input: it must be the error the library
 * really prints, for the input the page names.
 */
describe('README: the sample construct error', () => {
  test('given the input the documentation names, when the repository is built, then the error is exactly the one it shows', () => {
    const found = findInPages(/`repositoryName: '([^']*)'`, `imageTagMutabilityExclusions:\s+\['([^']*)'\]` and `emptyOnDelete: true` \(without a removal policy\) give:\s*```\n([\s\S]*?)```/);
    expect(found).toBeDefined();
    const [, repositoryName, exclusion, shown] = found!.match;

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
