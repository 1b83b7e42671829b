import { App, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations as AssertAnnotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as signer from 'aws-cdk-lib/aws-signer';
import { PrivateRepository, PullTimeUpdateExclusion, RegistrySigning, RepositoryAccess } from '../../src';
import { exclusionPrincipalProblems } from '../../src/registry/pull-time-update-exclusion-checks';
import { signingProfileArnProblems } from '../../src/signing/checks';
import { strictStack, synthesize, validTemplate } from '../util/harness';

const PROFILE = 'arn:aws:signer:eu-west-1:111111111111:/signing-profiles/platform';
const OTHER_PROFILE = 'arn:aws:signer:eu-west-1:111111111111:/signing-profiles/releases';

const SIGN = { Effect: 'Allow', Action: 'signer:SignPayload', Resource: PROFILE };

describe('Managed signing permissions of pushers', () => {
  test.each([
    ['grantPush', (r: PrivateRepository, g: iam.IGrantable) => r.grantPush(g)],
    ['grantPullPush', (r: PrivateRepository, g: iam.IGrantable) => r.grantPullPush(g)],
  ])('given %s on a repository a signing rule covers (rule added after the grant), then the pusher may sign with the profile', (_name, grant) => {
    const stack = strictStack();
    const role = new iam.Role(stack, 'Builder', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
    grant(new PrivateRepository(stack, 'Repo', { repositoryName: 'platform/api' }), role);
    RegistrySigning.of(stack).addRule({ signingProfileArn: PROFILE, repositoryFilters: ['platform/*'] });
    const template = validTemplate(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('Builder') }],
      PolicyDocument: { Statement: Match.arrayWith([SIGN]) },
    });
  });

  test('given a push grant on a repository no signing rule covers, then nothing about Signer is granted', () => {
    const stack = strictStack();
    const role = new iam.Role(stack, 'Builder', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
    new PrivateRepository(stack, 'Repo', { repositoryName: 'tools/cli' }).grantPush(role);
    RegistrySigning.of(stack).addRule({ signingProfileArn: PROFILE, repositoryFilters: ['platform/*'] });
    const template = validTemplate(stack);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/signer:SignPayload/);
  });

  test('given a signing configuration in another stack of the same account and region, then its rules count too', () => {
    const stack = strictStack();
    const other = new Stack(stack.node.root, 'Signing', { env: { account: stack.account, region: stack.region } });
    RegistrySigning.of(other).addRule({ signingProfileArn: PROFILE });
    const role = new iam.Role(stack, 'Builder', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
    new PrivateRepository(stack, 'Repo').grantPush(role);
    validTemplate(stack).hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: Match.arrayWith([SIGN]) } });
  });

  test('given a pusher whose policy cannot be changed, then a warning names it', () => {
    const stack = strictStack();
    const imported = new iam.ArnPrincipal('arn:aws:iam::111111111111:role/ci');
    new PrivateRepository(stack, 'Repo', { repositoryName: 'platform/api' }).grantPush(imported);
    RegistrySigning.of(stack).addRule({ signingProfileArn: PROFILE, repositoryFilters: ['platform/*'] });
    synthesize(stack.node.root as App);
    expect(AssertAnnotations.fromStack(stack).findWarning('/Stack/Repo', Match.stringLikeRegexp('role/ci.*signer:SignPayload'))).toHaveLength(1);
  });

  test('given pushers allowed by the repository policy of a signed repository, then a warning names them and the profile', () => {
    const stack = strictStack();
    const profile = new signer.SigningProfile(stack, 'Profile', { platform: signer.Platform.NOTATION_OCI_SHA384_ECDSA });
    new PrivateRepository(stack, 'Repo', { repositoryName: 'platform/api', access: [RepositoryAccess.pushFromAccounts(['222222222222'])] });
    new PrivateRepository(stack, 'Unsigned', { repositoryName: 'tools/cli', access: [RepositoryAccess.pushFromAccounts(['222222222222'])] });
    RegistrySigning.of(stack).addRule({ signingProfileArn: profile.signingProfileArn, repositoryFilters: ['platform/*'] });
    synthesize(stack.node.root as App);
    const warnings = AssertAnnotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('through its repository policy'));
    expect(warnings.map((w) => w.id)).toEqual(['/Stack/Repo']);
    expect(String(warnings[0].entry.data)).toMatch(/AccountPrincipal\(222222222222\).*Fn::GetAtt.*Profile/);
  });

  test('given principal ARNs allowed to push by the repository policy of a signed repository, then the warning names the roles, not their accounts', () => {
    const stack = strictStack();
    new PrivateRepository(stack, 'Repo', { repositoryName: 'platform/api', access: [RepositoryAccess.pushFromPrincipalArns(['arn:aws:iam::222222222222:role/ci'])] });
    RegistrySigning.of(stack).addRule({ signingProfileArn: PROFILE, repositoryFilters: ['platform/*'] });
    synthesize(stack.node.root as App);
    const warnings = AssertAnnotations.fromStack(stack).findWarning('/Stack/Repo', Match.stringLikeRegexp('through its repository policy'));
    expect(String(warnings[0].entry.data)).toMatch(/^arn:aws:iam::222222222222:role\/ci may push/);
  });

  test('given RegistrySigning.grantSign, then the principal may sign with every profile of the configuration', () => {
    const stack = strictStack();
    const role = new iam.Role(stack, 'Pipeline', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
    RegistrySigning.of(stack).grantSign(role);
    RegistrySigning.of(stack).addRule({ signingProfileArn: PROFILE, repositoryFilters: ['platform/*'] });
    RegistrySigning.of(stack).addRule({ signingProfileArn: OTHER_PROFILE });
    validTemplate(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'signer:SignPayload', Resource: [PROFILE, OTHER_PROFILE] }] },
    });
  });
});

