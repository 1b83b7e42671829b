import {
  EXPORT_FORMAT, EXPORT_VERSION, ExportedCreationTemplate, ExportedPullThroughCacheRule,
  ExportedRegistry, ExportedRepository, ExportedTag, RegistryExportFile,
} from '../../src/adopt/export-model';

/**
 * A realistic registry export, generated: what `registry export` would write
 * for an account that grew by hand, by scripts and by other tools. Every
 * value has the shape ECR's read calls return. Deterministic for a seed.
 *
 * Variety per repository (each drawn from the seed): tag mutability (MUTABLE,
 * IMMUTABLE and both `_WITH_EXCLUSION` forms with 1 to 3 WILDCARD filters),
 * scan on push on or off, AES256 or KMS with one of several existing
 * customer managed keys or the AWS managed key `aws/ecr`, with or without a
 * lifecycle policy (several realistic texts), with or without a repository
 * policy (cross-account pull, organization pull by `aws:PrincipalOrgID`,
 * organization paths, Lambda pull; policy versions 2008-10-17 and
 * 2012-10-17), and 0 to 6 tags (`owner` and `cost-center` among them).
 *
 * The registry: a replication configuration with 3 rules, an ENHANCED
 * scanning configuration, 5 pull-through cache rules (with and without
 * credentials, one from a private ECR registry of another account with an
 * upstream prefix and a role), 3 repository creation templates (KMS with
 * tags and no custom role, AES256 without one, a custom role with an
 * organization policy and no lifecycle policy), a registry policy, a signing
 * rule, 2 pull-time update exclusions and 2 account settings.
 */
export interface RegistryExportOptions {
  /** How many repositories. */
  readonly repositories: number;
  /** The seed: the same seed gives the same export. @default 1 */
  readonly seed?: number;
  /** The account (registry) ID. @default '111111111111' */
  readonly account?: string;
  /** The region. @default 'eu-west-1' */
  readonly region?: string;
  /**
   * How many repositories (the first ones drawn) get a repository policy
   * that allows `*` without a condition that restricts it. @default 0
   */
  readonly openPolicies?: number;
}

/** The organization the fixture's account belongs to. */
export const FIXTURE_ORGANIZATION = 'o-a1b2c3d4e5';
/** Other accounts of the organization the fixture's policies and replication name. */
export const FIXTURE_ACCOUNTS = ['222222222222', '333333333333', '444444444444', '555555555555'];

/** A small deterministic generator (Park and Miller's minimal standard). */
function random(seed: number): () => number {
  let state = Math.abs(Math.floor(seed)) % 2147483646 + 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

const TEAMS = ['payments', 'search', 'identity', 'platform', 'data', 'mobile', 'web', 'ml', 'billing', 'infra'];
const SERVICES = ['api', 'worker', 'frontend', 'gateway', 'scheduler', 'ingest', 'reports', 'auth', 'notifier', 'cache', 'batch', 'proxy'];
const EXCLUSIONS = ['latest', 'dev-*', 'nightly*', 'main', 'pr-*', 'stable'];
const COST_CENTERS = ['cc-1001', 'cc-1002', 'cc-2040', 'cc-3300'];
const ENVIRONMENTS = ['prod', 'staging', 'dev'];

/** Lifecycle policy texts as ECR stores them (and `GetLifecyclePolicy` returns them). */
const LIFECYCLE_TEXTS = [
  '{"rules":[{"rulePriority":1,"description":"Expire untagged images after 14 days","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}',
  '{"rules":[{"rulePriority":1,"description":"Keep last 30 release images","selection":{"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":30},"action":{"type":"expire"}},{"rulePriority":2,"description":"Expire untagged after 7 days","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":7},"action":{"type":"expire"}}]}',
  '{"rules":[{"rulePriority":10,"selection":{"tagStatus":"tagged","tagPatternList":["release-*"],"countType":"imageCountMoreThan","countNumber":50},"action":{"type":"expire"}},{"rulePriority":20,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":500},"action":{"type":"expire"}}]}',
  '{"rules":[{"rulePriority":1,"description":"cap","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1000},"action":{"type":"expire"}}]}',
];

/** A UUID-shaped key ID from the generator. */
function keyId(next: () => number): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}

