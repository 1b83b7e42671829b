import { App, Aws, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  PrivateRepository,
  PublicRepository,
  Registry,
  RepositoryAccess,
  RepositoryCreationTemplate,
  RepositoryCreationTemplateAppliedFor,
} from '../../src';
import { MAX_POLICY_TEXT } from '../../src/internal/ecr-facts';
import { concretePolicyLength } from '../../src/internal/policy-text';
import { strictStack, validTemplate } from '../util/harness';

/** Distinct 12-digit accounts. */
const accounts = (n: number) => Array.from({ length: n }, (_, i) => `${100000000000 + i}`);
/** Comfortably over ECR's 10,240 characters: each account principal renders about 30 characters. */
const MANY = accounts(400);
const QUOTA = /the repository policy has at least (\d+) characters \(not counting values known only at deploy\): ECR takes at most 10240/;

describe('ECR\'s 10,240-character quota on policy text, for every policy', () => {
  test('the quota is the one the ECR API reference gives for SetRepositoryPolicy, PutRegistryPolicy and creation templates', () => {
    expect(MAX_POLICY_TEXT).toBe(10240);
  });

  test('given a private repository whose policy is too long, then synth fails naming the repository, the size and the quota', () => {
    const stack = strictStack();
    new PrivateRepository(stack, 'Repo', { repositoryName: 'team/api', access: [RepositoryAccess.pullFromAccounts(MANY)] });
    expect(() => (stack.node.root as App).synth()).toThrow(/PrivateRepository 'Stack\/Repo': the repository policy has at least \d+ characters .*ECR takes at most 10240/);
  });

  test('given a private repository whose policy grows too long through allow() after construction, then synth fails', () => {
    const stack = strictStack();
    const repo = new PrivateRepository(stack, 'Repo', { repositoryName: 'team/api' });
    for (const chunk of [MANY.slice(0, 200), MANY.slice(200)]) repo.allow(RepositoryAccess.pullFromAccounts(chunk));
    expect(() => (stack.node.root as App).synth()).toThrow(QUOTA);
  });

  test('given a private repository with a policy under the quota, then it synthesizes', () => {
    const stack = strictStack();
    new PrivateRepository(stack, 'Repo', { repositoryName: 'team/api', access: [RepositoryAccess.pullFromAccounts(accounts(20))] });
    validTemplate(stack);
  });

  test('given a public repository whose policy is too long, then synth fails naming the repository', () => {
    const stack = strictStack({ env: { account: '111111111111', region: 'us-east-1' } });
    const repo = new PublicRepository(stack, 'Public', { repositoryName: 'tools' });
    repo.addToResourcePolicy(new iam.PolicyStatement({
      principals: MANY.map((a) => new iam.AccountPrincipal(a)),
      actions: ['ecr-public:PutImage'],
    }));
    expect(() => (stack.node.root as App).synth()).toThrow(/PublicRepository 'Stack\/Public': the repository policy has at least \d+ characters .*ECR takes at most 10240/);
  });

  test('given a creation template whose repository policy is too long, then construction fails naming the template, the size and the quota', () => {
    const stack = strictStack();
    expect(() => new RepositoryCreationTemplate(stack, 'Template', {
      prefix: 'team',
      appliedFor: [RepositoryCreationTemplateAppliedFor.REPLICATION],
      access: [RepositoryAccess.pullFromAccounts(MANY)],
    })).toThrow(/RepositoryCreationTemplate 'Stack\/Template'[\s\S]*the repository policy has at least \d+ characters .*ECR takes at most 10240/);
  });

  test('given a registry policy that is too long, then synth fails (one rule for every policy)', () => {
    const stack = strictStack();
    Registry.of(stack).allowReplicationFrom('222222222222', accounts(20).map((a) => `team-${a}/with-a-long-namespace/`));
    for (const a of MANY) Registry.of(stack).allowPullThroughCacheFrom(a, 'shared');
    expect(() => (stack.node.root as App).synth()).toThrow(/the registry policy of stack 'Stack' has at least \d+ characters .*ECR takes at most 10240/);
  });
});

describe('concretePolicyLength', () => {
  test('counts the JSON text ECR receives, with the literal parts of joined values and nothing for values known only at deploy', () => {
    const stack = new Stack();
    const literal = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecr:BatchGetImage' }] };
    expect(concretePolicyLength(stack, literal)).toBe(JSON.stringify(literal).length);
    const joined = { Resource: `arn:${Aws.PARTITION}:ecr:eu-west-1:111111111111:repository/x` };
    expect(concretePolicyLength(stack, joined)).toBe(JSON.stringify({ Resource: 'arn::ecr:eu-west-1:111111111111:repository/x' }).length);
    const imported = { Resource: Fn.importValue('SomeArn') };
    expect(concretePolicyLength(stack, imported)).toBe(JSON.stringify({ Resource: '' }).length);
  });
});