describe('RegistrySigning', () => {
  test('given rules from several calls, then one signing configuration merges rules of the same profile', () => {
    const stack = strictStack();
    RegistrySigning.of(stack).addRule({ signingProfileArn: PROFILE, repositoryFilters: ['platform/*'] });
    RegistrySigning.of(stack).addRule({ signingProfileArn: PROFILE, repositoryFilters: ['base/*', 'platform/*'] });
    RegistrySigning.of(stack).addRule({ signingProfileArn: OTHER_PROFILE });
    const template = validTemplate(stack, { nag: true });
    template.resourceCountIs('AWS::ECR::SigningConfiguration', 1);
    template.hasResourceProperties('AWS::ECR::SigningConfiguration', {
      Rules: [
        {
          SigningProfileArn: PROFILE,
          RepositoryFilters: [{ Filter: 'platform/*', FilterType: 'WILDCARD_MATCH' }, { Filter: 'base/*', FilterType: 'WILDCARD_MATCH' }],
        },
        { SigningProfileArn: OTHER_PROFILE },
      ],
    });
  });

  test('given a rule without filters merged with one with filters, then the rule signs every repository', () => {
    const stack = strictStack();
    RegistrySigning.of(stack).addRule({ signingProfileArn: PROFILE, repositoryFilters: ['platform/*'] });
    RegistrySigning.of(stack).addRule({ signingProfileArn: PROFILE });
    expect(RegistrySigning.of(stack)._rules()).toEqual([{ signingProfileArn: PROFILE, filters: undefined }]);
  });

  test('given a signer.SigningProfile of the same stack, then its ARN token is accepted', () => {
    const stack = strictStack();
    const profile = new signer.SigningProfile(stack, 'Profile', { platform: signer.Platform.NOTATION_OCI_SHA384_ECDSA });
    RegistrySigning.of(stack).addRule({ signingProfileArn: profile.signingProfileArn, repositoryFilters: ['platform/*'] });
    const template = validTemplate(stack, { nag: true });
    template.hasResourceProperties('AWS::ECR::SigningConfiguration', {
      Rules: [{ SigningProfileArn: { 'Fn::GetAtt': [stack.getLogicalId(profile.node.defaultChild as any), 'Arn'] } }],
    });
  });

  test('given two stacks of the same account and region that both sign, then synth fails', () => {
    const stack = strictStack();
    const other = new Stack(stack.node.root as App, 'Other', { env: { account: '111111111111', region: 'eu-west-1' } });
    RegistrySigning.of(stack).addRule({ signingProfileArn: PROFILE });
    RegistrySigning.of(other).addRule({ signingProfileArn: PROFILE });
    expect(() => synthesize(stack.node.root as App)).toThrow(/both render AWS::ECR::SigningConfiguration/);
  });

  test.each<[string, (stack: Stack) => void, RegExp]>([
    ['a profile ARN of another service', (s) => RegistrySigning.of(s).addRule({ signingProfileArn: 'arn:aws:kms:eu-west-1:111111111111:key/x' }), /is not an AWS Signer profile ARN/],
    ['a profile name with a dash', (s) => RegistrySigning.of(s).addRule({ signingProfileArn: 'arn:aws:signer:eu-west-1:111111111111:/signing-profiles/my-profile' }), /is not an AWS Signer profile ARN/],
    ['an empty filter list', (s) => RegistrySigning.of(s).addRule({ signingProfileArn: PROFILE, repositoryFilters: [] }), /repositoryFilters is empty/],
    ['a filter with an uppercase letter', (s) => RegistrySigning.of(s).addRule({ signingProfileArn: PROFILE, repositoryFilters: ['Platform/*'] }), /is not a signing filter/],
    ['a filter too long', (s) => RegistrySigning.of(s).addRule({ signingProfileArn: PROFILE, repositoryFilters: ['a'.repeat(257)] }), /has 257 characters: ECR takes 1 to 256/],
    ['101 filters', (s) => RegistrySigning.of(s).addRule({
      signingProfileArn: PROFILE, repositoryFilters: Array.from({ length: 101 }, (_, i) => `team${i}/*`),
    }), /has 101 repository filters: ECR takes at most 100/],
    ['11 profiles', (s) => {
      for (let i = 0; i < 11; i++) RegistrySigning.of(s).addRule({ signingProfileArn: `${PROFILE}${i}` });
    }, /has 11 rules: ECR takes at most 10/],
  ])('given %s, then it fails at the call with a clear message', (_, build, message) => {
    expect(() => build(strictStack())).toThrow(message);
  });

  test.each([
    ['arn:aws:signer:eu-west-1:111111111111:/signing-profiles/platform', true],
    ['arn:aws-cn:signer:cn-north-1:111111111111:/signing-profiles/platform_2', true],
    ['arn:aws-us-gov:signer:us-gov-west-1:111111111111:/signing-profiles/ab', true],
    ['arn:aws:signer:eu-west-1:111111111111:/signing-profiles/a', false],
    ['arn:aws:signer:eu-west-1:11111111111:/signing-profiles/platform', false],
  ])('signing profile ARN %s is valid: %s', (arn, valid) => {
    expect(signingProfileArnProblems(arn)).toHaveLength(valid ? 0 : 1);
  });
});

