import { CATALOG_KEYS } from './catalog';
import { CATALOG_AWS_MANAGED_KEY } from './catalog-encryption';
import { REGISTRY_RESOURCE_KEYS } from './catalog-registry';
import { CONTROL_TOWER_CONTROLS } from '../compliance/control-tower-controls';
import { complianceRuleId, REPOSITORY_RULES } from '../compliance/rule-ids';
import { ACCOUNT_ID_PATTERN, EncryptionType, REPOSITORY_NAME_PATTERN, REPOSITORY_TAG_LIMITS, SETTABLE_ACCOUNT_SETTING_VALUES } from '../internal/ecr-facts';
import { ORGANIZATION_ID, OU_PATH } from '../internal/organizations';
import { REGION_SHAPE } from '../internal/regions';
import { MAX_INTEGER, MIN_ARCHIVE_DAYS } from '../lifecycle/validate';
import { principalArnPattern } from '../repository/access';
import { KMS_KEY_ARN } from '../repository/adopted-settings';
import { ImageTagMutability } from '../repository/private-repository';
import { EXCLUSION_FILTER } from '../repository/tag-mutability';

/**
 * The JSON Schema of a repository catalog, generated from the catalog
 * reader's own key lists (committed as `catalog.schema.json` for editors).
 * It describes the shape, with the patterns, bounds and required companions
 * of single values taken from the model's own constants; rules across values
 * (lifecycle rule order, quotas) stay in the model, which
 * `cdk-ecr-platform catalog validate` applies.
 *
 * @internal
 */
export function catalogJsonSchema(): Record<string, unknown> {
  const strings = { type: 'array', items: { type: 'string' } };
  // An account ID is a 12-digit string, or (YAML without quotes) a 12-digit whole number.
  const account = {
    oneOf: [
      { type: 'string', pattern: ACCOUNT_ID_PATTERN.source },
      { type: 'integer', minimum: 10 ** 11, maximum: 10 ** 12 - 1 },
    ],
  };
  const accounts = { type: 'array', minItems: 1, items: account };
  const count = (minimum: number) => ({ type: 'integer', minimum, maximum: MAX_INTEGER });
  const preset = (name: string, params: string[]) => ({
    type: 'object',
    additionalProperties: false,
    required: ['preset', ...params.filter((p) => p !== 'deleteAfterArchivedDays')],
    properties: {
      preset: { const: name },
      ...Object.fromEntries(params.map((p) => [p,
        p === 'patterns' ? { ...strings, minItems: 1 } : count(p === 'deleteAfterArchivedDays' ? MIN_ARCHIVE_DAYS : 1)])),
    },
  });
  const lifecyclePart = {
    oneOf: [
      ...Object.entries(CATALOG_KEYS.presets).map(([name, params]) => preset(name, params)),
      { type: 'object', additionalProperties: false, required: ['policy'], properties: { policy: { type: 'object', description: 'An ECR lifecycle policy document' } } },
    ],
  };
  const settings: Record<string, unknown> = {
    account: { ...account, description: 'The account of the registry the repository lives in (MultiRegistryFleet builds one fleet per account and region)' },
    region: { type: 'string', pattern: REGION_SHAPE.source, description: 'The region of the registry the repository lives in' },
    owner: { type: 'string', description: 'Value of the owner tag' },
    costCenter: { type: 'string', description: 'Value of the cost-center tag' },
    lifecycle: {
      description: 'A preset with its parameters, a list of presets combined in order, a full policy, or none (no lifecycle policy, as an existing repository may have)',
      oneOf: [lifecyclePart, { type: 'array', minItems: 1, items: lifecyclePart }, { const: 'none' }],
    },
    tagMutability: { enum: CATALOG_KEYS.tagMutability },
    tagMutabilityExclusions: { type: 'array', minItems: 1, maxItems: 5, items: { type: 'string', pattern: EXCLUSION_FILTER.source } },
    encryption: {
      enum: CATALOG_KEYS.encryption,
      description: "KMS uses the shard stack's shared customer managed key, or the key named by kmsKey; KMS_DSSE (AWS GovCloud (US) Regions only) the key named by kmsKey",
    },
    ...adoptedSettingsSchema(),
    access: {
      type: 'object',
      additionalProperties: false,
      properties: {
        pullAccounts: accounts,
        pushAccounts: accounts,
        organization: { type: 'string', pattern: ORGANIZATION_ID.source },
        organizationalUnits: { type: 'array', minItems: 1, items: { type: 'string', pattern: OU_PATH.source } },
        lambdaAccounts: accounts,
        ...pushAndPrincipalAccessSchema(),
      },
      dependencies: { organizationalUnits: ['organization'], pushOrganization: ['organization'], pushOrganizationalUnits: ['organization'] },
    },
    replication: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: CATALOG_KEYS.destination, properties: { account, region: { type: 'string', pattern: REGION_SHAPE.source } } },
    },
    scanning: { enum: CATALOG_KEYS.scanning },
    removalPolicy: { enum: CATALOG_KEYS.removalPolicy },
    acknowledge: {
      description: 'Accepted findings of the EcrCompliance pack, or AWS Control Tower controls on repositories (the pack\'s mirror and the cfn-guard rule), each with its reason',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: CATALOG_KEYS.acknowledgement,
        properties: { id: { enum: [...REPOSITORY_RULES.map(complianceRuleId), ...CONTROL_TOWER_CONTROLS] }, reason: { type: 'string', pattern: '\\S' } },
      },
    },
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'cdk-ecr-platform repository catalog',
    type: 'object',
    additionalProperties: false,
    required: ['repositories'],
    properties: {
      $schema: { type: 'string' },
      defaults: { type: 'object', additionalProperties: false, properties: settings },
      registry: registrySchema(account),
      repositories: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: { name: { type: 'string', minLength: 2, maxLength: 256, pattern: REPOSITORY_NAME_PATTERN.source }, ...settings },
        },
      },
    },
  };
}

