import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { CatalogFormat, EcrComplianceChecks, RepositoryCatalog, RepositoryFleet } from '../../src';
import { main as cli } from '../../src/cli/main';
import { printAnnotations, printFindings, step, synthesizeStep } from '../summary';

/**
 * The adoption example: a registry that already runs (the committed export of 60
 * repositories, `registry-export.json`: mutable and immutable tags, AES256 and several
 * existing KMS keys, lifecycle and repository policies, tags, replication, enhanced
 * scanning) taken over by a catalog fleet without replacing anything:
 *
 *   1. `cdk-ecr-platform catalog import` writes the catalog and placement file;
 *   2. the fleet is synthesized from them, with CloudFormation validation and the five
 *      cdk-nag packs (the findings the live settings raise are acknowledged by the
 *      import, each with its reason);
 *   3. `cdk-ecr-platform adopt plan` compares the synthesized templates with the export:
 *      the first deploy must change nothing.
 *
 * The AWS Control Tower proactive controls are not run here: they refuse the mutable
 * and unscanned repositories this registry has (CT.ECR.PR.2, CT.ECR.PR.3), which is what
 * a governed account would do at deploy; bring such repositories in line after the
 * import, as docs/adoption.md says.
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
    );
    return fleetApp;
  });
  const failed = synthesizeStep(app, 'CloudFormation validation and five cdk-nag packs');
  const { errors } = printAnnotations(app);
  const findings = printFindings(outdir, ['CloudFormation Validate', 'EcrCompliance', 'AwsSolutions', 'NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']);

  const planned = step('Planning the first deploy against the export (adopt plan)', () =>
    cli(['adopt', 'plan', '--assembly', outdir, '--live', exportFile]));
  return failed || findings > 0 || errors > 0 || planned !== 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = runAdoptionExample();
