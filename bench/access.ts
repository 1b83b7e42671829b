/**
 * `ts-node --project test/tsconfig.json --transpile-only bench/access.ts [--assembly DIR]`:
 * times the access report (reading the cloud assembly, evaluating every policy, rendering
 * markdown, JSON and Mermaid) for
 * - the main job's assembly (`npm run platform` writes it to cdk.out; `--assembly` names
 *   another), when it exists;
 * - a 10,000-repository fleet from a generated catalog (organization pull on every
 *   repository, as bench/fleet.ts's realistic scenario), with a CI role of the app granted
 *   push on one namespace and a cross-account reader on all, synthesized once (not timed).
 * Reports the median of 3 report runs each, and whether each is under the 10 s target.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { median } from './worker-run';
import { AccessReport, CatalogFormat, RepositoryCatalog, RepositoryFleet } from '../src';

const args = process.argv.slice(2);
const assemblyArg = args.indexOf('--assembly');
const mainAssembly = path.resolve(assemblyArg >= 0 ? String(args[assemblyArg + 1]) : 'cdk.out');
const ENV = { account: '111111111111', region: 'eu-west-1' };
const TARGET_MS = 10_000;

function time(directory: string): { medianMs: number; repositories: number; grants: number; mermaidBytes: number } {
  const runs: number[] = [];
  let report: AccessReport | undefined;
  let mermaid = '';
  for (let i = 0; i < 3; i++) {
    const start = process.hrtime.bigint();
    report = AccessReport.fromCloudAssembly(directory);
    report.toMarkdown();
    report.toJson();
    mermaid = report.toMermaid();
    runs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { medianMs: median(runs), repositories: report!.repositoryCount, grants: report!.grants.length, mermaidBytes: mermaid.length };
}

function fleetAssembly(count: number): string {
  const lines = ['defaults:', '  lifecycle:', '    - { preset: expireUntagged, days: 7 }', '  access:', '    organization: o-a1b2c3d4e5', 'repositories:'];
  for (let i = 0; i < count; i++) lines.push(`  - name: team-${i % 50}/service-${i}`, `    owner: team-${i % 50}`);
  const catalog = RepositoryCatalog.fromText(lines.join('\n'), CatalogFormat.YAML, 'catalog.yaml');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-access-'));
  process.env.CDK_VALIDATION = 'false';
  const app = new App({ outdir });
  new RepositoryFleet(app, 'Fleet', { repositories: catalog.repositories, env: ENV });
  const ci = new Stack(app, 'Ci', { env: ENV });
  new iam.Role(ci, 'TeamZeroPush', { assumedBy: new iam.AccountRootPrincipal() }).addToPolicy(new iam.PolicyStatement({
    actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'],
    resources: [`arn:aws:ecr:${ENV.region}:${ENV.account}:repository/team-0/*`],
  }));
  app.synth();
  return outdir;
}

const results: Record<string, unknown> = {};
if (fs.existsSync(path.join(mainAssembly, 'manifest.json'))) {
  results.mainJob = { assembly: mainAssembly, ...time(mainAssembly) };
} else {
  results.mainJob = `no cloud assembly at ${mainAssembly} (run npm run platform first, or give --assembly DIR)`;
}
const started = process.hrtime.bigint();
const fleetDir = fleetAssembly(10_000);
const synthMs = Number(process.hrtime.bigint() - started) / 1e6;
try {
  results.fleet10k = { synthMsNotTimed: Math.round(synthMs), ...time(fleetDir) };
} finally {
  fs.rmSync(fleetDir, { recursive: true, force: true });
}
for (const [name, r] of Object.entries<any>(results)) {
  if (typeof r === 'string') {
    console.log(`${name}: ${r}`);
    continue;
  }
  console.log(`${name}: ${r.repositories} repositories, ${r.grants} grants, report ${r.medianMs.toFixed(0)} ms (median of 3; target < ${TARGET_MS} ms: ${r.medianMs < TARGET_MS ? 'met' : 'MISSED'}), mermaid ${r.mermaidBytes} bytes`);
}
