import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';
import { EncryptionType, KMS_DSSE_REGIONS as DSSE_REGIONS, KMS_ENCRYPTION_TYPES } from '../internal/ecr-facts';
import { guard, OBJECT, optional } from '../internal/input';
import { createLibraryKey } from '../internal/kms';
import { Problems } from '../internal/problems';

/**
 * How a repository encrypts its images at rest.
 */
export class ImageEncryption {
  /** AES-256 with keys that Amazon ECR manages (ECR's default). */
  public static readonly AES256 = new ImageEncryption(EncryptionType.AES256);

  /**
   * AWS KMS with the AWS managed key of Amazon ECR (alias `aws/ecr`): the
   * `KMS` encryption type without a key, as aws-cdk-lib's
   * `RepositoryEncryption.KMS` renders it when no `encryptionKey` is given.
   * No key is created and no key policy is yours to change: ECR uses the
   * key of its account and region, and decryption follows from ECR
   * permissions alone.
   *
   * It is not a customer managed key, so Security Hub ECR.5 ("encrypted with
   * a customer managed KMS key") fails the repository, and the library's
   * compliance pack reports it as `CustomerManagedKey` (a warning by
   * default, see `customerManagedKeyLevel`), as it does AES256.
   */
  public static readonly KMS_AWS_MANAGED = new ImageEncryption(EncryptionType.KMS, undefined, true);

  /**
   * Dual-layer server-side encryption with AWS KMS (KMS_DSSE) with the AWS
   * managed key of Amazon ECR (alias `aws/ecr`): the `KMS_DSSE` encryption
   * type without a key, which ECR takes as it takes `KMS` without one (ECR
   * API, EncryptionConfiguration). No key is created. Available only in the
   * AWS GovCloud (US) Regions, as `kmsDsse()`; like `KMS_AWS_MANAGED`, it is
   * not a customer managed key (Security Hub ECR.5, `CustomerManagedKey`).
   */
  public static readonly KMS_DSSE_AWS_MANAGED = new ImageEncryption(EncryptionType.KMS_DSSE, undefined, true);

  /**
   * AWS KMS with a customer managed key.
   *
   * @param key the key to use. @default - a new key with rotation enabled, retained on delete
   */
  public static kms(key?: kms.IKey): ImageEncryption {
    guard('ImageEncryption.kms', { key: [key, optional(OBJECT)] });
    return new ImageEncryption(EncryptionType.KMS, key);
  }

  /**
   * Dual-layer server-side encryption with AWS KMS (KMS_DSSE) and a customer
   * managed key. Amazon ECR offers it only in the AWS GovCloud (US) Regions
   * (us-gov-west-1, us-gov-east-1): a repository or creation template in any
   * other region is refused, and an environment-agnostic stack gets a warning.
   *
   * @param key the key to use. @default - a new key with rotation enabled, retained on delete
   */
  public static kmsDsse(key?: kms.IKey): ImageEncryption {
    guard('ImageEncryption.kmsDsse', { key: [key, optional(OBJECT)] });
    return new ImageEncryption(EncryptionType.KMS_DSSE, key);
  }

  private constructor(
    /** The `EncryptionType` ECR receives: AES256, KMS or KMS_DSSE. */
    public readonly encryptionType: string,
    /** The customer managed key, when one was given. */
    public readonly key?: kms.IKey,
    /** Whether ECR uses its AWS managed key (no key is given or created). */
    private readonly awsManagedKey = false,
  ) {}

  /**
   * Whether ECR encrypts with its AWS managed key (`aws/ecr`): no key is
   * given or created for it.
   *
   * @internal
   */
  public get _usesAwsManagedKey(): boolean {
    return this.awsManagedKey;
  }

  /** Whether this encryption uses AWS KMS. */
  public get usesKms(): boolean {
    return KMS_ENCRYPTION_TYPES.includes(this.encryptionType);
  }
}

