import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { exportedRepository, registryExport } from './exports';
import { RegistryExport } from '../../src';
import { ExportedRepository, RegistryExportFile } from '../../src/adopt/export-model';
import { repositoryProperties } from '../../src/adopt/mapping';
import { AdoptionPlanResult, planAdoption } from '../../src/adopt/plan';
import { renderPlanText } from '../../src/adopt/plan-text';
import { assemblyTemplates } from '../../src/adopt/templates';
import { CatalogFormat, RepositoryCatalog } from '../../src/fleet/catalog';
import { importCatalog } from '../../src/fleet/catalog-import';
import { RepositoryFleet } from '../../src/fleet/fleet';
import { describeFindings, strictApp, strictStack, synthesize } from '../util/harness';

/*
 * Adoption of repositories the catalog refused before (KMS_DSSE, ECR's AWS
 * managed key) and of repositories that fail AWS Control Tower's controls:
 * export -> catalog import -> catalog -> fleet, synthesized with every pack and
 * the Control Tower rules -> adoption plan against the same export.
 */

const GOV_ACCOUNT = '111111111111';
const GOV_REGION = 'us-gov-west-1';
const GOV_KEY = `arn:aws-us-gov:kms:${GOV_REGION}:${GOV_ACCOUNT}:key/0b5d3c1e-1111-2222-3333-444455556666`;

/** A repository of the GovCloud (US-West) registry. */
function govRepository(name: string, overrides: Partial<ExportedRepository> = {}): ExportedRepository {
  return exportedRepository(name, {
    repositoryArn: `arn:aws-us-gov:ecr:${GOV_REGION}:${GOV_ACCOUNT}:repository/${name}`,
    repositoryUri: `${GOV_ACCOUNT}.dkr.ecr.${GOV_REGION}.amazonaws.com/${name}`,
    encryptionConfiguration: { encryptionType: 'KMS', kmsKey: GOV_KEY },
    ...overrides,
  });
}

function govExport(repositories: ExportedRepository[]): RegistryExportFile {
  return { ...registryExport(repositories), region: GOV_REGION };
}

/** The catalog's fleet in the export's environment, synthesized with every pack and the Control Tower rules (both must be clean), planned against the export. */
function adopt(catalogText: string, live: RegistryExportFile): { plan: AdoptionPlanResult; repositories: Record<string, any>; keys: number } {
  const app = strictApp();
  const fleet = new RepositoryFleet(app, 'Fleet', {
    repositories: RepositoryCatalog.fromText(catalogText, CatalogFormat.YAML, 'repositories.yaml').repositories,
    env: { account: live.account, region: live.region },
  });
  const result = synthesize(app, { nag: true });
  expect(describeFindings(result.nagFindings)).toBe('');
  expect(describeFindings(result.controlTowerFindings)).toBe('');
  const templates = assemblyTemplates(result.assembly.directory);
  const template = Template.fromJSON(JSON.parse(fs.readFileSync(path.join(result.assembly.directory, fleet.stacks[0].templateFile), 'utf8')));
  const repositories = Object.fromEntries(Object.values(template.findResources('AWS::ECR::Repository')).map((r: any) => [r.Properties.RepositoryName, r.Properties]));
  return { plan: planAdoption(templates, live), repositories, keys: Object.keys(template.findResources('AWS::KMS::Key')).length };
}

function imported(live: RegistryExportFile, controlTower = false): string {
  const result = importCatalog(live, { source: 'export.json', controlTower });
  expect(result.problems).toEqual([]);
  return result.catalogText!;
}

