import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  FindingFilterAction, FindingFixAvailability, FindingSeverity, FindingStatus, FindingStringComparison,
  FindingsRouting, FindingSuppression, FindingSuppressionProps,
} from '../../src';
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

  test('given the default topic, then every statement for events.amazonaws.com in the topic and key policies carries aws:SourceAccount and aws:SourceArn', () => {
    const stack = strictStack();
    new FindingsRouting(stack, 'Findings');
    const json = validTemplate(stack, { nag: true }).toJSON();
    const statements = Object.values<any>(json.Resources)
      .filter((r) => r.Type === 'AWS::SNS::TopicPolicy' || r.Type === 'AWS::KMS::Key')
      .flatMap((r) => (r.Properties.PolicyDocument ?? r.Properties.KeyPolicy).Statement)
      .filter((st: any) => JSON.stringify(st.Principal).includes('events.amazonaws.com'));
    expect(statements).toHaveLength(2);
    for (const st of statements) {
      expect(st.Condition.StringEquals).toEqual({ 'aws:SourceAccount': '111111111111' });
    }
    const topicStatement = statements.find((st: any) => st.Action === 'sns:Publish');
    expect(topicStatement.Condition.ArnEquals['aws:SourceArn']).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^FindingsInspectorFindings/), 'Arn'] },
      { 'Fn::GetAtt': [expect.stringMatching(/^FindingsBasicScanFindings/), 'Arn'] },
    ]);
    const keyStatement = statements.find((st: any) => st.Action !== 'sns:Publish');
    expect(keyStatement.Condition.ArnLike['aws:SourceArn']).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:eu-west-1:111111111111:rule/*']] });
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

  test('given the criteria that apply to ECR images, then each renders as the CloudFormation filter criterion', () => {
    const stack = strictStack();
    const digest = `sha256:${'a'.repeat(64)}`;
    new FindingSuppression(stack, 'Rich', {
      reason: 'No fix, no exploit, low EPSS',
      action: FindingFilterAction.NONE,
      repositoryNameFilters: [{ comparison: FindingStringComparison.NOT_EQUALS, value: 'platform/api' }],
      imageTagFilters: [{ comparison: FindingStringComparison.PREFIX, value: 'dev-' }],
      imageDigests: [digest],
      imageArchitectures: ['arm64'],
      imagePushedAt: { start: '2026-01-01', end: '2026-01-31T12:00:00Z' },
      imageInUseCount: { max: 0 },
      registryIds: ['111111111111'],
      resourceTags: [{ key: 'team', value: 'a' }, { key: 'legacy' }],
      fixAvailable: [FindingFixAvailability.NO, FindingFixAvailability.PARTIAL],
      exploitAvailable: false,
      epssScore: { max: 0.01 },
      inspectorScore: { min: 0, max: 6.9 },
      vulnerablePackages: [{ name: { comparison: FindingStringComparison.EQUALS, value: 'openssl' }, version: { comparison: FindingStringComparison.PREFIX, value: '3.0.' } }],
      findingStatus: [FindingStatus.ACTIVE],
      titles: [{ comparison: FindingStringComparison.PREFIX, value: 'CVE-2024-' }],
      firstObservedAt: { start: '2026-01-01' },
      lastObservedAt: { end: '2026-12-31' },
      updatedAt: { start: '2026-06-01' },
    });
    validTemplate(stack, { nag: true }).hasResourceProperties('AWS::InspectorV2::Filter', {
      FilterAction: 'NONE',
      FilterCriteria: {
        ResourceType: [{ Comparison: 'EQUALS', Value: 'AWS_ECR_CONTAINER_IMAGE' }],
        EcrImageRepositoryName: [{ Comparison: 'NOT_EQUALS', Value: 'platform/api' }],
        EcrImageTags: [{ Comparison: 'PREFIX', Value: 'dev-' }],
        EcrImageHash: [{ Comparison: 'EQUALS', Value: digest }],
        EcrImageArchitecture: [{ Comparison: 'EQUALS', Value: 'arm64' }],
        EcrImagePushedAt: [{ StartInclusive: 1767225600, EndInclusive: 1769860800 }],
        EcrImageInUseCount: [{ UpperInclusive: 0 }],
        EcrImageRegistry: [{ Comparison: 'EQUALS', Value: '111111111111' }],
        ResourceTags: [{ Comparison: 'EQUALS', Key: 'team', Value: 'a' }, { Comparison: 'EQUALS', Key: 'legacy' }],
        FixAvailable: [{ Comparison: 'EQUALS', Value: 'NO' }, { Comparison: 'EQUALS', Value: 'PARTIAL' }],
        ExploitAvailable: [{ Comparison: 'EQUALS', Value: 'NO' }],
        EpssScore: [{ UpperInclusive: 0.01 }],
        InspectorScore: [{ LowerInclusive: 0, UpperInclusive: 6.9 }],
        VulnerablePackages: [{ Name: { Comparison: 'EQUALS', Value: 'openssl' }, Version: { Comparison: 'PREFIX', Value: '3.0.' } }],
        FindingStatus: [{ Comparison: 'EQUALS', Value: 'ACTIVE' }],
        Title: [{ Comparison: 'PREFIX', Value: 'CVE-2024-' }],
        FirstObservedAt: [{ StartInclusive: 1767225600 }],
        LastObservedAt: [{ EndInclusive: 1798675200 }],
        UpdatedAt: [{ StartInclusive: 1780272000 }],
      },
    });
  });

  test('given the account, finding, resource and vulnerability-source criteria, then each renders as the CloudFormation filter criterion', () => {
    const stack = strictStack();
    const findingArn = 'arn:aws:inspector2:eu-west-1:111111111111:finding/0e436649379db5f327e3cf5bb4421d76';
    new FindingSuppression(stack, 'Sources', {
      reason: 'Vendor rates these low',
      accountIds: ['222222222222'],
      findingArns: [findingArn],
      resourceIdFilters: [{ comparison: FindingStringComparison.PREFIX, value: 'arn:aws:ecr:eu-west-1:222222222222:repository/legacy/' }],
      relatedVulnerabilities: ['CVE-2024-1234'],
      vulnerabilitySources: ['DEBIAN_CVE'],
      vendorSeverities: ['unimportant', 'Low'],
    });
    validTemplate(stack, { nag: true }).hasResourceProperties('AWS::InspectorV2::Filter', {
      FilterCriteria: {
        ResourceType: [{ Comparison: 'EQUALS', Value: 'AWS_ECR_CONTAINER_IMAGE' }],
        AwsAccountId: [{ Comparison: 'EQUALS', Value: '222222222222' }],
        FindingArn: [{ Comparison: 'EQUALS', Value: findingArn }],
        ResourceId: [{ Comparison: 'PREFIX', Value: 'arn:aws:ecr:eu-west-1:222222222222:repository/legacy/' }],
        RelatedVulnerabilities: [{ Comparison: 'EQUALS', Value: 'CVE-2024-1234' }],
        VulnerabilitySource: [{ Comparison: 'EQUALS', Value: 'DEBIAN_CVE' }],
        VendorSeverity: [{ Comparison: 'EQUALS', Value: 'unimportant' }, { Comparison: 'EQUALS', Value: 'Low' }],
      },
    });
  });

  test.each<[string, Partial<FindingSuppressionProps>]>([
    ['accountIds', { accountIds: ['222222222222'] }],
    ['findingArns', { findingArns: ['arn:aws-cn:inspector2:cn-north-1:111111111111:finding/abc123'] }],
    ['resourceIdFilters', { resourceIdFilters: [{ comparison: FindingStringComparison.EQUALS, value: 'x' }] }],
    ['relatedVulnerabilities', { relatedVulnerabilities: ['CVE-1'] }],
    ['vulnerabilitySources', { vulnerabilitySources: ['NVD'] }],
    ['vendorSeverities', { vendorSeverities: ['Low'] }],
  ])('given only %s, then it is a criterion on its own', (_, props) => {
    const stack = strictStack();
    new FindingSuppression(stack, 'One', { reason: 'r', ...props });
    validTemplate(stack).resourceCountIs('AWS::InspectorV2::Filter', 1);
  });

  test('given only a fix-availability criterion, then it is enough on its own', () => {
    const stack = strictStack();
    new FindingSuppression(stack, 'NoFix', { reason: 'r', fixAvailable: [FindingFixAvailability.NO] });
    validTemplate(stack).hasResourceProperties('AWS::InspectorV2::Filter', { FilterAction: 'SUPPRESS' });
  });

  test('given no name, then a unique name is derived from the path', () => {
    const stack = strictStack();
    new FindingSuppression(stack, 'Cve', { reason: 'r', vulnerabilityIds: ['CVE-1'] });
    validTemplate(stack).hasResourceProperties('AWS::InspectorV2::Filter', { Name: Match.stringLikeRegexp('^StackCve') });
  });

  test.each<[string, Partial<FindingSuppressionProps>, RegExp]>([
    ['no criterion', {}, /names no criterion: it would match every ECR finding/],
    ['an empty list', { vulnerabilityIds: [] }, /vulnerabilityIds is empty/],
    ['an empty reason', { reason: '', vulnerabilityIds: ['CVE-1'] }, /reason has 0 characters/],
    ['a long reason', { reason: 'x'.repeat(513), vulnerabilityIds: ['CVE-1'] }, /reason has 513 characters: Amazon Inspector takes 1 to 512/],
    ['a long name', { filterName: 'x'.repeat(129), vulnerabilityIds: ['CVE-1'] }, /filterName has 129 characters/],
    ['a long value', { imageTags: ['x'.repeat(1025)] }, /imageTags value 'x+' has 1025 characters/],
    ['eleven values', { vulnerabilityIds: Array.from({ length: 11 }, (_v, i) => `CVE-${i}`) }, /vulnerabilityIds has 11 values: Amazon Inspector takes at most 10/],
    ['an EPSS score above 1', { epssScore: { min: 0.5, max: 2 } }, /epssScore.max is 2: it must be a number from 0 to 1/],
    ['an inverted range', { inspectorScore: { min: 8, max: 3 } }, /inspectorScore.min 8 is greater than max 3/],
    ['an empty range', { epssScore: {} }, /epssScore has neither min nor max/],
    ['a bad date', { imagePushedAt: { start: '31/01/2026' } }, /imagePushedAt.start '31\/01\/2026' is not an ISO-8601 date/],
    ['an inverted date range', { imagePushedAt: { start: '2026-02-01', end: '2026-01-01' } }, /imagePushedAt.start 2026-02-01 is after end 2026-01-01/],
    ['a bad digest', { imageDigests: ['sha256:abc'] }, /imageDigests value 'sha256:abc' is not an image digest/],
    ['a bad registry', { registryIds: ['12345'] }, /registryIds value '12345' is not a 12-digit account ID/],
    ['a bad account', { accountIds: ['1111'] }, /accountIds value '1111' is not a 12-digit account ID/],
    ['a bad finding ARN', { findingArns: ['arn:aws:inspector:eu-west-1:111111111111:finding/x'] }, /findingArns value 'arn:aws:inspector:eu-west-1:111111111111:finding\/x' is not an Amazon Inspector finding ARN/],
    ['a long resource ID', { resourceIdFilters: [{ comparison: FindingStringComparison.PREFIX, value: 'r'.repeat(1025) }] }, /resourceIdFilters value 'r+' has 1025 characters/],
    ['eleven vendor severities', { vendorSeverities: Array.from({ length: 11 }, (_v, i) => `s${i}`) }, /vendorSeverities has 11 values/],
    ['an empty source list', { vulnerabilitySources: [] }, /vulnerabilitySources is empty/],
    ['a package with no field', { vulnerablePackages: [{}] }, /vulnerablePackages\[0\] names no field/],
    ['a long tag key', { resourceTags: [{ key: 'k'.repeat(129) }] }, /resourceTags key 'k+' must have 1 to 128 characters/],
    ['too many repository values together', { repositoryNames: Array.from({ length: 6 }, (_v, i) => `r${i}`), repositoryNamePrefixes: Array.from({ length: 5 }, (_v, i) => `p${i}/`) },
      /have 11 values together/],
  ])('given %s, then it fails with a clear message', (_, props, message) => {
    expect(() => new FindingSuppression(strictStack(), 'S', { reason: 'accepted', ...props })).toThrow(message);
  });
});
