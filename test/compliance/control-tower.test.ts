import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { buildPlatformApp } from '../../examples/platform/app';
import {
  EcrComplianceChecks, ImageTagMutability, LifecyclePolicy, PrivateRepository, RegistryScanning, ImageEncryption, ScanFrequency,
} from '../../src';
import { CONTROL_TOWER_PLUGIN, controlTowerChecks } from '../util/control-tower';
import { readFindings, strictApp } from '../util/harness';

/**
 * Differential test: this library's compliance pack and AWS Control Tower's
 * own guard rules (from @cdklabs/cdk-validator-cfnguard) run over the same
 * templates, and every rule of the pack that names a Control Tower control
 * must give the verdict the control gives, resource by resource. Rules that
 * follow Security Hub, which is laxer, must never flag what Control Tower
 * accepts.
 */

/** The pack's rule that follows each Control Tower rule, exactly. */
const FOLLOWS: Record<string, string> = {
  ecr_private_lifecycle_policy_configured_check: 'EcrCompliance-LifecyclePolicy[Missing]', // CT.ECR.PR.1
  ecr_private_image_scanning_enabled_check: 'EcrCompliance-ControlTowerScanOnPush', // CT.ECR.PR.2
  ecr_private_tag_immutability_enabled_check: 'EcrCompliance-ControlTowerImmutableTags', // CT.ECR.PR.3
};

/** The pack's Security Hub rules, each laxer than a Control Tower rule: they may only flag what it flags. */
const LAXER: Record<string, string> = {
  'EcrCompliance-RepositoryScanning': 'ecr_private_image_scanning_enabled_check', // ECR.1 vs CT.ECR.PR.2
  'EcrCompliance-TagImmutability': 'ecr_private_tag_immutability_enabled_check', // ECR.2 vs CT.ECR.PR.3
};

const ENV = (i: number) => ({ account: String(100000000000 + i), region: 'eu-west-1' });
const VALID_LIFECYCLE = LifecyclePolicy.recommended().toJson();

type Build = (stack: Stack) => void;

/** The corpus: one repository per stack (one account each), built every way users build them. */
function corpus(): Array<[string, Build]> {
  const cases: Array<[string, Build]> = [];
  // this library's PrivateRepository, with varied props
  for (const mutability of [undefined, ImageTagMutability.IMMUTABLE, ImageTagMutability.MUTABLE]) {
    for (const exclusions of [undefined, ['latest'], ['dev-*', 'latest']]) {
      for (const scanOnPush of [undefined, true, false]) {
        for (const encryption of [undefined, ImageEncryption.AES256]) {
          for (const registryRule of [false, true]) {
            const name = `Lib-${mutability ?? 'default'}-${exclusions?.length ?? 0}-${scanOnPush ?? 'default'}-${encryption ? 'aes' : 'kms'}-${registryRule ? 'rule' : 'norule'}`;
            cases.push([name, (stack) => {
              new PrivateRepository(stack, 'Repo', {
                repositoryName: 'team/app', imageTagMutability: mutability, imageTagMutabilityExclusions: exclusions, imageScanOnPush: scanOnPush, encryption,
              });
              if (registryRule) RegistryScanning.of(stack).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['team/*'] });
            }]);
          }
        }
      }
    }
  }
  cases.push(['Lib-continuous', (stack) => new PrivateRepository(stack, 'Repo', { repositoryName: 'team/app', imageScanOnPush: false }).addToRegistryScanning(ScanFrequency.CONTINUOUS_SCAN)]);
  cases.push(['Lib-custom-lifecycle', (stack) => {
    new PrivateRepository(stack, 'Repo', { lifecyclePolicy: LifecyclePolicy.fromJson(VALID_LIFECYCLE) });
  }]);

  // aws-cdk-lib's Repository
  const l2Mutabilities = [
    undefined, ecr.TagMutability.IMMUTABLE, ecr.TagMutability.MUTABLE,
    ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION, ecr.TagMutability.MUTABLE_WITH_EXCLUSION,
  ];
  for (const mutability of l2Mutabilities) {
    for (const scanOnPush of [undefined, true, false]) {
      for (const lifecycle of [false, true]) {
        cases.push([`L2-${mutability ?? 'default'}-${scanOnPush ?? 'default'}-${lifecycle}`, (stack) => {
          new ecr.Repository(stack, 'Repo', {
            imageTagMutability: mutability,
            imageTagMutabilityExclusionFilters: mutability?.endsWith('_WITH_EXCLUSION') ? [ecr.ImageTagMutabilityExclusionFilter.wildcard('latest')] : undefined,
            imageScanOnPush: scanOnPush,
            lifecycleRules: lifecycle ? [{ maxImageCount: 10 }] : undefined,
          });
        }]);
      }
    }
  }

  // raw CfnRepository, including the shapes only hand-written templates have
  const lifecycles: Array<[string, ecr.CfnRepository.LifecyclePolicyProperty | undefined]> = [
    ['none', undefined],
    ['valid', { lifecyclePolicyText: VALID_LIFECYCLE }],
    ['blank', { lifecyclePolicyText: '   ' }],
    ['registryOnly', { registryId: '111111111111' }],
    ['invalid', { lifecyclePolicyText: '{"rules":[]}' }],
  ];
  const scans: Array<[string, ecr.CfnRepository.ImageScanningConfigurationProperty | undefined]> = [
    ['none', undefined], ['empty', {}], ['on', { scanOnPush: true }], ['off', { scanOnPush: false }],
  ];
  for (const mutability of [undefined, 'MUTABLE', 'IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION', 'MUTABLE_WITH_EXCLUSION']) {
    for (const [scanName, scan] of scans) {
      for (const [lifecycleName, lifecycle] of lifecycles) {
        cases.push([`L1-${mutability ?? 'none'}-${scanName}-${lifecycleName}`, (stack) => {
          new ecr.CfnRepository(stack, 'Repo', {
            imageTagMutability: mutability,
            imageTagMutabilityExclusionFilters: mutability?.endsWith('_WITH_EXCLUSION') ? [{ imageTagMutabilityExclusionFilterType: 'WILDCARD', imageTagMutabilityExclusionFilterValue: 'latest' }] : undefined,
            imageScanningConfiguration: scan,
            lifecyclePolicy: lifecycle,
          });
        }]);
      }
    }
  }
  return cases;
}

