#!/usr/bin/env node
/*
 * cdk-ecr-platform command-line tool.
 *
 *   cdk-ecr-platform lifecycle validate --policy FILE [--format text|json]
 *   cdk-ecr-platform lifecycle preview  --policy FILE --images FILE [--now ISO-8601] [--format json|text]
 *   cdk-ecr-platform catalog validate --catalog FILE [--catalog-format yaml|json] [--format text|json]
 *   cdk-ecr-platform catalog plan --catalog FILE --placement FILE [--previous FILE] [--write] [--details] [--format text|json]
 *   cdk-ecr-platform catalog plan --catalog FILE --placement FILE --live FILE [--fleet-id ID] [--imported DIR] [--write-import-mappings DIR] [--format text|json]
 *   cdk-ecr-platform catalog move NAME... --to SHARD --placement FILE [--format text|json]
 *   cdk-ecr-platform catalog import --from FILE --out FILE --placement FILE [--control-tower] [--force] [--format text|json]
 *   cdk-ecr-platform adopt plan --assembly DIR --live FILE [--imported DIR] [--write-import-mappings DIR] [--format text|json]
 *   cdk-ecr-platform bootstrap harden --template FILE [--out FILE] [--kms-key ARN | --keep-aes256] [--untagged-days N]
 *   cdk-ecr-platform access report CDK_OUT [--format md|json|csv|mermaid]
 *   cdk-ecr-platform access diff OLD_CDK_OUT NEW_CDK_OUT [--format md|json|mermaid] [--acknowledgements FILE]
 *   cdk-ecr-platform registry export --region R [--profile P] [--registry-id ID] --out FILE [--format text|json]
 *   cdk-ecr-platform registry export --from-cli DIR [--region R] --out FILE [--format text|json]
 *
 * Every input file is named by its option, and `-` reads standard input. The table of
 * commands and options is COMMANDS below; args.ts parses against it.
 *
 * Runs with plain node from the compiled library; it needs nothing but node built-ins and
 * the library's own lifecycle model (aws-cdk-lib is only loaded if a value looks like a
 * CDK token, which JSON read from a file never is). The catalog commands load the
 * catalog model, which maps entries onto the construct library's classes and so needs
 * aws-cdk-lib (a peer dependency, installed wherever the library is); so does
 * `bootstrap harden`, which renders the repository's key with it. `registry export` loads
 * the adoption modules (aws-cdk-lib too) and, for a live export, `@aws-sdk/client-ecr`, which
 * is not a dependency: a user installs it next to the library (docs/adoption.md). A failed
 * AWS call ends it with exit code 2 and no file written.
 *
 * Exit codes: 0 success, 1 problems found (an invalid lifecycle policy, catalog or bootstrap
 * template, an adoption plan with a refused replacement or an undecided value: every problem
 * listed), 2 usage error or unreadable input. With `--format json`
 * standard output holds one JSON document for exit codes 0 and 1.
 */
import { ACCESS_COMMANDS, accessDiffCommand, accessReportCommand } from './access';
import { adoptPlanCommand, catalogLivePlanCommand } from './adopt-plan';
import { CommandSpec, commandHelp, OptionSpec, parseCommandLine, PROGRAM, programHelp, UsageError } from './args';
import { catalogImportCommand } from './catalog-import';
import {
  catalogFile, catalogModules, catalogName, CliIo, count, EXIT_INVALID, EXIT_OK, EXIT_USAGE, InputError, InputProblemsError, loadCatalog, messageOf,
  nodeIo, Options,
  outputFormat, packageVersion, positiveInteger, printJson, printProblemsJson, progressOf, read, readPlacement, reportCatalogProblems, required,
} from './common';
import { registryExportCommand, registryExportSpec } from './registry-export';
import type { FleetRepositoryProps } from '../fleet/model';
import type { PlacementBudget, PlacementResult, PlacementState } from '../fleet/placement';

export type { CliIo } from './common';
export { EXIT_INVALID, EXIT_OK, EXIT_USAGE, packageVersion, writeFileAtomically } from './common';
import { LifecyclePolicy } from '../lifecycle/policy';
import { previewLifecyclePolicy } from '../lifecycle/preview';
import { parseTimestamp } from '../lifecycle/timestamp';

