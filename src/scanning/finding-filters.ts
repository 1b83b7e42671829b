import { FindingFilterAction, FindingFixAvailability, FindingSeverity, FindingStatus, FindingStringComparison } from './enums';

/**
 * A string criterion of an Amazon Inspector filter: a comparison and a value
 * (1 to 1,024 characters).
 */
export interface FindingStringFilter {
  /** How the finding's value is compared. */
  readonly comparison: FindingStringComparison;
  /** The value compared with. */
  readonly value: string;
}

/**
 * A number range of an Amazon Inspector filter, bounds included. At least
 * one bound.
 */
export interface FindingNumberRange {
  /**
   * The lowest value matched.
   *
   * @default - no lower bound
   */
  readonly min?: number;
  /**
   * The highest value matched.
   *
   * @default - no upper bound
   */
  readonly max?: number;
}

/**
 * A date range of an Amazon Inspector filter, bounds included. At least one
 * bound. Dates are ISO-8601 strings, such as `2026-01-31` or
 * `2026-01-31T12:00:00Z`; they are rendered as seconds since the epoch.
 */
export interface FindingDateRange {
  /**
   * The earliest date matched.
   *
   * @default - no lower bound
   */
  readonly start?: string;
  /**
   * The latest date matched.
   *
   * @default - no upper bound
   */
  readonly end?: string;
}

/**
 * A resource tag criterion: the image's repository carries this tag.
 */
export interface FindingTagFilter {
  /** The tag key, 1 to 128 characters. */
  readonly key: string;
  /**
   * The tag value, up to 256 characters.
   *
   * @default - any value of the key
   */
  readonly value?: string;
}

/**
 * A vulnerable package criterion. At least one field.
 */
export interface FindingPackageFilter {
  /**
   * The package name.
   *
   * @default - any name
   */
  readonly name?: FindingStringFilter;
  /**
   * The package version.
   *
   * @default - any version
   */
  readonly version?: FindingStringFilter;
  /**
   * The package release.
   *
   * @default - any release
   */
  readonly release?: FindingStringFilter;
  /**
   * The package architecture.
   *
   * @default - any architecture
   */
  readonly architecture?: FindingStringFilter;
  /**
   * The package's file path in the image.
   *
   * @default - any path
   */
  readonly filePath?: FindingStringFilter;
  /**
   * The image layer hash the package comes from.
   *
   * @default - any layer
   */
  readonly sourceLayerHash?: FindingStringFilter;
  /**
   * The package epoch.
   *
   * @default - any epoch
   */
  readonly epoch?: FindingNumberRange;
}

/**
 * Properties of a finding suppression rule.
 *
 * Criteria combine with AND; the values of one list combine with OR. Each
 * list takes 1 to 10 values.
 *
 * Every criterion of `AWS::InspectorV2::Filter` that applies to ECR
 * container images is offered. Left out on purpose: the resource type (always
 * ECR container images), the finding type (Amazon Inspector reports only
 * package vulnerabilities for ECR images), the EC2 instance criteria, the
 * Lambda function criteria, code vulnerability criteria (Lambda code
 * scanning), a package's Lambda layer, and the network reachability criteria
 * (component ID and type, protocol, port range: EC2 only). The Amazon
 * Inspector API also filters on the image's last in-use date, which the
 * CloudFormation resource does not carry.
 */
