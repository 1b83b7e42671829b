import { ArnFormat, Names, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { CentralEventBus } from './central-bus';
import { MAX_LOGS_RESOURCE_POLICY_LENGTH, SQS_POLICY_QUOTAS } from './facts';
import { sourceRulesCondition, TargetDefaults } from './model';


/**
 * Where a route sends events. Every target gets the routing construct's
 * retry policy and dead-letter queue where EventBridge supports them (an
 * event bus takes a dead-letter queue but no retry policy).
 */
export abstract class RouteTarget {
  /**
   * An SNS topic. EventBridge publishes with the topic policy; for a topic
   * encrypted with a customer managed key, the key policy must let
   * `events.amazonaws.com` use the key (the routing construct's own topic
   * and key do).
   */
  public static topic(topic: sns.ITopic): RouteTarget {
    return new ResourceTarget('SNS topic', topic, (d) => boundTo(topic, topic.topicArn, d, (rule) => {
      grantTo(d.scope, rule, topic, ['sns:Publish'], topic.topicArn, (st) => topic.addToResourcePolicy(st));
      allowEventBridgeToUseKey(topic.masterKey);
    }));
  }

  /**
   * An SQS queue (it should have its own dead-letter queue for messages its
   * consumers fail on). The queue policy lets EventBridge send for the
   * route's rule only; a queue encrypted with a customer managed key of the
   * app gets a key policy statement that lets EventBridge use the key.
   */
  public static queue(queue: sqs.IQueue): RouteTarget {
    return new ResourceTarget('SQS queue', queue, (d) => boundTo(queue, queue.queueArn, d, (rule) => {
      grantTo(d.scope, rule, queue, ['sqs:SendMessage'], queue.queueArn, (st) => queue.addToResourcePolicy(st));
      allowEventBridgeToUseKey(queue.encryptionMasterKey);
    }));
  }

  /** A Lambda function of yours, invoked asynchronously with the event. */
  public static lambdaFunction(fn: lambda.IFunction): RouteTarget {
    return new ResourceTarget('Lambda function', fn, (d) => new targets.LambdaFunction(fn, base(d)));
  }

  /**
   * A CloudWatch Logs log group, for an audit trail. The log group's
   * resource policy is a native `AWS::Logs::ResourcePolicy` that lets
   * EventBridge write for the routing rules only (aws-cdk-lib's log group
   * target writes it with a Lambda-backed custom resource instead).
   */
  public static logGroup(logGroup: logs.ILogGroup): RouteTarget {
    return new ResourceTarget('log group', logGroup, (d) => new LogGroupTarget(logGroup, d));
  }

  /**
   * An event bus, in this account or another (a central security or
   * platform account), in this region or another. The receiving bus's
   * policy must let this account put events: `CentralEventBus` writes it.
   */
  public static eventBus(eventBus: events.IEventBus): RouteTarget {
    return new BusTarget(eventBus);
  }

  /**
   * The bus of a `CentralEventBus` of this app, in another account or
   * region: the route is refused when the bus policy does not let the
   * routing account put events.
   */
  public static centralBus(central: CentralEventBus): RouteTarget {
    return new BusTarget(central.eventBus, central);
  }

  /**
   * The routing construct's own topic: published to with the topic policy
   * the construct writes, conditioned on its rules, instead of the
   * unconditioned statement aws-cdk-lib's topic target adds.
   *
   * @internal
   */
  public static _ownTopic(topic: sns.ITopic): RouteTarget {
    return new ResourceTarget('SNS topic', topic, (d) => ({
      bind: (rule: events.IRule) => {
        targets.addToDeadLetterQueueResourcePolicy(rule, d.deadLetterQueue);
        return { ...targets.bindBaseTargetConfig(base(d)), arn: topic.topicArn, targetResource: topic };
      },
    }));
  }

  /** What kind of target this is, for messages. @internal */
  public abstract readonly _kind: string;

  /** @internal */
  public abstract _bind(defaults: TargetDefaults): events.IRuleTarget;

  /**
   * Problems of sending events from a rule of `stack` to this target:
   * EventBridge delivers to every target but an event bus only in the rule's region.
   *
   * @internal
   */
  public abstract _problems(stack: Stack): string[];

  /**
   * Problems known only once the app is complete (at synth): an event bus
   * of the app in another account that no policy opens to the rule's account.
   *
   * @internal
   */
  public _synthProblems(_stack: Stack): string[] {
    return [];
  }

  /** The target's account when it differs from the rule's, concrete values only. @internal */
  public abstract _foreignAccount(stack: Stack): string | undefined;
}

/**
 * A target bound with the routing's retry policy and dead-letter queue, whose
 * permission `grant` writes: instead of aws-cdk-lib's topic and queue
 * targets, which let `events.amazonaws.com` publish or send without a
 * condition (any account's rules: the confused deputy).
 */
function boundTo(resource: IConstruct, arn: string, d: TargetDefaults, grant: (rule: events.IRule) => void): events.IRuleTarget {
  return {
    bind: (rule: events.IRule) => {
      grant(rule);
      targets.addToDeadLetterQueueResourcePolicy(rule, d.deadLetterQueue);
      return { ...targets.bindBaseTargetConfig(base(d)), arn, targetResource: resource };
    },
  };
}

/**
 * Lets EventBridge send to a topic or queue for the routing construct's
 * rules that target it: one statement per resource and routing construct
 * (an SQS policy holds at most 20), naming the rules by path
 * (`aws:SourceArn`) while they fit the policy, or, when the resource is in
 * another stack (whose policy naming the rules would make the stacks depend
 * on each other), admitting the rules' account (`aws:SourceAccount`).
 */
function grantTo(scope: Construct, rule: events.IRule, resource: IConstruct, actions: string[], arn: string,
  add: (statement: iam.PolicyStatement) => unknown): void {
  const id = `Grant${Names.nodeUniqueId(resource.node).slice(-8)}`;
  let grant = scope.node.tryFindChild(id) as RuleGrant | undefined;
  if (grant === undefined) {
    grant = new RuleGrant(scope, id);
    const sameStack = Stack.of(rule) === Stack.of(resource);
    const rules = grant.rules;
    add(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions,
      resources: [arn],
      conditions: sameStack
        ? sourceRulesCondition(scope, () => rules, SQS_POLICY_QUOTAS.bytes - USER_POLICY_ROOM)
        : { StringEquals: { 'aws:SourceAccount': Stack.of(rule).account } },
    }));
  }
  grant.rules.push(rule);
}

