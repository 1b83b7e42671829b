/*
 * `registry export`: the export of a live registry, from ECR's read calls made
 * with the AWS SDK for JavaScript v3 (`--region`), or from a folder of saved
 * AWS CLI outputs (`--from-cli DIR`). The file is written whole or not at all.
 *
 * The adoption modules are loaded when the command runs (the reader checks
 * values against the construct library's enums, which load aws-cdk-lib), and
 * `@aws-sdk/client-ecr` only for a live export: it is not a dependency of
 * cdk-ecr-platform, and a user installs it next to it to export live.
 */
import * as path from 'path';
import { CommandSpec, OptionSpec, UsageError } from './args';
import { CliIo, EXIT_INVALID, EXIT_OK, EXIT_USAGE, InputError, messageOf, Options, outputFormat, printJson, progressOf } from './common';
import type { RegistryExportFile } from '../adopt/export-model';
import { ACCOUNT_ID_PATTERN } from '../internal/ecr-facts';

/** The command's entry in the table of commands. */
export function registryExportSpec(format: OptionSpec): CommandSpec {
  return {
    group: 'registry',
    name: 'export',
    synopsis: '--out FILE (--region REGION [--profile P] [--registry-id ID]\n      | --from-cli DIR [--region REGION]) [--format text|json]',
    positionals: 'none',
    summary: 'Export what runs in one account and region (repositories with\ntheir lifecycle and repository policies and tags, and the\nregistry\'s settings) into one JSON file, with ECR\'s read calls\n(read-only; needs `npm install @aws-sdk/client-ecr`), or from\nthe saved outputs of `aws ecr` commands (--from-cli; see\ndocs/adoption.md). Nothing is written when a call fails.',
    options: [
      { name: '--out', value: 'FILE', needs: 'a file', help: 'where to write the export (JSON)' },
      { name: '--region', value: 'REGION', needs: 'an AWS region', help: 'the region to export (with --from-cli: default, the region\nof the repositories\' ARNs)' },
      { name: '--profile', value: 'P', needs: 'a profile name', help: 'the AWS profile to use (default: the SDK\'s usual credentials)' },
      { name: '--registry-id', value: 'ID', needs: 'an account ID', help: 'the registry (account ID) to read (default: the caller\'s)' },
      { name: '--from-cli', value: 'DIR', needs: 'a folder', help: 'read the saved outputs of the `aws ecr` read calls in DIR\ninstead of calling ECR (layout in docs/adoption.md)' },
      { ...format, help: 'text (default) or json: a summary document on standard output' },
    ],
  };
}

/** The package a live export loads, and how a user gets it. */
export const SDK_PACKAGE = '@aws-sdk/client-ecr';

/** The attempts per call of the SDK's standard retry mode (throttling and server errors are retried with backoff). */
export const MAX_ATTEMPTS = 8;

function adoptModules() {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const read = require('../adopt/export-read') as typeof import('../adopt/export-read');
  const assemble = require('../adopt/export-assemble') as typeof import('../adopt/export-assemble');
  const fromCli = require('../adopt/export-from-cli') as typeof import('../adopt/export-from-cli');
  const live = require('../adopt/export-live') as typeof import('../adopt/export-live');
  const regions = require('../internal/regions') as typeof import('../internal/regions');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { ...read, ...assemble, ...fromCli, ...live, REGION_SHAPE: regions.REGION_SHAPE };
}

/** The AWS SDK's ECR client module, or an InputError saying how to install it. */
export function loadEcrSdk(load: (id: string) => unknown = require): { readonly [name: string]: unknown } {
  try {
    return load(SDK_PACKAGE) as { readonly [name: string]: unknown };
  } catch (error) {
    const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
    if (code !== 'MODULE_NOT_FOUND') throw error;
    throw new InputError('registry export --region needs the AWS SDK for JavaScript v3\'s ECR client, which is not installed: '
      + `run \`npm install ${SDK_PACKAGE}\` where cdk-ecr-platform is installed (or export with the AWS CLI: --from-cli DIR, see docs/adoption.md)`);
  }
}

