/**
 * Snapshot comparison of the integration tests (`test/integ.*.ts`), without
 * deploying: each integ app is synthesized and its stack templates are
 * compared with the committed `test/<file>.snapshot/` folder. Set
 * UPDATE_INTEG_SNAPSHOTS=1 to write them after a deliberate change.
 *
 * (integ-runner on npm today reads cloud assembly schema 53 while aws-cdk-lib
 * 2.276 writes 55, so the comparison runs here; the integ apps stay
 * deployable with integ-runner and credentials once it reads 55.)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const integFiles = fs.readdirSync(__dirname).filter((f) => /^integ\..*\.ts$/.test(f));

describe.each(integFiles)('%s', (file) => {
  test('templates match the committed snapshot and pass CloudFormation validation', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-'));
    const before = { out: process.env.CDK_OUTDIR, ctx: process.env.CDK_CONTEXT_JSON };
    process.env.CDK_OUTDIR = outdir;
    process.env.CDK_CONTEXT_JSON = JSON.stringify({ '@aws-cdk/core:validateAgainstDefaultRules': true });
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      jest.isolateModules(() => require(path.join(__dirname, file)));
    } finally {
      process.env.CDK_OUTDIR = before.out;
      if (before.ctx === undefined) delete process.env.CDK_CONTEXT_JSON; else process.env.CDK_CONTEXT_JSON = before.ctx;
      if (before.out === undefined) delete process.env.CDK_OUTDIR;
    }
    const report = path.join(outdir, 'validation-report.json');
    const findings = fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, 'utf8')).pluginReports.flatMap((r: any) => r.violations) : [];
    expect(findings).toEqual([]);

    const snapshotDir = path.join(__dirname, `${file}.snapshot`);
    const templates = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json')).sort();
    expect(templates.length).toBeGreaterThan(0);
    if (process.env.UPDATE_INTEG_SNAPSHOTS === '1') {
      fs.rmSync(snapshotDir, { recursive: true, force: true });
      fs.mkdirSync(snapshotDir, { recursive: true });
      for (const t of templates) fs.copyFileSync(path.join(outdir, t), path.join(snapshotDir, t));
    }
    expect(fs.readdirSync(snapshotDir).filter((f) => f.endsWith('.template.json')).sort()).toEqual(templates);
    for (const t of templates) {
      const actual = normalize(JSON.parse(fs.readFileSync(path.join(outdir, t), 'utf8')));
      const expected = normalize(JSON.parse(fs.readFileSync(path.join(snapshotDir, t), 'utf8')));
      expect({ [t]: actual }).toEqual({ [t]: expected });
    }
  });
});

/** Drops what changes on every synthesis (assertion salts) or with aws-cdk-lib's own bundles (asset hashes). */
function normalize(v: any, key?: string): any {
  if (key === 'salt') return '<salt>';
  if (typeof v === 'string' && /^[0-9a-f]{64}\.(zip|json)$/.test(v)) return '<asset>';
  if (Array.isArray(v)) return v.map((x) => normalize(x));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x, k)]));
  return v;
}
