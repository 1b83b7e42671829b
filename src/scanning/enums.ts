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
