import { App, Stack } from 'aws-cdk-lib';
import { physicalNameClashes } from '../../src/registry/physical-names';
import { PrivateRepository } from '../../src/repository/private-repository';
import { ENV } from '../util/harness';

describe('physical name clashes at scale', () => {
  afterEach(() => jest.restoreAllMocks());

  test('given 50 repositories in one stack, when the app is checked for clashes, then the stack\'s account and region are resolved once, not once per repository', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Stack', { env: ENV });
    for (let i = 0; i < 50; i++) new PrivateRepository(stack, `Repo${i}`, { repositoryName: `svc-${i}` });
    const resolve = jest.spyOn(Stack.prototype, 'resolve');
    expect(physicalNameClashes(app)).toEqual([]);
    expect(resolve.mock.calls.length).toBeLessThanOrEqual(2);
  });

  test('given two repositories of one name in two stacks of the same environment, when checked, then the clash names both repositories and the environment', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    new PrivateRepository(new Stack(app, 'A', { env: ENV }), 'Repo', { repositoryName: 'svc' });
    new PrivateRepository(new Stack(app, 'B', { env: ENV }), 'Repo', { repositoryName: 'svc' });
    expect(physicalNameClashes(app)).toEqual([expect.stringMatching(/^repository name 'svc' is used by 'A\/Repo' and 'B\/Repo' in account 111111111111, region eu-west-1: /)]);
  });
});
