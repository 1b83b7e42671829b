/*
 * The live export: ECR's read calls made with the AWS SDK for JavaScript v3,
 * read-only, into the responses an export is assembled from.
 *
 * The SDK is not a dependency of the library: the command line loads
 * `@aws-sdk/client-ecr` when it runs `registry export` and passes the module
 * and a client here, so that this file names none of its types.
 *
 * Calls, for N repositories: the pages of DescribeRepositories (1,000
 * repositories a page, at least one), 3 per repository (GetLifecyclePolicy,
 * GetRepositoryPolicy, ListTagsForResource), and REGISTRY_CALLS for the
 * registry when its lists fit one page each (DescribeRegistry,
 * GetRegistryPolicy, GetRegistryScanningConfiguration,
 * DescribePullThroughCacheRules, DescribeRepositoryCreationTemplates,
 * GetAccountSetting three times, GetSigningConfiguration,
 * ListPullTimeUpdateExclusions). Throttling is retried by the SDK (its
 * standard retry mode); the per-repository calls run a few at a time.
 */
import { ApiObject, EXPORTED_ACCOUNT_SETTINGS, RegistryReadResponses } from './export-assemble';

/** What the live export needs of an ECR client: the SDK's `send`. */
export interface EcrClientLike {
  send(command: unknown): Promise<ApiObject>;
}

/** The `@aws-sdk/client-ecr` module: its command classes and paginators, by name. */
export type EcrSdkModule = { readonly [name: string]: unknown };

/** Repositories per DescribeRepositories page: the most ECR returns. */
export const REPOSITORIES_PER_PAGE = 1000;

/** The calls for the registry's settings, each list on one page. */
export const REGISTRY_CALLS = 7 + EXPORTED_ACCOUNT_SETTINGS.length;

/** The per-repository read calls. */
export const CALLS_PER_REPOSITORY = 3;

/** How many per-repository calls are in flight at once. */
export const DEFAULT_CONCURRENCY = 8;

/**
 * The IAM actions the live export calls, all of them read-only (their
 * access level is Read or List).
 */
export const LIVE_EXPORT_ACTIONS: readonly string[] = [
  'DescribeRepositories', 'GetLifecyclePolicy', 'GetRepositoryPolicy', 'ListTagsForResource',
  'DescribeRegistry', 'GetRegistryPolicy', 'GetRegistryScanningConfiguration', 'DescribePullThroughCacheRules',
  'DescribeRepositoryCreationTemplates', 'GetAccountSetting', 'GetSigningConfiguration', 'ListPullTimeUpdateExclusions',
].map((operation) => `ecr:${operation}`).sort();

/*
 * The error names below are the ones the SDK v3 gives its errors (`error.name`):
 * an error ECR's API model declares for a call is thrown as that exception's
 * class (its name, e.g. `SigningConfigurationNotFoundException`); any other
 * error code is thrown as `ECRServiceException` named by the code the
 * response carries, with `$fault` `client` below HTTP 500.
 */

/**
 * What ECR answers when IAM, a permissions boundary or an SCP refuses a call
 * (ECR User Guide, "Troubleshooting Amazon ECR error messages": "User: ARN is
 * not authorized to perform: ecr:ACTION on resource: RESOURCE ..."). No ECR
 * operation declares it, so it arrives as an `ECRServiceException` of that name.
 */
const ACCESS_DENIED = 'AccessDeniedException';

/** The ECR errors that mean "there is none" for a call (each declared by its call in ECR's API model). */
const ABSENT: Readonly<Record<string, string>> = {
  GetLifecyclePolicy: 'LifecyclePolicyNotFoundException',
  GetRepositoryPolicy: 'RepositoryPolicyNotFoundException',
  GetRegistryPolicy: 'RegistryPolicyNotFoundException',
  GetSigningConfiguration: 'SigningConfigurationNotFoundException',
};

/**
 * Calls for features a region or partition may not have: managed signing,
 * pull-time update exclusions, and each account setting (settings are added
 * to ECR over time: a partition may not know one yet).
 */
const OPTIONAL_CALLS: ReadonlySet<string> = new Set(['GetSigningConfiguration', 'ListPullTimeUpdateExclusions', 'GetAccountSetting']);

