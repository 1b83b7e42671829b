import { archiveUnpulledRules, capTotalRules, expireUntaggedRules, keepLastReleasesRules, protectTagsRules } from './builders';
import { LifecyclePolicy } from './policy';
import { LifecyclePolicyRule } from './rule';
import { MIN_ARCHIVE_DAYS } from './validate';
import { guard, listOf, NUMBER, optional, STRING } from '../internal/input';

/**
 * Ready-made lifecycle policies. Each returns a `LifecyclePolicy` whose rules have no
 * explicit priority, so presets combine in the order given:
 *
 * ```ts
 * LifecyclePolicy.combine(
 *   LifecyclePresets.protectTags(['prod']),      // first: protects from every later rule
 *   LifecyclePresets.keepLastReleases(10, ['v*']),
 *   LifecyclePresets.expireUntagged(7),
 *   LifecyclePresets.capTotal(500),              // `any` rules always end up last
 * );
 * ```
 *
 * Each preset throws at the call site when its arguments make an invalid policy
 * (for example a count of 0).
 */
export class LifecyclePresets {
  /**
   * Keep the last `count` images of each release tag pattern and expire older ones.
   *
   * ECR ANDs the patterns of one rule, so each pattern gets its own rule (one rule per
   * pattern, each keeping its own last `count`). `keepLastReleases(10, ['v*'])` renders:
   * ```json
   * {"rules":[{"rulePriority":1,"description":"Keep the last 10 images tagged v*, expire older ones",
   *   "selection":{"tagStatus":"tagged","tagPatternList":["v*"],"countType":"imageCountMoreThan","countNumber":10},
   *   "action":{"type":"expire"}}]}
   * ```
   *
   * @param count how many images to keep per pattern (at least 1)
   * @param patterns release tag patterns such as `v*.*.*` or `release-*`
   */
  public static keepLastReleases(count: number, patterns: string[]): LifecyclePolicy {
    guard('LifecyclePresets.keepLastReleases', { count: [count, NUMBER], patterns: [patterns, listOf(STRING)] });
    return checked('keepLastReleases', keepLastReleasesRules(count, patterns), patterns.length === 0 ? 'give at least one tag pattern' : undefined);
  }

  /**
   * Expire untagged images `days` days after they were pushed.
   *
   * `expireUntagged(14)` renders:
   * ```json
   * {"rules":[{"rulePriority":1,"description":"Expire untagged images pushed more than 14 days ago",
   *   "selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},
   *   "action":{"type":"expire"}}]}
   * ```
   *
   * @param days age in days after which untagged images expire (at least 1)
   */
  public static expireUntagged(days: number): LifecyclePolicy {
    guard('LifecyclePresets.expireUntagged', { days: [days, NUMBER] });
    return checked('expireUntagged', expireUntaggedRules(days));
  }

  /**
   * Protect images with a tag matching any of the patterns from every lower-priority rule.
   *
   * ECR has no "keep" action. A rule that selects an image claims it: rules with a higher
   * priority number can never act on it (they still count it). So each pattern gets an
   * `imageCountMoreThan` rule with a count no repository reaches (1,000,000,000), which
   * selects the images and never expires one. Combine it FIRST so that its rules get the
   * lowest priority numbers. `protectTags(['prod'])` renders:
   * ```json
   * {"rules":[{"rulePriority":1,"description":"Protect images tagged prod from every later rule",
   *   "selection":{"tagStatus":"tagged","tagPatternList":["prod"],"countType":"imageCountMoreThan","countNumber":1000000000},
   *   "action":{"type":"expire"}}]}
   * ```
   *
   * @param patterns tag patterns to protect, such as `prod`, `latest` or `stable-*`
   */
  public static protectTags(patterns: string[]): LifecyclePolicy {
    guard('LifecyclePresets.protectTags', { patterns: [patterns, listOf(STRING)] });
    return checked('protectTags', protectTagsRules(patterns), patterns.length === 0 ? 'give at least one tag pattern' : undefined);
  }

  /**
   * Move tagged images not pulled for `days` days to the archive storage class, and delete
   * them once they have been archived for `deleteAfterArchivedDays` days (at least 90, the
   * archive minimum storage duration).
   *
   * The archive rule selects tagged images (`tagPatternList: ["*"]`) rather than `any`, so
   * that the preset combines with `capTotal`, whose `any` rule must be the last standard
   * rule. Untagged images are left to `expireUntagged`. `archiveUnpulled(30)` renders:
   * ```json
   * {"rules":[
   *  {"rulePriority":1,"description":"Archive tagged images not pulled for 30 days",
   *   "selection":{"tagStatus":"tagged","tagPatternList":["*"],"countType":"sinceImagePulled","countUnit":"days","countNumber":30},
   *   "action":{"type":"transition","targetStorageClass":"archive"}},
   *  {"rulePriority":2,"description":"Delete images archived more than 90 days ago",
   *   "selection":{"tagStatus":"any","storageClass":"archive","countType":"sinceImageTransitioned","countUnit":"days","countNumber":90},
   *   "action":{"type":"expire"}}]}
   * ```
   *
   * Archived images cannot be pulled; `PrivateRepository.grantRestoreArchivedImages`
   * lets a principal restore them to the standard storage class.
   *
   * @param days days without a pull after which an image is archived (at least 1)
   * @param deleteAfterArchivedDays days in archive after which an image is deleted (at least 90)
   */
  public static archiveUnpulled(days: number, deleteAfterArchivedDays: number = MIN_ARCHIVE_DAYS): LifecyclePolicy {
    guard('LifecyclePresets.archiveUnpulled', { days: [days, NUMBER], deleteAfterArchivedDays: [deleteAfterArchivedDays, optional(NUMBER)] });
    return checked('archiveUnpulled', archiveUnpulledRules(days, deleteAfterArchivedDays));
  }

  /**
   * Keep at most `count` images in the repository; the oldest beyond that expire (images
   * claimed by higher-priority rules are counted but never expired by this rule).
   *
   * `capTotal(1000)` renders:
   * ```json
   * {"rules":[{"rulePriority":1,"description":"Keep at most 1000 images, expire the oldest",
   *   "selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1000},
   *   "action":{"type":"expire"}}]}
   * ```
   *
   * @param count how many images to keep (at least 1)
   */
  public static capTotal(count: number): LifecyclePolicy {
    guard('LifecyclePresets.capTotal', { count: [count, NUMBER] });
    return checked('capTotal', capTotalRules(count));
  }

  private constructor() {}
}

function checked(preset: string, rules: LifecyclePolicyRule[], extra?: string): LifecyclePolicy {
  const policy = LifecyclePolicy.fromRules(rules);
  const problems = extra !== undefined ? [extra] : policy.validate();
  if (problems.length > 0) {
    throw new Error(`LifecyclePresets.${preset}: ${problems.join(' ')}`);
  }
  return policy;
}
