import { Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { matchesPattern } from './matcher';
import * as samples from './samples';
import {
  EcrEvent, EventOutcome, ImageActionType, RegistryEventRouting, RepositoryScanFrequency,
} from '../../src';
import { ECR_ACTIONS } from '../../src/access/ecr-actions.generated';
import { CLICK_OPS_API_ACTIONS, EVENT_FIELDS } from '../../src/operations/facts';
import { ENV, strictApp, strictStack, validTemplate } from '../util/harness';

/** The event pattern of each rule of the synthesized template, by the rule's logical ID prefix. */
function patterns(build: (routing: RegistryEventRouting) => void): Record<string, any> {
  const stack = strictStack();
  build(new RegistryEventRouting(stack, 'Ops'));
  const template: Template = validTemplate(stack, { nag: true });
  const out: Record<string, any> = {};
  for (const [logicalId, r] of Object.entries<any>(template.findResources('AWS::Events::Rule'))) {
    out[logicalId.replace(/^Ops/, '').replace(/[0-9A-F]{8}$/, '')] = r.Properties.EventPattern;
  }
  return out;
}

describe('a typed route for every event ECR sends: the synthesized pattern matches the documented sample and refuses its counterpart', () => {
  const p = patterns((routing) => {
    routing.addRoute('Deletes', EcrEvent.imageAction({ actionTypes: [ImageActionType.DELETE], repositoryNames: ['team-a/api'] }));
    routing.addRoute('Pushes', EcrEvent.imageAction({ actionTypes: [ImageActionType.PUSH], outcome: EventOutcome.SUCCESS }));
    routing.addRoute('FailedPushes', EcrEvent.imageAction({ actionTypes: [ImageActionType.PUSH], outcome: EventOutcome.FAILURE }));
    routing.addRoute('Scans', EcrEvent.imageScan({ outcome: EventOutcome.SUCCESS, repositoryPrefixes: ['team-a/'] }));
    routing.addRoute('ScanFailures', EcrEvent.imageScan({ outcome: EventOutcome.FAILURE }));
    routing.addRoute('Replication', EcrEvent.replicationAction({ sourceAccounts: ['111111111111'] }));
    routing.addRoute('Replicated', EcrEvent.replicationAction({ outcome: EventOutcome.SUCCESS, repositoryPrefixes: ['team-a/'] }));
    routing.addRoute('Cache', EcrEvent.pullThroughCacheAction({ cachePrefixes: ['ecr-public'] }));
    routing.addRoute('CacheSyncs', EcrEvent.pullThroughCacheAction({ outcome: EventOutcome.SUCCESS, upstreamRegistryUrls: ['public.ecr.aws'] }));
    routing.addRoute('Manual', EcrEvent.scanResourceChange({ scanFrequencies: [RepositoryScanFrequency.MANUAL] }));
    routing.addRoute('Continuous', EcrEvent.scanResourceChange({ scanFrequencies: [RepositoryScanFrequency.CONTINUOUS_SCAN], repositoryPrefixes: ['team-a/'] }));
    routing.addRoute('Referrers', EcrEvent.referrerAction({ repositoryPrefixes: ['team-a/'] }));
    routing.addRoute('Signatures', EcrEvent.referrerAction({ artifactMediaTypes: ['application/vnd.cncf.notary.signature'], outcome: EventOutcome.SUCCESS }));
    routing.addRoute('Artifacts', EcrEvent.artifactAction());
    routing.addRoute('ClickOps', EcrEvent.clickOps({ repositoryPrefixes: ['team-a/'] }));
    routing.addRoute('FailedDeletes', EcrEvent.apiCall({ eventNames: ['DeleteRepository', 'BatchDeleteImage'], failedOnly: true }));
  });

  test.each<[string, string, unknown, unknown]>([
    ['ECR Image Action (deletion)', 'Deletes', samples.IMAGE_DELETE, samples.IMAGE_PUSH],
    ['ECR Image Action (push)', 'Pushes', samples.IMAGE_PUSH, samples.withDetail(samples.IMAGE_PUSH, { result: 'FAILED' })],
    ['ECR Image Action (failed push)', 'FailedPushes', samples.withDetail(samples.IMAGE_PUSH, { result: 'FAILED' }), samples.IMAGE_PUSH],
    ['ECR Image Scan (completed)', 'Scans', samples.IMAGE_SCAN, samples.withDetail(samples.IMAGE_SCAN, { 'repository-name': 'team-b/web' })],
    ['ECR Image Scan (failed)', 'ScanFailures', samples.withDetail(samples.IMAGE_SCAN, { 'scan-status': 'FAILED' }), samples.IMAGE_SCAN],
    ['ECR Replication Action (failure)', 'Replication', samples.withDetail(samples.REPLICATION, { result: 'FAILED' }), samples.REPLICATION],
    ['ECR Replication Action (failure from another account)', 'Replication',
      samples.withDetail(samples.REPLICATION, { result: 'FAILED' }), samples.withDetail(samples.REPLICATION, { 'result': 'FAILED', 'source-account': '222222222222' })],
    ['ECR Replication Action (success)', 'Replicated', samples.REPLICATION, samples.withDetail(samples.REPLICATION, { 'repository-name': 'team-b/web' })],
    ['ECR Pull Through Cache Action (failure)', 'Cache', samples.PULL_THROUGH_CACHE_FAILURE, samples.PULL_THROUGH_CACHE],
    ['ECR Pull Through Cache Action (sync)', 'CacheSyncs', samples.PULL_THROUGH_CACHE, samples.withDetail(samples.PULL_THROUGH_CACHE, { 'upstream-registry-url': 'quay.io' })],
    ['ECR Scan Resource Change (fell back to manual)', 'Manual', samples.withDetail(samples.SCAN_RESOURCE_CHANGE, {
      repositories: [{ 'repository-name': 'team-a/api', 'scan-frequency': 'MANUAL', 'previous-scan-frequency': 'CONTINUOUS_SCAN' }],
    }), samples.SCAN_RESOURCE_CHANGE],
    ['ECR Scan Resource Change (continuous)', 'Continuous', samples.SCAN_RESOURCE_CHANGE, samples.withDetail(samples.SCAN_RESOURCE_CHANGE, {
      repositories: [{ 'repository-name': 'team-b/web', 'scan-frequency': 'CONTINUOUS_SCAN' }],
    })],
    ['ECR Referrer Action', 'Referrers', samples.REFERRER, samples.withDetail(samples.REFERRER, { 'repository-name': 'team-b/api' })],
    ['ECR Referrer Action (signatures)', 'Signatures', samples.REFERRER, samples.withDetail(samples.REFERRER, { 'artifact-media-type': 'application/spdx+json' })],
    ['ECR Artifact Action', 'Artifacts', samples.ARTIFACT, samples.IMAGE_PUSH],
    ['CloudTrail: click-ops', 'ClickOps', samples.apiCall('CreateRepository'), samples.apiCall('CreateRepository', { byCloudFormation: true })],
    ['CloudTrail: click-ops with CloudFormation\'s name as its user agent (a header the caller sets)', 'ClickOps',
      samples.apiCall('DeleteRepository', { userAgent: 'cloudformation.amazonaws.com' }), samples.apiCall('DeleteRepository', { byCloudFormation: true })],
    ['CloudTrail: click-ops outside the prefixes', 'ClickOps', samples.apiCall('SetRepositoryPolicy'), samples.apiCall('DeleteRepository', { repositoryName: 'team-b/api' })],
    ['CloudTrail: failed calls', 'FailedDeletes', samples.apiCall('DeleteRepository', { errorCode: 'AccessDenied' }), samples.apiCall('DeleteRepository')],
  ])('%s', (_name, route, matching, notMatching) => {
    const pattern = p[route];
    expect(pattern).toBeDefined();
    expect(matchesPattern(pattern, matching)).toBe(true);
    expect(matchesPattern(pattern, notMatching)).toBe(false);
  });

  test('a scan change filtered on names and frequencies matches a change whose repositories meet each filter separately (EventBridge matches a list of objects field by field), and the route warns of it', () => {
    const stack = strictStack();
    const rule = new RegistryEventRouting(stack, 'Ops')
      .addRoute('Manual', EcrEvent.scanResourceChange({ scanFrequencies: [RepositoryScanFrequency.MANUAL], repositoryPrefixes: ['team-a/'] }));
    const pattern = Object.values<any>(Template.fromStack(stack).findResources('AWS::Events::Rule'))[0].Properties.EventPattern;
    const crossed = samples.withDetail(samples.SCAN_RESOURCE_CHANGE, {
      repositories: [
        { 'repository-name': 'team-a/api', 'scan-frequency': 'CONTINUOUS_SCAN', 'previous-scan-frequency': 'SCAN_ON_PUSH' },
        { 'repository-name': 'team-b/web', 'scan-frequency': 'MANUAL', 'previous-scan-frequency': 'CONTINUOUS_SCAN' },
      ],
    });
    expect(matchesPattern(pattern, crossed)).toBe(true);
    Annotations.fromStack(stack).hasWarning(`/${rule.node.path}`, Match.stringLikeRegexp('matches each field of a list of objects across all of them'));
    const plain = strictStack();
    new RegistryEventRouting(plain, 'Ops').addRoute('Manual', EcrEvent.scanResourceChange({ scanFrequencies: [RepositoryScanFrequency.MANUAL] }));
    expect(Annotations.fromStack(plain).findWarning('*', Match.stringLikeRegexp('list of objects'))).toEqual([]);
  });

  test('click-ops covers the changes of every repository and registry setting the catalog renders, by default', () => {
    const stack = strictStack();
    new RegistryEventRouting(stack, 'Ops').addRoute('ClickOps', EcrEvent.clickOps());
    const pattern = Object.values<any>(Template.fromStack(stack).findResources('AWS::Events::Rule'))[0].Properties.EventPattern;
    const missed = [
      'CreateRepository', 'TagResource', 'PutLifecyclePolicy', 'UpdatePullThroughCacheRule', 'CreateRepositoryCreationTemplate',
      'UpdateRepositoryCreationTemplate', 'PutSigningConfiguration', 'PutAccountSetting', 'RegisterPullTimeUpdateExclusion',
    ].filter((name) => !matchesPattern(pattern, samples.apiCall(name)));
    expect(missed).toEqual([]);
  });

  test('no route matches a sample of another event type', () => {
    const all: any[] = [
      samples.IMAGE_PUSH, samples.IMAGE_DELETE, samples.IMAGE_SCAN, samples.SCAN_RESOURCE_CHANGE, samples.PULL_THROUGH_CACHE,
      samples.PULL_THROUGH_CACHE_FAILURE, samples.REPLICATION, samples.REFERRER, samples.ARTIFACT, samples.apiCall('CreateRepository'),
    ];
    const crossed = Object.entries<any>(p).flatMap(([route, pattern]) => all
      .filter((sample) => sample['detail-type'] !== pattern['detail-type'][0] && matchesPattern(pattern, sample))
      .map((sample) => `${route} matches ${sample['detail-type']}`));
    expect(crossed).toEqual([]);
  });

  test('every sample carries only fields its event type documents, and every documented type has a sample', () => {
    const all: any[] = [
      samples.IMAGE_PUSH, samples.IMAGE_DELETE, samples.IMAGE_SCAN, samples.SCAN_RESOURCE_CHANGE, samples.PULL_THROUGH_CACHE,
      samples.PULL_THROUGH_CACHE_FAILURE, samples.REPLICATION, samples.REFERRER, samples.ARTIFACT,
    ];
    const fields = EVENT_FIELDS as Record<string, readonly string[]>;
    const undocumented = all.flatMap((sample) => Object.keys(sample.detail)
      .filter((f) => !fields[sample['detail-type']].includes(f)).map((f) => `${sample['detail-type']}: ${f}`));
    expect(undocumented).toEqual([]);
    expect(new Set(all.map((sample) => sample['detail-type']))).toEqual(new Set(Object.keys(fields)));
  });

  test('every event type of the EventBridge events reference has a route', () => {
    const detailTypes = new Set(Object.values(p).map((pattern) => pattern['detail-type'][0]));
    expect([...detailTypes].sort()).toEqual([
      'AWS API Call via CloudTrail', 'ECR Artifact Action', 'ECR Image Action', 'ECR Image Scan', 'ECR Pull Through Cache Action',
      'ECR Referrer Action', 'ECR Replication Action', 'ECR Scan Resource Change',
    ]);
  });

  test('every detail field a route filters on is one its event type documents (no pattern on a field ECR never sends)', () => {
    const undocumented = Object.entries<any>(p).flatMap(([route, pattern]) => {
      const type = pattern['detail-type']?.[0];
      if (!(type in EVENT_FIELDS)) return [];
      const documented = (EVENT_FIELDS as Record<string, readonly string[]>)[type];
      return Object.keys(pattern.detail ?? {}).filter((field) => !documented.includes(field)).map((field) => `${route}: ${type} ${field}`);
    });
    expect(Object.keys(p).length).toBeGreaterThan(5);
    expect(undocumented).toEqual([]);
  });

  test('the failure filter is "anything but SUCCESS", so an undocumented failure value still matches', () => {
    expect(p.Replication.detail.result).toEqual([{ 'anything-but': ['SUCCESS'] }]);
    expect(p.Cache.detail['sync-status']).toEqual([{ 'anything-but': ['SUCCESS'] }]);
  });
});

describe('filters that can never match are refused where the route is added, naming the construct and the rule', () => {
  function add(event: () => EcrEvent): () => void {
    return () => new RegistryEventRouting(strictStack(), 'Ops').addRoute('Route', event());
  }

  test.each<[string, () => EcrEvent, RegExp]>([
    ['an empty prefix list', () => EcrEvent.imageAction({ repositoryPrefixes: [] }), /repositoryPrefixes is empty: no event would match/],
    ['an empty name list', () => EcrEvent.replicationAction({ repositoryNames: [] }), /repositoryNames is empty/],
    ['a prefix no repository name starts with', () => EcrEvent.imageAction({ repositoryPrefixes: ['Team/'] }), /'Team\/', which cannot start a repository name/],
    ['an invalid repository name', () => EcrEvent.imageAction({ repositoryNames: ['-bad'] }), /'-bad', which is not a repository name/],
    ['an empty action list', () => EcrEvent.imageAction({ actionTypes: [] }), /actionTypes is empty/],
    ['an empty scan frequency list', () => EcrEvent.scanResourceChange({ scanFrequencies: [] }), /scanFrequencies is empty/],
    ['a source account that is not one', () => EcrEvent.replicationAction({ sourceAccounts: ['12345'] }), /'12345', which is not an AWS account ID/],
    ['a read-only API call', () => EcrEvent.apiCall({ eventNames: ['DescribeRepositories'] }), /a read-only call: EventBridge does not deliver/],
    ['an API action ECR does not have', () => EcrEvent.apiCall({ eventNames: ['CreateBucket'] }), /'CreateBucket', which is not an ECR API action/],
    ['no API action', () => EcrEvent.apiCall({ eventNames: [] }), /eventNames is empty/],
    ['an empty cache prefix list', () => EcrEvent.pullThroughCacheAction({ cachePrefixes: [] }), /cachePrefixes is empty/],
    ['an empty artifact media type list', () => EcrEvent.referrerAction({ artifactMediaTypes: [] }), /artifactMediaTypes is empty/],
    ['an empty artifact media type', () => EcrEvent.referrerAction({ artifactMediaTypes: [''] }), /artifactMediaTypes holds an empty string/],
  ])('%s', (_name, event, message) => {
    expect(add(event)).toThrow(message);
    expect(add(event)).toThrow(/^RegistryEventRouting 'Stack\/Ops\/Route': \d+ problems?:/);
  });

  test('API calls: every action of IAM\'s data that changes something is routed, every Read or List action is refused as read-only, and the click-ops actions are among the routed ones', () => {
    const verdicts = ECR_ACTIONS.map((action) => {
      try {
        add(() => EcrEvent.apiCall({ eventNames: [action.name] }))();
        return `${action.name}: routed`;
      } catch (e) {
        return `${action.name}: ${/a read-only call/.test((e as Error).message) ? 'read-only' : 'refused'}`;
      }
    });
    const expected = ECR_ACTIONS.map((action) => `${action.name}: ${/^(Read|List)$/.test(action.accessLevel) ? 'read-only'
      : ['ReplicateImage', 'BatchImportUpstreamImage'].includes(action.name) ? 'refused' : 'routed'}`);
    expect(verdicts).toEqual(expected);
    expect(verdicts).toEqual(expect.arrayContaining(['BatchGetImage: read-only', 'ValidatePullThroughCacheRule: read-only', 'PutImage: routed']));
    const routed = new Set(verdicts.filter((v) => v.endsWith('routed')).map((v) => v.split(':')[0]));
    expect(CLICK_OPS_API_ACTIONS.filter((name) => !routed.has(name))).toEqual([]);
  });

  test('a prefix known only at synth (Lazy) is checked at synth, naming the route', () => {
    const app = strictApp();
    const routing = new RegistryEventRouting(new Stack(app, 'Stack', { env: ENV }), 'Ops');
    routing.addRoute('Route', EcrEvent.imageAction({ repositoryPrefixes: Lazy.list({ produce: () => ['Team/'] }) }));
    expect(() => app.synth()).toThrow(/RegistryEventRouting 'Stack\/Ops\/Route': 1 problem:\n {2}- repositoryPrefixes holds 'Team\/', which cannot start a repository name/);
  });

  test('a valid prefix list known only at synth (Lazy) is rendered at synth', () => {
    const stack = strictStack();
    new RegistryEventRouting(stack, 'Ops').addRoute('Route', EcrEvent.imageAction({ repositoryPrefixes: Lazy.list({ produce: () => ['my-', 'team-a/'] }) }));
    const pattern = Object.values<any>(validTemplate(stack).findResources('AWS::Events::Rule'))[0].Properties.EventPattern;
    expect(pattern.detail['repository-name']).toEqual([{ prefix: 'my-' }, { prefix: 'team-a/' }]);
    expect(matchesPattern(pattern, samples.IMAGE_PUSH)).toBe(true);
  });

  test('an action type ECR never sends (untyped callers) is refused by the factory', () => {
    expect(() => EcrEvent.imageAction({ actionTypes: ['PULL' as ImageActionType] })).toThrow(/actionTypes\[0\] is "PULL": expected one of PUSH, DELETE/);
    expect(() => EcrEvent.imageAction({ outcome: 'FAILED' as EventOutcome })).toThrow(/outcome is "FAILED": expected one of SUCCESS, FAILURE, ANY/);
  });
});