/**
 * The errors that make an optional call's setting unavailable rather than
 * the export fail. `UnknownOperationException` is what an endpoint of the
 * AWS JSON protocol answers for an operation it does not serve;
 * `InvalidParameterException` and `ValidationException` are the client errors
 * ECR's API model declares for each of these calls, which take no input of the
 * user's (the export sends none but a page token or a setting name it knows),
 * so they say the call is not served as documented. Every other error fails the export: access denied, throttling
 * past the SDK's retries, `LimitExceededException`, `ServerException`.
 */
const UNAVAILABLE_ERRORS: readonly string[] = ['UnknownOperationException', 'InvalidParameterException', 'ValidationException'];

/** Why the live export stopped: a call ECR refused (the action and resource named), or any other failure. */
export class LiveExportError extends Error {
  /**
   * @param accessDenied whether IAM (or an SCP) refused the action
   * @param unavailable whether the call's feature is not offered where the export runs (an optional call answered one of UNAVAILABLE_ERRORS)
   */
  constructor(message: string, readonly action: string, readonly accessDenied: boolean, readonly unavailable = false) {
    super(message);
    this.name = 'LiveExportError';
  }
}

/** How to run the live export. */
export interface LiveExportOptions {
  readonly region: string;
  /** The registry to read (`--registry-id`); default: the caller's. */
  readonly registryId?: string;
  /** Per-repository calls in flight at once (default 8). */
  readonly concurrency?: number;
  /** Told each step, for progress on a terminal. */
  readonly progress?: (step: string) => void;
  /** When the export is taken (ISO 8601); default: now. */
  readonly exportedAt?: string;
}

/** Makes the read calls and returns their responses, or throws a LiveExportError. */
export async function readLiveRegistry(client: EcrClientLike, sdk: EcrSdkModule, options: LiveExportOptions): Promise<RegistryReadResponses> {
  const progress = options.progress ?? (() => undefined);
  const registry = options.registryId !== undefined ? { registryId: options.registryId } : {};
  const where = `the registry${options.registryId !== undefined ? ` ${options.registryId}` : ''} in ${options.region}`;
  const call = (operation: string, input: object, resource: string) => send(client, sdk, operation, input, resource);
  const unavailable: Record<string, string> = {};
  /** An optional call: undefined when ECR says there is none or the region does not offer it (then `field` is unavailable). */
  const optional = async (field: string, run: () => Promise<ApiObject>): Promise<ApiObject | undefined> => {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof LiveExportError) || !error.unavailable) throw error;
      unavailable[field] = error.message;
      return undefined;
    }
  };

  progress(`reading ${where}`);
  const describeRepositories = await pages(client, sdk, 'DescribeRepositories', { ...registry }, where, REPOSITORIES_PER_PAGE);
  const items = describeRepositories.flatMap((page) => (Array.isArray(page.repositories) ? page.repositories as ApiObject[] : []));
  const describeRegistry = await call('DescribeRegistry', {}, where);
  const registryPolicy = await call('GetRegistryPolicy', {}, where);
  const registryScanningConfiguration = await call('GetRegistryScanningConfiguration', {}, where);
  const pullThroughCacheRules = await pages(client, sdk, 'DescribePullThroughCacheRules', { ...registry }, where);
  const repositoryCreationTemplates = await pages(client, sdk, 'DescribeRepositoryCreationTemplates', {}, where);
  const accountSettings: ApiObject[] = [];
  for (const name of EXPORTED_ACCOUNT_SETTINGS) {
    const setting = await optional(`accountSettings.${name}`, () => call('GetAccountSetting', { name }, `${where} (setting ${name})`));
    if (setting !== undefined) accountSettings.push(setting);
  }
  const signingConfiguration = await optional('signingConfiguration', () => call('GetSigningConfiguration', {}, where));
  const exclusionPages = await optional('pullTimeUpdateExclusions', async () => ({ pages: await tokenPages(client, sdk, 'ListPullTimeUpdateExclusions', where) }));

  const lifecyclePolicies = new Map<string, ApiObject>();
  const repositoryPolicies = new Map<string, ApiObject>();
  const tags = new Map<string, ApiObject>();
  let done = 0;
  progress(`reading ${items.length} repositories`);
  await forEachLimited(items, options.concurrency ?? DEFAULT_CONCURRENCY, async (item) => {
    const name = String(item.repositoryName);
    const arn = String(item.repositoryArn);
    const lifecycle = await call('GetLifecyclePolicy', { ...registry, repositoryName: name }, arn);
    if (lifecycle.lifecyclePolicyText !== undefined) lifecyclePolicies.set(name, lifecycle);
    const policy = await call('GetRepositoryPolicy', { ...registry, repositoryName: name }, arn);
    if (policy.policyText !== undefined) repositoryPolicies.set(name, policy);
    tags.set(name, await call('ListTagsForResource', { resourceArn: arn }, arn));
    done++;
    if (done % 100 === 0 || done === items.length) progress(`read ${done} of ${items.length} repositories`);
  });

  return {
    region: options.region,
    registryId: options.registryId,
    exportedAt: options.exportedAt ?? new Date().toISOString(),
    describeRepositories,
    lifecyclePolicies,
    repositoryPolicies,
    tags,
    describeRegistry,
    registryPolicy: registryPolicy.policyText !== undefined ? registryPolicy : undefined,
    registryScanningConfiguration,
    pullThroughCacheRules,
    repositoryCreationTemplates,
    accountSettings,
    signingConfiguration: signingConfiguration?.signingConfiguration !== undefined ? signingConfiguration : undefined,
    pullTimeUpdateExclusions: exclusionPages?.pages as ApiObject[] | undefined,
    unavailable,
  };
}

