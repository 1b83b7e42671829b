/*
 * The command-line layer of cdk-ecr-platform: the table of commands and their options,
 * the parsing of the arguments against it, "did you mean" for a misspelt command,
 * subcommand or option, and the help of each command. The commands themselves (in
 * main.ts) receive parsed options and know nothing of argv.
 */
import { closest } from '../internal/edit-distance';

/** The program's name in messages and help. */
export const PROGRAM = 'cdk-ecr-platform';

/** A usage error: exit 2, with the message and the help of the command concerned. */
export class UsageError extends Error {
  constructor(message: string, readonly command?: CommandSpec) {
    super(message);
  }
}

/** One option of a command. */
export interface OptionSpec {
  /** The option, for example `--policy`. */
  readonly name: string;
  /** The placeholder of its value in help (`FILE`); undefined for a flag without value. */
  readonly value?: string;
  /** What a missing value should be, for the message (`a file, or - for standard input`). */
  readonly needs?: string;
  /** Its help, one or more lines. */
  readonly help: string;
}

/** One command: `GROUP NAME`. */
export interface CommandSpec {
  readonly group: string;
  readonly name: string;
  /** What follows `cdk-ecr-platform GROUP NAME` in the synopsis. */
  readonly synopsis: string;
  /** What the command does, for the help (lines of up to ~72 characters). */
  readonly summary: string;
  readonly options: readonly OptionSpec[];
  /** How many plain arguments the command takes: none, or any number (names, or a deprecated file). */
  readonly positionals: 'none' | 'some';
}

/** The parsed arguments of one command. */
export interface ParsedArgs {
  /** The plain arguments after the command words. */
  readonly positionals: string[];
  /** Options with a value, by name (`--policy` -> `policy.json`). */
  readonly values: Map<string, string>;
  /** Options without a value that were given (`--write`, `--keep-aes256`). */
  readonly flags: Set<string>;
}

/** What the command line asks for. */
export type Invocation =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'version' }
  | { readonly kind: 'run'; readonly command: CommandSpec; readonly args: ParsedArgs };

const HELP = ['-h', '--help'];
const VERSION = '--version';

/** The synopsis line of a command. */
export function synopsis(command: CommandSpec): string {
  return `${PROGRAM} ${command.group} ${command.name} ${command.synopsis}`.trimEnd();
}

/** The help of one command: synopsis, summary and every option. */
export function commandHelp(command: CommandSpec): string {
  const width = Math.max(...command.options.map((o) => optionLabel(o).length), 10) + 2;
  const options = [...command.options, { name: '-h, --help', help: 'show this help' }]
    .map((o) => {
      const [first, ...rest] = o.help.split('\n');
      return [`  ${optionLabel(o).padEnd(width)}${first}`, ...rest.map((line) => `  ${' '.repeat(width)}${line}`)].join('\n');
    });
  return `Usage: ${synopsis(command)}\n\n${command.summary.replace(/^/gm, '  ')}\n\nOptions:\n${options.join('\n')}\n`;
}

function optionLabel(option: { readonly name: string; readonly value?: string }): string {
  return option.value === undefined ? option.name : `${option.name} ${option.value}`;
}

/** The help of every command: synopses and summaries. */
export function programHelp(commands: readonly CommandSpec[], footer: string): string {
  const lines = commands.map((c) => `  ${synopsis(c)}`);
  const width = Math.max(...commands.map((c) => `${c.group} ${c.name}`.length)) + 4;
  const summaries = commands.map((c) => `  ${`${c.group} ${c.name}`.padEnd(width)}${c.summary.replace(/\n/g, `\n  ${' '.repeat(width)}`)}`);
  return `Usage:\n${lines.join('\n')}\n  ${PROGRAM} --version\n\nCommands:\n${summaries.join('\n')}\n\n`
    + `Run \`${PROGRAM} GROUP COMMAND --help\` for a command's options.\n\n${footer}`;
}

function groupHelp(group: string, commands: readonly CommandSpec[]): string {
  return `Usage:\n${commands.filter((c) => c.group === group).map((c) => `  ${synopsis(c)}`).join('\n')}\n\n`
    + `Run \`${PROGRAM} ${group} COMMAND --help\` for a command's options.\n`;
}

/** ` (did you mean X?)`, or nothing when no candidate is close. */
function didYouMean(word: string, candidates: readonly string[], quote = (s: string) => `"${s}"`): string {
  const hint = closest(word, candidates);
  return hint === undefined ? '' : `; did you mean ${quote(hint)}?`;
}

