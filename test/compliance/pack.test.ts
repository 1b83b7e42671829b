import { App, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { NagMessageLevel } from 'cdk-nag';
import {
  EcrComplianceChecks, LifecyclePolicy, PrivateRepository, PublicRepository, Registry, ReplicationDestination, ImageEncryption,
} from '../../src';
import { OTHER_RULES, REPOSITORY_RULES } from '../../src/compliance/rule-ids';
import { Finding, readFindings, strictApp } from '../util/harness';

const A = { account: '111111111111', region: 'eu-west-1' };
const B = { account: '222222222222', region: 'eu-west-1' };
const US = { account: '111111111111', region: 'us-east-1' };

/** Runs only this pack (and CloudFormation validation) and returns its findings as `RuleId at path`. */
function check(app: App, props = {}): string[] {
  Validations.of(app).addPlugins(new EcrComplianceChecks(app, props));
  try {
    app.synth();
  } catch (e) {
    if (!/ValidationFailed|Validation failed|\(EcrCompliance\)/.test(String((e as Error).message) + String((e as Error).name))) throw e;
  }
  return readFindings(app.outdir)
    .filter((f: Finding) => f.plugin === 'EcrCompliance')
    .map((f) => `${f.rule} ${f.severity} at ${f.path}`);
}

function findingsFor(build: (app: App) => void, props = {}): string[] {
  const app = strictApp();
  build(app);
  return check(app, props);
}

const scanAll = (stack: Stack) => new ecr.CfnRegistryScanningConfiguration(stack, 'Scanning', {
  scanType: 'ENHANCED',
  rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: 'team-*', filterType: 'WILDCARD' }] }],
});

