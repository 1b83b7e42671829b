/*
 * Sample events of Amazon ECR, one or more per detail type, in the shape AWS
 * documents them and with values of their own (ids, digests, names, times).
 * Each names its source:
 *
 * - "User Guide": the ECR User Guide, "Amazon ECR events and EventBridge"
 *   (https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-eventbridge.html),
 *   which prints a completed image push, an image deletion, a completed
 *   basic scan, a change on a resource with enhanced scanning, and a pull
 *   through cache action.
 * - "Schema": the EventBridge schema registry's `aws.ecr` schemas, as
 *   aws-cdk's generated event patterns list their detail fields
 *   (`@aws-cdk/mixins-preview` `aws_ecr.events`, API reference pages
 *   ECRReplicationAction, ECRReferrerAction, ECRImageAction,
 *   ECRPullThroughCacheAction on docs.aws.amazon.com/cdk/api/v2). No page
 *   prints a replication or referrer event, so their field values (the
 *   `action-type` of a replication, a failure's `result`) are not documented.
 * - `ECR Artifact Action`: the EventBridge events reference ("Amazon Elastic
 *   Container Registry events",
 *   https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-ecr.html)
 *   lists it; no page and no schema gives its fields: only the envelope.
 * - CloudTrail API calls: the envelope of the EventBridge User Guide ("AWS
 *   service events delivered via AWS CloudTrail") around a record in
 *   CloudTrail's record format ("CloudTrail record contents").
 *
 * A failure's value of `result` or `sync-status` is written FAILED below:
 * AWS documents none, and the routes match a failure as anything but SUCCESS.
 */

const DIGEST = 'sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';
const ACCOUNT = '210987654321';

function envelope(detailType: string, id: string, time: string, region: string, resources: string[] = []) {
  return { 'version': '0', id, 'detail-type': detailType, 'source': 'aws.ecr', 'account': ACCOUNT, time, region, resources };
}

/** User Guide, "Event for a completed image push". */
export const IMAGE_PUSH = {
  ...envelope('ECR Image Action', '4f1d2e3c-0a9b-4c8d-9e7f-1a2b3c4d5e6f', '2026-03-02T09:15:00Z', 'eu-west-1'),
  detail: {
    'result': 'SUCCESS',
    'repository-name': 'team-a/api',
    'image-digest': DIGEST,
    'action-type': 'PUSH',
    'image-tag': '1.4.0',
  },
};

/** User Guide, "Event for an image deletion". */
export const IMAGE_DELETE = {
  ...envelope('ECR Image Action', '5e2f3a4b-1c0d-4e9f-8a7b-2c3d4e5f6a7b', '2026-03-02T09:20:00Z', 'eu-west-1'),
  detail: {
    'result': 'SUCCESS',
    'repository-name': 'team-a/api',
    'image-digest': DIGEST,
    'action-type': 'DELETE',
    'image-tag': '1.3.9',
  },
};

/** User Guide, "Event for a completed image scan (basic scanning)": only severities with findings are counted. */
export const IMAGE_SCAN = {
  ...envelope('ECR Image Scan', '6a3b4c5d-2e1f-4a0b-9c8d-3e4f5a6b7c8d', '2026-03-02T09:16:30Z', 'eu-west-1',
    [`arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/team-a/api`]),
  detail: {
    'scan-status': 'COMPLETE',
    'repository-name': 'team-a/api',
    'finding-severity-counts': { HIGH: 2, LOW: 5 },
    'image-digest': DIGEST,
    'image-tags': ['1.4.0'],
  },
};

/** User Guide, "Event for a change notification on a resource with enhanced scanning enabled". */
export const SCAN_RESOURCE_CHANGE = {
  ...envelope('ECR Scan Resource Change', '7b4c5d6e-3f2a-4b1c-8d9e-4f5a6b7c8d9e', '2026-03-02T10:00:00Z', 'eu-west-1'),
  detail: {
    'action-type': 'SCAN_FREQUENCY_CHANGE',
    'repositories': [
      { 'repository-name': 'team-a/api', 'repository-arn': `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/team-a/api`, 'scan-frequency': 'CONTINUOUS_SCAN', 'previous-scan-frequency': 'SCAN_ON_PUSH' },
      { 'repository-name': 'team-a/worker', 'repository-arn': `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/team-a/worker`, 'scan-frequency': 'SCAN_ON_PUSH', 'previous-scan-frequency': 'MANUAL' },
    ],
    'resource-type': 'REPOSITORY',
    'scan-type': 'ENHANCED',
  },
};

