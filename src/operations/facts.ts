import { ECR_ACTIONS } from '../access/ecr-actions.generated';
import { BATCH_IMPORT_UPSTREAM_IMAGE_ACTION, MAX_POLICY_TEXT, REPLICATE_IMAGE_ACTION } from '../internal/ecr-facts';
/*
 * What Amazon ECR sends to EventBridge and publishes to CloudWatch, and the
 * EventBridge quotas a route must fit: the one home of the operations facts.
 * Routes, alarms and dashboards are built from these, and the tests run the
 * documented sample events through the patterns built from them. Each fact
 * names its page; what the pages do not say is said too.
 */

/** The `source` of every ECR event, direct or through CloudTrail (EventBridge events reference, "Amazon Elastic Container Registry events"). @internal */
export const ECR_EVENT_SOURCE = 'aws.ecr';

/**
 * The `detail-type` of each event ECR sends directly to EventBridge, best
 * effort (EventBridge events reference, "Amazon Elastic Container Registry
 * events", lists these seven).
 *
 * @internal
 */
export const EcrDetailType = Object.freeze({
  IMAGE_ACTION: 'ECR Image Action',
  IMAGE_SCAN: 'ECR Image Scan',
  REPLICATION_ACTION: 'ECR Replication Action',
  PULL_THROUGH_CACHE_ACTION: 'ECR Pull Through Cache Action',
  SCAN_RESOURCE_CHANGE: 'ECR Scan Resource Change',
  REFERRER_ACTION: 'ECR Referrer Action',
  ARTIFACT_ACTION: 'ECR Artifact Action',
});

/** The `detail-type` of API calls recorded by CloudTrail (EventBridge User Guide, "AWS service events delivered via AWS CloudTrail"). @internal */
export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** The `detail.eventSource` of ECR API calls recorded by CloudTrail. @internal */
export const ECR_EVENT_SOURCE_NAME = 'ecr.amazonaws.com';

/**
 * What CloudTrail records as the `sourceIPAddress` of a call AWS
 * CloudFormation makes on a stack's behalf, with its own service role or
 * the caller's credentials: the service's DNS name (CloudTrail User Guide,
 * "CloudTrail record contents": for a call an AWS service makes for the
 * user, the service's name; records of such calls carry the same value as
 * `userIdentity.invokedBy` and `userAgent`). The source address is the
 * field to test: AWS writes it, while `userAgent` is the caller's
 * User-Agent header, which anyone can set to this value, and `invokedBy` is
 * absent from the records of direct calls (which `anything-but` would then
 * not match).
 *
 * @internal
 */
export const CLOUDFORMATION_SOURCE = 'cloudformation.amazonaws.com';

/**
 * The detail fields each event type has. Image push, image deletion, basic
 * scan, scan resource change and pull-through cache events: the ECR User
 * Guide's sample events ("Amazon ECR events and EventBridge",
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-eventbridge.html).
 * Replication and referrer events, and the fields the samples do not show
 * (media types of an image action, failure code and reason of a cache
 * action, storage class of a referrer action): the EventBridge schema
 * registry's `aws.ecr` schemas, as aws-cdk's generated event patterns
 * (`@aws-cdk/mixins-preview` `aws_ecr.events`: ECRImageAction,
 * ECRReplicationAction, ECRReferrerAction, ECRPullThroughCacheAction)
 * list them. `ECR Artifact Action` has no schema there and no sample: no
 * field is documented. The repository name of an `ECR Scan Resource
 * Change` event is inside the `repositories` list.
 *
 * @internal
 */
export const EVENT_FIELDS = Object.freeze({
  [EcrDetailType.IMAGE_ACTION]: ['action-type', 'result', 'repository-name', 'image-digest', 'image-tag', 'artifact-media-type', 'manifest-media-type'],
  [EcrDetailType.IMAGE_SCAN]: ['scan-status', 'repository-name', 'finding-severity-counts', 'image-digest', 'image-tags'],
  [EcrDetailType.REPLICATION_ACTION]: ['action-type', 'result', 'repository-name', 'image-digest', 'image-tag', 'source-account', 'source-region'],
  [EcrDetailType.PULL_THROUGH_CACHE_ACTION]: ['rule-version', 'sync-status', 'ecr-repository-prefix', 'repository-name', 'upstream-registry-url', 'image-tag', 'image-digest', 'failure-code', 'failure-reason'],
  [EcrDetailType.SCAN_RESOURCE_CHANGE]: ['action-type', 'repositories', 'resource-type', 'scan-type'],
  [EcrDetailType.REFERRER_ACTION]: ['action-type', 'result', 'repository-name', 'image-digest', 'image-tag', 'artifact-media-type', 'manifest-media-type', 'last-activated-at', 'target-storage-class'],
  [EcrDetailType.ARTIFACT_ACTION]: [],
} as Record<string, readonly string[]>);

