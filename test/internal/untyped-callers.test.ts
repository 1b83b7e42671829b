import { Stack } from 'aws-cdk-lib';
import {
  EcrAccountSettings,
  EcrComplianceChecks,
  FindingSuppression,
  FindingsRouting,
  InspectorScanning,
  LifecyclePolicy,
  LifecyclePresets,
  PrivateRepository,
  PublicArchitecture,
  PublicOperatingSystem,
  PublicRepository,
  PullThroughCacheCredentials,
  PullThroughCacheRule,
  PullTimeUpdateExclusion,
  Registry,
  RegistryScanning,
  RegistrySigning,
  ReplicationDestination,
  RepositoryAccess,
  RepositoryCreationTemplate,
  ImageEncryption,
  UpstreamRegistry,
} from '../../src';
import { VALIDATION_ERROR } from '../util/fuzz';
import { strictStack } from '../util/harness';

/*
 * What JavaScript callers, and Python, Java or .NET callers through jsii, can pass that the
 * TypeScript types forbid. Every entry point answers with the library's usual error (subject,
 * problem count, one line per problem naming the value) rather than a TypeError or an error
 * from deep inside aws-cdk-lib.
 */
const u = undefined as any;
const n = null as any;
const pub = () => new Stack(strictStack().node.root as any, 'Public', { env: { account: '111111111111', region: 'us-east-1' } });

