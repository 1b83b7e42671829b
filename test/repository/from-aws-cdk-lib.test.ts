import { App, CfnParameter, Lazy, Stack, Token, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  CountType,
  LifecyclePolicy,
  LifecyclePresets,
  LifecyclePolicyRule,
  PrivateRepository,
  RepositoryCreationTemplate,
  RepositoryCreationTemplateAppliedFor as AppliedFor,
  ImageEncryption,
  LifecycleTagStatus,
} from '../../src';
import { ENV, strictApp, strictStack, synthesize, validTemplate } from '../util/harness';

/*
 * What users of aws-cdk-lib's `Repository` find here: lifecycle rules added
 * after construction, the lifecycle policy's registry ID, the AWS managed
 * key, and a lookup of an existing repository.
 */

const keepReleases: LifecyclePolicyRule = {
  description: 'Keep the last 10 releases',
  tagStatus: LifecycleTagStatus.TAGGED,
  tagPatternList: ['v*'],
  countType: CountType.IMAGE_COUNT_MORE_THAN,
  countNumber: 10,
};

/** The `LifecyclePolicy` property of a repository in the template. */
function lifecycleOf(stack: Stack, id: string): any {
  const template = validTemplate(stack);
  const repo = stack.node.findChild(id) as PrivateRepository;
  return template.toJSON().Resources[stack.resolve(repo.cfnRepository.logicalId)].Properties.LifecyclePolicy;
}

function rulesOf(text: string): any[] {
  return JSON.parse(text).rules;
}

