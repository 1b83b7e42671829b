/*
 * The shapes the operations constructs hand each other, kept out of the
 * package's public API (this file is not exported by the folder's index).
 */
import { ArnFormat, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';

/** The pattern and problems of an event with its repository filters rendered. @internal */
export interface RenderedEvent {
  readonly pattern: Record<string, any>;
  readonly problems: string[];
}

/** What every target of a routing construct shares. @internal */
export interface TargetDefaults {
  /** The construct the target's supporting resources are created in. */
  readonly scope: Construct;
  readonly deadLetterQueue: sqs.IQueue;
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
}

/** The pattern of an event, as aws-cdk-lib's rules take it. @internal */
export function eventPatternOf(pattern: Record<string, any>): events.EventPattern {
  return { source: pattern.source, detailType: pattern['detail-type'], detail: pattern.detail };
}

/** The CloudFormation properties of an alarm the operations constructs create, in the order aws-cdk-lib renders them (alphabetical). */
const ALARM_PROPERTIES: ReadonlyArray<[string, string]> = [
  ['actionsEnabled', 'ActionsEnabled'], ['alarmActions', 'AlarmActions'], ['alarmDescription', 'AlarmDescription'], ['alarmName', 'AlarmName'],
  ['comparisonOperator', 'ComparisonOperator'], ['datapointsToAlarm', 'DatapointsToAlarm'], ['dimensions', 'Dimensions'],
  ['evaluationPeriods', 'EvaluationPeriods'], ['metricName', 'MetricName'], ['namespace', 'Namespace'], ['okActions', 'OKActions'],
  ['period', 'Period'], ['statistic', 'Statistic'], ['threshold', 'Threshold'], ['treatMissingData', 'TreatMissingData'],
];

/**
 * The CloudFormation properties of an alarm on one metric, for a registry
 * baseline's StackSet body: the alarm's dimensions are a nested structure
 * that the baseline's generic rendering does not carry, so the construct
 * that created the alarm renders it from the alarm's own properties.
 *
 * @internal
 */
export function renderAlarmProperties(alarm: cloudwatch.CfnAlarm): Record<string, unknown> {
  const stack = Stack.of(alarm);
  const values = alarm as unknown as Record<string, unknown>;
  // aws-cdk-lib's alarms hold their action lists as tokens that resolve to nothing when empty.
  const value = (name: string) => stack.resolve(values[name]);
  const rendered: Record<string, unknown> = {};
  for (const [name, cfnName] of ALARM_PROPERTIES) {
    const v = value(name);
    if (v === undefined) continue;
    rendered[cfnName] = name === 'dimensions' ? (v as { name: unknown; value: unknown }[]).map((d) => ({ Name: d.name, Value: d.value })) : v;
  }
  for (const other of ['metrics', 'extendedStatistic', 'unit', 'insufficientDataActions', 'thresholdMetricId', 'evaluateLowSampleCountPercentile']) {
    if (value(other) !== undefined) throw new Error(`the alarm '${alarm.node.path}' sets ${other}, which the baseline rendering of alarms does not carry`);
  }
  return rendered;
}

/**
 * Lets CloudWatch alarms of the topic's account and region publish to it.
 * A topic with a resource policy (the TLS-only statement is one) no longer
 * has SNS's default policy, and CloudWatch's publishing is then refused
 * unless a statement allows `cloudwatch.amazonaws.com`.
 *
 * @internal
 */
export function allowAlarmsToPublish(topic: sns.Topic): void {
  const stack = Stack.of(topic);
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudWatchPublishesAlarms',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    },
  }));
}

/** Constructs in the order of their paths: policies that list rules do not depend on the order routes were added. @internal */
export function byPath<T extends IConstruct>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.node.path < b.node.path ? -1 : a.node.path > b.node.path ? 1 : 0));
}

/**
 * The longest a rule's ARN can be in a policy, in characters with its quotes
 * and comma: a generated rule name of 64 characters, and the bus's name
 * when the rule is not on the default bus (256 characters when unknown).
 */
function ruleArnLength(rule: IConstruct): number {
  const bus = (rule.node.defaultChild as events.CfnRule | undefined)?.eventBusName;
  const busPart = bus === undefined || bus === 'default' ? 0 : (Token.isUnresolved(bus) ? 256 : bus.length) + 1;
  return 'arn:aws-us-gov:events:ap-southeast-2:123456789012:rule/'.length + busPart + 64 + 3;
}

/**
 * The condition of a resource policy statement that admits EventBridge for
 * some rules: `aws:SourceArn` is each rule's ARN (sorted by path) while they
 * fit `room` characters of the policy, else every rule of the account and
 * region (a policy has a size quota: SQS 8,192 bytes, CloudWatch Logs 5,120
 * characters); `aws:SourceAccount` is the account either way. The list is
 * rendered at synth, once every route is added.
 *
 * @internal
 */
export function sourceRulesCondition(scope: IConstruct, rules: () => readonly events.IRule[], room: number): Record<string, Record<string, unknown>> {
  const stack = Stack.of(scope);
  const every = stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*' });
  return {
    ArnLike: {
      'aws:SourceArn': Lazy.list({
        produce: () => {
          const listed = byPath(rules());
          const length = listed.reduce((sum, rule) => sum + ruleArnLength(rule), 0);
          return length <= room ? listed.map((r) => r.ruleArn) : [every];
        },
      }),
    },
    StringEquals: { 'aws:SourceAccount': stack.account },
  };
}
