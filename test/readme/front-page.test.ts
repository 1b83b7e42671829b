import { pages } from './pages';

/**
 * The README is a front page: the two commands first (CI runs the test
 * command it shows), then what the library is, the first app and one example
 * per capability, with the detail in docs/.
 */
describe('the README front page', () => {
  const readme = pages()[0].text;

  test('given the README, then its first block is the two commands, install and run the example app, install and test', () => {
    const first = /^```sh\n([\s\S]*?)^```$/m.exec(readme);
    expect(readme.indexOf('```')).toBe(first?.index);
    expect(first![1].split('\n').filter(Boolean).map((l) => l.replace(/\s+#.*$/, ''))).toEqual([
      'npm ci && npm run platform',
      'npm ci && npm test',
    ]);
  });

  test('given the README, then it has at most 500 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(500);
  });
});
