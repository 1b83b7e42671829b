import { App, Lazy, PermissionsBoundary, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  EcrAccountSettings,
  BlobMounting,
  InspectorDelegatedAdministrator,
  InspectorScanning,
  PullThroughCacheRule,
  RegistryBaseline,
  RegistryBaselineStackSet,
  RegistryScanning,
  RepositoryCreationTemplate,
  RepositoryCreationTemplateAppliedFor,
  RoleDefaults,
  ScanFrequency,
  StackSetTarget,
  UpstreamRegistry,
} from '../../src';
import { describeFindings, ENV, strictApp, synthesize } from '../util/harness';

const OU = 'ou-ab12-cd34ef56';
const MANAGEMENT = { account: '999999999999', region: 'us-east-1' };
const PATH = '/platform/ecr/';
const BOUNDARY = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':policy/platform-boundary']] };

/** An app with every construct of the library that creates an IAM role, in stacks and in a baseline rolled out by a StackSet. */
function platformApp(app: App): void {
  const registry = new Stack(app, 'Registry', { env: ENV });
  new InspectorScanning(registry, 'Inspector');
  new EcrAccountSettings(registry, 'Settings', { blobMounting: BlobMounting.ENABLED });
  new RepositoryCreationTemplate(registry, 'OnPush', { prefix: 'team', appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH] });
  new PullThroughCacheRule(registry, 'Quay', { ecrRepositoryPrefix: 'quay', upstream: UpstreamRegistry.quay() });
  const baseline = new RegistryBaseline(app, 'Baseline');
  RegistryScanning.of(baseline).addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['*'] });
  new RepositoryCreationTemplate(baseline, 'Default', { prefix: 'ROOT', appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH] });
  new PullThroughCacheRule(baseline, 'EcrPublic', { ecrRepositoryPrefix: 'ecr-public', upstream: UpstreamRegistry.ecrPublic() });
  const organization = new Stack(app, 'Organization', { env: MANAGEMENT });
  new RegistryBaselineStackSet(organization, 'Rollout', { baseline, target: StackSetTarget.fromOrganizationalUnits([OU]), regions: ['eu-west-1'] });
  new InspectorDelegatedAdministrator(organization, 'InspectorAdministrator', { administratorAccount: ENV.account });
}

/** Every AWS::IAM::Role of every template of the assembly and of every StackSet body in them, by where it was found. */
function everyRole(app: App): Array<[string, any]> {
  const result = synthesize(app, { nag: true });
  expect(describeFindings([...result.cfnFindings, ...result.nagFindings])).toBe('');
  const roles: Array<[string, any]> = [];
  const walk = (where: string, template: any) => {
    for (const [id, r] of Object.entries<any>(template.Resources ?? {})) {
      if (r.Type === 'AWS::IAM::Role') roles.push([`${where}/${id}`, r.Properties]);
      if (r.Type === 'AWS::CloudFormation::StackSet') walk(`${where}/${id} (StackSet body)`, JSON.parse(r.Properties.TemplateBody));
    }
  };
  for (const stack of result.assembly.stacks) walk(stack.stackName, stack.template);
  return roles;
}

