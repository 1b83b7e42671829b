/*
 * Sample events of Amazon ECR. Where the ECR User Guide ("Amazon ECR events and
 * EventBridge") prints a sample, it is reproduced field for field (ids and
 * digests included). Where no page prints one (replication, referrer and
 * artifact actions, a CloudTrail API call as EventBridge delivers it), the
 * event is built from the field names the EventBridge schema registry lists
 * for it (aws.ecr@ECRReplicationAction, aws.ecr@ECRReferrerAction) and from
 * CloudTrail's record format, and says so.
 */

const DIGEST = 'sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234';

/** User Guide: "Event for a completed image push". */
export const IMAGE_PUSH = {
  'version': '0',
  'id': '13cde686-328b-6117-af20-0e5566167482',
  'detail-type': 'ECR Image Action',
  'source': 'aws.ecr',
  'account': '123456789012',
  'time': '2019-11-16T01:54:34Z',
  'region': 'us-west-2',
  'resources': [],
  'detail': {
    'result': 'SUCCESS',
    'repository-name': 'my-repository-name',
    'image-digest': DIGEST,
    'action-type': 'PUSH',
    'image-tag': 'latest',
  },
};

/** User Guide: "Event for an image deletion". */
export const IMAGE_DELETE = {
  'version': '0',
  'id': 'dd3b46cb-2c74-f49e-393b-28286b67279d',
  'detail-type': 'ECR Image Action',
  'source': 'aws.ecr',
  'account': '123456789012',
  'time': '2019-11-16T02:01:05Z',
  'region': 'us-west-2',
  'resources': [],
  'detail': {
    'result': 'SUCCESS',
    'repository-name': 'my-repository-name',
    'image-digest': DIGEST,
    'action-type': 'DELETE',
    'image-tag': 'latest',
  },
};

/** User Guide: "Event for a completed image scan (basic scanning)". */
export const IMAGE_SCAN = {
  'version': '0',
  'id': '85fc3613-e913-7fc4-a80c-a3753e4aa9ae',
  'detail-type': 'ECR Image Scan',
  'source': 'aws.ecr',
  'account': '123456789012',
  'time': '2019-10-29T02:36:48Z',
  'region': 'us-east-1',
  'resources': ['arn:aws:ecr:us-east-1:123456789012:repository/my-repository-name'],
  'detail': {
    'scan-status': 'COMPLETE',
    'repository-name': 'my-repository-name',
    'finding-severity-counts': { CRITICAL: 10, MEDIUM: 9 },
    'image-digest': DIGEST,
    'image-tags': [],
  },
};

/** User Guide: "Event for a change notification on a resource with enhanced scanning enabled". */
export const SCAN_RESOURCE_CHANGE = {
  'version': '0',
  'id': '0c18352a-a4d4-6853-ef53-0ab8638973bf',
  'detail-type': 'ECR Scan Resource Change',
  'source': 'aws.ecr',
  'account': '123456789012',
  'time': '2021-10-14T20:53:46Z',
  'region': 'us-east-1',
  'resources': [],
  'detail': {
    'action-type': 'SCAN_FREQUENCY_CHANGE',
    'repositories': [
      { 'repository-name': 'repository-1', 'repository-arn': 'arn:aws:ecr:us-east-1:123456789012:repository/repository-1', 'scan-frequency': 'SCAN_ON_PUSH', 'previous-scan-frequency': 'MANUAL' },
      { 'repository-name': 'repository-2', 'repository-arn': 'arn:aws:ecr:us-east-1:123456789012:repository/repository-2', 'scan-frequency': 'CONTINUOUS_SCAN', 'previous-scan-frequency': 'SCAN_ON_PUSH' },
      { 'repository-name': 'repository-3', 'repository-arn': 'arn:aws:ecr:us-east-1:123456789012:repository/repository-3', 'scan-frequency': 'CONTINUOUS_SCAN', 'previous-scan-frequency': 'SCAN_ON_PUSH' },
    ],
    'resource-type': 'REPOSITORY',
    'scan-type': 'ENHANCED',
  },
};