/**
 * The value of `result` (image, replication and referrer actions) and of
 * `sync-status` (pull-through cache) that ECR documents: `SUCCESS`. The
 * samples show no failure, so the value of a failure is not documented
 * (`FAILURE` and `FAILED` both appear in AWS's own writing): a failure is
 * matched as anything but `SUCCESS`.
 *
 * @internal
 */
export const SUCCESS_RESULT = 'SUCCESS';

/** The `scan-status` of a completed basic scan (ECR User Guide, sample events). @internal */
export const SCAN_COMPLETE = 'COMPLETE';

/** The access levels of the IAM service authorization data whose actions change nothing. */
const READ_ACCESS_LEVELS = /^(Read|List)$/;

/**
 * IAM permissions of ECR that no API call carries: ECR checks them when it
 * replicates an image or imports one from a pull-through cache's upstream,
 * so CloudTrail records no call of those names.
 */
const PERMISSION_ONLY_ACTIONS: readonly string[] = [REPLICATE_IMAGE_ACTION, BATCH_IMPORT_UPSTREAM_IMAGE_ACTION].map((a) => a.replace(/^ecr:/, ''));

/**
 * ECR API actions that change the registry or its repositories, as CloudTrail
 * names them (`eventName`): the actions of the IAM service authorization data
 * (the one list of ECR's actions, `ecr-actions.generated.ts`) whose access
 * level is not Read or List, but the permission-only ones. EventBridge
 * receives the CloudTrail events of calls that change something; read-only
 * calls are not delivered to rules (EventBridge User Guide, "AWS service
 * events delivered via AWS CloudTrail").
 *
 * @internal
 */
export const ECR_MUTATING_API_ACTIONS: readonly string[] = Object.freeze(ECR_ACTIONS
  .filter((a) => !READ_ACCESS_LEVELS.test(a.accessLevel) && !PERMISSION_ONLY_ACTIONS.includes(a.name)).map((a) => a.name));

/** ECR API actions that only read (access level Read or List), whose CloudTrail events rules do not receive. @internal */
export const ECR_READ_ONLY_API_ACTIONS: readonly string[] = Object.freeze(ECR_ACTIONS
  .filter((a) => READ_ACCESS_LEVELS.test(a.accessLevel)).map((a) => a.name));

/**
 * The API calls that change a repository or a registry setting the catalog
 * owns: made outside CloudFormation, they are "click-ops".
 *
 * @internal
 */
export const CLICK_OPS_API_ACTIONS: readonly string[] = Object.freeze([
  'CreateRepository', 'DeleteRepository', 'SetRepositoryPolicy', 'DeleteRepositoryPolicy',
  'PutLifecyclePolicy', 'DeleteLifecyclePolicy', 'PutImageTagMutability', 'PutImageScanningConfiguration',
  'TagResource', 'UntagResource',
  'PutRegistryPolicy', 'DeleteRegistryPolicy', 'PutReplicationConfiguration', 'PutRegistryScanningConfiguration',
  'CreatePullThroughCacheRule', 'UpdatePullThroughCacheRule', 'DeletePullThroughCacheRule',
  'CreateRepositoryCreationTemplate', 'UpdateRepositoryCreationTemplate', 'DeleteRepositoryCreationTemplate',
  'PutSigningConfiguration', 'DeleteSigningConfiguration', 'PutAccountSetting',
  'RegisterPullTimeUpdateExclusion', 'DeregisterPullTimeUpdateExclusion',
]);

// ---------------------------------------------------------------------------
// Usage metrics and rate quotas
// ---------------------------------------------------------------------------

/** The CloudWatch namespace of AWS usage metrics (ECR User Guide, "Amazon ECR usage metrics"). @internal */
export const USAGE_NAMESPACE = 'AWS/Usage';

/** The usage metric of API calls, statistic SUM over one-minute periods. @internal */
export const CALL_COUNT_METRIC = 'CallCount';

/**
 * The dimensions every ECR API usage metric has besides `Resource` (the API
 * action): ECR does not use the `Class` dimension (ECR User Guide, "Amazon
 * ECR usage metrics",
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/monitoring-usage.html).
 *
 * The current page also lists `ResourceCount` (statistic MAXIMUM over 5
 * minutes, "the number of the specified resources in your account") with a
 * second table of dimensions for resource usage metrics; the copies of the
 * page at hand (the Japanese translation of the current page, the
 * awsdocs/amazon-ecr-user-guide repository, which predates the metric) are
 * cut off before that table, so the `Type` and `Resource` values ECR gives
 * `ResourceCount` (whether one counts repositories per registry) are not
 * known. No alarm uses `ResourceCount`: an alarm on guessed dimensions
 * would never go off. Service Quotas shows the metric of each quota that
 * has one (its "usage metric" of the quota), for an alarm made there.
 *
 * @internal
 */
export const ECR_USAGE_DIMENSIONS = Object.freeze({ Service: 'ECR', Type: 'API' });

