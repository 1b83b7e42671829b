#!/usr/bin/env node
/*
 * cdk-ecr-platform command-line tool.
 *
 *   cdk-ecr-platform lifecycle validate --policy FILE
 *   cdk-ecr-platform lifecycle preview  --policy FILE --images FILE [--now ISO-8601]
 *
 * Runs with plain node from the compiled library; it needs nothing but node built-ins and
 * the library's own lifecycle model (aws-cdk-lib is only loaded if a value looks like a
 * CDK token, which JSON read from a file never is).
 *
 * Exit codes: 0 success, 1 invalid lifecycle policy (any readable policy file that ECR would
 * not accept: not JSON, wrong shape or broken rules), 2 usage error or unreadable input.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
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
}

/** Exit codes of the CLI. */
export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

export const USAGE = `Usage:
  cdk-ecr-platform lifecycle validate --policy FILE
  cdk-ecr-platform lifecycle preview --policy FILE --images FILE [--now ISO-8601]

Commands:
  lifecycle validate   Check an ECR lifecycle policy; prints "valid" or every problem.
  lifecycle preview    Apply a lifecycle policy offline to the output of
                       \`aws ecr describe-images\` and print what ECR would do, shaped
                       like \`aws ecr get-lifecycle-policy-preview\`.

Options:
  --policy FILE   lifecycle policy JSON (as for \`aws ecr put-lifecycle-policy\`)
  --images FILE   output of \`aws ecr describe-images\` (JSON)
  --now TIME      evaluation time, ISO-8601 (default: the current time)
  -h, --help      show this help
  --version       print the version of cdk-ecr-platform
FILE may be - to read standard input.

Exit codes: 0 success, 1 invalid lifecycle policy (every problem listed),
2 usage error or unreadable input.
`;

class UsageError extends Error {}

function nodeIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (file) => readFileSync(file, 'utf8'),
    readStdin: () => readFileSync(0, 'utf8'),
  };
}

interface Options {
  readonly positionals: string[];
  readonly values: Map<string, string>;
  readonly help: boolean;
  readonly version: boolean;
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

const VALUE_OPTIONS = ['--policy', '--images', '--now'];

function parseArgs(argv: string[]): Options {
  const positionals: string[] = [];
  const values = new Map<string, string>();
  let help = false;
  let version = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') {
      help = true;
    } else if (arg === '--version') {
      version = true;
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
          throw new UsageError(`${name} needs a value${name === '--now' ? ' (an ISO-8601 time)' : ' (a file, or - for standard input)'}`);
        }
        i++;
      }
      if (values.has(name)) throw new UsageError(`${name} given twice`);
      values.set(name, value);
    } else {
      positionals.push(arg);
    }
  }
  return { positionals, values, help, version };
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