/** The options with a value of any command: their values are never command words. */
function valueOptions(commands: readonly CommandSpec[]): Set<string> {
  return new Set(commands.flatMap((c) => c.options.filter((o) => o.value !== undefined).map((o) => o.name)));
}

/** Indexes in argv of the plain arguments (not options, not option values). */
function plainIndexes(argv: readonly string[], withValue: Set<string>): number[] {
  const out: number[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('-') && arg !== '-') {
      if (!arg.includes('=') && withValue.has(arg)) i++;
    } else {
      out.push(i);
    }
  }
  return out;
}

/**
 * What the arguments after the program name ask for. Throws a UsageError for a command,
 * a subcommand or an option that does not exist (with the closest one that does), a
 * missing or repeated value, or an option of another command.
 */
export function parseCommandLine(argv: readonly string[], commands: readonly CommandSpec[], footer: string): Invocation {
  const plain = plainIndexes(argv, valueOptions(commands));
  const [group, name] = plain.map((i) => argv[i]);
  const groups = [...new Set(commands.map((c) => c.group))];
  const command = commands.find((c) => c.group === group && c.name === name);
  const help = argv.some((a) => HELP.includes(a));

  if (help) {
    if (command) return { kind: 'help', text: commandHelp(command) };
    if (group !== undefined && groups.includes(group)) return { kind: 'help', text: groupHelp(group, commands) };
    return { kind: 'help', text: programHelp(commands, footer) };
  }
  if (group === undefined) {
    if (argv.includes(VERSION)) return { kind: 'version' };
    const first = argv[0];
    if (first !== undefined) {
      throw new UsageError(`${first.split('=')[0]} before a command: give the command first (${PROGRAM} GROUP COMMAND [options])`);
    }
    throw new UsageError('no command given');
  }
  if (!groups.includes(group)) {
    // A command name given without its group (`validate`): every group that has it.
    const owners = commands.filter((c) => c.name === group).map((c) => `"${c.group} ${c.name}"`);
    const hint = owners.length > 0 ? `; did you mean ${owners.join(' or ')}?` : didYouMean(group, groups);
    throw new UsageError(`unknown command "${group}"${hint}`);
  }
  const names = commands.filter((c) => c.group === group).map((c) => c.name);
  if (name === undefined) {
    throw new UsageError(`${group} needs a command: ${names.slice(0, -1).join(', ')}${names.length > 1 ? ' or ' : ''}${names[names.length - 1]}`);
  }
  if (!command) {
    throw new UsageError(`unknown command "${group} ${name}"${didYouMean(name, names, (s) => `"${group} ${s}"`)}`);
  }
  return { kind: 'run', command, args: parseOptions(argv, command, commands, plain.slice(2)) };
}

function parseOptions(argv: readonly string[], command: CommandSpec, commands: readonly CommandSpec[], positionalIndexes: number[]): ParsedArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const fail = (message: string) => new UsageError(message, command);
  const own = command.options.map((o) => o.name);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-') || arg === '-') continue;
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const option = command.options.find((o) => o.name === name);
    if (option === undefined) {
      if (name === '--') throw fail('unexpected argument "--" (no argument of these commands starts with -)');
      if (name === VERSION) throw fail(`${VERSION} takes no command (${PROGRAM} --version)`);
      const others = commands.filter((c) => c.options.some((o) => o.name === name)).map((c) => `${c.group} ${c.name}`);
      if (others.length > 0) throw fail(`${name} is an option of ${others.join(' and ')}, not of ${command.group} ${command.name}`);
      throw fail(`unknown option ${name}${didYouMean(name, own, (s) => s)}`);
    }
    if (option.value === undefined) {
      if (eq >= 0) throw fail(`${name} takes no value`);
      flags.add(name);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else {
      value = argv[i + 1];
      if (value === undefined || (value.startsWith('--') && value.length > 2)) {
        throw fail(`${name} needs a value (${option.needs ?? option.value.toLowerCase()})`);
      }
      i++;
    }
    if (values.has(name)) throw fail(`${name} given twice`);
    values.set(name, value);
  }
  const positionals = positionalIndexes.map((i) => argv[i]);
  if (command.positionals === 'none' && positionals.length > 0) throw fail(`unexpected argument "${positionals[0]}"`);
  return { positionals, values, flags };
}
