#!/usr/bin/env node
/*
 * cdk-ecr-platform command-line tool.
 *
 *   cdk-ecr-platform lifecycle validate --policy FILE
 *   cdk-ecr-platform lifecycle preview  --policy FILE --images FILE [--now ISO-8601]
 *   cdk-ecr-platform catalog validate FILE
 *   cdk-ecr-platform catalog plan FILE --placement FILE [--previous FILE] [--write]
 *   cdk-ecr-platform catalog move NAME... --to SHARD --placement FILE
 *   cdk-ecr-platform bootstrap harden --template FILE [--out FILE] [--kms-key ARN | --keep-aes256] [--untagged-days N]
 *
 * Runs with plain node from the compiled library; it needs nothing but node built-ins and
 * the library's own lifecycle model (aws-cdk-lib is only loaded if a value looks like a
 * CDK token, which JSON read from a file never is). The catalog commands load the
 * catalog model, which maps entries onto the construct library's classes and so needs
 * aws-cdk-lib (a peer dependency, installed wherever the library is); so does
 * `bootstrap harden`, which renders the repository's key with it.
 *
 * Exit codes: 0 success, 1 invalid lifecycle policy (any readable policy file that ECR would
 * not accept: not JSON, wrong shape or broken rules), 2 usage error or unreadable input.
 */
import { existsSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import type { PlacementState } from '../fleet/placement';
import { LifecyclePolicy } from '../lifecycle/policy';
import { previewLifecyclePolicy } from '../lifecycle/preview';
import { parseTimestamp } from '../lifecycle/timestamp';

/** Where the CLI reads and writes; replaced in tests. */
export interface CliIo {
  /** Write to standard output. */
  stdout(text: string): void;
  /** Write to standard error. */
  stderr(text: string): void;
  /** Read a whole file; `-` is never passed here. */
  readFile(path: string): string;
  /** Read all of standard input. */
  readStdin(): string;
  /** Write a whole file (the placement file of `catalog plan --write`). */
  writeFile?(path: string, text: string): void;
  /** Whether a file exists. */
  exists?(path: string): boolean;
}

/** Exit codes of the CLI. */
export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

export const USAGE = `Usage:
  cdk-ecr-platform lifecycle validate --policy FILE
  cdk-ecr-platform lifecycle preview --policy FILE --images FILE [--now ISO-8601]
  cdk-ecr-platform catalog validate FILE [--format yaml|json]
  cdk-ecr-platform catalog plan FILE --placement FILE [--previous FILE] [--write]
      [--max-resources N] [--max-bytes N] [--format yaml|json]
  cdk-ecr-platform catalog move NAME... --to SHARD --placement FILE
  cdk-ecr-platform bootstrap harden --template FILE [--out FILE]
      [--kms-key ARN | --keep-aes256] [--untagged-days N]

Commands:
  lifecycle validate   Check an ECR lifecycle policy; prints "valid" or every problem.
  lifecycle preview    Apply a lifecycle policy offline to the output of
                       \`aws ecr describe-images\` and print what ECR would do, shaped
                       like \`aws ecr get-lifecycle-policy-preview\`.
  catalog validate     Check a repository catalog (YAML for .yaml/.yml, JSON
                       otherwise; standard input is JSON when it starts with
                       { or [, YAML otherwise), and the findings the
                       EcrCompliance pack (default settings) will report on
                       its fleet; prints "valid" with the warnings, or every
                       problem with file:line:column.
  catalog plan         Place the catalog's repositories in shard stacks from the
                       placement file (missing: empty) and print what is created,
                       removed and moved, and each shard's headroom. --write
                       updates the placement file; --previous compares with an
                       older placement file to show moves.
  catalog move         Move repositories to another shard in the placement file
                       (a deliberate move; see the README's move procedure),
                       recording the shard whose key encrypts each one.
  bootstrap harden     Write the CDK bootstrap template (the JSON of
                       \`cdk bootstrap --show-template --json\`) with its container
                       assets repository brought in line: scan on push, IMMUTABLE
                       tags, a customer managed key, a lifecycle policy that
                       expires only untagged images. Everything the CDK CLI reads
                       (parameters, outputs, bootstrap version) is kept. Deploy it
                       with \`cdk bootstrap --template FILE\`.

Options:
  --policy FILE   lifecycle policy JSON (as for \`aws ecr put-lifecycle-policy\`)
  --images FILE   output of \`aws ecr describe-images\` (JSON)
  --now TIME      evaluation time, ISO-8601 (default: the current time)
  --placement FILE  the fleet's placement file (JSON)
  --previous FILE   an earlier placement file, to list moves
  --to SHARD        the shard to move to (Shard3 or 3; a new one is created)
  --write           write the new placement to --placement
  --max-resources N resources per shard stack, 10 to 500 (default 400, as
                    RepositoryFleet)
  --max-bytes N     estimated template bytes per shard stack, 50000 to 1000000
                    (default 800000)
  --format F        the catalog's format, yaml or json, whatever its name
  --template FILE   the CDK bootstrap template, JSON
  --out FILE        where to write the hardened template (default: standard
                    output); nothing is written when there is a problem
  --kms-key ARN     encrypt with this existing KMS key instead of a new key
  --keep-aes256     keep ECR's AES256 encryption (an environment already
                    bootstrapped: ECR sets the encryption at creation)
  --untagged-days N replace the template's lifecycle policy with one that
                    expires untagged images N days after push
  -h, --help      show this help
  --version       print the version of cdk-ecr-platform
FILE may be - to read standard input.

Exit codes: 0 success, 1 invalid lifecycle policy, catalog or bootstrap template
(every problem listed), 2 usage error or unreadable input.
`;

class UsageError extends Error {}

function nodeIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (file) => readFileSync(file, 'utf8'),
    readStdin: () => readFileSync(0, 'utf8'),
    writeFile: (file, text) => writeFileSync(file, text),
    exists: (file) => existsSync(file),
  };
}