const FILE_NEEDS = 'a file, or - for standard input';
const FORMAT_TEXT: OptionSpec = {
  name: '--format',
  value: 'F',
  needs: 'text or json',
  help: 'text (default) or json: one JSON document on standard output,\nfor exit codes 0 and 1 (problems with file, line, column)',
};
const FORMAT_PREVIEW: OptionSpec = {
  name: '--format',
  value: 'F',
  needs: 'json or text',
  help: 'json (default: shaped like get-lifecycle-policy-preview) or\ntext (one line per image)',
};
const POLICY: OptionSpec = { name: '--policy', value: 'FILE', needs: FILE_NEEDS, help: 'lifecycle policy JSON (as for `aws ecr put-lifecycle-policy`)' };
const CATALOG: OptionSpec = { name: '--catalog', value: 'FILE', needs: FILE_NEEDS, help: 'the repository catalog: YAML for .yaml/.yml, JSON otherwise;\nstandard input is JSON when it starts with { or [' };
const CATALOG_FORMAT: OptionSpec = { name: '--catalog-format', value: 'F', needs: 'yaml or json', help: 'read the catalog as yaml or json, whatever its name' };
const PLACEMENT: OptionSpec = { name: '--placement', value: 'FILE', needs: 'a file', help: 'the fleet\'s placement file (JSON)' };
const LIVE: OptionSpec = { name: '--live', value: 'FILE', needs: FILE_NEEDS, help: 'a registry export (the file of `registry export`): print\nwhat the first deploy changes in that registry (the adoption plan)' };
const IMPORTED: OptionSpec = { name: '--imported', value: 'DIR', needs: 'a folder', help: 'the resource mappings of an earlier import (<stack>.json):\na template that renames an imported repository is refused' };
const WRITE_IMPORT_MAPPINGS: OptionSpec = { name: '--write-import-mappings', value: 'DIR', needs: 'a folder', help: 'write <stack>.json per stack for\n`cdk import STACK --resource-mapping DIR/STACK.json`' };

