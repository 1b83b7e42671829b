import * as fc from 'fast-check';
import { EXPORT_FORMAT, RegistryExportFile } from '../../src/adopt/export-model';

/*
 * fast-check arbitraries of valid registry exports: small, but with every kind of
 * value ECR returns (each tag mutability with its exclusion filters, AES256 and KMS,
 * timestamps as ISO strings and epoch seconds, with and without policies and tags,
 * every registry setting present or absent).
 */

/** Regions with the partition their ARNs name. */
const REGIONS: ReadonlyArray<readonly [string, string]> = [['eu-west-1', 'aws'], ['us-east-1', 'aws'], ['cn-north-1', 'aws-cn'], ['us-gov-west-1', 'aws-us-gov']];

export const accountId = fc.stringMatching(/^\d{12}$/);

const part = fc.stringMatching(/^[a-z0-9]{1,4}(?:[._-][a-z0-9]{1,4})?$/);

/** A repository name ECR takes: 2 to 256 characters, namespaces separated by '/'. */
export const repositoryName = fc.array(part, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/')).filter((n) => n.length >= 2);

const timestamp = fc.oneof(
  fc.integer({ min: 1_400_000_000, max: 2_000_000_000 }).map((s) => s + 0.5),
  fc.integer({ min: 1_400_000_000_000, max: 2_000_000_000_000 }).map((ms) => new Date(ms).toISOString()),
);

/** A policy document as ECR returns it: JSON text, formatted in any way. */
const policyText = fc.record({ Sid: fc.string({ maxLength: 8 }), Effect: fc.constantFrom('Allow', 'Deny') })
  .chain((statement) => fc.constantFrom(0, 2).map((indent) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] }, null, indent)));

const tag = fc.record({ Key: fc.string({ minLength: 1, maxLength: 10 }), Value: fc.string({ maxLength: 10 }) });
const tags = fc.uniqueArray(tag, { selector: (t) => t.Key, maxLength: 4 });

const exclusionFilter = fc.stringMatching(/^[a-z0-9*._-]{1,12}$/);

/** imageTagMutability with the exclusion filters it needs (some exactly when it is *_WITH_EXCLUSION). */
const tagMutability = fc.constantFrom('MUTABLE', 'IMMUTABLE', 'MUTABLE_WITH_EXCLUSION', 'IMMUTABLE_WITH_EXCLUSION').chain((mutability) => (mutability.endsWith('_WITH_EXCLUSION')
  ? fc.array(exclusionFilter, { minLength: 1, maxLength: 3 })
    .map((filters) => ({ imageTagMutability: mutability, imageTagMutabilityExclusionFilters: filters.map((filter) => ({ filterType: 'WILDCARD', filter })) }))
  : fc.constant({ imageTagMutability: mutability })));

function encryption(partition: string, region: string, account: string) {
  return fc.oneof(
    fc.constant({ encryptionType: 'AES256' }),
    fc.tuple(fc.constantFrom('KMS', 'KMS_DSSE'), fc.uuid()).map(([encryptionType, id]) => ({ encryptionType, kmsKey: `arn:${partition}:kms:${region}:${account}:key/${id}` })),
  );
}

const filter = fc.stringMatching(/^[a-z0-9*/_-]{1,12}$/);
const cachePrefix = fc.stringMatching(/^[a-z0-9]{2,10}$/);
const templatePrefix = fc.oneof(fc.constant('ROOT'), fc.stringMatching(/^[a-z0-9]{1,8}$/));
const roleName = fc.stringMatching(/^[a-z]{1,8}$/);