/** Generates a registry export. */
export function generateRegistryExport(options: RegistryExportOptions): RegistryExportFile {
  const next = random(options.seed ?? 1);
  const account = options.account ?? '111111111111';
  const region = options.region ?? 'eu-west-1';
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const chance = (p: number) => next() < p;
  const keyArn = () => `arn:aws:kms:${region}:${account}:key/${keyId(next)}`;
  const customerKeys = [keyArn(), keyArn(), keyArn(), keyArn()];
  const awsManagedKey = keyArn();

  // Names: team/service, with a numbered suffix once the combinations run out.
  const names = new Set<string>();
  while (names.size < options.repositories) {
    const base = `${pick(TEAMS)}/${pick(SERVICES)}`;
    const n = names.size;
    names.add(n < TEAMS.length * SERVICES.length && !names.has(base) ? base : `${base}-${Math.floor(next() * 100000)}`);
  }
  const sorted = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let open = options.openPolicies ?? 0;

  const repositories = sorted.map((name): ExportedRepository => {
    const mutable = chance(0.45);
    const exclusions = chance(0.25) ? [...new Set(Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(EXCLUSIONS)))] : [];
    const encryption = next();
    const tags: ExportedTag[] = [];
    if (chance(0.8)) tags.push({ Key: 'owner', Value: name.split('/')[0] });
    if (chance(0.6)) tags.push({ Key: 'cost-center', Value: pick(COST_CENTERS) });
    if (chance(0.5)) tags.push({ Key: 'environment', Value: pick(ENVIRONMENTS) });
    if (chance(0.3)) tags.push({ Key: 'app:component', Value: name.split('/')[1] });
    if (chance(0.2)) tags.push({ Key: 'ManagedBy', Value: pick(['terraform', 'scripts', 'console']) });
    if (chance(0.1)) tags.push({ Key: 'notes', Value: 'migrated from Jenkins' });
    let policy: string | undefined;
    if (open > 0) {
      open--;
      policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'PublicPull', Effect: 'Allow', Principal: '*', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] }] });
    } else if (chance(0.55)) {
      policy = repositoryPolicy(next, pick, account, region);
    }
    return {
      repositoryArn: `arn:aws:ecr:${region}:${account}:repository/${name}`,
      registryId: account,
      repositoryName: name,
      repositoryUri: `${account}.dkr.ecr.${region}.amazonaws.com/${name}`,
      createdAt: `2023-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 10)}T08:00:00.000Z`,
      imageTagMutability: `${mutable ? 'MUTABLE' : 'IMMUTABLE'}${exclusions.length > 0 ? '_WITH_EXCLUSION' : ''}`,
      ...(exclusions.length > 0 ? { imageTagMutabilityExclusionFilters: exclusions.map((filter) => ({ filterType: 'WILDCARD', filter })) } : {}),
      imageScanningConfiguration: { scanOnPush: chance(0.6) },
      encryptionConfiguration: encryption < 0.4 ? { encryptionType: 'AES256' }
        : encryption < 0.9 ? { encryptionType: 'KMS', kmsKey: pick(customerKeys) }
          : { encryptionType: 'KMS', kmsKey: awsManagedKey },
      ...(chance(0.75) ? { lifecyclePolicyText: pick(LIFECYCLE_TEXTS) } : {}),
      ...(policy !== undefined ? { repositoryPolicyText: policy } : {}),
      tags,
    };
  });

  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    account,
    region,
    exportedAt: '2026-12-01T12:00:00.000Z',
    repositories,
    registry: registrySettings(account, region, customerKeys[0]),
  };
}

