import * as path from 'path';
import * as ts from 'typescript';

/*
 * The public API as jsii languages see it, read from src/index.ts with the TypeScript
 * compiler:
 * - jsii drops free functions, so a capability offered only as a function would be missing
 *   from Python, Java, .NET and Go. Every exported function is internal (`@internal`) or
 *   deprecated in favour of a method (`@deprecated`).
 * - No public type tags: which factory made a value is the library's business, asked
 *   through internal getters, never a public string users could branch on.
 */

const INDEX = path.join(__dirname, '..', '..', 'src', 'index.ts');

const program = ts.createProgram([INDEX], {
  target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, skipLibCheck: true, noEmit: true,
});
const checker = program.getTypeChecker();

/** Whether a symbol or declaration carries a flag (flags are bit sets). */
function has(flags: number, flag: number): boolean {
  // eslint-disable-next-line no-bitwise
  return (flags & flag) !== 0;
}

const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(INDEX)!)!)
  .map((symbol) => (has(symbol.flags, ts.SymbolFlags.Alias) ? checker.getAliasedSymbol(symbol) : symbol));

function tags(symbol: ts.Symbol): string[] {
  return symbol.getJsDocTags(checker).map((tag) => tag.name);
}

function isHidden(node: ts.Declaration): boolean {
  const flags = ts.getCombinedModifierFlags(node);
  return has(flags, ts.ModifierFlags.Private) || has(flags, ts.ModifierFlags.Protected);
}

/** Public members of a class (instance and static) that are not internal: what jsii publishes. */
function publicMembers(symbol: ts.Symbol): string[] {
  const declaration = symbol.valueDeclaration as ts.ClassDeclaration;
  const members = declaration.members
    .filter((member) => member.name !== undefined && !ts.isConstructorDeclaration(member))
    .filter((member) => !isHidden(member) && !ts.isPrivateIdentifier(member.name!))
    .map((member) => member.name!.getText());
  // constructor parameters that are properties: `public x`, or `readonly x` without private/protected
  const parameterProperties = declaration.members.filter(ts.isConstructorDeclaration)
    .flatMap((ctor) => ctor.parameters.filter((p) => ts.isParameterPropertyDeclaration(p, ctor) && !isHidden(p)))
    .map((p) => p.name.getText());
  return [...members, ...parameterProperties].filter((name) => !name.startsWith('_'));
}

/** Every name src/index.ts exported before creation templates, account settings and pull-time exclusions moved folders. */
const EXPORTED_BEFORE_THE_MOVES = [
  'BasicScanTypeVersion', 'BlobMounting', 'BoundCredentials', 'CatalogFormat', 'CountType',
  'EcrAccountSettings', 'EcrAccountSettingsProps', 'EcrComplianceChecks', 'EcrComplianceChecksProps',
  'FindingDateRange', 'FindingFilterAction', 'FindingFixAvailability', 'FindingNumberRange',
  'FindingPackageFilter', 'FindingSeverity', 'FindingStatus', 'FindingStringComparison',
  'FindingStringFilter', 'FindingSuppression', 'FindingSuppressionProps', 'FindingTagFilter',
  'FindingsRouting', 'FindingsRoutingProps', 'FleetRepositoryProps', 'ImageTagMutability',
  'InspectorDelegatedAdministrator', 'InspectorDelegatedAdministratorProps', 'InspectorOrganizationScanning',
  'InspectorOrganizationScanningProps', 'InspectorPullDateRescanDuration', 'InspectorPullDateRescanMode',
  'InspectorRescanDuration', 'InspectorScanning', 'InspectorScanningProps', 'LifecycleAction',
  'LifecyclePolicy', 'LifecyclePresets', 'LifecycleRule', 'OrganizationalUnitTargetOptions', 'PULL_ACTIONS',
  'PUSH_ACTIONS', 'PrivateRepository', 'PrivateRepositoryAttributes', 'PrivateRepositoryProps',
  'PublicArchitecture', 'PublicOperatingSystem', 'PublicRepository', 'PublicRepositoryCatalogData',
  'PublicRepositoryProps', 'PullThroughCacheCredentials', 'PullThroughCacheRule',
  'PullThroughCacheRuleProps', 'PullThroughCacheSecretOptions', 'PullTimeUpdateExclusion',
  'PullTimeUpdateExclusionProps', 'RegionOptions', 'Registry', 'RegistryBaseline', 'RegistryBaselineProps',
  'RegistryBaselineStackSet', 'RegistryBaselineStackSetProps', 'RegistryPolicyScope', 'RegistryScanning',
  'RegistrySigning', 'ReplicationDestination', 'ReplicationRuleOptions', 'RepositoryAccess',
  'RepositoryCatalog', 'RepositoryCreationTemplate', 'RepositoryCreationTemplateAppliedFor',
  'RepositoryCreationTemplateProps', 'RepositoryEncryption', 'RepositoryFleet', 'RepositoryFleetProps',
  'ScanFrequency', 'ScanType', 'ScanningRuleOptions', 'SettingsProviderPlacement', 'SigningRuleOptions',
  'StackSetCallAs', 'StackSetRegionConcurrency', 'StackSetTarget', 'StorageClass', 'TagStatus',
  'UpstreamAuthentication', 'UpstreamRegistry', '_atSynth', '_grantSignPayload', '_settingsProvider',
  'acknowledgeFindings', 'checkEncryptionRegion', 'defaultRepositoryEncryption', 'describeProfiles',
  'nagResourceString', 'registryRepositoryNames', 'signingProfilesCovering', 'validateLifecyclePolicy',
];

