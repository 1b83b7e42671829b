import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as fc from 'fast-check';
import {
  BasicScanTypeVersion,
  BlobMounting,
  EcrAccountSettings,
  FindingFilterAction,
  FindingFixAvailability,
  FindingSeverity,
  FindingStatus,
  FindingStringComparison,
  FindingsRouting,
  FindingSuppression,
  InspectorPullDateRescanDuration,
  InspectorPullDateRescanMode,
  InspectorRescanDuration,
  InspectorScanning,
  PrivateRepository,
  PullTimeUpdateExclusion,
  RegistryPolicyScope,
  RegistryScanning,
  RegistrySigning,
  ScanFrequency,
  ScanType,
} from '../../src';
import { FUZZ_TIMEOUT, fuzzConstruct, lazy, untyped } from '../util/fuzz';

/** Repository names and filters that are often valid, sometimes not; sometimes Lazy or untyped. */
const filter = untyped(lazy(fc.oneof(
  fc.stringMatching(/^[a-z0-9*]{1,6}([._/-][a-z0-9*]{1,6}){0,3}$/),
  fc.constantFrom('*', 'platform/*', '*/api', 'a//b', 'A', '', 'a'.repeat(256), 'x-'),
  fc.string({ maxLength: 10 }),
)));
const name = fc.oneof(fc.stringMatching(/^[a-z0-9]{2,8}(\/[a-z0-9]{1,8}){0,2}$/), fc.string({ maxLength: 10 }));
const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const profileArn = untyped(lazy(fc.oneof(
  fc.stringMatching(/^[a-zA-Z0-9_]{1,6}$/).map((n) => `arn:aws:signer:eu-west-1:111111111111:/signing-profiles/${n}`),
  fc.string({ maxLength: 20 }),
)));
const principalArn = untyped(lazy(fc.oneof(
  fc.stringMatching(/^[\w+=,.@-]{1,10}(\/[\w+=,.@-]{1,10})?$/).map((n) => `arn:aws:iam::111111111111:role/${n}`),
  fc.stringMatching(/^[\w+=,.@-]{1,10}$/).map((n) => `arn:aws:iam::111111111111:user/${n}`),
  fc.string({ maxLength: 20 }),
)));
const text = (max: number) => untyped(lazy(fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ maxLength: max + 2 }))));
/** An enum value, sometimes what an untyped caller passes instead (lowercase, other strings, null). */
const enumOf = <T extends string>(values: Record<string, T>) => untyped(fc.oneof(
  { arbitrary: fc.constantFrom(...Object.values(values)), weight: 12 },
  fc.constantFrom(...Object.values(values)).map((v) => v.toLowerCase() as T),
));