/** User Guide, "Event for a pull through cache action". */
export const PULL_THROUGH_CACHE = {
  ...envelope('ECR Pull Through Cache Action', '8c5d6e7f-4a3b-4c2d-9e0f-5a6b7c8d9e0f', '2026-03-02T11:00:00Z', 'eu-west-1',
    [`arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/ecr-public/nginx/nginx`]),
  detail: {
    'rule-version': '2',
    'sync-status': 'SUCCESS',
    'ecr-repository-prefix': 'ecr-public',
    'repository-name': 'ecr-public/nginx/nginx',
    'upstream-registry-url': 'public.ecr.aws',
    'image-tag': '1.27',
    'image-digest': DIGEST,
  },
};

/** Schema (ECRPullThroughCacheAction: failure-code and failure-reason): a cache that could not reach its upstream. */
export const PULL_THROUGH_CACHE_FAILURE = {
  ...PULL_THROUGH_CACHE,
  id: '9d6e7f8a-5b4c-4d3e-8f1a-6b7c8d9e0f1a',
  detail: {
    ...PULL_THROUGH_CACHE.detail,
    'sync-status': 'FAILED',
    'failure-code': 'UPSTREAM_UNREACHABLE',
    'failure-reason': 'The upstream registry did not answer',
  },
};

/** Schema (ECRReplicationAction: action-type, image-digest, image-tag, repository-name, result, source-account, source-region). */
export const REPLICATION = {
  ...envelope('ECR Replication Action', 'ae7f8a9b-6c5d-4e4f-9a2b-7c8d9e0f1a2b', '2026-03-02T09:15:40Z', 'us-east-1'),
  detail: {
    'result': 'SUCCESS',
    'repository-name': 'team-a/api',
    'image-digest': DIGEST,
    'image-tag': '1.4.0',
    'source-account': '111111111111',
    'source-region': 'eu-west-1',
    'action-type': 'REPLICATE',
  },
};

/** Schema (ECRReferrerAction: action-type, artifact-media-type, image-digest, image-tag, last-activated-at, manifest-media-type, repository-name, result, target-storage-class). */
export const REFERRER = {
  ...envelope('ECR Referrer Action', 'bf8a9b0c-7d6e-4f5a-8b3c-8d9e0f1a2b3c', '2026-03-02T09:15:10Z', 'eu-west-1'),
  detail: {
    'result': 'SUCCESS',
    'repository-name': 'team-a/api',
    'image-digest': 'sha256:1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a',
    'action-type': 'PUSH',
    'artifact-media-type': 'application/vnd.cncf.notary.signature',
    'manifest-media-type': 'application/vnd.oci.image.manifest.v1+json',
  },
};

/** EventBridge events reference: the event is listed, its fields are not documented anywhere. */
export const ARTIFACT = {
  ...envelope('ECR Artifact Action', 'c09b0c1d-8e7f-4a6b-9c4d-9e0f1a2b3c4d', '2026-03-02T09:15:20Z', 'eu-west-1'),
  detail: {},
};

/**
 * A call of an ECR API action as EventBridge delivers its CloudTrail record: by default CreateRepository, made in the
 * console. `byCloudFormation` is a call AWS CloudFormation made for a stack: as the records CloudTrail writes for a
 * service acting for the user, `sourceIPAddress`, `userAgent` and `userIdentity.invokedBy` all name the service.
 * `userAgent` alone is the caller's User-Agent header, which a caller may set to anything.
 */
export function apiCall(
  eventName: string,
  opts: { userAgent?: string; repositoryName?: string; errorCode?: string; byCloudFormation?: boolean } = {},
) {
  const cloudFormation = 'cloudformation.amazonaws.com';
  return {
    ...envelope('AWS API Call via CloudTrail', 'd1ac1d2e-9f8a-4b7c-8d5e-0f1a2b3c4d5e', '2026-03-02T12:00:00Z', 'eu-west-1'),
    detail: {
      eventVersion: '1.09',
      userIdentity: { type: 'AssumedRole', accountId: ACCOUNT, ...(opts.byCloudFormation ? { invokedBy: cloudFormation } : {}) },
      eventTime: '2026-03-02T12:00:00Z',
      eventSource: 'ecr.amazonaws.com',
      eventName,
      awsRegion: 'eu-west-1',
      sourceIPAddress: opts.byCloudFormation ? cloudFormation : '198.51.100.24',
      userAgent: opts.byCloudFormation ? cloudFormation : opts.userAgent ?? 'console.amazonaws.com',
      requestParameters: { repositoryName: opts.repositoryName ?? 'team-a/api' },
      ...(opts.errorCode ? { errorCode: opts.errorCode, errorMessage: 'not authorized' } : {}),
      eventType: 'AwsApiCall',
      managementEvent: true,
    },
  };
}

/** The event with some detail fields replaced. */
export function withDetail<T extends { detail: Record<string, unknown> }>(event: T, detail: Record<string, unknown>): T {
  return { ...event, detail: { ...event.detail, ...detail } };
}
