/*
 * The adoption mapping against the CloudFormation resource specification the
 * installed CDK CLI ships (`aws-cdk/db.json.gz`, the database `cdk diff` marks
 * "requires replacement" from): each type's primary identifier, and the
 * properties whose change replaces the resource (the schema's
 * `createOnlyProperties`). Upgrading the CLI to a specification that differs
 * fails here, so the plan never calls a replacement an in-place update.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { registryExport, exportedRepository, ACCOUNT } from './exports';
import { REGISTRY_RESOURCES, REPOSITORY_IDENTIFIER, REPOSITORY_PROPERTIES, registryResources, repositoryProperties } from '../../src/adopt/mapping';

interface SpecProperty {
  readonly causesReplacement?: 'yes' | 'no' | 'maybe';
}
interface SpecResource {
  readonly cloudFormationType: string;
  readonly primaryIdentifier?: string[];
  readonly properties: Record<string, SpecProperty>;
}

function loadSpecification(): Map<string, SpecResource> {
  const file = path.join(path.dirname(require.resolve('aws-cdk/package.json')), 'db.json.gz');
  const db = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8'));
  const entities: SpecResource[] = db.schema.resource.entities;
  return new Map(entities.filter((r) => r.cloudFormationType.startsWith('AWS::ECR::')).map((r) => [r.cloudFormationType, r]));
}

const SPEC = loadSpecification();
const replacing = (type: string) => Object.entries(SPEC.get(type)!.properties).filter(([, p]) => p.causesReplacement === 'yes').map(([name]) => name).sort();

/** Every registry-level type, fully populated, so that each property the mapping renders is checked. */
const FULL = registryExport([exportedRepository('team-a/api', { imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'dev-*' }] })], {
  replicationConfiguration: { rules: [{ destinations: [{ region: 'eu-central-1', registryId: ACCOUNT }], repositoryFilters: [{ filter: 'team-a', filterType: 'PREFIX_MATCH' }] }] },
  registryPolicyText: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
  scanningConfiguration: { scanType: 'ENHANCED', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }] },
  signingConfiguration: { rules: [{ signingProfileArn: `arn:aws:signer:eu-west-1:${ACCOUNT}:/signing-profiles/p`, repositoryFilters: [{ filter: '*', filterType: 'WILDCARD_MATCH' }] }] },
  pullThroughCacheRules: [{
    ecrRepositoryPrefix: 'upstream',
    upstreamRegistryUrl: `${ACCOUNT}.dkr.ecr.eu-central-1.amazonaws.com`,
    upstreamRegistry: 'ecr',
    upstreamRepositoryPrefix: 'team-a',
    customRoleArn: `arn:aws:iam::${ACCOUNT}:role/cache`,
    credentialArn: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:ecr-pullthroughcache/hub-AbCdEf`,
  }],
  repositoryCreationTemplates: [{
    prefix: 'upstream',
    description: 'cached',
    appliedFor: ['PULL_THROUGH_CACHE'],
    imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
    imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'dev-*' }],
    encryptionConfiguration: { encryptionType: 'AES256' },
    lifecyclePolicy: '{"rules":[]}',
    repositoryPolicy: '{"Version":"2012-10-17","Statement":[]}',
    resourceTags: [{ Key: 'team', Value: 'a' }],
    customRoleArn: `arn:aws:iam::${ACCOUNT}:role/templates`,
  }],
  pullTimeUpdateExclusions: [`arn:aws:iam::${ACCOUNT}:role/scanner`],
});

describe('the adoption mapping matches the CloudFormation resource specification of the installed CDK CLI', () => {
  test('the specification is there and describes the ECR types', () => {
    expect(SPEC.get('AWS::ECR::Repository')).toBeDefined();
  });

  test('AWS::ECR::Repository: the identifier, and a replacement exactly for the create-only properties', () => {
    expect(SPEC.get('AWS::ECR::Repository')!.primaryIdentifier).toEqual([REPOSITORY_IDENTIFIER]);
    expect(REPOSITORY_PROPERTIES.filter((m) => m.replacement).map((m) => m.property).sort()).toEqual(replacing('AWS::ECR::Repository'));
    // Every property is mapped, but EmptyOnDelete (CloudFormation's behaviour on delete; ECR has no field for it).
    expect(REPOSITORY_PROPERTIES.map((m) => m.property).sort()).toEqual(Object.keys(SPEC.get('AWS::ECR::Repository')!.properties).filter((p) => p !== 'EmptyOnDelete').sort());
    expect(Object.keys(repositoryProperties(FULL.repositories[0])).filter((p) => SPEC.get('AWS::ECR::Repository')!.properties[p] === undefined)).toEqual([]);
  });

  test.each(REGISTRY_RESOURCES.filter((m) => !m.type.startsWith('Custom::')).map((m) => [m.type, m] as const))('%s: the identifier, and the replacing properties', (type, mapping) => {
    const spec = SPEC.get(type);
    expect(spec).toBeDefined();
    expect(spec!.primaryIdentifier).toEqual([mapping.identifier]);
    expect([...mapping.replacedBy].sort()).toEqual(replacing(type));
    expect(Object.values(spec!.properties).filter((p) => p.causesReplacement === 'maybe')).toEqual([]);
  });

  test('every property the mapping renders for the registry is a property of its type', () => {
    const rendered = registryResources(FULL).filter((r) => !r.type.startsWith('Custom::'));
    expect(new Set(rendered.map((r) => r.type))).toEqual(new Set(REGISTRY_RESOURCES.filter((m) => !m.type.startsWith('Custom::')).map((m) => m.type)));
    const unknown = rendered.flatMap((r) => Object.keys(r.properties).filter((p) => SPEC.get(r.type)!.properties[p] === undefined).map((p) => `${r.type}.${p}`));
    expect(unknown).toEqual([]);
  });

  test('every private-registry ECR type of the specification is in the mapping (a new type needs a row)', () => {
    const mapped = new Set(['AWS::ECR::Repository', ...REGISTRY_RESOURCES.map((m) => m.type)]);
    // ECR Public is another service (ecr-public), out of what a private registry's export holds.
    expect([...SPEC.keys()].filter((t) => !mapped.has(t) && t !== 'AWS::ECR::PublicRepository').sort()).toEqual([]);
  });
});
