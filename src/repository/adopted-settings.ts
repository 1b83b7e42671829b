import { REPOSITORY_TAG_LIMITS } from '../internal/ecr-facts';
import { openAccessProblems, policyStatements } from '../internal/policy';

/*
 * Checks of the settings an existing repository may have and a catalog
 * reproduces as they are: tags of any key, a customer managed key named by
 * its ARN, and a repository policy document given as JSON. One home for
 * each rule: the catalog reader and the fleet both call these.
 */

/** A KMS key ARN: `arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID`. @internal */
export const KMS_KEY_ARN = /^arn:(aws[a-z-]*):kms:([a-z]{2,4}(?:-[a-z]+)+-\d{1,2}):(\d{12}):key\/([A-Za-z0-9-]{1,128})$/;

/**
 * Problems of a KMS key ARN that encrypts a repository: its shape, and its
 * region against the repository's (ECR uses keys of the repository's region
 * only) when that region is known.
 *
 * @internal
 */
export function kmsKeyArnProblems(arn: string, region?: string): string[] {
  const m = KMS_KEY_ARN.exec(arn);
  if (!m) return [`'${arn}' is not a KMS key ARN: expected arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID (the kmsKey that DescribeRepositories returns)`];
  if (region !== undefined && m[2] !== region) {
    return [`the key '${arn}' is in ${m[2]}, but the repository is in ${region}: ECR encrypts a repository with a key of its own region`];
  }
  return [];
}

/**
 * Problems of a repository's tags (keys to values) together with the tags
 * the library writes itself (`owner`, `cost-center`): ECR's limits, the
 * reserved `aws:` prefix, and a key given both ways.
 *
 * @param own the tags the library writes, by key, when set
 * @internal
 */
export function repositoryTagProblems(tags: Record<string, unknown>, own: Record<string, { setting: string; value: string | undefined }>): string[] {
  const problems: string[] = [];
  const { maxTags, maxKeyLength, minValueLength, maxValueLength, reservedPrefix } = REPOSITORY_TAG_LIMITS;
  const keys = Object.keys(tags);
  for (const key of keys) {
    const value = tags[key];
    if (key.length < 1 || key.length > maxKeyLength) problems.push(`tag key '${key.slice(0, 40)}' has ${key.length} characters: ECR takes 1 to ${maxKeyLength}`);
    if (key.toLowerCase().startsWith(reservedPrefix)) problems.push(`tag key '${key}' starts with '${reservedPrefix}', which AWS reserves for its own tags`);
    if (typeof value !== 'string') {
      problems.push(`tag '${key}' must have a string value, not ${JSON.stringify(value)}`);
      continue;
    }
    if (value.length > maxValueLength) problems.push(`tag '${key}' has a value of ${value.length} characters: ECR takes at most ${maxValueLength}`);
    if (value.length < minValueLength) problems.push(`tag '${key}' has an empty value: ECR takes one, but CloudFormation's AWS::ECR::Repository takes values of ${minValueLength} to ${maxValueLength} characters`);
    if (value.toLowerCase().startsWith(reservedPrefix)) problems.push(`tag '${key}' has the value '${value}', which starts with '${reservedPrefix}', reserved by AWS`);
    const mine = own[key];
    if (mine?.value !== undefined) problems.push(`tag '${key}' is also set by ${mine.setting} ('${mine.value}'): give it once, with ${mine.setting}`);
  }
  const total = keys.length + Object.entries(own).filter(([k, v]) => v.value !== undefined && !keys.includes(k)).length;
  if (total > maxTags) problems.push(`the repository would have ${total} tags: ECR takes at most ${maxTags} per repository`);
  return problems;
}

/** A repository policy document read from its JSON text, with its statements. @internal */
export interface PolicyDocumentRead {
  readonly document?: Record<string, unknown>;
  readonly statements: any[];
  /** Problems of shape: not JSON, not an object, statements that are not objects, no Statement. */
  readonly problems: string[];
  /** Statements that allow `*` without a condition that restricts it (the library's open-access check). */
  readonly open: string[];
}

/**
 * Reads a repository policy document given as it runs (ECR's
 * `GetRepositoryPolicy` text): its shape, and the library's open-access
 * check (`openAccessProblems`, as for every other repository policy).
 *
 * @internal
 */
export function readPolicyDocument(text: string): PolicyDocumentRead {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { statements: [], problems: [`the repository policy is not JSON: ${(error as Error).message}`], open: [] };
  }
  if (!document || typeof document !== 'object' || Array.isArray(document)) {
    return { statements: [], problems: ['the repository policy must be a JSON object with Version and Statement'], open: [] };
  }
  const statements = policyStatements(document) ?? [];
  const problems: string[] = [];
  if ((document as Record<string, unknown>).Statement === undefined || statements.length === 0) problems.push('the repository policy has no Statement');
  statements.forEach((s, i) => {
    if (!s || typeof s !== 'object' || Array.isArray(s)) problems.push(`the repository policy's Statement[${i}] must be an object`);
    else if (s.Effect !== 'Allow' && s.Effect !== 'Deny') problems.push(`the repository policy's Statement[${i}] has Effect ${JSON.stringify(s.Effect)}: expected Allow or Deny`);
    else if (s.Principal === undefined && s.NotPrincipal === undefined) problems.push(`the repository policy's Statement[${i}] names no principal: a resource policy statement must say whom it applies to`);
  });
  const version = (document as Record<string, unknown>).Version;
  if (version !== undefined && version !== '2012-10-17' && version !== '2008-10-17') problems.push(`the repository policy's Version ${JSON.stringify(version)} is not 2012-10-17 or 2008-10-17`);
  return { document: document as Record<string, unknown>, statements, problems, open: problems.length > 0 ? [] : openAccessProblems(statements) };
}
