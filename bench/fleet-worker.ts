/**
 * One fleet benchmark run in its own process: synthesizes N repositories of a
 * scenario, through RepositoryFleet or as raw CfnRepository across the same
 * number of stacks, and prints one JSON line with the measurements.
 *
 * usage: fleet-worker.ts VARIANT(fleet|l1|l1-untraced) SCENARIO(defaults|realistic) COUNT OUTDIR
 *
 * `l1` is raw CfnRepository as a hand-written loop makes it: aws-cdk-lib
 * records a creation stack trace for each resource. `l1-untraced` is the
 * same with the shard stacks recording none, as the fleet's shard stacks do
 * by default (`creationStackTraces`): the fleet's own cost, without that
 * saving.
 *
 * aws-cdk-lib's built-in CloudFormation validation runs as it does for a
 * user: unless `CDK_VALIDATION=false` is in the environment. `validated` in
 * the output says whether it ran (it writes its report into the assembly).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import { DISABLE_CREATION_STACK_TRACES, VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { FleetRepositoryProps, LifecyclePolicy, LifecyclePresets, PrivateRepository, RepositoryAccess, RepositoryFleet } from '../src';
import { fleetItem } from '../src/fleet/fleet';
import { createLibraryKey } from '../src/internal/kms';
import { placeRepositories } from '../src/fleet/placement';

const [variant, scenario, countText, outdir] = process.argv.slice(2);
const count = Number(countText);
const ENV = { account: '111111111111', region: 'eu-west-1' };
const realistic = scenario === 'realistic';

const nameOf = (i: number) => `team-${i % 50}/service-${i}`;
const lifecycle = realistic
  ? LifecyclePolicy.combine(LifecyclePresets.expireUntagged(7), LifecyclePresets.keepLastReleases(20, ['v*']), LifecyclePresets.capTotal(500))
  : LifecyclePolicy.recommended();
const access = [RepositoryAccess.pullFromOrganization('o-a1b2c3d4e5')];

function repositories(): FleetRepositoryProps[] {
  return Array.from({ length: count }, (_, i) => (realistic
    ? { repositoryName: nameOf(i), lifecyclePolicy: lifecycle, access, imageTagMutabilityExclusions: ['latest'] }
    : { repositoryName: nameOf(i) }));
}

/** What the library renders for one repository of the scenario, rendered once outside the timing for the L1 baseline. */
function prerendered(): { policy?: any; lifecycleText: string; mutability: string; filters?: any } {
  const app = new App();
  const stack = new Stack(app, 'Probe', { env: ENV });
  const repo = new PrivateRepository(stack, 'Probe', { repositoryName: 'probe', ...(realistic ? { lifecyclePolicy: lifecycle, access, imageTagMutabilityExclusions: ['latest'] } : {}) });
  const cfn = repo.cfnRepository;
  return {
    policy: stack.resolve(cfn.repositoryPolicyText),
    lifecycleText: stack.resolve((cfn.lifecyclePolicy as ecr.CfnRepository.LifecyclePolicyProperty).lifecyclePolicyText),
    mutability: stack.resolve(cfn.imageTagMutability),
    filters: stack.resolve(cfn.imageTagMutabilityExclusionFilters),
  };
}

/** The key the library creates once per stack (with its Control Tower key policy), made the same way for the baseline. */
function stackKey(stack: Stack): kms.Key {
  return createLibraryKey(stack, 'EcrRepositoryKey', {
    description: `Encrypts the images of the ECR repositories of stack ${stack.stackName} that do not choose their own key`,
  });
}

const app = new App({ outdir });
const props = repositories();
const l1 = variant === 'fleet' ? undefined : prerendered();
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
let stacks: Stack[];
if (variant === 'fleet') {
  stacks = new RepositoryFleet(app, 'Fleet', { repositories: props, env: ENV }).stacks;
} else if (variant === 'l1' || variant === 'l1-untraced') {
  // the same shards the fleet uses, filled with pre-rendered CfnRepository resources
  const placed = placeRepositories(new Map(), props.map(fleetItem), { resources: 400, bytes: 800_000 });
  const shardStacks = new Map<number, { stack: Stack; keyArn: string }>();
  stacks = [];
  for (const s of placed.shards) {
    const stack = new Stack(app, `Shard${s.shard}`, { env: ENV, description: `ECR repositories of fleet Fleet, shard ${s.shard}` });
    if (variant === 'l1-untraced') stack.node.setContext(DISABLE_CREATION_STACK_TRACES, true);
    shardStacks.set(s.shard, { stack, keyArn: stackKey(stack).keyArn });
    stacks.push(stack);
  }
  for (const r of props) {
    const shard = shardStacks.get(placed.placement.get(r.repositoryName)!)!;
    const repo = new ecr.CfnRepository(shard.stack, r.repositoryName.replace(/\//g, '--'), {
      repositoryName: r.repositoryName,
      imageTagMutability: l1!.mutability,
      imageTagMutabilityExclusionFilters: l1!.filters,
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'KMS', kmsKey: shard.keyArn },
      lifecyclePolicy: { lifecyclePolicyText: l1!.lifecycleText },
      repositoryPolicyText: l1!.policy,
    });
    repo.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }
} else {
  throw new Error(`unknown variant ${variant}`);
}
const constructCpu = process.cpuUsage(cpuStart);
const constructCpuMs = (constructCpu.user + constructCpu.system) / 1000;
const assembly = app.synth();
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const cpu = process.cpuUsage(cpuStart);
const cpuMs = (cpu.user + cpu.system) / 1000;

let bytes = 0;
let resources = 0;
let maxStackResources = 0;
let maxStackBytes = 0;
const bodies: string[] = [];
for (const stack of stacks) {
  const text = fs.readFileSync(path.join(assembly.directory, stack.templateFile), 'utf8');
  const template = JSON.parse(text);
  const n = Object.keys(template.Resources).length;
  bytes += text.length;
  resources += n;
  maxStackResources = Math.max(maxStackResources, n);
  maxStackBytes = Math.max(maxStackBytes, text.length);
  for (const r of Object.values<any>(template.Resources)) {
    const p = { ...r.Properties };
    if (p.LifecyclePolicy?.LifecyclePolicyText) p.LifecyclePolicy = { LifecyclePolicyText: canonical(JSON.parse(p.LifecyclePolicy.LifecyclePolicyText)) };
    if (p.Description) delete p.Description; // the key's description names its stack
    if (p.KmsKey) delete p.KmsKey;
    bodies.push(canonical({ Type: r.Type, Properties: p, DeletionPolicy: r.DeletionPolicy }));
  }
}
function canonical(v: any): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().filter((k) => v[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}
const validated = fs.existsSync(path.join(assembly.directory, VALIDATION_REPORT_FILE));
const digest = crypto.createHash('sha256').update(bodies.sort().join('\n')).digest('hex');
process.stdout.write(JSON.stringify({
  variant, scenario, count, ms, cpuMs, constructCpuMs, maxRssMb: process.resourceUsage().maxRSS / 1024, bytes, resources, stacks: stacks.length, maxStackResources, maxStackBytes, validated, digest,
}) + '\n');
