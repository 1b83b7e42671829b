import { Annotations, CfnResource, Duration, Lazy, Names, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { EcrEvent, EventOutcome } from './events';
import {
  EVENT_AGE_RANGE_SECONDS, MAX_LOGS_RESOURCE_POLICIES, MAX_RETRY_ATTEMPTS, MAX_TARGETS_PER_RULE, rulesPerBusQuota, SQS_POLICY_QUOTAS,
} from './facts';
import { allowAlarmsToPublish, eventPatternOf, renderAlarmProperties, sourceRulesCondition } from './model';
import { RouteTarget } from './targets';
import { acknowledgeRule } from '../internal/acknowledge';
import { BOOLEAN, guard, guardConstruct, instanceOf, listOf, NUMBER, OBJECT, optional, STRING } from '../internal/input';
import { allowLogsToEncrypt, createLibraryKey } from '../internal/kms';
import { formatProblems, isConcreteNumber, Problems, subjectOf } from '../internal/problems';
import { checkAtSynth } from '../internal/resolve';
import { AppRegistries } from '../registry/app-registries';

/** A target of a rule in CloudFormation's casing, for the keys the routes' targets use. */
function renderTarget(target: Record<string, any>): Record<string, unknown> {
  const known = ['id', 'arn', 'roleArn', 'deadLetterConfig', 'retryPolicy', 'input', 'inputPath'];
  const unknown = Object.keys(target).filter((k) => !known.includes(k) && target[k] !== undefined);
  if (unknown.length > 0) throw new Error(`a rule target has ${unknown.join(', ')}, which the baseline rendering of routes does not carry`);
  // In the order aws-cdk-lib renders them (alphabetical), so that the body equals the template byte for byte.
  return {
    Arn: target.arn,
    DeadLetterConfig: target.deadLetterConfig && { Arn: target.deadLetterConfig.arn },
    Id: target.id,
    Input: target.input,
    InputPath: target.inputPath,
    RetryPolicy: target.retryPolicy && {
      MaximumEventAgeInSeconds: target.retryPolicy.maximumEventAgeInSeconds,
      MaximumRetryAttempts: target.retryPolicy.maximumRetryAttempts,
    },
    RoleArn: target.roleArn,
  };
}

/** Properties of a `RegistryEventRouting`. */
export interface RegistryEventRoutingProps {
  /**
   * Where routes send events unless a route names its own targets.
   *
   * @default - a new SNS topic encrypted with a new customer managed key (and the audit log group when `auditLog` is true)
   */
  readonly targets?: RouteTarget[];

  /**
   * Also send every routed event to a new CloudWatch Logs log group,
   * encrypted with the construct's key, kept `auditLogRetention`: an audit
   * trail of the registry's operations.
   *
   * @default false
   */
  readonly auditLog?: boolean;

  /**
   * How long the audit log group keeps events.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly auditLogRetention?: logs.RetentionDays;

  /**
   * The event bus the rules are on: the account's default bus receives the
   * events of ECR and CloudTrail; a central bus receives the events other
   * accounts forward to it.
   *
   * @default - the default event bus of the account and region
   */
  readonly eventBus?: events.IEventBus;

  /**
   * How many times EventBridge retries a target that fails (0–185).
   *
   * @default 185
   */
  readonly retryAttempts?: number;

  /**
   * How long EventBridge keeps retrying an event (1 minute to 24 hours).
   *
   * @default Duration.hours(24)
   */
  readonly maxEventAge?: Duration;

  /**
   * Where EventBridge puts events it could not deliver.
   *
   * @default - a new SQS queue encrypted with the construct's key, accepting only TLS, keeping messages 14 days
   */
  readonly deadLetterQueue?: sqs.IQueue;

  /**
   * The topic alarms of routes notify. A topic with a policy of yours must
   * let `cloudwatch.amazonaws.com` publish (the construct's own topic does).
   *
   * @default - the construct's own topic, when it has one
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * The rules-per-bus quota of the account and region: synthesis fails when
   * the app puts more rules on the bus, counted across every stack of the
   * same account and region (the first routing construct on the bus, by
   * path, checks with its quota).
   *
   * @default - EventBridge's default: 300, or 100 in af-south-1 and eu-south-1
   */
  readonly rulesPerBusQuota?: number;
}

/** Options of one route. */
export interface EventRouteOptions {
  /**
   * Where this route sends events.
   *
   * @default - the construct's targets
   */
  readonly targets?: RouteTarget[];

  /**
   * The rule's description.
   *
   * @default - the event's detail type
   */
  readonly description?: string;

  /**
   * Raise a CloudWatch alarm when the route matches any event in 5 minutes
   * (the rule's `MatchedEvents` metric), notifying the alarm topic: for
   * routes of failures (replication, pull-through cache).
   *
   * @default false
   */
  readonly alarm?: boolean;
}

/** Options of the failure alarms of a `RegistryEventRouting`. */
export interface FailureAlarmsOptions {
  /**
   * Only failures in repositories whose name starts with one of these
   * prefixes (both routes).
   *
   * @default - every repository
   */
  readonly repositoryPrefixes?: string[];

  /**
   * Where the two routes send the failure events (the alarms notify the
   * alarm topic either way).
   *
   * @default - the construct's targets
   */
  readonly targets?: RouteTarget[];
}

/** The room the rest of a policy the construct writes takes (its other statements), in characters. */
const OWN_POLICY_ROOM = 1500;

/** The routes `addFailureAlarms` adds. */
const FAILURE_ROUTES = ['ReplicationFailures', 'PullThroughCacheFailures'] as const;

/**
 * Routes Amazon ECR's events (the seven event types ECR sends to
 * EventBridge, and ECR API calls recorded by CloudTrail) to targets with
 * secure defaults: an encrypted topic, an optional encrypted audit log
 * group, a dead-letter queue and a retry policy on every target that takes
 * them, and an optional alarm per route. One rule per route, whatever the
 * number of repositories it covers (repository name prefixes), within
 * EventBridge's quotas (pattern size, targets per rule, rules per bus),
 * checked at synth.
 *
 * @example
 * const routing = new RegistryEventRouting(this, 'Operations', { auditLog: true });
 * routing.addRoute('ReplicationFailures', EcrEvent.replicationAction(), { alarm: true });
 * routing.addRoute('ClickOps', EcrEvent.clickOps());
 */
export class RegistryEventRouting extends Construct {
  /** The topic events go to, unless targets were given. */
  public readonly topic?: sns.Topic;
  /** The key that encrypts the construct's topic, queue and log group, when it created any of them. */
  public readonly key?: kms.Key;
  /** The audit log group, when `auditLog` is true. */
  public readonly auditLogGroup?: logs.LogGroup;
  /** Where EventBridge puts events it could not deliver. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The rules, one per route, in the order added. */
  public readonly rules: events.Rule[] = [];
  /** The alarms of routes added with `alarm: true`. */
  public readonly alarms: cloudwatch.Alarm[] = [];

  private readonly defaultTargets: RouteTarget[];
  private readonly eventBus?: events.IEventBus;
  private readonly retryAttempts: number;
  private readonly maxEventAge: Duration;
  private readonly alarmTopic?: sns.ITopic;
  private readonly subject: string;

  constructor(scope: Construct, id: string, props: RegistryEventRoutingProps = {}) {
    guardConstruct('RegistryEventRouting', scope, id, props, {
      targets: optional(listOf(instanceOf(RouteTarget))),
      auditLog: optional(BOOLEAN),
      auditLogRetention: optional(NUMBER),
      eventBus: optional(OBJECT),
      retryAttempts: optional(NUMBER),
      maxEventAge: optional(instanceOf(Duration)),
      deadLetterQueue: optional(OBJECT),
      alarmTopic: optional(OBJECT),
      rulesPerBusQuota: optional(NUMBER),
    });
    super(scope, id);
    this.subject = subjectOf('RegistryEventRouting', scope, id);
    const problems = new Problems(this.subject);
    const retries = props.retryAttempts ?? MAX_RETRY_ATTEMPTS;
    if (isConcreteNumber(retries) && (!Number.isInteger(retries) || retries < 0 || retries > MAX_RETRY_ATTEMPTS)) {
      problems.add(`retryAttempts is ${retries}: EventBridge takes a whole number from 0 to ${MAX_RETRY_ATTEMPTS}`);
    }
    const age = props.maxEventAge ?? Duration.hours(24);
    if (!age.isUnresolved()) {
      const seconds = age.toSeconds();
      if (seconds < EVENT_AGE_RANGE_SECONDS.min || seconds > EVENT_AGE_RANGE_SECONDS.max) {
        problems.add(`maxEventAge is ${seconds} seconds: EventBridge takes ${EVENT_AGE_RANGE_SECONDS.min} to ${EVENT_AGE_RANGE_SECONDS.max} seconds (1 minute to 24 hours)`);
      }
    }
    if (props.targets !== undefined && props.targets.length === 0) {
      problems.add('targets is empty: leave it out for an encrypted SNS topic, or name at least one target');
    }
    const quota = props.rulesPerBusQuota;
    if (isConcreteNumber(quota) && (!Number.isInteger(quota) || quota < 1)) problems.add(`rulesPerBusQuota is ${quota}: a whole number of at least 1`);
    problems.throwIfAny();

    this.retryAttempts = retries;
    this.maxEventAge = age;
    this.eventBus = props.eventBus;

    const needsKey = props.targets === undefined || props.auditLog === true || props.deadLetterQueue === undefined;
    if (needsKey) {
      this.key = createLibraryKey(this, 'Key', { description: `Encrypts the ECR event routing of ${this.node.path}` });
      this.allowServicesToUseKey(this.key, props.auditLog === true);
    }
    this.deadLetterQueue = props.deadLetterQueue ?? this.createDeadLetterQueue();
    const defaults: RouteTarget[] = [];
    if (props.targets === undefined) {
      this.topic = new sns.Topic(this, 'Topic', { displayName: 'Amazon ECR registry operations', masterKey: this.key, enforceSSL: true });
      // EventBridge publishes for this account's rules of this construct only (confused deputy).
      this.topic.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'EventBridgePublishesRoutedEvents',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: sourceRulesCondition(this, () => this.rules, SQS_POLICY_QUOTAS.bytes - OWN_POLICY_ROOM),
      }));
      allowAlarmsToPublish(this.topic);
      defaults.push(RouteTarget._ownTopic(this.topic));
    } else {
      defaults.push(...props.targets);
    }
    if (props.auditLog) {
      this.auditLogGroup = new logs.LogGroup(this, 'AuditLog', {
        logGroupName: `/aws/events/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`,
        retention: props.auditLogRetention ?? logs.RetentionDays.ONE_YEAR,
        encryptionKey: this.key,
      });
      defaults.push(RouteTarget.logGroup(this.auditLogGroup));
    }
    this.defaultTargets = defaults;
    this.alarmTopic = props.alarmTopic ?? this.topic;

    this.node.addValidation({ validate: () => this.checkRulesPerBus(props.rulesPerBusQuota) });
    if (props.auditLog) this.node.addValidation({ validate: () => this.checkLogsResourcePolicies() });
    if (props.deadLetterQueue !== undefined) this.node.addValidation({ validate: () => this.checkDeadLetterQueuePolicy(props.deadLetterQueue!) });
    this.node.addValidation({
      validate: () => (this.rules.length > 0 ? [] : [`${this.subject}: no route was added, so nothing would reach the targets: add one with addRoute()`]),
    });
  }

  /**
   * Adds a route: one rule that sends the event to the targets.
   *
   * @param id the route's construct ID (the rule's logical ID derives from it)
   * @param ecrEvent the events to route (`event` is a reserved word in C#)
   */
  public addRoute(id: string, ecrEvent: EcrEvent, options: EventRouteOptions = {}): events.Rule {
    guard(() => `RegistryEventRouting '${this.node.path}/${String(id)}'`, {
      id: [id, STRING],
      ecrEvent: [ecrEvent, instanceOf(EcrEvent)],
      options: [options, { targets: optional(listOf(instanceOf(RouteTarget))), description: optional(STRING), alarm: optional(BOOLEAN) }],
    });
    const problems = new Problems(`RegistryEventRouting '${this.node.path}/${id}'`);
    const rendered = ecrEvent._render();
    problems.addAll(rendered.problems);
    const routeTargets = options.targets ?? this.defaultTargets;
    if (routeTargets.length === 0) problems.add('targets is empty: leave it out for the construct\'s targets, or name at least one');
    if (routeTargets.length > MAX_TARGETS_PER_RULE) problems.add(`${routeTargets.length} targets: EventBridge takes at most ${MAX_TARGETS_PER_RULE} per rule`);
    const stack = Stack.of(this);
    for (const t of routeTargets) problems.addAll(t._problems(stack));
    if (options.alarm && this.alarmTopic === undefined) {
      problems.add('alarm is true, but the construct has no topic to notify: give alarmTopic, or leave targets out for the construct\'s own topic');
    }
    problems.throwIfAny();
    // Values known only at synth (Lazy) are checked again then.
    const recheck = ecrEvent._recheck();
    if (recheck !== undefined) {
      checkAtSynth(this, problems, recheck.options, (p, resolved, atSynth) => {
        if (atSynth) p.addAll(recheck.problemsOf(resolved));
      });
    }

    const rule = new events.Rule(this, id, {
      description: options.description ?? `Amazon ECR: ${ecrEvent._detailType ?? 'every event'}`,
      eventBus: this.eventBus,
      eventPattern: eventPatternOf(rendered.pattern),
    });
    rule.node.addValidation({
      validate: () => {
        const late = routeTargets.flatMap((t) => t._synthProblems(stack));
        return late.length === 0 ? [] : [formatProblems(`RegistryEventRouting '${this.node.path}/${id}'`, late)];
      },
    });
    const defaults = { scope: this, deadLetterQueue: this.deadLetterQueue, retryAttempts: this.retryAttempts, maxEventAge: this.maxEventAge };
    for (const t of routeTargets) {
      rule.addTarget(t._bind(defaults));
      const foreign = t._foreignAccount(stack);
      if (foreign !== undefined && t._kind === 'event bus') {
        Annotations.of(rule).addWarningV2('cdk-ecr-platform:crossAccountBus',
          `events go to an event bus in account ${foreign}: its policy must let ${stack.account} put events (CentralEventBus with sourceAccounts or organizationId writes it)`);
      }
    }
    if (ecrEvent._warning !== undefined) Annotations.of(rule).addWarningV2('cdk-ecr-platform:filtersAcrossRepositories', ecrEvent._warning);
    this.rules.push(rule);
    if (options.alarm) this.alarms.push(this.alarmOn(id, rule));
    return rule;
  }

  /**
   * The failure alarms in one call: a route of failed replications
   * (`ECR Replication Action`) and one of failed pull-through cache syncs
   * (`ECR Pull Through Cache Action`, a cache that can no longer reach or
   * read its upstream), each with an alarm that goes off when its rule
   * matches an event in 5 minutes and notifies the alarm topic. The routes
   * are `ReplicationFailures` and `PullThroughCacheFailures`.
   *
   * @returns the two rules; their alarms are the last two of `alarms`
   */
  public addFailureAlarms(options: FailureAlarmsOptions = {}): events.Rule[] {
    guard(() => `RegistryEventRouting '${this.node.path}'`, {
      options: [options, { repositoryPrefixes: optional(listOf(STRING)), targets: optional(listOf(instanceOf(RouteTarget))) }],
    });
    const taken = FAILURE_ROUTES.filter((id) => this.node.tryFindChild(id) !== undefined);
    if (taken.length > 0) {
      throw new Error(`RegistryEventRouting '${this.node.path}': 1 problem:\n  - addFailureAlarms adds the routes ${FAILURE_ROUTES.join(' and ')}, but ${taken.join(' and ')} already exists: call it once, or add the routes yourself with addRoute(..., { alarm: true })`);
    }
    const filters = { repositoryPrefixes: options.repositoryPrefixes, outcome: EventOutcome.FAILURE };
    const route = { targets: options.targets, alarm: true };
    return [
      this.addRoute(FAILURE_ROUTES[0], EcrEvent.replicationAction(filters), route),
      this.addRoute(FAILURE_ROUTES[1], EcrEvent.pullThroughCacheAction(filters), route),
    ];
  }

  /**
   * The `MatchedEvents` metric of one of the construct's rules, summed over 5
   * minutes. EventBridge publishes the metrics of a rule on the default bus
   * with the dimension `RuleName` only, and those of a rule on any other bus
   * with `EventBusName` and `RuleName`: a metric without the bus's name
   * would never have a data point.
   *
   * @internal
   */
  public _matchedEvents(rule: events.Rule, label?: string): cloudwatch.Metric {
    const dimensions: Record<string, string> = { RuleName: rule.ruleName };
    if (this.eventBus !== undefined && this._busKey() !== 'default') dimensions.EventBusName = this.eventBus.eventBusName;
    return new cloudwatch.Metric({
      namespace: 'AWS/Events',
      metricName: 'MatchedEvents',
      dimensionsMap: dimensions,
      statistic: 'Sum',
      period: Duration.minutes(5),
      label,
    });
  }

  private alarmOn(id: string, rule: events.Rule): cloudwatch.Alarm {
    const metric = this._matchedEvents(rule);
    const alarm = new cloudwatch.Alarm(this, `${id}Alarm`, {
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `Amazon ECR events matched the route ${id}`,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.alarmTopic!));
    alarm.addOkAction(new actions.SnsAction(this.alarmTopic!));
    return alarm;
  }

  private createDeadLetterQueue(): sqs.Queue {
    const queue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // Marks the queue as a dead-letter queue, which is what AWS Control Tower's
      // CT.SQS.PR.1 reads (a queue is a dead-letter queue when its redrive allow
      // policy is allowAll or byQueue); SQS redrives only within an account.
      redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
    });
    acknowledgeRule(queue, 'AwsSolutions-SQS3', 'This queue is the dead-letter queue of the EventBridge targets: EventBridge, not a queue, sends to it');
    // aws-cdk-lib's targets add a statement per rule, and an SQS policy holds at most 20
    // statements: rendered as one statement that names the rules by path (or, when they do not
    // fit the policy's size, admits the rules of the account and region).
    const policy = queue.node.findChild('Policy') as sqs.QueuePolicy; // written by enforceSSL
    const merged = new iam.PolicyStatement({
      sid: 'EventBridgeSendsUndeliveredEvents',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      conditions: sourceRulesCondition(this, () => this.rules, SQS_POLICY_QUOTAS.bytes - OWN_POLICY_ROOM),
    });
    (policy.node.defaultChild as sqs.CfnQueuePolicy).policyDocument = Lazy.any({
      produce: () => {
        const stack = Stack.of(queue);
        const document = stack.resolve(policy.document) as { Statement: { Sid?: string }[] };
        const others = document.Statement.filter((st) => st.Sid?.startsWith('AllowEventRule') !== true);
        return { ...document, Statement: [...others, ...(this.rules.length > 0 ? [stack.resolve(merged.toStatementJson())] : [])] };
      },
    });
    return queue;
  }

  /**
   * Lets EventBridge (publishing to the topic, sending to the dead-letter
   * queue), CloudWatch (alarms to the topic) and CloudWatch Logs (the audit
   * log group) use the key, for this account only.
   */
  private allowServicesToUseKey(key: kms.Key, logsToo: boolean): void {
    const stack = Stack.of(this);
    // Without aws:SourceAccount or aws:SourceArn: SNS does not support them in a key policy for
    // EventBridge-to-encrypted topics, and EventBridge's calls would be refused (Amazon SNS Developer
    // Guide, "Key management": "Important"). The topic and queue policies name the rules instead.
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'EventBridgeEncryptsRoutedEvents',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }));
    // CloudWatch publishes the alarms of routes (and of RegistryUsageAlarms) to the topic.
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchEncryptsAlarms',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }));
    if (!logsToo) return;
    allowLogsToEncrypt(key, 'CloudWatchLogsEncryptsAuditLog');
  }

  /**
   * The CloudFormation properties of the construct's rules, alarms and
   * dead-letter queue, for a registry baseline's StackSet body (which
   * renders resources from their models, not from CDK's private rendering):
   * the rule's targets and the alarms' dimensions in CloudFormation's
   * casing, the queue's redrive allow policy as the JSON it is. Undefined
   * for every other resource.
   *
   * @internal
   */
  public _renderBaselineProperties(resource: CfnResource): Record<string, unknown> | undefined {
    const stack = Stack.of(this);
    if (resource instanceof events.CfnRule && this.rules.some((r) => r.node.defaultChild === resource)) {
      const targets = stack.resolve(resource.targets) as Record<string, any>[] | undefined;
      return {
        Description: resource.description,
        EventBusName: resource.eventBusName,
        EventPattern: resource.eventPattern,
        State: resource.state,
        Targets: targets?.map(renderTarget),
      };
    }
    if (resource instanceof cloudwatch.CfnAlarm && this.alarms.some((a) => a.node.defaultChild === resource)) {
      return renderAlarmProperties(resource);
    }
    if (resource instanceof sqs.CfnQueue && this.deadLetterQueue.node.defaultChild === resource) {
      return {
        KmsMasterKeyId: resource.kmsMasterKeyId,
        MessageRetentionPeriod: resource.messageRetentionPeriod,
        RedriveAllowPolicy: resource.redriveAllowPolicy,
      };
    }
    return undefined;
  }

  /**
   * The CloudWatch Logs resource policies of the app in the account and
   * region (every `AWS::Logs::ResourcePolicy`, the audit logs' included)
   * against the quota of 10, which CloudWatch Logs does not raise. Reported
   * by the first routing construct with an audit log (by path); only this
   * stack's when its account or region is unresolved.
   */
  private checkLogsResourcePolicies(): string[] {
    const stack = Stack.of(this);
    const known = !Token.isUnresolved(stack.account) && !Token.isUnresolved(stack.region);
    // Every stack of the account and region, or this stack alone when either is unresolved.
    const stacks = AppRegistries.of(this).registryStacks(stack);
    const inStacks = (c: IConstruct) => stacks.includes(Stack.of(c));
    const all = this.node.root.node.findAll();
    const first = all.filter((c): c is RegistryEventRouting => c instanceof RegistryEventRouting && c.auditLogGroup !== undefined && inStacks(c))
      .map((c) => c.node.path).sort()[0];
    if (first !== this.node.path) return [];
    const count = all.filter((c) => c instanceof logs.CfnResourcePolicy && inStacks(c)).length;
    if (count <= MAX_LOGS_RESOURCE_POLICIES) return [];
    const where = known ? `account ${stack.account} in ${stack.region}` : `the stack '${stack.node.path}'`;
    return [`${this.subject}: the app declares ${count} CloudWatch Logs resource policies in ${where} (an audit log has one per routing construct), more than the ${MAX_LOGS_RESOURCE_POLICIES} an account holds per region: add the routes to fewer routing constructs with an audit log, or leave auditLog out of some`];
  }

  /**
   * A dead-letter queue of the user, of this app: aws-cdk-lib's targets give
   * its policy a statement per rule, and SQS refuses a policy of more than
   * 20 statements at deploy.
   */
  private checkDeadLetterQueuePolicy(queue: sqs.IQueue): string[] {
    const policy = queue.node.tryFindChild('Policy');
    if (!(policy instanceof sqs.QueuePolicy)) return [];
    const count = policy.document.statementCount;
    if (count <= SQS_POLICY_QUOTAS.statements) return [];
    return [`${this.subject}: the dead-letter queue '${queue.node.path}' would have ${count} policy statements (one per route), more than the ${SQS_POLICY_QUOTAS.statements} SQS takes: leave deadLetterQueue out for the construct's own queue, whose policy names every route in one statement, or split the routes across routing constructs with a queue each`];
  }

  /**
   * Rules on the construct's event bus against the rules-per-bus quota,
   * across every stack of the app in the same account and region (a bus is
   * one per account and region, whatever the stacks that put rules on it);
   * only this stack's when its account or region is unresolved. Reported by
   * the first routing construct on the bus (by path), naming the stacks.
   */
  private checkRulesPerBus(quota: number | undefined): string[] {
    const stack = Stack.of(this);
    const limit = quota ?? rulesPerBusQuota(stack.region);
    const key = this._busKey();
    if (key === undefined) return [];
    const stacks = AppRegistries.of(this).registryStacks(stack);
    const routings = stacks.flatMap((s) => s.node.findAll()
      .filter((c): c is RegistryEventRouting => c instanceof RegistryEventRouting && Stack.of(c) === s));
    const first = routings.filter((r) => r._busKey() === key).map((r) => r.node.path).sort()[0];
    if (first !== undefined && first !== this.node.path) return [];
    const perStack: string[] = [];
    let total = 0;
    for (const s of stacks) {
      const count = s.node.findAll().filter((c): c is events.CfnRule => c instanceof events.CfnRule && Stack.of(c) === s)
        .filter((rule) => busKeyOfRule(rule, routings) === key).length;
      if (count === 0) continue;
      total += count;
      perStack.push(`${s.node.path}: ${count}`);
    }
    if (total <= limit) return [];
    const where = stacks.length > 1 ? ` of account ${stack.account} in ${stack.region}, across the app (${perStack.join(', ')})` : '';
    return [`${this.subject}: ${total} rules on the event bus${where}, more than the rules-per-bus quota of ${limit}: route many repositories with one rule (repositoryPrefixes), or raise the quota and set rulesPerBusQuota`];
  }

  /**
   * Which bus the construct's rules are on, comparable across stacks of one
   * account and region: `default`, a bus of the app by its path, or an
   * imported bus by its name; undefined when the name is known only at deploy.
   *
   * @internal
   */
  public _busKey(): string | undefined {
    const bus = this.eventBus;
    if (bus === undefined) return 'default';
    const resource = bus.node.defaultChild;
    if (resource instanceof events.CfnEventBus) return `bus:${bus.node.path}`;
    return Token.isUnresolved(bus.eventBusName) ? undefined : busNameKey(bus.eventBusName);
  }
}

