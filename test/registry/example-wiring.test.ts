import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildPlatformApp } from '../../examples/platform/app';

describe('example platform: base images replicated across a region and an account', () => {
  const assembly = buildPlatformApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'platform-wiring-')) }).synth();
  const template = (name: string) => Template.fromJSON(assembly.getStackByName(name).template);

  test('the source has one replication rule with both destinations and the repository as PREFIX_MATCH filter', () => {
    template('SharedServicesRegistry').hasResourceProperties('AWS::ECR::ReplicationConfiguration', {
      ReplicationConfiguration: {
        Rules: [{
          Destinations: [{ Region: 'eu-central-1', RegistryId: '111111111111' }, { Region: 'eu-west-1', RegistryId: '222222222222' }],
          RepositoryFilters: [{ Filter: 'platform/base-images', FilterType: 'PREFIX_MATCH' }],
        }],
      },
    });
  });

  test('the workload account lets the shared-services account replicate the replicated repository only, with literal account IDs', () => {
    template('WorkloadRegistry').hasResourceProperties('AWS::ECR::RegistryPolicy', {
      PolicyText: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'ReplicationFrom111111111111',
          Action: ['ecr:CreateRepository', 'ecr:ReplicateImage'],
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:eu-west-1:222222222222:repository/platform/base-images*']] },
        })]),
      },
    });
  });

  test('the same account in the second region needs no registry policy, and both destinations have a REPLICATION template', () => {
    template('SharedServicesRegistryEuCentral1').resourceCountIs('AWS::ECR::RegistryPolicy', 0);
    for (const name of ['SharedServicesRegistryEuCentral1', 'WorkloadRegistry']) {
      template(name).hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', {
        Prefix: 'platform',
        AppliedFor: ['REPLICATION'],
        ImageTagMutability: 'IMMUTABLE', // replicas keep the source's immutable tags
      });
    }
  });

  test('no stack references another', () => {
    for (const stack of assembly.stacks) expect(JSON.stringify(stack.template)).not.toMatch(/Fn::ImportValue/);
  });

  test('the CI runner\'s builder, a pusher of a signed repository, may sign with the signing profile', () => {
    template('SharedServicesRegistry').hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^ImageBuilder') }],
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Effect: 'Allow',
          Action: 'signer:SignPayload',
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ImageSecuritySigningProfile'), 'Arn'] },
        }]),
      },
    });
  });
});
