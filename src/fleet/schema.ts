import { CATALOG_KEYS } from './catalog';
import { ACCOUNT_ID_PATTERN } from '../internal/ecr-facts';

/**
 * The JSON Schema of a repository catalog, generated from the catalog
 * reader's own key lists (committed as `catalog.schema.json` for editors).
 * It describes the shape; the ECR rules stay in the model, which
 * `cdk-ecr-platform catalog validate` applies.
 *
 * @internal
 */
export function catalogJsonSchema(): Record<string, unknown> {
  const strings = { type: 'array', items: { type: 'string' } };
  const accounts = { type: 'array', items: { type: ['string', 'integer'], pattern: ACCOUNT_ID_PATTERN.source } };
  const preset = (name: string, params: string[]) => ({
    type: 'object',
    additionalProperties: false,
    required: ['preset', ...params.filter((p) => p !== 'deleteAfterArchivedDays')],
    properties: {
      preset: { const: name },
      ...Object.fromEntries(params.map((p) => [p, p === 'patterns' ? strings : { type: 'integer', minimum: 1 }])),
    },
  });
  const lifecyclePart = {
    oneOf: [
      ...Object.entries(CATALOG_KEYS.presets).map(([name, params]) => preset(name, params)),
      { type: 'object', additionalProperties: false, required: ['policy'], properties: { policy: { type: 'object', description: 'An ECR lifecycle policy document' } } },
    ],
  };
  const settings: Record<string, unknown> = {
    owner: { type: 'string', description: 'Value of the owner tag' },
    costCenter: { type: 'string', description: 'Value of the cost-center tag' },
    lifecycle: { description: 'A preset with its parameters, a list of presets combined in order, or a full policy', oneOf: [lifecyclePart, { type: 'array', minItems: 1, items: lifecyclePart }] },
    tagMutability: { enum: CATALOG_KEYS.tagMutability },
    tagMutabilityExclusions: { ...strings, minItems: 1, maxItems: 5 },
    encryption: { enum: CATALOG_KEYS.encryption, description: "KMS uses the shard stack's shared customer managed key" },
    access: {
      type: 'object',
      additionalProperties: false,
      properties: {
        pullAccounts: accounts,
        pushAccounts: accounts,
        organization: { type: 'string', pattern: '^o-[a-z0-9]{10,32}$' },
        organizationalUnits: strings,
        lambdaAccounts: accounts,
      },
    },
    replication: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: CATALOG_KEYS.destination, properties: { account: { type: ['string', 'integer'], pattern: ACCOUNT_ID_PATTERN.source }, region: { type: 'string' } } },
    },
    scanning: { enum: CATALOG_KEYS.scanning },
    removalPolicy: { enum: CATALOG_KEYS.removalPolicy },
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
      repositories: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: { name: { type: 'string', minLength: 2, maxLength: 256 }, ...settings },
        },
      },
    },
  };
}