export async function registryExportCommand(
  io: CliIo, options: Options, sdkLoader: () => { readonly [name: string]: unknown } = loadEcrSdk,
): Promise<number> {
  const format = outputFormat(options);
  const out = options.values.get('--out');
  if (out === undefined || out === '' || out === '-') throw new UsageError('--out FILE is required (a file: the export is written whole or not at all)');
  const region = options.values.get('--region');
  const fromCli = options.values.get('--from-cli');
  const registryId = options.values.get('--registry-id');
  const profile = options.values.get('--profile');
  if (fromCli === undefined && region === undefined) throw new UsageError('give --region REGION (a live export) or --from-cli DIR (saved AWS CLI outputs)');
  if (fromCli !== undefined && profile !== undefined) throw new UsageError('--profile is for a live export; --from-cli reads files');
  if (registryId !== undefined && !ACCOUNT_ID_PATTERN.test(registryId)) throw new UsageError(`--registry-id ${JSON.stringify(registryId)} is not an AWS account ID (12 digits)`);
  if (!io.writeFile) throw new InputError('cannot write files here');
  const progress = progressOf(io);
  const m = adoptModules();
  if (region !== undefined && !m.REGION_SHAPE.test(region)) throw new UsageError(`--region ${JSON.stringify(region)} is not an AWS region name (for example eu-west-1)`);

  let responses: import('../adopt/export-assemble').RegistryReadResponses;
  const source = fromCli !== undefined ? fromCli : `ECR in ${region}`;
  if (fromCli !== undefined) {
    progress(`reading ${fromCli}`);
    const exists = io.exists ?? (() => true);
    const reading = m.readCliFolder(fromCli, { region, registryId }, (file) => {
      if (!exists(file)) return undefined;
      try {
        return io.readFile(file);
      } catch (error) {
        throw new InputError(`cannot read ${file}: ${messageOf(error)}`);
      }
    }, path.join);
    if (reading.responses === undefined) return report(io, format, fromCli, reading.problems);
    responses = reading.responses;
  } else {
    const sdk = sdkLoader();
    const Client = sdk.ECRClient as new (config: object) => import('../adopt/export-live').EcrClientLike;
    const client = new Client({ region, maxAttempts: MAX_ATTEMPTS, retryMode: 'standard', ...(profile !== undefined ? { profile } : {}) });
    try {
      responses = await m.readLiveRegistry(client, sdk, { region: region!, registryId, progress });
    } catch (error) {
      if (error instanceof m.LiveExportError) {
        io.stderr(`registry export: ${error.message}\nNothing was written.\n`);
        return EXIT_USAGE;
      }
      throw error;
    } finally {
      (client as { destroy?: () => void }).destroy?.();
    }
  }

  const assembled = m.assembleRegistryExport(responses);
  if (assembled.registryExport === undefined) return report(io, format, source, assembled.problems);
  const text = m.renderRegistryExport(assembled.registryExport);
  // The export says what ECR returned; a value this version does not know is reported, and the file still written.
  const { problems } = m.readRegistryExport(text, out);
  progress(`writing ${out}`);
  try {
    io.writeFile(out, text);
  } catch (error) {
    throw new InputError(`cannot write ${out}: ${messageOf(error)}`);
  }
  const summary = summaryOf(assembled.registryExport);
  if (format === 'json') {
    printJson(io, { source, out, ...summary, problems });
  } else {
    const unavailable = Object.entries(summary.unavailable).map(([field, why]) => `\n  not read: registry.${field}: ${why}`).join('');
    io.stdout(`wrote ${out}: ${summary.repositories} repositories of ${summary.account} in ${summary.region}`
      + ` (${summary.lifecyclePolicies} lifecycle policies, ${summary.repositoryPolicies} repository policies)${unavailable}\n`);
    if (problems.length > 0) {
      io.stderr(`The export holds values this version does not read (${problems.length}):\n${problems.map((p) => `- ${p}\n`).join('')}`);
    }
  }
  return problems.length > 0 ? EXIT_INVALID : EXIT_OK;
}

function report(io: CliIo, format: string, source: string, problems: string[]): number {
  if (format === 'json') {
    printJson(io, { source, out: null, problems });
  } else {
    io.stderr(`Cannot export from ${source} (${problems.length} problem${problems.length === 1 ? '' : 's'}); nothing was written:\n${problems.map((p) => `- ${p}\n`).join('')}`);
  }
  return EXIT_INVALID;
}

function summaryOf(registryExport: RegistryExportFile) {
  const r = registryExport.registry;
  return {
    account: registryExport.account,
    region: registryExport.region,
    repositories: registryExport.repositories.length,
    lifecyclePolicies: registryExport.repositories.filter((x) => x.lifecyclePolicyText !== undefined).length,
    repositoryPolicies: registryExport.repositories.filter((x) => x.repositoryPolicyText !== undefined).length,
    replicationRules: r.replicationConfiguration?.rules.length ?? 0,
    pullThroughCacheRules: r.pullThroughCacheRules?.length ?? 0,
    repositoryCreationTemplates: r.repositoryCreationTemplates?.length ?? 0,
    unavailable: r.unavailable ?? {},
  };
}
