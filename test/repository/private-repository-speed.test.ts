import { App, Stack, Token, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { LifecyclePolicy, LifecyclePresets, PrivateRepository, RepositoryAccess } from '../../src';
import * as statementChecks from '../../src/repository/statement-checks';
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

  describe('an access shared by many repositories', () => {
    afterEach(() => jest.restoreAllMocks());

    test('given one organization access for 50 repositories in two stacks, when created, then its statement is checked once and every repository renders it', () => {
      const app = new App({ builtinCloudFormationValidation: false });
      const stacks = [new Stack(app, 'A', { env: ENV }), new Stack(app, 'B', { env: ENV })];
      const access = [RepositoryAccess.pullFromOrganization('o-a1b2c3d4e5')];
      const checks = jest.spyOn(statementChecks, 'addToRepositoryPolicy');
      for (let i = 0; i < 50; i++) new PrivateRepository(stacks[i % 2], `Repo${i}`, { repositoryName: `svc-${i}`, access });
      expect(checks).toHaveBeenCalledTimes(1);
      for (const stack of stacks) {
        const repositories = Template.fromStack(stack).findResources('AWS::ECR::Repository');
        expect(Object.keys(repositories)).toHaveLength(25);
        for (const repo of Object.values<any>(repositories)) {
          expect(repo.Properties.RepositoryPolicyText.Statement).toEqual([expect.objectContaining({
            Principal: '*',
            Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
          })]);
        }
      }
    });

    test('given a statement of the user\'s own, changed to name resources after its first use, when used again, then the second repository refuses it', () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const statement = new iam.PolicyStatement({ principals: [new iam.AccountPrincipal('222222222222')], actions: ['ecr:BatchGetImage'] });
      const access = RepositoryAccess.fromStatement(statement);
      new PrivateRepository(stack, 'First', { repositoryName: 'first', access: [access] });
      statement.addResources('*');
      expect(() => new PrivateRepository(stack, 'Second', { repositoryName: 'second', access: [access] })).toThrow(/names resources/);
    });

    test('given a subclass that overrides addToResourcePolicy, when an access is shared, then it sees every statement of every repository', () => {
      const seen: string[] = [];
      class Audited extends PrivateRepository {
        public addToResourcePolicy(statement: iam.PolicyStatement) {
          seen.push(`${this.node.id}:${statement.sid}`);
          return super.addToResourcePolicy(statement);
        }
      }
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const access = [RepositoryAccess.pullFromOrganization('o-a1b2c3d4e5')];
      new Audited(stack, 'One', { repositoryName: 'one', access });
      new Audited(stack, 'Two', { repositoryName: 'two', access });
      expect(seen).toEqual(['One:OrganizationPulloa1b2c3d4e5', 'Two:OrganizationPulloa1b2c3d4e5']);
    });
  });

  describe('a policy made only of shared statements', () => {
    afterEach(() => jest.restoreAllMocks());

    test('given 30 repositories with one organization access, when created, then each resource holds the same frozen rendering of the policy, not a token, and the template renders what the policy document renders', () => {
      const app = new App({ builtinCloudFormationValidation: false });
      const stack = new Stack(app, 'Stack', { env: ENV });
      const access = [RepositoryAccess.pullFromOrganization('o-a1b2c3d4e5')];
      const repos = Array.from({ length: 30 }, (_, i) => new PrivateRepository(stack, `Repo${i}`, { repositoryName: `svc-${i}`, access }));
      const texts = repos.map((r) => r.cfnRepository.repositoryPolicyText);
      expect(texts.some((t) => Token.isUnresolved(t))).toBe(false);
      expect(new Set(texts).size).toBe(1);
      expect(Object.isFrozen(texts[0])).toBe(true);
      expect(Object.isFrozen(texts[0].Statement[0])).toBe(true);
      const expected = stack.resolve(new iam.PolicyDocument({ statements: access.flatMap((a) => (a as any)._statements()) }));
      for (const repo of Object.values<any>(Template.fromStack(stack).findResources('AWS::ECR::Repository'))) {
        expect(repo.Properties.RepositoryPolicyText).toEqual(expected);
      }
    });

    test('given 20 more repositories with an organization access already used once, when created, then none of them makes a policy document', () => {
      const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Stack', { env: ENV });
      const access = [RepositoryAccess.pullFromOrganization('o-a1b2c3d4e5')];
      new PrivateRepository(stack, 'First', { repositoryName: 'first', access });
      // the PolicyDocument constructor adds its statements through addStatements
      const documents = jest.spyOn(iam.PolicyDocument.prototype, 'addStatements');
      for (let i = 0; i < 20; i++) new PrivateRepository(stack, `Repo${i}`, { repositoryName: `svc-${i}`, access });
      expect(documents).not.toHaveBeenCalled();
    });

    test('given a repository with a shared access, when a statement of its own is added afterwards, then its resource renders the policy document through a token with both statements', () => {
      const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Stack', { env: ENV });
      const access = [RepositoryAccess.pullFromOrganization('o-a1b2c3d4e5')];
      new PrivateRepository(stack, 'Other', { repositoryName: 'other', access });
      const repo = new PrivateRepository(stack, 'Repo', { repositoryName: 'svc', access });
      expect(Token.isUnresolved(repo.cfnRepository.repositoryPolicyText)).toBe(false);
      const added = repo.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AccountPrincipal('333333333333')], actions: ['ecr:BatchGetImage'] }));
      expect((added.policyDependable as iam.PolicyDocument).statementCount).toBe(2);
      expect(Token.isUnresolved(repo.cfnRepository.repositoryPolicyText)).toBe(true);
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::ECR::Repository', {
        RepositoryName: 'svc',
        RepositoryPolicyText: { Statement: [Match.objectLike({ Sid: 'OrganizationPulloa1b2c3d4e5' }), Match.objectLike({ Principal: { AWS: Match.anyValue() } })] },
      });
    });

    test('given two repositories with one organization access, when the second gets statements of its own past ECR\'s policy size, then synthesis fails naming the second', () => {
      const app = new App({ builtinCloudFormationValidation: false });
      const stack = new Stack(app, 'Stack', { env: ENV });
      const access = [RepositoryAccess.pullFromOrganization('o-a1b2c3d4e5')];
      new PrivateRepository(stack, 'First', { repositoryName: 'first', access });
      const second = new PrivateRepository(stack, 'Second', { repositoryName: 'second', access });
      for (let i = 0; i < 120; i++) {
        second.addToResourcePolicy(new iam.PolicyStatement({
          sid: `PullForAccount${i}WithALongStatementId`,
          principals: [new iam.AccountPrincipal(String(100000000000 + i))],
          actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        }));
      }
      expect(() => app.synth()).toThrow(/PrivateRepository 'Stack\/Second': the repository policy has at least \d+ characters/);
    });

    test('given organizational unit accesses each used alone by one repository, when another repository combines them past ECR\'s policy size, then synthesis fails naming it, and the repositories with one access each register no size check of their own', () => {
      const app = new App({ builtinCloudFormationValidation: false });
      const stack = new Stack(app, 'Stack', { env: ENV });
      const accesses = Array.from({ length: 60 }, (_, i) => RepositoryAccess.pullFromOrganizationalUnits('o-a1b2c3d4e5', [`r-ab12/ou-ab12-${String(10000000 + i)}`]));
      accesses.forEach((access, i) => new PrivateRepository(stack, `Alone${i}`, { repositoryName: `alone-${i}`, access: [access] }));
      const sizeChecks = jest.spyOn(statementChecks, 'checkRepositoryPolicySize');
      accesses.forEach((access, i) => new PrivateRepository(stack, `Again${i}`, { repositoryName: `again-${i}`, access: [access] }));
      expect(sizeChecks).not.toHaveBeenCalled();
      new PrivateRepository(stack, 'All', { repositoryName: 'all', access: accesses });
      expect(sizeChecks).toHaveBeenCalledTimes(1);
      expect(() => app.synth()).toThrow(/PrivateRepository 'Stack\/All': the repository policy has at least \d+ characters/);
    });

    test('given shared statements that policy minimization would render differently, when used, then the resource keeps the token, which renders the document under the setting of its scope', () => {
      // No factory's statements merge today; a rendering that differs under minimization is simulated.
      const original = iam.PolicyDocument.prototype.resolve;
      jest.spyOn(iam.PolicyDocument.prototype, 'resolve').mockImplementation(function (this: iam.PolicyDocument, context) {
        const rendered = original.call(this, context);
        return (this as any).minimize === true ? { ...rendered, Minimized: true } : rendered;
      });
      const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Stack', { env: ENV });
      const repo = new PrivateRepository(stack, 'Repo', { repositoryName: 'svc', access: [RepositoryAccess.pullFromOrganization('o-a1b2c3d4e5')] });
      expect(Token.isUnresolved(repo.cfnRepository.repositoryPolicyText)).toBe(true);
      Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', {
        RepositoryPolicyText: Match.objectLike({ Statement: [Match.objectLike({ Sid: 'OrganizationPulloa1b2c3d4e5' })] }),
      });
    });
  });

  test('given 20 repositories with the default encryption in one stack, when created, then they share one encryption object and one key', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Stack', { env: ENV });
    const repos = Array.from({ length: 20 }, (_, i) => new PrivateRepository(stack, `Repo${i}`, { repositoryName: `svc-${i}` }));
    expect(new Set(repos.map((r) => r.encryption)).size).toBe(1);
    expect(new Set(repos.map((r) => r.encryptionKey)).size).toBe(1);
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 1);
  });

  test('given 40 repositories in two stacks sharing organization and organizational unit access, one of them also granting pull to a role, when synthesized, then the shared policy is resolved once per stack and every repository renders the policy it would alone', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const stacks = [new Stack(app, 'A', { env: ENV }), new Stack(app, 'B', { env: ENV })];
    const access = [
      RepositoryAccess.pullFromOrganization('o-a1b2c3d4e5'),
      RepositoryAccess.pullFromOrganizationalUnits('o-a1b2c3d4e5', ['r-ab12/ou-ab12-11111111']),
    ];
    const repos = Array.from({ length: 40 }, (_, i) => new PrivateRepository(stacks[i % 2], `Repo${i}`, { repositoryName: `svc-${i}`, access }));
    repos[3].grantPull(new iam.AccountPrincipal('333333333333'));
    const resolveSpy = jest.spyOn(iam.PolicyDocument.prototype, 'resolve');
    const assembly = app.synth();
    // a few times per stack (the shared policy, the repository with a grant of its own), not once or more per repository
    expect(resolveSpy.mock.calls.length).toBeLessThan(12);
    const templates = stacks.map((stack) => assembly.getStackByName(stack.stackName).template);

    // what a repository renders alone, in a fresh app
    const aloneApp = new App({ builtinCloudFormationValidation: false });
    const alone = new Stack(aloneApp, 'Alone', { env: ENV });
    const single = new PrivateRepository(alone, 'Repo', { repositoryName: 'svc', access });
    const granted = new PrivateRepository(alone, 'Granted', { repositoryName: 'granted', access });
    granted.grantPull(new iam.AccountPrincipal('333333333333'));
    const aloneTemplate = Template.fromStack(alone).toJSON();
    const policyOf = (template: any, name: string) =>
      Object.values<any>(template.Resources).find((r) => r.Properties?.RepositoryName === name).Properties.RepositoryPolicyText;
    for (let i = 0; i < 40; i++) {
      expect(policyOf(templates[i % 2], `svc-${i}`)).toEqual(policyOf(aloneTemplate, i === 3 ? 'granted' : 'svc'));
    }
    expect(single.cfnRepository.repositoryPolicyText).toBeDefined();
  });

  test('given policy minimization turned on for part of a stack only, when synthesized, then each repository renders what a policy document renders under its own setting', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Stack', { env: ENV });
    const minimized = new Construct(stack, 'Minimized');
    minimized.node.setContext('@aws-cdk/aws-iam:minimizePolicies', true);
    const access = [
      RepositoryAccess.pullFromOrganizationalUnits('o-a1b2c3d4e5', ['r-ab12/ou-ab12-11111111']),
      RepositoryAccess.pullFromOrganizationalUnits('o-a1b2c3d4e5', ['r-ab12/ou-ab12-22222222']),
    ];
    new PrivateRepository(stack, 'Plain', { repositoryName: 'plain', access });
    new PrivateRepository(minimized, 'Repo', { repositoryName: 'minimized', access });
    const template = app.synth().getStackByName(stack.stackName).template;
    const policyOf = (name: string) =>
      Object.values<any>(template.Resources).find((r) => r.Properties?.RepositoryName === name).Properties.RepositoryPolicyText;
    const expected = (minimize: boolean) => {
      const scope = new Stack(new App({ context: { '@aws-cdk/aws-iam:minimizePolicies': minimize } }), 'Expected', { env: ENV });
      const document = new iam.PolicyDocument({ statements: access.flatMap((a) => (a as any)._statements()) });
      return scope.resolve(document);
    };
    expect(policyOf('plain')).toEqual(expected(false));
    expect(policyOf('minimized')).toEqual(expected(true));
  });
});