/** One call: its response, {} when ECR answers the call's "not found", or a LiveExportError. */
async function send(client: EcrClientLike, sdk: EcrSdkModule, operation: string, input: object, resource: string): Promise<ApiObject> {
  const Command = sdk[`${operation}Command`] as new (input: object) => unknown;
  try {
    return await client.send(new Command(input)) ?? {};
  } catch (error) {
    if (errorName(error) === ABSENT[operation]) return {};
    throw callError(operation, resource, error);
  }
}

/** Every page of a call the SDK has a paginator for. */
async function pages(
  client: EcrClientLike, sdk: EcrSdkModule, operation: string, input: object, resource: string, pageSize?: number,
): Promise<ApiObject[]> {
  const paginate = sdk[`paginate${operation}`] as (config: object, input: object) => AsyncIterable<ApiObject>;
  const out: ApiObject[] = [];
  try {
    for await (const page of paginate({ client, ...(pageSize !== undefined ? { pageSize } : {}) }, { ...input })) out.push(page);
  } catch (error) {
    throw callError(operation, resource, error);
  }
  return out;
}

/** Every page of a call without a paginator in the SDK, following nextToken. */
async function tokenPages(client: EcrClientLike, sdk: EcrSdkModule, operation: string, resource: string): Promise<ApiObject[]> {
  const out: ApiObject[] = [];
  let nextToken: string | undefined;
  do {
    const page: ApiObject = await send(client, sdk, operation, nextToken !== undefined ? { nextToken } : {}, resource);
    out.push(page);
    nextToken = typeof page.nextToken === 'string' && page.nextToken !== '' ? page.nextToken : undefined;
  } while (nextToken !== undefined);
  return out;
}

function errorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

function callError(operation: string, resource: string, error: unknown): LiveExportError {
  if (error instanceof LiveExportError) return error;
  const action = `ecr:${operation}`;
  const name = errorName(error) ?? 'Error';
  const message = error instanceof Error ? error.message : String(error);
  if (name === ACCESS_DENIED) {
    return new LiveExportError(
      `access denied: ${action} on ${resource}: the export needs ${action} (read-only; docs/adoption.md lists every action it calls): ${message}`, action, true);
  }
  if (name === 'CredentialsProviderError') {
    return new LiveExportError(`no AWS credentials for ${action}: ${message} (give --profile, or set the AWS_* environment variables)`, action, false);
  }
  return OPTIONAL_CALLS.has(operation) && UNAVAILABLE_ERRORS.includes(name)
    ? new LiveExportError(`${action} answered ${name}: ${message}`, action, false, true)
    : new LiveExportError(`${action} on ${resource} failed: ${name}: ${message}`, action, false);
}

/** Runs `run` on every item, at most `limit` at a time; the first failure stops the others taking new items and is thrown. */
async function forEachLimited<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++];
      try {
        await run(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
