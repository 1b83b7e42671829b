/*
 * cdk-ecr-platform catalog import --from FILE --out FILE --placement FILE [--control-tower] [--force] [--format text|json]
 *
 * A catalog and a placement file that reproduce every repository of a registry export.
 * Bad input: every problem, nothing written. Open repository policies: the catalog is
 * written with them as they run, they are listed, and the exit code is 1 (the catalog
 * refuses them until each is restricted or acknowledged). AWS Control Tower's controls on
 * repositories that live settings fail are acknowledged per entry and listed, or, with
 * --control-tower, the settings are changed to comply and listed with what that does.
 */
import { UsageError } from './args';
import { CliIo, count, EXIT_INVALID, EXIT_OK, InputError, messageOf, Options, outputFormat, printJson, progressOf, read, required } from './common';
import type { ControlTowerImport } from '../fleet/control-tower';

export function catalogImportCommand(io: CliIo, options: Options): number {
  const progress = progressOf(io);
  const format = outputFormat(options);
  const from = required(options, '--from');
  const out = required(options, '--out');
  const placementFile = required(options, '--placement');
  for (const [name, file] of [['--out', out], ['--placement', placementFile]]) {
    if (file === '-') throw new UsageError(`${name} must name a file, not standard output`);
  }
  if (out === placementFile) throw new UsageError('--out and --placement must be different files');
  if (!options.flags.has('--force')) {
    for (const file of [out, placementFile]) {
      if (io.exists?.(file)) throw new InputError(`${file} exists: give --force to replace it (catalog import writes a new catalog, it does not merge)`);
    }
  }
  /* eslint-disable @typescript-eslint/no-require-imports */
  const m = require('../fleet/catalog-import') as typeof import('../fleet/catalog-import');
  const { readRegistryExport } = require('../adopt/export-read') as typeof import('../adopt/export-read');
  /* eslint-enable @typescript-eslint/no-require-imports */
  progress(`reading export ${from}`);
  const source = from === '-' ? 'stdin' : from;
  const reading = readRegistryExport(read(io, from, 'export'), source);
  const exported = reading.registryExport;
  progress(exported ? `importing ${count(exported.repositories.length)} repositories` : 'reporting problems');
  const result = exported ? m.importCatalog(exported, { source, controlTower: options.flags.has('--control-tower') }) : undefined;
  const problems = result ? [...result.problems, ...registryBlockProblems(result.catalogText, source)] : reading.problems;
  if (problems.length > 0 || !result || result.catalogText === undefined || result.placementText === undefined) {
    if (format === 'json') {
      printJson(io, { from: source, written: false, problems });
    } else {
      io.stderr(`Nothing written: the export ${source} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n`);
      for (const p of problems) io.stderr(`- ${p}\n`);
    }
    return EXIT_INVALID;
  }
  if (!io.writeFile) throw new InputError('cannot write files here');
  progress(`writing ${out} and ${placementFile}`);
  // Each file is written whole or not at all, and both or neither: when the placement cannot be
  // written, the catalog goes back to what it was (a catalog never goes without its placement).
  const previous = io.exists?.(out) ? io.readFile(out) : undefined;
  try {
    io.writeFile(out, result.catalogText);
  } catch (error) {
    throw new InputError(`cannot write ${out}: ${messageOf(error)} (nothing written)`);
  }
  try {
    io.writeFile(placementFile, result.placementText);
  } catch (error) {
    let undone = true;
    try {
      if (previous !== undefined) io.writeFile(out, previous);
      else if (io.removeFile) io.removeFile(out);
      else undone = false;
    } catch {
      undone = false;
    }
    throw new InputError(`cannot write ${placementFile}: ${messageOf(error)} (${undone ? `nothing written: ${out} is as it was` : `${out} was written without it: remove it`})`);
  }
  const acknowledged = Object.entries(result.acknowledged).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  if (format === 'json') {
    printJson(io, {
      from: source,
      written: true,
      catalog: out,
      placement: placementFile,
      repositories: result.repositories.length,
      shards: result.shards,
      acknowledged: Object.fromEntries(acknowledged),
      openPolicies: result.openPolicies,
      notReproduced: result.notReproduced,
      controlTower: result.controlTower,
    });
  } else {
    io.stdout(`Imported ${count(result.repositories.length)} repositories from ${source}: wrote ${out} and ${placementFile} (${result.shards} shard stack${result.shards === 1 ? '' : 's'}).\n`);
    if (acknowledged.length > 0) {
      io.stdout('Findings the live settings raise, acknowledged in the catalog (review them):\n');
      for (const [id, n] of acknowledged) io.stdout(`  ${id}: ${count(n)} repositories\n`);
    }
    for (const line of controlTowerLines(result.controlTower)) io.stdout(`${line}\n`);
    if (result.notReproduced.length > 0) io.stdout(`Not reproduced by the catalog (registry settings): ${result.notReproduced.join('; ')}.\n`);
    if (result.openPolicies.length > 0) {
      io.stdout(`${result.openPolicies.length} repository polic${result.openPolicies.length === 1 ? 'y allows' : 'ies allow'} '*' without a condition that restricts it. `
        + 'The catalog holds them as they run and refuses them until you decide: restrict the statement, or add\n'
        + "  acknowledge: [{ id: EcrCompliance-OpenAccess, reason: '...' }] to the entry:\n");
      for (const o of result.openPolicies) for (const s of o.statements) io.stdout(`- ${o.repositoryName}: ${s}\n`);
    }
  }
  return result.openPolicies.length > 0 ? EXIT_INVALID : EXIT_OK;
}