/** The schema of the catalog's registry block: replication rules and the registry scanning configuration. */
function registrySchema(account: unknown): Record<string, unknown> {
  const filters = { type: 'array', minItems: 1, items: { type: 'string' } };
  return {
    type: 'object',
    description: 'Registry-wide replication rules, scanning configuration and registry policy, rendered by the fleet\'s registry stack',
    additionalProperties: false,
    properties: {
      replication: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['destinations'],
          properties: {
            destinations: {
              type: 'array',
              minItems: 1,
              items: { type: 'object', additionalProperties: false, required: CATALOG_KEYS.destination, properties: { account, region: { type: 'string', pattern: REGION_SHAPE.source } } },
            },
            filters: { ...filters, maxItems: 100 },
          },
        },
      },
      scanType: { enum: CATALOG_KEYS.scanType },
      scanning: {
        type: 'array',
        maxItems: 2,
        items: { type: 'object', additionalProperties: false, required: CATALOG_KEYS.scanningRule, properties: { frequency: { enum: CATALOG_KEYS.scanning }, filters } },
      },
      policy: {
        type: 'object',
        required: ['Statement'],
        description: 'The registry policy as it runs: its statements go to the registry stack\'s registry policy, checked by the registry\'s rules',
      },
      ...registryResourcesSchema(),
    },
  };
}