/** Every command and its options: the help and the parser are made from this table. */
const COMMANDS: readonly CommandSpec[] = [
  {
    group: 'lifecycle',
    name: 'validate',
    synopsis: '--policy FILE [--format text|json]',
    positionals: 'none',
    summary: 'Check an ECR lifecycle policy; prints "valid" or every problem.',
    options: [POLICY, FORMAT_TEXT],
  },
  {
    group: 'lifecycle',
    name: 'preview',
    synopsis: '--policy FILE --images FILE [--now ISO-8601] [--format json|text]',
    positionals: 'none',
    summary: 'Apply a lifecycle policy offline to the output of\n`aws ecr describe-images` and print what ECR would do, shaped\nlike `aws ecr get-lifecycle-policy-preview`.',
    options: [POLICY,
      { name: '--images', value: 'FILE', needs: FILE_NEEDS, help: 'output of `aws ecr describe-images` (JSON)' },
      { name: '--now', value: 'TIME', needs: 'an ISO-8601 time', help: 'evaluation time, ISO-8601 (default: the current time)' },
      FORMAT_PREVIEW],
  },
  {
    group: 'catalog',
    name: 'validate',
    synopsis: '--catalog FILE [--catalog-format yaml|json] [--format text|json]',
    positionals: 'some',
    summary: 'Check a repository catalog, and the findings the EcrCompliance\npack (default settings) will report on its fleet; prints "valid"\nwith the warnings, or every problem with file:line:column\n(standard input is named stdin).',
    options: [CATALOG, CATALOG_FORMAT, FORMAT_TEXT],
  },
  {
    group: 'catalog',
    name: 'plan',
    synopsis: '--catalog FILE --placement FILE [--registry ACCOUNT/REGION] [--previous FILE] [--write]\n      [--details] [--max-resources N] [--max-bytes N] [--catalog-format yaml|json] [--format text|json]',
    positionals: 'some',
    summary: 'Place the catalog\'s repositories in shard stacks from the\nplacement file (missing: empty) and print how many are created,\nremoved and moved, and per shard stack its changes and\nheadroom (--details: every repository). With --live, the\nadoption plan instead: what the first deploy of the fleet\nchanges in the exported registry (see adopt plan).',
    options: [CATALOG, PLACEMENT,
      { name: '--registry', value: 'ACCOUNT/REGION', needs: 'an account and region, like 111111111111/eu-west-1', help: 'the registry to plan, for a catalog whose entries name accounts\nand regions (MultiRegistryFleet: one placement file per registry)' },
      { name: '--previous', value: 'FILE', needs: 'a file', help: 'an earlier placement file, to list moves' },
      { name: '--write', help: 'write the new placement to --placement' },
      { name: '--details', help: 'list every repository created, removed and moved (text;\nthe JSON always lists them)' },
      { name: '--max-resources', value: 'N', needs: 'a whole number', help: 'resources per shard stack, 10 to 500 (default 400, as\nRepositoryFleet)' },
      { name: '--max-bytes', value: 'N', needs: 'a whole number', help: 'estimated template bytes per shard stack, 50000 to 1000000\n(default 800000)' },
      LIVE, IMPORTED, WRITE_IMPORT_MAPPINGS,
      { name: '--fleet-id', value: 'ID', needs: 'a construct ID', help: 'with --live: the RepositoryFleet\'s construct ID in the app,\nwhich names its stacks (default Fleet)' },
      CATALOG_FORMAT, FORMAT_TEXT],
  },
  {
    group: 'catalog',
    name: 'move',
    synopsis: 'NAME... --to SHARD --placement FILE [--format text|json]',
    positionals: 'some',
    summary: 'Move repositories to another shard in the placement file\n(a deliberate move; see docs/fleets.md, Moving a repository),\nrecording the shard whose key encrypts each one.',
    options: [
      { name: '--to', value: 'SHARD', needs: 'a shard, like Shard3', help: 'the shard to move to (Shard3 or 3; a new one is created)' },
      PLACEMENT, FORMAT_TEXT,
    ],
  },
  {
    group: 'catalog',
    name: 'import',
    synopsis: '--from FILE --out FILE --placement FILE [--control-tower] [--force]\n      [--format text|json]',
    positionals: 'none',
    summary: 'Write a catalog (YAML) and a placement file that reproduce every\nrepository of a registry export. Bad input: every problem,\nnothing written. Open repository policies are written as they\nrun, listed, and exit 1: the catalog refuses them until each\nis restricted or acknowledged (EcrCompliance-OpenAccess).',
    options: [
      { name: '--from', value: 'FILE', needs: FILE_NEEDS, help: 'the registry export (JSON, `cdk-ecr-platform registry export`)' },
      { name: '--out', value: 'FILE', needs: 'a file', help: 'the catalog to write (YAML)' },
      PLACEMENT,
      { name: '--control-tower', help: 'where a live setting fails an AWS Control Tower control on\nrepositories (CT.ECR.PR.1-3), write the value it accepts\n(IMMUTABLE tags, scan on push, the recommended lifecycle\npolicy) instead of acknowledging the control' },
      { name: '--force', help: 'replace --out and --placement when they exist' },
      FORMAT_TEXT,
    ],
  },
  {
    group: 'adopt',
    name: 'plan',
    synopsis: '--assembly DIR --live FILE [--imported DIR] [--write-import-mappings DIR]\n      [--format text|json]',
    positionals: 'none',
    summary: 'What the first deploy of an app (its cloud assembly, cdk.out)\nchanges in a registry that already runs (a registry export): per\nrepository and registry setting, property by property, no change,\nin-place update or replacement (refused); created and not\nmanaged. Exit 1 for a refused replacement, an undecided value or\nan export the reader refuses.',
    options: [
      { name: '--assembly', value: 'DIR', needs: 'a folder', help: 'the cloud assembly of `cdk synth` (cdk.out)' },
      { ...LIVE, help: 'the registry export (the file of `registry export`)' },
      IMPORTED, WRITE_IMPORT_MAPPINGS, FORMAT_TEXT,
    ],
  },
  {
    group: 'bootstrap',
    name: 'harden',
    synopsis: '--template FILE [--out FILE]\n      [--kms-key ARN | --keep-aes256] [--untagged-days N] [--format text|json]',
    positionals: 'none',
    summary: 'Write the CDK bootstrap template (the JSON of\n`cdk bootstrap --show-template --json`) with its container\nassets repository brought in line: scan on push, IMMUTABLE\ntags, a customer managed key, a lifecycle policy that\nexpires only untagged images. Everything the CDK CLI reads\n(parameters, outputs, bootstrap version) is kept. Deploy it\nwith `cdk bootstrap --template FILE`.',
    options: [
      { name: '--template', value: 'FILE', needs: FILE_NEEDS, help: 'the CDK bootstrap template, JSON' },
      { name: '--out', value: 'FILE', needs: 'a file', help: 'where to write the hardened template (default: standard\noutput; required with --format json); nothing is written\nwhen there is a problem' },
      { name: '--kms-key', value: 'ARN', needs: 'a KMS key ARN', help: 'encrypt with this existing KMS key instead of a new key' },
      { name: '--keep-aes256', help: 'keep ECR\'s AES256 encryption (an environment already\nbootstrapped: ECR sets the encryption at creation)' },
      { name: '--untagged-days', value: 'N', needs: 'a whole number of days', help: 'replace the template\'s lifecycle policy with one that\nexpires untagged images N days after push' },
      { ...FORMAT_TEXT, help: 'text (default) or json: the changes as JSON on standard\noutput (needs --out)' },
    ],
  },
  ...ACCESS_COMMANDS,
  registryExportSpec(FORMAT_TEXT),
];

