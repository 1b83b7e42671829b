/*
 * The adoption plan on the command line: `adopt plan --assembly cdk.out --live export.json`
 * for any app, and `catalog plan --live export.json`, which synthesizes the catalog's fleet
 * in memory first. Both print what the first deploy changes (see src/adopt/plan.ts), and can
 * write the `cdk import` resource mapping of every stack.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UsageError } from './args';
import {
  catalogModules, catalogName, CliIo, count, EXIT_INVALID, EXIT_OK, InputError, InputProblemsError, loadCatalog, messageOf, Options, outputFormat,
  positiveInteger, printJson, progressOf, read, readPlacement, reportCatalogProblems, required,
} from './common';
import type { RegistryExportFile } from '../adopt/export-model';
import type { AdoptionPlanResult, ImportedResources, PlannedTemplate } from '../adopt/plan';
import type { FleetRegistrySettings, FleetRepositoryProps } from '../fleet/model';

/** The adoption modules, loaded only by the commands that plan. */
function adoptModules() {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    ...(require('../adopt/plan') as typeof import('../adopt/plan')),
    ...(require('../adopt/plan-text') as typeof import('../adopt/plan-text')),
    ...(require('../adopt/templates') as typeof import('../adopt/templates')),
    ...(require('../adopt/export-source') as typeof import('../adopt/export-source')),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** The export named by --live. */
function readLive(io: CliIo, options: Options): { file: string; live: RegistryExportFile } {
  const file = required(options, '--live');
  const text = read(io, file, 'registry export');
  try {
    return { file, live: adoptModules().exportFromText(text, file === '-' ? 'stdin' : file) };
  } catch (error) {
    // A readable file the export reader refuses: its problems, exit 1 as for `catalog import`.
    throw new InputProblemsError(messageOf(error));
  }
}

/** The resource mappings of an earlier import (--imported DIR): one `<stack>.json` per stack, as --write-import-mappings writes them. */
function readImported(io: CliIo, options: Options, stacks: readonly string[]): ImportedResources | undefined {
  const dir = options.values.get('--imported');
  if (dir === undefined) return undefined;
  const out = new Map<string, Record<string, Record<string, string>>>();
  for (const stack of stacks) {
    const file = path.join(dir, `${stack}.json`);
    if (io.exists && !io.exists(file)) continue;
    try {
      out.set(stack, JSON.parse(read(io, file, 'resource mapping')));
    } catch (error) {
      throw new InputError(`${file}: ${messageOf(error)}`);
    }
  }
  return out;
}

/** `adopt plan --assembly DIR --live FILE`. */
export function adoptPlanCommand(io: CliIo, options: Options): number {
  const format = outputFormat(options);
  const directory = required(options, '--assembly');
  if (directory === '-') throw new UsageError('--assembly must name a cloud assembly folder (cdk.out), not standard input');
  const { file, live } = readLive(io, options);
  let templates: PlannedTemplate[];
  try {
    templates = adoptModules().assemblyTemplates(directory, (f) => io.readFile(f));
  } catch (error) {
    throw new InputError(messageOf(error));
  }
  return printPlan(io, options, format, templates, { assembly: directory }, directory, file, live);
}

/**
 * `catalog plan --catalog F --placement P --live FILE`: the catalog's fleet, placed as
 * the placement file says, synthesized in memory for the export's account and region, as
 * a child of the app with the construct ID `--fleet-id` (which names its stacks).
 */
export function catalogLivePlanCommand(io: CliIo, options: Options, file: string): number {
  const progress = progressOf(io);
  const format = outputFormat(options);
  const placementFile = required(options, '--placement');
  if (placementFile === '-') throw new UsageError('--placement must name a file, not standard input');
  for (const other of ['--write', '--previous', '--details']) {
    if (options.flags.has(other) || options.values.has(other)) throw new UsageError(`${other} and --live: plan the placement first (catalog plan ${other}), then the adoption`);
  }
  const { file: liveFile, live } = readLive(io, options);
  progress(`reading catalog ${catalogName(file)}`);
  const catalog = loadCatalog(io, file, options);
  if (catalog.problems.length > 0) return reportCatalogProblems(io, file, catalog.problems, format);
  const m = catalogModules();
  const placement = readPlacement(io, m, placementFile, true);
  progress(`synthesizing the fleet of ${count(catalog.repositories.length)} repositories`);
  const budget = {
    maxResourcesPerStack: positiveInteger(options, '--max-resources', m.DEFAULT_RESOURCES_PER_STACK),
    maxTemplateBytesPerStack: positiveInteger(options, '--max-bytes', m.DEFAULT_TEMPLATE_BYTES_PER_STACK),
  };
  const fleetId = options.values.get('--fleet-id') ?? 'Fleet';
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(fleetId)) throw new UsageError(`--fleet-id ${JSON.stringify(fleetId)} must be a construct ID of letters, digits and -`);
  const templates = synthesizeFleet(catalog.repositories, catalog.registry, m.renderPlacementState(placement), live, budget, fleetId);
  progress('comparing with the export');
  return printPlan(io, options, format, templates, { catalog: catalogName(file), placement: placementFile }, catalogName(file), liveFile, live);
}