describe('adopting KMS_DSSE and the AWS managed key', () => {
  const LIVE = govExport([
    govRepository('team/dsse-key', { encryptionConfiguration: { encryptionType: 'KMS_DSSE', kmsKey: GOV_KEY } }),
    govRepository('team/dsse-managed', { encryptionConfiguration: { encryptionType: 'KMS_DSSE' } }),
    govRepository('team/kms-managed', { encryptionConfiguration: { encryptionType: 'KMS' } }),
    govRepository('team/kms-key'),
  ]);

  test('given an export of GovCloud repositories with each, when imported, synthesized with every check and planned, then each template has exactly the live encryption and the first deploy changes nothing', () => {
    const catalog = imported(LIVE);
    expect(catalog).toContain(`    encryption: "KMS_DSSE"\n    kmsKey: "${GOV_KEY}"`);
    expect(catalog).toContain('    encryption: "KMS_DSSE"\n    kmsKey: "aws/ecr"');
    expect(catalog).toContain('    encryption: "KMS"\n    kmsKey: "aws/ecr"');
    const { plan, repositories, keys } = adopt(catalog, LIVE);
    expect(repositories['team/dsse-key'].EncryptionConfiguration).toEqual({ EncryptionType: 'KMS_DSSE', KmsKey: GOV_KEY });
    expect(repositories['team/dsse-managed'].EncryptionConfiguration).toEqual({ EncryptionType: 'KMS_DSSE' });
    expect(repositories['team/kms-managed'].EncryptionConfiguration).toEqual({ EncryptionType: 'KMS' });
    expect(repositories['team/kms-key'].EncryptionConfiguration).toEqual({ EncryptionType: 'KMS', KmsKey: GOV_KEY });
    expect(keys).toBe(0);
    expect(plan.repositories.map((p) => [p.id, p.verdict])).toEqual(LIVE.repositories.map((r) => [r.repositoryName, 'no change']).sort());
    expect(plan.problems).toEqual([]);
  });

  test('given an export with KMS_DSSE and a catalog that says KMS with the same key, when planned, then the replacement is refused and says why', () => {
    const live = govExport([govRepository('team/dsse-key', { encryptionConfiguration: { encryptionType: 'KMS_DSSE', kmsKey: GOV_KEY } })]);
    const catalog = imported(live).replace('encryption: "KMS_DSSE"', 'encryption: "KMS"');
    const { plan } = adopt(catalog, live);
    expect(plan.repositories[0]).toMatchObject({ id: 'team/dsse-key', verdict: 'replacement' });
    expect(plan.problems).toEqual([expect.stringMatching(/repository 'team\/dsse-key' .*EncryptionConfiguration would replace it, refused: ECR cannot change a repository's encryption in place/)]);
  });

  test('given the AWS managed key in the template and a key ARN in the export (or the other way round), when planned, then undecided, saying the plan cannot tell whether the ARN is the AWS managed key', () => {
    const live = govExport([govRepository('team/kms-key')]);
    // The entry is the catalog's last, and has no acknowledgement of its own: the AWS managed key is no customer managed key.
    const managed = `${imported(live).replace(`kmsKey: "${GOV_KEY}"`, 'kmsKey: "aws/ecr"')}    acknowledge: [{ id: EcrCompliance-CustomerManagedKey, reason: r }]\n`;
    const one = adopt(managed, live).plan;
    expect(one.repositories[0].verdict).toBe('undecided');
    expect(one.problems).toEqual([expect.stringMatching(/EncryptionConfiguration is undecided: the repository's key is arn:aws-us-gov:kms:.* and the template leaves KmsKey out .*the same only if .* is the key of alias aws\/ecr/)]);

    const liveManaged = govExport([govRepository('team/kms-key', { encryptionConfiguration: { encryptionType: 'KMS' } })]);
    const other = adopt(imported(live), liveManaged).plan;
    expect(other.repositories[0].verdict).toBe('undecided');
    expect(other.problems).toEqual([expect.stringMatching(/the repository uses ECR's AWS managed key \(the export names no key\) and the template names arn:aws-us-gov:kms:/)]);
  });

  test('given KMS_DSSE in an export of eu-west-1, when imported, then it is refused: ECR has no such repository there', () => {
    const live = registryExport([exportedRepository('team/api', { encryptionConfiguration: { encryptionType: 'KMS_DSSE' } })]);
    expect(importCatalog(live, { source: 'export.json' }).problems).toEqual([
      "export.json: repository 'team/api': encryption KMS_DSSE in eu-west-1: ECR offers dual-layer KMS encryption only in the AWS GovCloud (US) Regions (us-gov-west-1, us-gov-east-1), not in 'eu-west-1', so no repository there has it",
    ]);
  });

  test('given RegistryExport.adoptRepository of KMS_DSSE and KMS without a key, then the template has the type alone and no key is created', () => {
    const exported = RegistryExport.fromJson(JSON.stringify(LIVE));
    for (const name of ['team/dsse-managed', 'team/kms-managed']) {
      const stack = strictStack({ env: { account: GOV_ACCOUNT, region: GOV_REGION } });
      exported.adoptRepository(stack, 'Repo', name);
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::KMS::Key', 0);
      const properties = Object.values<any>(template.findResources('AWS::ECR::Repository'))[0].Properties;
      expect(properties).toEqual(repositoryProperties(LIVE.repositories.find((r) => r.repositoryName === name)!));
      expect(planAdoption([{ stack: stack.stackName, template: template.toJSON() }], LIVE).repositories.find((p) => p.id === name)!.verdict).toBe('no change');
    }
  });
});

describe('adopting repositories that fail AWS Control Tower\'s controls', () => {
  const LIVE = registryExport([
    exportedRepository('team/mutable', {
      imageTagMutability: 'MUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'release-*' }],
      imageScanningConfiguration: { scanOnPush: false },
      lifecyclePolicyText: undefined,
    }),
    exportedRepository('team/compliant'),
  ]);

  test('given the import without --control-tower, then each failing control is acknowledged with the reason a governed account refuses, the checks pass, the plan changes nothing and lists the controls per repository', () => {
    const result = importCatalog(LIVE, { source: 'export.json' });
    expect(result.controlTower).toEqual([{
      repositoryName: 'team/mutable',
      changed: false,
      controls: [
        { control: 'CT.ECR.PR.3', live: 'tags MUTABLE_WITH_EXCLUSION' },
        { control: 'CT.ECR.PR.2', live: 'scan on push off' },
        { control: 'CT.ECR.PR.1', live: 'no lifecycle policy' },
      ],
    }]);
    expect(result.catalogText).toMatch(/\{"id":"CT\.ECR\.PR\.3","reason":"Kept as it runs in 111111111111\/eu-west-1 \(catalog import\): tags MUTABLE_WITH_EXCLUSION\. AWS Control Tower's CT\.ECR\.PR\.3 requires tag mutability IMMUTABLE exactly \(no exclusions\): in an account that enforces it, CloudFormation refuses a deploy that creates or updates this repository until the setting changes\./);
    const { plan } = adopt(result.catalogText!, LIVE);
    expect(plan.repositories.map((p) => [p.id, p.verdict, p.controlTower])).toEqual([
      ['team/compliant', 'no change', undefined],
      ['team/mutable', 'no change', ['CT.ECR.PR.1', 'CT.ECR.PR.2', 'CT.ECR.PR.3']],
    ]);
    const text = renderPlanText(plan, 'cdk.out');
    expect(text).toContain('AWS Control Tower: 1 of 2 repositories fail controls on repositories in the templates');
    expect(text).toContain('  CT.ECR.PR.3: 1 repositories: team/mutable');
  });

  test('given the import with --control-tower, then the catalog writes compliant values and no Control Tower acknowledgement, the checks pass, and the plan lists in-place updates with what each does', () => {
    const result = importCatalog(LIVE, { source: 'export.json', controlTower: true });
    expect(result.controlTower).toEqual([{
      repositoryName: 'team/mutable',
      changed: true,
      controls: [
        { control: 'CT.ECR.PR.3', live: 'tags MUTABLE_WITH_EXCLUSION', compliant: 'tags IMMUTABLE' },
        { control: 'CT.ECR.PR.2', live: 'scan on push off', compliant: 'scan on push on' },
        { control: 'CT.ECR.PR.1', live: 'no lifecycle policy', compliant: 'the lifecycle policy recommended' },
      ],
    }]);
    expect(result.catalogText).not.toContain('CT.ECR.PR');
    expect(result.catalogText).toContain('except those AWS Control Tower\'s controls refuse (--control-tower): the first deploy changes those in place');
    const { plan, repositories } = adopt(result.catalogText!, LIVE);
    expect(repositories['team/mutable']).toMatchObject({ ImageTagMutability: 'IMMUTABLE', ImageScanningConfiguration: { ScanOnPush: true }, LifecyclePolicy: { LifecyclePolicyText: expect.any(String) } });
    const mutable = plan.repositories.find((p) => p.id === 'team/mutable')!;
    expect(mutable.verdict).toBe('in-place update');
    expect(mutable.controlTower).toBeUndefined();
    expect(Object.fromEntries(mutable.changes.map((c) => [c.property, c.reason]))).toEqual({
      ImageTagMutability: expect.stringMatching(/a push of a tag that already exists in the repository fails/),
      ImageTagMutabilityExclusionFilters: undefined,
      ImageScanningConfiguration: expect.stringMatching(/scanned on push/),
      LifecyclePolicy: expect.stringMatching(/expires the images its rules select .*deleted/),
    });
    expect(plan.problems).toEqual([]);
  });
});
