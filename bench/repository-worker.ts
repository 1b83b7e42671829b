/**
 * One benchmark run in its own process: synthesizes N repositories in one
 * variant and prints one JSON line with the measurements.
 *
 * usage: repository-worker.ts VARIANT COUNT OUTDIR [SCENARIO]
 *
 * SCENARIO `defaults` (the default): PrivateRepository with no settings.
 * `realistic`: an organization pull policy, a 3-rule lifecycle policy and one
 * tag exclusion filter per repository (variants `library`, `l1` and `wrapped`).
 *
 * VARIANT `library` (PrivateRepository), `l2` (aws-cdk-lib's Repository), `l1`
 * (CfnRepository with pre-rendered properties, directly in the stack) or
 * `wrapped` (the same CfnRepository inside a plain construct, as the library
 * nests it: the cost of the construct layer alone).
 *
 * BENCH_NO_CREATION_TRACES=1 sets aws-cdk-lib's
 * `aws:cdk:disable-creation-stack-traces` context in every variant.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { createLibraryKey } from '../src/internal/kms';
import { EcrComplianceChecks, LifecyclePolicy, LifecyclePresets, PrivateRepository, PrivateRepositoryProps, RepositoryAccess } from '../src';

const [variant, countText, outdir, scenarioArg] = process.argv.slice(2);
const count = Number(countText);
const scenario = scenarioArg ?? 'defaults';
if (scenario !== 'defaults' && scenario !== 'realistic') throw new Error(`unknown scenario ${scenario}`);
const realistic = scenario === 'realistic';

const nameOf = (i: number) => `team-${i % 50}/service-${i}`;
const lifecycle = realistic
  ? LifecyclePolicy.combine(LifecyclePresets.expireUntagged(7), LifecyclePresets.keepLastReleases(20, ['v*']), LifecyclePresets.capTotal(500))
  : LifecyclePolicy.recommended();
const lifecycleText = lifecycle.toJson();
/** The settings of one repository of the scenario, shared by every repository (as a platform's defaults are). */
const settings: PrivateRepositoryProps = realistic
  ? { lifecyclePolicy: lifecycle, access: [RepositoryAccess.pullFromOrganization('o-a1b2c3d4e5')], imageTagMutabilityExclusions: ['latest'] }
  : {};

/**
 * What the library renders for one repository of the scenario (policy text,
 * tag mutability), rendered once before the timing for the L1 baseline.
 */
function prerendered(): { policy?: any; mutability: string; filters?: any } {
  const probeApp = new App();
  const probeStack = new Stack(probeApp, 'Probe', { env: { account: '111111111111', region: 'eu-west-1' } });
  const cfn = new PrivateRepository(probeStack, 'Probe', { repositoryName: 'probe', ...settings }).cfnRepository;
  return {
    policy: probeStack.resolve(cfn.repositoryPolicyText),
    mutability: probeStack.resolve(cfn.imageTagMutability),
    filters: probeStack.resolve(cfn.imageTagMutabilityExclusionFilters),
  };
}

/** aws-cdk-lib's lifecycle rules that render the same policy as ours. */
function l2LifecycleRules(): ecr.LifecycleRule[] {
  return lifecycle.rules.map((r) => {
    const unit = r.countType === 'sinceImagePushed';
    if (!unit && r.countType !== 'imageCountMoreThan') throw new Error(`the L2 cannot express ${r.countType}`);
    return {
      rulePriority: r.rulePriority,
      description: r.description,
      tagStatus: r.tagStatus as string as ecr.TagStatus,
      tagPrefixList: r.tagPrefixList,
      tagPatternList: r.tagPatternList,
      maxImageAge: unit ? require('aws-cdk-lib').Duration.days(r.countNumber) : undefined,
      maxImageCount: unit ? undefined : r.countNumber,
    };
  });
}

/** The key the library's default creates once per stack (with its Control Tower key policy), made the same way for the baselines. */
function stackKey(stack: Stack): kms.Key {
  return createLibraryKey(stack, 'EcrRepositoryKey', {
    description: `Encrypts the images of the ECR repositories of stack ${stack.stackName} that do not choose their own key`,
  });
}