/** The room left for the user's own statements in the policy of a topic or queue of theirs, in characters. */
const USER_POLICY_ROOM = 4000;

/** The rules of one routing construct that send to one resource. */
class RuleGrant extends Construct {
  public readonly rules: events.IRule[] = [];
}

/**
 * Lets EventBridge use the customer managed key of a topic or queue it
 * sends to, without `aws:Source*` conditions, which SNS does not support
 * for EventBridge-to-encrypted topics; the topic or queue policy carries
 * them. A key imported into the app is left as it is.
 */
function allowEventBridgeToUseKey(key: kms.IKey | undefined): void {
  key?.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'EventBridgeUsesKeyForRoutedEvents',
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
  }));
}

function base(d: TargetDefaults) {
  return { deadLetterQueue: d.deadLetterQueue, retryAttempts: d.retryAttempts, maxEventAge: d.maxEventAge };
}

function envOf(resource: IConstruct): { account?: string; region?: string } {
  const env = (resource as { env?: { account?: string; region?: string } }).env;
  return env ?? {};
}

function differs(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && !Token.isUnresolved(a) && !Token.isUnresolved(b) && a !== b;
}

class ResourceTarget extends RouteTarget {
  constructor(
    public readonly _kind: string,
    private readonly resource: IConstruct,
    private readonly make: (d: TargetDefaults) => events.IRuleTarget,
  ) {
    super();
  }

  public _bind(defaults: TargetDefaults): events.IRuleTarget {
    return this.make(defaults);
  }

  public _problems(stack: Stack): string[] {
    const region = envOf(this.resource).region;
    if (!differs(region, stack.region)) return [];
    return [`the ${this._kind} '${this.resource.node.path}' is in ${region} and the rule in ${stack.region}: EventBridge delivers to a ${this._kind} only in the rule's region; route to an event bus in ${region} instead`];
  }

  public _foreignAccount(stack: Stack): string | undefined {
    const account = envOf(this.resource).account;
    return differs(account, stack.account) ? account : undefined;
  }
}

class BusTarget extends RouteTarget {
  public readonly _kind = 'event bus';
  constructor(private readonly bus: events.IEventBus, private readonly central?: CentralEventBus) {
    super();
  }