export interface FindingSuppressionProps {
  /**
   * Why these findings are suppressed: the filter's description, 1 to 512 characters.
   */
  readonly reason: string;
  /**
   * The filter's name, 1 to 128 characters, unique in the account and region.
   *
   * @default - a name derived from the construct path
   */
  readonly filterName?: string;
  /**
   * What Amazon Inspector does with matching findings.
   *
   * @default FindingFilterAction.SUPPRESS
   */
  readonly action?: FindingFilterAction;
  /**
   * Findings in these repositories (exact names).
   *
   * @default - any repository (unless another repository criterion is set)
   */
  readonly repositoryNames?: string[];
  /**
   * Findings in repositories whose names start with one of these prefixes.
   *
   * @default - any repository (unless another repository criterion is set)
   */
  readonly repositoryNamePrefixes?: string[];
  /**
   * Findings in repositories matching these comparisons (for example
   * NOT_EQUALS a name).
   *
   * @default - any repository (unless another repository criterion is set)
   */
  readonly repositoryNameFilters?: FindingStringFilter[];
  /**
   * Findings in images carrying one of these tags.
   *
   * @default - any tag
   */
  readonly imageTags?: string[];
  /**
   * Findings in images whose tags match these comparisons (for example a
   * PREFIX `dev-`).
   *
   * @default - any tag (unless imageTags is set)
   */
  readonly imageTagFilters?: FindingStringFilter[];
  /**
   * Findings in these images, by digest (`sha256:` and 64 hexadecimal digits).
   *
   * @default - any image
   */
  readonly imageDigests?: string[];
  /**
   * Findings in images of these architectures, such as `amd64` or `arm64`.
   *
   * @default - any architecture
   */
  readonly imageArchitectures?: string[];
  /**
   * Findings in images pushed in this date range.
   *
   * @default - any push date
   */
  readonly imagePushedAt?: FindingDateRange;
  /**
   * Findings in images used by this many running Amazon ECS tasks or EKS pods.
   *
   * @default - any use count
   */
  readonly imageInUseCount?: FindingNumberRange;
  /**
   * Findings in images of these registries (12-digit account IDs).
   *
   * @default - any registry
   */
  readonly registryIds?: string[];
  /**
   * Findings whose repository carries these tags.
   *
   * @default - any tags
   */
  readonly resourceTags?: FindingTagFilter[];
  /**
   * Findings in these AWS accounts (12-digit account IDs): in the delegated
   * administrator account, the member accounts whose findings match.
   *
   * @default - any account
   */
  readonly accountIds?: string[];
  /**
   * These findings, by ARN
   * (`arn:aws:inspector2:<region>:<account>:finding/<id>`).
   *
   * @default - any finding
   */
  readonly findingArns?: string[];
  /**
   * Findings whose resource ID matches these comparisons. For an ECR image
   * the resource ID is the one Amazon Inspector shows in the finding's
   * resource (an ARN naming the repository and the image digest), so a
   * PREFIX of a repository's ARN narrows to its images.
   *
   * @default - any resource
   */
  readonly resourceIdFilters?: FindingStringFilter[];
  /**
   * Findings of these vulnerabilities, such as `CVE-2023-12345`.
   *
   * @default - any vulnerability
   */
  readonly vulnerabilityIds?: string[];
  /**
   * Findings that list one of these vulnerabilities as related (for example
   * the CVE behind a vendor advisory).
   *
   * @default - any related vulnerability
   */
  readonly relatedVulnerabilities?: string[];
  /**
   * Findings from these vulnerability sources, such as `NVD` or a
   * distribution's advisories.
   *
   * @default - any source
   */
  readonly vulnerabilitySources?: string[];
  /**
   * Findings to which the vendor (the vulnerability source) gives one of these
   * severities, as the vendor writes them (for example `Important`).
   *
   * @default - any vendor severity
   */
  readonly vendorSeverities?: string[];
  /**
   * Findings of these severities.
   *
   * @default - any severity
   */
  readonly severities?: FindingSeverity[];
  /**
   * Findings whose vulnerable packages have a fix in this state.
   *
   * @default - fixed or not
   */
  readonly fixAvailable?: FindingFixAvailability[];
  /**
   * Findings of vulnerabilities with (true) or without (false) a known exploit.
   *
   * @default - exploitable or not
   */
  readonly exploitAvailable?: boolean;
  /**
   * Findings whose EPSS score (probability of exploitation, 0 to 1) is in this range.
   *
   * @default - any EPSS score
   */
  readonly epssScore?: FindingNumberRange;
  /**
   * Findings whose Amazon Inspector score (0 to 10) is in this range.
   *
   * @default - any Inspector score
   */
  readonly inspectorScore?: FindingNumberRange;
  /**
   * Findings of these vulnerable packages.
   *
   * @default - any package
   */
  readonly vulnerablePackages?: FindingPackageFilter[];
  /**
   * Findings in these states.
   *
   * @default - any status
   */
  readonly findingStatus?: FindingStatus[];
  /**
   * Findings whose titles match these comparisons.
   *
   * @default - any title
   */
  readonly titles?: FindingStringFilter[];
  /**
   * Findings first observed in this date range.
   *
   * @default - any date
   */
  readonly firstObservedAt?: FindingDateRange;
  /**
   * Findings last observed in this date range.
   *
   * @default - any date
   */
  readonly lastObservedAt?: FindingDateRange;
  /**
   * Findings last updated in this date range.
   *
   * @default - any date
   */
  readonly updatedAt?: FindingDateRange;
}