interface Options {
  readonly positionals: string[];
  readonly values: Map<string, string>;
  readonly help: boolean;
  readonly version: boolean;
  readonly write: boolean;
  readonly flags: Set<string>;
}

/** The package's version, from its package.json (two folders up from src/cli and lib/cli). */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  return String(manifest.version);
}

/** An error's message, whatever was thrown. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const VALUE_OPTIONS = ['--policy', '--images', '--now', '--placement', '--previous', '--max-resources', '--max-bytes', '--format', '--to',
  '--template', '--out', '--kms-key', '--untagged-days'];
/** Options without a value, other than --write, --help and --version. */
const FLAG_OPTIONS = ['--keep-aes256'];

function parseArgs(argv: string[]): Options {
  const positionals: string[] = [];
  const values = new Map<string, string>();
  let help = false;
  let version = false;
  let write = false;
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') {
      help = true;
    } else if (arg === '--version') {
      version = true;
    } else if (arg === '--write') {
      write = true;
    } else if (FLAG_OPTIONS.includes(arg)) {
      flags.add(arg);
    } else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(0, eq) : arg;
      if (!VALUE_OPTIONS.includes(name)) {
        throw new UsageError(`unknown option ${name}`);
      }
      let value: string | undefined;
      if (eq >= 0) {
        value = arg.slice(eq + 1);
      } else {
        value = argv[i + 1];
        if (value === undefined || (value.startsWith('--') && value.length > 2)) {
          const what = name === '--now' ? 'an ISO-8601 time' : name === '--format' ? 'yaml or json' : name.startsWith('--max-') ? 'a whole number'
            : name === '--to' ? 'a shard, like Shard3' : name === '--kms-key' ? 'a KMS key ARN' : name === '--untagged-days' ? 'a whole number of days'
              : name === '--out' ? 'a file' : 'a file, or - for standard input';
          throw new UsageError(`${name} needs a value (${what})`);
        }
        i++;
      }
      if (values.has(name)) throw new UsageError(`${name} given twice`);
      values.set(name, value);
    } else {
      positionals.push(arg);
    }
  }
  return { positionals, values, help, version, write, flags };
}

function allowOnly(options: Options, allowed: string[]): void {
  for (const name of options.values.keys()) {
    if (!allowed.includes(name)) throw new UsageError(`${name} is not an option of this command`);
  }
}

function required(options: Options, name: string): string {
  const value = options.values.get(name);
  if (value === undefined || value === '') throw new UsageError(`${name} FILE is required`);
  return value;
}

class InputError extends Error {}

