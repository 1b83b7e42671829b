import { Template } from 'aws-cdk-lib/assertions';
import { CatalogFormat, RepositoryCatalog } from '../../src/fleet/catalog';
import { RepositoryFleet } from '../../src/fleet/fleet';
import { FleetRepositoryProps } from '../../src/fleet/model';
import { ImageEncryption } from '../../src/repository/encryption';
import { CT } from '../util/control-tower';
import { describeFindings, ENV, strictApp, synthesize } from '../util/harness';

/*
 * Catalog keys for what the catalog refused before: dual-layer KMS encryption
 * (KMS_DSSE) and ECR's AWS managed key (kmsKey: aws/ecr), and the
 * acknowledgement of AWS Control Tower's controls on repositories (CT.ECR.PR.1-3).
 */

const GOV = { account: '111111111111', region: 'us-gov-west-1' };
const GOV_KEY = 'arn:aws-us-gov:kms:us-gov-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function repositoriesOf(catalog: string): FleetRepositoryProps[] {
  return RepositoryCatalog.fromText(catalog, CatalogFormat.YAML, 'c.yaml').repositories;
}

/** The catalog's fleet in an environment, synthesized with every pack and the Control Tower rules; its repositories' properties by name. */
function synthesized(catalog: string, env = ENV): { template: Template; repositories: Record<string, any> } {
  const app = strictApp();
  const fleet = new RepositoryFleet(app, 'Fleet', { repositories: repositoriesOf(catalog), env });
  const result = synthesize(app, { nag: true });
  expect(describeFindings(result.nagFindings)).toBe('');
  expect(describeFindings(result.controlTowerFindings)).toBe('');
  const template = Template.fromStack(fleet.stacks[0]);
  const repositories = Object.fromEntries(Object.values(template.findResources('AWS::ECR::Repository')).map((r: any) => [r.Properties.RepositoryName, r.Properties]));
  return { template, repositories };
}

const AWS_MANAGED_ACK = 'acknowledge: [{ id: EcrCompliance-CustomerManagedKey, reason: "kept as it runs" }]';

