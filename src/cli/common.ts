/*
 * What the CLI's commands share: where they read and write, exit codes, output formats,
 * progress on a terminal, problem reports, and loading a catalog or placement file.
 * Each command lives in a file of its own (or in main.ts) and imports from here.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { ParsedArgs, PROGRAM, UsageError } from './args';
import type { PlacementState } from '../fleet/placement';

/** Where the CLI reads and writes; replaced in tests. */
export interface CliIo {
  /** Whether standard error is a terminal: long commands show their progress there, never in logs. */
  readonly stderrIsTTY?: boolean;
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
  /** Remove a file (a file a command wrote before a later write of the same command failed). */
  removeFile?(path: string): void;
  /** Create a folder and its parents (the folder of `--write-import-mappings`). */
  makeDirectory?(path: string): void;
  /** Milliseconds on a steady clock, to show progress once a command has run for more than a second. */
  clock?(): number;
}

/** Exit codes of the CLI. */
export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

/**
 * Writes a whole file or nothing: the text goes to a temporary file next to it, which is
 * then renamed over it (a rename within a folder is atomic), so that a reader never sees
 * half a placement file or template, even when the disk fills up or the process dies.
 */
export function writeFileAtomically(file: string, text: string): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch (error) {
    try { unlinkSync(temporary); } catch { /* never written */ }
    throw error;
  }
}

export function nodeIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (file) => readFileSync(file, 'utf8'),
    readStdin: () => readFileSync(0, 'utf8'),
    writeFile: writeFileAtomically,
    exists: (file) => existsSync(file),
    removeFile: (file) => unlinkSync(file),
    makeDirectory: (dir) => mkdirSync(dir, { recursive: true }),
    stderrIsTTY: process.stderr.isTTY === true,
    clock: () => performance.now(),
  };
}

/** How long a command runs before it shows its progress on a terminal. */
export const PROGRESS_AFTER_MS = 1000;

/**
 * The progress of a long command: each step is printed on standard error when it
 * is a terminal and the command has run for more than a second (never in CI logs
 * or pipes, where stderr is not a terminal).
 */
export function progressOf(io: CliIo): (step: string) => void {
  if (io.stderrIsTTY !== true || io.clock === undefined) return () => undefined;
  const clock = io.clock.bind(io);
  const start = clock();
  return (step) => {
    if (clock() - start > PROGRESS_AFTER_MS) io.stderr(`${step}...\n`);
  };
}

/** A count with thousands separators (50,000), the same in every locale. */
export function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The parsed options of a command (see args.ts). */
export type Options = ParsedArgs;

/** The package's version, from its package.json (two folders up from src/cli and lib/cli). */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  return String(manifest.version);
}

