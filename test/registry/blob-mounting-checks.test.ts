import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Annotations, App, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import {
  BlobMounting,
  EcrAccountSettings,
  PrivateRepository,
  RepositoryCreationTemplate,
  RepositoryCreationTemplateAppliedFor as AppliedFor,
  ImageEncryption,
  RepositoryFleet,
} from '../../src';
import { ENV, strictApp } from '../util/harness';
import { synthWarnings } from '../util/warnings';

const ID = 'cdk-ecr-platform:blobMountingMixedKeys';
const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/0987dcba-09fe-87dc-65ba-ab0987654321';

function appWithSettings(blobMounting: BlobMounting = BlobMounting.ENABLED): { app: App; settingsStack: Stack } {
  const app = strictApp();
  const settingsStack = new Stack(app, 'Settings', { env: ENV });
  new EcrAccountSettings(settingsStack, 'AccountSettings', { blobMounting });
  return { app, settingsStack };
}

describe('blob mounting and repository keys', () => {
  test('given blob mounting enabled and two stacks whose repositories use their own stack keys, then one warning on the settings names both keys and what fails', () => {
    const { app } = appWithSettings();
    new PrivateRepository(new Stack(app, 'A', { env: ENV }), 'Api', { repositoryName: 'team/api' });
    new PrivateRepository(new Stack(app, 'B', { env: ENV }), 'Web', { repositoryName: 'team/web' });
    const warnings = synthWarnings(app, ID);
    expect(warnings.map((w) => w.path)).toEqual(['/Settings/AccountSettings']);
    const message = warnings[0].message;
    expect(message).toContain('account 111111111111, region eu-west-1');
    expect(message).toContain("KMS with key 'A/EcrRepositoryKey': 'A/Api'");
    expect(message).toContain("KMS with key 'B/EcrRepositoryKey': 'B/Web'");
    expect(message).toMatch(/same encryption type and key/);
    expect(message).toMatch(/pull-through cache rule are never mounted/);
  });

  test('given every kind of repository of the registry, then each counts with its encryption; pull-through-only templates and undecidable keys do not', () => {
    const { app } = appWithSettings();
    const stack = new Stack(app, 'Repos', { env: ENV });
    new PrivateRepository(stack, 'Plain', { repositoryName: 'team/plain', encryption: ImageEncryption.AES256 });
    new ecr.CfnRepository(stack, 'RawKms', { repositoryName: 'team/raw', encryptionConfiguration: { encryptionType: 'KMS' } });
    new ecr.Repository(stack, 'L2', { repositoryName: 'team/l2', encryption: ecr.RepositoryEncryption.KMS, encryptionKey: kms.Key.fromKeyArn(stack, 'Imported', KEY_ARN) });
    new RepositoryCreationTemplate(stack, 'Replicas', {
      prefix: 'replicas', appliedFor: [AppliedFor.REPLICATION], encryption: ImageEncryption.kms(kms.Key.fromKeyArn(stack, 'Other', OTHER_KEY_ARN)),
    });
    new RepositoryCreationTemplate(stack, 'Cache', { prefix: 'cache', appliedFor: [AppliedFor.PULL_THROUGH_CACHE], encryption: ImageEncryption.AES256 });
    new ecr.CfnRepository(stack, 'ByAlias', { repositoryName: 'team/alias', encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'alias/team' } });
    // another account and another region are other registries
    new PrivateRepository(new Stack(app, 'OtherRegion', { env: { ...ENV, region: 'eu-central-1' } }), 'Far', { repositoryName: 'team/far' });
    new PrivateRepository(new Stack(app, 'OtherAccount', { env: { ...ENV, account: '222222222222' } }), 'Far', { repositoryName: 'team/far' });

    const [warning] = synthWarnings(app, ID);
    expect(warning.message).toContain('use 4 encryption configurations (AES256: \'Repos/Plain\'; '
      + `KMS with key ${OTHER_KEY_ARN}: creation template 'Repos/Replicas' (prefix 'replicas'); `
      + `KMS with key ${KEY_ARN}: 'Repos/L2'; KMS with the AWS managed key aws/ecr: 'Repos/RawKms')`);
    expect(warning.message).not.toMatch(/Cache|ByAlias|Far/);
  });

  test('given a fleet in the same account and region, then its shards\' repositories count', () => {
    const { app } = appWithSettings();
    const placementFile = path.join(mkdtempSync(path.join(tmpdir(), 'fleet-')), 'placement.json');
    new RepositoryFleet(app, 'Fleet', { repositories: [{ repositoryName: 'svc/a' }, { repositoryName: 'svc/b' }], env: ENV, placementFile });
    new PrivateRepository(new Stack(app, 'Plain', { env: ENV }), 'Repo', { encryption: ImageEncryption.AES256 });
    const [warning] = synthWarnings(app, ID);
    expect(warning.message).toMatch(/AES256: 'Plain\/Repo'; KMS with key '[^']+': 'Fleet\/Shard1\/[^']+', 'Fleet\/Shard1\/[^']+'/);
  });

  test('given every repository of the registry on one key (a key of the app shared across stacks), then no warning', () => {
    const { app } = appWithSettings();
    const keys = new Stack(app, 'Keys', { env: ENV });
    const key = new kms.Key(keys, 'Shared', { enableKeyRotation: true });
    new PrivateRepository(new Stack(app, 'A', { env: ENV }), 'Api', { encryption: ImageEncryption.kms(key) });
    new PrivateRepository(new Stack(app, 'B', { env: ENV }), 'Web', { encryption: ImageEncryption.kms(key) });
    new RepositoryCreationTemplate(new Stack(app, 'C', { env: ENV }), 'Cache', { prefix: 'cache', appliedFor: [AppliedFor.PULL_THROUGH_CACHE] });
    expect(synthWarnings(app, ID)).toEqual([]);
  });

  test.each([
    ['disabled', BlobMounting.DISABLED],
  ])('given blob mounting %s, then repositories with different keys get no warning', (_name, value) => {
    const { app } = appWithSettings(value);
    new PrivateRepository(new Stack(app, 'A', { env: ENV }), 'Api');
    new PrivateRepository(new Stack(app, 'B', { env: ENV }), 'Web', { encryption: ImageEncryption.AES256 });
    expect(synthWarnings(app, ID)).toEqual([]);
  });

  test('given many repositories on one encryption, then the message names three and counts the rest', () => {
    const { app } = appWithSettings();
    const stack = new Stack(app, 'Repos', { env: ENV });
    for (const name of ['e', 'd', 'c', 'b', 'a']) new PrivateRepository(stack, name.toUpperCase(), { encryption: ImageEncryption.AES256 });
    new PrivateRepository(stack, 'Kms');
    const [warning] = synthWarnings(app, ID);
    expect(warning.message).toContain("AES256: 'Repos/A', 'Repos/B', 'Repos/C' and 2 more; KMS with key 'Repos/EcrRepositoryKey': 'Repos/Kms'");
  });

  test('given an environment-agnostic stack, then only its own repositories are compared, and the message says so', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Agnostic');
    new EcrAccountSettings(stack, 'AccountSettings', { blobMounting: BlobMounting.ENABLED });
    new PrivateRepository(stack, 'Api');
    new PrivateRepository(stack, 'Web', { encryption: ImageEncryption.AES256 });
    new PrivateRepository(new Stack(app, 'Elsewhere'), 'Other', { encryption: ImageEncryption.kms() });
    const [warning] = synthWarnings(app, ID);
    expect(warning.message).toContain("stack 'Agnostic' (no concrete account and region, so only this stack is checked)");
    expect(warning.message).toContain('use 2 encryption configurations');
  });

  test('given encryption known only at deploy (an import, a parameter), then it is left out and synth does not fail', () => {
    const { app } = appWithSettings();
    const stack = new Stack(app, 'Repos', { env: ENV });
    new ecr.CfnRepository(stack, 'Imported', { encryptionConfiguration: { encryptionType: 'KMS', kmsKey: Fn.importValue('shared-key-arn') } });
    new ecr.CfnRepository(stack, 'Param', { encryptionConfiguration: { encryptionType: new CfnParameter(stack, 'Type').valueAsString } });
    new PrivateRepository(stack, 'Plain', { encryption: ImageEncryption.AES256 });
    expect(synthWarnings(app, ID)).toEqual([]);
  });

  test('given the warning acknowledged on the settings, then synth reports nothing', () => {
    const { app, settingsStack } = appWithSettings();
    new PrivateRepository(new Stack(app, 'A', { env: ENV }), 'Api');
    new PrivateRepository(new Stack(app, 'B', { env: ENV }), 'Web');
    Annotations.of(settingsStack.node.findChild('AccountSettings')).acknowledgeWarning(ID, 'each team keeps its own key');
    expect(synthWarnings(app, ID)).toEqual([]);
  });

  test('given the same repositories declared in another order, then the warning is the same, given once', () => {
    const build = (order: string[]) => {
      const { app } = appWithSettings();
      for (const id of order) new PrivateRepository(new Stack(app, id, { env: ENV }), 'Repo', { repositoryName: `team/${id.toLowerCase()}` });
      return synthWarnings(app, ID);
    };
    const one = build(['A', 'B', 'C', 'D']);
    expect(one).toHaveLength(1);
    expect(one[0].message).toContain("KMS with key 'A/EcrRepositoryKey': 'A/Repo'; KMS with key 'B/EcrRepositoryKey'");
    expect(build(['D', 'C', 'B', 'A'])).toEqual(one);
  });
});
