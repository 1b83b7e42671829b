import { App, CfnParameter, Fn, Lazy, Stack, Stage } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import {
  PrivateRepository,
  PublicRepository,
  PullThroughCacheCredentials,
  PullThroughCacheRule,
  Registry,
  RepositoryCreationTemplate,
  RepositoryCreationTemplateAppliedFor,
  ImageEncryption,
  UpstreamRegistry,
} from '../../src';
import { strictApp } from '../util/harness';

const ENV = { account: '111111111111', region: 'eu-west-1' };

/** The messages of a failed synth, or [] when it passed. */
function synthErrors(app: App): string[] {
  try {
    app.synth();
    return [];
  } catch (e) {
    return (e as Error).message.split('\n').filter((l) => l.includes('is used by'));
  }
}

describe('duplicate physical names', () => {
  test('given two repositories named team/api in one stack, then synth fails once, naming both', () => {
    const app = strictApp();
    const stack = new Stack(app, 'S', { env: ENV });
    new PrivateRepository(stack, 'A', { repositoryName: 'team/api' });
    new PrivateRepository(stack, 'B', { repositoryName: 'team/api' });
    new PrivateRepository(stack, 'C', { repositoryName: 'team/web' });
    const errors = synthErrors(app);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/repository name 'team\/api' is used by 'S\/A' and 'S\/B' in account 111111111111, region eu-west-1/);
  });

  test('given the same repository name in two stacks of one account and region, then synth fails once, naming both', () => {
    const app = strictApp();
    new PrivateRepository(new Stack(app, 'One', { env: ENV }), 'Api', { repositoryName: 'team/api' });
    new PrivateRepository(new Stack(app, 'Two', { env: ENV }), 'Api', { repositoryName: 'team/api' });
    const errors = synthErrors(app);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/'One\/Api' and 'Two\/Api'/);
  });

  test('given the same repository name in two stacks, then the clash is reported at the later stack, not at the app', () => {
    const app = strictApp();
    new PrivateRepository(new Stack(app, 'A', { env: ENV }), 'Repo', { repositoryName: 'svc' });
    new PrivateRepository(new Stack(app, 'B', { env: ENV }), 'Repo', { repositoryName: 'svc' });
    expect(() => app.synth()).toThrow(/^Validation failed with the following errors:\n {2}\[B\] repository name 'svc' is used by 'A\/Repo' and 'B\/Repo'/);
  });

  test('given two stages synthesized one by one (as CDK Pipelines does), then the later stage reports the clash with a stage synthesized before', () => {
    const app = strictApp();
    const one = new Stage(app, 'One');
    new PrivateRepository(new Stack(one, 'S', { env: ENV }), 'Repo', { repositoryName: 'svc' });
    one.synth();
    const two = new Stage(app, 'Two');
    new PrivateRepository(new Stack(two, 'S', { env: ENV }), 'Repo', { repositoryName: 'svc' });
    expect(() => two.synth()).toThrow(/\[Two\/S\] repository name 'svc' is used by 'One\/S\/Repo' and 'Two\/S\/Repo'/);
  });

  test('given two raw L1 repositories with one name in a stack the library does not touch, then the app still reports the clash', () => {
    const app = strictApp();
    new PrivateRepository(new Stack(app, 'Library', { env: ENV }), 'Repo', { repositoryName: 'other' });
    const raw = new Stack(app, 'Raw', { env: ENV });
    new ecr.CfnRepository(raw, 'One', { repositoryName: 'svc' });
    new ecr.CfnRepository(raw, 'Two', { repositoryName: 'svc' });
    expect(synthErrors(app)).toEqual([expect.stringMatching(/repository name 'svc' is used by 'Raw\/One' and 'Raw\/Two'/)]);
  });

  test('given an aws-cdk-lib repository with the name of a library repository, then it is caught too', () => {
    const app = strictApp();
    const stack = new Stack(app, 'S', { env: ENV });
    new PrivateRepository(stack, 'A', { repositoryName: 'team/api' });
    new ecr.Repository(stack, 'L2', { repositoryName: 'team/api' });
    expect(synthErrors(app)).toEqual([expect.stringMatching(/'S\/A' and 'S\/L2'/)]);
  });

  test('given a name that a Lazy resolves to, then it is compared as resolved', () => {
    const app = strictApp();
    const stack = new Stack(app, 'S', { env: ENV });
    new PrivateRepository(stack, 'A', { repositoryName: 'team/api' });
    new PrivateRepository(stack, 'B', { repositoryName: Lazy.string({ produce: () => 'team/api' }) });
    expect(synthErrors(app)).toHaveLength(1);
  });

  test.each([
    ['another region', { account: '111111111111', region: 'eu-central-1' }],
    ['another account', { account: '222222222222', region: 'eu-west-1' }],
  ])('given the same name in %s, then synth passes', (_n, env) => {
    const app = strictApp();
    new PrivateRepository(new Stack(app, 'One', { env: ENV }), 'Api', { repositoryName: 'team/api' });
    new PrivateRepository(new Stack(app, 'Two', { env }), 'Api', { repositoryName: 'team/api' });
    expect(synthErrors(app)).toEqual([]);
  });

  test('given two environment-agnostic stacks with the same name, then each stack is checked on its own and synth passes', () => {
    const app = strictApp();
    new PrivateRepository(new Stack(app, 'One'), 'Api', { repositoryName: 'team/api' });
    new PrivateRepository(new Stack(app, 'Two'), 'Api', { repositoryName: 'team/api' });
    expect(synthErrors(app)).toEqual([]);
  });

  test('given two public repositories with one name in one account, then synth fails', () => {
    const app = strictApp();
    const us = { account: '111111111111', region: 'us-east-1' };
    new PublicRepository(new Stack(app, 'One', { env: us }), 'Cli', { repositoryName: 'tools/cli' });
    new PublicRepository(new Stack(app, 'Two', { env: us }), 'Cli', { repositoryName: 'tools/cli' });
    expect(synthErrors(app)).toEqual([expect.stringMatching(/public repository name 'tools\/cli' is used by 'One\/Cli' and 'Two\/Cli'/)]);
  });

  test('given creation templates for team and team/ in two stacks of one environment, then synth fails', () => {
    const app = strictApp();
    const props = { appliedFor: [RepositoryCreationTemplateAppliedFor.REPLICATION] };
    new RepositoryCreationTemplate(new Stack(app, 'One', { env: ENV }), 'T', { prefix: 'team', ...props });
    new RepositoryCreationTemplate(new Stack(app, 'Two', { env: ENV }), 'T', { prefix: 'team/', ...props });
    expect(synthErrors(app)).toEqual([expect.stringMatching(/repository creation template prefix 'team' is used by 'One\/T' and 'Two\/T'/)]);
  });

  test('given the same template prefix in two stacks, then the clash is reported once in all', () => {
    const app = strictApp();
    const props = { appliedFor: [RepositoryCreationTemplateAppliedFor.REPLICATION] };
    new RepositoryCreationTemplate(new Stack(app, 'One', { env: ENV }), 'T', { prefix: 'team', ...props });
    new RepositoryCreationTemplate(new Stack(app, 'Two', { env: ENV }), 'T', { prefix: 'team', ...props });
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.match(/'team'/g)).toHaveLength(1);
  });

  test('given pull-through cache rules with one prefix in two stacks of one environment, then synth fails for the rule and for its template', () => {
    const app = strictApp();
    new PullThroughCacheRule(new Stack(app, 'One', { env: ENV }), 'Quay', { ecrRepositoryPrefix: 'quay', upstream: UpstreamRegistry.quay() });
    new PullThroughCacheRule(new Stack(app, 'Two', { env: ENV }), 'Quay', { ecrRepositoryPrefix: 'quay', upstream: UpstreamRegistry.quay() });
    const errors = synthErrors(app);
    expect(errors).toEqual(expect.arrayContaining([
      expect.stringMatching(/pull-through cache prefix 'quay' is used by 'One\/Quay' and 'Two\/Quay'/),
      expect.stringMatching(/repository creation template prefix 'quay' is used by 'One\/Quay\/Template' and 'Two\/Quay\/Template'/),
    ]));
    expect(errors).toHaveLength(2);
  });

  test('given two rules that create the same credential secret in one stack, then synth fails naming both secrets and how to share one', () => {
    const app = strictApp();
    const stack = new Stack(app, 'S', { env: ENV });
    const credentials = PullThroughCacheCredentials.createSecret({ secretName: 'ecr-pullthroughcache/docker' });
    new PullThroughCacheRule(stack, 'Hub', { ecrRepositoryPrefix: 'docker-hub', upstream: UpstreamRegistry.dockerHub(), credentials });
    new PullThroughCacheRule(stack, 'Hub2', { ecrRepositoryPrefix: 'docker-hub2', upstream: UpstreamRegistry.dockerHub(), credentials });
    expect(synthErrors(app)).toEqual([expect.stringMatching(
      /pull-through cache credential secret name 'ecr-pullthroughcache\/docker' is used by 'S\/Hub\/Credentials' and 'S\/Hub2\/Credentials' .*PullThroughCacheCredentials.fromSecret\(rule.credentialsSecret\)/,
    )]);
  });

  test('given two stacks of one environment rendering a registry policy, then the registry clash is reported once', () => {
    const app = strictApp();
    Registry.of(new Stack(app, 'First', { env: ENV })).allowReplicationFrom('222222222222');
    Registry.of(new Stack(app, 'Second', { env: ENV })).allowReplicationFrom('333333333333');
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.match(/both render AWS::ECR::RegistryPolicy/g)).toHaveLength(1);
  });
});

