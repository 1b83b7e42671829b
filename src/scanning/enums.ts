/**
 * How ECR scans images.
 */
export enum ScanType {
  /** ECR's own scanner: scan on push (or manually) for operating system vulnerabilities. */
  BASIC = 'BASIC',
  /** Amazon Inspector: operating system and language package vulnerabilities, on push and continuously. */
  ENHANCED = 'ENHANCED',
}
Object.freeze(ScanType);

/**
 * When images of a repository are scanned.
 */
export enum ScanFrequency {
  /** When an image is pushed (BASIC and ENHANCED). */
  SCAN_ON_PUSH = 'SCAN_ON_PUSH',
  /** When pushed, and again whenever a new vulnerability is published (ENHANCED only). */
  CONTINUOUS_SCAN = 'CONTINUOUS_SCAN',
}
Object.freeze(ScanFrequency);

/**
 * The severity of a vulnerability finding, lowest first.
 */
export enum FindingSeverity {
  /** Informational. */
  INFORMATIONAL = 'INFORMATIONAL',
  /** Low. */
  LOW = 'LOW',
  /** Medium. */
  MEDIUM = 'MEDIUM',
  /** High. */
  HIGH = 'HIGH',
  /** Critical. */
  CRITICAL = 'CRITICAL',
}
Object.freeze(FindingSeverity);

/**
 * How a string criterion of an Amazon Inspector filter compares.
 */
export enum FindingStringComparison {
  /** The value is exactly this. */
  EQUALS = 'EQUALS',
  /** The value starts with this. */
  PREFIX = 'PREFIX',
  /** The value is anything but this. */
  NOT_EQUALS = 'NOT_EQUALS',
}
Object.freeze(FindingStringComparison);

/**
 * What Amazon Inspector does with the findings a filter matches.
 */
export enum FindingFilterAction {
  /** Hide them: suppressed findings leave the active list and are not sent to EventBridge as active. */
  SUPPRESS = 'SUPPRESS',
  /** Nothing: the filter is a saved view of the findings it matches. */
  NONE = 'NONE',
}
Object.freeze(FindingFilterAction);

/**
 * Whether a fix is available for a finding's vulnerable packages.
 */
export enum FindingFixAvailability {
  /** A fixed version exists for every vulnerable package. */
  YES = 'YES',
  /** No fixed version exists. */
  NO = 'NO',
  /** A fixed version exists for some of the vulnerable packages. */
  PARTIAL = 'PARTIAL',
}
Object.freeze(FindingFixAvailability);

/**
 * The status of a finding.
 */
export enum FindingStatus {
  /** Open. */
  ACTIVE = 'ACTIVE',
  /** Hidden by a suppression rule. */
  SUPPRESSED = 'SUPPRESSED',
  /** Remediated, or the resource is gone. */
  CLOSED = 'CLOSED',
}
Object.freeze(FindingStatus);
