/*
 * Benchmark: offline lifecycle preview vs. sorting the same images by push time.
 *
 *   npx ts-node --project test/tsconfig.json --transpile-only bench/lifecycle.ts [--json]
 *
 * For 100,000 and 1,000,000 synthetic images (deterministic PRNG; semver releases, git-sha
 * and branch builds, untagged images, pulled, archived and restored images, ISO-8601
 * timestamps as AWS CLI v2 prints them) and a realistic 20-rule policy, it reports the
 * median of RUNS runs of previewLifecyclePolicy (timestamp parsing included) and, in the
 * same process, of copying the images and sorting them with Array.prototype.sort on a
 * numeric push time (parsed beforehand). Targets: preview <= 3x sort at 1M, growth
 * 100k -> 1M <= 12x.
 */
import * as os from 'os';
import { CountType, LifecycleAction, LifecyclePolicy, LifecyclePresets, LifecyclePolicyRule, StorageClass, LifecycleTagStatus } from '../src/lifecycle';
import { DescribedImage, previewLifecyclePolicy } from '../src/lifecycle/preview';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SIZES = (process.env.BENCH_SIZES ?? '100000,1000000').split(',').map(Number);
const NOW = Date.UTC(2026, 10, 1);
const DAY = 86_400_000;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function iso(ms: number): string {
  // AWS CLI v2 style: microseconds and a numeric offset.
  return new Date(ms).toISOString().replace('Z', '000+00:00');
}

function hex(random: () => number, length: number): string {
  let text = '';
  while (text.length < length) text += Math.floor(random() * 0x100000000).toString(16).padStart(8, '0');
  return text.slice(0, length);
}

/**
 * Images as the preview receives them from `aws ecr describe-images`: parsed from JSON, so
 * every string is flat (generated strings would be rope strings, slower to read).
 */
function generateImages(count: number, seed: number): DescribedImage[] {
  const random = mulberry32(seed);
  const images: DescribedImage[] = [];
  const chunk = 100_000;
  for (let start = 0; start < count; start += chunk) {
    const generated = generateChunk(Math.min(chunk, count - start), random);
    images.push(...(JSON.parse(JSON.stringify({ imageDetails: generated })).imageDetails as DescribedImage[]));
  }
  return images;
}

let major = 1; let minor = 0; let patch = 0;

function generateChunk(count: number, random: () => number): DescribedImage[] {
  const images: DescribedImage[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const pushed = NOW - Math.floor(random() * 3 * 365 * DAY);
    const sha = hex(random, 7);
    const kind = random();
    let tags: string[] | undefined;
    if (kind < 0.30) {
      patch++;
      if (random() < 0.1) { minor++; patch = 0; }
      if (random() < 0.01) { major++; minor = 0; }
      const version = `v${major}.${minor}.${patch}`;
      tags = random() < 0.2 ? [`${version}-rc${1 + Math.floor(random() * 3)}`] : [version, `git-${sha}`];
      if (random() < 0.05) tags.push(random() < 0.5 ? `${version}-arm64` : `${version}-amd64`);
    } else if (kind < 0.55) {
      const branch = random();
      tags = [branch < 0.4 ? `main-${sha}` : branch < 0.7 ? `pr-${1 + Math.floor(random() * 5000)}-${sha}` : branch < 0.9 ? `feature-${hex(random, 4)}-${sha}` : `git-${sha}`];
    } else if (kind < 0.62) {
      tags = [random() < 0.5 ? `nightly-${iso(pushed).slice(0, 10)}` : `tmp-${sha}`];
    } else if (kind < 0.63) {
      tags = [['prod', 'stable', 'latest', 'hotfix-' + sha][Math.floor(random() * 4)]];
    }
    const image: Record<string, unknown> = { imageDigest: `sha256:${hex(random, 64)}`, imagePushedAt: iso(pushed) };
    if (tags !== undefined) image.imageTags = tags;
    const status = random();
    if (status < 0.05) {
      image.imageStatus = 'ARCHIVED';
      image.lastArchivedAt = iso(pushed + Math.floor(random() * (NOW - pushed)));
    } else {
      image.imageStatus = 'ACTIVE';
      if (status < 0.07) image.lastActivatedAt = iso(pushed + Math.floor(random() * (NOW - pushed)));
      if (random() < 0.4) image.lastRecordedPullTime = iso(pushed + Math.floor(random() * (NOW - pushed)));
    }
    images[i] = image as unknown as DescribedImage;
  }
  return images;
}