describe('duplicate names known only at deploy', () => {
  const template = (scope: Stack, id: string, prefix: string) => new RepositoryCreationTemplate(scope, id, {
    prefix,
    appliedFor: [RepositoryCreationTemplateAppliedFor.REPLICATION],
    encryption: ImageEncryption.AES256,
  });

  test.each([
    ['without', () => new App()],
    ['with', () => strictApp()],
  ])('given one imported value as the prefix of two templates, then the library fails synth naming both, %s aws-cdk-lib\'s validation', (_n, makeApp) => {
    const app = makeApp();
    const stack = new Stack(app, 'S', { env: ENV });
    const prefix = Fn.importValue('TeamPrefix');
    template(stack, 'A', prefix);
    template(stack, 'B', prefix);
    expect(synthErrors(app)).toEqual([expect.stringMatching(
      /repository creation template prefix \{"Fn::ImportValue":"TeamPrefix"\} \(known at deploy, the same expression for each\) is used by 'S\/A' and 'S\/B' in account 111111111111, region eu-west-1: ECR keeps one template per prefix/,
    )]);
  });

  test('given the same import written twice, in two stacks of one account and region, then synth fails too (an export is one value per account and region)', () => {
    const app = new App();
    template(new Stack(app, 'One', { env: ENV }), 'A', Fn.importValue('TeamPrefix'));
    template(new Stack(app, 'Two', { env: ENV }), 'B', Fn.importValue('TeamPrefix'));
    expect(synthErrors(app)).toEqual([expect.stringMatching(/\{"Fn::ImportValue":"TeamPrefix"\}.* is used by 'One\/A' and 'Two\/B'/)]);
  });

  test('given one parameter as the prefix of two templates, then synth fails in its stack; parameters of two stacks are two values', () => {
    const app = new App();
    const one = new Stack(app, 'One', { env: ENV });
    const param = new CfnParameter(one, 'Prefix').valueAsString;
    template(one, 'A', param);
    template(one, 'B', param);
    const two = new Stack(app, 'Two', { env: ENV });
    template(two, 'C', new CfnParameter(two, 'Prefix').valueAsString);
    expect(synthErrors(app)).toEqual([expect.stringMatching(/\{"Ref":"Prefix"\}.* is used by 'One\/A' and 'One\/B' in stack 'One'/)]);
  });

  test('given two different imported values, or an imported value and a literal, then synth passes', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: ENV });
    template(stack, 'A', Fn.importValue('TeamPrefix'));
    template(stack, 'B', Fn.importValue('OtherPrefix'));
    template(stack, 'C', 'team');
    expect(synthErrors(app)).toEqual([]);
  });

  test('given one imported value as the name of two repositories, then synth fails naming both', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: ENV });
    const name = Fn.importValue('RepositoryName');
    new PrivateRepository(stack, 'A', { repositoryName: name });
    new PrivateRepository(stack, 'B', { repositoryName: name });
    expect(synthErrors(app)).toEqual([expect.stringMatching(/repository name \{"Fn::ImportValue":"RepositoryName"\}.* is used by 'S\/A' and 'S\/B'/)]);
  });
});