/** The fleet's templates, as `cdk synth` writes them for the export's account and region. */
function synthesizeFleet(
  repositories: FleetRepositoryProps[], registry: FleetRegistrySettings | undefined, placementText: string, live: RegistryExportFile,
  budget: { maxResourcesPerStack: number; maxTemplateBytesPerStack: number }, fleetId: string,
): PlannedTemplate[] {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const { RepositoryFleet } = require('../fleet/fleet') as typeof import('../fleet/fleet');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ecr-platform-plan-'));
  try {
    // The fleet reads its placement file itself: a copy in a scratch folder, so that the user's is never written.
    const placementFile = path.join(work, 'fleet-placement.json');
    fs.writeFileSync(placementFile, placementText);
    // The plan compares templates: CloudFormation's validation runs in `cdk synth`, and would be most of the time here;
    // the construct tree (tree.json) is for the console and tools, never read by the plan.
    const app = new App({ outdir: path.join(work, 'cdk.out'), builtinCloudFormationValidation: false, treeMetadata: false });
    new RepositoryFleet(app, fleetId, { repositories, registry, env: { account: live.account, region: live.region }, placementFile, ...budget });
    return app.synth().stacks.map((s) => ({ stack: s.stackName, selector: s.hierarchicalId, template: s.template }));
  } catch (error) {
    throw new InputError(`the catalog's fleet cannot be synthesized: ${messageOf(error)}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function printPlan(
  io: CliIo, options: Options, format: 'text' | 'json', templates: PlannedTemplate[], source: Record<string, string>,
  title: string, liveFile: string, live: RegistryExportFile,
): number {
  const a = adoptModules();
  const plan = a.planAdoption(templates, live, readImported(io, options, templates.map((t) => t.stack)));
  const written = writeMappings(io, options, templates, live);
  const updated = written === null ? [] : importedWithUpdates(plan, written);
  if (format === 'json') {
    printJson(io, {
      ...source,
      live: liveFile === '-' ? 'stdin' : liveFile,
      ...plan,
      importMappings: written && written.map((w) => ({ stack: w.stack, file: w.file, resources: w.resources, command: w.command })),
      ...(written === null ? {} : { importedWithUpdates: updated.map((r) => ({ type: r.type, id: r.id, stack: r.stack, logicalId: r.logicalId })) }),
    });
  } else {
    io.stdout(a.renderPlanText(plan, title));
    if (plan.problems.length > 0) io.stdout(`\nProblems:\n${plan.problems.map((p) => `- ${p}\n`).join('')}`);
    if (written !== null) io.stdout(`\nwrote ${written.length} resource mapping${written.length === 1 ? '' : 's'}: ${written.map((w) => w.file).join(', ')}\n`);
    if (written !== null && written.length > 0) io.stdout(`import with:\n${written.map((w) => `  ${w.command}\n`).join('')}`);
    if (written !== null) io.stdout(notImportableNote(templates));
    if (updated.length > 0) io.stdout(importUpdatesNote(updated));
  }
  return plan.problems.length > 0 ? EXIT_INVALID : EXIT_OK;
}

/** What the resource mappings leave out because CloudFormation cannot import it (custom resources), as a line; empty when nothing. */
function notImportableNote(templates: PlannedTemplate[]): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { REGISTRY_RESOURCES } = require('../adopt/mapping') as typeof import('../adopt/mapping');
  const types = REGISTRY_RESOURCES.filter((m) => m.notImportable).map((m) => m.type);
  const found = templates.flatMap((t) => Object.values<any>((t.template as any)?.Resources ?? {})).filter((r) => types.includes(r?.Type)).length;
  if (found === 0) return '';
  return `not in the mappings: ${found} account setting${found === 1 ? '' : 's'} (${types.join(', ')}: custom resources, which CloudFormation cannot import); `
    + `the first deploy creates ${found === 1 ? 'it' : 'them'} and sets the value${found === 1 ? '' : 's'} the catalog gives\n`;
}

interface WrittenMapping {
  readonly stack: string;
  readonly file: string;
  readonly resources: number;
  /** The command that imports with it (the CDK CLI selects a stack by its construct path, not its name). */
  readonly command: string;
  /** The logical IDs the mapping holds (not printed). */
  readonly logicalIds?: ReadonlySet<string>;
}

/**
 * The mapped resources the plan updates in place. `cdk import` does not make those updates: CloudFormation
 * imports a resource as it runs and records the template's values as given (drift detection then shows the
 * difference), and a later deploy changes only what differs from that template, so the updates never happen.
 */
function importedWithUpdates(plan: AdoptionPlanResult, written: WrittenMapping[]): AdoptionPlanResult['repositories'] {
  const mapped = new Map(written.map((w) => [w.stack, w.logicalIds ?? new Set<string>()]));
  return [...plan.repositories, ...plan.registry]
    .filter((r) => r.verdict === 'in-place update' && r.stack !== undefined && r.logicalId !== undefined && mapped.get(r.stack)?.has(r.logicalId));
}

function importUpdatesNote(updated: AdoptionPlanResult['repositories']): string {
  const names = updated.map((r) => (r.type === 'AWS::ECR::Repository' ? r.id : `${r.type} ${r.id}`));
  const shown = names.length > 20 ? `${names.slice(0, 20).join(', ')}, ... and ${names.length - 20} more (--format json lists every one)` : names.join(', ');
  return `not made by \`cdk import\`: the in-place updates of ${updated.length} mapped resource${updated.length === 1 ? '' : 's'} (${shown}). `
    + 'CloudFormation imports a resource as it runs and records the template\'s values as given (drift detection shows the difference), '
    + 'and later deploys change only what differs from that template, so these updates would never be made. Import with templates that say '
    + 'what runs (a catalog from `catalog import` without --control-tower, before your edits: the plan then shows no in-place update), '
    + 'then deploy the changes.\n';
}

/** --write-import-mappings DIR: `<stack>.json` for every stack with something to import, for `cdk import STACK --resource-mapping FILE`. */
function writeMappings(io: CliIo, options: Options, templates: PlannedTemplate[], live: RegistryExportFile): WrittenMapping[] | null {
  const dir = options.values.get('--write-import-mappings');
  if (dir === undefined) return null;
  if (dir === '' || dir === '-') throw new UsageError('--write-import-mappings must name a folder');
  if (!io.writeFile) throw new InputError('cannot write files here');
  const mappings = adoptModules().importMappings(templates, live.account, live.region, live);
  const out: WrittenMapping[] = [];
  try {
    io.makeDirectory?.(dir);
    for (const [stack, mapping] of [...mappings].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))) {
      const file = path.join(dir, `${stack}.json`);
      io.writeFile(file, `${JSON.stringify(mapping, null, 2)}\n`);
      const selector = templates.find((t) => t.stack === stack)?.selector ?? stack;
      const command = `cdk import ${shellWord(selector)} --resource-mapping ${shellWord(file)}`;
      out.push({ stack, file, resources: Object.keys(mapping).length, command, logicalIds: new Set(Object.keys(mapping)) });
    }
  } catch (error) {
    throw new InputError(`cannot write the resource mappings into ${dir}: ${messageOf(error)}`);
  }
  return out;
}

/** A word for a POSIX shell: as it is when it has only safe characters, quoted otherwise. */
function shellWord(word: string): string {
  return /^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