describe('addLifecycleRule', () => {
  test('given the default policy, when rules are added, then they follow the default rules and the any rule stays last, rendered at synth', () => {
    const stack = strictStack();
    const repo = new PrivateRepository(stack, 'Repo');
    repo.addLifecycleRule(keepReleases);
    repo.addLifecycleRule({ ...keepReleases, description: 'Keep the last 5 release candidates', tagPatternList: ['rc-*'], countNumber: 5 });

    const text = validTemplate(stack, { nag: true }).findResources('AWS::ECR::Repository');
    const rendered = (Object.values(text)[0] as any).Properties.LifecyclePolicy.LifecyclePolicyText;
    expect(rulesOf(rendered).map((r) => [r.rulePriority, r.selection.tagStatus, r.description])).toEqual([
      [1, 'untagged', 'Expire untagged images pushed more than 14 days ago'],
      [2, 'tagged', 'Keep the last 10 releases'],
      [3, 'tagged', 'Keep the last 5 release candidates'],
      [4, 'any', 'Keep at most 1000 images, expire the oldest'],
    ]);
    // the policy in force is the one the template holds, and it is the same as combining the policies
    expect(repo.lifecyclePolicy.toJson()).toBe(rendered);
    expect(rendered).toBe(LifecyclePolicy.combine(LifecyclePolicy.recommended(), LifecyclePolicy.fromRules([keepReleases, {
      ...keepReleases, description: 'Keep the last 5 release candidates', tagPatternList: ['rc-*'], countNumber: 5,
    }])).toJson());
  });

  test('a rule added after the resource is made (and after its properties were read once) is in the template', () => {
    const stack = strictStack();
    const repo = new PrivateRepository(stack, 'Repo', { lifecyclePolicy: LifecyclePresets.expireUntagged(7) });
    repo.addLifecycleRule(keepReleases);
    const early = stack.resolve(repo.cfnRepository.lifecyclePolicy);
    repo.addLifecycleRule({ ...keepReleases, tagPatternList: ['rc-*'] });
    expect(rulesOf(early.lifecyclePolicyText)).toHaveLength(2);
    expect(rulesOf(lifecycleOf(stack, 'Repo').LifecyclePolicyText)).toHaveLength(3);
  });

  test('a repository that does not call it keeps its logical ID and renders its lifecycle policy exactly as before', () => {
    const build = (addRule: boolean) => {
      const stack = strictStack();
      const plain = new PrivateRepository(stack, 'Plain', { repositoryName: 'team/plain' });
      const extended = new PrivateRepository(stack, 'Extended', { repositoryName: 'team/extended' });
      if (addRule) extended.addLifecycleRule(keepReleases);
      // a plain string, not a token: nothing to resolve for the thousands of repositories of a fleet
      expect(Token.isUnresolved((plain.cfnRepository.lifecyclePolicy as ecr.CfnRepository.LifecyclePolicyProperty).lifecyclePolicyText)).toBe(false);
      return validTemplate(stack).findResources('AWS::ECR::Repository');
    };
    const before = build(false);
    const after = build(true);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    const plainId = Object.keys(before).find((id) => id.startsWith('Plain'))!;
    expect(after[plainId]).toEqual(before[plainId]);
    expect(after[plainId].Properties.LifecyclePolicy).toEqual({ LifecyclePolicyText: LifecyclePolicy.recommended().toJson() });
    const extendedId = Object.keys(before).find((id) => id.startsWith('Extended'))!;
    expect({ ...after[extendedId].Properties, LifecyclePolicy: undefined }).toEqual({ ...before[extendedId].Properties, LifecyclePolicy: undefined });
  });

  describe('the whole policy is checked at each call, with every problem and where its rules come from', () => {
    const tagged = (n: number): LifecyclePolicyRule[] => Array.from({ length: n }, (_, i) => ({ ...keepReleases, tagPatternList: [`v${i}-*`] }));
    test.each<[string, LifecyclePolicy | undefined, LifecyclePolicyRule, RegExp[]]>([
      ['a second untagged rule next to the default one', undefined,
        { tagStatus: LifecycleTagStatus.UNTAGGED, countType: CountType.SINCE_IMAGE_PUSHED, countNumber: 3 },
        [/rules\[2\] \(rulePriority 2\): only one rule per storage class may select untagged images, and rules\[0\]/,
          /rules\[0\] to rules\[1\] are those of the default LifecyclePolicy\.recommended\(\) \(give lifecyclePolicy to start from other rules\); the rules from rules\[2\] on were added with addLifecycleRule\(\)/]],
      ['a second any rule next to the default one', undefined,
        { tagStatus: LifecycleTagStatus.ANY, countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 10 },
        [/an "any" rule must have the highest rulePriority/]],
      ['an any rule below a tagged rule', LifecyclePolicy.fromRules([{ ...keepReleases, rulePriority: 5 }]),
        { tagStatus: LifecycleTagStatus.ANY, rulePriority: 1, countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 10 },
        [/rules\[1\] \(rulePriority 1\): an "any" rule must have the highest rulePriority/, /rules\[0\] to rules\[0\] are those of lifecyclePolicy;/]],
      ['a priority used twice', LifecyclePolicy.fromRules([{ ...keepReleases, rulePriority: 5 }]),
        { ...keepReleases, tagPatternList: ['rc-*'], rulePriority: 5 },
        [/rulePriority 5 is also used by rules\[0\]/]],
      ['a 51st rule', LifecyclePolicy.fromRules(tagged(50)), keepReleases, [/has 51 rules; ECR allows at most 50/]],
      ['a rule that makes the text too long', undefined, { ...keepReleases, description: 'd'.repeat(30800) },
        [/Lifecycle policy text is \d+ characters; ECR accepts 100 to 30720/]],
      ['a rule ECR rejects on its own', undefined, { ...keepReleases, tagPatternList: undefined },
        [/a tagged rule needs a tagPatternList or a tagPrefixList/]],
    ])('%s', (_name, lifecyclePolicy, rule, messages) => {
      const stack = strictStack();
      const repo = new PrivateRepository(stack, 'Repo', { lifecyclePolicy });
      const before = repo.lifecyclePolicy.toJson();
      let error: Error | undefined;
      try {
        repo.addLifecycleRule(rule);
      } catch (e) { error = e as Error; }
      expect(error?.message).toMatch(/^PrivateRepository\.addLifecycleRule 'Stack\/Repo': \d+ problems?:\n {2}- lifecyclePolicy: /);
      for (const message of messages) expect(error?.message).toMatch(message);
      // the refused rule is not added
      expect(repo.lifecyclePolicy.toJson()).toBe(before);
      expect(lifecycleOf(stack, 'Repo').LifecyclePolicyText).toBe(before);
    });
  });

  test('a rule known only at synth (Lazy) is checked at synth with the others', () => {
    const stack = strictStack();
    const repo = new PrivateRepository(stack, 'Repo');
    repo.addLifecycleRule({ ...keepReleases, countNumber: Lazy.number({ produce: () => 0 }) });
    expect(() => synthesize(stack.node.root as App)).toThrow(/\[Stack\/Repo\] PrivateRepository\.addLifecycleRule 'Stack\/Repo': 2 problems:\n {2}- lifecyclePolicy: rules\[\d\] \(rulePriority \d, "Keep the last 10 releases"\): countNumber 0 is not an integer of at least 1/);
  });

  test('a Lazy description with quotes is written as JSON', () => {
    const stack = strictStack();
    const repo = new PrivateRepository(stack, 'Repo');
    repo.addLifecycleRule({ ...keepReleases, description: Lazy.string({ produce: () => 'keep "releases"' }) });
    expect(rulesOf(lifecycleOf(stack, 'Repo').LifecyclePolicyText)[1].description).toBe('keep "releases"');
  });

  test('an untyped caller passing no rule gets a clear error', () => {
    const repo = new PrivateRepository(strictStack(), 'Repo');
    expect(() => repo.addLifecycleRule(undefined as any)).toThrow(/PrivateRepository\.addLifecycleRule 'Stack\/Repo'.*\n.*rule/);
  });
});

