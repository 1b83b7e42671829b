import { CfnParameter, Fn, Lazy, Stack, Token, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import {
  CountType,
  FindingSuppression,
  LifecyclePolicy,
  PrivateRepository,
  PublicRepository,
  PullThroughCacheRule,
  PullTimeUpdateExclusion,
  Registry,
  RegistryScanning,
  RegistrySigning,
  RepositoryCreationTemplate,
  RepositoryCreationTemplateAppliedFor,
  ImageEncryption,
  ReplicationDestination,
  ScanFrequency,
  LifecycleTagStatus,
  UpstreamRegistry,
} from '../../src';
import { acknowledgeControlTower, CT } from '../util/control-tower';
import { strictApp, strictStack, validTemplate } from '../util/harness';

const lazy = (value: string) => Lazy.string({ produce: () => value });
const lazyNumber = (value: number) => Lazy.number({ produce: () => value });

/** The lifecycle policy text a repository of this template renders, parsed. */
function lifecycleOf(template: Template): any {
  const repos = template.findResources('AWS::ECR::Repository');
  return JSON.parse(Object.values<any>(repos)[0].Properties.LifecyclePolicy.LifecyclePolicyText);
}

describe('values known at synth (Lazy) are checked with the call-site rules', () => {
  test.each<[string, (stack: Stack) => void, RegExp]>([
    ['repository name', (s) => new PrivateRepository(s, 'Repo', { repositoryName: lazy('Team/API') }),
      /PrivateRepository 'Stack\/Repo': 1 problem:\n {2}- repositoryName 'Team\/API' breaks ECR's naming rule/],
    ['tag mutability exclusion', (s) => new PrivateRepository(s, 'Repo', { imageTagMutabilityExclusions: [lazy('has space')] }),
      /PrivateRepository 'Stack\/Repo'.*\n {2}- imageTagMutabilityExclusions filter 'has space' must be/],
    ['lifecycle countNumber', (s) => new PrivateRepository(s, 'Repo', {
      lifecyclePolicy: LifecyclePolicy.fromRules([{ tagStatus: LifecycleTagStatus.ANY, countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: lazyNumber(0), description: 'x'.repeat(80) }]),
    }), /lifecyclePolicy: rules\[0\] \(rulePriority 1, "x+"\): countNumber 0 is not an integer of at least 1/],
    ['lifecycle tag prefix', (s) => new PrivateRepository(s, 'Repo', {
      lifecyclePolicy: LifecyclePolicy.fromRules([{ tagStatus: LifecycleTagStatus.TAGGED, tagPrefixList: [lazy('v*')], countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 5 }]),
    }), /tag prefix "v\*" contains \*/],
    ['lifecycle text length', (s) => new PrivateRepository(s, 'Repo', {
      lifecyclePolicy: LifecyclePolicy.fromRules([{ tagStatus: LifecycleTagStatus.ANY, countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 5, description: lazy('x'.repeat(31000)) }]),
    }), /Lifecycle policy text is \d+ characters; ECR accepts 100 to 30720/],
    ['creation template prefix', (s) => new RepositoryCreationTemplate(s, 'Template', {
      prefix: lazy('Bad Prefix'), appliedFor: [RepositoryCreationTemplateAppliedFor.REPLICATION], encryption: ImageEncryption.AES256,
    }), /RepositoryCreationTemplate 'Stack\/Template'.*\n {2}- prefix 'Bad Prefix' is neither 'ROOT' nor a repository namespace/],
    ['creation template description', (s) => new RepositoryCreationTemplate(s, 'Template', {
      prefix: 'team', appliedFor: [RepositoryCreationTemplateAppliedFor.REPLICATION], encryption: ImageEncryption.AES256, description: lazy('d'.repeat(300)),
    }), /description has 300 characters: ECR takes at most 256/],
    ['pull-through cache prefix', (s) => new PullThroughCacheRule(s, 'Rule', { ecrRepositoryPrefix: lazy('x'), upstream: UpstreamRegistry.ecrPublic() }),
      /PullThroughCacheRule 'Stack\/Rule'.*\n {2}- ecrRepositoryPrefix 'x' has 1 characters/],
    ['public repository about text', (s) => new PublicRepository(new Stack(s.node.root as any, 'Public', { env: { account: '111111111111', region: 'us-east-1' } }), 'Repo', {
      catalogData: { aboutText: lazy('a'.repeat(10241)) },
    }), /catalogData.aboutText has 10241 characters/],
    ['replication filter', (s) => Registry.of(s).addReplicationRule({ destinations: [ReplicationDestination.of('111111111111', 'eu-central-1')], repositoryFilters: [lazy('UPPER')] }),
      /repository filter 'UPPER' is not a repository name prefix/],
    ['scanning filter', (s) => RegistryScanning.of(s).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: [lazy('UPPER')] }),
      /RegistryScanning 'Stack\/EcrRegistry\/Scanning': 1 problem:\n {2}- repository filter 'UPPER' is not a scanning filter/],
    ['signing filter', (s) => RegistrySigning.of(s).addRule({
      signingProfileArn: 'arn:aws:signer:eu-west-1:111111111111:/signing-profiles/platform', repositoryFilters: [lazy('UPPER')],
    }), /RegistrySigning 'Stack\/EcrRegistry\/Signing': 1 problem:\n {2}- repository filter 'UPPER' is not a signing filter/],
    ['finding suppression reason', (s) => new FindingSuppression(s, 'Suppress', { reason: lazy('r'.repeat(600)), vulnerabilityIds: ['CVE-2023-12345'] }),
      /FindingSuppression 'Stack\/Suppress'/],
    ['pull-time update exclusion', (s) => new PullTimeUpdateExclusion(s, 'Exclusion', { principalArn: lazy('not-an-arn') }),
      /PullTimeUpdateExclusion 'Stack\/Exclusion'.*\n {2}- .*not-an-arn/],
  ])('given a Lazy %s that breaks a rule, then synth fails naming the construct and the resolved value', (_what, build, message) => {
    const stack = strictStack();
    build(stack);
    expect(() => validTemplate(stack)).toThrow(message);
  });

  test('given a Lazy prefix with a bracket, then synth refuses the prefix instead of failing on a cdk-nag acknowledgement', () => {
    const stack = strictStack();
    new RepositoryCreationTemplate(stack, 'Template', { prefix: lazy('team('), appliedFor: [RepositoryCreationTemplateAppliedFor.REPLICATION] });
    expect(() => validTemplate(stack)).toThrow(/RepositoryCreationTemplate 'Stack\/Template'.*\n {2}- prefix 'team\(' is neither 'ROOT' nor a repository namespace/);
  });

  test('given a Lazy prefix equal to another rule\'s prefix, then synth names the clash', () => {
    const stack = strictStack();
    new PullThroughCacheRule(stack, 'First', { ecrRepositoryPrefix: 'quay', upstream: UpstreamRegistry.quay() });
    new PullThroughCacheRule(stack, 'Second', { ecrRepositoryPrefix: lazy('quay'), upstream: UpstreamRegistry.quay() });
    expect(() => validTemplate(stack)).toThrow(/PullThroughCacheRule 'Stack\/Second'.*\n {2}- AWS::ECR::PullThroughCacheRule prefix 'quay' is already declared by 'Stack\/First'/);
  });

  test('given a Lazy description with a quote, a backslash and a NUL, then the lifecycle policy text is JSON holding exactly that description', () => {
    const stack = strictStack();
    const description = 'say "hi" \\ \u0000 done';
    new PrivateRepository(stack, 'Repo', {
      lifecyclePolicy: LifecyclePolicy.fromRules([
        {
          tagStatus: LifecycleTagStatus.ANY, countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: lazyNumber(30), description: lazy(description),
        },
      ]),
    });
    const policy = lifecycleOf(validTemplate(stack, { nag: true }));
    expect(policy.rules[0].description).toBe(description);
    expect(policy.rules[0].selection.countNumber).toBe(30);
  });

  test('given a Lazy.list of tag prefixes and of exclusion filters, then they are rendered as the resolved lists', () => {
    const stack = strictStack();
    const repo = new PrivateRepository(stack, 'Repo', {
      imageTagMutabilityExclusions: Lazy.list({ produce: () => ['latest', 'dev-*'] }),
      lifecyclePolicy: LifecyclePolicy.fromRules([
        { tagStatus: LifecycleTagStatus.TAGGED, tagPrefixList: Lazy.list({ produce: () => ['v', 'release'] }), countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 10 },
        { tagStatus: LifecycleTagStatus.ANY, countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 100, description: 'Keep at most 100 images' },
      ]),
    });
    acknowledgeControlTower(repo, [CT.ECR_TAG_IMMUTABILITY], 'exclusions chosen on purpose');
    Validations.of(repo).acknowledge({ id: 'EcrCompliance-ControlTowerImmutableTags', reason: 'exclusions chosen on purpose' });
    const template = validTemplate(stack, { nag: true });
    expect(lifecycleOf(template).rules[0].selection.tagPrefixList).toEqual(['v', 'release']);
    template.hasResourceProperties('AWS::ECR::Repository', {
      ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      ImageTagMutabilityExclusionFilters: [
        { ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'latest' },
        { ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'dev-*' },
      ],
    });
  });

  test.each<[string, (stack: Stack, list: string[]) => void, RegExp]>([
    ['tagPatternList', (s, list) => new PrivateRepository(s, 'Repo', {
      lifecyclePolicy: LifecyclePolicy.fromRules([
        { tagStatus: LifecycleTagStatus.TAGGED, tagPatternList: list, countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: 10, description: 'releases kept, older ones expire' },
      ]),
    }), /tagPatternList is a CDK list token known only at deploy time/],
    ['imageTagMutabilityExclusions', (s, list) => new PrivateRepository(s, 'Repo', { imageTagMutabilityExclusions: list }),
      /imageTagMutabilityExclusions is a CDK list token known only at deploy time/],
  ])('given %s from Fn.split of an import, then synth refuses it clearly', (_what, build, message) => {
    const stack = strictStack();
    build(stack, Fn.split(',', Fn.importValue('TagList')));
    expect(() => validTemplate(stack)).toThrow(message);
  });

  test('given values known only at deploy (import, parameter), then they stay unchecked and the template is valid', () => {
    const stack = strictStack();
    const count = new CfnParameter(stack, 'Count', { type: 'Number', default: 10 });
    const repo = new PrivateRepository(stack, 'Repo', {
      repositoryName: Fn.importValue('RepoName'),
      lifecyclePolicy: LifecyclePolicy.fromRules([
        { tagStatus: LifecycleTagStatus.ANY, countType: CountType.IMAGE_COUNT_MORE_THAN, countNumber: count.valueAsNumber, description: Fn.importValue('Description') },
      ]),
    });
    // the guard rule reads the template as written: policy text joined from deploy-time values is not a string there
    acknowledgeControlTower(repo, [CT.ECR_LIFECYCLE], 'lifecycle policy text built from deploy-time values');
    const template = validTemplate(stack);
    const text = Object.values<any>(template.findResources('AWS::ECR::Repository'))[0].Properties.LifecyclePolicy.LifecyclePolicyText;
    expect(JSON.stringify(text)).toContain('{"Ref":"Count"}');
    expect(JSON.stringify(text)).toContain('{"Fn::ImportValue":"Description"}');
    expect(Token.isUnresolved(text)).toBe(false);
  });
});

