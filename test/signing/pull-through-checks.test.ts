import { Annotations, App, Fn, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as signer from 'aws-cdk-lib/aws-signer';
import { PullThroughCacheRule, RegistrySigning, UpstreamRegistry } from '../../src';
import { ENV, strictApp } from '../util/harness';
import { synthWarnings } from '../util/warnings';

const ID = 'cdk-ecr-platform:signingCoversPullThroughCache';
const PROFILE = 'arn:aws:signer:eu-west-1:111111111111:/signing-profiles/platform';

function cache(stack: Stack, id: string, prefix: string): PullThroughCacheRule {
  return new PullThroughCacheRule(stack, id, { ecrRepositoryPrefix: prefix, upstream: UpstreamRegistry.ecrPublic(), createTemplate: false });
}

describe('managed signing and pull-through cache prefixes', () => {
  test('given a signing rule without filters and a pull-through cache rule, then the signing configuration gets one warning saying what fails and how to exclude the prefix', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Stack', { env: ENV });
    RegistrySigning.of(stack).addRule({ signingProfileArn: PROFILE });
    cache(stack, 'EcrPublic', 'ecr-public');
    const warnings = synthWarnings(app, ID);
    expect(warnings.map((w) => w.path)).toEqual(['/Stack/EcrRegistry/Signing']);
    const message = warnings[0].message;
    expect(message).toContain(`The signing rule for ${PROFILE} has no repository filter, so it covers the repositories that pull-through cache rule 'Stack/EcrPublic' creates under 'ecr-public/'.`);
    expect(message).toMatch(/AWSServiceRoleForECRPullThroughCache.*no signer:SignPayload \(aws\/containers-roadmap#2830\)/);
    expect(message).toMatch(/caching into those repositories breaks/);
    expect(message).toMatch(/Signing filters cannot exclude a prefix.*none of which matches 'ecr-public\/\.\.\.'/);
  });

  test.each([
    ['*', 'ecr-public', true],
    ['ecr-*', 'ecr-public', true],
    ['ecr-public/*', 'ecr-public', true],
    ['ecr-public/library/nginx', 'ecr-public', true],
    ['*/nginx', 'ecr-public', true],
    ['e*c*r*', 'ecr-public', true],
    ['ecr-public*', 'ecr-public', true],
    ['platform/*', 'ecr-public', false],
    ['ecr-publicx/*', 'ecr-public', false],
    ['ecr-public', 'ecr-public', false],
    ['team/ecr-public/*', 'ecr-public', false],
    ['ecr-public/other/*', 'ecr-public/team', false],
    ['ecr-public/team/*', 'ecr-public/team', true],
    ['*', 'ROOT', true],
    ['platform/*', 'ROOT', false],
  ])('given the signing filter %s and the cache prefix %s, then a warning is given: %s', (filter, prefix, warned) => {
    const app = strictApp();
    const stack = new Stack(app, 'Stack', { env: ENV });
    RegistrySigning.of(stack).addRule({ signingProfileArn: PROFILE, repositoryFilters: ['other/*', filter] });
    cache(stack, 'Cache', prefix);
    const warnings = synthWarnings(app, ID);
    expect(warnings.length).toBe(warned ? 1 : 0);
    if (warned) expect(warnings[0].message).toContain(`has the filter '${filter}', which covers`);
  });

  test('given raw L1s in other stacks of the same account and region, then they are read too; another region is another registry', () => {
    const app = strictApp();
    const signing = new Stack(app, 'Signing', { env: ENV });
    const profile = new signer.SigningProfile(signing, 'Profile', { platform: signer.Platform.NOTATION_OCI_SHA384_ECDSA });
    RegistrySigning.of(signing).addRule({ signingProfileArn: profile.signingProfileArn, repositoryFilters: ['quay/*'] });
    new ecr.CfnPullThroughCacheRule(new Stack(app, 'Raw', { env: ENV }), 'Quay', { ecrRepositoryPrefix: 'quay', upstreamRegistryUrl: 'quay.io' });
    const raw = new Stack(app, 'RawSigning', { env: { ...ENV, account: '222222222222' } });
    new ecr.CfnSigningConfiguration(raw, 'Signing', { rules: [{ signingProfileArn: PROFILE, repositoryFilters: [{ filter: 'k8s/*', filterType: 'WILDCARD_MATCH' }] }] });
    cache(raw, 'K8s', 'k8s');
    cache(new Stack(app, 'OtherRegion', { env: { ...ENV, region: 'eu-central-1' } }), 'Quay', 'quay');

    const warnings = synthWarnings(app, ID);
    expect(warnings.map((w) => w.path).sort()).toEqual(['/RawSigning/Signing', '/Signing/EcrRegistry/Signing']);
    const byPath = Object.fromEntries(warnings.map((w) => [w.path, w.message]));
    expect(byPath['/Signing/EcrRegistry/Signing']).toMatch(/^The signing rule for \{"Fn::GetAtt":\["Profile\w+","Arn"\]\} has the filter 'quay\/\*'/);
    expect(byPath['/Signing/EcrRegistry/Signing']).toContain("pull-through cache rule 'Raw/Quay'");
    expect(byPath['/RawSigning/Signing']).toContain("pull-through cache rule 'RawSigning/K8s'");
  });

  test('given two cache prefixes a rule covers, then one warning per pair, in a stable order, given once however often the app is synthesized', () => {
    const build = (order: string[]): App => {
      const app = strictApp();
      const stack = new Stack(app, 'Stack', { env: ENV });
      for (const p of order) cache(stack, p, p);
      RegistrySigning.of(stack).addRule({ signingProfileArn: PROFILE, repositoryFilters: ['*'] });
      return app;
    };
    const app = build(['quay', 'k8s']);
    const first = synthWarnings(app, ID);
    expect(first).toHaveLength(2);
    expect(synthWarnings(app, ID)).toEqual(first);
    expect(first.map((w) => /under '([^']+)'/.exec(w.message)![1])).toEqual(['k8s/', 'quay/']);
    expect(synthWarnings(build(['k8s', 'quay']), ID)).toEqual(first);
  });

  test('given filters and prefixes known only at deploy, then they are left out and synth does not fail', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Stack', { env: ENV });
    new ecr.CfnSigningConfiguration(stack, 'Signing', {
      rules: [{ signingProfileArn: Fn.importValue('profile'), repositoryFilters: [{ filter: Fn.importValue('filter'), filterType: 'WILDCARD_MATCH' }] }],
    });
    new ecr.CfnPullThroughCacheRule(stack, 'Cache', { ecrRepositoryPrefix: Fn.importValue('prefix'), upstreamRegistryUrl: 'public.ecr.aws' });
    cache(stack, 'Quay', 'quay'); // registers the check
    expect(synthWarnings(app, ID)).toEqual([]);
  });

  test('given the warning acknowledged on the signing configuration, then synth reports nothing', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const signing = RegistrySigning.of(stack);
    signing.addRule({ signingProfileArn: PROFILE });
    cache(stack, 'EcrPublic', 'ecr-public');
    Annotations.of(signing).acknowledgeWarning(ID, 'cached images are not pulled here');
    expect(synthWarnings(app, ID)).toEqual([]);
  });
});
