/**
 * Integration test: a small fleet from a catalog (one shard stack), read back
 * through the ECR API: names, tag mutability with exclusions, encryption
 * with the shard's key, and the owner tag. CI compares the committed
 * snapshot; `npx integ-runner --update-on-failed` with credentials deploys it.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { CatalogFormat, RepositoryCatalog, RepositoryFleet } from '../src';

const CATALOG = `defaults:
  owner: platform
  removalPolicy: destroy
  lifecycle: { preset: expireUntagged, days: 7 }
repositories:
  - name: integ-fleet/api
  - name: integ-fleet/web
    tagMutabilityExclusions: [latest]
  - name: integ-fleet/jobs
    encryption: AES256
    acknowledge:
      - { id: EcrCompliance-CustomerManagedKey, reason: the integration test covers AES256 too }
`;

const app = new App();
const catalog = RepositoryCatalog.fromText(CATALOG, CatalogFormat.YAML, 'integ-catalog.yaml');
const fleet = new RepositoryFleet(app, 'EcrPlatformFleetInteg', { repositories: catalog.repositories });

const integ = new IntegTest(app, 'FleetTest', { testCases: fleet.stacks });
// One call per repository: DescribeRepositories documents no order for its answer.
const expected: Record<string, object> = {
  'integ-fleet/api': { imageTagMutability: 'IMMUTABLE', encryptionConfiguration: { encryptionType: 'KMS' } },
  'integ-fleet/jobs': { encryptionConfiguration: { encryptionType: 'AES256' } },
  'integ-fleet/web': { imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION' },
};
for (const [name, settings] of Object.entries(expected)) {
  integ.assertions
    .awsApiCall('ECR', 'describeRepositories', { repositoryNames: [name] })
    .expect(ExpectedResult.objectLike({ repositories: [{ repositoryName: name, ...settings }] }));
}

app.synth();
