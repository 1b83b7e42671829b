/*
 * A folder of saved AWS CLI outputs, read into the responses an export is
 * assembled from: for a team that runs `aws ecr ...` commands where it cannot
 * run cdk-ecr-platform with credentials. docs/adoption.md gives the commands
 * that make the folder.
 *
 * Layout (every file is the JSON the AWS CLI prints with `--output json`):
 *
 *   describe-repositories.json
 *   lifecycle-policies/NAME.json        get-lifecycle-policy, {} when LifecyclePolicyNotFoundException
 *   repository-policies/NAME.json       get-repository-policy, {} when RepositoryPolicyNotFoundException
 *   tags/NAME.json                      list-tags-for-resource
 *   describe-registry.json
 *   get-registry-policy.json            {} when RegistryPolicyNotFoundException
 *   get-registry-scanning-configuration.json
 *   describe-pull-through-cache-rules.json
 *   describe-repository-creation-templates.json
 *   account-settings/SETTING.json       get-account-setting --name SETTING
 *   get-signing-configuration.json      optional; {} when SigningConfigurationNotFoundException
 *   list-pull-time-update-exclusions.json  optional; every page merged (the AWS CLI does not page this call)
 *
 * NAME is the repository name with each '/' written '+' (a character no
 * repository name has). A missing file is a problem (an export that does not
 * know whether a repository has a lifecycle policy would drop it), except the
 * two optional ones, which a region without managed signing or pull-time
 * update exclusions cannot make: the export then says they are unavailable.
 */
import { ApiObject, EXPORTED_ACCOUNT_SETTINGS, RegistryReadResponses } from './export-assemble';

/** The files of the folder that do not depend on the repositories. */
export const CLI_FOLDER = Object.freeze({
  DESCRIBE_REPOSITORIES: 'describe-repositories.json',
  LIFECYCLE_POLICIES: 'lifecycle-policies',
  REPOSITORY_POLICIES: 'repository-policies',
  TAGS: 'tags',
  DESCRIBE_REGISTRY: 'describe-registry.json',
  REGISTRY_POLICY: 'get-registry-policy.json',
  REGISTRY_SCANNING_CONFIGURATION: 'get-registry-scanning-configuration.json',
  PULL_THROUGH_CACHE_RULES: 'describe-pull-through-cache-rules.json',
  REPOSITORY_CREATION_TEMPLATES: 'describe-repository-creation-templates.json',
  ACCOUNT_SETTINGS: 'account-settings',
  SIGNING_CONFIGURATION: 'get-signing-configuration.json',
  PULL_TIME_UPDATE_EXCLUSIONS: 'list-pull-time-update-exclusions.json',
});

/**
 * The list calls of the folder the AWS CLI does not page through itself:
 * botocore (whose data the AWS CLI runs on) has no paginator for them, so
 * their output holds one page and a `nextToken` when there is more. The
 * calls it pages through (its ECR paginators: describe-repositories,
 * describe-pull-through-cache-rules, describe-repository-creation-templates)
 * print every page merged, with no token, unless told `--max-items` or
 * `--no-paginate`.
 */
const NOT_PAGED_BY_CLI: Readonly<Record<string, { readonly list: string }>> = {
  [CLI_FOLDER.PULL_TIME_UPDATE_EXCLUSIONS]: { list: 'pullTimeUpdateExclusions' },
};

/** The folders with one file per repository. */
const PER_REPOSITORY: readonly string[] = [CLI_FOLDER.LIFECYCLE_POLICIES, CLI_FOLDER.REPOSITORY_POLICIES, CLI_FOLDER.TAGS];

/** The file name of a repository's output in the per-repository folders: `team/app` -> `team+app.json`. */
export function cliFolderFileName(repositoryName: string): string {
  return `${repositoryName.replace(/\//g, '+')}.json`;
}

/** The folder's outputs read as responses, or every problem (missing files, text that is not JSON, wrong outputs). */
export interface CliFolderReading {
  readonly responses?: RegistryReadResponses;
  readonly problems: string[];
}

