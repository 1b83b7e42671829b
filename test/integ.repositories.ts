/**
 * Integration test: a private repository with KMS, exclusion filters and
 * organization access, and a role that pulls from it. CI compares the
 * committed snapshot; `npx integ-runner --update-on-failed` with credentials
 * deploys it and checks the repository through the ECR API.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LifecyclePolicy, LifecyclePresets, PrivateRepository, RepositoryAccess, ImageEncryption } from '../src';

const app = new App();
const stack = new Stack(app, 'EcrPlatformRepositoriesInteg');

const repo = new PrivateRepository(stack, 'Repo', {
  repositoryName: 'integ/cdk-ecr-platform',
  encryption: ImageEncryption.kms(),
  imageTagMutabilityExclusions: ['latest'],
  lifecyclePolicy: LifecyclePolicy.combine(LifecyclePresets.expireUntagged(7), LifecyclePresets.capTotal(50)),
  access: [RepositoryAccess.pullFromLambda([stack.account])],
  removalPolicy: RemovalPolicy.DESTROY,
  emptyOnDelete: true,
});
const puller = new iam.Role(stack, 'Puller', { assumedBy: new iam.AccountRootPrincipal() });
repo.grantPull(puller);

const integ = new IntegTest(app, 'RepositoriesTest', { testCases: [stack] });
integ.assertions
  .awsApiCall('ECR', 'describeRepositories', { repositoryNames: ['integ/cdk-ecr-platform'] })
  .expect(ExpectedResult.objectLike({
    repositories: [{ imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', encryptionConfiguration: { encryptionType: 'KMS' } }],
  }));

app.synth();
