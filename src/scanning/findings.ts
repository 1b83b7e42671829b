import { Names } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as inspectorv2 from 'aws-cdk-lib/aws-inspectorv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { FindingSeverity } from './enums';
import { basicScanPattern, inspectorFindingPattern, severitiesFrom, suppressionProblems } from './findings-checks';
import { BOOLEAN, guardConstruct, listOf, OBJECT, oneOf, optional, STRING } from '../internal/input';
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
      this.topicKey = new kms.Key(this, 'TopicKey', {
        description: `Encrypts the vulnerability findings topic ${this.node.path}`,
        enableKeyRotation: true,
      });
      // EventBridge publishes to the encrypted topic with this key.
      this.topicKey.grant(new iam.ServicePrincipal('events.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
      this.topic = new sns.Topic(this, 'Topic', {
        displayName: 'ECR vulnerability findings',
        masterKey: this.topicKey,
        enforceSSL: true,
      });
      ruleTargets = [new targets.SnsTopic(this.topic)];
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
  }
}

/**
 * Properties of a finding suppression rule.
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
   * Findings in these repositories (exact names).
   *
   * @default - any repository (unless repositoryNamePrefixes is set)
   */
  readonly repositoryNames?: string[];

  /**
   * Findings in repositories whose names start with one of these prefixes.
   *
   * @default - any repository (unless repositoryNames is set)
   */
  readonly repositoryNamePrefixes?: string[];

  /**
   * Findings in images carrying one of these tags.
   *
   * @default - any tag
   */
  readonly imageTags?: string[];

  /**
   * Findings of these vulnerabilities, such as `CVE-2023-12345`.
   *
   * @default - any vulnerability
   */
  readonly vulnerabilityIds?: string[];

  /**
   * Findings of these severities.
   *
   * @default - any severity
   */
  readonly severities?: FindingSeverity[];
}

/**
 * Suppresses matching Amazon Inspector findings of ECR images
 * (`AWS::InspectorV2::Filter` with action SUPPRESS). The filter always
 * narrows to ECR container images, and must name at least one more
 * criterion: a filter that suppresses every ECR finding is refused.
 *
 * @example
 * new FindingSuppression(this, 'AcceptedRisk', {
 *   reason: 'Not reachable: the image runs no shell (risk accepted 2026-01-10)',
 *   repositoryNamePrefixes: ['platform/'],
 *   vulnerabilityIds: ['CVE-2023-12345'],
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
    });
    super(scope, id);
    const problems = new Problems(subjectOf('FindingSuppression', scope, id));
    checkNowAndAtSynth(this, problems, { ...props }, (p, v) => p.addAll(suppressionProblems(v)));
    problems.throwIfAny();

    const equals = (values: string[] | undefined) => values?.map((value) => ({ comparison: 'EQUALS', value }));
    const repositories = [
      ...(equals(props.repositoryNames) ?? []),
      ...(props.repositoryNamePrefixes ?? []).map((value) => ({ comparison: 'PREFIX', value })),
    ];
    this.cfnFilter = new inspectorv2.CfnFilter(this, 'Resource', {
      name: props.filterName ?? Names.uniqueResourceName(this, { maxLength: 128 }),
      description: props.reason,
      filterAction: 'SUPPRESS',
      filterCriteria: {
        resourceType: [{ comparison: 'EQUALS', value: 'AWS_ECR_CONTAINER_IMAGE' }],
        ecrImageRepositoryName: repositories.length > 0 ? repositories : undefined,
        ecrImageTags: equals(props.imageTags),
        vulnerabilityId: equals(props.vulnerabilityIds),
        severity: equals(props.severities),
      },
    });
  }
}
