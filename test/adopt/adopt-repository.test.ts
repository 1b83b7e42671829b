import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AccountPrincipal } from 'aws-cdk-lib/aws-iam';
import { exportedRepository, KEY_ARN, registryExport } from './exports';
import { RegistryExport } from '../../src';
import { repositoryProperties } from '../../src/adopt/mapping';
import { planAdoption } from '../../src/adopt/plan';
import { strictStack, synthesize } from '../util/harness';

const REPOSITORIES = [
  exportedRepository('team-a/api'),
  exportedRepository('team-a/cache', {
    imageTagMutability: 'MUTABLE_WITH_EXCLUSION',
    imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'release-*' }],
    imageScanningConfiguration: { scanOnPush: false },
    encryptionConfiguration: { encryptionType: 'AES256' },
    lifecyclePolicyText: undefined,
    repositoryPolicyText: undefined,
    tags: [],
  }),
  // Exclusion filters are a set: rendered in one order, whatever the export's.
  exportedRepository('team-a/web', {
    imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
    imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'z-*' }, { filterType: 'WILDCARD', filter: 'a-*' }],
  }),
];
const LIVE = registryExport(REPOSITORIES, { scanningConfiguration: { scanType: 'BASIC', rules: [] } });
const EXPORT = RegistryExport.fromJson(JSON.stringify(LIVE));

describe('RegistryExport.adoptRepository', () => {
  test.each(REPOSITORIES.map((r) => [r.repositoryName, r]))('given %s, then its synthesized properties are exactly repositoryProperties of the export, retained, and the plan says no change', (name, exported) => {
    const stack = strictStack();
    EXPORT.adoptRepository(stack, 'Repo', name as string);
    const template = Template.fromStack(stack);
    const resources = template.findResources('AWS::ECR::Repository');
    expect(Object.values(resources)).toEqual([expect.objectContaining({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' })]);
    expect(Object.values(resources)[0].Properties).toEqual(repositoryProperties(exported as any));
    // The existing key, never a new one.
    template.resourceCountIs('AWS::KMS::Key', 0);
    const plan = planAdoption([{ stack: stack.stackName, template: template.toJSON() }], LIVE);
    expect(plan.repositories.find((p) => p.id === name)!.verdict).toBe('no change');
  });

  test('given the adopted repository, then its import mapping names it by RepositoryName, and the registry has nothing of the stack to import', () => {
    const stack = strictStack();
    const repo = EXPORT.adoptRepository(stack, 'Repo', 'team-a/api');
    expect(JSON.parse(EXPORT.importResourceMapping(stack))).toEqual({ [stack.getLogicalId(repo.cfnRepository)]: { RepositoryName: 'team-a/api' } });
  });

  test('given the adoption of a repository that runs as the library would render it, then the synthesis passes CloudFormation validation, the nag packs and Control Tower', () => {
    const stack = strictStack();
    EXPORT.adoptRepository(stack, 'Repo', 'team-a/api');
    const result = synthesize(stack.node.root as App, { nag: true });
    expect(result.cfnFindings).toEqual([]);
    expect(result.nagFindings).toEqual([]);
    expect(result.controlTowerFindings).toEqual([]);
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', { EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: KEY_ARN } });
  });

  test('given a live policy open to everyone, then it is adopted as it runs, with a warning that says so', () => {
    const open = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'open', Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' }] });
    const exp = RegistryExport.fromJson(JSON.stringify(registryExport([exportedRepository('open', { repositoryPolicyText: open })])));
    const stack = strictStack();
    exp.adoptRepository(stack, 'Repo', 'open');
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', { RepositoryPolicyText: JSON.parse(open) });
    Annotations.fromStack(stack).hasWarning('/Stack/Repo', Match.stringLikeRegexp("adopts the live repository policy of 'open' as it runs, which is open: policy statement 'open' allows the '\\*' principal"));
  });

  test('given a live tag with an empty value, which CloudFormation does not take, then it is left out with a warning, and the plan lists its removal', () => {
    const exported = exportedRepository('tagged', { tags: [{ Key: 'empty', Value: '' }, { Key: 'team', Value: 'a' }] });
    const stack = strictStack();
    RegistryExport.fromJson(JSON.stringify(registryExport([exported]))).adoptRepository(stack, 'Repo', 'tagged');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ECR::Repository', { Tags: [{ Key: 'team', Value: 'a' }] });
    Annotations.fromStack(stack).hasWarning('/Stack/Repo', Match.stringLikeRegexp("the live tags 'empty' of 'tagged' have an empty value, which CloudFormation does not take"));
    const plan = planAdoption([{ stack: 'S', template: template.toJSON() }], registryExport([exported]));
    expect(plan.repositories[0].changes).toEqual([expect.objectContaining({ property: 'Tags', verdict: 'in-place update' })]);
  });

  test('given statements added after the adoption, then synthesis refuses to replace the live policy', () => {
    const stack = strictStack();
    const repo = EXPORT.adoptRepository(stack, 'Repo', 'team-a/api');
    repo.grantPull(new AccountPrincipal('333333333333'));
    expect(() => Template.fromStack(stack)).toThrow(/adopted the live repository policy of 'team-a\/api', and statements added since \(allow\(\), grants\) would replace it/);
  });

  test('given a name the export does not have, then an error that names the construct and suggests the closest', () => {
    expect(() => EXPORT.adoptRepository(strictStack(), 'Repo', 'team-a/apj')).toThrow("RegistryExport.adoptRepository 'Stack/Repo': the export of 111111111111 eu-west-1 has no repository 'team-a/apj': did you mean 'team-a/api'?");
  });

  test('given text that is not an export, then every problem at once', () => {
    const envelope = '"format":"cdk-ecr-platform/registry-export","version":1';
    expect(() => RegistryExport.fromJson(`{${envelope},"account":"1","region":"","repositories":{},"registry":null}`)).toThrow(/[4-9] problems/);
    expect(() => RegistryExport.fromJson('[')).toThrow(/not valid JSON/);
  });
});

describe('RegistryExport.planAssembly and planTemplates', () => {
  test('given an app synthesized into a cloud assembly, then the plan of its stacks against the export, as adopt plan prints it', () => {
    const stack = strictStack();
    EXPORT.adoptRepository(stack, 'Repo', 'team-a/api');
    const assembly = stack.node.root as App;
    const dir = assembly.synth().directory;
    const report = EXPORT.planAssembly(dir);
    expect(report.problems).toEqual([]);
    expect(report.text).toContain('  repositories (3): 1 no change, 0 in-place update, 0 replacement (refused), 0 undecided, 0 created, 2 not managed');
    expect(JSON.parse(report.json).summary['no change']).toBe(1);
    expect(() => EXPORT.planAssembly('/nowhere')).toThrow(/\/nowhere is not a cloud assembly/);
  });

  test('given templates with a refused replacement, then its problem', () => {
    const report = EXPORT.planTemplates({ S: { Resources: { R: { Type: 'AWS::ECR::Repository', Properties: { RepositoryName: 'team-a/api' } } } } });
    expect(report.problems).toEqual([expect.stringMatching(/^repository 'team-a\/api' \(S\/R\): EncryptionConfiguration would replace it, refused/)]);
  });
});
