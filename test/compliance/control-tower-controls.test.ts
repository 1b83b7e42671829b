import { controlTowerGuardRuleId, controlTowerVerdict, failedControlTowerControls } from '../../src/compliance/control-tower-controls';
import { CONTROL_TOWER_PLUGIN, CT } from '../util/control-tower';

/*
 * AWS Control Tower's controls on repositories, read from CloudFormation
 * properties as AWS's cfn-guard rules read them (the pack's rules, the
 * catalog's acknowledgements and the adoption plan use this one reading).
 */

const COMPLIANT = { ImageTagMutability: 'IMMUTABLE', ImageScanningConfiguration: { ScanOnPush: true }, LifecyclePolicy: { LifecyclePolicyText: '{"rules":[]}' } };

describe('Control Tower controls on repositories', () => {
  test.each<[string, Record<string, unknown>, string[]]>([
    ['compliant properties', COMPLIANT, []],
    ['nothing (ECR\'s defaults: MUTABLE, no scan on push, no lifecycle policy)', {}, ['CT.ECR.PR.1', 'CT.ECR.PR.2', 'CT.ECR.PR.3']],
    ['IMMUTABLE_WITH_EXCLUSION', { ...COMPLIANT, ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION' }, ['CT.ECR.PR.3']],
    ['scan on push false', { ...COMPLIANT, ImageScanningConfiguration: { ScanOnPush: false } }, ['CT.ECR.PR.2']],
    ['a blank lifecycle policy text', { ...COMPLIANT, LifecyclePolicy: { LifecyclePolicyText: '  ' } }, ['CT.ECR.PR.1']],
    ['values known only at deploy', { ImageTagMutability: { Ref: 'M' }, ImageScanningConfiguration: { ScanOnPush: { Ref: 'S' } }, LifecyclePolicy: { LifecyclePolicyText: { 'Fn::Join': ['', []] } } }, []],
  ])('given %s, then the failed controls are %j', (_what, properties, failed) => {
    expect(failedControlTowerControls(properties)).toEqual(failed);
  });

  test('a value known only at deploy is unknown, neither compliant nor not', () => {
    expect(controlTowerVerdict('CT.ECR.PR.3', { ImageTagMutability: { Ref: 'M' } })).toBe('unknown');
  });

  test('each control\'s acknowledgement ID is the one the cfn-guard plugin reports for its rule', () => {
    expect(['CT.ECR.PR.1', 'CT.ECR.PR.2', 'CT.ECR.PR.3'].map((c) => controlTowerGuardRuleId(c as any)))
      .toEqual([CT.ECR_LIFECYCLE, CT.ECR_SCAN_ON_PUSH, CT.ECR_TAG_IMMUTABILITY].map((r) => `${CONTROL_TOWER_PLUGIN}::${r}`));
  });
});