function build(stack: Stack): void {
  switch (variant) {
    case 'library':
      for (let i = 0; i < count; i++) new PrivateRepository(stack, `Repo${i}`, { repositoryName: nameOf(i), ...settings });
      return;
    case 'l2': {
      if (realistic) throw new Error('the realistic scenario compares the library with raw CfnRepository only');
      const rules = l2LifecycleRules();
      const key = stackKey(stack);
      for (let i = 0; i < count; i++) {
        new ecr.Repository(stack, `Repo${i}`, {
          repositoryName: nameOf(i),
          imageTagMutability: ecr.TagMutability.IMMUTABLE,
          imageScanOnPush: true,
          encryption: ecr.RepositoryEncryption.KMS,
          encryptionKey: key,
          removalPolicy: RemovalPolicy.RETAIN,
          lifecycleRules: rules,
        });
      }
      return;
    }
    case 'l1':
    case 'wrapped': {
      // `wrapped`: the same CfnRepository inside a plain construct, at the path the library's
      // uses (Repo<i>/Resource): what the construct layer alone costs at synth.
      const wrapped = variant === 'wrapped';
      const keyArn = stackKey(stack).keyArn;
      for (let i = 0; i < count; i++) {
        const r = new ecr.CfnRepository(wrapped ? new Construct(stack, `Repo${i}`) : stack, wrapped ? 'Resource' : `Repo${i}`, {
          repositoryName: nameOf(i),
          imageTagMutability: l1.mutability,
          imageTagMutabilityExclusionFilters: l1.filters,
          imageScanningConfiguration: { scanOnPush: true },
          encryptionConfiguration: { encryptionType: 'KMS', kmsKey: keyArn },
          lifecyclePolicy: { lifecyclePolicyText: lifecycleText },
          repositoryPolicyText: l1.policy,
        });
        r.applyRemovalPolicy(RemovalPolicy.RETAIN);
      }
      return;
    }
    default:
      throw new Error(`unknown variant ${variant}`);
  }
}

/** A digest of the resources, independent of logical IDs, paths and JSON key order inside the policy text. */
function equivalenceDigest(template: any): string {
  const bodies = Object.values<any>(template.Resources).map((r) => {
    const props = { ...r.Properties };
    if (props.LifecyclePolicy?.LifecyclePolicyText) {
      props.LifecyclePolicy = { LifecyclePolicyText: canonical(JSON.parse(props.LifecyclePolicy.LifecyclePolicyText)) };
    }
    return canonical({ Type: r.Type, Properties: props, DeletionPolicy: r.DeletionPolicy, UpdateReplacePolicy: r.UpdateReplacePolicy });
  }).sort();
  return crypto.createHash('sha256').update(bodies.join('\n')).digest('hex');
}

function canonical(v: any): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().filter((k) => v[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

const l1 = prerendered();
// BENCH_NO_CREATION_TRACES=1 turns off aws-cdk-lib's creation stack trace of every
// CloudFormation element in every variant alike (the default keeps them, as apps do).
const noCreationTraces = process.env.BENCH_NO_CREATION_TRACES === '1';
const app = new App({
  outdir,
  context: {
    '@aws-cdk/core:stackResourceLimit': 1_000_000,
    ...(noCreationTraces ? { 'aws:cdk:disable-creation-stack-traces': true } : {}),
  },
});
const stack = new Stack(app, 'Bench', { env: { account: '111111111111', region: 'eu-west-1' } });
// BENCH_PACK=1 runs the compliance pack during synthesis (bench/compliance.ts).
const withPack = process.env.BENCH_PACK === '1';
if (withPack) Validations.of(app).addPlugins(new EcrComplianceChecks(app));
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
build(stack);
const constructCpu = process.cpuUsage(cpuStart);
const constructCpuMs = (constructCpu.user + constructCpu.system) / 1000;
let assembly;
try {
  assembly = app.synth();
} catch (e) {
  // the pack reports findings as a failed validation; the assembly is written all the same
  if (!withPack) throw e;
  assembly = new (require('aws-cdk-lib/cx-api').CloudAssembly)(outdir);
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const cpu = process.cpuUsage(cpuStart);
const cpuMs = (cpu.user + cpu.system) / 1000;
const templateFile = path.join(assembly.directory, stack.templateFile);
const bytes = fs.statSync(templateFile).size;
const template = JSON.parse(fs.readFileSync(templateFile, 'utf8'));
const resources = Object.keys(template.Resources).length;
process.stdout.write(JSON.stringify({
  variant, scenario, count, ms, cpuMs, constructCpuMs, maxRssMb: process.resourceUsage().maxRSS / 1024, bytes, resources, digest: equivalenceDigest(template),
}) + '\n');