/** An error's message, whatever was thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function required(options: Options, name: string): string {
  const value = options.values.get(name);
  if (value === undefined || value === '') throw new UsageError(`${name} FILE is required`);
  return value;
}

/** The output format of a command: --format, or its default. */
export function outputFormat(options: Options, fallback: 'text' | 'json' = 'text'): 'text' | 'json' {
  const value = options.values.get('--format') ?? fallback;
  if (value === 'text' || value === 'json') return value;
  // --format named the catalog's format before it named the output's.
  const hint = value === 'yaml' ? ' (the catalog\'s own format is --catalog-format yaml|json)' : '';
  throw new UsageError(`--format ${JSON.stringify(value)} must be text or json${hint}`);
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** One problem as `--format json` prints it. */
export interface ProblemRecord {
  /** The input, as named in text (`stdin` for standard input). */
  readonly file: string;
  /** 1-based line and column, when the input's reader knows them (catalogs); null otherwise. */
  readonly line: number | null;
  readonly column: number | null;
  /** The lifecycle rule (`rules[1]`) or catalog entry (`repositories[0]`, `defaults.lifecycle`) concerned, or null. */
  readonly rule: string | null;
  /** The problem, as the text output prints it after file:line:column. */
  readonly message: string;
}

/** The problems of an input as records: the text of each, split at its file:line:column and rule or entry. */
export function problemRecords(file: string, problems: string[]): ProblemRecord[] {
  const name = file === '-' ? 'stdin' : file;
  return problems.map((problem) => {
    const position = problem.startsWith(`${name}:`) ? /^(\d+):(\d+): /.exec(problem.slice(name.length + 1)) : null;
    const message = position ? problem.slice(name.length + 1 + position[0].length) : problem;
    const rule = /^(?:repositories|defaults)(?:\[\d+\]|\.[A-Za-z]+)*(?=[ :])/.exec(message) ?? /\brules\[\d+\]/.exec(message);
    return {
      file: name, line: position ? Number(position[1]) : null, column: position ? Number(position[2]) : null, rule: rule ? rule[0] : null, message,
    };
  });
}

/** The document of `--format json` when the input has problems (exit 1). */
export function printProblemsJson(io: CliIo, file: string, problems: string[]): number {
  printJson(io, { file: file === '-' ? 'stdin' : file, valid: false, problems: problemRecords(file, problems) });
  return EXIT_INVALID;
}

export class InputError extends Error {}

/**
 * A readable input with problems (an export the reader refuses, say): exit 1,
 * as for every readable file with problems, its message on standard error.
 */
export class InputProblemsError extends Error {}

export function read(io: CliIo, file: string, what: string): string {
  try {
    return file === '-' ? io.readStdin() : io.readFile(file);
  } catch (error) {
    throw new InputError(`cannot read ${what} ${file === '-' ? 'from standard input' : file}: ${messageOf(error)}`);
  }
}

/** The catalog modules, loaded only by the catalog commands (they need aws-cdk-lib). */
export function catalogModules() {
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
export function catalogName(file: string): string {
  return file === '-' ? 'stdin' : file;
}

/** --catalog-format, when given: yaml or json. */
export function catalogFormatOption(options: Options): 'yaml' | 'json' | undefined {
  const value = options.values.get('--catalog-format');
  if (value === undefined) return undefined;
  if (value !== 'yaml' && value !== 'json') throw new UsageError(`--catalog-format ${JSON.stringify(value)} must be yaml or json`);
  return value;
}

export function loadCatalog(io: CliIo, file: string, options: Options) {
  const m = catalogModules();
  const given = catalogFormatOption(options);
  const text = read(io, file, 'catalog');
  // A file's extension names its format; standard input is JSON when it starts like JSON.
  const format = given === 'yaml' ? m.CatalogFormat.YAML : given === 'json' ? m.CatalogFormat.JSON
    : file === '-' ? (/^\ufeff?\s*[{[]/.test(text) ? m.CatalogFormat.JSON : m.CatalogFormat.YAML) : m.catalogFormatOf(file);
  return m.readCatalog(text, format, catalogName(file));
}

export function reportCatalogProblems(io: CliIo, file: string, problems: string[], format: 'text' | 'json' = 'text'): number {
  if (format === 'json') return printProblemsJson(io, file, problems);
  io.stderr(`Catalog ${catalogName(file)} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n`);
  for (const problem of problems) io.stderr(`- ${problem}\n`);
  return EXIT_INVALID;
}

/**
 * The catalog file: --catalog FILE. The positional FILE of earlier versions still works,
 * with a one-line notice on stderr, so that scripts keep running while they are updated.
 */
export function catalogFile(io: CliIo, options: Options, command: string): string {
  const given = options.values.get('--catalog');
  const [file, ...more] = options.positionals;
  if (given !== undefined) {
    if (file !== undefined) throw new UsageError(`unexpected argument "${file}" (the catalog is --catalog ${given})`);
    if (given === '') throw new UsageError('--catalog FILE is required');
    return given;
  }
  if (file === undefined) throw new UsageError('--catalog FILE is required');
  if (more.length > 0) throw new UsageError(`unexpected argument "${more[0]}"`);
  io.stderr(`${PROGRAM}: "catalog ${command} FILE" is deprecated: use "catalog ${command} --catalog FILE"\n`);
  return file;
}

export function positiveInteger(options: Options, name: string, fallback: number): number {
  const text = options.values.get(name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1) throw new UsageError(`${name} ${JSON.stringify(text)} is not a positive whole number`);
  return n;
}

export function readPlacement(io: CliIo, m: ReturnType<typeof catalogModules>, file: string, missingIsEmpty: boolean): PlacementState {
  if (missingIsEmpty && io.exists && !io.exists(file)) return m.placementOf(new Map());
  const text = read(io, file, 'placement file');
  try {
    return m.parsePlacementState(text, file);
  } catch (error) {
    throw new InputError(messageOf(error));
  }
}