const EXIT_CODES = `--policy, --images, --catalog and --template may be - to read standard input
(one of them at a time).

Exit codes: 0 success, 1 problems found (an invalid lifecycle policy, catalog or
bootstrap template, an adoption plan with a refused replacement or an undecided
value: every problem listed), 2 usage error or unreadable input.
`;

/** The help of the whole program. */
export const USAGE = programHelp(COMMANDS, EXIT_CODES);
/** A readable policy file with every problem it has (structural and semantic), or the policy. */
function loadPolicy(io: CliIo, file: string): { policy?: LifecyclePolicy; problems: string[] } {
  const text = read(io, file, 'lifecycle policy');
  const problems = LifecyclePolicy.validateJson(text);
  return problems.length > 0 ? { problems } : { policy: LifecyclePolicy.fromJson(text), problems };
}

function reportProblems(io: CliIo, problems: string[]): number {
  io.stderr(`Lifecycle policy is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n`);
  for (const problem of problems) io.stderr(`- ${problem}\n`);
  return EXIT_INVALID;
}

function validateCommand(io: CliIo, options: Options): number {
  const format = outputFormat(options);
  const file = required(options, '--policy');
  const { problems } = loadPolicy(io, file);
  if (format === 'json') {
    if (problems.length > 0) return printProblemsJson(io, file, problems);
    printJson(io, { file: file === '-' ? 'stdin' : file, valid: true, problems: [] });
    return EXIT_OK;
  }
  if (problems.length > 0) return reportProblems(io, problems);
  io.stdout('valid\n');
  return EXIT_OK;
}