/** A repository policy as `GetRepositoryPolicy` returns it (pretty-printed, as ECR keeps what it was given). */
function repositoryPolicy(next: () => number, pick: <T>(l: readonly T[]) => T, account: string, region: string): string {
  const pull = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
  const statements: unknown[] = [];
  const kind = Math.floor(next() * 5);
  if (kind === 0 || kind === 4) {
    const accounts = [...new Set([pick(FIXTURE_ACCOUNTS), pick(FIXTURE_ACCOUNTS)])].sort();
    statements.push({
      Sid: 'CrossAccountPull',
      Effect: 'Allow',
      Principal: { AWS: accounts.length === 1 ? `arn:aws:iam::${accounts[0]}:root` : accounts.map((a) => `arn:aws:iam::${a}:root`) },
      Action: pull,
    });
  }
  if (kind === 1 || kind === 4) {
    statements.push({
      Sid: 'OrganizationPull',
      Effect: 'Allow',
      Principal: '*',
      Action: pull,
      Condition: { StringEquals: { 'aws:PrincipalOrgID': FIXTURE_ORGANIZATION } },
    });
  }
  if (kind === 2) {
    statements.push({
      Sid: 'OrganizationUnitPull',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: pull,
      Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': [`${FIXTURE_ORGANIZATION}/r-ab12/ou-ab12-11111111/*`] } },
    });
  }
  if (kind === 3) {
    statements.push({
      Sid: 'LambdaECRImageRetrievalPolicy',
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      Condition: { StringLike: { 'aws:sourceArn': `arn:aws:lambda:${region}:${account}:function:*` } },
    });
  }
  if (next() < 0.2) {
    statements.push({
      Sid: 'CiPush',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${account}:role/ci-deployer` },
      Action: [...pull, 'ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'],
    });
  }
  return JSON.stringify({ Version: next() < 0.5 ? '2008-10-17' : '2012-10-17', Statement: statements }, undefined, 2);
}

/** The registry-wide settings of the fixture. */
function registrySettings(account: string, region: string, templateKey: string): ExportedRegistry {
  const ptc = (prefix: string, url: string, extra: Partial<ExportedPullThroughCacheRule> = {}): ExportedPullThroughCacheRule => ({
    ecrRepositoryPrefix: prefix, upstreamRegistryUrl: url, registryId: account, createdAt: '2024-02-01T10:00:00.000Z', ...extra,
  });
  const secret = (name: string) => `arn:aws:secretsmanager:${region}:${account}:secret:ecr-pullthroughcache/${name}-AbCdEf`;
  const template = (t: ExportedCreationTemplate): ExportedCreationTemplate => t;
  return {
    replicationConfiguration: {
      rules: [
        { destinations: [{ region: 'eu-central-1', registryId: account }], repositoryFilters: [{ filter: 'payments/', filterType: 'PREFIX_MATCH' }] },
        { destinations: [{ region: 'us-east-1', registryId: FIXTURE_ACCOUNTS[0] }], repositoryFilters: [{ filter: 'platform/', filterType: 'PREFIX_MATCH' }, { filter: 'infra/', filterType: 'PREFIX_MATCH' }] },
        { destinations: [{ region: 'eu-west-2', registryId: account }, { region: 'eu-north-1', registryId: FIXTURE_ACCOUNTS[1] }], repositoryFilters: [{ filter: 'identity/', filterType: 'PREFIX_MATCH' }] },
      ],
    },
    registryPolicyText: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'ReplicationFromOrganization',
        Effect: 'Allow',
        Principal: { AWS: FIXTURE_ACCOUNTS.slice(0, 2).map((a) => `arn:aws:iam::${a}:root`) },
        Action: ['ecr:CreateRepository', 'ecr:ReplicateImage'],
        Resource: `arn:aws:ecr:${region}:${account}:repository/*`,
      }],
    }),
    scanningConfiguration: {
      scanType: 'ENHANCED',
      rules: [
        { scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: 'payments/*', filterType: 'WILDCARD' }, { filter: 'identity/*', filterType: 'WILDCARD' }] },
        { scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] },
      ],
    },
    pullThroughCacheRules: [
      ptc('docker-hub', 'registry-1.docker.io', { credentialArn: secret('docker-hub'), upstreamRegistry: 'docker-hub' }),
      ptc('ecr-public', 'public.ecr.aws', { upstreamRegistry: 'ecr-public' }),
      ptc('quay', 'quay.io', { upstreamRegistry: 'quay' }),
      ptc('github', 'ghcr.io', { credentialArn: secret('github'), upstreamRegistry: 'github-container-registry' }),
      // ECR to ECR: the platform images of the organization's central registry, through a role of this account.
      ptc('central', `${FIXTURE_ACCOUNTS[2]}.dkr.ecr.eu-central-1.amazonaws.com`, {
        upstreamRegistry: 'ecr', upstreamRepositoryPrefix: 'platform', customRoleArn: `arn:aws:iam::${account}:role/ecr-pull-through-central`,
      }),
    ],
    repositoryCreationTemplates: [
      template({
        prefix: 'ROOT',
        description: 'Defaults for repositories ECR creates',
        encryptionConfiguration: { encryptionType: 'KMS', kmsKey: templateKey },
        imageTagMutability: 'IMMUTABLE',
        lifecyclePolicy: LIFECYCLE_TEXTS[0],
        appliedFor: ['PULL_THROUGH_CACHE', 'REPLICATION'],
        resourceTags: [{ Key: 'owner', Value: 'platform' }],
        createdAt: '2024-02-01T10:00:00.000Z',
        updatedAt: '2024-02-01T10:00:00.000Z',
      }),
      template({
        prefix: 'docker-hub',
        description: 'Docker Hub cache',
        encryptionConfiguration: { encryptionType: 'AES256' },
        imageTagMutability: 'MUTABLE',
        lifecyclePolicy: LIFECYCLE_TEXTS[3],
        appliedFor: ['PULL_THROUGH_CACHE'],
        resourceTags: [],
      }),
      template({
        prefix: 'payments',
        encryptionConfiguration: { encryptionType: 'KMS', kmsKey: templateKey },
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest' }],
        appliedFor: ['REPLICATION', 'CREATE_ON_PUSH'],
        repositoryPolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'OrganizationPull', Effect: 'Allow', Principal: '*', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Condition: { StringEquals: { 'aws:PrincipalOrgID': FIXTURE_ORGANIZATION } } }] }),
        customRoleArn: `arn:aws:iam::${account}:role/ecr-creation-template`,
      }),
    ],
    accountSettings: { BASIC_SCAN_TYPE_VERSION: 'AWS_NATIVE', REGISTRY_POLICY_SCOPE: 'V2' },
    signingConfiguration: {
      rules: [{
        signingProfileArn: `arn:aws:signer:${region}:${account}:/signing-profiles/platform_releases`,
        repositoryFilters: [{ filter: 'payments/*', filterType: 'WILDCARD_MATCH' }, { filter: 'identity/*', filterType: 'WILDCARD_MATCH' }],
      }],
    },
    pullTimeUpdateExclusions: [`arn:aws:iam::${account}:role/image-scanner`, `arn:aws:iam::${account}:role/replication-checker`],
  };
}
