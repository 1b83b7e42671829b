import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildPlatformApp } from '../../examples/platform/app';

describe('example platform: pull-through caches of the shared-services registry', () => {
  const assembly = buildPlatformApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'platform-ptc-')) }).synth();
  const template = (name: string) => Template.fromJSON(assembly.getStackByName(name).template);
  const arn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });

  test('six rules, each with a PULL_THROUGH_CACHE template for its prefix', () => {
    const shared = template('SharedServicesRegistry');
    shared.resourceCountIs('AWS::ECR::PullThroughCacheRule', 6);
    for (const prefix of ['ecr-public', 'k8s', 'quay', 'docker-hub', 'ghcr', 'workloads']) {
      shared.hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', { Prefix: prefix, AppliedFor: ['PULL_THROUGH_CACHE'] });
    }
  });

  test('Docker Hub and GitHub get credential secret shells named after their prefix', () => {
    const shared = template('SharedServicesRegistry');
    for (const name of ['ecr-pullthroughcache/docker-hub', 'ecr-pullthroughcache/ghcr']) {
      shared.hasResourceProperties('AWS::SecretsManager::Secret', { Name: name });
    }
  });

  test('the workload registry lets the shared-services account pull team-b images for the ECR-to-ECR cache, with literal account IDs', () => {
    template('WorkloadRegistry').hasResourceProperties('AWS::ECR::RegistryPolicy', {
      PolicyText: {
        Statement: Match.arrayWith([{
          Sid: 'PullThroughCacheFrom111111111111teamb',
          Effect: 'Allow',
          Principal: { AWS: arn(':iam::111111111111:root') },
          Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          Resource: arn(':ecr:eu-west-1:222222222222:repository/team-b/*'),
        }]),
      },
    });
  });
});