function previewCommand(io: CliIo, options: Options): number {
  const format = outputFormat(options, 'json');
  const policyPath = required(options, '--policy');
  const imagesPath = required(options, '--images');
  if (policyPath === '-' && imagesPath === '-') throw new UsageError('only one of --policy and --images can read standard input');
  const nowText = options.values.get('--now');
  const now = nowText === undefined ? Date.now() : parseTimestamp(nowText);
  if (now === undefined || !Number.isFinite(now)) throw new UsageError(`--now ${JSON.stringify(nowText)} is not an ISO-8601 time`);

  const { policy, problems } = loadPolicy(io, policyPath);
  if (policy === undefined) return format === 'json' ? printProblemsJson(io, policyPath, problems) : reportProblems(io, problems);

  const text = read(io, imagesPath, 'images');
  let images: unknown;
  try {
    images = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${imagesPath === '-' ? 'standard input' : imagesPath}: not valid JSON: ${messageOf(error)}`);
  }
  let output;
  try {
    output = previewLifecyclePolicy(policy, images as Parameters<typeof previewLifecyclePolicy>[1], now);
  } catch (error) {
    throw new InputError(`${imagesPath === '-' ? 'standard input' : imagesPath}: ${messageOf(error)}`);
  }
  if (format === 'json') {
    printJson(io, output);
    return EXIT_OK;
  }
  const lines = output.previewResults.map((r) => `${r.action.type === 'EXPIRE' ? 'expire    ' : 'transition'} ${r.imageDigest}`
    + `${r.imageTags && r.imageTags.length > 0 ? ` [${r.imageTags.join(', ')}]` : ''} pushed ${String(r.imagePushedAt)}, rulePriority ${r.appliedRulePriority}`);
  const archived = (output.summary.transitioningImageTotalCounts ?? []).reduce((n, t) => n + t.imageTotalCount, 0);
  io.stdout(`${lines.map((l) => `${l}\n`).join('')}${output.summary.expiringImageTotalCount} to expire, ${archived} to archive\n`);
  return EXIT_OK;
}

function catalogValidateCommand(io: CliIo, options: Options): number {
  const format = outputFormat(options);
  const file = catalogFile(io, options, 'validate');
  const catalog = loadCatalog(io, file, options);
  if (catalog.problems.length > 0) return reportCatalogProblems(io, file, catalog.problems, format);
  // The compliance pack's verdicts on the fleet the synth builds: "valid" means the synth passes it.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { catalogVerdicts } = require('../fleet/verdicts') as typeof import('../fleet/verdicts');
  const { EcrComplianceChecks } = require('../compliance/pack') as typeof import('../compliance/pack');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const verdicts = catalogVerdicts(catalog, catalogName(file), new EcrComplianceChecks());
  if (verdicts.errors.length > 0) return reportCatalogProblems(io, file, verdicts.errors, format);
  if (format === 'json') {
    printJson(io, { file: catalogName(file), valid: true, repositories: catalog.repositories.length, problems: [], warnings: verdicts.warnings });
    return EXIT_OK;
  }
  const warnings = verdicts.warnings.length;
  io.stdout(`valid (${catalog.repositories.length} repositories${warnings > 0 ? `; ${warnings} compliance warning${warnings === 1 ? '' : 's'}` : ''})\n`);
  for (const warning of verdicts.warnings) io.stdout(`- ${warning}\n`);
  return EXIT_OK;
}

/**
 * The entries of the registry `--registry ACCOUNT/REGION` names, for a catalog whose
 * entries name accounts and regions (each registry has a fleet and placement file of
 * its own); the whole catalog when it names none.
 */
function registryOf(
  m: ReturnType<typeof catalogModules>, repositories: FleetRepositoryProps[], registry: string | undefined,
): FleetRepositoryProps[] {
  const keyOf = (r: FleetRepositoryProps) => m.registryKeyOf(r.account, r.region);
  const registries = [...new Set(repositories.map(keyOf))].sort();
  const spans = repositories.some((r) => r.account !== undefined || r.region !== undefined);
  if (registry === undefined) {
    if (!spans) return repositories;
    throw new UsageError(`the catalog names the registries ${registries.join(', ')}: plan one at a time with --registry ACCOUNT/REGION and its placement file`);
  }
  if (!spans) throw new UsageError('--registry: the catalog names no account or region (its fleet is a RepositoryFleet): leave --registry out');
  const chosen = repositories.filter((r) => keyOf(r) === registry);
  if (chosen.length === 0) throw new UsageError(`--registry ${registry}: no entry of the catalog lives there (registries: ${registries.join(', ')})`);
  return chosen;
}

/** One shard stack in the summary of `catalog plan`. */
interface StackSummary {
  readonly stack: string;
  readonly shard: number;
  readonly added: number;
  readonly removed: number;
  readonly movedIn: number;
  readonly movedOut: number;
  /** Null for a shard that only repositories moved out of, and that the placement no longer has. */
  readonly repositories: number | null;
  readonly resources: number | null;
  readonly bytes: number | null;
  readonly headroom: { readonly resources: number; readonly bytes: number } | null;
}

function catalogPlanCommand(io: CliIo, options: Options): number {
  if (options.values.has('--live')) return catalogLivePlanCommand(io, options, catalogFile(io, options, 'plan'));
  const progress = progressOf(io);
  const format = outputFormat(options);
  const details = options.flags.has('--details');
  const file = catalogFile(io, options, 'plan');
  const placementFile = required(options, '--placement');
  if (placementFile === '-') throw new UsageError('--placement must name a file, not standard input');
  const m = catalogModules();
  const budget = {
    resources: positiveInteger(options, '--max-resources', m.DEFAULT_RESOURCES_PER_STACK),
    bytes: positiveInteger(options, '--max-bytes', m.DEFAULT_TEMPLATE_BYTES_PER_STACK),
  };
  // The fleet's own rule for its budget (RepositoryFleet maxResourcesPerStack and maxTemplateBytesPerStack).
  const budgetProblems = m.shardBudgetProblems(budget.resources, budget.bytes);
  if (budgetProblems.length > 0) throw new UsageError(`--max-resources and --max-bytes: ${budgetProblems.join('; ')}`);
  progress(`reading catalog ${catalogName(file)}`);
  const { problems, repositories: all } = loadCatalog(io, file, options);
  if (problems.length > 0) return reportCatalogProblems(io, file, problems, format);
  const repositories = registryOf(m, all, options.values.get('--registry'));
  progress(`reading placement ${placementFile}`);
  const previous = readPlacement(io, m, placementFile, true);
  progress(`placing ${count(repositories.length)} repositories`);
  const result = m.placeRepositories(previous.repositories, repositories.map(m.fleetItem), budget, previous.shards);
  const before = (options.values.has('--previous') ? readPlacement(io, m, options.values.get('--previous')!, false) : previous).repositories;
  const moved = [...result.placement].filter(([name, shard]) => before.has(name) && before.get(name) !== shard);
  const write = () => {
    if (!io.writeFile) throw new InputError('cannot write files here');
    progress(`writing ${placementFile}`);
    io.writeFile(placementFile, m.renderPlacementState({ ...previous, repositories: result.placement, shards: result.shards.map((u) => u.shard) }));
  };
  const stacks = planStacks(result, previous.repositories, before, moved, budget);
  const registry = previous.registry ? { registryKey: previous.registryKey === true } : null;
  if (format === 'json') {
    // Written first: the document says what was written, and nothing is printed when the write fails.
    if (options.flags.has('--write')) write();
    printJson(io, {
      catalog: catalogName(file),
      placement: placementFile,
      budget,
      summary: { create: result.created.length, remove: result.removed.length, move: moved.length, stacks, registry },
      create: result.created.map((name) => ({ name, shard: result.placement.get(name) })),
      remove: result.removed.map((name) => ({ name, shard: previous.repositories.get(name) })),
      move: moved.map(([name, shard]) => {
        const holder = previous.keys.get(name) ?? (previous.keyScope === m.FleetKeyScope.REGISTRY ? m.REGISTRY_KEY_HOLDER : undefined);
        return { name, from: before.get(name), to: shard, keyHolder: holder !== undefined ? m.keyHolderName(holder) : null };
      }),
      shards: result.shards.map((s) => ({
        shard: s.shard,
        repositories: s.repositories,
        resources: s.resources,
        bytes: s.bytes,
        headroom: { resources: budget.resources - s.resources, bytes: budget.bytes - s.bytes },
      })),
      wrote: options.flags.has('--write') ? placementFile : null,
    });
    return EXIT_OK;
  }
  const keyNote = (name: string) => {
    const holder = previous.keys.get(name) ?? (previous.keyScope === m.FleetKeyScope.REGISTRY ? m.REGISTRY_KEY_HOLDER : undefined);
    return holder !== undefined
      ? `keeps the key of ${m.keyHolderName(holder)}`
      : `no key recorded: a repository on the shard key needs "keys": {"${name}": "Shard${before.get(name)}"}, which \`catalog move\` writes`;
  };
  const out: string[] = [];
  out.push(`Plan for ${catalogName(file)} with ${placementFile} (per shard: ${budget.resources} resources, ~${budget.bytes} template bytes):`);
  if (details) {
    out.push(`  create ${result.created.length}${result.created.map((n) => `\n    + ${n} -> Shard${result.placement.get(n)}`).join('')}`);
    out.push(`  remove ${result.removed.length}${result.removed.map((n) => `\n    - ${n} (Shard${previous.repositories.get(n)}; retained unless its removalPolicy says otherwise)`).join('')}`);
    out.push(`  move ${moved.length}${moved.map(([n, s]) => `\n    ~ ${n} Shard${before.get(n)} -> Shard${s} (${keyNote(n)}; retain in the old stack, then cdk import into the new one)`).join('')}`);
  } else {
    out.push(`  create ${result.created.length}, remove ${result.removed.length}, move ${moved.length}`);
  }
  out.push('Shards:');
  for (const s of stacks) {
    const changes = `added ${s.added}, removed ${s.removed}, moved in ${s.movedIn}, moved out ${s.movedOut}`;
    out.push(s.headroom === null
      ? `  ${s.stack}: not in the placement; ${changes}`
      : `  ${s.stack}: ${s.repositories} repositories, ${s.resources}/${budget.resources} resources (headroom ${s.headroom.resources}), ~${s.bytes}/${budget.bytes} bytes (headroom ~${s.headroom.bytes}); ${changes}`);
  }
  if (registry) out.push(`Registry stack: kept (the placement file records it)${registry.registryKey ? ', with the fleet\'s registry key' : ''}`);
  if (!details) out.push('--details lists every repository');
  io.stdout(`${out.join('\n')}\n`);
  if (options.flags.has('--write')) {
    write();
    io.stdout(`wrote ${placementFile}\n`);
  }
  return EXIT_OK;
}

