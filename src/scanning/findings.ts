import { Names, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as inspectorv2 from 'aws-cdk-lib/aws-inspectorv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { FindingFilterAction, FindingFixAvailability, FindingSeverity, FindingStatus, FindingStringComparison } from './enums';
import { FindingDateRange, FindingNumberRange, FindingStringFilter, FindingSuppressionProps } from './finding-filters';
import { basicScanPattern, epochSeconds, inspectorFindingPattern, severitiesFrom, suppressionProblems } from './findings-checks';
import { BOOLEAN, guardConstruct, listOf, NUMBER, OBJECT, oneOf, optional, STRING, struct } from '../internal/input';
import { createLibraryKey } from '../internal/kms';
import { Problems, subjectOf } from '../internal/problems';
import { checkNowAndAtSynth } from '../internal/resolve';

/**
 * Properties of a findings route.
 */
export interface FindingsRoutingProps {
  /**
   * The lowest severity routed: a finding of this severity or above is sent.
   *
   * @default FindingSeverity.HIGH
   */
  readonly minimumSeverity?: FindingSeverity;

  /**
   * Only findings in these repositories (exact names).
   *
   * @default - findings of every repository
   */
  readonly repositoryNames?: string[];

  /**
   * Route Amazon Inspector findings (enhanced scanning): one event per
   * active finding, source `aws.inspector2`, detail type `Inspector2 Finding`.
   *
   * @default true
   */
  readonly inspectorFindings?: boolean;

  /**
   * Route basic scan results: one event per completed scan that counted at
   * least one finding at or above the threshold, source `aws.ecr`, detail
   * type `ECR Image Scan`.
   *
   * @default true
   */
  readonly basicScanFindings?: boolean;

  /**
   * Where findings go.
   *
   * @default - a new SNS topic, encrypted with a new customer managed KMS key and accepting only TLS
   */
  readonly targets?: events.IRuleTarget[];
}

/**
 * Routes vulnerability findings at or above a severity, from Amazon
 * Inspector and from basic scanning, to an encrypted SNS topic or any
 * EventBridge targets.
 *
 * @example
 * const route = new FindingsRouting(this, 'Findings', { minimumSeverity: FindingSeverity.HIGH });
 * route.topic!.addSubscription(new subs.EmailSubscription('security@example.com'));
 */
export class FindingsRouting extends Construct {
  /** The topic findings are published to, when no targets were given. */
  public readonly topic?: sns.Topic;
  /** The key that encrypts the topic, when no targets were given. */
  public readonly topicKey?: kms.Key;
  /** The rule for Amazon Inspector findings, unless turned off. */
  public readonly inspectorRule?: events.Rule;
  /** The rule for basic scan results, unless turned off. */
  public readonly basicScanRule?: events.Rule;

  constructor(scope: Construct, id: string, props: FindingsRoutingProps = {}) {
    guardConstruct('FindingsRouting', scope, id, props, {
      minimumSeverity: optional(oneOf(FindingSeverity)),
      repositoryNames: optional(listOf(STRING)),
      inspectorFindings: optional(BOOLEAN),
      basicScanFindings: optional(BOOLEAN),
      targets: optional(listOf(OBJECT)),
    });
    super(scope, id);
    const problems = new Problems(subjectOf('FindingsRouting', scope, id));
    const inspector = props.inspectorFindings ?? true;
    const basic = props.basicScanFindings ?? true;
    if (!inspector && !basic) problems.add('inspectorFindings and basicScanFindings are both false: nothing would be routed');
    if (props.repositoryNames !== undefined && props.repositoryNames.length === 0) {
      problems.add('repositoryNames is empty: leave it out to route findings of every repository, or name at least one');
    }
    if (props.targets !== undefined && props.targets.length === 0) {
      problems.add('targets is empty: leave it out for an encrypted SNS topic, or name at least one target');
    }
    problems.throwIfAny();

    const severities = severitiesFrom(props.minimumSeverity ?? FindingSeverity.HIGH);
    let ruleTargets = props.targets;
    if (!ruleTargets) {
      this.topicKey = createLibraryKey(this, 'TopicKey', {
        description: `Encrypts the vulnerability findings topic ${this.node.path}`,
      });
      this.topic = new sns.Topic(this, 'Topic', {
        displayName: 'ECR vulnerability findings',
        masterKey: this.topicKey,
        enforceSSL: true,
      });
      ruleTargets = [topicTarget(this.topic)];
    }

    if (inspector) {
      this.inspectorRule = new events.Rule(this, 'InspectorFindings', {
        description: `Amazon Inspector findings of ECR images, ${severities.join(', ')}`,
        eventPattern: inspectorFindingPattern(severities, props.repositoryNames),
        targets: ruleTargets,
      });
    }
    if (basic) {
      this.basicScanRule = new events.Rule(this, 'BasicScanFindings', {
        description: `ECR basic scans that found ${severities.join(', ')} vulnerabilities`,
        eventPattern: basicScanPattern(severities, props.repositoryNames),
        targets: ruleTargets,
      });
    }

    if (this.topic && this.topicKey) this.allowEventBridge(this.topic, this.topicKey);
  }

  /**
   * Lets EventBridge publish this construct's findings to the encrypted
   * topic, and nothing else: the topic policy and the key policy name
   * `events.amazonaws.com` only with `aws:SourceAccount` (this account) and
   * `aws:SourceArn` (the rules, or for the key, which the rules depend on
   * through the topic, any rule of this account and region), against the
   * confused deputy.
   */
  private allowEventBridge(topic: sns.Topic, key: kms.Key): void {
    const stack = Stack.of(this);
    const eventBridge = new iam.ServicePrincipal('events.amazonaws.com');
    const rules = [this.inspectorRule, this.basicScanRule].filter((r): r is events.Rule => r !== undefined);
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'EventBridgePublishesFindings',
      principals: [eventBridge],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnEquals: { 'aws:SourceArn': rules.map((r) => r.ruleArn) },
      },
    }));
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'EventBridgeEncryptsFindings',
      principals: [eventBridge],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*' }) },
      },
    }));
  }
}

