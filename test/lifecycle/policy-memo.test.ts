import { Lazy } from 'aws-cdk-lib';
import { LifecyclePolicy, LifecyclePresets } from '../../src/lifecycle';
import * as render from '../../src/lifecycle/render';
import * as validate from '../../src/lifecycle/validate';

describe('LifecyclePolicy renders and validates itself once', () => {
  afterEach(() => jest.restoreAllMocks());

  test('given a policy, when its text is asked for many times, then it is rendered once and the text is the same', () => {
    const policy = LifecyclePolicy.combine(LifecyclePresets.expireUntagged(7), LifecyclePresets.keepLastReleases(20, ['v*']), LifecyclePresets.capTotal(500));
    const renderSpy = jest.spyOn(render, 'renderLifecyclePolicy');
    const first = policy.toJson();
    for (let i = 0; i < 100; i++) expect(policy.toJson()).toBe(first);
    expect(renderSpy).toHaveBeenCalledTimes(1);
  });

  test('given a policy, when it is validated many times, then it is validated once and each caller gets its own list', () => {
    const policy = LifecyclePolicy.fromRules([
      { rulePriority: 1, tagStatus: 'untagged' as any, countType: 'imageCountMoreThan' as any, countNumber: 0 },
    ]);
    const validateSpy = jest.spyOn(validate, 'validateLifecyclePolicy');
    const first = policy.validate();
    expect(first.length).toBeGreaterThan(0);
    first.push('changed by the caller');
    for (let i = 0; i < 100; i++) expect(policy.validate()).toEqual(first.slice(0, -1));
    expect(validateSpy).toHaveBeenCalledTimes(1);
  });

  test('given a policy with a token, when its text is asked for, then it stays a token rendered at synth', () => {
    const policy = LifecyclePolicy.fromRules([
      { tagStatus: 'untagged' as any, countType: 'sinceImagePushed' as any, countNumber: 7, description: Lazy.string({ produce: () => 'late' }) },
    ]);
    expect(policy.toJson()).toMatch(/\$\{Token\[/);
  });
});
