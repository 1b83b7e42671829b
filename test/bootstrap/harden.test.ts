import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { cliBootstrapTemplate, cliVersion } from './cli-template';
import { CdkBootstrapTemplate, LifecyclePolicy, LifecycleTagStatus } from '../../src';
import { hardenBootstrapTemplate } from '../../src/bootstrap/harden';
import { CT } from '../util/control-tower';
import { addControlTowerChecks, addNagPacks, describeFindings, Finding, readFindings, strictApp } from '../util/harness';

/*
 * The CDK bootstrap template is the one the installed AWS CDK CLI prints
 * (`cdk bootstrap --show-template --json`), never a copy: when a new CLI
 * changes it, these tests run on the new template.
 */

const REPOSITORY = 'ContainerAssetsRepository';
const KEY = 'ContainerAssetsEncryptionKey';
const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** Every finding of every check (CloudFormation validation, cdk-nag packs with the library's, Control Tower) on each template, by stack. */
function checkTemplates(templates: Record<string, Record<string, any>>): { app: App; findings: Finding[] } {
  const app = strictApp();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bootstrap-template-'));
  Object.entries(templates).forEach(([id, template], i) => {
    const stack = new Stack(app, id, {
      env: { account: String(200000000000 + i), region: 'eu-west-1' },
      synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
    });
    const file = path.join(dir, `${id}.json`);
    fs.writeFileSync(file, JSON.stringify(template));
    new CfnInclude(stack, 'Template', { templateFile: file });
  });
  addNagPacks(app);
  addControlTowerChecks(app);
  try {
    app.synth();
  } catch (error) {
    // the CLI's other resources (roles, bucket) have findings of their own, and synthesis fails on them after writing the report
    if (!/Validation failed|cdk-validator-cfnguard|EcrCompliance|AwsSolutions/.test(String((error as Error).message))) throw error;
  }
  return { app, findings: readFindings(app.outdir) };
}

/**
 * Whether a finding is about the CLI's own `RepositoryName`, which hardening
 * leaves as it is: CloudFormation's rules resolve the parameter
 * `ContainerAssetsRepositoryName` to its default "" in both branches of the
 * `Fn::If` that only uses it when it is not empty.
 */
function aboutCliRepositoryName(f: Finding): boolean {
  return f.plugin === 'CloudFormation Validate' && f.rule === 'W1031' && /^RepositoryName: Resolved parameter-dependent value ""/.test(f.description);
}

/** The findings at the container assets repository and its key in one stack (but those about the CLI's RepositoryName). */
function repositoryFindings(findings: Finding[], stack: string): Finding[] {
  return findings
    .filter((f) => [REPOSITORY, KEY].some((id) => f.path === `${stack}/Template/${id}` || f.path.startsWith(`${stack}/Template/${id}/`)))
    .filter((f) => !aboutCliRepositoryName(f));
}

/** Every JSON path at which two values differ (a key missing on one side is a difference). */
function differences(a: unknown, b: unknown, at = ''): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (isObject(a) && isObject(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => differences(a[k], b[k], `${at}/${k}`));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [at];
}

describe(`the CDK bootstrap template of the installed CDK CLI (${cliVersion()})`, () => {
  const original = cliBootstrapTemplate();
  const hardened = CdkBootstrapTemplate.hardenContainerAssets(original);
  const keepAes256 = CdkBootstrapTemplate.hardenContainerAssets(original, { keepAes256Encryption: true });
  const existingKey = CdkBootstrapTemplate.hardenContainerAssets(original, { encryptionKeyArn: KEY_ARN, untaggedImageExpiryDays: 7 });
  const { findings } = checkTemplates({ Original: original, Hardened: hardened, KeepAes256: keepAes256, ExistingKey: existingKey });

  test('the only findings left aside are about the CLI\'s RepositoryName, on the original and the hardened template alike', () => {
    const aside = (stack: string) => findings.filter((f) => f.path === `${stack}/Template/${REPOSITORY}` && aboutCliRepositoryName(f)).map((f) => f.description);
    expect(aside('Hardened')).toEqual(aside('Original'));
  });

  test('as the CLI prints it, its container assets repository fails Security Hub ECR.1 and ECR.5 and Control Tower CT.ECR.PR.2', () => {
    const rules = repositoryFindings(findings, 'Original').map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining([
      'EcrCompliance-RepositoryScanning',
      'EcrCompliance-ControlTowerScanOnPush',
      'EcrCompliance-CustomerManagedKey',
      CT.ECR_SCAN_ON_PUSH,
    ]));
  });

  test('hardened, its container assets repository and the key added for it pass every check', () => {
    expect(describeFindings(repositoryFindings(findings, 'Hardened'))).toBe('');
    expect(describeFindings(repositoryFindings(findings, 'ExistingKey'))).toBe('');
  });

  test('hardened with keepAes256Encryption, only the customer managed key warning (Security Hub ECR.5) is left, to acknowledge', () => {
    const left = repositoryFindings(findings, 'KeepAes256');
    expect(left.map((f) => `${f.rule} ${f.severity}`)).toEqual(['EcrCompliance-CustomerManagedKey warning']);
  });

  test('hardened, it differs from the CLI\'s template only in the repository\'s scanning and encryption, the key added and the description', () => {
    expect(differences(original, hardened).sort()).toEqual([
      '/Description',
      `/Resources/${KEY}`,
      `/Resources/${REPOSITORY}/Properties/EncryptionConfiguration`,
      `/Resources/${REPOSITORY}/Properties/ImageScanningConfiguration`,
    ]);
    expect(hardened.Resources[REPOSITORY].Properties.ImageScanningConfiguration).toEqual({ ScanOnPush: true });
    expect(hardened.Resources[REPOSITORY].Properties.EncryptionConfiguration).toEqual({ EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [KEY, 'Arn'] } });
    expect(hardened.Description.startsWith(original.Description)).toBe(true);
    expect(Buffer.byteLength(hardened.Description)).toBeLessThanOrEqual(1024);
  });

  test('hardened, every parameter, condition and output the CLI passes and reads is there unchanged, and so is the bootstrap version', () => {
    for (const section of ['Parameters', 'Conditions', 'Outputs', 'Rules', 'Mappings', 'Metadata']) {
      expect(hardened[section]).toEqual(original[section]);
    }
    // what the CLI passes on deploy, reads from the stack, and compares before it deploys
    for (const parameter of ['TrustedAccounts', 'TrustedAccountsForLookup', 'CloudFormationExecutionPolicies', 'FileAssetsBucketName', 'FileAssetsBucketKmsKeyId',
      'Qualifier', 'PublicAccessBlockConfiguration', 'InputPermissionsBoundary', 'ApplyPermissionsBoundaryToAllRoles', 'DenyExternalId', 'BootstrapVariant']) {
      expect(hardened.Parameters[parameter]).toEqual(original.Parameters[parameter]);
      expect(hardened.Parameters[parameter]).toBeDefined();
    }
    for (const output of ['BucketName', 'BucketDomainName', 'ImageRepositoryName', 'BootstrapVersion']) {
      expect(hardened.Outputs[output]).toEqual(original.Outputs[output]);
      expect(hardened.Outputs[output]).toBeDefined();
    }
    // the SSM parameter /cdk-bootstrap/<qualifier>/version that stacks check, and the repository's name and policy
    expect(hardened.Resources.CdkBootstrapVersion).toEqual(original.Resources.CdkBootstrapVersion);
    for (const property of ['RepositoryName', 'RepositoryPolicyText', 'ImageTagMutability', 'LifecyclePolicy']) {
      expect(hardened.Resources[REPOSITORY].Properties[property]).toEqual(original.Resources[REPOSITORY].Properties[property]);
    }
  });

  test('hardened, the repository keeps IMMUTABLE tags and a lifecycle policy that selects untagged images only', () => {
    for (const template of [hardened, keepAes256, existingKey]) {
      const properties = template.Resources[REPOSITORY].Properties;
      expect(properties.ImageTagMutability).toBe('IMMUTABLE');
      const policy = LifecyclePolicy.fromJson(properties.LifecyclePolicy.LifecyclePolicyText);
      expect(policy.validate()).toEqual([]);
      expect(policy.rules.map((r) => r.tagStatus)).toEqual([LifecycleTagStatus.UNTAGGED]);
    }
    expect(existingKey.Resources[REPOSITORY].Properties.LifecyclePolicy.LifecyclePolicyText).toContain('"countNumber":7');
  });

  test('the key added is the library\'s: rotation on, retained, grants only for AWS services', () => {
    const key = hardened.Resources[KEY];
    expect(key).toMatchObject({ Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    expect(key.Properties.KeyPolicy.Statement).toEqual(expect.arrayContaining([expect.objectContaining({ Sid: 'GrantsOnlyForAwsServices', Effect: 'Deny', Action: 'kms:CreateGrant' })]));
    expect(existingKey.Resources[KEY]).toBeUndefined();
    expect(existingKey.Resources[REPOSITORY].Properties.EncryptionConfiguration).toEqual({ EncryptionType: 'KMS', KmsKey: KEY_ARN });
    expect(keepAes256.Resources[KEY]).toBeUndefined();
    expect(keepAes256.Resources[REPOSITORY].Properties.EncryptionConfiguration).toBeUndefined();
  });

  test('hardening leaves its input alone, gives the same bytes every time, and changes nothing the second time', () => {
    const before = JSON.stringify(original);
    const again = CdkBootstrapTemplate.hardenContainerAssets(original);
    expect(JSON.stringify(original)).toBe(before);
    expect(JSON.stringify(again)).toBe(JSON.stringify(hardened));
    expect(JSON.stringify(CdkBootstrapTemplate.hardenContainerAssets(hardened))).toBe(JSON.stringify(hardened));
  });
});

describe('what hardening refuses or changes', () => {
  const original = cliBootstrapTemplate();
  const withRepository = (change: (properties: Record<string, any>) => void) => {
    const template = cliBootstrapTemplate();
    change(template.Resources[REPOSITORY].Properties);
    return template;
  };
  const rule = (priority: number, selection: Record<string, unknown>) => ({ rulePriority: priority, selection, action: { type: 'expire' } });

  test('given a lifecycle policy that could expire a tagged image, when hardened, then it is refused, unless untaggedImageExpiryDays replaces it', () => {
    const template = withRepository((p) => {
      p.LifecyclePolicy = {
        LifecyclePolicyText: JSON.stringify({
          rules: [
            rule(1, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30 }),
            rule(2, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 100 }),
          ],
        }),
      };
    });
    expect(() => CdkBootstrapTemplate.hardenContainerAssets(template)).toThrow(
      /rulePriority 2 selects any images, so it can expire an asset image that a deployed stack references by its tag: give untaggedImageExpiryDays/);
    const replaced = CdkBootstrapTemplate.hardenContainerAssets(template, { untaggedImageExpiryDays: 30 });
    expect(LifecyclePolicy.fromJson(replaced.Resources[REPOSITORY].Properties.LifecyclePolicy.LifecyclePolicyText).rules)
      .toEqual([expect.objectContaining({ tagStatus: 'untagged', countNumber: 30 })]);
  });

  test('given a template without lifecycle policy or tag immutability (an older CLI), when hardened, then the repository gets both', () => {
    const template = withRepository((p) => {
      delete p.LifecyclePolicy;
      p.ImageTagMutability = 'MUTABLE';
    });
    const properties = CdkBootstrapTemplate.hardenContainerAssets(template).Resources[REPOSITORY].Properties;
    expect(properties.ImageTagMutability).toBe('IMMUTABLE');
    expect(properties.LifecyclePolicy.LifecyclePolicyText).toBe(
      '{"rules":[{"rulePriority":1,"description":"Expire untagged images pushed more than 14 days ago","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}');
  });

  test('given a template that is not the CDK bootstrap template and wrong options, when hardened, then every problem is listed at once', () => {
    expect(() => CdkBootstrapTemplate.hardenContainerAssets({ Resources: {} }, { encryptionKeyArn: 'my-key', keepAes256Encryption: true, untaggedImageExpiryDays: 0 }))
      .toThrow(new RegExp([
        '^CdkBootstrapTemplate.hardenContainerAssets: 5 problems:',
        '  - encryptionKeyArn "my-key" is not the ARN of a KMS key or alias .*',
        '  - encryptionKeyArn and keepAes256Encryption contradict each other: give one',
        '  - untaggedImageExpiryDays 0: countNumber 0 is not an integer of at least 1; .*',
        '  - the template has no ContainerAssetsRepository of type AWS::ECR::Repository: it is not the CDK bootstrap template .*',
        '  - the template has no BootstrapVersion output, .*$',
      ].join('\n')));
    expect(() => CdkBootstrapTemplate.hardenContainerAssets(null as any)).toThrow(/CdkBootstrapTemplate.hardenContainerAssets: 1 problem:\n {2}- template is null: expected an object/);
  });

  test('given a repository already on another customer managed key, when hardened with a different key, then it is refused: the key cannot change in place', () => {
    const template = withRepository((p) => {
      p.EncryptionConfiguration = { EncryptionType: 'KMS', KmsKey: KEY_ARN };
    });
    expect(hardenBootstrapTemplate(template).template!.Resources[KEY]).toBeUndefined();
    expect(hardenBootstrapTemplate(template, { encryptionKeyArn: KEY_ARN.replace('1234abcd', 'ffffffff') }).problems)
      .toEqual([expect.stringMatching(/already encrypts ContainerAssetsRepository with the key .* cannot change without replacing it/)]);
    expect(hardenBootstrapTemplate(template, { keepAes256Encryption: true }).problems).toEqual([expect.stringMatching(/keepAes256Encryption: the template already encrypts/)]);
  });

  test('given a description that ends a sentence or none at all, when hardened, then the note follows it as one more sentence', () => {
    const described = (description?: string) => {
      const template = cliBootstrapTemplate();
      if (description === undefined) delete template.Description; else template.Description = description;
      return CdkBootstrapTemplate.hardenContainerAssets(template).Description as string;
    };
    expect(described('Our bootstrap.')).toMatch(/^Our bootstrap\. Container assets repository brought in line by cdk-ecr-platform \(.*\)\.$/);
    expect(described('Our bootstrap')).toMatch(/^Our bootstrap\. Container assets repository/);
    expect(described()).toMatch(/^Container assets repository/);
    expect(described('x'.repeat(1000))).toBe('x'.repeat(1000));
  });

  test('given a template with another resource named like the key, when hardened, then it is refused rather than overwritten', () => {
    const template = cliBootstrapTemplate();
    template.Resources[KEY] = { Type: 'AWS::SNS::Topic' };
    expect(hardenBootstrapTemplate(template).problems).toEqual([expect.stringMatching(/already has a resource ContainerAssetsEncryptionKey/)]);
    expect(hardenBootstrapTemplate(original).problems).toEqual([]);
  });
});