describe('catalog encryption: KMS_DSSE and the AWS managed key', () => {
  test('given encryption KMS with kmsKey aws/ecr, when synthesized with every pack and Control Tower, then EncryptionType is KMS with no KmsKey and no key is created', () => {
    const { template, repositories } = synthesized(`repositories:\n  - name: team/api\n    encryption: KMS\n    kmsKey: aws/ecr\n    ${AWS_MANAGED_ACK}\n`);
    expect(repositories['team/api'].EncryptionConfiguration).toEqual({ EncryptionType: 'KMS' });
    template.resourceCountIs('AWS::KMS::Key', 0);
  });

  test('given encryption KMS_DSSE with an existing key in us-gov-west-1, when synthesized, then EncryptionType is KMS_DSSE with exactly that KmsKey and no key is created', () => {
    const { template, repositories } = synthesized(`repositories:\n  - name: team/api\n    encryption: KMS_DSSE\n    kmsKey: ${GOV_KEY}\n`, GOV);
    expect(repositories['team/api'].EncryptionConfiguration).toEqual({ EncryptionType: 'KMS_DSSE', KmsKey: GOV_KEY });
    template.resourceCountIs('AWS::KMS::Key', 0);
  });

  test('given encryption KMS_DSSE with kmsKey aws/ecr in us-gov-west-1, when synthesized, then EncryptionType is KMS_DSSE with no KmsKey and no key is created', () => {
    const { template, repositories } = synthesized(`repositories:\n  - name: team/api\n    encryption: KMS_DSSE\n    kmsKey: aws/ecr\n    ${AWS_MANAGED_ACK}\n`, GOV);
    expect(repositories['team/api'].EncryptionConfiguration).toEqual({ EncryptionType: 'KMS_DSSE' });
    template.resourceCountIs('AWS::KMS::Key', 0);
  });

  test('given the model the catalog reads, then the AWS managed key is ImageEncryption.KMS_AWS_MANAGED or KMS_DSSE_AWS_MANAGED, and a KMS_DSSE key ARN is kmsKeyArn with dualLayerEncryption', () => {
    const [managed, dsseManaged, dsse] = repositoriesOf(`repositories:\n  - name: team/a\n    encryption: KMS\n    kmsKey: aws/ecr\n  - name: team/b\n    encryption: KMS_DSSE\n    kmsKey: aws/ecr\n    region: us-gov-east-1\n  - name: team/c\n    encryption: KMS_DSSE\n    kmsKey: ${GOV_KEY}\n`);
    expect(managed.encryption).toBe(ImageEncryption.KMS_AWS_MANAGED);
    expect(managed.kmsKeyArn).toBeUndefined();
    expect(dsseManaged.encryption).toBe(ImageEncryption.KMS_DSSE_AWS_MANAGED);
    expect(dsse).toMatchObject({ kmsKeyArn: GOV_KEY, dualLayerEncryption: true });
    expect(dsse.encryption).toBeUndefined();
  });

  test.each<[string, string, RegExp[]]>([
    ['KMS_DSSE without kmsKey', '    encryption: KMS_DSSE', [/^c\.yaml:3:17: repositories\[0\] 'team\/api': encryption KMS_DSSE names its key: add kmsKey, an existing key's ARN or aws\/ecr/]],
    ['KMS_DSSE with a key of eu-west-1', `    encryption: KMS_DSSE\n    kmsKey: ${KEY}`,
      [/^c\.yaml:3:17: .*encryption KMS_DSSE: ECR offers dual-layer KMS encryption only in the AWS GovCloud \(US\) Regions \(us-gov-west-1, us-gov-east-1\), not in 'eu-west-1'/]],
    ['KMS_DSSE with the AWS managed key in an entry of eu-west-1', '    region: eu-west-1\n    encryption: KMS_DSSE\n    kmsKey: aws/ecr', [/^c\.yaml:4:17: .*only in the AWS GovCloud \(US\) Regions .*not in 'eu-west-1'/]],
    ['aws/ecr with AES256', '    encryption: AES256\n    kmsKey: aws/ecr', [/^c\.yaml:4:13: .*kmsKey names the key of KMS encryption: give it with encryption: KMS, or KMS_DSSE for dual-layer encryption/]],
    ['the alias name of the AWS managed key', '    encryption: KMS\n    kmsKey: alias/aws/ecr', [/^c\.yaml:4:13: .*kmsKey: 'alias\/aws\/ecr' is not a KMS key ARN.*, or aws\/ecr for ECR's AWS managed key/]],
    ['an encryption type ECR does not have', '    encryption: KMS_TRIPLE', [/^c\.yaml:3:17: .*encryption/]],
  ])('given %s, when validated, then the catalog names the entry, the value and the rule', (_what, lines, expected) => {
    expect(RepositoryCatalog.validate(`repositories:\n  - name: team/api\n${lines}\n`, CatalogFormat.YAML, 'c.yaml')).toEqual(expected.map((e) => expect.stringMatching(e)));
  });

  test('given KMS_DSSE with the AWS managed key in a fleet of eu-west-1, when built, then the repository refuses the region', () => {
    const repositories = repositoriesOf('repositories:\n  - name: team/api\n    encryption: KMS_DSSE\n    kmsKey: aws/ecr\n');
    expect(() => new RepositoryFleet(strictApp(), 'Fleet', { repositories, env: ENV })).toThrow(/ECR offers dual-layer KMS encryption only in the AWS GovCloud \(US\) Regions \(us-gov-west-1, us-gov-east-1\), not in 'eu-west-1'/);
  });

  test('given dualLayerEncryption without kmsKeyArn in code, when the fleet is built, then it says what dualLayerEncryption needs', () => {
    expect(() => new RepositoryFleet(strictApp(), 'Fleet', { repositories: [{ repositoryName: 'team/api', dualLayerEncryption: true }], env: GOV }))
      .toThrow(/repositories\[0\] 'team\/api': dualLayerEncryption says how kmsKeyArn's key encrypts: give kmsKeyArn/);
  });
});

/** An entry whose live settings fail all three Control Tower controls on repositories, with the pack's own rules for them acknowledged. */
const NON_COMPLIANT = [
  '  - name: team/api',
  '    encryption: KMS',
  `    kmsKey: ${KEY}`,
  '    tagMutability: MUTABLE',
  '    scanOnPush: false',
  '    lifecycle: none',
  '    acknowledge:',
  '      - { id: EcrCompliance-TagImmutability, reason: "kept as it runs" }',
  '      - { id: EcrCompliance-RepositoryScanning, reason: "kept as it runs" }',
  '      - { id: EcrCompliance-LifecyclePolicy, reason: "kept as it runs" }',
].join('\n');

describe('catalog acknowledgements of AWS Control Tower controls', () => {
  test('given an entry that fails CT.ECR.PR.1-3 and acknowledges the three controls, when synthesized with every pack and the Control Tower rules, then nothing is reported', () => {
    const ct = ['CT.ECR.PR.1', 'CT.ECR.PR.2', 'CT.ECR.PR.3'].map((id) => `      - { id: ${id}, reason: "this account does not enforce ${id}" }`).join('\n');
    const { repositories } = synthesized(`repositories:\n${NON_COMPLIANT}\n${ct}\n`);
    expect(repositories['team/api']).toMatchObject({ ImageTagMutability: 'MUTABLE', ImageScanningConfiguration: { ScanOnPush: false } });
    expect(repositories['team/api'].LifecyclePolicy).toBeUndefined();
  });

  test('given the same entry without them, when synthesized, then synthesis fails on the three cfn-guard rules', () => {
    const app = strictApp();
    new RepositoryFleet(app, 'Fleet', { repositories: repositoriesOf(`repositories:\n${NON_COMPLIANT}\n`), env: ENV });
    let message = '';
    try {
      synthesize(app, { nag: true });
    } catch (error) {
      message = String(error);
    }
    for (const rule of [CT.ECR_LIFECYCLE, CT.ECR_SCAN_ON_PUSH, CT.ECR_TAG_IMMUTABILITY]) expect(message).toContain(rule);
  });

  test('given only CT.ECR.PR.3 acknowledged, when synthesized, then the other two controls are still reported', () => {
    const app = strictApp();
    const catalog = `repositories:\n${NON_COMPLIANT}\n      - { id: CT.ECR.PR.3, reason: "mutable tags accepted here" }\n`;
    new RepositoryFleet(app, 'Fleet', { repositories: repositoriesOf(catalog), env: ENV });
    let message = '';
    try {
      synthesize(app, { nag: true });
    } catch (error) {
      message = String(error);
    }
    expect(message).toContain(CT.ECR_LIFECYCLE);
    expect(message).toContain(CT.ECR_SCAN_ON_PUSH);
    expect(message).not.toContain(CT.ECR_TAG_IMMUTABILITY);
  });

  test('given the acknowledgement in defaults, when read, then every entry without its own acknowledge list has it', () => {
    const [a, b] = repositoriesOf('defaults:\n  acknowledge: [{ id: CT.ECR.PR.2, reason: "scanning is registry-wide here" }]\nrepositories:\n  - name: team/a\n  - name: team/b\n    acknowledge: [{ id: CT.ECR.PR.3, reason: "r" }]\n');
    expect(a.acknowledgements).toEqual([{ id: 'CT.ECR.PR.2', reason: 'scanning is registry-wide here' }]);
    expect(b.acknowledgements).toEqual([{ id: 'CT.ECR.PR.3', reason: 'r' }]);
  });

  test.each<[string, string, RegExp]>([
    ['a control of another service', '{ id: CT.KMS.PR.1, reason: "r" }', /acknowledge\[0\]\.id: 'CT\.KMS\.PR\.1' is no rule .* nor an AWS Control Tower control on repositories \(CT\.ECR\.PR\.1, CT\.ECR\.PR\.2, CT\.ECR\.PR\.3\)/],
    ['a misspelt control', '{ id: CT.ECR.PR.4, reason: "r" }', /'CT\.ECR\.PR\.4' is no rule .*did you mean 'CT\.ECR\.PR\.[123]'/],
    ['a control without a reason', '{ id: CT.ECR.PR.1, reason: " " }', /acknowledge\[0\]\.reason: the acknowledgement of CT\.ECR\.PR\.1 needs a reason/],
  ])('given %s, when validated, then it is refused', (_what, ack, expected) => {
    expect(RepositoryCatalog.validate(`repositories:\n  - name: team/api\n    acknowledge: [${ack}]\n`, CatalogFormat.YAML, 'c.yaml')).toEqual([expect.stringMatching(expected)]);
  });
});