describe('KMS_DSSE exists only in the AWS GovCloud (US) Regions', () => {
  test.each<[string, (stack: Stack) => void]>([
    ['PrivateRepository', (s) => new PrivateRepository(s, 'Repo', { encryption: ImageEncryption.kmsDsse() })],
    ['RepositoryCreationTemplate', (s) => new RepositoryCreationTemplate(s, 'Repo', {
      prefix: 'team', appliedFor: [RepositoryCreationTemplateAppliedFor.REPLICATION], encryption: ImageEncryption.kmsDsse(),
    })],
  ])('given %s with kmsDsse() in eu-west-1, then it is refused; in us-gov-east-1 it is valid; without a region it warns', (kind, build) => {
    expect(() => build(strictStack())).toThrow(new RegExp(`${kind} 'Stack/Repo': 1 problem:\\n {2}- encryption is ImageEncryption.kmsDsse\\(\\), but ECR offers dual-layer KMS encryption only in the AWS GovCloud \\(US\\) Regions \\(us-gov-west-1, us-gov-east-1\\), not in 'eu-west-1'`));

    const gov = strictStack({ env: { account: '111111111111', region: 'us-gov-east-1' } });
    build(gov);
    validTemplate(gov).hasResourceProperties(kind === 'PrivateRepository' ? 'AWS::ECR::Repository' : 'AWS::ECR::RepositoryCreationTemplate', {
      EncryptionConfiguration: { EncryptionType: 'KMS_DSSE' },
    });

    const agnostic = new Stack(strictApp(), 'Agnostic');
    build(agnostic);
    Annotations.fromStack(agnostic).hasWarning('/Agnostic/Repo', Match.stringLikeRegexp('kmsDsse\\(\\) is available only in the AWS GovCloud \\(US\\) Regions'));
  });
});

describe('pull-through cache rules from another ECR registry with a token prefix', () => {
  test.each<[string, (stack: Stack) => string]>([
    ['parameter', (s) => new CfnParameter(s, 'Prefix').valueAsString],
    ['import', () => Fn.importValue('Prefix')],
    ['Lazy', () => lazy('mirror')],
  ])('given a %s prefix, then synth succeeds with every cdk-nag finding acknowledged', (_kind, prefix) => {
    const stack = strictStack();
    new PullThroughCacheRule(stack, 'Rule', { ecrRepositoryPrefix: prefix(stack), upstream: UpstreamRegistry.ecr('222222222222', 'eu-west-1') });
    validTemplate(stack, { nag: true }).resourceCountIs('AWS::ECR::PullThroughCacheRule', 1);
  });
});