const CASES: Array<[string, (stack: Stack) => unknown, RegExp]> = [
  // Repositories
  ['PrivateRepository props null', (s) => new PrivateRepository(s, 'R', n), /props is null: expected an object/],
  ['PrivateRepository access null', (s) => new PrivateRepository(s, 'R', { access: n }), /props.access is null: expected a list/],
  ['PrivateRepository access item undefined', (s) => new PrivateRepository(s, 'R', { access: [u] }), /props.access\[0\] is undefined: expected a RepositoryAccess/],
  ['PrivateRepository exclusions item null', (s) => new PrivateRepository(s, 'R', { imageTagMutabilityExclusions: ['latest', n] }), /props.imageTagMutabilityExclusions\[1\] is null: expected a string/],
  ['PrivateRepository mutability off-enum', (s) => new PrivateRepository(s, 'R', { imageTagMutability: 'immutable' as any }), /props.imageTagMutability is "immutable": expected one of IMMUTABLE, MUTABLE/],
  ['PrivateRepository name number', (s) => new PrivateRepository(s, 'R', { repositoryName: 42 as any }), /props.repositoryName is 42: expected a string/],
  ['PrivateRepository removal policy off-enum', (s) => new PrivateRepository(s, 'R', { removalPolicy: 'keep' as any }), /props.removalPolicy is "keep": expected one of destroy, retain/],
  ['PrivateRepository emptyOnDelete string', (s) => new PrivateRepository(s, 'R', { emptyOnDelete: 'true' as any }), /props.emptyOnDelete is "true": expected true or false/],
  ['PrivateRepository encryption string', (s) => new PrivateRepository(s, 'R', { encryption: 'KMS' as any }), /props.encryption is "KMS": expected a ImageEncryption/],
  ['PrivateRepository scope null', () => new PrivateRepository(n, 'R'), /scope is null: expected an object/],
  ['PrivateRepository.allow null', (s) => new PrivateRepository(s, 'R').allow(n), /access is null: expected a RepositoryAccess/],
  ['PrivateRepository.replicateTo null item', (s) => new PrivateRepository(s, 'R', { repositoryName: 'r1' }).replicateTo([n]), /destinations\[0\] is null: expected a ReplicationDestination/],
  ['PrivateRepository.addToResourcePolicy undefined', (s) => new PrivateRepository(s, 'R').addToResourcePolicy(u), /statement is undefined: expected a PolicyStatement/],
  ['PrivateRepository.fromRepositoryName null', (s) => PrivateRepository.fromRepositoryName(s, 'R', n), /repositoryName is null: expected a string/],
  ['PrivateRepository.fromRepositoryArn undefined', (s) => PrivateRepository.fromRepositoryArn(s, 'R', u), /repositoryArn is undefined: expected a string/],
  ['PrivateRepository.fromRepositoryAttributes null', (s) => PrivateRepository.fromRepositoryAttributes(s, 'R', n), /attrs is null: expected an object/],
  ['PublicRepository catalog architectures null item', () => new PublicRepository(pub(), 'R', { catalogData: { architectures: [n] } }), /props.catalogData.architectures\[0\] is null: expected a PublicArchitecture/],
  ['PublicRepository.grantPush null', () => new PublicRepository(pub(), 'R').grantPush(n), /grantee is null: expected an object/],
  ['PublicArchitecture.of null', () => PublicArchitecture.of(n), /PublicArchitecture.of: 1 problem:\n {2}- label is null: expected a string/],
  ['PublicOperatingSystem.of number', () => PublicOperatingSystem.of(1 as any), /label is 1: expected a string/],
  ['RepositoryAccess.pullFromAccounts null', () => RepositoryAccess.pullFromAccounts(n), /RepositoryAccess.pullFromAccounts: 1 problem:\n {2}- accountIds is null: expected a list/],
  ['RepositoryAccess.pushFromAccounts null item', () => RepositoryAccess.pushFromAccounts(['111111111111', n]), /accountIds\[1\] is null: expected a string/],
  ['RepositoryAccess.pullFromLambda undefined', () => RepositoryAccess.pullFromLambda(u), /accountIds is undefined/],
  ['RepositoryAccess.pullFromOrganization null', () => RepositoryAccess.pullFromOrganization(n), /organizationId is null: expected a string/],
  ['RepositoryAccess.pullFromOrganizationalUnits null', () => RepositoryAccess.pullFromOrganizationalUnits('o-abcdefghij', n), /organizationalUnitPaths is null: expected a list/],
  ['RepositoryAccess.pushFromOrganization null', () => RepositoryAccess.pushFromOrganization(n), /RepositoryAccess.pushFromOrganization: 1 problem:\n {2}- organizationId is null: expected a string/],
  ['RepositoryAccess.pushFromOrganizationalUnits null item', () => RepositoryAccess.pushFromOrganizationalUnits('o-abcdefghij', [n]), /organizationalUnitPaths\[0\] is null: expected a string/],
  ['RepositoryAccess.pullFromPrincipalArns null', () => RepositoryAccess.pullFromPrincipalArns(n), /RepositoryAccess.pullFromPrincipalArns: 1 problem:\n {2}- principalArns is null: expected a list/],
  ['RepositoryAccess.pushFromPrincipalArns number item', () => RepositoryAccess.pushFromPrincipalArns([1 as any]), /principalArns\[0\] is 1: expected a string/],
  ['RepositoryAccess.fromStatement object', () => RepositoryAccess.fromStatement({} as any), /statement is an object: expected a PolicyStatement/],
  ['ImageEncryption.kms string', () => ImageEncryption.kms('alias/x' as any), /key is "alias\/x": expected an object/],
  // Lifecycle
  ['LifecyclePolicy.fromRules null', () => LifecyclePolicy.fromRules(n), /LifecyclePolicy.fromRules: 1 problem:\n {2}- rules is null: expected a list/],
  ['LifecyclePolicy.fromRules null rule', () => LifecyclePolicy.fromRules([n]), /rules\[0\] is null: expected an object/],
  ['LifecyclePolicy.fromJson undefined', () => LifecyclePolicy.fromJson(u), /text is undefined: expected a string/],
  ['LifecyclePolicy.combine null', () => LifecyclePolicy.combine(LifecyclePolicy.recommended(), n), /policies\[1\] is null: expected a LifecyclePolicy/],
  ['LifecyclePolicy.preview number', () => LifecyclePolicy.recommended().preview(5 as any), /describeImagesJson is 5: expected a string/],
  ['LifecyclePresets.keepLastReleases null patterns', () => LifecyclePresets.keepLastReleases(5, n), /patterns is null: expected a list/],
  ['LifecyclePresets.protectTags null item', () => LifecyclePresets.protectTags(['v*', n]), /patterns\[1\] is null: expected a string/],
  ['LifecyclePresets.expireUntagged string', () => LifecyclePresets.expireUntagged('7' as any), /days is "7": expected a number/],
  ['LifecyclePresets.capTotal undefined', () => LifecyclePresets.capTotal(u), /count is undefined: expected a number/],
  ['LifecyclePresets.archiveUnpulled null', () => LifecyclePresets.archiveUnpulled(n), /days is null: expected a number/],
  // Registry
  ['RepositoryCreationTemplate appliedFor off-enum', (s) => new RepositoryCreationTemplate(s, 'T', { prefix: 'team', appliedFor: ['replication' as any] }),
    /props.appliedFor\[0\] is "replication": expected one of PULL_THROUGH_CACHE, REPLICATION, CREATE_ON_PUSH/],
  ['RepositoryCreationTemplate appliedFor undefined', (s) => new RepositoryCreationTemplate(s, 'T', { prefix: 'team', appliedFor: u }), /props.appliedFor is undefined: expected a list/],
  ['RepositoryCreationTemplate tags null value', (s) => new RepositoryCreationTemplate(s, 'T', { prefix: 'team', appliedFor: [], resourceTags: { team: n } }),
    /props.resourceTags\['team'\] is null: expected a string/],
  ['RepositoryCreationTemplate props undefined', (s) => new RepositoryCreationTemplate(s, 'T', u), /props is undefined: expected an object/],
  ['Registry.of null', () => Registry.of(n), /Registry.of: 1 problem:\n {2}- scope is null: expected an object/],
  ['Registry.addReplicationRule destinations null', (s) => Registry.of(s).addReplicationRule({ destinations: n }), /options.destinations is null: expected a list/],
  ['Registry.addReplicationRule filters item null', (s) => Registry.of(s).addReplicationRule({ destinations: [ReplicationDestination.of('111111111111', 'us-east-1')], repositoryFilters: [n] }),
    /options.repositoryFilters\[0\] is null: expected a string/],
  ['Registry.allowReplicationFrom number', (s) => Registry.of(s).allowReplicationFrom(222222222222 as any), /sourceAccount is 222222222222: expected a string/],
  ['Registry.allowPullThroughCacheFrom null', (s) => Registry.of(s).allowPullThroughCacheFrom(n), /cacheAccount is null: expected a string/],
  ['Registry.addToPolicy object', (s) => Registry.of(s).addToPolicy({} as any), /statement is an object: expected a PolicyStatement/],
  ['Registry.arnForRepositories number', (s) => Registry.of(s).arnForRepositories(1 as any), /prefix is 1: expected a string/],
  ['ReplicationDestination.of null', () => ReplicationDestination.of(n, 'eu-west-1'), /account is null: expected a string/],
  // Pull-through cache
  ['PullThroughCacheRule upstream string', (s) => new PullThroughCacheRule(s, 'P', { ecrRepositoryPrefix: 'hub', upstream: 'docker-hub' as any }), /props.upstream is "docker-hub": expected a UpstreamRegistry/],
  ['PullThroughCacheRule prefix undefined', (s) => new PullThroughCacheRule(s, 'P', { ecrRepositoryPrefix: u, upstream: UpstreamRegistry.quay() }), /props.ecrRepositoryPrefix is undefined: expected a string/],
  ['PullThroughCacheRule access item null', (s) => new PullThroughCacheRule(s, 'P', { ecrRepositoryPrefix: 'quay', upstream: UpstreamRegistry.quay(), access: [n] }), /props.access\[0\] is null/],
  ['PullThroughCacheRule.allowPullThroughFromAccounts null', (s) => new PullThroughCacheRule(s, 'P', { ecrRepositoryPrefix: 'quay', upstream: UpstreamRegistry.quay() }).allowPullThroughFromAccounts(n),
    /accountIds is null: expected a list/],
  ['PullThroughCacheRule.grantPull undefined', (s) => new PullThroughCacheRule(s, 'P', { ecrRepositoryPrefix: 'quay', upstream: UpstreamRegistry.quay() }).grantPull(u), /grantee is undefined: expected an object/],
  ['UpstreamRegistry.ecr null', () => UpstreamRegistry.ecr(n, n), /account is null: expected a string\n {2}- region is null: expected a string/],
  ['UpstreamRegistry.azureContainerRegistry undefined', () => UpstreamRegistry.azureContainerRegistry(u), /registryName is undefined: expected a string/],
  ['PullThroughCacheCredentials.fromSecret null', () => PullThroughCacheCredentials.fromSecret(n), /secret is null: expected an object/],
  ['PullThroughCacheCredentials.createSecret null', () => PullThroughCacheCredentials.createSecret(n), /options is null: expected an object/],
  // Scanning and signing
  ['FindingsRouting minimumSeverity lowercase', (s) => new FindingsRouting(s, 'F', { minimumSeverity: 'high' as any }),
    /FindingsRouting 'Stack\/F': 1 problem:\n {2}- props.minimumSeverity is "high": expected one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL/],
  ['FindingsRouting targets null item', (s) => new FindingsRouting(s, 'F', { targets: [n] }), /props.targets\[0\] is null: expected an object/],
  ['FindingsRouting repositoryNames null', (s) => new FindingsRouting(s, 'F', { repositoryNames: n }), /props.repositoryNames is null/],
  ['FindingSuppression severities off-enum', (s) => new FindingSuppression(s, 'S', { reason: 'r', severities: ['critical' as any] }), /props.severities\[0\] is "critical": expected one of/],
  ['FindingSuppression reason undefined', (s) => new FindingSuppression(s, 'S', { reason: u, vulnerabilityIds: ['CVE-1'] }), /props.reason is undefined: expected a string/],
  ['InspectorScanning rescanDuration off-enum', (s) => new InspectorScanning(s, 'I', { rescanDuration: '180' as any }), /props.rescanDuration is "180": expected one of/],
  ['EcrAccountSettings scope off-enum', (s) => new EcrAccountSettings(s, 'A', { registryPolicyScope: 'v2' as any }), /props.registryPolicyScope is "v2": expected one of V1, V2/],
  ['RegistryScanning.useScanType off-enum', (s) => RegistryScanning.of(s).useScanType('enhanced' as any), /scanType is "enhanced": expected one of BASIC, ENHANCED/],
  ['RegistryScanning.addRule filters null', (s) => RegistryScanning.of(s).addRule({ frequency: 'SCAN_ON_PUSH' as any, repositoryFilters: n }), /options.repositoryFilters is null: expected a list/],
  ['RegistryScanning.addRule frequency off-enum', (s) => RegistryScanning.of(s).addRule({ frequency: 'DAILY' as any, repositoryFilters: ['*'] }), /options.frequency is "DAILY": expected one of/],
  ['RegistrySigning.addRule arn null', (s) => RegistrySigning.of(s).addRule({ signingProfileArn: n }), /options.signingProfileArn is null: expected a string/],
  ['PullTimeUpdateExclusion principal undefined', (s) => new PullTimeUpdateExclusion(s, 'X', { principalArn: u }), /props.principalArn is undefined: expected a string/],
  ['PullTimeUpdateExclusion.forRole null', (s) => PullTimeUpdateExclusion.forRole(s, 'X', n), /role is null: expected an object/],
  ['EcrComplianceChecks level off-enum', () => new EcrComplianceChecks(undefined, { customerManagedKeyLevel: 'warn' as any }), /props.customerManagedKeyLevel is "warn": expected one of Warning, Error, Info/],
];

describe('untyped callers', () => {
  test.each(CASES)('%s: the library\'s usual error, not a TypeError', (_name, call, message) => {
    const stack = strictStack();
    let error: unknown;
    try {
      call(stack);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(VALIDATION_ERROR);
    expect((error as Error).message).toMatch(message);
  });
});

describe('untyped callers inside lifecycle rules', () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    ['a tag list that is not a list', { tagStatus: 'tagged', tagPrefixList: true }, /tagPrefixList must be a list of strings/],
    ['a null tag list', { tagStatus: 'tagged', tagPatternList: null }, /tagPatternList is null; leave it out instead/],
    ['a null description', { tagStatus: 'any', description: null }, /description is null; leave it out instead/],
    ['a description that is not a string', { tagStatus: 'any', description: 7 }, /description 7 is not a string/],
    ['a countNumber given as text', { tagStatus: 'any', countNumber: '5' }, /countNumber 5 is not an integer of at least 1/],
  ])('%s is reported by validate(), never a TypeError', (_name, fields, message) => {
    const policy = LifecyclePolicy.fromRules([{ countType: 'imageCountMoreThan', countNumber: 5, ...fields } as any]);
    expect(policy.validate().join('\n')).toMatch(message);
  });
});
