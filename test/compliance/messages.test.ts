import { Stack, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { NagMessageLevel } from 'cdk-nag';
import { EcrComplianceChecks } from '../../src';
import { readFindings, strictApp } from '../util/harness';

/** One app that breaks every rule of the pack once. */
function findingsOfEveryRule(): Map<string, string> {
  const app = strictApp();
  const a = new Stack(app, 'A', { env: { account: '111111111111', region: 'eu-west-1' } });
  new ecr.CfnRepository(a, 'Repo', {
    repositoryName: 'team/api',
    imageTagMutability: 'MUTABLE',
    imageScanningConfiguration: { scanOnPush: false },
    repositoryPolicyText: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' }] },
  });
  new ecr.CfnPublicRepository(new Stack(app, 'P', { env: { account: '111111111111', region: 'us-east-1' } }), 'Public', {});
  const secret = new secretsmanager.Secret(a, 'Secret', { secretName: 'docker-hub' });
  new ecr.CfnPullThroughCacheRule(a, 'Cache', {
    ecrRepositoryPrefix: 'docker-hub', upstreamRegistry: 'docker-hub', upstreamRegistryUrl: 'registry-1.docker.io', credentialArn: secret.secretArn,
  });
  for (const id of ['One', 'Two']) {
    new ecr.CfnReplicationConfiguration(new Stack(app, id, { env: { account: '333333333333', region: 'eu-west-1' } }), 'Replication', {
      replicationConfiguration: { rules: [{ destinations: [{ region: 'eu-west-1', registryId: '444444444444' }] }] },
    });
  }
  new Stack(app, 'Destination', { env: { account: '444444444444', region: 'eu-west-1' } });
  Validations.of(app).addPlugins(new EcrComplianceChecks(app, { customerManagedKeyLevel: NagMessageLevel.ERROR }));
  expect(() => app.synth()).toThrow();
  const out = new Map<string, string>();
  for (const f of readFindings(app.outdir).filter((x) => x.plugin === 'EcrCompliance')) {
    out.set(f.rule.replace(/^EcrCompliance-/, '').replace(/\[.*$/, ''), f.description);
  }
  return out;
}

describe('every finding of the pack says how to comply, in one line', () => {
  const findings = findingsOfEveryRule();

  test.each([
    ['RepositoryScanning', /To comply: keep imageScanOnPush on .*RegistryScanning\.of\(stack\)\.addRule/],
    ['TagImmutability', /To comply: use imageTagMutability IMMUTABLE/],
    ['LifecyclePolicy', /To comply: set lifecyclePolicy .*lifecycle validate/],
    ['PublicRepositoryTags', /To comply: Tags\.of\(repository\)\.add\(/],
    ['CustomerManagedKey', /To comply: encryption ImageEncryption\.kms\(key\)/],
    ['OpenAccess', /To comply: name the principals .*aws:PrincipalOrgID/],
    ['PullThroughCacheCredentials', /To comply: PullThroughCacheCredentials\.createSecret\(\)/],
    ['ReplicationDestinationPolicy', /To comply: Registry\.of\(destinationStack\)\.allowReplicationFrom\(sourceAccount\)/],
    ['RegistrySingleton', /To comply: declare it in one stack per account and region/],
  ])('%s', (rule, remedy) => {
    const description = findings.get(rule);
    expect(description).toMatch(remedy);
    expect(description).not.toMatch(/\n/);
  });
});