function realisticPolicy(): LifecyclePolicy {
  const tagged = (description: string, patterns: string[], countType: CountType, countNumber: number, extra: Partial<LifecyclePolicyRule> = {}): LifecyclePolicyRule =>
    ({ description, tagStatus: LifecycleTagStatus.TAGGED, tagPatternList: patterns, countType, countNumber, ...extra });
  const policy = LifecyclePolicy.combine(
    LifecyclePresets.protectTags(['prod', 'stable', 'latest', 'hotfix-*']),
    LifecyclePolicy.fromRules([
      tagged('Keep 50 releases', ['v*.*.*'], CountType.IMAGE_COUNT_MORE_THAN, 50),
      tagged('Keep 20 release candidates', ['v*.*.*-rc*'], CountType.IMAGE_COUNT_MORE_THAN, 20),
      tagged('Keep 10 main builds', ['main-*'], CountType.IMAGE_COUNT_MORE_THAN, 10),
      tagged('Expire PR builds after 14 days', ['pr-*'], CountType.SINCE_IMAGE_PUSHED, 14),
      tagged('Expire feature builds after 30 days', ['feature-*-*'], CountType.SINCE_IMAGE_PUSHED, 30),
      tagged('Keep 5 nightlies', ['nightly-*'], CountType.IMAGE_COUNT_MORE_THAN, 5),
      tagged('Expire git builds after 90 days', ['git-*'], CountType.SINCE_IMAGE_PUSHED, 90),
      { description: 'Expire tmp builds after 7 days', tagStatus: LifecycleTagStatus.TAGGED, tagPrefixList: ['tmp'], countType: CountType.SINCE_IMAGE_PUSHED, countNumber: 7 },
      tagged('Keep 100 arm64 builds', ['*-arm64'], CountType.IMAGE_COUNT_MORE_THAN, 100),
      tagged('Keep 100 amd64 builds', ['*-amd64'], CountType.IMAGE_COUNT_MORE_THAN, 100),
      tagged('Keep 30 hotfix candidates', ['*hotfix*'], CountType.IMAGE_COUNT_MORE_THAN, 30),
      tagged('Archive tagged images not pulled for 60 days', ['*'], CountType.SINCE_IMAGE_PULLED, 60, { action: LifecycleAction.TRANSITION }),
      tagged('Delete archived releases after 365 days', ['v*'], CountType.SINCE_IMAGE_TRANSITIONED, 365, { storageClass: StorageClass.ARCHIVE }),
    ]),
    LifecyclePresets.expireUntagged(14),
    LifecyclePresets.capTotal(5000),
    LifecyclePolicy.fromRules([{ description: 'Delete archived images after 180 days', tagStatus: LifecycleTagStatus.ANY, storageClass: StorageClass.ARCHIVE, countType: CountType.SINCE_IMAGE_TRANSITIONED, countNumber: 180 }]),
  );
  const problems = policy.validate();
  if (problems.length > 0 || policy.rules.length !== 20) throw new Error(`bench policy invalid: ${problems.join('; ')} (${policy.rules.length} rules)`);
  return policy;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeMs(fn: () => unknown): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

interface SizeResult {
  images: number;
  previewMs: number;
  sortMs: number;
  ratio: number;
  /** Fastest runs, for reference (less sensitive to other processes on the machine). */
  previewMinMs: number;
  sortMinMs: number;
  previewRunsMs: number[];
  sortRunsMs: number[];
  acted: number;
  maxRssMb: number;
  heapUsedMb: number;
}

function run(): void {
  const json = process.argv.includes('--json');
  const policy = realisticPolicy();
  const results: SizeResult[] = [];
  for (const size of SIZES) {
    major = 1; minor = 0; patch = 0;
    const images = generateImages(size, 42);
    const records = images.map((image) => ({ image, pushedAt: Date.parse(image.imagePushedAt as string) }));
    const previewRuns: number[] = [];
    const sortRuns: number[] = [];
    let acted = 0;
    // Warm up both once, then alternate so that GC and JIT state affect both alike.
    previewLifecyclePolicy(policy, images, NOW);
    records.slice().sort((a, b) => a.pushedAt - b.pushedAt);
    for (let r = 0; r < RUNS; r++) {
      sortRuns.push(timeMs(() => records.slice().sort((a, b) => a.pushedAt - b.pushedAt)));
      previewRuns.push(timeMs(() => { acted = previewLifecyclePolicy(policy, images, NOW).previewResults.length; }));
    }
    const previewMs = median(previewRuns);
    const sortMs = median(sortRuns);
    results.push({
      images: size,
      previewMs: round(previewMs),
      sortMs: round(sortMs),
      ratio: round(previewMs / sortMs),
      previewMinMs: round(Math.min(...previewRuns)),
      sortMinMs: round(Math.min(...sortRuns)),
      previewRunsMs: previewRuns.map(round),
      sortRunsMs: sortRuns.map(round),
      acted,
      maxRssMb: round(process.resourceUsage().maxRSS / 1024),
      heapUsedMb: round(process.memoryUsage().heapUsed / 1024 / 1024),
    });
  }
  const growth = results.length >= 2 ? round(results[results.length - 1].previewMs / results[0].previewMs) : undefined;
  const sortGrowth = results.length >= 2 ? round(results[results.length - 1].sortMs / results[0].sortMs) : undefined;
  const last = results[results.length - 1];
  const report = {
    benchmark: 'lifecycle-preview',
    node: process.version,
    rules: policy.rules.length,
    runs: RUNS,
    sizes: results,
    growth,
    sortGrowth,
    loadAverage: os.loadavg().map(round),
    targets: { ratioAtLargest: 3, growth: 12 },
    pass: last.ratio <= 3 && (growth === undefined || growth <= 12),
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  console.log(`lifecycle preview benchmark (node ${process.version}, ${policy.rules.length} rules, median of ${RUNS} runs)`);
  for (const r of results) {
    console.log(`${String(r.images).padStart(9)} images: preview ${r.previewMs.toFixed(1)} ms (min ${r.previewMinMs.toFixed(1)}), `
      + `sort ${r.sortMs.toFixed(1)} ms (min ${r.sortMinMs.toFixed(1)}), ratio ${r.ratio.toFixed(2)}x, `
      + `${r.acted} acted on, max RSS ${r.maxRssMb.toFixed(0)} MB, heap ${r.heapUsedMb.toFixed(0)} MB`);
  }
  if (growth !== undefined) {
    console.log(`growth ${SIZES[0]} -> ${SIZES[SIZES.length - 1]}: preview ${growth.toFixed(2)}x (target <= 12x), sort ${sortGrowth!.toFixed(2)}x`);
  }
  console.log(`load average ${report.loadAverage.join(' ')} (other processes distort the figures)`);
  console.log(`ratio at ${last.images}: ${last.ratio.toFixed(2)}x (target <= 3x) -> ${report.pass ? 'PASS' : 'FAIL'}`);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

run();
