import { CountType, LifecycleAction, StorageClass, LifecycleTagStatus } from './enums';

/**
 * One rule of an Amazon ECR lifecycle policy.
 *
 * Field names follow the ECR lifecycle policy JSON. The `countUnit` of the JSON
 * is not a field: it is rendered as `days` for the `since*` count types and omitted
 * for `imageCountMoreThan`. A `transition` action always targets the archive storage class.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html
 */
export interface LifecyclePolicyRule {
  /**
   * The order in which rules are applied, lowest first. Must be a unique positive integer.
   *
   * @default - assigned automatically: explicit priorities are kept, the other rules take the
   * free numbers in the order given, and `any` rules are placed after every other rule.
   */
  readonly rulePriority?: number;

  /**
   * What the rule is for. Shown in the ECR console and in validation messages.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * Whether the rule selects tagged images, untagged images or any image.
   */
  readonly tagStatus: LifecycleTagStatus;

  /**
   * Tag prefixes; an image is selected when every prefix starts at least one of its tags.
   * Only for `LifecycleTagStatus.TAGGED`, and only when `tagPatternList` is not given.
   *
   * @default - no prefix list
   */
  readonly tagPrefixList?: string[];

  /**
   * Tag patterns (anchored at both ends, `*` matches any run of characters, at most four `*`);
   * an image is selected when every pattern matches at least one of its tags.
   * Only for `LifecycleTagStatus.TAGGED`, and only when `tagPrefixList` is not given.
   *
   * @default - no pattern list
   */
  readonly tagPatternList?: string[];

  /**
   * The storage class the rule selects images from. `ARCHIVE` only with
   * `CountType.SINCE_IMAGE_TRANSITIONED`, which requires it.
   *
   * @default - the key is omitted, which ECR treats as StorageClass.STANDARD
   */
  readonly storageClass?: StorageClass;

  /**
   * How the rule counts: number of images or days since push, pull or archive.
   */
  readonly countType: CountType;

  /**
   * The number of images to keep (`imageCountMoreThan`) or the age in days
   * (`since*` types). An integer of at least 1; at least 90 for an expire rule
   * on archived images.
   */
  readonly countNumber: number;

  /**
   * What to do with the images the rule acts on. `TRANSITION` moves them to the
   * archive storage class.
   *
   * @default LifecycleAction.EXPIRE
   */
  readonly action?: LifecycleAction;
}