  /**
   * The bus target with a role whose permission is a managed policy (the
   * compliance packs refuse the inline policy aws-cdk-lib's target writes),
   * one role per bus and routing construct.
   */
  public _bind(defaults: TargetDefaults): events.IRuleTarget {
    const scope = defaults.scope;
    const id = `BusRole${Names.nodeUniqueId(this.bus.node).slice(-8)}`;
    let role = scope.node.tryFindChild(id) as iam.Role | undefined;
    if (role === undefined) {
      role = new iam.Role(scope, id, {
        assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } }),
        description: 'Lets EventBridge put the routed Amazon ECR events on an event bus',
      });
      new iam.ManagedPolicy(scope, `${id}Policy`, {
        description: 'Puts the routed Amazon ECR events on one event bus',
        roles: [role],
        statements: [new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [this.bus.eventBusArn] })],
      });
    }
    return new targets.EventBus(this.bus, { deadLetterQueue: defaults.deadLetterQueue, role: role.withoutPolicyUpdates() });
  }

  public _problems(stack: Stack): string[] {
    if (this.central === undefined || Token.isUnresolved(stack.account) || this.central.allowsAccount(stack.account)) return [];
    return [`the central event bus '${this.central.node.path}' does not let account ${stack.account} put events: add it to the bus's sourceAccounts, or give the bus an organizationId`];
  }

  /**
   * A bus of this app in another account, outside a `CentralEventBus`,
   * must have a bus policy (an `AWS::Events::EventBusPolicy` on it), or
   * EventBridge refuses every event the rule sends. An imported bus's
   * policy is unknown: the route warns instead (`crossAccountBus`).
   */
  public _synthProblems(stack: Stack): string[] {
    if (this.central !== undefined || this.bus.node.scope instanceof CentralEventBus) return [];
    const resource = this.bus.node.defaultChild;
    if (!(resource instanceof events.CfnEventBus)) return [];
    const account = Stack.of(this.bus).account;
    if (!differs(account, stack.account)) return [];
    const busStack = Stack.of(this.bus);
    const ref = JSON.stringify(busStack.resolve(resource.ref));
    const name = JSON.stringify(busStack.resolve(resource.name));
    const hasPolicy = busStack.node.findAll().some((c) => c instanceof events.CfnEventBusPolicy && Stack.of(c) === busStack
      && [ref, name, JSON.stringify('default')].includes(JSON.stringify(busStack.resolve(c.eventBusName ?? 'default'))));
    if (hasPolicy) return [];
    return [`the event bus '${this.bus.node.path}' is in account ${account} and has no bus policy, so EventBridge refuses the events of account ${stack.account}: make it a CentralEventBus with sourceAccounts or organizationId (RouteTarget.centralBus), or add a policy with eventBus.addToResourcePolicy`];
  }

  public _foreignAccount(stack: Stack): string | undefined {
    if (this.central !== undefined || this.bus.node.scope instanceof CentralEventBus) return undefined; // its policy was checked
    const account = envOf(this.bus).account;
    return differs(account, stack.account) ? account : undefined;
  }
}

/**
 * Delivery to a log group with a native resource policy: one
 * `AWS::Logs::ResourcePolicy` per log group and routing construct, naming
 * every rule that writes to it.
 */
class LogGroupTarget implements events.IRuleTarget {
  constructor(private readonly logGroup: logs.ILogGroup, private readonly defaults: TargetDefaults) {}

  public bind(rule: events.IRule): events.RuleTargetConfig {
    const scope = this.defaults.scope;
    const id = `LogsPolicy${Names.nodeUniqueId(this.logGroup.node).slice(-8)}`;
    const existing = scope.node.tryFindChild(id) as LogsResourcePolicy | undefined;
    const policy = existing ?? new LogsResourcePolicy(scope, id, this.logGroup);
    policy.rules.push(rule);
    if (this.defaults.deadLetterQueue) targets.addToDeadLetterQueueResourcePolicy(rule, this.defaults.deadLetterQueue);
    const stack = Stack.of(this.logGroup);
    return {
      ...targets.bindBaseTargetConfig(base(this.defaults)),
      arn: stack.formatArn({ service: 'logs', resource: 'log-group', arnFormat: ArnFormat.COLON_RESOURCE_NAME, resourceName: this.logGroup.logGroupName }),
      targetResource: this.logGroup,
    };
  }
}

class LogsResourcePolicy extends Construct {
  public readonly rules: events.IRule[] = [];
  constructor(scope: Construct, id: string, logGroup: logs.ILogGroup) {
    super(scope, id);
    const stack = Stack.of(this);
    const statement = new iam.PolicyStatement({
      sid: 'EventBridgeWritesRoutedEvents',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
      // The rest of the policy, with a log group name at its longest, takes at most 1,000 characters.
      conditions: sourceRulesCondition(this, () => this.rules, MAX_LOGS_RESOURCE_POLICY_LENGTH - 1000),
    });
    new logs.CfnResourcePolicy(this, 'Resource', {
      policyName: Names.uniqueResourceName(this, { maxLength: 255 }),
      policyDocument: stack.toJsonString(new iam.PolicyDocument({ statements: [statement] })),
    });
  }
}
