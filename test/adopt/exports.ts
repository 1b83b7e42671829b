import { ExportedRepository, RegistryExportFile } from '../../src/adopt/export-model';

export const ACCOUNT = '111111111111';
export const REGION = 'eu-west-1';
export const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0b5d3c1e-1111-2222-3333-444455556666`;

export const LIFECYCLE_TEXT = JSON.stringify({
  rules: [{ rulePriority: 1, description: 'untagged', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 }, action: { type: 'expire' } }],
});
export const POLICY_TEXT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'pull', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] }],
});

/** A repository as ECR describes it, with every setting given. */
export function exportedRepository(name: string, overrides: Partial<ExportedRepository> = {}): ExportedRepository {
  return {
    repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${name}`,
    registryId: ACCOUNT,
    repositoryName: name,
    repositoryUri: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${name}`,
    createdAt: '2025-01-01T00:00:00.000Z',
    imageTagMutability: 'IMMUTABLE',
    imageScanningConfiguration: { scanOnPush: true },
    encryptionConfiguration: { encryptionType: 'KMS', kmsKey: KEY_ARN },
    lifecyclePolicyText: LIFECYCLE_TEXT,
    repositoryPolicyText: POLICY_TEXT,
    tags: [{ Key: 'team', Value: 'a' }, { Key: 'cost-center', Value: '42' }],
    ...overrides,
  };
}

export function registryExport(repositories: ExportedRepository[], registry: RegistryExportFile['registry'] = {}): RegistryExportFile {
  return { format: 'cdk-ecr-platform/registry-export', version: 1, account: ACCOUNT, region: REGION, repositories, registry };
}