/** The name the written catalog is read back under, stripped from its problems. */
const READ_BACK = 'imported catalog';

/**
 * What the catalog reader refuses in the registry block the import wrote: every rule of the
 * registry constructs (one home for each), checked on the block read back, so that an import
 * never writes a block the catalog then refuses. Each problem as `SOURCE: registry: ...`
 * (nothing is written, so no catalog line). The repositories are checked as they are imported.
 */
function registryBlockProblems(catalogText: string | undefined, source: string): string[] {
  const end = catalogText?.indexOf('\nrepositories:') ?? -1;
  if (catalogText === undefined || !/^registry:/m.test(catalogText) || end < 0) return [];
  /* eslint-disable-next-line @typescript-eslint/no-require-imports */
  const { CatalogFormat, readCatalog } = require('../fleet/catalog') as typeof import('../fleet/catalog');
  return readCatalog(`${catalogText.slice(0, end + 1)}repositories: []\n`, CatalogFormat.YAML, READ_BACK).problems
    .map((p) => `${source}: ${p.startsWith(`${READ_BACK}:`) ? p.slice(READ_BACK.length + 1).replace(/^\d+:\d+: /, '') : p}`);
}

/** Repository names listed per control before the rest is counted. */
const LISTED = 20;

/** What the import did about AWS Control Tower's controls on repositories, per control: the repositories that fail it, acknowledged or changed. */
function controlTowerLines(imports: readonly ControlTowerImport[]): string[] {
  if (imports.length === 0) return [];
  /* eslint-disable-next-line @typescript-eslint/no-require-imports */
  const { controlTowerConsequence } = require('../fleet/control-tower') as typeof import('../fleet/control-tower');
  const changed = imports[0].changed;
  const byControl = new Map<ControlTowerImport['controls'][number]['control'], { names: string[]; live: Set<string>; compliant?: string }>();
  for (const i of imports) {
    for (const c of i.controls) {
      const entry = byControl.get(c.control) ?? { names: [], live: new Set<string>(), compliant: c.compliant };
      entry.names.push(i.repositoryName);
      entry.live.add(c.live);
      byControl.set(c.control, entry);
    }
  }
  const lines = [changed
    ? `AWS Control Tower: ${count(imports.length)} repositories had settings its controls refuse; the catalog writes compliant values (the adoption plan lists them as in-place updates):`
    : `AWS Control Tower: ${count(imports.length)} repositories have settings its controls refuse, acknowledged per entry. An account that enforces a control refuses the deploy that creates or updates such a repository until the setting changes (--control-tower writes compliant values instead):`];
  for (const [control, e] of [...byControl].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const live = [...e.live].sort().join(', ');
    lines.push(changed
      ? `  ${control}: ${live} -> ${e.compliant} in ${count(e.names.length)} repositories: ${controlTowerConsequence(control)}`
      : `  ${control}: ${live} in ${count(e.names.length)} repositories`);
    lines.push(`    ${e.names.slice(0, LISTED).join(', ')}${e.names.length > LISTED ? `, ... and ${e.names.length - LISTED} more (--format json lists every one)` : ''}`);
  }
  return lines;
}