/**
 * The customer managed key a repository or a repository creation template
 * encrypts with: the key given, or a new one (rotation on, retained on
 * delete) for KMS and KMS_DSSE without a key; none for AES256 and for the
 * AWS managed key.
 *
 * @param scope the construct the new key belongs to (as child `Key`)
 * @param encryption how images are encrypted
 * @param description the description of a new key
 * @internal
 */
export function encryptionKeyFor(scope: Construct, encryption: ImageEncryption, description: string): kms.IKey | undefined {
  if (!encryption.usesKms || encryption._usesAwsManagedKey) return undefined;
  return encryption.key ?? createLibraryKey(scope, 'Key', { description });
}

/**
 * The `EncryptionConfiguration` of a repository or a repository creation
 * template, rendered the same way for both: nothing for AES256 (ECR's
 * default, so a repository keeps the template it was created with, and
 * CloudFormation sees no change that would replace it), the type and the
 * key's ARN for KMS and KMS_DSSE, the type alone for the AWS managed key
 * (which ECR then uses).
 *
 * @param encryption how images are encrypted
 * @param key the key used for KMS (the given key, or the one created for it)
 * @internal
 */
export function renderEncryption(
  encryption: ImageEncryption,
  key: kms.IKey | undefined,
): { encryptionType: string; kmsKey?: string } | undefined {
  if (!encryption.usesKms) return undefined;
  return { encryptionType: encryption.encryptionType, kmsKey: key?.keyArn };
}


/**
 * The one rule of where ECR offers dual-layer KMS encryption (KMS_DSSE): the
 * problem with a concrete region outside the AWS GovCloud (US) Regions, for
 * the construct, the catalog and the import alike.
 *
 * @internal
 */
export function kmsDsseRegionProblem(region: string): string | undefined {
  if (DSSE_REGIONS.includes(region)) return undefined;
  return `ECR offers dual-layer KMS encryption only in the AWS GovCloud (US) Regions (${DSSE_REGIONS.join(', ')}), not in '${region}'`;
}

/**
 * Refuses KMS_DSSE in a concrete region outside the AWS GovCloud (US) Regions and
 * warns when the stack's region is unknown.
 *
 * @internal
 */
export function checkEncryptionRegion(problems: Problems, scope: IConstruct, encryption: ImageEncryption | undefined): void {
  if (encryption?.encryptionType !== EncryptionType.KMS_DSSE) return;
  const region = Stack.of(scope).region;
  const name = encryption._usesAwsManagedKey ? 'ImageEncryption.KMS_DSSE_AWS_MANAGED' : 'ImageEncryption.kmsDsse()';
  if (Token.isUnresolved(region)) {
    Annotations.of(scope).addWarningV2('cdk-ecr-platform:kmsDsseRegionUnknown',
      `${name} is available only in the AWS GovCloud (US) Regions (${DSSE_REGIONS.join(', ')}), and this stack's region is not known: deploying it anywhere else fails. Give the stack an env, or use ImageEncryption.kms().`);
  } else {
    const problem = kmsDsseRegionProblem(region);
    if (problem) problems.add(`encryption is ${name}, but ${problem}: use ImageEncryption.kms()`);
  }
}

/** The construct ID of a stack's shared repository key. */
const STACK_KEY_ID = 'EcrRepositoryKey';

/**
 * The stack's shared customer managed key for repositories and repository
 * creation templates that do not choose their encryption: one key per stack
 * (created on first use, rotation on, retained on delete) rather than one per
 * repository, so that a fleet of repositories meets Security Hub ECR.5
 * without a key (and its monthly cost) for each.
 *
 * @internal
 */
export function defaultRepositoryEncryption(scope: IConstruct): ImageEncryption {
  const stack = Stack.of(scope);
  const key = (stack.node.tryFindChild(STACK_KEY_ID) as kms.IKey | undefined) ?? createLibraryKey(stack, STACK_KEY_ID, {
    description: `Encrypts the images of the ECR repositories of stack ${stack.stackName} that do not choose their own key`,
  });
  return ImageEncryption.kms(key);
}
