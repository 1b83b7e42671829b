import { CountType, LifecycleAction, StorageClass, LifecycleTagStatus } from './enums';
import { LifecyclePolicyRule } from './rule';

/*
 * Rule builders behind the presets. They return rules without priorities, so that
 * presets combine in the order given (LifecyclePolicy.combine assigns the numbers).
 */

/**
 * countNumber of a "keep everything" rule. ECR has no "keep" action: a rule that selects
 * images claims them (lower-priority rules can never act on them) and an imageCountMoreThan
 * rule only acts beyond its count, so a count no repository reaches keeps them all. The
 * default quota is 100,000 images per repository; 1,000,000,000 is far above any raised
 * quota and still a 32-bit integer.
 * @internal
 */
export const KEEP_ALL_COUNT = 1_000_000_000;

/** @internal */
export function expireUntaggedRules(days: number): LifecyclePolicyRule[] {
  return [{
    description: `Expire untagged images pushed more than ${days} days ago`,
    tagStatus: LifecycleTagStatus.UNTAGGED,
    countType: CountType.SINCE_IMAGE_PUSHED,
    countNumber: days,
  }];
}

/** @internal */
export function capTotalRules(count: number): LifecyclePolicyRule[] {
  return [{
    description: `Keep at most ${count} images, expire the oldest`,
    tagStatus: LifecycleTagStatus.ANY,
    countType: CountType.IMAGE_COUNT_MORE_THAN,
    countNumber: count,
  }];
}

/** @internal */
export function keepLastReleasesRules(count: number, patterns: string[]): LifecyclePolicyRule[] {
  // One rule per pattern: patterns within one rule must ALL match (AND), which is not
  // what "keep the last N releases tagged v* or release-*" means.
  return patterns.map((pattern) => ({
    description: `Keep the last ${count} images tagged ${pattern}, expire older ones`,
    tagStatus: LifecycleTagStatus.TAGGED,
    tagPatternList: [pattern],
    countType: CountType.IMAGE_COUNT_MORE_THAN,
    countNumber: count,
  }));
}

/** @internal */
export function protectTagsRules(patterns: string[]): LifecyclePolicyRule[] {
  return patterns.map((pattern) => ({
    description: `Protect images tagged ${pattern} from every later rule`,
    tagStatus: LifecycleTagStatus.TAGGED,
    tagPatternList: [pattern],
    countType: CountType.IMAGE_COUNT_MORE_THAN,
    countNumber: KEEP_ALL_COUNT,
  }));
}

/** @internal */
export function archiveUnpulledRules(days: number, deleteAfterArchivedDays: number): LifecyclePolicyRule[] {
  return [
    {
      description: `Archive tagged images not pulled for ${days} days`,
      tagStatus: LifecycleTagStatus.TAGGED,
      tagPatternList: ['*'],
      countType: CountType.SINCE_IMAGE_PULLED,
      countNumber: days,
      action: LifecycleAction.TRANSITION,
    },
    {
      description: `Delete images archived more than ${deleteAfterArchivedDays} days ago`,
      tagStatus: LifecycleTagStatus.ANY,
      storageClass: StorageClass.ARCHIVE,
      countType: CountType.SINCE_IMAGE_TRANSITIONED,
      countNumber: deleteAfterArchivedDays,
    },
  ];
}
