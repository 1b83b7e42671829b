import * as fs from 'fs';
import * as path from 'path';
import { Lazy, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import {
  BlobMounting,
  EcrAccountSettings,
  InspectorScanning,
  PullThroughCacheRule,
  Registry,
  RegistryScanning,
  RegistrySettingKind,
  RegistrySigning,
  ReplicationDestination,
  RepositoryCreationTemplate,
  RepositoryCreationTemplateAppliedFor,
  ScanFrequency,
  UpstreamRegistry,
} from '../../src';
import { ENV, strictApp, strictStack, synthesize } from '../util/harness';

/** Every TypeScript file under a folder. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

function rules(stack: Stack, count: number, prefix = 'cache'): void {
  for (let i = 0; i < count; i++) {
    new PullThroughCacheRule(stack, `${prefix === 'cache' ? 'Rule' : prefix}${i}`, { ecrRepositoryPrefix: `${prefix}-${i}`, upstream: UpstreamRegistry.ecrPublic(), createTemplate: false });
  }
}

describe('registry settings are typed claims', () => {
  test('no source file claims a setting with a free-text kind or parses a claim message back', () => {
    const src = path.join(__dirname, '../../src');
    for (const file of sources(src)) {
      const text = fs.readFileSync(file, 'utf8');
      const where = path.relative(src, file);
      expect({ where, parses: /\.replace\(\/\^\[\^\\n\]\*\\n/.test(text) }).toEqual({ where, parses: false });
      expect({ where, stringKind: /_claim\(\s*[`'"]/.test(text) }).toEqual({ where, stringKind: false });
    }
  });

  test('given a claim that clashes, then the registry answers with the problem as data and records nothing', () => {
    const stack = strictStack();
    const registry = Registry.of(stack);
    const first = new ecr.CfnRegistryPolicy(stack, 'Owner', { policyText: {} });
    const second = new ecr.CfnRegistryPolicy(stack, 'Other', { policyText: {} });
    expect(registry._claim({ kind: RegistrySettingKind.CREATION_TEMPLATE, key: 'team', owner: first, subject: 'first' })).toBeUndefined();
    expect(registry._claim({ kind: RegistrySettingKind.CREATION_TEMPLATE, key: 'team', owner: first, subject: 'first' })).toBeUndefined();
    expect(registry._claim({ kind: RegistrySettingKind.CREATION_TEMPLATE, key: 'team', owner: second, subject: 'second' }))
      .toBe("AWS::ECR::RepositoryCreationTemplate with prefix 'team' is already declared by 'Stack/Owner' in this registry: ECR keeps one per registry");
    expect(registry.settings.map((s) => s.owner)).toEqual(['Stack/Owner']);
  });

  test('given a construct that fails for another problem, then it claims nothing, so a later construct can declare the setting', () => {
    const stack = strictStack();
    expect(() => new RepositoryCreationTemplate(stack, 'Bad', { prefix: 'team', appliedFor: [] })).toThrow(/appliedFor is empty/);
    expect(() => new PullThroughCacheRule(stack, 'BadCache', { ecrRepositoryPrefix: 'cache', upstream: UpstreamRegistry.ecrPublic(), upstreamRepositoryPrefix: 'x1' })).toThrow(/upstreamRepositoryPrefix is set/);
    new RepositoryCreationTemplate(stack, 'Good', { prefix: 'team', appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH] });
    new PullThroughCacheRule(stack, 'GoodCache', { ecrRepositoryPrefix: 'cache', upstream: UpstreamRegistry.ecrPublic() });
    expect(Registry.of(stack).settings.map((s) => s.owner)).toEqual(['Stack/Good', 'Stack/GoodCache', 'Stack/GoodCache/Template']);
  });

  test('given a stack with each kind of setting, then the registry lists each with its owner and the resources that render it', () => {
    const stack = strictStack();
    const registry = Registry.of(stack);
    RegistryScanning.of(stack).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['*'] });
    registry.addReplicationRule({ destinations: [ReplicationDestination.of(ENV.account, 'us-east-1')] });
    registry.allowReplicationFrom('222222222222');
    RegistrySigning.of(stack).addRule({ signingProfileArn: 'arn:aws:signer:eu-west-1:111111111111:/signing-profiles/platform' });
    new PullThroughCacheRule(stack, 'Cache', { ecrRepositoryPrefix: 'ecr-public', upstream: UpstreamRegistry.ecrPublic() });
    new InspectorScanning(stack, 'Inspector');
    new EcrAccountSettings(stack, 'Settings', { blobMounting: BlobMounting.ENABLED });
    const listed = registry.settings.map((s) => ({ kind: s.kind, key: s.key, owner: s.owner, resources: s.resources.map((r) => r.node.path) }));
    expect(listed).toEqual([
      { kind: RegistrySettingKind.SCANNING, key: undefined, owner: 'Stack/EcrRegistry/Scanning', resources: ['Stack/EcrRegistry/Scanning/Resource'] },
      { kind: RegistrySettingKind.REPLICATION, key: undefined, owner: 'Stack/EcrRegistry', resources: ['Stack/EcrRegistry/Replication'] },
      { kind: RegistrySettingKind.REGISTRY_POLICY, key: undefined, owner: 'Stack/EcrRegistry', resources: ['Stack/EcrRegistry/Policy'] },
      { kind: RegistrySettingKind.SIGNING, key: undefined, owner: 'Stack/EcrRegistry/Signing', resources: ['Stack/EcrRegistry/Signing/Resource'] },
      { kind: RegistrySettingKind.PULL_THROUGH_CACHE_RULE, key: 'ecr-public', owner: 'Stack/Cache', resources: ['Stack/Cache/Resource'] },
      { kind: RegistrySettingKind.CREATION_TEMPLATE, key: 'ecr-public', owner: 'Stack/Cache/Template', resources: ['Stack/Cache/Template/Resource'] },
      { kind: RegistrySettingKind.INSPECTOR_SCANNING, key: undefined, owner: 'Stack/Inspector', resources: ['Stack/Inspector/Resource/Default'] },
      { kind: RegistrySettingKind.ACCOUNT_SETTING, key: 'BLOB_MOUNTING', owner: 'Stack/Settings', resources: ['Stack/Settings/BLOB_MOUNTING/Default'] },
    ]);
  });
});

describe('the pull-through cache rule quota is kept by the registry', () => {
  test('given 50 rules in each of two registries of one app, and in a registry of another app, then each registry holds its own 50', () => {
    const app = strictApp();
    const a = new Stack(app, 'A', { env: ENV });
    const b = new Stack(app, 'B', { env: { account: ENV.account, region: 'us-east-1' } });
    rules(a, 50);
    rules(b, 50);
    const other = strictStack();
    rules(other, 50);
    for (const s of [a, b, other]) {
      expect(Registry.of(s).settings.filter((x) => x.kind === RegistrySettingKind.PULL_THROUGH_CACHE_RULE)).toHaveLength(50);
    }
    expect(() => rules(a, 1, 'extra')).toThrow(/PullThroughCacheRule 'A\/extra0': 1 problem:\n {2}- the registry would have 51 pull-through cache rules: ECR takes at most 50 per registry/);
    expect(() => synthesize(app)).not.toThrow();
  });

  test('given a rule whose prefix is known only at synth, then it counts for the quota at once and its prefix is unique at synth', () => {
    const stack = strictStack();
    rules(stack, 49);
    new PullThroughCacheRule(stack, 'Lazy', { ecrRepositoryPrefix: Lazy.string({ produce: () => 'cache-0' }), upstream: UpstreamRegistry.ecrPublic(), createTemplate: false });
    expect(() => rules(stack, 1, 'extra')).toThrow(/the registry would have 51 pull-through cache rules/);
    expect(() => synthesize(stack.node.root as any)).toThrow(/PullThroughCacheRule 'Stack\/Lazy'[\s\S]*AWS::ECR::PullThroughCacheRule prefix 'cache-0' is already declared by 'Stack\/Rule0'/);
  });
});

describe('CloudFormation handles are read-only', () => {
  test.each([
    ['Registry.cfnRegistryPolicy', (s: Stack) => { Registry.of(s).allowReplicationFrom('222222222222'); return [Registry.of(s), 'cfnRegistryPolicy']; }],
    ['Registry.cfnReplicationConfiguration', (s: Stack) => { Registry.of(s).addReplicationRule({ destinations: [ReplicationDestination.of(ENV.account, 'us-east-1')] }); return [Registry.of(s), 'cfnReplicationConfiguration']; }],
    ['RegistryScanning.cfnScanningConfiguration', (s: Stack) => { RegistryScanning.of(s).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['*'] }); return [RegistryScanning.of(s), 'cfnScanningConfiguration']; }],
    ['RegistrySigning.cfnSigningConfiguration', (s: Stack) => { RegistrySigning.of(s).addRule({ signingProfileArn: 'arn:aws:signer:eu-west-1:111111111111:/signing-profiles/platform' }); return [RegistrySigning.of(s), 'cfnSigningConfiguration']; }],
  ] as Array<[string, (s: Stack) => [any, string]]>)('%s cannot be replaced', (_name, declare) => {
    const stack = strictStack();
    const [owner, property] = declare(stack);
    const before = owner[property];
    expect(before).toBeDefined();
    expect(() => { owner[property] = undefined; }).toThrow(TypeError);
    expect(owner[property]).toBe(before);
  });
});