/**
 * A rule target that publishes to the topic without the unconditioned
 * topic policy statement `targets.SnsTopic` writes: the construct writes a
 * conditioned one.
 */
function topicTarget(topic: sns.ITopic): events.IRuleTarget {
  return { bind: () => ({ arn: topic.topicArn, targetResource: topic }) };
}

/** What untyped callers must pass for the criteria structs. */
const STRING_FILTER = struct({ comparison: oneOf(FindingStringComparison), value: STRING });
const NUMBER_RANGE = struct({ min: optional(NUMBER), max: optional(NUMBER) });
const DATE_RANGE = struct({ start: optional(STRING), end: optional(STRING) });

/**
 * Suppresses matching Amazon Inspector findings of ECR images
 * (`AWS::InspectorV2::Filter`, action SUPPRESS by default, or NONE for a
 * saved view). The filter always narrows to ECR container images, and must
 * name at least one more criterion: a filter that matches every ECR finding
 * is refused. Every criterion of the CloudFormation resource that applies to
 * ECR images is offered (`FindingSuppressionProps` lists the ones left out
 * and why); ranges, dates, digests, account IDs, finding ARNs and list sizes
 * are checked at synth.
 *
 * @example
 * new FindingSuppression(this, 'AcceptedRisk', {
 *   reason: 'No fix and no known exploit (risk accepted 2026-01-10)',
 *   repositoryNamePrefixes: ['platform/'],
 *   fixAvailable: [FindingFixAvailability.NO],
 *   exploitAvailable: false,
 *   epssScore: { max: 0.01 },
 * });
 */
export class FindingSuppression extends Construct {
  /** The underlying CloudFormation resource. */
  public readonly cfnFilter: inspectorv2.CfnFilter;