describe('fuzz', () => {
  test('RegistryScanning: random scan types, rules and repositories either fail clearly or synthesize valid templates', () => {
    fuzzConstruct(
      fc.record({
        scanType: optional(enumOf(ScanType)),
        rules: fc.array(fc.record({
          frequency: enumOf(ScanFrequency),
          filters: untyped(fc.array(filter, { maxLength: 4 })),
        }), { maxLength: 3 }),
        // addToRegistryScanning with a frequency (sometimes what an untyped caller passes), or a deprecated method
        repositories: fc.array(fc.record({
          name: optional(lazy(name)),
          how: enumOf(ScanFrequency),
        }), { maxLength: 3 }),
      }),
      (stack, p) => {
        if (p.scanType) RegistryScanning.of(stack).useScanType(p.scanType);
        for (const r of p.rules) RegistryScanning.of(stack).addRule({ frequency: r.frequency, repositoryFilters: r.filters });
        p.repositories.forEach((r, i) => {
          const repo = new PrivateRepository(stack, `Repo${i}`, { repositoryName: r.name });
          repo.addToRegistryScanning(r.how as ScanFrequency);
        });
        new PrivateRepository(stack, 'Anchor');
      },
    );
  }, FUZZ_TIMEOUT);

  test('RegistrySigning: random profiles and filters either fail clearly or synthesize valid templates', () => {
    fuzzConstruct(
      fc.array(fc.record({ profile: profileArn, filters: optional(fc.array(filter, { maxLength: 4 })) }), { minLength: 1, maxLength: 4 }),
      (stack, rules) => {
        for (const r of rules) RegistrySigning.of(stack).addRule({ signingProfileArn: r.profile, repositoryFilters: r.filters });
      },
    );
  }, FUZZ_TIMEOUT);

  test('PullTimeUpdateExclusion: random principals either fail clearly or synthesize valid templates', () => {
    fuzzConstruct(
      fc.array(principalArn, { minLength: 1, maxLength: 3 }),
      (stack, principals) => {
        principals.forEach((p, i) => new PullTimeUpdateExclusion(stack, `Exclusion${i}`, { principalArn: p }));
      },
    );
  }, FUZZ_TIMEOUT);

  test('FindingsRouting: random props either fail clearly or synthesize valid templates', () => {
    fuzzConstruct(
      fc.record({
        minimumSeverity: optional(enumOf(FindingSeverity)),
        repositoryNames: optional(untyped(fc.array(untyped(name), { maxLength: 3 }))),
        inspectorFindings: optional(untyped(fc.boolean())),
        basicScanFindings: optional(untyped(fc.boolean())),
      }),
      (stack, p) => { new FindingsRouting(stack, 'Findings', p); },
    );
  }, FUZZ_TIMEOUT);

  test('FindingSuppression: random criteria either fail clearly or synthesize valid templates', () => {
    const values = (max: number) => optional(untyped(fc.array(text(max), { maxLength: 3 })));
    const stringFilter = fc.record({ comparison: fc.constantFrom(...Object.values(FindingStringComparison)), value: text(1025) });
    const bound = (lo: number, hi: number) => optional(fc.double({ min: lo, max: hi, noNaN: true }));
    const range = (lo: number, hi: number) => fc.record({ min: bound(lo, hi), max: bound(lo, hi) });
    const date = fc.oneof(fc.constantFrom('2026-01-01', '2026-06-30T12:00:00Z', '2025-12-31T23:59:59+01:00'), text(20));
    const dateRange = fc.record({ start: optional(date), end: optional(date) });
    fuzzConstruct(
      fc.record({
        reason: text(512),
        filterName: optional(text(128)),
        repositoryNames: values(1024),
        repositoryNamePrefixes: values(1024),
        imageTags: values(1024),
        vulnerabilityIds: values(1024),
        severities: optional(untyped(fc.array(enumOf(FindingSeverity), { maxLength: 3 }))),
        action: optional(fc.constantFrom(...Object.values(FindingFilterAction))),
        repositoryNameFilters: optional(fc.array(stringFilter, { maxLength: 3 })),
        imageTagFilters: optional(fc.array(stringFilter, { maxLength: 3 })),
        titles: optional(fc.array(stringFilter, { maxLength: 3 })),
        imageDigests: optional(fc.array(fc.oneof(fc.constant(`sha256:${'0'.repeat(64)}`), text(80)), { maxLength: 2 })),
        registryIds: optional(fc.array(fc.oneof(fc.constant('111111111111'), text(13)), { maxLength: 2 })),
        accountIds: optional(fc.array(fc.oneof(fc.constant('222222222222'), text(13)), { maxLength: 2 })),
        findingArns: optional(fc.array(fc.oneof(fc.constant('arn:aws:inspector2:eu-west-1:111111111111:finding/0e43'), text(60)), { maxLength: 2 })),
        resourceIdFilters: optional(fc.array(stringFilter, { maxLength: 2 })),
        relatedVulnerabilities: values(1024),
        vulnerabilitySources: values(1024),
        vendorSeverities: optional(untyped(fc.array(text(1024), { maxLength: 11 }))),
        fixAvailable: optional(fc.array(fc.constantFrom(...Object.values(FindingFixAvailability)), { maxLength: 3 })),
        findingStatus: optional(fc.array(fc.constantFrom(...Object.values(FindingStatus)), { maxLength: 3 })),
        exploitAvailable: optional(fc.boolean()),
        epssScore: optional(range(-0.5, 1.5)),
        inspectorScore: optional(range(-1, 11)),
        imageInUseCount: optional(range(-1, 5)),
        imagePushedAt: optional(dateRange),
        lastObservedAt: optional(dateRange),
        resourceTags: optional(fc.array(fc.record({ key: text(130), value: optional(text(260)) }), { maxLength: 2 })),
        vulnerablePackages: optional(fc.array(
          fc.record({ name: optional(stringFilter), version: optional(stringFilter), epoch: optional(range(-1, 3)) }), { maxLength: 2 })),
      }),
      (stack, p) => { new FindingSuppression(stack, 'Suppression', p); },
    );
  }, FUZZ_TIMEOUT);

  test('FindingSuppression: random typed criteria a user would write synthesize valid templates or fail clearly, and most synthesize', () => {
    const names = fc.uniqueArray(fc.stringMatching(/^[a-z]{2,8}\/[a-z]{2,8}$/), { minLength: 1, maxLength: 3 });
    fuzzConstruct(
      fc.record({
        reason: fc.stringMatching(/^[A-Za-z][A-Za-z ,.]{4,60}$/),
        filterName: fc.option(fc.stringMatching(/^[a-z][a-z0-9-]{2,30}$/), { nil: undefined }),
        repositoryNames: fc.option(names, { nil: undefined }),
        repositoryNamePrefixes: fc.option(fc.uniqueArray(fc.stringMatching(/^[a-z]{2,8}\/$/), { minLength: 1, maxLength: 2 }), { nil: undefined }),
        vulnerabilityIds: fc.option(fc.uniqueArray(fc.stringMatching(/^CVE-20[0-9]{2}-[0-9]{4,6}$/), { minLength: 1, maxLength: 3 }), { nil: undefined }),
        severities: fc.option(fc.uniqueArray(fc.constantFrom(...Object.values(FindingSeverity)), { minLength: 1, maxLength: 3 }), { nil: undefined }),
        action: fc.option(fc.constantFrom(...Object.values(FindingFilterAction)), { nil: undefined }),
        exploitAvailable: fc.option(fc.boolean(), { nil: undefined }),
      }),
      (stack, p) => { new FindingSuppression(stack, 'Suppression', p); },
      { expectValid: true },
    );
  }, FUZZ_TIMEOUT);

  test('InspectorScanning and EcrAccountSettings: random props either fail clearly or synthesize valid templates', () => {
    fuzzConstruct(
      fc.record({
        rescanDuration: optional(enumOf(InspectorRescanDuration)),
        pullDateRescanDuration: optional(enumOf(InspectorPullDateRescanDuration)),
        pullDateRescanMode: optional(enumOf(InspectorPullDateRescanMode)),
        disableOnDelete: optional(untyped(fc.boolean())),
        basicScanTypeVersion: optional(enumOf(BasicScanTypeVersion)),
        registryPolicyScope: optional(enumOf(RegistryPolicyScope)),
        blobMounting: optional(enumOf(BlobMounting)),
        restoreOnDelete: optional(untyped(fc.boolean())),
        // where the provider function runs, and what the second construct says about it
        inVpc: fc.boolean(),
        subnets: optional(fc.constantFrom(ec2.SubnetType.PRIVATE_WITH_EGRESS, ec2.SubnetType.PRIVATE_ISOLATED)),
        securityGroup: fc.boolean(),
        settingsPlacement: fc.constantFrom('same', 'none', 'other'),
      }),
      (stack, p) => {
        const vpc = p.inVpc ? ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
          vpcId: 'vpc-12345678',
          availabilityZones: ['eu-west-1a'],
          privateSubnetIds: ['subnet-11111111'],
          isolatedSubnetIds: ['subnet-22222222'],
        }) : undefined;
        const placement = {
          vpc,
          vpcSubnets: p.subnets ? { subnetType: p.subnets } : undefined,
          securityGroups: p.securityGroup ? [ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-12345678')] : undefined,
        };
        new InspectorScanning(stack, 'Inspector', { ...p, ...placement });
        const other = { vpc: ec2.Vpc.fromVpcAttributes(stack, 'Other', { vpcId: 'vpc-87654321', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-33333333'] }) };
        new EcrAccountSettings(stack, 'Settings', { ...p, ...(p.settingsPlacement === 'same' ? placement : p.settingsPlacement === 'other' ? other : {}) });
        // What was accepted is what ECR's PutAccountSetting takes today (no CLAIR, no V1, no lowercase).
        expect([undefined, 'AWS_NATIVE']).toContain(p.basicScanTypeVersion);
        expect([undefined, 'V2']).toContain(p.registryPolicyScope);
        expect([undefined, 'ENABLED', 'DISABLED']).toContain(p.blobMounting);
      },
    );
  }, FUZZ_TIMEOUT);
});
