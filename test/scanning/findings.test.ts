import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { FindingSeverity, FindingsRouting, FindingSuppression, FindingSuppressionProps } from '../../src';
import { acknowledgeControlTower, CT } from '../util/control-tower';
import { strictStack, validTemplate } from '../util/harness';

function rulePatterns(stack: Stack, opts: { nag?: boolean } = { nag: true }): Record<string, any> {
  const template = validTemplate(stack, opts);
  const rules = template.findResources('AWS::Events::Rule');
  const out: Record<string, any> = {};
  for (const r of Object.values<any>(rules)) out[r.Properties.EventPattern.source[0]] = r.Properties.EventPattern;
  return out;
}

describe('FindingsRouting', () => {
  test('given the defaults, then HIGH and CRITICAL findings of both scanners go to a KMS-encrypted, TLS-only topic', () => {
    const stack = strictStack();
    new FindingsRouting(stack, 'Findings');
    const patterns = rulePatterns(stack);
    expect(patterns['aws.inspector2']).toEqual({
      'source': ['aws.inspector2'],
      'detail-type': ['Inspector2 Finding'],
      'detail': {
        severity: ['HIGH', 'CRITICAL'],
        status: ['ACTIVE'],
        resources: { type: ['AWS_ECR_CONTAINER_IMAGE'] },
      },
    });
    expect(patterns['aws.ecr']).toEqual({
      'source': ['aws.ecr'],
      'detail-type': ['ECR Image Scan'],
      'detail': {
        'scan-status': ['COMPLETE'],
        '$or': [
          { 'finding-severity-counts': { HIGH: [{ numeric: ['>', 0] }] } },
          { 'finding-severity-counts': { CRITICAL: [{ numeric: ['>', 0] }] } },
        ],
      },
    });

    const template = validTemplate(stack);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish' }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
        ]),
      },
    });
  });

  test('given CRITICAL only and some repositories, then the patterns name exactly those', () => {
    const stack = strictStack();
    new FindingsRouting(stack, 'Findings', { minimumSeverity: FindingSeverity.CRITICAL, repositoryNames: ['platform/api', 'platform/web'] });
    const patterns = rulePatterns(stack);
    expect(patterns['aws.inspector2'].detail).toEqual({
      severity: ['CRITICAL'],
      status: ['ACTIVE'],
      resources: { type: ['AWS_ECR_CONTAINER_IMAGE'], details: { awsEcrContainerImage: { repositoryName: ['platform/api', 'platform/web'] } } },
    });
    expect(patterns['aws.ecr'].detail).toEqual({
      'scan-status': ['COMPLETE'],
      'repository-name': ['platform/api', 'platform/web'],
      'finding-severity-counts': { CRITICAL: [{ numeric: ['>', 0] }] },
    });
  });

  test.each([
    [FindingSeverity.INFORMATIONAL, ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']],
    [FindingSeverity.LOW, ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']],
    [FindingSeverity.MEDIUM, ['MEDIUM', 'HIGH', 'CRITICAL']],
    [FindingSeverity.HIGH, ['HIGH', 'CRITICAL']],
    [FindingSeverity.CRITICAL, ['CRITICAL']],
  ])('given a minimum of %s, then the severities are %j', (minimum, expected) => {
    const stack = strictStack();
    const route = new FindingsRouting(stack, 'Findings', { minimumSeverity: minimum, basicScanFindings: false });
    expect(route.basicScanRule).toBeUndefined();
    expect(rulePatterns(stack)['aws.inspector2'].detail.severity).toEqual(expected);
  });

  test('given explicit targets, then no topic is created and both rules use them', () => {
    const stack = strictStack();
    const queue = new sqs.Queue(stack, 'Queue', { enforceSSL: true });
    acknowledgeControlTower(queue, [CT.SQS_DLQ, CT.SQS_ENCRYPTED], 'a target of the user, kept minimal');
    const route = new FindingsRouting(stack, 'Findings', { targets: [new targets.SqsQueue(queue)], inspectorFindings: false });
    expect(route.topic).toBeUndefined();
    const template = validTemplate(stack);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.hasResourceProperties('AWS::Events::Rule', { Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Queue'), 'Arn'] } })] });
  });

  test.each<[string, () => void, RegExp]>([
    ['both sources off', () => new FindingsRouting(strictStack(), 'F', { inspectorFindings: false, basicScanFindings: false }), /nothing would be routed/],
    ['no repository', () => new FindingsRouting(strictStack(), 'F', { repositoryNames: [] }), /repositoryNames is empty/],
    ['no target', () => new FindingsRouting(strictStack(), 'F', { targets: [] }), /targets is empty/],
  ])('given %s, then it fails with a clear message', (_, build, message) => {
    expect(build).toThrow(message);
  });
});

describe('FindingSuppression', () => {
  test('given typed criteria, then a SUPPRESS filter narrowed to ECR images is rendered', () => {
    const stack = strictStack();
    new FindingSuppression(stack, 'AcceptedRisk', {
      reason: 'Not reachable: the image runs no shell',
      filterName: 'accepted-risk',
      repositoryNames: ['platform/api'],
      repositoryNamePrefixes: ['team-a/'],
      imageTags: ['v1'],
      vulnerabilityIds: ['CVE-2023-12345'],
      severities: [FindingSeverity.LOW, FindingSeverity.MEDIUM],
    });
    validTemplate(stack, { nag: true }).hasResourceProperties('AWS::InspectorV2::Filter', {
      Name: 'accepted-risk',
      Description: 'Not reachable: the image runs no shell',
      FilterAction: 'SUPPRESS',
      FilterCriteria: {
        ResourceType: [{ Comparison: 'EQUALS', Value: 'AWS_ECR_CONTAINER_IMAGE' }],
        EcrImageRepositoryName: [{ Comparison: 'EQUALS', Value: 'platform/api' }, { Comparison: 'PREFIX', Value: 'team-a/' }],
        EcrImageTags: [{ Comparison: 'EQUALS', Value: 'v1' }],
        VulnerabilityId: [{ Comparison: 'EQUALS', Value: 'CVE-2023-12345' }],
        Severity: [{ Comparison: 'EQUALS', Value: 'LOW' }, { Comparison: 'EQUALS', Value: 'MEDIUM' }],
      },
    });
  });

  test('given no name, then a unique name is derived from the path', () => {
    const stack = strictStack();
    new FindingSuppression(stack, 'Cve', { reason: 'r', vulnerabilityIds: ['CVE-1'] });
    validTemplate(stack).hasResourceProperties('AWS::InspectorV2::Filter', { Name: Match.stringLikeRegexp('^StackCve') });
  });

  test.each<[string, Partial<FindingSuppressionProps>, RegExp]>([
    ['no criterion', {}, /names no criterion: it would suppress every ECR finding/],
    ['an empty list', { vulnerabilityIds: [] }, /vulnerabilityIds is empty/],
    ['an empty reason', { reason: '', vulnerabilityIds: ['CVE-1'] }, /reason has 0 characters/],
    ['a long reason', { reason: 'x'.repeat(513), vulnerabilityIds: ['CVE-1'] }, /reason has 513 characters: Amazon Inspector takes 1 to 512/],
    ['a long name', { filterName: 'x'.repeat(129), vulnerabilityIds: ['CVE-1'] }, /filterName has 129 characters/],
    ['a long value', { imageTags: ['x'.repeat(1025)] }, /imageTags value 'x+' has 1025 characters/],
  ])('given %s, then it fails with a clear message', (_, props, message) => {
    expect(() => new FindingSuppression(strictStack(), 'S', { reason: 'accepted', ...props })).toThrow(message);
  });
});