describe('RoleDefaults', () => {
  test('given defaults on the app, then every role of every library construct carries the boundary and the path, in every template and in the StackSet body', () => {
    const app = strictApp();
    RoleDefaults.of(app).apply({ permissionsBoundaryName: 'platform-boundary', path: PATH });
    platformApp(app);
    const roles = everyRole(app);
    // the settings providers of two stacks; a creation template and a pull-through cache rule in a stack,
    // and in the baseline, twice (its own stack and the StackSet body)
    expect(roles.length).toBe(8);
    expect(roles.filter(([where]) => where.includes('StackSet body')).length).toBe(2);
    const lacking = roles
      .filter(([, p]) => p.Path !== PATH || JSON.stringify(p.PermissionsBoundary) !== JSON.stringify(BOUNDARY))
      .map(([where]) => where);
    expect(lacking).toEqual([]);
  });

  test('given no defaults, then the roles have neither (CloudFormation\'s default path, no boundary)', () => {
    const app = strictApp();
    platformApp(app);
    const roles = everyRole(app);
    expect(roles.filter(([, p]) => p.Path !== undefined || p.PermissionsBoundary !== undefined)).toEqual([]);
  });

  test('given defaults on the app and on a stack, then the nearest wins field by field, and a role\'s own path and boundary are kept', () => {
    const app = strictApp();
    RoleDefaults.of(app).apply({ permissionsBoundaryName: 'app-boundary', path: '/app/' });
    const stack = new Stack(app, 'Registry', { env: ENV });
    const boundary = iam.ManagedPolicy.fromManagedPolicyArn(stack, 'Boundary', 'arn:aws:iam::111111111111:policy/stack-boundary');
    RoleDefaults.of(stack).apply({ permissionsBoundary: boundary });
    new RepositoryCreationTemplate(stack, 'OnPush', { prefix: 'team', appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH] });
    new iam.Role(stack, 'Own', { assumedBy: new iam.ServicePrincipal('ecr.amazonaws.com'), path: '/own/' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', { Path: '/app/', PermissionsBoundary: 'arn:aws:iam::111111111111:policy/stack-boundary', Description: Match.stringLikeRegexp('template') });
    template.hasResourceProperties('AWS::IAM::Role', { Path: '/own/', PermissionsBoundary: 'arn:aws:iam::111111111111:policy/stack-boundary' });
  });

  test('given aws-cdk-lib\'s PermissionsBoundary on a stack, then it reaches the library\'s roles there, but not a baseline\'s StackSet body', () => {
    const app = strictApp();
    platformApp(app);
    const boundary = iam.ManagedPolicy.fromManagedPolicyArn(app.node.findChild('Registry'), 'Boundary', 'arn:aws:iam::111111111111:policy/pb');
    iam.PermissionsBoundary.of(app).apply(boundary);
    const roles = everyRole(app);
    expect(roles.filter(([where, p]) => !where.includes('StackSet body') && p.PermissionsBoundary !== 'arn:aws:iam::111111111111:policy/pb')).toEqual([]);
    expect(roles.filter(([where, p]) => where.includes('StackSet body') && p.PermissionsBoundary === undefined).length).toBe(2);
  });

  test('given aws-cdk-lib\'s boundary context on a stage, then a baseline role without a boundary property is warned about', () => {
    const app = strictApp();
    const stage = new Stage(app, 'Org', { permissionsBoundary: PermissionsBoundary.fromArn('arn:aws:iam::aws:policy/ReadOnlyAccess') });
    const baseline = new RegistryBaseline(stage, 'Baseline');
    new RepositoryCreationTemplate(baseline, 'Default', { prefix: 'ROOT', appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH] });
    app.synth();
    const warnings = Annotations.fromStack(baseline).findWarning('*', Match.stringLikeRegexp('does not carry: set it with RoleDefaults'));
    expect(warnings.length).toBe(1);

    const fixed = strictApp();
    const fixedStage = new Stage(fixed, 'Org', { permissionsBoundary: PermissionsBoundary.fromArn('arn:aws:iam::aws:policy/ReadOnlyAccess') });
    RoleDefaults.of(fixedStage).apply({ permissionsBoundaryName: 'platform-boundary' });
    const fixedBaseline = new RegistryBaseline(fixedStage, 'Baseline');
    new RepositoryCreationTemplate(fixedBaseline, 'Default', { prefix: 'ROOT', appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH] });
    fixed.synth();
    expect(Annotations.fromStack(fixedBaseline).findWarning('*', Match.stringLikeRegexp('RoleDefaults')).length).toBe(0);
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['an empty path', { path: '' }, /RoleDefaults '': 1 problem[^]*path '' is not an IAM path/],
    ['a boundary name with a slash', { permissionsBoundaryName: 'a/b' }, /permissionsBoundaryName 'a\/b' is not a managed policy name/],
  ])('given %s as a Lazy value, then synth fails with the same message, once it is resolved', (_, options, message) => {
    const app = strictApp();
    const lazy = Object.fromEntries(Object.entries(options).map(([k, v]) => [k, Lazy.string({ produce: () => v as string })]));
    RoleDefaults.of(app).apply(lazy);
    const stack = new Stack(app, 'S', { env: ENV });
    new RepositoryCreationTemplate(stack, 'OnPush', { prefix: 'team', appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH] });
    expect(() => app.synth()).toThrow(message);
  });

  test('given a token path or boundary name, then it is not checked at the call, and a good one synthesizes', () => {
    const app = strictApp();
    RoleDefaults.of(app).apply({ path: Lazy.string({ produce: () => '/lazy/' }), permissionsBoundaryName: Lazy.string({ produce: () => 'pb' }) });
    const stack = new Stack(app, 'S', { env: ENV });
    new RepositoryCreationTemplate(stack, 'OnPush', { prefix: 'team', appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { Path: '/lazy/', PermissionsBoundary: Match.anyValue() });
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['a path without slashes', { path: 'platform' }, /path 'platform' is not an IAM path/],
    ['a path without the final slash', { path: '/platform' }, /path '\/platform' is not an IAM path/],
    ['an empty path', { path: '' }, /path '' is not an IAM path/],
    ['a path with a space', { path: '/a b/' }, /path '\/a b\/' is not an IAM path/],
    ['a path of 513 characters', { path: `/${'a'.repeat(511)}/` }, /is not an IAM path: '\/' alone, or 1 to 512 characters/],
    ['a boundary name with a slash', { permissionsBoundaryName: 'a/b' }, /permissionsBoundaryName 'a\/b' is not a managed policy name/],
    ['a boundary and a boundary name', { permissionsBoundaryName: 'a', permissionsBoundary: { managedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } }, /both set/],
    ['a boundary that is no policy ARN', { permissionsBoundary: { managedPolicyArn: 'arn:aws:iam::111111111111:role/x' } }, /permissionsBoundary 'arn:aws:iam::111111111111:role\/x' is not a managed policy ARN/],
    ['a path of the wrong type', { path: 42 }, /path is 42: expected a string/],
  ])('given %s, then it fails naming the scope and the rule', (_, options, message) => {
    const app = new App();
    const stack = new Stack(app, 'Registry');
    expect(() => RoleDefaults.of(stack).apply(options as any)).toThrow(/RoleDefaults 'Registry'/);
    expect(() => RoleDefaults.of(stack).apply(options as any)).toThrow(message);
  });

  test('given a path of exactly 512 characters and the AWS managed boundary, then both are accepted', () => {
    const stack = new Stack(new App(), 'Registry');
    expect(() => RoleDefaults.of(stack).apply({
      path: `/${'a'.repeat(510)}/`,
      permissionsBoundary: iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess'),
    })).not.toThrow();
  });
});