interface Verdicts {
  /** Control Tower rule name to the failing repository paths. */
  readonly controlTower: Map<string, Set<string>>;
  /** Pack rule ID to the flagged repository paths. */
  readonly pack: Map<string, Set<string>>;
  /** Every repository path of the app. */
  readonly repositories: Set<string>;
}

/** Runs the pack and Control Tower's ECR rules over the app and collects verdicts per repository. */
function verdicts(app: App): Verdicts {
  Validations.of(app).addPlugins(new EcrComplianceChecks(app), controlTowerChecks());
  try {
    app.synth();
  } catch (e) {
    // both plugins report errors, and synthesis fails on them: the report is written first
    if (!/Validation failed|cdk-validator-cfnguard|EcrCompliance/.test(String((e as Error).message))) throw e;
  }
  const key = (p: string) => p.replace(/\/Resource$/, '');
  const controlTower = new Map<string, Set<string>>();
  const pack = new Map<string, Set<string>>();
  for (const f of readFindings(app.outdir)) {
    const target = f.plugin === CONTROL_TOWER_PLUGIN ? controlTower : f.plugin === 'EcrCompliance' ? pack : undefined;
    if (!target) continue;
    if (!target.has(f.rule)) target.set(f.rule, new Set());
    target.get(f.rule)!.add(key(f.path));
  }
  const repositories = new Set<string>();
  for (const stack of app.node.children) {
    if (!(stack instanceof Stack)) continue;
    for (const c of stack.node.findAll()) {
      if (c instanceof ecr.CfnRepository) repositories.add(key(c.node.path));
    }
  }
  return { controlTower, pack, repositories };
}

function disagreements(v: Verdicts): string[] {
  const out: string[] = [];
  for (const repo of v.repositories) {
    for (const [ctRule, packRule] of Object.entries(FOLLOWS)) {
      const ct = v.controlTower.get(ctRule)?.has(repo) ?? false;
      const ours = v.pack.get(packRule)?.has(repo) ?? false;
      if (ct !== ours) out.push(`${repo}: Control Tower ${ctRule} ${ct ? 'fails' : 'passes'}, ${packRule} ${ours ? 'fails' : 'passes'}`);
    }
    for (const [packRule, ctRule] of Object.entries(LAXER)) {
      const ours = v.pack.get(packRule)?.has(repo) ?? false;
      const ct = v.controlTower.get(ctRule)?.has(repo) ?? false;
      if (ours && !ct) out.push(`${repo}: ${packRule} fails where Control Tower ${ctRule}, which is stricter, passes`);
    }
  }
  return out;
}

describe('the compliance pack agrees with AWS Control Tower', () => {
  const cases = corpus();

  test(`over ${cases.length} repositories of this library, aws-cdk-lib's Repository and raw CfnRepository`, () => {
    const app = strictApp();
    cases.forEach(([id, build], i) => build(new Stack(app, id.replace(/[^A-Za-z0-9-]/g, '-'), { env: ENV(i) })));
    const v = verdicts(app);
    expect(v.repositories.size).toBe(cases.length);
    // the corpus exercises both verdicts of every rule compared
    for (const rule of Object.keys(FOLLOWS)) {
      const failing = v.controlTower.get(rule)?.size ?? 0;
      expect(failing).toBeGreaterThan(0);
      expect(failing).toBeLessThan(cases.length);
    }
    expect(disagreements(v)).toEqual([]);
  });

  test('over the example platform app', () => {
    const app = buildPlatformApp({ outdir: path.join(os.tmpdir(), `platform-ct-${process.pid}`) });
    const v = verdicts(app);
    expect(v.repositories.size).toBeGreaterThan(3);
    expect(disagreements(v)).toEqual([]);
    // and the example passes both
    expect([...v.controlTower.keys()]).toEqual([]);
  });

  test('controlTowerRules: false leaves only the Security Hub verdicts', () => {
    const app = strictApp();
    const stack = new Stack(app, 'S', { env: ENV(0) });
    new PrivateRepository(stack, 'Repo', { repositoryName: 'team/app', imageTagMutabilityExclusions: ['latest'], imageScanOnPush: false });
    RegistryScanning.of(stack).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['*'] });
    Validations.of(app).addPlugins(new EcrComplianceChecks(app, { controlTowerRules: false }));
    expect(() => app.synth()).not.toThrow();
    expect(readFindings(app.outdir).filter((f) => f.plugin === 'EcrCompliance')).toEqual([]);
  });
});