/** The schema of the registry block's pull-through cache rules, creation templates, signing rules, exclusions and account settings. */
function registryResourcesSchema(): Record<string, unknown> {
  const K = REGISTRY_RESOURCE_KEYS;
  const string = { type: 'string' };
  const strings = { type: 'array', minItems: 1, items: string };
  const keysOf = (keys: string[], types: Record<string, unknown>) => Object.fromEntries(keys.map((k) => [k, types[k] ?? string]));
  return {
    pullThroughCache: {
      type: 'array',
      description: 'Pull-through cache rules as they run, each a PullThroughCacheRule of the registry stack (existing secret and role by ARN)',
      items: { type: 'object', additionalProperties: false, required: ['prefix', 'upstream'], properties: keysOf(K.pullThroughCache, {}) },
    },
    creationTemplates: {
      type: 'array',
      description: 'Repository creation templates as they run, each a RepositoryCreationTemplate of the registry stack',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['prefix', 'appliedFor'],
        properties: keysOf(K.creationTemplate, {
          appliedFor: { type: 'array', minItems: 1, items: { enum: K.appliedFor } },
          encryption: { enum: [EncryptionType.AES256, EncryptionType.KMS] },
          tagMutability: { enum: [ImageTagMutability.MUTABLE, ImageTagMutability.IMMUTABLE] },
          tagMutabilityExclusions: strings,
          lifecycle: { oneOf: [{ const: 'none' }, { type: 'object', additionalProperties: false, required: ['policy'], properties: { policy: { type: 'object' } } }] },
          repositoryPolicy: { type: 'object', required: ['Statement'] },
          tags: { type: 'object', additionalProperties: string },
          customRoleArn: { type: 'string', description: 'The existing role ECR assumes, or none: ECR\'s service-linked role even with tags or KMS' },
          acknowledge: {
            type: 'array',
            items: { type: 'object', additionalProperties: false, required: ['id', 'reason'], properties: { id: { enum: K.templateRules }, reason: { type: 'string', minLength: 1 } } },
          },
        }),
      },
    },
    signing: {
      type: 'array',
      description: 'Signing rules of the registry\'s signing configuration (RegistrySigning)',
      items: { type: 'object', additionalProperties: false, required: ['profileArn'], properties: { profileArn: string, filters: strings } },
    },
    pullTimeUpdateExclusions: { ...strings, description: 'IAM role or user ARNs whose pulls do not update "last pulled" times' },
    accountSettings: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      description: 'ECR account settings (EcrAccountSettings, a custom resource)',
      properties: Object.fromEntries(K.accountSettings.map((k) => [k, { enum: [...SETTABLE_ACCOUNT_SETTING_VALUES[k]] }])),
    },
  };
}

/** The schema of the keys that reproduce an existing repository's settings. */
function adoptedSettingsSchema(): Record<string, unknown> {
  const { maxTags, maxKeyLength, minValueLength, maxValueLength } = REPOSITORY_TAG_LIMITS;
  return {
    kmsKey: {
      type: 'string',
      pattern: `(?:${KMS_KEY_ARN.source})|(?:^${CATALOG_AWS_MANAGED_KEY.replace('/', '\\/')}$)`,
      description: `The ARN of an existing KMS key (with encryption: KMS or KMS_DSSE), rendered exactly as KmsKey; ${CATALOG_AWS_MANAGED_KEY} for ECR's AWS managed key (no KmsKey rendered)`,
    },
    repositoryPolicy: {
      type: 'object',
      description: 'A repository policy document, rendered as given before the statements of access; an open statement needs the acknowledgement of EcrCompliance-OpenAccess',
      required: ['Statement'],
      properties: {
        Version: { enum: ['2012-10-17', '2008-10-17'] },
        Id: { type: 'string' },
        Statement: { oneOf: [{ type: 'object' }, { type: 'array', minItems: 1, items: { type: 'object' } }] },
      },
    },
    tags: {
      type: 'object',
      description: 'Tags besides owner and cost-center (which owner and costCenter set)',
      maxProperties: maxTags,
      propertyNames: { minLength: 1, maxLength: maxKeyLength, not: { pattern: '^[aA][wW][sS]:' } },
      additionalProperties: { type: 'string', minLength: minValueLength, maxLength: maxValueLength },
    },
    scanOnPush: { type: 'boolean', description: "The repository's own scan on push (default true; false fails Control Tower CT.ECR.PR.2)" },
  };
}

/** The schema of the access keys for push from the organization and for principal ARNs. */
function pushAndPrincipalAccessSchema(): Record<string, unknown> {
  const arns = { type: 'array', minItems: 1, items: { type: 'string', pattern: principalArnPattern() } };
  return {
    pushOrganization: { type: 'boolean', description: 'true: every principal of the organization may push (a wide grant: prefer pushOrganizationalUnits or pushPrincipalArns)' },
    pushOrganizationalUnits: { type: 'array', minItems: 1, items: { type: 'string', pattern: OU_PATH.source } },
    pullPrincipalArns: { ...arns, description: 'IAM role or user ARNs, matched exactly by aws:PrincipalArn' },
    pushPrincipalArns: { ...arns, description: 'IAM role or user ARNs, matched exactly by aws:PrincipalArn' },
  };
}
