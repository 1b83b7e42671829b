import { Report } from './catalog-nodes';
import { CatalogNode } from './text';
import { AWS_MANAGED_KEY_ALIAS, EncryptionType, KMS_ENCRYPTION_TYPES } from '../internal/ecr-facts';
import { KMS_KEY_ARN } from '../repository/adopted-settings';
import { ImageEncryption, kmsDsseRegionProblem } from '../repository/encryption';

/*
 * A catalog entry's encryption and kmsKey together, as an existing repository
 * has them (the keys' own values are read by the catalog's readers):
 *
 *   encryption: AES256                          AES256
 *   encryption: KMS                             KMS with the shard stack's key (the fleet's default)
 *   encryption: KMS,      kmsKey: <key ARN>     KMS with that existing key
 *   encryption: KMS,      kmsKey: aws/ecr       KMS with ECR's AWS managed key (no KmsKey rendered)
 *   encryption: KMS_DSSE, kmsKey: <key ARN>     dual-layer KMS with that existing key
 *   encryption: KMS_DSSE, kmsKey: aws/ecr       dual-layer KMS with ECR's AWS managed key
 */

/** The catalog's name for ECR's AWS managed key as the value of `kmsKey`. @internal */
export const CATALOG_AWS_MANAGED_KEY = AWS_MANAGED_KEY_ALIAS;

/**
 * Joins an entry's `encryption` and `kmsKey` into the fleet's model (the
 * entry as read so far: `encryption`, `kmsKeyArn`), reporting at the key that
 * breaks a rule: kmsKey with KMS or KMS_DSSE only, KMS_DSSE with its key
 * named, and KMS_DSSE only with a key and a region of the AWS GovCloud (US)
 * Regions, the only ones where ECR offers it.
 *
 * @param node the entry's node for a key, or the default's
 * @internal
 */
export function joinCatalogEncryption(entry: Record<string, unknown>, node: (key: string) => CatalogNode | undefined, report: Report): void {
  const encryptionNode = node('encryption');
  const kmsNode = node('kmsKey');
  const type = encryptionNode?.kind === 'scalar' && typeof encryptionNode.value === 'string' ? encryptionNode.value : undefined;
  const key = entry.kmsKeyArn as string | undefined;
  if (kmsNode && key !== undefined && (type === undefined || !KMS_ENCRYPTION_TYPES.includes(type))) {
    report(kmsNode.pos, `kmsKey names the key of KMS encryption: give it with encryption: ${EncryptionType.KMS}, or ${EncryptionType.KMS_DSSE} for dual-layer encryption`);
    return;
  }
  if (type === EncryptionType.KMS_DSSE && encryptionNode) {
    if (!kmsNode) {
      report(encryptionNode.pos, `encryption ${EncryptionType.KMS_DSSE} names its key: add kmsKey, an existing key's ARN or ${CATALOG_AWS_MANAGED_KEY} for ECR's AWS managed key`);
      return;
    }
    const regions = [...new Set([entry.region, key !== undefined ? KMS_KEY_ARN.exec(key)?.[2] : undefined])]
      .filter((r): r is string => typeof r === 'string');
    for (const region of regions) {
      const problem = kmsDsseRegionProblem(region);
      if (problem) report(encryptionNode.pos, `encryption ${EncryptionType.KMS_DSSE}: ${problem}`);
    }
  }
  if (key === undefined) return;
  if (key === CATALOG_AWS_MANAGED_KEY) {
    delete entry.kmsKeyArn;
    entry.encryption = type === EncryptionType.KMS_DSSE ? ImageEncryption.KMS_DSSE_AWS_MANAGED : ImageEncryption.KMS_AWS_MANAGED;
  } else if (type === EncryptionType.KMS_DSSE) {
    entry.dualLayerEncryption = true;
  }
}
