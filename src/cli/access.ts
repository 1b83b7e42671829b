/*
 * `cdk-ecr-platform access report CDK_OUT` and `access diff OLD_CDK_OUT NEW_CDK_OUT`: who can
 * pull, push, delete, administer or replicate into each repository of a synthesized app,
 * and what a change grants and revokes. The access modules load only for these commands.
 */
import { CommandSpec, UsageError } from './args';
import { CliIo, EXIT_INVALID, EXIT_OK, InputError, messageOf, Options, read } from './common';
import type { AccessReport } from '../access/report';

function modules() {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const report = require('../access/report') as typeof import('../access/report');
  const diff = require('../access/diff') as typeof import('../access/diff');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { ...report, ...diff };
}

/** The access commands, for the COMMANDS table of main.ts. */
export const ACCESS_COMMANDS: readonly CommandSpec[] = [
  {
    group: 'access',
    name: 'report',
    synopsis: 'CDK_OUT [--format md|json|csv|mermaid]',
    positionals: 'some',
    summary: 'Who can pull, push, delete images from, administer or replicate\ninto each repository of a synthesized app (its cloud assembly,\nnested assemblies and stacks included), by AWS\'s policy\nevaluation logic; undecided where a condition is not modelled.',
    options: [{ name: '--format', value: 'F', needs: 'md, json, csv or mermaid', help: 'md (default), json, csv, or mermaid (a flowchart GitHub renders)' }],
  },
  {
    group: 'access',
    name: 'diff',
    synopsis: 'OLD_CDK_OUT NEW_CDK_OUT [--format md|json|mermaid] [--acknowledgements FILE]',
    positionals: 'some',
    summary: 'What a change grants and revokes. Exits 1 when it adds push,\ndelete or administration across accounts, or any access for\nanyone outside the organization, that no acknowledgement names.',
    options: [
      { name: '--format', value: 'F', needs: 'md, json or mermaid', help: 'md (default: a pull-request comment), json, or mermaid' },
      { name: '--acknowledgements', value: 'FILE', needs: 'a file', help: 'reviewed grants, JSON: [{ repository, principal, capability?,\nreason }] (wildcards * and ?)' },
    ],
  },
];

function format(options: Options, allowed: readonly string[]): string {
  const value = options.values.get('--format') ?? 'md';
  if (!allowed.includes(value)) throw new UsageError(`--format ${JSON.stringify(value)} must be ${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}`);
  return value;
}

function load(io: CliIo, directory: string): AccessReport {
  const m = modules();
  try {
    return m.AccessReport._read(directory, (file) => io.readFile(file));
  } catch (error) {
    if (m.AccessReport._isInputError(error)) throw new InputError(messageOf(error));
    throw error;
  }
}

export function accessReportCommand(io: CliIo, options: Options): number {
  const f = format(options, ['md', 'json', 'csv', 'mermaid']);
  const [directory, ...more] = options.positionals;
  if (directory === undefined) throw new UsageError('access report needs the cloud assembly folder (cdk.out)');
  if (more.length > 0) throw new UsageError(`unexpected argument "${more[0]}"`);
  const report = load(io, directory);
  io.stdout(f === 'json' ? report.toJson() : f === 'csv' ? report.toCsv() : f === 'mermaid' ? report.toMermaid() : report.toMarkdown());
  return EXIT_OK;
}

export function accessDiffCommand(io: CliIo, options: Options): number {
  const f = format(options, ['md', 'json', 'mermaid']);
  const [before, after, ...more] = options.positionals;
  if (before === undefined || after === undefined) throw new UsageError('access diff needs two cloud assembly folders: OLD_CDK_OUT NEW_CDK_OUT');
  if (more.length > 0) throw new UsageError(`unexpected argument "${more[0]}"`);
  const m = modules();
  const file = options.values.get('--acknowledgements');
  let acknowledgements: ReturnType<typeof m.AccessDiff.parseAcknowledgements> = [];
  if (file !== undefined) {
    try {
      acknowledgements = m.AccessDiff.parseAcknowledgements(read(io, file, 'acknowledgements'));
    } catch (error) {
      if (m.AccessDiff._isAcknowledgementError(error)) throw new InputError(`${file}: ${messageOf(error)}`);
      throw error;
    }
  }
  const diff = m.AccessDiff.between(load(io, before), load(io, after), acknowledgements);
  io.stdout(f === 'json' ? diff.toJson() : f === 'mermaid' ? diff.toMermaid() : diff.toMarkdown());
  for (const a of diff.unmatchedAcknowledgements) {
    io.stderr(`acknowledgement matches no added grant: ${a.repository} / ${a.principal}${a.capability ? ` / ${a.capability}` : ''}\n`);
  }
  if (diff.failed) io.stderr(`${diff.unacknowledged.length} added grant${diff.unacknowledged.length === 1 ? '' : 's'} need${diff.unacknowledged.length === 1 ? 's' : ''} review (push, delete or administration across accounts, or access for anyone)\n`);
  return diff.failed ? EXIT_INVALID : EXIT_OK;
}
