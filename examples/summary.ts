import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AccessReport } from '../src';

/*
 * What the example apps print after a synthesis: every warning and error the
 * constructs raised (wherever they are attached, the app root included, so
 * nothing `cdk synth` would show is missing here) and the unacknowledged
 * findings of the validation plugins. Shared by examples/platform/main.ts
 * and examples/pipeline/main.ts.
 */

/** Prints a step and, when it ends, how long it took: synthesis runs for a minute or more. */
export function step<T>(what: string, run: () => T): T {
  const started = process.hrtime.bigint();
  console.log(`${what}...`);
  try {
    return run();
  } finally {
    console.log(`  ${what}: ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`);
  }
}

/**
 * Synthesizes the app as a step, printing the error instead of throwing it,
 * so that the summary still shows what was written.
 *
 * @returns whether the synthesis failed
 */
export function synthesizeStep(app: App, what: string): boolean {
  return step(`Synthesizing with ${what}`, () => {
    try {
      app.synth();
      return false;
    } catch (e) {
      console.error((e as Error).message);
      return true;
    }
  });
}

/** One annotation of a construct: an error, a warning or an info. */
export interface AnnotationLine {
  readonly level: 'error' | 'warning' | 'info';
  readonly path: string;
  readonly message: string;
}

const LEVELS: Record<string, AnnotationLine['level']> = {
  'aws:cdk:error': 'error',
  'aws:cdk:warning': 'warning',
  'aws:cdk:info': 'info',
};

/** Every annotation of the app's constructs, in construct path order, each once. */
export function annotations(app: App): AnnotationLine[] {
  const seen = new Set<string>();
  const lines: AnnotationLine[] = [];
  const visit = (c: IConstruct) => {
    for (const entry of c.node.metadata) {
      const level = LEVELS[entry.type];
      if (level === undefined) continue;
      const line = { level, path: c.node.path || '(app)', message: String(entry.data) };
      const key = `${line.level}\u0000${line.path}\u0000${line.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      lines.push(line);
    }
    for (const child of c.node.children) visit(child);
  };
  visit(app);
  return lines.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Prints the errors and warnings of the app (infos are counted). */
export function printAnnotations(app: App): { errors: number; warnings: number } {
  const lines = annotations(app);
  const errors = lines.filter((l) => l.level === 'error');
  const warnings = lines.filter((l) => l.level === 'warning');
  const infos = lines.length - errors.length - warnings.length;
  console.log(`Construct errors and warnings (${errors.length} errors, ${warnings.length} warnings, ${infos} infos not shown):`);
  if (errors.length + warnings.length === 0) console.log('  none');
  for (const l of [...errors, ...warnings]) console.log(`  ${l.level} at ${l.path}: ${l.message}`);
  return { errors: errors.length, warnings: warnings.length };
}

/** The unacknowledged findings of every validation plugin, counted by plugin, severity and rule. */
export function printFindings(outdir: string, plugins: string[]): number {
  const reportFile = path.join(outdir, 'validation-report.json');
  const report = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf8')) : { pluginReports: [] };
  const counts = new Map<string, number>();
  for (const pr of report.pluginReports ?? []) {
    for (const v of pr.violations ?? []) {
      const key = `${pr.pluginName} ${v.severity} ${v.ruleName}`;
      counts.set(key, (counts.get(key) ?? 0) + (v.violatingConstructs?.length ?? 1));
    }
  }
  console.log(`Compliance findings (unacknowledged) from ${plugins.join(', ')}:`);
  if (counts.size === 0) console.log('  none');
  for (const [key, n] of [...counts.entries()].sort()) console.log(`  ${key}: ${n}`);
  return counts.size;
}

/** Prints a short access summary of the synthesized app: who can pull, push and administer its repositories. */
export function printAccessSummary(outdir: string): void {
  step('Reading who can access the repositories', () => process.stdout.write(AccessReport.fromCloudAssembly(outdir).summary()));
}