describe('EcrComplianceChecks', () => {
  test('a PrivateRepository with a customer managed key, covered by a scanning rule, has no finding', () => {
    expect(findingsFor((app) => {
      const stack = new Stack(app, 'S', { env: A });
      new PrivateRepository(stack, 'Repo', { repositoryName: 'team-a/api', encryption: ImageEncryption.kms() });
      scanAll(stack);
    })).toEqual([]);
  });

  describe('RepositoryScanning (ECR.1, CT.ECR.PR.2)', () => {
    test.each([
      ['no scanning at all', () => undefined, 'team-a/api', ['EcrCompliance-RepositoryScanning error at S/Repo/Resource']],
      ['a rule that matches the name', scanAll, 'team-a/api', []],
      ['a rule that does not match', scanAll, 'other/api', ['EcrCompliance-RepositoryScanning error at S/Repo/Resource']],
    ])('%s', (_name, scanning, repositoryName, expected) => {
      expect(findingsFor((app) => {
        const stack = new Stack(app, 'S', { env: A });
        new ecr.Repository(stack, 'Repo', { repositoryName, imageTagMutability: ecr.TagMutability.IMMUTABLE, lifecycleRules: [{ maxImageCount: 5 }] });
        scanning(stack);
      }).filter((f) => f.includes('RepositoryScanning'))).toEqual(expected);
    });

    test('a scanning configuration in another stack of the same account and region covers the repository', () => {
      expect(findingsFor((app) => {
        const repos = new Stack(app, 'Repos', { env: A });
        new ecr.CfnRepository(repos, 'Repo', { repositoryName: 'team-a/api' });
        scanAll(new Stack(app, 'Registry', { env: A }));
      }).filter((f) => f.includes('RepositoryScanning'))).toEqual([]);
    });

    test('scan on push on the repository is enough', () => {
      expect(findingsFor((app) => {
        const stack = new Stack(app, 'S', { env: A });
        new ecr.CfnRepository(stack, 'Repo', { imageScanningConfiguration: { scanOnPush: true } });
      }).filter((f) => f.includes('RepositoryScanning'))).toEqual([]);
    });

    test('once a registry scanning configuration exists, the repository\'s own scan on push no longer applies', () => {
      expect(findingsFor((app) => {
        const stack = new Stack(app, 'S', { env: A });
        new ecr.CfnRepository(stack, 'Repo', { repositoryName: 'other/api', imageScanningConfiguration: { scanOnPush: true } });
        scanAll(stack);
      }).filter((f) => f.includes('RepositoryScanning'))).toEqual(['EcrCompliance-RepositoryScanning error at S/Repo']);
    });

    test('a filter without * covers every name that contains it, as ECR matches it', () => {
      expect(findingsFor((app) => {
        const stack = new Stack(app, 'S', { env: A });
        new ecr.CfnRepository(stack, 'Repo', { repositoryName: 'team/api-gateway' });
        new ecr.CfnRegistryScanningConfiguration(stack, 'Scanning', {
          scanType: 'BASIC',
          rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'api', filterType: 'WILDCARD' }] }],
        });
      }).filter((f) => f.includes('RepositoryScanning'))).toEqual([]);
    });

    test('a generated name cannot be matched against a prefix filter: not applicable rather than guessed', () => {
      expect(findingsFor((app) => {
        const stack = new Stack(app, 'S', { env: A });
        new ecr.CfnRepository(stack, 'Repo', {});
        scanAll(stack);
      }).filter((f) => f.includes('RepositoryScanning'))).toEqual([]);
    });
  });

  describe('TagImmutability (ECR.2, CT.ECR.PR.3)', () => {
    test.each([
      [undefined, true],
      ['MUTABLE', true],
      ['MUTABLE_WITH_EXCLUSION', true],
      ['IMMUTABLE', false],
      ['IMMUTABLE_WITH_EXCLUSION', false],
    ])('CfnRepository with %s: finding %s', (mutability, finding) => {
      const found = findingsFor((app) => {
        const stack = new Stack(app, 'S', { env: A });
        new ecr.CfnRepository(stack, 'Repo', {
          imageTagMutability: mutability,
          imageTagMutabilityExclusionFilters: mutability?.endsWith('EXCLUSION')
            ? [{ imageTagMutabilityExclusionFilterType: 'WILDCARD', imageTagMutabilityExclusionFilterValue: 'latest' }] : undefined,
        });
      }).filter((f) => f.includes('TagImmutability'));
      expect(found).toEqual(finding ? ['EcrCompliance-TagImmutability error at S/Repo'] : []);
    });

    test('aws-cdk-lib Repository defaults to mutable tags', () => {
      expect(findingsFor((app) => {
        new ecr.Repository(new Stack(app, 'S', { env: A }), 'Repo');
      })).toContain('EcrCompliance-TagImmutability error at S/Repo/Resource');
    });
  });

  describe('LifecyclePolicy (ECR.3, CT.ECR.PR.1)', () => {
    const text = (rules: any[]) => JSON.stringify({ rules });
    const valid = text([{ rulePriority: 1, description: 'expire untagged images after 14 days', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, action: { type: 'expire' } }]);
    const invalid = text([{ rulePriority: 1, description: 'expire images not pulled for 30 days', selection: { tagStatus: 'any', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 30 }, action: { type: 'expire' } }]);
    test.each([
      ['no lifecycle policy', undefined, ['EcrCompliance-LifecyclePolicy[Missing] error at S/Repo']],
      ['a valid policy', valid, []],
      ['a policy ECR would reject (sinceImagePulled cannot expire)', invalid, ['EcrCompliance-LifecyclePolicy[Invalid] error at S/Repo']],
      ['text that is not JSON', '{not json'.padEnd(120, ' '), ['EcrCompliance-LifecyclePolicy[Invalid] error at S/Repo']],
    ])('CfnRepository with %s', (_name, policy, expected) => {
      expect(findingsFor((app) => {
        new ecr.CfnRepository(new Stack(app, 'S', { env: A }), 'Repo', {
          imageTagMutability: 'IMMUTABLE',
          lifecyclePolicy: policy ? { lifecyclePolicyText: policy } : undefined,
        });
      }, {}).filter((f) => f.includes('LifecyclePolicy'))).toEqual(expected);
    });

    test('aws-cdk-lib Repository with lifecycle rules complies; the library default complies', () => {
      expect(findingsFor((app) => {
        const stack = new Stack(app, 'S', { env: A });
        new ecr.Repository(stack, 'L2', { lifecycleRules: [{ maxImageCount: 10 }] });
        new PrivateRepository(stack, 'Lib', { lifecyclePolicy: LifecyclePolicy.recommended() });
      }).filter((f) => f.includes('LifecyclePolicy'))).toEqual([]);
    });
  });

  describe('PublicRepositoryTags (ECR.4)', () => {
    test.each([[false], [true]])('tagged: %s', (tagged) => {
      expect(findingsFor((app) => {
        const repo = new PublicRepository(new Stack(app, 'P', { env: US }), 'Public');
        if (tagged) Tags.of(repo).add('owner', 'platform');
      }).filter((f) => f.includes('PublicRepositoryTags'))).toEqual(tagged ? [] : ['EcrCompliance-PublicRepositoryTags error at P/Public/Resource']);
    });
  });

  describe('CustomerManagedKey (ECR.5)', () => {
    test.each([
      ['AES256 (default)', () => undefined, ['EcrCompliance-CustomerManagedKey warning at S/Repo']],
      ['KMS with the AWS managed key', () => ({ encryptionType: 'KMS' }), ['EcrCompliance-CustomerManagedKey warning at S/Repo']],
      ['KMS with a customer managed key', (s: Stack) => ({ encryptionType: 'KMS', kmsKey: new kms.Key(s, 'K', { enableKeyRotation: true }).keyArn }), []],
      ['KMS_DSSE with a customer managed key', (s: Stack) => ({ encryptionType: 'KMS_DSSE', kmsKey: new kms.Key(s, 'K', { enableKeyRotation: true }).keyArn }), []],
    ])('%s', (_name, encryption, expected) => {
      expect(findingsFor((app) => {
        const stack = new Stack(app, 'S', { env: A });
        new ecr.CfnRepository(stack, 'Repo', { encryptionConfiguration: encryption(stack) });
      }).filter((f) => f.includes('CustomerManagedKey'))).toEqual(expected);
    });

    test('the level can be raised to error', () => {
      expect(findingsFor((app) => {
        new ecr.CfnRepository(new Stack(app, 'S', { env: A }), 'Repo', {});
      }, { customerManagedKeyLevel: NagMessageLevel.ERROR })).toContain('EcrCompliance-CustomerManagedKey error at S/Repo');
    });
  });

  describe('OpenAccess', () => {
    const statement = (condition?: any) => ({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage', ...(condition ? { Condition: condition } : {}) }],
    });
    test.each([
      ['* without condition', statement(), ['EcrCompliance-OpenAccess error at S/Repo']],
      ['* with aws:PrincipalOrgID (AwsSolutions-ECR1 flags it, this rule does not)', statement({ StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } }), []],
      ['* with aws:PrincipalAccount', statement({ StringEquals: { 'aws:PrincipalAccount': '222222222222' } }), []],
      ['* with an unrelated condition', statement({ Bool: { 'aws:SecureTransport': 'true' } }), ['EcrCompliance-OpenAccess error at S/Repo']],
      ['* with StringNotEquals aws:PrincipalOrgID (everyone outside the organization)', statement({ StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } }), ['EcrCompliance-OpenAccess error at S/Repo']],
      ['* with StringEqualsIfExists aws:SourceAccount (absent for IAM callers)', statement({ StringEqualsIfExists: { 'aws:SourceAccount': '222222222222' } }), ['EcrCompliance-OpenAccess error at S/Repo']],
      ['* with StringLike aws:PrincipalAccount "*"', statement({ StringLike: { 'aws:PrincipalAccount': '*' } }), ['EcrCompliance-OpenAccess error at S/Repo']],
      ['* with ForAnyValue:StringLike aws:PrincipalOrgPaths "*"', statement({ 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': '*' } }), ['EcrCompliance-OpenAccess error at S/Repo']],
      ['* with ForAnyValue:StringLike aws:PrincipalOrgPaths of one organization', statement({ 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-abc123def4/*' } }), []],
    ])('repository policy: %s', (_name, policy, expected) => {
      expect(findingsFor((app) => {
        new ecr.CfnRepository(new Stack(app, 'S', { env: A }), 'Repo', { repositoryPolicyText: policy });
      }).filter((f) => f.includes('OpenAccess'))).toEqual(expected);
    });

    test('registry policy and aws-cdk-lib Repository.addToResourcePolicy are checked too', () => {
      const found = findingsFor((app) => {
        const stack = new Stack(app, 'S', { env: A });
        new ecr.CfnRegistryPolicy(stack, 'Registry', {
          policyText: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'ecr:ReplicateImage', Resource: '*' }] },
        });
        const repo = new ecr.Repository(stack, 'L2');
        repo.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['ecr:BatchGetImage'] }));
      }).filter((f) => f.includes('OpenAccess'));
      expect(found).toEqual(['EcrCompliance-OpenAccess error at S/Registry', 'EcrCompliance-OpenAccess error at S/L2/Resource']);
    });
  });

  describe('PullThroughCacheCredentials', () => {
    test.each([
      ['a well-named secret with a customer managed key', 'ecr-pullthroughcache/docker-hub', true, []],
      ['a secret without the prefix', 'docker-hub', true, ['EcrCompliance-PullThroughCacheCredentials[SecretName] error at S/Rule']],
      ['a secret without a customer managed key', 'ecr-pullthroughcache/docker-hub', false, ['EcrCompliance-PullThroughCacheCredentials[CustomerManagedKey] error at S/Rule']],
    ])('%s', (_name, secretName, withKey, expected) => {
      expect(findingsFor((app) => {
        const stack = new Stack(app, 'S', { env: A });
        const secret = new secretsmanager.Secret(stack, 'Secret', {
          secretName,
          encryptionKey: withKey ? new kms.Key(stack, 'Key', { enableKeyRotation: true }) : undefined,
        });
        new ecr.CfnPullThroughCacheRule(stack, 'Rule', {
          ecrRepositoryPrefix: 'docker-hub', upstreamRegistry: 'docker-hub', upstreamRegistryUrl: 'registry-1.docker.io', credentialArn: secret.secretArn,
        });
      }).filter((f) => f.includes('PullThroughCacheCredentials'))).toEqual(expected);
    });

    test('a literal secret ARN is checked by name', () => {
      expect(findingsFor((app) => {
        new ecr.CfnPullThroughCacheRule(new Stack(app, 'S', { env: A }), 'Rule', {
          ecrRepositoryPrefix: 'ghcr',
          upstreamRegistry: 'github-container-registry',
          upstreamRegistryUrl: 'ghcr.io',
          credentialArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:github-AbCdEf',
        });
      })).toContain('EcrCompliance-PullThroughCacheCredentials[SecretName] error at S/Rule');
    });
  });

  describe('ReplicationDestinationPolicy', () => {
    const replicate = (stack: Stack) => new ecr.CfnReplicationConfiguration(stack, 'Replication', {
      replicationConfiguration: { rules: [{ destinations: [{ region: B.region, registryId: B.account }] }] },
    });
    test('a destination stack in the app without the registry policy is a finding', () => {
      expect(findingsFor((app) => {
        replicate(new Stack(app, 'Source', { env: A }));
        new ecr.CfnRepository(new Stack(app, 'Destination', { env: B }), 'Repo', { imageTagMutability: 'IMMUTABLE' });
      })).toContain('EcrCompliance-ReplicationDestinationPolicy[222222222222-eu-west-1] error at Source/Replication');
    });

    test('the library wires the destination: no finding', () => {
      expect(findingsFor((app) => {
        const source = new Stack(app, 'Source', { env: A });
        new Stack(app, 'Destination', { env: B });
        Registry.of(source).addReplicationRule({ destinations: [ReplicationDestination.of(B.account, B.region)] });
      }).filter((f) => f.includes('ReplicationDestinationPolicy'))).toEqual([]);
    });

    test('a destination outside the app is not applicable', () => {
      expect(findingsFor((app) => {
        replicate(new Stack(app, 'Source', { env: A }));
      }).filter((f) => f.includes('ReplicationDestinationPolicy'))).toEqual([]);
    });
  });

  describe('RegistrySingleton', () => {
    test('two replication configurations for the same account and region are both findings', () => {
      const app = strictApp();
      for (const id of ['One', 'Two']) {
        new ecr.CfnReplicationConfiguration(new Stack(app, id, { env: A }), 'Replication', {
          replicationConfiguration: { rules: [{ destinations: [{ region: 'eu-central-1', registryId: A.account }] }] },
        });
      }
      expect(check(app).filter((f) => f.includes('RegistrySingleton'))).toEqual([
        'EcrCompliance-RegistrySingleton error at One/Replication',
        'EcrCompliance-RegistrySingleton error at Two/Replication',
      ]);
    });

    test('the same type in different regions is fine', () => {
      expect(findingsFor((app) => {
        for (const region of ['eu-west-1', 'eu-central-1']) {
          new ecr.CfnRegistryPolicy(new Stack(app, `R${region}`, { env: { account: A.account, region } }), 'Policy', {
            policyText: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'ecr:ReplicateImage', Resource: '*' }] },
          });
        }
      }).filter((f) => f.includes('RegistrySingleton'))).toEqual([]);
    });
  });

  test('a finding can be acknowledged with a reason', () => {
    expect(findingsFor((app) => {
      const repo = new ecr.CfnRepository(new Stack(app, 'S', { env: A }), 'Repo', { imageTagMutability: 'MUTABLE' });
      Validations.of(repo).acknowledge({ id: 'EcrCompliance-TagImmutability', reason: 'build cache repository: tags move by design' });
    }).filter((f) => f.includes('TagImmutability'))).toEqual([]);
  });
});

describe('the rule IDs a repository can acknowledge', () => {
  test('given the pack, then the rules that check AWS::ECR::Repository are exactly REPOSITORY_RULES, and every rule is listed once', () => {
    const rules = (new EcrComplianceChecks() as any).rules as { id: string; types: string[] }[];
    expect(rules.filter((r) => r.types.includes('AWS::ECR::Repository')).map((r) => r.id)).toEqual([...REPOSITORY_RULES]);
    expect(rules.map((r) => r.id).sort()).toEqual([...REPOSITORY_RULES, ...OTHER_RULES].sort());
  });
});
