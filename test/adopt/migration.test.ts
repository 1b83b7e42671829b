import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { KEY_ARN, registryExport, exportedRepository } from './exports';
import { ImageTagMutability, LifecyclePolicy, PrivateRepository, ImageEncryption, RepositoryMigration } from '../../src';
import { planAdoption } from '../../src/adopt/plan';
import { ENV } from '../util/harness';

/** The resources of a template without their logical IDs and metadata, in a stable order: what a refactor must keep. */
function resourcesWithoutIds(template: any): unknown[] {
  return Object.values<any>(template.Resources ?? {})
    .filter((r) => r.Type !== 'AWS::CDK::Metadata')
    .map(({ Metadata: _, ...rest }) => rest)
    .map((r) => JSON.stringify(r))
    .sort();
}

/** The old app: repositories made by aws-cdk-lib's Repository (several settings) and by a raw CfnRepository. */
function oldStack(): Stack {
  const stack = new Stack(new App(), 'Old', { env: ENV });
  const l2 = new ecr.Repository(stack, 'Api', {
    repositoryName: 'team-a/api',
    imageScanOnPush: true,
    imageTagMutability: ecr.TagMutability.IMMUTABLE,
    encryption: ecr.RepositoryEncryption.KMS,
    encryptionKey: kms.Key.fromKeyArn(stack, 'Key', KEY_ARN),
    lifecycleRules: [{ maxImageCount: 10 }],
  });
  l2.grantPull(new iam.AccountPrincipal('222222222222'));
  new ecr.Repository(stack, 'Unnamed');
  new ecr.CfnRepository(stack, 'Raw', { repositoryName: 'team-a/raw', imageTagMutability: 'MUTABLE' });
  return stack;
}

describe('RepositoryMigration.sameAs (step 1 of moving a stack\'s repositories under PrivateRepository)', () => {
  test('given an old template of aws-cdk-lib Repository and CfnRepository resources, then the new stack differs only in logical IDs and metadata: no key, policy, tag or resource added', () => {
    const old = Template.fromStack(oldStack()).toJSON();
    const text = JSON.stringify(old);
    const ids = (type: string) => Object.keys(old.Resources).filter((k) => old.Resources[k].Type === type);
    const stack = new Stack(new App(), 'New', { env: ENV });
    ids('AWS::ECR::Repository').forEach((logicalId, i) => RepositoryMigration.sameAs(stack, `Repository${i}`, text, logicalId));
    const next = Template.fromStack(stack).toJSON();
    expect(resourcesWithoutIds(next)).toEqual(resourcesWithoutIds(old));
    expect(Object.keys(next.Resources).sort()).not.toEqual(Object.keys(old.Resources).sort());
  });

  test('given step 2 with the settings of the library in the same construct ID, then the logical ID stays, and the plan against the live repository lists in-place updates only', () => {
    const old = Template.fromStack(oldStack()).toJSON();
    const apiId = Object.keys(old.Resources).find((k) => old.Resources[k].Properties?.RepositoryName === 'team-a/api')!;
    const step1 = new Stack(new App(), 'New', { env: ENV });
    const first = RepositoryMigration.sameAs(step1, 'Api', JSON.stringify(old), apiId);
    const step2 = new Stack(new App(), 'New', { env: ENV });
    const second = new PrivateRepository(step2, 'Api', {
      repositoryName: 'team-a/api',
      imageTagMutability: ImageTagMutability.IMMUTABLE,
      encryption: ImageEncryption.kms(kms.Key.fromKeyArn(step2, 'Key', KEY_ARN)),
      lifecyclePolicy: LifecyclePolicy.recommended(),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    expect(step2.getLogicalId(second.cfnRepository)).toBe(step1.getLogicalId(first.cfnRepository));
    // Step 1 holds the old values in the resource's typed attributes, which the compliance pack reads.
    expect(first.cfnRepository.encryptionConfiguration).toEqual({ encryptionType: 'KMS', kmsKey: KEY_ARN });
    expect(first.cfnRepository.imageTagMutability).toBe('IMMUTABLE');
    const live = registryExport([exportedRepository('team-a/api')]);
    const plan = planAdoption([{ stack: 'New', template: Template.fromStack(step2).toJSON() }], live);
    expect(plan.repositories[0].verdict).toBe('in-place update');
    expect(plan.problems).toEqual([]);
  });

  test('given a raw repository without a deletion policy, then step 1 keeps it so (CloudFormation\'s Delete), as the refactor needs', () => {
    const old = Template.fromStack(oldStack()).toJSON();
    const stack = new Stack(new App(), 'New', { env: ENV });
    RepositoryMigration.sameAs(stack, 'Raw', JSON.stringify(old), 'Raw');
    const resource = Object.values<any>(Template.fromStack(stack).toJSON().Resources).find((r) => r.Type === 'AWS::ECR::Repository');
    expect(resource).toEqual({ Type: 'AWS::ECR::Repository', Properties: { RepositoryName: 'team-a/raw', ImageTagMutability: 'MUTABLE' } });
  });

  test('given a repository whose key is created in the old stack, or that the template does not have, then a clear error', () => {
    const stack = new Stack(new App(), 'Old', { env: ENV });
    new ecr.Repository(stack, 'Own', { repositoryName: 'own', encryption: ecr.RepositoryEncryption.KMS, encryptionKey: new kms.Key(stack, 'OwnKey') });
    const text = JSON.stringify(Template.fromStack(stack).toJSON());
    const id = Object.keys(JSON.parse(text).Resources).find((k) => k.startsWith('Own') && JSON.parse(text).Resources[k].Type === 'AWS::ECR::Repository')!;
    expect(() => RepositoryMigration.sameAs(new Stack(new App(), 'N'), 'R', text, id))
      .toThrow(/RepositoryMigration.sameAs 'N\/R': resource '\S+' of the old template: EncryptionConfiguration refers to Fn::GetAtt \["OwnKey\w+","Arn"\], which does not resolve the same after the move/);
    expect(() => RepositoryMigration.sameAs(new Stack(new App(), 'N'), 'R', text, id.slice(0, -1)))
      .toThrow(`RepositoryMigration.sameAs 'N/R': the template has no AWS::ECR::Repository '${id.slice(0, -1)}': did you mean '${id}'?`);
    expect(() => RepositoryMigration.sameAs(new Stack(new App(), 'N'), 'R', 'Resources:', id)).toThrow(/the template is not JSON/);
  });
});
