import * as path from 'path';
import { folderOf, readSourceTree } from './import-graph';

/*
 * Folders that say what they are: each public type is declared in the folder named after
 * the part of ECR it configures. What ECR keeps once per account and region (account
 * settings, pull-time update exclusions, and the provider of the settings CloudFormation
 * has no resource for) lives in registry/; repository creation templates, which configure
 * the repositories ECR creates with the same models as PrivateRepository, in repository/.
 */

const files = readSourceTree(path.join(__dirname, '..', '..', 'src'));

/** The file that declares an exported class, interface or enum of the given name. */
function declaringFile(name: string): string | undefined {
  const declaration = new RegExp(`^export (?:abstract )?(?:class|interface|enum) ${name}\\b`, 'm');
  const found = [...files].filter(([, text]) => declaration.test(text)).map(([file]) => file);
  if (found.length > 1) throw new Error(`${name} is declared in ${found.join(', ')}`);
  return found[0];
}

describe('where public types live', () => {
  test.each([
    ['EcrAccountSettings', 'registry'],
    ['EcrAccountSettingsProps', 'registry'],
    ['BasicScanTypeVersion', 'registry'],
    ['RegistryPolicyScope', 'registry'],
    ['BlobMounting', 'registry'],
    ['SettingsProviderPlacement', 'registry'],
    ['PullTimeUpdateExclusion', 'registry'],
    ['PullTimeUpdateExclusionProps', 'registry'],
    ['Registry', 'registry'],
    ['RepositoryCreationTemplate', 'repository'],
    ['RepositoryCreationTemplateProps', 'repository'],
    ['RepositoryCreationTemplateAppliedFor', 'repository'],
    ['InspectorScanning', 'scanning'],
    ['RegistrySigning', 'signing'],
    ['FindingSuppressionProps', 'scanning'],
    ['CdkBootstrapTemplate', 'bootstrap'],
    ['CdkBootstrapHardeningOptions', 'bootstrap'],
    ['EcrEvent', 'operations'],
    ['RouteTarget', 'operations'],
    ['RegistryEventRouting', 'operations'],
    ['CentralEventBus', 'operations'],
    ['RegistryUsageAlarms', 'operations'],
    ['AccessReport', 'access'],
    ['AccessDiff', 'access'],
  ])('%s is declared in %s/', (name, folder) => {
    const file = declaringFile(name);
    expect(file).toBeDefined();
    expect(folderOf(file!)).toBe(folder);
  });

  test('the handler of the settings without a CloudFormation resource is in registry/, with its provider', () => {
    expect(files.has('registry/account-settings.lambda.ts')).toBe(true);
    expect(files.has('registry/account-settings-function.ts')).toBe(true);
    expect([...files.keys()].filter((file) => file.endsWith('.lambda.ts'))).toEqual(['registry/account-settings.lambda.ts']);
    expect(files.get('registry/account-settings-provider.ts')).toMatch(/^export class SettingsProvider\b/m);
  });
});