describe('lifecycleRegistryId', () => {
  test('given the stack\'s account, then the lifecycle policy names its registry, also once rules are added', () => {
    const stack = strictStack();
    new PrivateRepository(stack, 'Repo', { lifecycleRegistryId: ENV.account });
    const extended = new PrivateRepository(stack, 'Extended', { lifecycleRegistryId: ENV.account });
    extended.addLifecycleRule(keepReleases);
    expect(lifecycleOf(stack, 'Repo')).toEqual({ LifecyclePolicyText: LifecyclePolicy.recommended().toJson(), RegistryId: ENV.account });
    expect(lifecycleOf(stack, 'Extended')).toEqual({ LifecyclePolicyText: extended.lifecyclePolicy.toJson(), RegistryId: ENV.account });
    expect(rulesOf(extended.lifecyclePolicy.toJson())).toHaveLength(3);
  });

  test.each([
    ['12345', /lifecycleRegistryId '12345' is not an AWS account ID: it must be exactly 12 digits/],
    ['11111111111a', /lifecycleRegistryId '11111111111a' is not an AWS account ID/],
  ])('%s is refused', (registryId, message) => {
    expect(() => new PrivateRepository(strictStack(), 'Repo', { lifecycleRegistryId: registryId })).toThrow(message);
  });

  test('a Lazy ID is checked at synth; an ID known only at deploy (a parameter) is not', () => {
    const stack = strictStack();
    new PrivateRepository(stack, 'Repo', { lifecycleRegistryId: Lazy.string({ produce: () => '123' }) });
    expect(() => synthesize(stack.node.root as App)).toThrow(/\[Stack\/Repo\] PrivateRepository 'Stack\/Repo': 1 problem:\n {2}- lifecycleRegistryId '123' is not an AWS account ID/);

    const other = strictStack();
    const parameter = new CfnParameter(other, 'Registry', { type: 'String' });
    new PrivateRepository(other, 'Repo', { lifecycleRegistryId: parameter.valueAsString });
    expect(lifecycleOf(other, 'Repo').RegistryId).toEqual({ Ref: 'Registry' });
  });

  test('another account\'s ID gets a warning: the repository is in the stack\'s registry', () => {
    const stack = strictStack();
    new PrivateRepository(stack, 'Repo', { lifecycleRegistryId: '222222222222' });
    Annotations.fromStack(stack).hasWarning('/Stack/Repo', Match.stringLikeRegexp("lifecycleRegistryId is '222222222222', but CloudFormation creates the repository in the registry of the stack's account '111111111111'"));
  });
});