/** Only the fields that are defined (JSON has no undefined). */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** A valid export of up to `maxRepositories` repositories. */
export function registryExport(maxRepositories = 6): fc.Arbitrary<RegistryExportFile> {
  return fc.tuple(accountId, fc.constantFrom(...REGIONS)).chain(([account, [region, partition]]) => {
    const repository = fc.record({
      mutability: tagMutability,
      encryption: encryption(partition, region, account),
      createdAt: fc.option(timestamp, { nil: undefined }),
      scanOnPush: fc.option(fc.boolean(), { nil: undefined }),
      lifecyclePolicyText: fc.option(fc.constant('{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":1},"action":{"type":"expire"}}]}'), { nil: undefined }),
      repositoryPolicyText: fc.option(policyText, { nil: undefined }),
      tags,
    });
    const exported = (name: string) => repository.map((r) => defined({
      repositoryArn: `arn:${partition}:ecr:${region}:${account}:repository/${name}`,
      registryId: account,
      repositoryName: name,
      createdAt: r.createdAt,
      ...r.mutability,
      imageScanningConfiguration: r.scanOnPush === undefined ? undefined : { scanOnPush: r.scanOnPush },
      encryptionConfiguration: r.encryption,
      lifecyclePolicyText: r.lifecyclePolicyText,
      repositoryPolicyText: r.repositoryPolicyText,
      tags: r.tags,
    }));
    const repositories = fc.uniqueArray(repositoryName, { maxLength: maxRepositories }).chain((names) => fc.tuple(...names.map(exported)));
    const registry = fc.record({
      replicationConfiguration: fc.record({
        rules: fc.array(fc.record({
          destinations: fc.array(fc.record({ region: fc.constantFrom(...REGIONS.map(([r]) => r)), registryId: accountId }),
            { minLength: 1, maxLength: 2 }),
          repositoryFilters: fc.array(filter.map((f) => ({ filter: f, filterType: 'PREFIX_MATCH' })), { maxLength: 2 }),
        }), { maxLength: 3 }),
      }),
      registryPolicyText: policyText,
      scanningConfiguration: fc.record({
        scanType: fc.constantFrom('BASIC', 'ENHANCED'),
        rules: fc.array(fc.record({
          scanFrequency: fc.constantFrom('SCAN_ON_PUSH', 'CONTINUOUS_SCAN', 'MANUAL'),
          repositoryFilters: fc.array(filter.map((f) => ({ filter: f, filterType: 'WILDCARD' })), { minLength: 1, maxLength: 2 }),
        }), { maxLength: 2 }),
      }),
      pullThroughCacheRules: fc.uniqueArray(fc.record({
        ecrRepositoryPrefix: cachePrefix,
        upstreamRegistryUrl: fc.constantFrom('public.ecr.aws', 'registry-1.docker.io', 'quay.io'),
        registryId: fc.constant(account),
        createdAt: timestamp,
      }), { selector: (r) => r.ecrRepositoryPrefix, maxLength: 3 }),
      repositoryCreationTemplates: fc.uniqueArray(fc.record({
        prefix: templatePrefix,
        appliedFor: fc.uniqueArray(fc.constantFrom('REPLICATION', 'PULL_THROUGH_CACHE', 'CREATE_ON_PUSH'), { minLength: 1, maxLength: 3 }),
        encryptionConfiguration: encryption(partition, region, account),
        resourceTags: tags,
        mutability: tagMutability,
      }).map(({ mutability, ...t }) => ({ ...t, ...mutability })), { selector: (t) => t.prefix, maxLength: 3 }),
      accountSettings: fc.record({
        BASIC_SCAN_TYPE_VERSION: fc.constantFrom('AWS_NATIVE', 'CLAIR'),
        REGISTRY_POLICY_SCOPE: fc.constantFrom('V1', 'V2'),
        BLOB_MOUNTING: fc.constantFrom('ENABLED', 'DISABLED'),
      }, { requiredKeys: [] }),
      signingConfiguration: fc.record({
        rules: fc.array(fc.record({
          signingProfileArn: fc.constant(`arn:${partition}:signer:${region}:${account}:/signing-profiles/p`),
          repositoryFilters: fc.array(filter.map((f) => ({ filter: f, filterType: 'WILDCARD_MATCH' })), { maxLength: 2 }),
        }), { maxLength: 2 }),
      }),
      pullTimeUpdateExclusions: fc.uniqueArray(roleName.map((n) => `arn:${partition}:iam::${account}:role/${n}`), { maxLength: 3 }),
    }, { requiredKeys: [] });
    const exportedAt = fc.option(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), { nil: undefined });
    return fc.record({ repositories, registry, exportedAt })
      .map(({ repositories: r, registry: g, exportedAt: at }) => defined({
        format: EXPORT_FORMAT,
        version: 1,
        account,
        region,
        exportedAt: at,
        repositories: [...r].sort((a, b) => (a.repositoryName < b.repositoryName ? -1 : 1)),
        registry: g,
      }) as unknown as RegistryExportFile);
  });
}