/**
 * The ECR API actions with a usage metric (`Resource` dimension of
 * `CallCount`) and their default rate quota, in requests per second per
 * account and region.
 *
 * The eight actions are the ones "Amazon ECR usage metrics" lists (all of
 * them: GetAuthorizationToken, BatchCheckLayerAvailability,
 * InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload, PutImage,
 * BatchGetImage, GetDownloadUrlForLayer), so the alarms cover every action
 * with a usage metric.
 *
 * Values: BatchCheckLayerAvailability 1,000 and BatchGetImage 2,000 per
 * second are read in the current quota table (ECR User Guide, "Amazon ECR
 * service quotas",
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/service-quotas.html,
 * both adjustable). The other six are NOT verified: every copy of that
 * page and of the general reference ("Amazon ECR endpoints and quotas")
 * that could be searched stops before their rows, and the repository
 * awsdocs/amazon-ecr-user-guide holds only a link to the table. No page
 * at hand confirms the six values below; the troubleshooting page
 * ("Troubleshooting Amazon ECR error messages") describes
 * GetAuthorizationToken as 20 per second with bursts of 200, an older
 * throttle that does not match the quota table's format. Every rate quota is adjustable and per account: alarms take
 * the account's applied value as an override (`quotas`), which is what a
 * platform team should pass, read from Service Quotas
 * (`aws service-quotas list-service-quotas --service-code ecr`).
 *
 * @internal
 */
export const ECR_RATE_QUOTAS: Readonly<Record<string, number>> = Object.freeze({
  GetAuthorizationToken: 500,
  BatchCheckLayerAvailability: 1000,
  InitiateLayerUpload: 100,
  UploadLayerPart: 500,
  CompleteLayerUpload: 100,
  PutImage: 10,
  BatchGetImage: 2000,
  GetDownloadUrlForLayer: 3000,
});

/**
 * The longest time an alarm with a period under one hour may evaluate, in
 * seconds: Period × EvaluationPeriods at most one day (CloudWatch API
 * reference, PutMetricAlarm, `Period`).
 *
 * @internal
 */
export const MAX_SHORT_PERIOD_ALARM_EVALUATION_SECONDS = 86400;

/**
 * The most metrics one graph of a dashboard shows (CloudWatch API reference,
 * "Dashboard Body Structure and Syntax": one metrics array holds 0–100
 * metrics and expressions; a dashboard holds 0–500 widgets).
 *
 * @internal
 */
export const MAX_METRICS_PER_GRAPH = 100;

// ---------------------------------------------------------------------------
// EventBridge
// ---------------------------------------------------------------------------

/** The longest event pattern EventBridge accepts, in characters (EventBridge User Guide, "Amazon EventBridge quotas": event pattern size 2,048, not adjustable). @internal */
export const MAX_EVENT_PATTERN_LENGTH = 2048;

/**
 * Rules per event bus (EventBridge quotas: 300 in every region but
 * af-south-1 and eu-south-1, where it is 100; adjustable).
 *
 * @internal
 */
export function rulesPerBusQuota(region: string | undefined): number {
  return region === 'af-south-1' || region === 'eu-south-1' ? 100 : 300;
}

/**
 * The longest CloudWatch Logs resource policy, in characters (CloudWatch
 * Logs API reference, PutResourcePolicy, `policyDocument`: 1 to 5,120).
 *
 * @internal
 */
export const MAX_LOGS_RESOURCE_POLICY_LENGTH = 5120;

/**
 * CloudWatch Logs resource policies per account and region (CloudWatch
 * Logs API reference, PutResourcePolicy: "An account can have up to 10
 * resource policies per AWS Region"; not adjustable).
 *
 * @internal
 */
export const MAX_LOGS_RESOURCE_POLICIES = 10;

/**
 * The largest SQS queue policy, in bytes, and the most statements it holds
 * (Amazon SQS Developer Guide, "Amazon SQS policy quotas": 8,192 bytes, 20
 * statements). SNS topic policies are held to the same size here.
 *
 * @internal
 */
export const SQS_POLICY_QUOTAS = Object.freeze({ bytes: 8192, statements: 20 });

/** Targets per rule (EventBridge quotas: 5, not adjustable). @internal */
export const MAX_TARGETS_PER_RULE = 5;

/**
 * The longest event bus resource policy, in characters (EventBridge quotas:
 * 10,240, adjustable): the same number as ECR's policy text quota, which has
 * one home. @internal
 */
export const MAX_BUS_POLICY_LENGTH = MAX_POLICY_TEXT;

/** The retry attempts EventBridge allows a target (RetryPolicy, MaximumRetryAttempts 0–185). @internal */
export const MAX_RETRY_ATTEMPTS = 185;

/** The longest event age EventBridge allows a target to retry for, in seconds (RetryPolicy, MaximumEventAgeInSeconds 60–86,400). @internal */
export const EVENT_AGE_RANGE_SECONDS = Object.freeze({ min: 60, max: 86400 });