describe('ImageEncryption.KMS_AWS_MANAGED', () => {
  test('a repository is encrypted with the AWS managed key: KMS without a key, no key created, reported by the pack as ECR.5 does', () => {
    // Security Hub ECR.5 asks for a customer managed key: the pack's CustomerManagedKey rule (a warning by default) reports the repository
    const reported = strictStack();
    new PrivateRepository(reported, 'Repo', { encryption: ImageEncryption.KMS_AWS_MANAGED });
    expect(() => synthesize(reported.node.root as App, { nag: true })).toThrow(/not encrypted with a customer managed KMS key[\s\S]*Stack\/Repo\/Resource[\s\S]*EcrCompliance-CustomerManagedKey/);

    // and it is the only finding of every pack: acknowledged, the repository is clean
    const stack = strictStack();
    const repo = new PrivateRepository(stack, 'Repo', { encryption: ImageEncryption.KMS_AWS_MANAGED });
    Validations.of(repo).acknowledge({ id: 'EcrCompliance-CustomerManagedKey', reason: 'the AWS managed key is accepted for these images' });
    expect(repo.encryptionKey).toBeUndefined();
    expect(repo.encryption.usesKms).toBe(true);
    const template = validTemplate(stack, { nag: true });
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.hasResourceProperties('AWS::ECR::Repository', { EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: Match.absent() } });
  });

  test('ImageEncryption.KMS_DSSE_AWS_MANAGED: in us-gov-west-1, KMS_DSSE without a key and no key created; in eu-west-1, refused naming the regions', () => {
    const stack = strictStack({ env: { account: '111111111111', region: 'us-gov-west-1' } });
    const repo = new PrivateRepository(stack, 'Repo', { encryption: ImageEncryption.KMS_DSSE_AWS_MANAGED });
    Validations.of(repo).acknowledge({ id: 'EcrCompliance-CustomerManagedKey', reason: 'the AWS managed key is accepted for these images' });
    expect(repo.encryptionKey).toBeUndefined();
    const template = validTemplate(stack, { nag: true });
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.hasResourceProperties('AWS::ECR::Repository', { EncryptionConfiguration: { EncryptionType: 'KMS_DSSE', KmsKey: Match.absent() } });
    expect(() => new PrivateRepository(strictStack(), 'Repo', { encryption: ImageEncryption.KMS_DSSE_AWS_MANAGED }))
      .toThrow(/PrivateRepository 'Stack\/Repo'.*\n.*only in the AWS GovCloud \(US\) Regions \(us-gov-west-1, us-gov-east-1\), not in 'eu-west-1'/);
  });

  test('a repository creation template takes ImageEncryption.KMS_DSSE_AWS_MANAGED in us-gov-east-1: KMS_DSSE without a key, no key created', () => {
    const stack = strictStack({ env: { account: '111111111111', region: 'us-gov-east-1' } });
    const template = new RepositoryCreationTemplate(stack, 'Template', {
      prefix: 'platform', appliedFor: [AppliedFor.REPLICATION], encryption: ImageEncryption.KMS_DSSE_AWS_MANAGED,
    });
    expect(template.encryptionKey).toBeUndefined();
    const t = validTemplate(stack);
    t.resourceCountIs('AWS::KMS::Key', 0);
    t.hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', { EncryptionConfiguration: { EncryptionType: 'KMS_DSSE', KmsKey: Match.absent() } });
  });

  test('a repository creation template is encrypted with the AWS managed key too, with no key created', () => {
    const stack = strictStack();
    const template = new RepositoryCreationTemplate(stack, 'Template', {
      prefix: 'platform', appliedFor: [AppliedFor.REPLICATION], encryption: ImageEncryption.KMS_AWS_MANAGED,
    });
    expect(template.encryptionKey).toBeUndefined();
    const t = validTemplate(stack);
    t.resourceCountIs('AWS::KMS::Key', 0);
    t.hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', { EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: Match.absent() } });
  });
});