  constructor(scope: Construct, id: string, props: FindingSuppressionProps) {
    guardConstruct('FindingSuppression', scope, id, props, {
      reason: STRING,
      filterName: optional(STRING),
      repositoryNames: optional(listOf(STRING)),
      repositoryNamePrefixes: optional(listOf(STRING)),
      imageTags: optional(listOf(STRING)),
      vulnerabilityIds: optional(listOf(STRING)),
      severities: optional(listOf(oneOf(FindingSeverity))),
      action: optional(oneOf(FindingFilterAction)),
      repositoryNameFilters: optional(listOf(STRING_FILTER)),
      imageTagFilters: optional(listOf(STRING_FILTER)),
      imageDigests: optional(listOf(STRING)),
      imageArchitectures: optional(listOf(STRING)),
      imagePushedAt: optional(DATE_RANGE),
      imageInUseCount: optional(NUMBER_RANGE),
      registryIds: optional(listOf(STRING)),
      accountIds: optional(listOf(STRING)),
      findingArns: optional(listOf(STRING)),
      resourceIdFilters: optional(listOf(STRING_FILTER)),
      relatedVulnerabilities: optional(listOf(STRING)),
      vulnerabilitySources: optional(listOf(STRING)),
      vendorSeverities: optional(listOf(STRING)),
      resourceTags: optional(listOf(struct({ key: STRING, value: optional(STRING) }))),
      fixAvailable: optional(listOf(oneOf(FindingFixAvailability))),
      exploitAvailable: optional(BOOLEAN),
      epssScore: optional(NUMBER_RANGE),
      inspectorScore: optional(NUMBER_RANGE),
      vulnerablePackages: optional(listOf(struct({
        name: optional(STRING_FILTER),
        version: optional(STRING_FILTER),
        release: optional(STRING_FILTER),
        architecture: optional(STRING_FILTER),
        filePath: optional(STRING_FILTER),
        sourceLayerHash: optional(STRING_FILTER),
        epoch: optional(NUMBER_RANGE),
      }))),
      findingStatus: optional(listOf(oneOf(FindingStatus))),
      titles: optional(listOf(STRING_FILTER)),
      firstObservedAt: optional(DATE_RANGE),
      lastObservedAt: optional(DATE_RANGE),
      updatedAt: optional(DATE_RANGE),
    });
    super(scope, id);
    const problems = new Problems(subjectOf('FindingSuppression', scope, id));
    checkNowAndAtSynth(this, problems, { ...props }, (p, v) => p.addAll(suppressionProblems(v)));
    problems.throwIfAny();

    const equals = (values: string[] | undefined) => values?.map((value) => ({ comparison: 'EQUALS', value }));
    const strings = (filters: FindingStringFilter[] | undefined) => filters?.map((f) => ({ comparison: f.comparison, value: f.value }));
    const nonEmpty = <T>(list: T[]): T[] | undefined => (list.length > 0 ? list : undefined);
    const repositories = [
      ...(equals(props.repositoryNames) ?? []),
      ...(props.repositoryNamePrefixes ?? []).map((value) => ({ comparison: 'PREFIX', value })),
      ...(strings(props.repositoryNameFilters) ?? []),
    ];
    const tags = [...(equals(props.imageTags) ?? []), ...(strings(props.imageTagFilters) ?? [])];
    this.cfnFilter = new inspectorv2.CfnFilter(this, 'Resource', {
      name: props.filterName ?? Names.uniqueResourceName(this, { maxLength: 128 }),
      description: props.reason,
      filterAction: props.action ?? FindingFilterAction.SUPPRESS,
      filterCriteria: {
        resourceType: [{ comparison: 'EQUALS', value: 'AWS_ECR_CONTAINER_IMAGE' }],
        ecrImageRepositoryName: nonEmpty(repositories),
        ecrImageTags: nonEmpty(tags),
        ecrImageHash: equals(props.imageDigests),
        ecrImageArchitecture: equals(props.imageArchitectures),
        ecrImagePushedAt: dates(props.imagePushedAt),
        ecrImageInUseCount: numbers(props.imageInUseCount),
        ecrImageRegistry: equals(props.registryIds),
        resourceTags: props.resourceTags?.map((t) => ({ comparison: 'EQUALS', key: t.key, value: t.value })),
        awsAccountId: equals(props.accountIds),
        findingArn: equals(props.findingArns),
        resourceId: strings(props.resourceIdFilters),
        vulnerabilityId: equals(props.vulnerabilityIds),
        relatedVulnerabilities: equals(props.relatedVulnerabilities),
        vulnerabilitySource: equals(props.vulnerabilitySources),
        vendorSeverity: equals(props.vendorSeverities),
        severity: equals(props.severities),
        fixAvailable: equals(props.fixAvailable),
        exploitAvailable: props.exploitAvailable === undefined ? undefined : [{ comparison: 'EQUALS', value: props.exploitAvailable ? 'YES' : 'NO' }],
        epssScore: numbers(props.epssScore),
        inspectorScore: numbers(props.inspectorScore),
        vulnerablePackages: props.vulnerablePackages?.map((p) => ({
          name: p.name && strings([p.name])![0],
          version: p.version && strings([p.version])![0],
          release: p.release && strings([p.release])![0],
          architecture: p.architecture && strings([p.architecture])![0],
          filePath: p.filePath && strings([p.filePath])![0],
          sourceLayerHash: p.sourceLayerHash && strings([p.sourceLayerHash])![0],
          epoch: p.epoch && numbers(p.epoch)![0],
        })),
        findingStatus: equals(props.findingStatus),
        title: strings(props.titles),
        firstObservedAt: dates(props.firstObservedAt),
        lastObservedAt: dates(props.lastObservedAt),
        updatedAt: dates(props.updatedAt),
      },
    });
  }
}

function numbers(range: FindingNumberRange | undefined): inspectorv2.CfnFilter.NumberFilterProperty[] | undefined {
  return range && [{ lowerInclusive: range.min, upperInclusive: range.max }];
}

function dates(range: FindingDateRange | undefined): inspectorv2.CfnFilter.DateFilterProperty[] | undefined {
  return range && [{ startInclusive: epochSeconds(range.start), endInclusive: epochSeconds(range.end) }];
}
