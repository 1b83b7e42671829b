import { Annotations, App, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LifecyclePolicy, LifecyclePresets, PrivateRepository, RepositoryAccess } from '../../src';
import { ENV, strictApp } from '../util/harness';
import { synthWarnings } from '../util/warnings';

const ID = 'cdk-ecr-platform:archiveRuleOnPulledRepository';
const ARCHIVE_RULE = "1 ('Archive tagged images not pulled for 30 days')";

function archived(stack: Stack, id = 'Repo', props: { repositoryName?: string; access?: RepositoryAccess[] } = {}): PrivateRepository {
  return new PrivateRepository(stack, id, { lifecyclePolicy: LifecyclePresets.archiveUnpulled(30), ...props });
}

function taskDefinition(stack: Stack, id: string, image: ecs.ContainerImage): ecs.FargateTaskDefinition {
  const task = new ecs.FargateTaskDefinition(stack, id);
  task.addContainer('app', { image, memoryLimitMiB: 512 });
  return task;
}

describe('archive rules on repositories that workloads pull', () => {
  test('given an archive rule on a repository granted to Lambda, then the repository gets a warning naming Lambda and the rule', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Stack', { env: ENV });
    archived(stack, 'Functions', { access: [RepositoryAccess.pullFromLambda([ENV.account])] });
    const warnings = synthWarnings(app, ID);
    expect(warnings.map((w) => w.path)).toEqual(['/Stack/Functions']);
    const message = warnings[0].message;
    expect(message).toContain('AWS Lambda (its repository policy lets lambda.amazonaws.com pull');
    expect(message).toContain(`lifecycle rule ${ARCHIVE_RULE} moves images to the archive storage class`);
    expect(message).toMatch(/cannot be pulled \(ECR answers 404\).*restored .*or pushed again.*at least 90 days/);
  });

  test('given a Lambda function and an ECS task definition of the app running images of the repository (same stack, another stack, a literal URI), then one warning per consumer, in a stable order', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Registry', { env: ENV });
    const repo = archived(stack, 'Repo', { repositoryName: 'team/app' });
    new lambda.DockerImageFunction(stack, 'Fn', { code: lambda.DockerImageCode.fromEcr(repo, { tagOrDigest: 'v1' }) });
    const workloads = new Stack(app, 'Workloads', { env: ENV });
    taskDefinition(workloads, 'Task', ecs.ContainerImage.fromEcrRepository(repo, 'v1'));
    const elsewhere = new Stack(app, 'Elsewhere', { env: { ...ENV, account: '222222222222' } });
    taskDefinition(elsewhere, 'ByUri', ecs.ContainerImage.fromRegistry('111111111111.dkr.ecr.eu-west-1.amazonaws.com/team/app:v1'));

    const warnings = synthWarnings(app, ID);
    expect(warnings.map((w) => w.path)).toEqual(['/Registry/Repo', '/Registry/Repo', '/Registry/Repo']);
    expect(warnings.map((w) => w.message.split(' pulls images')[0])).toEqual([
      "ECS task definition 'Elsewhere/ByUri' (container 'app')",
      "ECS task definition 'Workloads/Task' (container 'app')",
      "Lambda function 'Registry/Fn'",
    ]);
  });

  test('given raw L1s, then a CfnRepository with an archive rule and a CfnFunction with its image URI are read too', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Stack', { env: ENV });
    archived(stack, 'Registers'); // registers the check
    const raw = new ecr.CfnRepository(stack, 'Raw', {
      repositoryName: 'team/raw',
      lifecyclePolicy: { lifecyclePolicyText: LifecyclePresets.archiveUnpulled(60).toJson() },
    });
    new lambda.CfnFunction(stack, 'RawFn', {
      role: 'arn:aws:iam::111111111111:role/fn',
      packageType: 'Image',
      code: { imageUri: `${raw.attrRepositoryUri}:v1` },
    });
    const warnings = synthWarnings(app, ID);
    expect(warnings.map((w) => [w.path, w.message.split(' pulls images')[0]])).toEqual([['/Stack/Raw', "Lambda function 'Stack/RawFn'"]]);
    expect(warnings[0].message).toContain("1 ('Archive tagged images not pulled for 60 days')");
  });

  test('given consumers of a repository without an archive rule, or of another repository, then no warning', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Stack', { env: ENV });
    archived(stack, 'Archived', { repositoryName: 'team/archived' });
    const plain = new PrivateRepository(stack, 'Plain', { lifecyclePolicy: LifecyclePolicy.recommended(), access: [RepositoryAccess.pullFromLambda([ENV.account])] });
    new lambda.DockerImageFunction(stack, 'Fn', { code: lambda.DockerImageCode.fromEcr(plain) });
    taskDefinition(stack, 'Task', ecs.ContainerImage.fromRegistry('111111111111.dkr.ecr.eu-west-1.amazonaws.com/team/other:v1'));
    taskDefinition(stack, 'Public', ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest'));
    expect(synthWarnings(app, ID)).toEqual([]);
  });

  test('given images, names and policies known only at deploy, then they are left out and synth does not fail', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Stack', { env: ENV });
    archived(stack, 'Repo', { repositoryName: 'team/app' });
    new ecr.CfnRepository(stack, 'Raw', { repositoryName: new CfnParameter(stack, 'Name').valueAsString, lifecyclePolicy: { lifecyclePolicyText: Fn.importValue('policy') } });
    new lambda.CfnFunction(stack, 'Fn', { role: 'arn:aws:iam::111111111111:role/fn', packageType: 'Image', code: { imageUri: Fn.importValue('image') } });
    taskDefinition(stack, 'Task', ecs.ContainerImage.fromRegistry(new CfnParameter(stack, 'Image').valueAsString));
    expect(synthWarnings(app, ID)).toEqual([]);
  });

  test('given the warning acknowledged on the repository, then synth reports nothing; the app synthesized twice reports each warning once', () => {
    const ack = strictApp();
    const stack = new Stack(ack, 'Stack', { env: ENV });
    const repo = archived(stack, 'Functions', { access: [RepositoryAccess.pullFromLambda([ENV.account])] });
    Annotations.of(repo).acknowledgeWarning(ID, 'functions are redeployed weekly');
    expect(synthWarnings(ack, ID)).toEqual([]);

    const app: App = strictApp();
    archived(new Stack(app, 'Stack', { env: ENV }), 'Functions', { access: [RepositoryAccess.pullFromLambda([ENV.account])] });
    const first = synthWarnings(app, ID);
    expect(first).toHaveLength(1);
    expect(synthWarnings(app, ID)).toEqual(first);
  });
});