/** User Guide: "Event for a pull through cache action". */
export const PULL_THROUGH_CACHE = {
  'version': '0',
  'id': '85fc3613-e913-7fc4-a80c-a3753e4aa9ae',
  'detail-type': 'ECR Pull Through Cache Action',
  'source': 'aws.ecr',
  'account': '123456789012',
  'time': '2023-02-29T02:36:48Z',
  'region': 'us-west-2',
  'resources': ['arn:aws:ecr:us-west-2:123456789012:repository/docker-hub/alpine'],
  'detail': {
    'rule-version': '1',
    'sync-status': 'SUCCESS',
    'ecr-repository-prefix': 'docker-hub',
    'repository-name': 'docker-hub/alpine',
    'upstream-registry-url': 'public.ecr.aws',
    'image-tag': '3.17.2',
    'image-digest': 'sha256:4aa08ef415aecc80814cb42fa41b658480779d80c77ab15147be8bb1234',
  },
};

/** Built from the schema registry's field names: no page prints a replication event. */
export const REPLICATION = {
  'version': '0',
  'id': 'c1d2e3f4-0000-4000-8000-000000000001',
  'detail-type': 'ECR Replication Action',
  'source': 'aws.ecr',
  'account': '123456789012',
  'time': '2024-01-10T10:00:00Z',
  'region': 'eu-west-1',
  'resources': [],
  'detail': {
    'result': 'SUCCESS',
    'repository-name': 'team-a/api',
    'image-digest': DIGEST,
    'image-tag': '1.2.3',
    'source-account': '111111111111',
    'source-region': 'us-east-1',
    'action-type': 'REPLICATE',
  },
};

/** Built from the schema registry's field names: no page prints a referrer event. */
export const REFERRER = {
  'version': '0',
  'id': 'c1d2e3f4-0000-4000-8000-000000000002',
  'detail-type': 'ECR Referrer Action',
  'source': 'aws.ecr',
  'account': '123456789012',
  'time': '2024-01-10T10:00:00Z',
  'region': 'eu-west-1',
  'resources': [],
  'detail': {
    'result': 'SUCCESS',
    'repository-name': 'team-a/api',
    'image-digest': DIGEST,
    'action-type': 'PUSH',
    'artifact-media-type': 'application/vnd.cncf.notary.signature',
    'manifest-media-type': 'application/vnd.oci.image.manifest.v1+json',
  },
};

/** No page documents the fields of an artifact action: only its envelope is known. */
export const ARTIFACT = {
  'version': '0',
  'id': 'c1d2e3f4-0000-4000-8000-000000000003',
  'detail-type': 'ECR Artifact Action',
  'source': 'aws.ecr',
  'account': '123456789012',
  'time': '2024-01-10T10:00:00Z',
  'region': 'eu-west-1',
  'resources': [],
  'detail': {},
};

/** A CreateRepository call made in the console, as EventBridge delivers a CloudTrail record (envelope from the EventBridge User Guide, record fields from CloudTrail's record contents). */
export function apiCall(eventName: string, opts: { userAgent?: string; repositoryName?: string; errorCode?: string } = {}) {
  return {
    'version': '0',
    'id': 'c1d2e3f4-0000-4000-8000-000000000004',
    'detail-type': 'AWS API Call via CloudTrail',
    'source': 'aws.ecr',
    'account': '123456789012',
    'time': '2024-01-10T10:00:00Z',
    'region': 'eu-west-1',
    'resources': [],
    'detail': {
      eventVersion: '1.08',
      userIdentity: { type: 'AssumedRole', accountId: '123456789012' },
      eventTime: '2024-01-10T10:00:00Z',
      eventSource: 'ecr.amazonaws.com',
      eventName,
      awsRegion: 'eu-west-1',
      sourceIPAddress: opts.userAgent === 'cloudformation.amazonaws.com' ? 'cloudformation.amazonaws.com' : '203.0.113.10',
      userAgent: opts.userAgent ?? 'console.amazonaws.com',
      requestParameters: { repositoryName: opts.repositoryName ?? 'team-a/api' },
      ...(opts.errorCode ? { errorCode: opts.errorCode, errorMessage: 'denied' } : {}),
      eventType: 'AwsApiCall',
      managementEvent: true,
    },
  };
}

/** The event with some detail fields replaced. */
export function withDetail<T extends { detail: Record<string, unknown> }>(event: T, detail: Record<string, unknown>): T {
  return { ...event, detail: { ...event.detail, ...detail } };
}
