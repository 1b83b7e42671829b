import { ACCOUNT, exportedRepository, KEY_ARN, LIFECYCLE_TEXT, POLICY_TEXT, registryExport, REGION } from './exports';
import { repositoryProperties } from '../../src/adopt/mapping';
import { planAdoption, PlannedTemplate } from '../../src/adopt/plan';

/** One stack with one repository of these properties. */
function stackWith(properties: Record<string, unknown>, extra: Record<string, unknown> = {}): PlannedTemplate[] {
  return [{ stack: 'Repos', template: { Resources: { Repo: { Type: 'AWS::ECR::Repository', Properties: properties }, ...extra } } }];
}

const LIVE = registryExport([exportedRepository('team-a/api')]);
const EXACT = repositoryProperties(LIVE.repositories[0]);

function planOf(properties: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return planAdoption(stackWith(properties, extra), LIVE);
}

describe('the adoption plan of one repository', () => {
  test('given the exact live properties, then no change and no problem', () => {
    const plan = planOf(EXACT);
    expect(plan.repositories).toEqual([expect.objectContaining({ id: 'team-a/api', verdict: 'no change', changes: [], stack: 'Repos', logicalId: 'Repo' })]);
    expect(plan.problems).toEqual([]);
  });

  test('given policy texts with keys in another order, a lifecycle policy as other JSON whitespace and tags in another order, then no change', () => {
    const plan = planOf({
      ...EXACT,
      LifecyclePolicy: { LifecyclePolicyText: JSON.stringify(JSON.parse(LIFECYCLE_TEXT), null, 2) },
      RepositoryPolicyText: { Statement: JSON.parse(POLICY_TEXT).Statement, Version: '2012-10-17' },
      Tags: [{ Value: '42', Key: 'cost-center' }, { Key: 'team', Value: 'a' }].reverse(),
    });
    expect(plan.repositories[0].verdict).toBe('no change');
  });

  test.each([
    ['ImageTagMutability', { ImageTagMutability: 'MUTABLE' }],
    ['ImageScanningConfiguration', { ImageScanningConfiguration: { ScanOnPush: false } }],
    ['LifecyclePolicy', { LifecyclePolicy: { LifecyclePolicyText: LIFECYCLE_TEXT.replace('"countNumber":7', '"countNumber":8') } }],
    ['RepositoryPolicyText', { RepositoryPolicyText: { ...JSON.parse(POLICY_TEXT), Statement: [{ ...JSON.parse(POLICY_TEXT).Statement[0], Action: 'ecr:BatchGetImage' }] } }],
    ['Tags', { Tags: [{ Key: 'team', Value: 'b' }, { Key: 'cost-center', Value: '42' }] }],
    ['ImageTagMutabilityExclusionFilters', { ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', ImageTagMutabilityExclusionFilters: [{ ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'latest' }] }],
  ])('given a different %s, then an in-place update of that property, and no problem', (property, edit) => {
    const plan = planOf({ ...EXACT, ...edit });
    expect(plan.repositories[0].verdict).toBe('in-place update');
    expect(plan.repositories[0].changes.map((c) => c.property)).toContain(property);
    expect(plan.repositories[0].changes.every((c) => c.verdict === 'in-place update')).toBe(true);
    expect(plan.problems).toEqual([]);
  });

  test('given a lifecycle policy the template leaves out, then an in-place update that removes it', () => {
    const { LifecyclePolicy: _, ...without } = EXACT;
    const plan = planOf(without);
    expect(plan.repositories[0].changes).toEqual([expect.objectContaining({ property: 'LifecyclePolicy', verdict: 'in-place update', planned: undefined })]);
  });

  test('given another encryption type, then a refused replacement that says why', () => {
    const plan = planOf({ ...EXACT, EncryptionConfiguration: { EncryptionType: 'AES256' } });
    expect(plan.repositories[0].verdict).toBe('replacement');
    expect(plan.problems).toEqual([expect.stringMatching(/repository 'team-a\/api' \(Repos\/Repo\): EncryptionConfiguration would replace it, refused: ECR cannot change a repository's encryption in place/)]);
  });

  test('given another existing key, then a refused replacement', () => {
    const plan = planOf({ ...EXACT, EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: KEY_ARN.replace('0b5d', '9999') } });
    expect(plan.repositories[0].verdict).toBe('replacement');
  });

  test('given the live key by its key ID, or as an ARN built with Fn::Join over AWS::Region and AWS::AccountId, then no change', () => {
    const keyId = KEY_ARN.split('/')[1];
    expect(planOf({ ...EXACT, EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: keyId } }).repositories[0].verdict).toBe('no change');
    const joined = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:key/${keyId}`]] };
    expect(planOf({ ...EXACT, EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: joined } }).repositories[0].verdict).toBe('no change');
  });

  test('given a key the template creates (Fn::GetAtt of an AWS::KMS::Key), then a refused replacement: a new key is another key', () => {
    const plan = planOf({ ...EXACT, EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': ['Key', 'Arn'] } } }, { Key: { Type: 'AWS::KMS::Key', Properties: {} } });
    expect(plan.repositories[0].verdict).toBe('replacement');
    expect(plan.problems[0]).toMatch(/AWS::KMS::Key Key, which it creates/);
  });

  test('given a key that is a parameter or an alias, then undecided with the reason, never no change', () => {
    const parameter = planOf({ ...EXACT, EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { Ref: 'KeyArn' } } });
    expect(parameter.repositories[0].verdict).toBe('undecided');
    expect(parameter.problems[0]).toMatch(/EncryptionConfiguration is undecided: the parameter KeyArn, known only at deploy/);
    const alias = planOf({ ...EXACT, EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: 'alias/ecr' } });
    expect(alias.repositories[0].verdict).toBe('undecided');
    expect(alias.problems[0]).toMatch(/is an alias/);
  });

  test('given a name built from a parameter, then the repository is undecided', () => {
    const plan = planOf({ ...EXACT, RepositoryName: { 'Fn::Sub': '${Prefix}/api' } });
    expect(plan.repositories.find((p) => p.logicalId === 'Repo')).toEqual(expect.objectContaining({ verdict: 'undecided' }));
    expect(plan.problems).toHaveLength(1);
  });

  test('given a name resolved from AWS::Region with Fn::Sub, then it is matched', () => {
    const live = registryExport([exportedRepository(`mirror-${REGION}`)]);
    const plan = planAdoption(stackWith({ ...repositoryProperties(live.repositories[0]), RepositoryName: { 'Fn::Sub': 'mirror-${AWS::Region}' } }), live);
    expect(plan.repositories).toEqual([expect.objectContaining({ id: `mirror-${REGION}`, verdict: 'no change' })]);
  });

  test('given a renamed repository, then the new name is created and the live one not managed (left alone)', () => {
    const plan = planOf({ ...EXACT, RepositoryName: 'team-a/api-v2' });
    expect(plan.repositories.map((p) => [p.id, p.verdict])).toEqual([['team-a/api', 'not managed'], ['team-a/api-v2', 'created']]);
    expect(plan.summary).toEqual(expect.objectContaining({ 'created': 1, 'not managed': 1, 'no change': 0 }));
  });

  test('given no RepositoryName, then created with a generated name', () => {
    const { RepositoryName: _, ...unnamed } = EXACT;
    const plan = planOf(unnamed);
    expect(plan.repositories.find((p) => p.logicalId === 'Repo')).toEqual(expect.objectContaining({ verdict: 'created', reason: expect.stringMatching(/generates a new name/) }));
  });

  test('given a repository under a template condition, then undecided: whether it is deployed is known at deploy', () => {
    const plan = planAdoption([{ stack: 'Repos', template: { Resources: { Repo: { Type: 'AWS::ECR::Repository', Condition: 'IsProd', Properties: EXACT } } } }], LIVE);
    expect(plan.repositories).toEqual([expect.objectContaining({ verdict: 'undecided', reason: expect.stringMatching(/^deployed only when the condition IsProd holds/) })]);
    expect(plan.problems).toHaveLength(1);
  });

  test('given the account of the export, then AWS::AccountId resolves to it', () => {
    expect(planOf(EXACT).account).toBe(ACCOUNT);
  });
});

describe('the adoption plan of an app that declares a repository twice', () => {
  test('given two stacks with the same repository name, then a problem that names both', () => {
    const templates = [...stackWith(EXACT), { stack: 'Other', template: { Resources: { Again: { Type: 'AWS::ECR::Repository', Properties: EXACT } } } }];
    expect(planAdoption(templates, LIVE).problems).toEqual(["repository 'team-a/api' is declared by 2 resources (Other/Again, Repos/Repo): the account has one, so keep one resource for it"]);
  });
});

describe('the adoption plan after an import', () => {
  test('given a stack that already holds the repository (its import mapping) and a template that renames it, then a refused replacement: a renamed repository is a new one', () => {
    const imported = new Map([['Repos', { Repo: { RepositoryName: 'team-a/api' } }]]);
    const plan = planAdoption(stackWith({ ...EXACT, RepositoryName: 'team-a/api-v2' }), LIVE, imported);
    expect(plan.repositories).toEqual([expect.objectContaining({ id: 'team-a/api', verdict: 'replacement' })]);
    expect(plan.problems).toEqual([expect.stringMatching(/RepositoryName would replace it, refused: a renamed repository is a new one/)]);
  });

  test('given the same name as the import mapping, then the plan is as without it', () => {
    const imported = new Map([['Repos', { Repo: { RepositoryName: 'team-a/api' } }]]);
    expect(planAdoption(stackWith(EXACT), LIVE, imported)).toEqual(planAdoption(stackWith(EXACT), LIVE));
  });
});
