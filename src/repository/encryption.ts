import * as kms from 'aws-cdk-lib/aws-kms';

/**
 * How a repository encrypts its images at rest.
 */
export class RepositoryEncryption {
  /** AES-256 with keys that Amazon ECR manages (ECR's default). */
  public static readonly AES256 = new RepositoryEncryption('AES256');

  /**
   * AWS KMS with a customer managed key.
   *
   * @param key the key to use. @default - a new key with rotation enabled, retained on delete
   */
  public static kms(key?: kms.IKey): RepositoryEncryption {
    return new RepositoryEncryption('KMS', key);
  }

  /**
   * Dual-layer server-side encryption with AWS KMS (KMS_DSSE) and a customer
   * managed key.
   *
   * @param key the key to use. @default - a new key with rotation enabled, retained on delete
   */
  public static kmsDsse(key?: kms.IKey): RepositoryEncryption {
    return new RepositoryEncryption('KMS_DSSE', key);
  }

  private constructor(
    /** The `EncryptionType` ECR receives: AES256, KMS or KMS_DSSE. */
    public readonly encryptionType: string,
    /** The customer managed key, when one was given. */
    public readonly key?: kms.IKey,
  ) {}

  /** Whether this encryption uses AWS KMS. */
  public get usesKms(): boolean {
    return this.encryptionType !== 'AES256';
  }
}
