import { App, Stack, Validations } from 'aws-cdk-lib';
import { LifecyclePolicy, LifecyclePresets, PrivateRepository, RepositoryAccess } from '../../src';
import { ENV } from '../util/harness';

/** Calls to Error.captureStackTrace while `build` runs. */
function stackCaptures(build: () => void): number {
  const original = Error.captureStackTrace;
  let calls = 0;
  Error.captureStackTrace = function (this: unknown, ...args: Parameters<typeof original>) {
    calls++;
    return original.apply(this, args);
  } as typeof original;
  try {
    build();
  } finally {
    Error.captureStackTrace = original;
  }
  return calls;
}

describe('PrivateRepository at scale', () => {
  test('given creation stack traces turned off, when a repository with organization access is created, then no call stack is captured, and AwsSolutions-ECR1 is still acknowledged on its resource', () => {
    const app = new App({ context: { 'aws:cdk:disable-creation-stack-traces': true, 'aws:cdk:disable-stack-trace': true } });
    const stack = new Stack(app, 'Stack', { env: ENV });
    const lifecyclePolicy = LifecyclePolicy.combine(LifecyclePresets.expireUntagged(7), LifecyclePresets.keepLastReleases(20, ['v*']), LifecyclePresets.capTotal(500));
    const access = [RepositoryAccess.pullFromOrganization('o-a1b2c3d4e5')];
    new PrivateRepository(stack, 'Warm', { repositoryName: 'warm', lifecyclePolicy, access, imageTagMutabilityExclusions: ['latest'] });
    let repo!: PrivateRepository;
    const captures = stackCaptures(() => {
      repo = new PrivateRepository(stack, 'Repo', { repositoryName: 'team/api', lifecyclePolicy, access, imageTagMutabilityExclusions: ['latest'] });
    });
    expect(captures).toBe(0);
    const acknowledged = repo.cfnRepository.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((m) => m.data);
    expect(acknowledged).toEqual([{ 'Annotation::AwsSolutions-ECR1': expect.stringContaining('restricted to an AWS Organization') }]);
  });
});
