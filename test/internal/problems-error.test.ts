import { PrivateRepository } from '../../src';
import { strictStack } from '../util/harness';

function caught(run: () => unknown): any {
  try {
    run();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('errors carry their problems as data', () => {
  test('given a repository with two broken values, then the error lists both in its message and in problems, with the construct as subject', () => {
    const stack = strictStack();

    const error = caught(() => new PrivateRepository(stack, 'Api', {
      repositoryName: 'Team/API',
      imageTagMutabilityExclusions: ['bad filter!'],
    }));

    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ProblemsError');
    expect(error.subject).toBe("PrivateRepository 'Stack/Api'");
    expect(error.problems).toHaveLength(2);
    expect(error.problems.join('\n')).toMatch(/repositoryName 'Team\/API'/);
    expect(error.problems.join('\n')).toMatch(/bad filter!/);
    for (const problem of error.problems) expect(error.message).toContain(`  - ${problem}`);
  });

  test('given an untyped caller passing the wrong shape, then the shape problems are listed as data too', () => {
    const stack = strictStack();

    const error = caught(() => new PrivateRepository(stack, 'Api', { repositoryName: 42 } as any));

    expect(error.name).toBe('ProblemsError');
    expect(error.problems).toEqual([expect.stringMatching(/props\.repositoryName is 42/)]);
  });
});