/**
 * Each shard stack's changes and use, in shard order: every shard of the new
 * placement, then any shard that repositories only moved out of (an earlier
 * placement given with --previous).
 */
function planStacks(
  result: PlacementResult, previous: ReadonlyMap<string, number>, before: ReadonlyMap<string, number>,
  moved: readonly [string, number][], budget: PlacementBudget,
): StackSummary[] {
  const tally = new Map<number, { added: number; removed: number; movedIn: number; movedOut: number }>();
  const at = (shard: number) => {
    let t = tally.get(shard);
    if (t === undefined) tally.set(shard, t = { added: 0, removed: 0, movedIn: 0, movedOut: 0 });
    return t;
  };
  for (const s of result.shards) at(s.shard);
  for (const name of result.created) at(result.placement.get(name)!).added++;
  for (const name of result.removed) at(previous.get(name)!).removed++;
  for (const [name, shard] of moved) {
    at(shard).movedIn++;
    at(before.get(name)!).movedOut++;
  }
  const usage = new Map(result.shards.map((s) => [s.shard, s]));
  return [...tally.entries()].sort((a, b) => a[0] - b[0]).map(([shard, t]) => {
    const u = usage.get(shard);
    return {
      stack: `Shard${shard}`,
      shard,
      added: t.added,
      removed: t.removed,
      movedIn: t.movedIn,
      movedOut: t.movedOut,
      repositories: u?.repositories ?? null,
      resources: u?.resources ?? null,
      bytes: u?.bytes ?? null,
      headroom: u ? { resources: budget.resources - u.resources, bytes: budget.bytes - u.bytes } : null,
    };
  });
}