/** A bus name or ARN as a key: `default`, or the name. */
function busNameKey(nameOrArn: string): string {
  const name = nameOrArn.includes(':event-bus/') ? nameOrArn.slice(nameOrArn.indexOf(':event-bus/') + ':event-bus/'.length) : nameOrArn;
  return name === 'default' ? 'default' : `name:${name}`;
}

/**
 * The bus key of any rule of the app: a routing construct's rule has its
 * construct's; another rule, the default bus, a name, or a bus of its own
 * stack it references. Undefined when unknown at synth.
 */
function busKeyOfRule(rule: events.CfnRule, routings: RegistryEventRouting[]): string | undefined {
  const owner = routings.find((r) => r.rules.some((x) => x.node.defaultChild === rule));
  if (owner !== undefined) return owner._busKey();
  if (rule.eventBusName === undefined) return 'default';
  if (!Token.isUnresolved(rule.eventBusName)) return busNameKey(rule.eventBusName);
  const stack = Stack.of(rule);
  const resolved = JSON.stringify(stack.resolve(rule.eventBusName));
  const bus = stack.node.findAll().find((c: IConstruct): c is events.CfnEventBus => c instanceof events.CfnEventBus
    && Stack.of(c) === stack && [c.ref, c.attrName].some((v) => JSON.stringify(stack.resolve(v)) === resolved));
  return bus?.node.scope === undefined ? undefined : `bus:${bus.node.scope.node.path}`;
}