function read(io: CliIo, file: string, what: string): string {
  try {
    return file === '-' ? io.readStdin() : io.readFile(file);
  } catch (error) {
    throw new InputError(`cannot read ${what} ${file === '-' ? 'from standard input' : file}: ${messageOf(error)}`);
  }
}

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
  allowOnly(options, ['--policy']);
  const { problems } = loadPolicy(io, required(options, '--policy'));
  if (problems.length > 0) return reportProblems(io, problems);
  io.stdout('valid\n');
  return EXIT_OK;
}

function previewCommand(io: CliIo, options: Options): number {
  allowOnly(options, ['--policy', '--images', '--now']);
  const policyPath = required(options, '--policy');
  const imagesPath = required(options, '--images');
  if (policyPath === '-' && imagesPath === '-') throw new UsageError('only one of --policy and --images can read standard input');
  const nowText = options.values.get('--now');
  const now = nowText === undefined ? Date.now() : parseTimestamp(nowText);
  if (now === undefined || !Number.isFinite(now)) throw new UsageError(`--now ${JSON.stringify(nowText)} is not an ISO-8601 time`);

  const { policy, problems } = loadPolicy(io, policyPath);
  if (policy === undefined) return reportProblems(io, problems);

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
  io.stdout(`${JSON.stringify(output, null, 2)}\n`);
  return EXIT_OK;
}

/** The catalog modules, loaded only by the catalog commands (they need aws-cdk-lib). */
function catalogModules() {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const catalog = require('../fleet/catalog') as typeof import('../fleet/catalog');
  const placement = require('../fleet/placement') as typeof import('../fleet/placement');
  const fleet = require('../fleet/fleet') as typeof import('../fleet/fleet');
  const budget = require('../fleet/budget') as typeof import('../fleet/budget');
  const keyScope = require('../fleet/key-scope') as typeof import('../fleet/key-scope');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { ...catalog, ...placement, ...budget, ...keyScope, fleetItem: fleet.fleetItem };
}

/** The name of a catalog in messages: the file, or stdin. */
function catalogName(file: string): string {
  return file === '-' ? 'stdin' : file;
}

/** --format, when given: yaml or json. */
function formatOption(options: Options): 'yaml' | 'json' | undefined {
  const value = options.values.get('--format');
  if (value === undefined) return undefined;
  if (value !== 'yaml' && value !== 'json') throw new UsageError(`--format ${JSON.stringify(value)} must be yaml or json`);
  return value;
}