function catalogMoveCommand(io: CliIo, options: Options): number {
  const format = outputFormat(options);
  const extra = options.positionals;
  if (extra.length === 0) throw new UsageError('catalog move needs the names of the repositories to move');
  const placementFile = required(options, '--placement');
  if (placementFile === '-') throw new UsageError('--placement must name a file, not standard input');
  const to = options.values.get('--to');
  const match = to === undefined ? null : /^(?:Shard)?([1-9]\d*)$/.exec(to);
  if (!match) throw new UsageError(`--to ${to === undefined ? 'is required' : JSON.stringify(to)}: name a shard, like Shard3 or 3`);
  const m = catalogModules();
  const previous = readPlacement(io, m, placementFile, false);
  let next: PlacementState;
  try {
    next = m.moveRepositories(previous, extra, Number(match[1]));
  } catch (error) {
    throw new InputError(`${placementFile}: ${messageOf(error)}`);
  }
  if (!io.writeFile) throw new InputError('cannot write files here');
  io.writeFile(placementFile, m.renderPlacementState(next));
  if (format === 'json') {
    printJson(io, {
      placement: placementFile,
      moved: extra.map((name) => ({
        name,
        from: previous.repositories.get(name),
        to: next.repositories.get(name),
        keyHolder: next.keys.has(name) ? m.keyHolderName(next.keys.get(name)!) : null,
      })),
    });
    return EXIT_OK;
  }
  const out = extra.map((n) => `  ~ ${n} Shard${previous.repositories.get(n)} -> Shard${next.repositories.get(n)}${next.keys.has(n) ? ` (keeps the key of ${m.keyHolderName(next.keys.get(n)!)})` : ''}`);
  io.stdout(`Moved in ${placementFile}:\n${out.join('\n')}\nNext: deploy the old shards (they keep the repositories, retained), then \`cdk import\` each new shard with fleet.importResourceMapping([...]) (see docs/fleets.md, "Moving a repository without losing images").\n`);
  return EXIT_OK;
}

/** The bootstrap module, loaded only by `bootstrap harden` (it renders a key with aws-cdk-lib). */
function bootstrapModule() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../bootstrap/harden') as typeof import('../bootstrap/harden');
}