describe('PullTimeUpdateExclusion', () => {
  test.each([
    ['a Lazy ARN and the same literal ARN', true],
    ['two Lazy ARNs that resolve to the same principal', false],
  ])('given %s, then synth fails naming the clash instead of rendering a template CloudFormation rejects', (_name, oneLiteral) => {
    const stack = strictStack();
    const arn = 'arn:aws:iam::111111111111:user/auditor';
    new PullTimeUpdateExclusion(stack, 'First', { principalArn: oneLiteral ? arn : Lazy.string({ produce: () => arn }) });
    new PullTimeUpdateExclusion(stack, 'Second', { principalArn: Lazy.string({ produce: () => arn }) });
    expect(() => validTemplate(stack)).toThrow(/Validation failed with the following errors:\n {2}\[Stack\/(First|Second)\] PullTimeUpdateExclusion/);
  });


  test('given a scanner role, then pulls by it do not update last-pulled times', () => {
    const stack = strictStack();
    const role = iam.Role.fromRoleArn(stack, 'Scanner', 'arn:aws:iam::111111111111:role/security/scanner');
    PullTimeUpdateExclusion.forRole(stack, 'ScannerExclusion', role);
    new PullTimeUpdateExclusion(stack, 'Auditor', { principalArn: 'arn:aws:iam::111111111111:user/auditor' });
    const template = validTemplate(stack, { nag: true });
    template.resourceCountIs('AWS::ECR::PullTimeUpdateExclusion', 2);
    template.hasResourceProperties('AWS::ECR::PullTimeUpdateExclusion', { PrincipalArn: 'arn:aws:iam::111111111111:role/security/scanner' });
  });

  test('given a role of the same stack, then its ARN token is accepted', () => {
    const stack = strictStack();
    const role = new iam.Role(stack, 'Scanner', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
    PullTimeUpdateExclusion.forRole(stack, 'Exclusion', role);
    validTemplate(stack, { nag: true }).hasResourceProperties('AWS::ECR::PullTimeUpdateExclusion', {
      PrincipalArn: { 'Fn::GetAtt': [stack.getLogicalId(role.node.defaultChild as any), 'Arn'] },
    });
  });

  test('given the same principal twice in one registry, then it fails at the call', () => {
    const stack = strictStack();
    new PullTimeUpdateExclusion(stack, 'A', { principalArn: 'arn:aws:iam::111111111111:role/scanner' });
    expect(() => new PullTimeUpdateExclusion(stack, 'B', { principalArn: 'arn:aws:iam::111111111111:role/scanner' }))
      .toThrow(/AWS::ECR::PullTimeUpdateExclusion arn:aws:iam::111111111111:role\/scanner is already declared/);
  });

  test.each([
    ['arn:aws:iam::111111111111:role/scanner', true],
    ['arn:aws-cn:iam::111111111111:role/path/scanner', true],
    ['arn:aws:iam::111111111111:user/auditor', true],
    ['arn:aws:iam::111111111111:group/auditors', false],
    ['arn:aws:sts::111111111111:assumed-role/scanner/session', false],
    ['scanner', false],
    [`arn:aws:iam::111111111111:role/${'a'.repeat(180)}`, false],
  ])('principal %s is valid: %s', (arn, valid) => {
    expect(exclusionPrincipalProblems(arn)).toHaveLength(valid ? 0 : 1);
    if (!valid) expect(() => new PullTimeUpdateExclusion(strictStack(), 'X', { principalArn: arn })).toThrow(/is not an IAM role or user ARN/);
  });
});