function loadCatalog(io: CliIo, file: string, options: Options) {
  const m = catalogModules();
  const given = formatOption(options);
  const text = read(io, file, 'catalog');
  // A file's extension names its format; standard input is JSON when it starts like JSON.
  const format = given === 'yaml' ? m.CatalogFormat.YAML : given === 'json' ? m.CatalogFormat.JSON
    : file === '-' ? (/^\ufeff?\s*[{[]/.test(text) ? m.CatalogFormat.JSON : m.CatalogFormat.YAML) : m.catalogFormatOf(file);
  return m.readCatalog(text, format, catalogName(file));
}

function reportCatalogProblems(io: CliIo, file: string, problems: string[]): number {
  io.stderr(`Catalog ${catalogName(file)} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n`);
  for (const problem of problems) io.stderr(`- ${problem}\n`);
  return EXIT_INVALID;
}

function catalogFile(extra: string[]): string {
  const [file, ...more] = extra;
  if (file === undefined) throw new UsageError('catalog FILE is required');
  if (more.length > 0) throw new UsageError(`unexpected argument "${more[0]}"`);
  return file;
}

function catalogValidateCommand(io: CliIo, options: Options, extra: string[]): number {
  allowOnly(options, ['--format']);
  if (options.write) throw new UsageError('--write is an option of catalog plan');
  const file = catalogFile(extra);
  const catalog = loadCatalog(io, file, options);
  if (catalog.problems.length > 0) return reportCatalogProblems(io, file, catalog.problems);
  // The compliance pack's verdicts on the fleet the synth builds: "valid" means the synth passes it.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { catalogVerdicts } = require('../fleet/verdicts') as typeof import('../fleet/verdicts');
  const { EcrComplianceChecks } = require('../compliance/pack') as typeof import('../compliance/pack');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const verdicts = catalogVerdicts(catalog, catalogName(file), new EcrComplianceChecks());
  if (verdicts.errors.length > 0) return reportCatalogProblems(io, file, verdicts.errors);
  const warnings = verdicts.warnings.length;
  io.stdout(`valid (${catalog.repositories.length} repositories${warnings > 0 ? `; ${warnings} compliance warning${warnings === 1 ? '' : 's'}` : ''})\n`);
  for (const warning of verdicts.warnings) io.stdout(`- ${warning}\n`);
  return EXIT_OK;
}

function positiveInteger(options: Options, name: string, fallback: number): number {
  const text = options.values.get(name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1) throw new UsageError(`${name} ${JSON.stringify(text)} is not a positive whole number`);
  return n;
}

function readPlacement(io: CliIo, m: ReturnType<typeof catalogModules>, file: string, missingIsEmpty: boolean): PlacementState {
  if (missingIsEmpty && io.exists && !io.exists(file)) return m.placementOf(new Map());
  const text = read(io, file, 'placement file');
  try {
    return m.parsePlacementState(text, file);
  } catch (error) {
    throw new InputError(messageOf(error));
  }
}

function catalogPlanCommand(io: CliIo, options: Options, extra: string[]): number {
  allowOnly(options, ['--placement', '--previous', '--max-resources', '--max-bytes', '--format']);
  const file = catalogFile(extra);
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
  const { problems, repositories } = loadCatalog(io, file, options);
  if (problems.length > 0) return reportCatalogProblems(io, file, problems);
  const previous = readPlacement(io, m, placementFile, true);
  const result = m.placeRepositories(previous.repositories, repositories.map(m.fleetItem), budget, previous.shards);
  const before = (options.values.has('--previous') ? readPlacement(io, m, options.values.get('--previous')!, false) : previous).repositories;
  const moved = [...result.placement].filter(([name, shard]) => before.has(name) && before.get(name) !== shard);
  const keyNote = (name: string) => {
    const holder = previous.keys.get(name) ?? (previous.keyScope === m.FleetKeyScope.REGISTRY ? m.REGISTRY_KEY_HOLDER : undefined);
    return holder !== undefined
      ? `keeps the key of ${m.keyHolderName(holder)}`
      : `no key recorded: a repository on the shard key needs "keys": {"${name}": "Shard${before.get(name)}"}, which \`catalog move\` writes`;
  };
  const out: string[] = [];
  out.push(`Plan for ${catalogName(file)} with ${placementFile} (per shard: ${budget.resources} resources, ~${budget.bytes} template bytes):`);
  out.push(`  create ${result.created.length}${result.created.map((n) => `\n    + ${n} -> Shard${result.placement.get(n)}`).join('')}`);
  out.push(`  remove ${result.removed.length}${result.removed.map((n) => `\n    - ${n} (Shard${previous.repositories.get(n)}; retained unless its removalPolicy says otherwise)`).join('')}`);
  out.push(`  move ${moved.length}${moved.map(([n, s]) => `\n    ~ ${n} Shard${before.get(n)} -> Shard${s} (${keyNote(n)}; retain in the old stack, then cdk import into the new one)`).join('')}`);
  out.push('Shards:');
  for (const s of result.shards) {
    out.push(`  Shard${s.shard}: ${s.repositories} repositories, ${s.resources}/${budget.resources} resources (headroom ${budget.resources - s.resources}), ~${s.bytes}/${budget.bytes} bytes (headroom ~${budget.bytes - s.bytes})`);
  }
  io.stdout(`${out.join('\n')}\n`);
  if (options.write) {
    if (!io.writeFile) throw new InputError('cannot write files here');
    io.writeFile(placementFile, m.renderPlacementState({ ...previous, repositories: result.placement, shards: result.shards.map((u) => u.shard) }));
    io.stdout(`wrote ${placementFile}\n`);
  }
  return EXIT_OK;
}

function catalogMoveCommand(io: CliIo, options: Options, extra: string[]): number {
  allowOnly(options, ['--placement', '--to']);
  if (options.write) throw new UsageError('--write is an option of catalog plan (catalog move always writes the placement file)');
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
  const out = extra.map((n) => `  ~ ${n} Shard${previous.repositories.get(n)} -> Shard${next.repositories.get(n)}${next.keys.has(n) ? ` (keeps the key of ${m.keyHolderName(next.keys.get(n)!)})` : ''}`);
  io.stdout(`Moved in ${placementFile}:\n${out.join('\n')}\nNext: deploy the old shards (they keep the repositories, retained), then \`cdk import\` each new shard with fleet.importResourceMapping([...]) (see the README's move procedure).\n`);
  return EXIT_OK;
}

/** The bootstrap module, loaded only by `bootstrap harden` (it renders a key with aws-cdk-lib). */
function bootstrapModule() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../bootstrap/harden') as typeof import('../bootstrap/harden');
}

function bootstrapHardenCommand(io: CliIo, options: Options, extra: string[]): number {
  allowOnly(options, ['--template', '--out', '--kms-key', '--untagged-days']);
  if (options.write) throw new UsageError('--write is an option of catalog plan (bootstrap harden writes to --out, or to standard output)');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const templateFile = required(options, '--template');
  const out = options.values.get('--out');
  if (out === '' || out === '-') throw new UsageError('--out must name a file (leave it out to write to standard output)');
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
    io.stderr(`Bootstrap template ${name} is not JSON${yaml ? ' (YAML is not read here: CloudFormation\'s short-form tags such as !Sub need a CloudFormation-aware reader)' : `: ${messageOf(error)}`}.\n`
      + 'Print the template as JSON with: cdk bootstrap --show-template --json > bootstrap-template.json\n');
    return EXIT_INVALID;
  }
  const result = bootstrapModule().hardenBootstrapTemplate(template, {
    encryptionKeyArn: kmsKey, keepAes256Encryption: keepAes256 || undefined, untaggedImageExpiryDays: days,
  });
  if (result.template === undefined) {
    io.stderr(`Bootstrap template ${name} cannot be hardened (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}):\n`);
    for (const problem of result.problems) io.stderr(`- ${problem}\n`);
    return EXIT_INVALID;
  }
  const rendered = `${JSON.stringify(result.template, null, 2)}\n`;
  const report = `ContainerAssetsRepository:\n${result.changes.map((c) => `  ${c}\n`).join('')}`;
  if (out === undefined) {
    io.stdout(rendered);
    io.stderr(report);
  } else {
    if (!io.writeFile) throw new InputError('cannot write files here');
    try {
      io.writeFile(out, rendered);
    } catch (error) {
      throw new InputError(`cannot write ${out}: ${messageOf(error)}`);
    }
    io.stdout(`${report}wrote ${out}; deploy it with: cdk bootstrap --template ${out}\n`);
  }
  return EXIT_OK;
}

