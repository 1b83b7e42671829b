import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { CatalogFormat, EcrComplianceChecks, RepositoryCatalog, RepositoryFleet } from '../../src';
import { main as cli } from '../../src/cli/main';
import { CONTROL_TOWER_PLUGIN, controlTowerChecks } from '../../test/util/control-tower';
import { printAnnotations, printFindings, step, synthesizeStep } from '../summary';

/**
 * The adoption example: a registry that already runs (the committed export of 60
 * repositories, `registry-export.json`: mutable and immutable tags, AES256 and several
 * existing KMS keys, lifecycle and repository policies, tags, replication, enhanced
 * scanning) taken over by a catalog fleet without replacing anything:
 *
 *   1. `cdk-ecr-platform catalog import` writes the catalog and placement file;
 *   2. the fleet is synthesized from them, with CloudFormation validation, the five
 *      cdk-nag packs and the AWS Control Tower proactive controls (as cfn-guard rules);
 *      the findings the live settings raise are acknowledged by the import, each with its
 *      reason: the mutable, unscanned repositories without a lifecycle policy this registry
 *      has fail CT.ECR.PR.1-3, and the import acknowledges those controls per entry (a
 *      governed account would refuse the deploy until the settings change;
 *      `catalog import --control-tower` writes compliant values instead);
 *   3. `cdk-ecr-platform adopt plan` compares the synthesized templates with the export:
 *      the first deploy must change nothing, and the plan lists the Control Tower controls
 *      each repository's template fails.
 *
 * Exit code 0 when every step passes and the plan has nothing to change.
 */
export function runAdoptionExample(work = fs.mkdtempSync(path.join(os.tmpdir(), 'adoption-example-'))): number {
  const exportFile = path.join(__dirname, 'registry-export.json');
  const catalogFile = path.join(work, 'repositories.yaml');
  const placementFile = path.join(work, 'fleet-placement.json');
  const outdir = path.join(work, 'cdk.out');

  const imported = step('Importing the export into a catalog (catalog import)', () =>
    cli(['catalog', 'import', '--from', exportFile, '--out', catalogFile, '--placement', placementFile]));
  if (imported !== 0) return 1;

  const app = step('Building the fleet from the imported catalog', () => {
    const exported = JSON.parse(fs.readFileSync(exportFile, 'utf8'));
    const catalog = RepositoryCatalog.fromText(fs.readFileSync(catalogFile, 'utf8'), CatalogFormat.YAML, catalogFile);
    const fleetApp = new App({ outdir });
    new RepositoryFleet(fleetApp, 'Fleet', {
      repositories: catalog.repositories,
      registry: catalog.registry,
      env: { account: exported.account, region: exported.region },
      placementFile,
      updatePlacementFile: false,
    });
    Validations.of(fleetApp).addPlugins(
      new EcrComplianceChecks(fleetApp),
      new AwsSolutionsChecks(fleetApp),
      new NIST80053R5Checks(fleetApp),
      new HIPAASecurityChecks(fleetApp),
      new PCIDSS321Checks(fleetApp),
      // every AWS Control Tower proactive control but those switched off in test/util/control-tower.ts
      controlTowerChecks(),
    );
    return fleetApp;
  });
  const failed = synthesizeStep(app, 'CloudFormation validation, five cdk-nag packs and the AWS Control Tower controls');
  const { errors } = printAnnotations(app);
  const findings = printFindings(outdir, ['CloudFormation Validate', 'EcrCompliance', 'AwsSolutions', 'NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321', CONTROL_TOWER_PLUGIN]);

  const planned = step('Planning the first deploy against the export (adopt plan)', () =>
    cli(['adopt', 'plan', '--assembly', outdir, '--live', exportFile]));
  return failed || findings > 0 || errors > 0 || planned !== 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = runAdoptionExample();
