import { App, Annotations, Stack, Validations } from 'aws-cdk-lib';
import { Annotations as AssertAnnotations, Match } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { acknowledgePluginRule, acknowledgeRule } from '../../src/internal/acknowledge';

const REASON = 'restricted to the organization';

function acknowledgedEntries(scope: Construct) {
  return scope.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .map((m) => ({ type: m.type, data: m.data }));
}

describe('acknowledgeRule', () => {
  test.each(['AwsSolutions-ECR1', 'EcrCompliance-ImageEncryption', 'Some Rule'])(
    'given rule %s, when acknowledged, then the construct holds the metadata entry Validations.acknowledge writes',
    (id) => {
      const stack = new Stack(new App(), 'Stack');
      const ours = new Construct(stack, 'Ours');
      const theirs = new Construct(stack, 'Theirs');
      acknowledgeRule(ours, id, REASON);
      Validations.of(theirs).acknowledge({ id, reason: REASON });
      expect(acknowledgedEntries(ours)).toEqual(acknowledgedEntries(theirs));
      expect(acknowledgedEntries(ours)).toHaveLength(1);
    },
  );

  test('given an annotation warning with the rule ID, when acknowledged, then the warning is gone, as with Validations.acknowledge', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Stack');
    const ours = new Construct(stack, 'Ours');
    const theirs = new Construct(stack, 'Theirs');
    for (const scope of [ours, theirs]) Annotations.of(scope).addWarningV2('AwsSolutions-ECR1', `open access on ${scope.node.id}`);
    acknowledgeRule(ours, 'AwsSolutions-ECR1', REASON);
    Validations.of(theirs).acknowledge({ id: 'AwsSolutions-ECR1', reason: REASON });
    AssertAnnotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('open access'));
  });

  test('given a prefixed rule ID, when acknowledged, then it throws (only plain rule IDs are taken)', () => {
    const stack = new Stack(new App(), 'Stack');
    expect(() => acknowledgeRule(stack, 'AwsSolutions::ECR1', REASON)).toThrow(/without a plugin prefix/);
  });
});

describe('acknowledgePluginRule', () => {
  test.each(['cdk-validator-cfnguard::ecr_private_tag_immutability_enabled_check', 'cdk-validator-cfnguard::ecr_private_lifecycle_policy_configured_check'])(
    'given %s, when acknowledged, then the construct holds the metadata entry Validations.acknowledge writes',
    (id) => {
      const stack = new Stack(new App(), 'Stack');
      const ours = new Construct(stack, 'Ours');
      const theirs = new Construct(stack, 'Theirs');
      acknowledgePluginRule(ours, id, REASON);
      Validations.of(theirs).acknowledge({ id, reason: REASON });
      expect(acknowledgedEntries(ours)).toEqual(acknowledgedEntries(theirs));
      expect(acknowledgedEntries(ours)).toHaveLength(1);
    },
  );

  test.each(['ecr_private_tag_immutability_enabled_check', 'a b::c', 'x::y::z'])('given %s, which is no PLUGIN::RULE, then it throws', (id) => {
    expect(() => acknowledgePluginRule(new Stack(new App(), 'Stack'), id, REASON)).toThrow(/takes PLUGIN::RULE/);
  });
});