const classes = exported.filter((symbol) => has(symbol.flags, ts.SymbolFlags.Class));
const functions = exported.filter((symbol) => has(symbol.flags, ts.SymbolFlags.Function));

describe('the public API', () => {
  test('the checker reads the whole index (classes and functions)', () => {
    expect(classes.map((c) => c.name)).toEqual(expect.arrayContaining(['LifecyclePolicy', 'PrivateRepository', 'RepositoryAccess', 'Registry']));
    expect(functions.map((f) => f.name)).toContain('validateLifecyclePolicy');
  });

  test('moving files between folders kept every export of the package (jsii names types by package, not by file)', () => {
    expect(exported.map((symbol) => symbol.name)).toEqual(expect.arrayContaining(EXPORTED_BEFORE_THE_MOVES));
  });

  test('every exported function is internal or deprecated in favour of a method (jsii drops free functions)', () => {
    const published = functions.filter((f) => !tags(f).includes('internal') && !tags(f).includes('deprecated')).map((f) => f.name);
    expect(published).toEqual([]);
  });

  test('lifecycle validation is a static method of LifecyclePolicy, which every jsii language can call', () => {
    const policy = classes.find((c) => c.name === 'LifecyclePolicy')!;
    expect(publicMembers(policy)).toEqual(expect.arrayContaining(['validateRules', 'validateJson', 'validate']));
  });

  test('no exported class has a public type tag (a member named kind)', () => {
    const tagged = classes.filter((c) => publicMembers(c).includes('kind')).map((c) => c.name);
    expect(tagged).toEqual([]);
  });

  test('PrivateRepository names the registry scanning mechanism apart from the imageScanOnPush property: scanOnPush() is deprecated', () => {
    const repository = classes.find((c) => c.name === 'PrivateRepository')!;
    expect(publicMembers(repository)).toContain('addToRegistryScanning');
    const deprecated = (repository.valueDeclaration as ts.ClassDeclaration).members
      .filter((member) => member.name !== undefined && tags(checker.getSymbolAtLocation(member.name)!).includes('deprecated'))
      .map((member) => member.name!.getText());
    expect(deprecated.sort()).toEqual(['scanContinuously', 'scanOnPush']);
  });

  test('RepositoryAccess publishes its factories only: its statements and its kind are internal', () => {
    const access = classes.find((c) => c.name === 'RepositoryAccess')!;
    expect(publicMembers(access).sort()).toEqual(['fromStatement', 'pullFromAccounts', 'pullFromLambda', 'pullFromOrganization', 'pullFromOrganizationalUnits', 'pullFromPrincipalArns', 'pushFromAccounts', 'pushFromOrganization', 'pushFromOrganizationalUnits', 'pushFromPrincipalArns'].sort());
  });
});
