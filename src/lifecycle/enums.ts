/**
 * Which images a lifecycle rule selects by their tags.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html
 */
export enum LifecycleTagStatus {
  /** Images with at least one tag; the rule also needs a tag prefix list or a tag pattern list. */
  TAGGED = 'tagged',
  /** Images with no tag at all. Only one rule per storage class may select untagged images. */
  UNTAGGED = 'untagged',
  /** Every image. An `any` rule must have the highest priority number within its storage class. */
  ANY = 'any',
}
Object.freeze(LifecycleTagStatus);

/**
 * The ECR storage class a rule selects images from.
 */
export enum StorageClass {
  /** The default storage class for active images. */
  STANDARD = 'standard',
  /** The low-cost archival storage class (images there cannot be pulled until restored). */
  ARCHIVE = 'archive',
}
Object.freeze(StorageClass);

/**
 * How a lifecycle rule counts: by number of images or by age in days.
 */
export enum CountType {
  /** Keep the newest `countNumber` selected images and act on the rest. */
  IMAGE_COUNT_MORE_THAN = 'imageCountMoreThan',
  /** Act on selected images pushed more than `countNumber` days ago. */
  SINCE_IMAGE_PUSHED = 'sinceImagePushed',
  /** Act on selected images last pulled more than `countNumber` days ago (transition only). */
  SINCE_IMAGE_PULLED = 'sinceImagePulled',
  /** Act on archived images archived more than `countNumber` days ago (archive storage class, expire only). */
  SINCE_IMAGE_TRANSITIONED = 'sinceImageTransitioned',
}
Object.freeze(CountType);

/**
 * What a lifecycle rule does with the images it acts on.
 */
export enum LifecycleAction {
  /** Delete the image. */
  EXPIRE = 'expire',
  /** Move the image to the archive storage class. */
  TRANSITION = 'transition',
}
Object.freeze(LifecycleAction);