describe('PrivateRepository.fromLookup', () => {
  const ARN = 'arn:aws:ecr:eu-west-1:111111111111:repository/team/app';
  /** The context key of the lookup, as aws-cdk-lib's Repository.fromLookup writes it. */
  const KEY = 'cc-api-provider:account=111111111111:exactIdentifier=team/app:propertiesToReturn.0=Arn:region=eu-west-1:typeName=AWS$:$:ECR$:$:Repository';
  const withContext = (value: unknown) => new Stack(strictApp({ context: { [KEY]: value } }), 'Stack', { env: ENV });

  test.each([
    ['name', { repositoryName: 'team/app' }],
    ['ARN', { repositoryArn: ARN }],
    ['name and ARN', { repositoryName: 'team/app', repositoryArn: ARN }],
  ])('given the looked-up value in the context, by %s, then the repository has the ARN found and no lookup is missing', (_by, options) => {
    const stack = withContext([{ Arn: ARN }]);
    const repo = PrivateRepository.fromLookup(stack, 'Existing', options);
    expect(repo.repositoryArn).toBe(ARN);
    expect(repo.repositoryName).toBe('team/app');
    repo.grantPull(new iam.Role(stack, 'Task', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') }));
    expect((stack.node.root as App).synth().manifest.missing).toBeUndefined();
  });

  test('it reads the same context entry as aws-cdk-lib\'s Repository.fromLookup', () => {
    const stack = withContext([{ Arn: ARN }]);
    const ours = PrivateRepository.fromLookup(stack, 'Ours', { repositoryName: 'team/app' });
    const theirs = ecr.Repository.fromLookup(stack, 'Theirs', { repositoryName: 'team/app' });
    expect(ours.repositoryArn).toBe(theirs.repositoryArn);
  });

  test('without the context value, the lookup is reported missing and the repository is the one of that name in the stack\'s account and region', () => {
    const stack = new Stack(strictApp(), 'Stack', { env: ENV });
    const repo = PrivateRepository.fromLookup(stack, 'Existing', { repositoryName: 'team/app' });
    repo.grantPull(new iam.Role(stack, 'Task', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') }));
    expect(repo.repositoryName).toBe('team/app');
    expect(stack.resolve(repo.repositoryArn)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:eu-west-1:111111111111:repository/team/app']] });
    const missing = (stack.node.root as App).synth().manifest.missing;
    expect(missing?.map((m) => [m.key, m.provider])).toEqual([[KEY, 'cc-api-provider']]);
  });

  test.each<[string, any, RegExp]>([
    ['neither name nor ARN', {}, /give repositoryName or repositoryArn/],
    ['a bad name', { repositoryName: 'Team/App' }, /repositoryName 'Team\/App' breaks ECR's naming rule/],
    ['a token name', { repositoryName: Lazy.string({ produce: () => 'team/app' }) }, /repositoryName is a token: the lookup runs before deployment/],
    ['an ARN that is not one', { repositoryArn: 'arn:aws:s3:::bucket' }, /is not an ECR repository ARN/],
    ['an ARN of another account', { repositoryArn: 'arn:aws:ecr:eu-west-1:222222222222:repository/team/app' },
      /is in 222222222222\/eu-west-1, but the lookup reads the stack's account and region \(111111111111\/eu-west-1\): use fromRepositoryArn/],
    ['an ARN of another repository', { repositoryName: 'team/app', repositoryArn: 'arn:aws:ecr:eu-west-1:111111111111:repository/team/other' },
      /does not name repository 'team\/app'/],
    ['an untyped name', { repositoryName: 42 }, /repositoryName/],
    ['no options (an untyped caller)', undefined, /give repositoryName or repositoryArn/],
  ])('%s is refused, naming the importer', (_name, options, message) => {
    const stack = new Stack(strictApp(), 'Stack', { env: ENV });
    expect(() => PrivateRepository.fromLookup(stack, 'Existing', options)).toThrow(/^PrivateRepository\.fromLookup 'Stack\/Existing'/);
    expect(() => PrivateRepository.fromLookup(stack, 'Existing2', options)).toThrow(message);
  });

  test('an environment-agnostic stack is refused: the lookup reads the stack\'s account and region', () => {
    const stack = new Stack(strictApp(), 'Agnostic');
    expect(() => PrivateRepository.fromLookup(stack, 'Existing', { repositoryName: 'team/app' }))
      .toThrow(/stack 'Agnostic' has no literal account and region, and the lookup reads the repository there/);
  });

  test.each([
    ['no repository', []],
    ['an ARN of another repository', [{ Arn: 'arn:aws:ecr:eu-west-1:111111111111:repository/team/other' }]],
  ])('a context value with %s is refused', (_name, value) => {
    const stack = withContext(value);
    expect(() => PrivateRepository.fromLookup(stack, 'Existing', { repositoryName: 'team/app' })).toThrow(/remove its entry from cdk\.context\.json/);
  });
});