/**
 * Run the CLI with the arguments after the program name. Returns the exit code.
 */
export function main(argv: string[], io: CliIo = nodeIo()): number {
  try {
    const options = parseArgs(argv);
    if (options.help) {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    if (options.version) {
      io.stdout(`${packageVersion()}\n`);
      return EXIT_OK;
    }
    const [group, command, ...extra] = options.positionals;
    if (group === undefined) throw new UsageError('no command given');
    if (group === 'catalog') {
      if (options.flags.size > 0) throw new UsageError(`${[...options.flags][0]} is an option of bootstrap harden`);
      if (command === 'validate') return catalogValidateCommand(io, options, extra);
      if (command === 'plan') return catalogPlanCommand(io, options, extra);
      if (command === 'move') return catalogMoveCommand(io, options, extra);
      throw new UsageError(command === undefined ? 'catalog needs a command: validate, plan or move' : `unknown command "catalog ${command}"`);
    }
    if (group === 'bootstrap') {
      if (command === 'harden') return bootstrapHardenCommand(io, options, extra);
      throw new UsageError(command === undefined ? 'bootstrap needs a command: harden' : `unknown command "bootstrap ${command}"`);
    }
    if (options.flags.size > 0) throw new UsageError(`${[...options.flags][0]} is an option of bootstrap harden`);
    if (options.write) throw new UsageError('--write is an option of catalog plan');
    if (group !== 'lifecycle') throw new UsageError(`unknown command "${group}"`);
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    if (command === 'validate') return validateCommand(io, options);
    if (command === 'preview') return previewCommand(io, options);
    throw new UsageError(command === undefined ? 'lifecycle needs a command: validate or preview' : `unknown command "lifecycle ${command}"`);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`cdk-ecr-platform: ${error.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    if (error instanceof InputError) {
      io.stderr(`cdk-ecr-platform: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`cdk-ecr-platform: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = EXIT_USAGE;
  }
}