function bootstrapHardenCommand(io: CliIo, options: Options): number {
  const format = outputFormat(options);
  const templateFile = required(options, '--template');
  const out = options.values.get('--out');
  if (out === '' || out === '-') throw new UsageError('--out must name a file (leave it out to write to standard output)');
  if (format === 'json' && out === undefined) throw new UsageError('--format json prints the changes on standard output: give --out FILE for the template');
  const kmsKey = options.values.get('--kms-key');
  const keepAes256 = options.flags.has('--keep-aes256');
  if (kmsKey !== undefined && keepAes256) throw new UsageError('give --kms-key or --keep-aes256, not both');
  const days = options.values.has('--untagged-days') ? positiveInteger(options, '--untagged-days', 0) : undefined;

  const name = templateFile === '-' ? 'standard input' : templateFile;
  const text = read(io, templateFile, 'bootstrap template');
  let template: unknown;
  try {
    template = JSON.parse(text);
  } catch (error) {
    const yaml = !/^\ufeff?\s*[{[]/.test(text);
    const problem = `the template is not JSON${yaml ? ' (YAML is not read here: CloudFormation\'s short-form tags such as !Sub need a CloudFormation-aware reader)' : `: ${messageOf(error)}`}; `
      + 'print it as JSON with: cdk bootstrap --show-template --json > bootstrap-template.json';
    if (format === 'json') return printProblemsJson(io, templateFile, [problem]);
    io.stderr(`Bootstrap template ${name} is not JSON${yaml ? ' (YAML is not read here: CloudFormation\'s short-form tags such as !Sub need a CloudFormation-aware reader)' : `: ${messageOf(error)}`}.\n`
      + 'Print the template as JSON with: cdk bootstrap --show-template --json > bootstrap-template.json\n');
    return EXIT_INVALID;
  }
  const result = bootstrapModule().hardenBootstrapTemplate(template, {
    encryptionKeyArn: kmsKey, keepAes256Encryption: keepAes256 || undefined, untaggedImageExpiryDays: days,
  });
  if (result.template === undefined) {
    if (format === 'json') return printProblemsJson(io, templateFile, result.problems);
    io.stderr(`Bootstrap template ${name} cannot be hardened (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}):\n`);
    for (const problem of result.problems) io.stderr(`- ${problem}\n`);
    return EXIT_INVALID;
  }
  const rendered = `${JSON.stringify(result.template, null, 2)}\n`;
  const report = `ContainerAssetsRepository:\n${result.changes.map((c) => `  ${c}\n`).join('')}`;
  if (out === undefined) {
    io.stdout(rendered);
    io.stderr(report);
    return EXIT_OK;
  }
  if (!io.writeFile) throw new InputError('cannot write files here');
  try {
    io.writeFile(out, rendered);
  } catch (error) {
    throw new InputError(`cannot write ${out}: ${messageOf(error)}`);
  }
  if (format === 'json') {
    printJson(io, { template: templateFile === '-' ? 'stdin' : templateFile, out, resource: 'ContainerAssetsRepository', changes: result.changes });
  } else {
    io.stdout(`${report}wrote ${out}; deploy it with: cdk bootstrap --template ${out}\n`);
  }
  return EXIT_OK;
}

/** What runs each command of COMMANDS: its exit code, or a promise of it for a command that calls AWS. */
const RUN: Record<string, (io: CliIo, options: Options) => number | Promise<number>> = {
  'lifecycle validate': validateCommand,
  'lifecycle preview': previewCommand,
  'catalog validate': catalogValidateCommand,
  'catalog plan': catalogPlanCommand,
  'catalog move': catalogMoveCommand,
  'catalog import': catalogImportCommand,
  'adopt plan': adoptPlanCommand,
  'bootstrap harden': bootstrapHardenCommand,
  'access report': accessReportCommand,
  'access diff': accessDiffCommand,
  'registry export': registryExportCommand,
};

/**
 * Run the CLI with the arguments after the program name. Returns the exit code,
 * or a promise of it for a command that calls AWS (`registry export`).
 */
export function main(argv: string[], io: CliIo = nodeIo()): number | Promise<number> {
  let command: CommandSpec | undefined;
  try {
    const invocation = parseCommandLine(argv, COMMANDS, EXIT_CODES);
    if (invocation.kind === 'help') {
      io.stdout(invocation.text);
      return EXIT_OK;
    }
    if (invocation.kind === 'version') {
      io.stdout(`${packageVersion()}\n`);
      return EXIT_OK;
    }
    command = invocation.command;
    const code = RUN[`${command.group} ${command.name}`](io, invocation.args);
    const spec = command;
    return typeof code === 'number' ? code : code.catch((error: unknown) => failure(io, error, spec));
  } catch (error) {
    return failure(io, error, command);
  }
}

/** The exit code of a usage error or unreadable input, with its message; anything else is rethrown. */
function failure(io: CliIo, error: unknown, command: CommandSpec | undefined): number {
  if (error instanceof UsageError) {
    const help = error.command ?? command;
    io.stderr(`${PROGRAM}: ${error.message}\n\n${help ? commandHelp(help) : USAGE}`);
    return EXIT_USAGE;
  }
  if (error instanceof InputError) {
    io.stderr(`${PROGRAM}: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof InputProblemsError) {
    io.stderr(`${PROGRAM}: ${error.message}\n`);
    return EXIT_INVALID;
  }
  throw error;
}

if (require.main === module) {
  const internalError = (error: unknown) => {
    process.stderr.write(`${PROGRAM}: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = EXIT_USAGE;
  };
  try {
    Promise.resolve(main(process.argv.slice(2))).then((code) => { process.exitCode = code; }, internalError);
  } catch (error) {
    internalError(error);
  }
}
