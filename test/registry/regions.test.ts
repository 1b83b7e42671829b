import { Stack } from 'aws-cdk-lib';
import { LifecyclePresets, PrivateRepository, ReplicationDestination, RepositoryAccess, UpstreamRegistry } from '../../src';
import { strictStack, validTemplate } from '../util/harness';

describe('region names are checked against the regions aws-cdk-lib knows', () => {
  test('a misspelt replication region fails at the call, suggesting the region meant', () => {
    expect(() => ReplicationDestination.of('222222222222', 'eu-wst-1'))
      .toThrow(/ReplicationDestination.of: 1 problem:\n {2}- region 'eu-wst-1' is not a region aws-cdk-lib knows \(did you mean 'eu-west-1'\?\)\. For a region newer than your aws-cdk-lib, upgrade aws-cdk-lib or pass \{ allowUnknownRegion: true \}/);
  });

  test('a misspelt upstream ECR region fails at the call', () => {
    expect(() => UpstreamRegistry.ecr('222222222222', 'us-esat-1')).toThrow(/region 'us-esat-1' is not a region aws-cdk-lib knows \(did you mean 'us-east-1' or 'us-west-1'\?\)/);
  });

  test.each(['eu-west-1', 'eusc-de-east-1', 'us-gov-west-1', 'cn-north-1', 'us-isob-east-1', 'ap-southeast-7'])('known region %s is accepted', (region) => {
    expect(ReplicationDestination.of('222222222222', region).region).toBe(region);
  });

  test('a well-formed region newer than aws-cdk-lib is accepted with allowUnknownRegion, and renders', () => {
    expect(() => ReplicationDestination.of('222222222222', 'eu-future-9')).toThrow(/allowUnknownRegion/);
    const destination = ReplicationDestination.of('222222222222', 'eu-future-9', { allowUnknownRegion: true });
    const upstream = UpstreamRegistry.ecr('222222222222', 'eu-future-9', { allowUnknownRegion: true });
    expect(upstream.url).toBe('222222222222.dkr.ecr.eu-future-9.amazonaws.com');
    const stack = strictStack();
    new PrivateRepository(stack, 'Repo', { repositoryName: 'team/api' }).replicateTo([destination]);
    validTemplate(stack).hasResourceProperties('AWS::ECR::ReplicationConfiguration', {
      ReplicationConfiguration: { Rules: [{ Destinations: [{ Region: 'eu-future-9', RegistryId: '222222222222' }] }] },
    });
  });

  test('allowUnknownRegion still refuses a name that is not shaped like a region', () => {
    expect(() => ReplicationDestination.of('222222222222', 'EU_WEST_1', { allowUnknownRegion: true })).toThrow(/'EU_WEST_1' is not an AWS region name/);
  });

  test('replication across partitions is refused at synth', () => {
    const stack = strictStack();
    expect(() => new PrivateRepository(stack, 'Repo', { repositoryName: 'team/api' })
      .replicateTo([ReplicationDestination.of('222222222222', 'cn-north-1')]))
      .toThrow(/destination 222222222222\/cn-north-1 is in partition aws-cn, but the source registry \(eu-west-1\) is in aws/);
    expect(Stack.of(stack)).toBe(stack);
  });
});

describe('list factories report every bad entry at once', () => {
  test('ReplicationDestination.inRegions lists every bad and repeated region in one error', () => {
    let message = '';
    try {
      ReplicationDestination.inRegions('12345', ['eu-wst-1', 'eu-central-1', 'us-est-2', 'eu-central-1']);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/ReplicationDestination.inRegions: 4 problems:/);
    expect(message).toMatch(/account '12345' is not an AWS account ID/);
    expect(message).toMatch(/regions\[0\]: region 'eu-wst-1' .*\(did you mean 'eu-west-1'/);
    expect(message).toMatch(/regions\[2\]: region 'us-est-2' .*\(did you mean 'us-east-2'/);
    expect(message).toMatch(/regions\[3\]: region 'eu-central-1' is listed twice/);
  });

  test('ReplicationDestination.inRegions returns one destination per region', () => {
    expect(ReplicationDestination.inRegions('222222222222', ['eu-central-1', 'us-east-1']).map(String))
      .toEqual(['222222222222/eu-central-1', '222222222222/us-east-1']);
  });
});

describe('every list-taking factory reports every bad entry of its list', () => {
  const messageOf = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as Error).message;
    }
    return '';
  };

  test.each([
    ['RepositoryAccess.pullFromAccounts', () => RepositoryAccess.pullFromAccounts(['1', '222222222222', '3']), [/'1' is not an AWS account ID/, /'3' is not an AWS account ID/]],
    ['RepositoryAccess.pushFromAccounts', () => RepositoryAccess.pushFromAccounts(['1', '3']), [/'1' is not/, /'3' is not/]],
    ['RepositoryAccess.pullFromLambda', () => RepositoryAccess.pullFromLambda(['1', '3']), [/'1' is not/, /'3' is not/]],
    ['RepositoryAccess.pullFromOrganizationalUnits', () => RepositoryAccess.pullFromOrganizationalUnits('o-exampleorg1', ['x', 'y']), [/path 'x'/, /path 'y'/]],
    ['LifecyclePresets.protectTags', () => LifecyclePresets.protectTags(['a'.repeat(200), 'b c']), [/a{20}/, /b c/]],
    ['ReplicationDestination.inRegions', () => ReplicationDestination.inRegions('222222222222', ['x', 'y']), [/'x'/, /'y'/]],
  ])('%s', (_name, call, expected) => {
    const message = messageOf(call);
    for (const e of expected) expect(message).toMatch(e);
  });
});