/**
 * Reads the folder. `read` returns a file's text, or undefined when the file
 * does not exist; `join` joins folder and file names. The region is the one
 * given, or the one of the repositories' ARNs.
 */
export function readCliFolder(
  dir: string, options: { readonly region?: string; readonly registryId?: string; readonly exportedAt?: string },
  read: (file: string) => string | undefined, join: (...parts: string[]) => string,
): CliFolderReading {
  const problems: string[] = [];
  const missing = new Map<string, string[]>();
  const load = (file: string, command: string, required: boolean, field?: string): ApiObject | undefined => {
    const fullPath = join(dir, file);
    const text = read(fullPath);
    if (text === undefined) {
      if (required) {
        const folder = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
        missing.set(folder, [...missing.get(folder) ?? [], `${fullPath} is missing: save the output of \`${command} --output json\` there`]);
      }
      return undefined;
    }
    let value: unknown;
    try {
      value = JSON.parse(text.replace(/^\ufeff/, ''));
    } catch (error) {
      problems.push(`${fullPath}: is not valid JSON (${error instanceof Error ? error.message : String(error)}): save the output of \`${command} --output json\` there`);
      return undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`${fullPath}: is not the output of \`${command}\` (a JSON object)`);
      return undefined;
    }
    if ('nextToken' in value || 'NextToken' in value) {
      const unpaged = NOT_PAGED_BY_CLI[file];
      problems.push(unpaged !== undefined
        ? `${fullPath}: holds one page of \`${command}\` (it has a nextToken), and the AWS CLI does not fetch the other pages of this call itself: `
          + `call it again with --next-token TOKEN until an output has no nextToken, and save the ${unpaged.list} of every page `
          + 'in one object without nextToken (the script in docs/adoption.md does so)'
        : `${fullPath}: holds one page of \`${command}\` (it has a next token): save the output of every page, without --max-items or --no-paginate`);
      return undefined;
    }
    if (field !== undefined && !(field in value) && Object.keys(value).length > 0) {
      problems.push(`${fullPath}: is not the output of \`${command}\`: it has no ${field}`);
      return undefined;
    }
    return value as ApiObject;
  };

  const describeRepositories = load(CLI_FOLDER.DESCRIBE_REPOSITORIES, 'aws ecr describe-repositories', true, 'repositories');
  if (describeRepositories !== undefined && !Array.isArray(describeRepositories.repositories)) {
    problems.push(`${join(dir, CLI_FOLDER.DESCRIBE_REPOSITORIES)}: is not the output of \`aws ecr describe-repositories\`: repositories is not a list`);
  }
  const items = Array.isArray(describeRepositories?.repositories) ? describeRepositories!.repositories as unknown[] : [];
  const names = items.map((item) => (typeof item === 'object' && item !== null ? (item as ApiObject).repositoryName : undefined))
    .filter((name): name is string => typeof name === 'string');
  const lifecyclePolicies = new Map<string, ApiObject>();
  const repositoryPolicies = new Map<string, ApiObject>();
  const tags = new Map<string, ApiObject>();
  for (const name of names) {
    const file = cliFolderFileName(name);
    const quoted = `'${name}'`;
    const lifecycle = load(`${CLI_FOLDER.LIFECYCLE_POLICIES}/${file}`, `aws ecr get-lifecycle-policy --repository-name ${quoted}`, true, 'lifecyclePolicyText');
    if (lifecycle?.lifecyclePolicyText !== undefined) lifecyclePolicies.set(name, lifecycle);
    const policy = load(`${CLI_FOLDER.REPOSITORY_POLICIES}/${file}`, `aws ecr get-repository-policy --repository-name ${quoted}`, true, 'policyText');
    if (policy?.policyText !== undefined) repositoryPolicies.set(name, policy);
    const tagged = load(`${CLI_FOLDER.TAGS}/${file}`, 'aws ecr list-tags-for-resource --resource-arn ARN', true, 'tags');
    if (tagged !== undefined) tags.set(name, tagged);
  }
  const describeRegistry = load(CLI_FOLDER.DESCRIBE_REGISTRY, 'aws ecr describe-registry', true, 'registryId');
  const registryPolicy = load(CLI_FOLDER.REGISTRY_POLICY, 'aws ecr get-registry-policy', true, 'policyText');
  const scanning = load(CLI_FOLDER.REGISTRY_SCANNING_CONFIGURATION, 'aws ecr get-registry-scanning-configuration', true, 'scanningConfiguration');
  const cacheRules = load(CLI_FOLDER.PULL_THROUGH_CACHE_RULES, 'aws ecr describe-pull-through-cache-rules', true, 'pullThroughCacheRules');
  const templates = load(CLI_FOLDER.REPOSITORY_CREATION_TEMPLATES, 'aws ecr describe-repository-creation-templates', true, 'repositoryCreationTemplates');
  const accountSettings = EXPORTED_ACCOUNT_SETTINGS
    .map((name) => load(`${CLI_FOLDER.ACCOUNT_SETTINGS}/${name}.json`, `aws ecr get-account-setting --name ${name}`, true, 'value'))
    .filter((s): s is ApiObject => s !== undefined);
  const unavailable: Record<string, string> = {};
  const signing = load(CLI_FOLDER.SIGNING_CONFIGURATION, 'aws ecr get-signing-configuration', false, 'signingConfiguration');
  if (read(join(dir, CLI_FOLDER.SIGNING_CONFIGURATION)) === undefined) unavailable.signingConfiguration = `${CLI_FOLDER.SIGNING_CONFIGURATION} is not in the folder`;
  const exclusions = load(CLI_FOLDER.PULL_TIME_UPDATE_EXCLUSIONS, 'aws ecr list-pull-time-update-exclusions', false, 'pullTimeUpdateExclusions');
  if (read(join(dir, CLI_FOLDER.PULL_TIME_UPDATE_EXCLUSIONS)) === undefined) unavailable.pullTimeUpdateExclusions = `${CLI_FOLDER.PULL_TIME_UPDATE_EXCLUSIONS} is not in the folder`;

  for (const [folder, files] of [...missing].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (PER_REPOSITORY.includes(folder) && files.length === names.length && names.length > 1) {
      problems.push(`${join(dir, folder)}/ is missing or empty: it needs one file per repository (${files.length}); see docs/adoption.md for the commands`);
    } else {
      problems.push(...files);
    }
  }
  const region = options.region ?? regionOfArns(items);
  if (region === undefined) problems.push(`${dir}: the region is unknown (no repository ARN names it): give --region REGION`);
  if (problems.length > 0) return { problems };
  return {
    problems,
    responses: {
      region: region!,
      registryId: options.registryId,
      exportedAt: options.exportedAt,
      describeRepositories: describeRepositories ? [describeRepositories] : [],
      lifecyclePolicies,
      repositoryPolicies,
      tags,
      describeRegistry,
      registryPolicy: registryPolicy?.policyText !== undefined ? registryPolicy : undefined,
      registryScanningConfiguration: scanning,
      pullThroughCacheRules: cacheRules ? [cacheRules] : [],
      repositoryCreationTemplates: templates ? [templates] : [],
      accountSettings,
      signingConfiguration: signing?.signingConfiguration !== undefined ? signing : undefined,
      pullTimeUpdateExclusions: exclusions ? [exclusions] : undefined,
      unavailable,
    },
  };
}

/** The region of the first repository ARN (`arn:aws:ecr:REGION:...`). */
function regionOfArns(items: readonly unknown[]): string | undefined {
  for (const item of items) {
    const arn = typeof item === 'object' && item !== null ? (item as ApiObject).repositoryArn : undefined;
    const match = typeof arn === 'string' ? /^arn:[^:]+:ecr:([^:]+):/.exec(arn) : null;
    if (match) return match[1];
  }
  return undefined;
}
