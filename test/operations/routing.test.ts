import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { matchesPattern } from './matcher';
import * as samples from './samples';
import { CentralEventBus, EcrEvent, EcrRateLimitedApi, RegistryEventRouting, RegistryUsageAlarms, RouteTarget } from '../../src';
import { ENV, strictApp, strictStack, validTemplate } from '../util/harness';

function targetsOf(template: Template): any[] {
  return Object.values<any>(template.findResources('AWS::Events::Rule')).flatMap((r) => r.Properties.Targets);
}

describe('RegistryEventRouting targets', () => {
  test('given the defaults, then events go to a KMS-encrypted, TLS-only topic, with a retry policy and an encrypted dead-letter queue, clean under every check', () => {
    const stack = strictStack();
    new RegistryEventRouting(stack, 'Ops').addRoute('Replication', EcrEvent.replicationAction());
    const template = validTemplate(stack, { nag: true });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue(), MessageRetentionPeriod: 1209600 });
    const [target] = targetsOf(template);
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 });
    expect(target.DeadLetterConfig.Arn['Fn::GetAtt'][0]).toMatch(/^OpsDeadLetterQueue/);
    // SNS does not support aws:SourceAccount or aws:SourceArn in a key policy for EventBridge-to-encrypted
    // topics: with them, EventBridge could not publish; the topic and queue policies carry the conditions.
    const key = Object.values<any>(template.findResources('AWS::KMS::Key'))[0];
    const eventBridge = key.Properties.KeyPolicy.Statement.filter((st: any) => JSON.stringify(st.Principal).includes('events.amazonaws.com'));
    expect(eventBridge).toEqual([{ Sid: 'EventBridgeEncryptsRoutedEvents', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' }]);
  });

  test('given a queue, a function of the user, an audit log and a bus, then every target but the bus has the retry policy and every one the dead-letter queue', () => {
    const stack = strictStack();
    const queue = new sqs.Queue(stack, 'Queue', { enforceSSL: true, encryption: sqs.QueueEncryption.KMS_MANAGED });
    const fn = lambda.Function.fromFunctionArn(stack, 'Fn', `arn:aws:lambda:${ENV.region}:${ENV.account}:function:on-ecr-event`);
    const bus = events.EventBus.fromEventBusArn(stack, 'Central', 'arn:aws:events:eu-west-1:222222222222:event-bus/registry');
    const routing = new RegistryEventRouting(stack, 'Ops', {
      targets: [RouteTarget.queue(queue), RouteTarget.lambdaFunction(fn), RouteTarget.eventBus(bus)],
      auditLog: true,
      retryAttempts: 10,
      maxEventAge: Duration.hours(2),
    });
    const rule = routing.addRoute('Deletes', EcrEvent.imageAction());
    const template = Template.fromStack(stack);
    const targets = targetsOf(template);
    expect(targets).toHaveLength(4);
    for (const t of targets) expect(t.DeadLetterConfig).toBeDefined();
    const withRetry = targets.filter((t) => t.RetryPolicy);
    expect(withRetry).toHaveLength(3);
    for (const t of withRetry) expect(t.RetryPolicy).toEqual({ MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 7200 });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.anyValue(), RetentionInDays: 365, LogGroupName: Match.stringLikeRegexp('^/aws/events/') });
    const policy = Object.values<any>(template.findResources('AWS::Logs::ResourcePolicy'))[0];
    const document = JSON.stringify(policy.Properties.PolicyDocument);
    expect(document).toContain('logs:PutLogEvents');
    expect(document).toContain('aws:SourceArn');
    expect(template.findResources('AWS::Lambda::Function')).toEqual({}); // no custom resource for the log group policy
    Annotations.fromStack(stack).hasWarning(`/${rule.node.path}`, Match.stringLikeRegexp('event bus in account 222222222222'));
  });

  test('given a topic and a queue of the user, encrypted with a key of the app, then EventBridge may publish and send for the route\'s rule only, and use the key without aws:Source* conditions', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const other = new Stack(app, 'Other', { env: ENV });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const queue = new sqs.Queue(stack, 'Queue', { enforceSSL: true, encryptionMasterKey: key });
    const topic = new sns.Topic(stack, 'Topic', { masterKey: key, enforceSSL: true });
    const elsewhere = new sns.Topic(other, 'Topic', { masterKey: new kms.Key(other, 'Key', { enableKeyRotation: true }), enforceSSL: true });
    const routing = new RegistryEventRouting(stack, 'Ops', { targets: [RouteTarget.queue(queue), RouteTarget.topic(topic), RouteTarget.topic(elsewhere)] });
    const rule = routing.addRoute('Deletes', EcrEvent.imageAction());
    const template = Template.fromStack(stack);
    const ruleArn = { 'Fn::GetAtt': [stack.getLogicalId(rule.node.defaultChild as events.CfnRule), 'Arn'] };
    const grants = (type: string, t: Template = template) => Object.values<any>(t.findResources(type))
      .flatMap((r) => r.Properties.PolicyDocument.Statement).filter((st: any) => st.Principal?.Service === 'events.amazonaws.com');
    expect(grants('AWS::SQS::QueuePolicy').filter((st) => JSON.stringify(st.Resource).includes('Queue'))
      .map((st) => st.Condition)).toContainEqual({ ArnLike: { 'aws:SourceArn': [ruleArn] }, StringEquals: { 'aws:SourceAccount': ENV.account } });
    for (const st of [...grants('AWS::SQS::QueuePolicy'), ...grants('AWS::SNS::TopicPolicy')]) {
      expect(st.Condition).toEqual({ ArnLike: { 'aws:SourceArn': [ruleArn] }, StringEquals: { 'aws:SourceAccount': ENV.account } });
    }
    // A topic of another stack cannot name the rule without the stacks depending on each other: the rule's account.
    expect(grants('AWS::SNS::TopicPolicy', Template.fromStack(other)).map((st) => st.Condition)).toEqual([{ StringEquals: { 'aws:SourceAccount': ENV.account } }]);
    const keyGrants = Object.values<any>(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement
      .filter((st: any) => st.Principal?.Service === 'events.amazonaws.com');
    expect(keyGrants).toEqual([expect.objectContaining({ Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]);
    expect(keyGrants[0].Condition).toBeUndefined();
  });

  test('given an audit log, then the whole stack is clean under CloudFormation validation, the five packs and Control Tower', () => {
    const stack = strictStack();
    new RegistryEventRouting(stack, 'Ops', { auditLog: true }).addRoute('ClickOps', EcrEvent.clickOps(), { alarm: true });
    const template = validTemplate(stack, { nag: true });
    template.resourceCountIs('AWS::Logs::ResourcePolicy', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events', MetricName: 'MatchedEvents', Threshold: 1, AlarmActions: [{ Ref: Match.stringLikeRegexp('^OpsTopic') }],
    });
  });

  test.each<[string, (stack: Stack) => RouteTarget]>([
    ['a topic', (s) => RouteTarget.topic(sns.Topic.fromTopicArn(s, 'T', 'arn:aws:sns:us-east-1:111111111111:ops'))],
    ['a queue', (s) => RouteTarget.queue(sqs.Queue.fromQueueArn(s, 'Q', 'arn:aws:sqs:us-east-1:111111111111:ops'))],
    ['a Lambda function', (s) => RouteTarget.lambdaFunction(lambda.Function.fromFunctionArn(s, 'F', 'arn:aws:lambda:us-east-1:111111111111:function:ops'))],
    ['a log group', (s) => RouteTarget.logGroup(logs.LogGroup.fromLogGroupArn(s, 'L', 'arn:aws:logs:us-east-1:111111111111:log-group:ops:*'))],
  ])('given %s in another region, then the route is refused: EventBridge delivers there only to a bus', (_name, make) => {
    const stack = strictStack();
    const routing = new RegistryEventRouting(stack, 'Ops');
    expect(() => routing.addRoute('R', EcrEvent.imageAction(), { targets: [make(stack)] }))
      .toThrow(/RegistryEventRouting 'Stack\/Ops\/R'.*\n.*is in us-east-1 and the rule in eu-west-1: EventBridge delivers to a .* only in the rule's region/);
  });

  test('given an event bus in another region, then the route is accepted (EventBridge delivers across regions to buses)', () => {
    const stack = strictStack();
    const bus = events.EventBus.fromEventBusArn(stack, 'B', 'arn:aws:events:us-east-1:111111111111:event-bus/registry');
    new RegistryEventRouting(stack, 'Ops').addRoute('R', EcrEvent.imageAction(), { targets: [RouteTarget.eventBus(bus)] });
    expect(targetsOf(Template.fromStack(stack))[0].Arn).toContain('us-east-1');
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['too many retries', { retryAttempts: 186 }, /retryAttempts is 186: EventBridge takes a whole number from 0 to 185/],
    ['an event age too long', { maxEventAge: Duration.hours(25) }, /maxEventAge is 90000 seconds/],
    ['no targets', { targets: [] }, /targets is empty/],
  ])('given %s, then the construct is refused', (_name, props, message) => {
    expect(() => new RegistryEventRouting(strictStack(), 'Ops', props as any)).toThrow(message);
  });

  test('given no route, then synthesis fails: nothing would reach the targets', () => {
    const app = strictApp();
    new RegistryEventRouting(new Stack(app, 'Stack', { env: ENV }), 'Ops');
    expect(() => app.synth()).toThrow(/RegistryEventRouting 'Stack\/Ops': no route was added/);
  });

  test('given the construct\'s own topic, then EventBridge may publish to it only for the construct\'s rules of this account', () => {
    const stack = strictStack();
    const routing = new RegistryEventRouting(stack, 'Ops');
    routing.addRoute('A', EcrEvent.imageAction());
    routing.addRoute('B', EcrEvent.clickOps());
    const template = Template.fromStack(stack);
    const statements = Object.values<any>(template.findResources('AWS::SNS::TopicPolicy')).flatMap((r) => r.Properties.PolicyDocument.Statement)
      .filter((st: any) => JSON.stringify(st.Principal).includes('events.amazonaws.com'));
    expect(statements).toHaveLength(1);
    expect(statements[0].Condition.StringEquals).toEqual({ 'aws:SourceAccount': ENV.account });
    expect(statements[0].Condition.ArnLike['aws:SourceArn']).toHaveLength(2);
  });

  test('given the construct\'s own topic, then CloudWatch alarms of this account and region may publish to it (its policy replaces SNS\'s default one)', () => {
    const stack = strictStack();
    new RegistryEventRouting(stack, 'Ops').addFailureAlarms();
    new RegistryUsageAlarms(stack, 'Usage', { apis: [EcrRateLimitedApi.PUT_IMAGE] });
    const template = Template.fromStack(stack);
    const policies = Object.values<any>(template.findResources('AWS::SNS::TopicPolicy'));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      const statement = policy.Properties.PolicyDocument.Statement.find((st: any) => st.Sid === 'CloudWatchPublishesAlarms');
      expect(statement).toMatchObject({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: { StringEquals: { 'aws:SourceAccount': ENV.account } },
      });
      expect(JSON.stringify(statement.Condition.ArnLike['aws:SourceArn'])).toContain(`:cloudwatch:${ENV.region}:${ENV.account}:alarm:*`);
    }
  });

  test('given six targets, then the route is refused: EventBridge takes five per rule', () => {
    const stack = strictStack();
    const topic = new sns.Topic(stack, 'T');
    const routing = new RegistryEventRouting(stack, 'Ops');
    expect(() => routing.addRoute('R', EcrEvent.imageAction(), { targets: Array.from({ length: 6 }, () => RouteTarget.topic(topic)) }))
      .toThrow(/6 targets: EventBridge takes at most 5 per rule/);
  });

  test('given an alarm but own targets and no alarm topic, then the route is refused', () => {
    const stack = strictStack();
    const routing = new RegistryEventRouting(stack, 'Ops', { targets: [RouteTarget.topic(new sns.Topic(stack, 'T'))] });
    expect(() => routing.addRoute('R', EcrEvent.imageAction(), { alarm: true })).toThrow(/alarm is true, but the construct has no topic/);
  });
});

describe('the audit log group\'s resource policy', () => {
  const conditionOf = (routes: number) => {
    const stack = strictStack();
    const routing = new RegistryEventRouting(stack, 'Ops', { auditLog: true });
    for (let i = 0; i < routes; i++) routing.addRoute(`Route${i}`, EcrEvent.imageAction({ repositoryPrefixes: [`team-${i}/`] }));
    const policy = Object.values<any>(Template.fromStack(stack).findResources('AWS::Logs::ResourcePolicy'))[0];
    const parts: unknown[] = policy.Properties.PolicyDocument['Fn::Join'][1];
    return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(JSON.stringify(p)).slice(1, -1))).join('')).Statement[0].Condition;
  };

  test('given a few routes, then it names each rule', () => {
    expect(conditionOf(2).ArnLike['aws:SourceArn']).toHaveLength(2);
  });

  test('given more routes than their ARNs fit a CloudWatch Logs resource policy (5,120 characters), then it admits the rules of the account and region', () => {
    const condition = conditionOf(40);
    expect(condition.StringEquals).toEqual({ 'aws:SourceAccount': ENV.account });
    expect(condition.ArnLike['aws:SourceArn']).toHaveLength(1);
    expect(JSON.stringify(condition.ArnLike['aws:SourceArn'])).toContain(`:events:${ENV.region}:${ENV.account}:rule/*`);
  });
});

describe('queue policies hold at most 20 statements (SQS policy quotas)', () => {
  const policiesOf = (routes: number) => {
    const stack = strictStack();
    const queue = new sqs.Queue(stack, 'Queue', { enforceSSL: true });
    const routing = new RegistryEventRouting(stack, 'Ops', { targets: [RouteTarget.queue(queue)] });
    for (let i = 0; i < routes; i++) routing.addRoute(`Route${i}`, EcrEvent.imageAction({ repositoryPrefixes: [`team-${i}/`] }));
    const template = Template.fromStack(stack);
    const statementsOf = (id: RegExp) => Object.entries<any>(template.findResources('AWS::SQS::QueuePolicy'))
      .filter(([logicalId]) => id.test(logicalId)).flatMap(([, r]) => r.Properties.PolicyDocument.Statement);
    return { deadLetterQueue: statementsOf(/^OpsDeadLetterQueuePolicy/), queue: statementsOf(/^QueuePolicy/) };
  };

  test('given 25 routes to a queue, then the dead-letter queue\'s and the queue\'s policies each admit EventBridge in one statement naming the 25 rules', () => {
    const { deadLetterQueue, queue } = policiesOf(25);
    for (const statements of [deadLetterQueue, queue]) {
      const grants = statements.filter((st: any) => st.Principal?.Service === 'events.amazonaws.com');
      expect(grants).toHaveLength(1);
      expect(grants[0].Condition.ArnLike['aws:SourceArn']).toHaveLength(25);
      expect(statements.length).toBeLessThanOrEqual(20);
    }
  });

  test('given a dead-letter queue of the user and more routes than its policy takes statements, then synthesis fails naming the queue and the quota', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const queue = new sqs.Queue(stack, 'Undelivered', { enforceSSL: true });
    const routing = new RegistryEventRouting(stack, 'Ops', { deadLetterQueue: queue });
    for (let i = 0; i < 20; i++) routing.addRoute(`Route${i}`, EcrEvent.imageAction({ repositoryPrefixes: [`team-${i}/`] }));
    expect(() => app.synth()).toThrow(/the dead-letter queue 'Stack\/Undelivered' would have 21 policy statements \(one per route\), more than the 20 SQS takes/);
  });

  test('given more routes than their ARNs fit the dead-letter queue\'s policy (8,192 bytes), then it admits the rules of the account and region', () => {
    const [grant] = policiesOf(70).deadLetterQueue.filter((st: any) => st.Principal?.Service === 'events.amazonaws.com');
    expect(grant.Condition.StringEquals).toEqual({ 'aws:SourceAccount': ENV.account });
    expect(JSON.stringify(grant.Condition.ArnLike['aws:SourceArn'])).toContain(`:events:${ENV.region}:${ENV.account}:rule/*`);
  });
});

describe('CloudWatch Logs resource policies per account and region', () => {
  const app = (routings: number, secondStack = false) => {
    const a = strictApp();
    const stacks = [new Stack(a, 'One', { env: ENV }), ...(secondStack ? [new Stack(a, 'Two', { env: ENV })] : [])];
    for (let i = 0; i < routings; i++) {
      new RegistryEventRouting(stacks[i % stacks.length], `Ops${i}`, { auditLog: true }).addRoute('Deletes', EcrEvent.imageAction());
    }
    return a;
  };

  test('given ten audit logs, then the app synthesizes', () => {
    expect(() => app(10).synth()).not.toThrow();
  });

  test('given eleven audit logs across two stacks of one account and region, then synthesis fails once, naming the quota', () => {
    let message = '';
    try {
      app(11, true).synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/RegistryEventRouting 'One\/Ops0': the app declares 11 CloudWatch Logs resource policies in account 111111111111 in eu-west-1/);
    expect(message.split('CloudWatch Logs resource policies').length).toBe(2);
  });
});

describe('determinism', () => {
  test('given the same routes added in another order, then every resource is the same, byte for byte (topic, queue and log group policies list the rules by path)', () => {
    const resources = (order: number[]) => {
      const stack = strictStack();
      const routing = new RegistryEventRouting(stack, 'Ops', { auditLog: true });
      const routes: [string, EcrEvent][] = [['ClickOps', EcrEvent.clickOps()], ['Deletes', EcrEvent.imageAction()], ['Replication', EcrEvent.replicationAction()]];
      for (const i of order) routing.addRoute(routes[i][0], routes[i][1], { alarm: true });
      const all = Template.fromStack(stack).toJSON().Resources;
      return JSON.stringify(Object.keys(all).sort().map((id) => [id, all[id]]));
    };
    expect(resources([2, 0, 1])).toEqual(resources([0, 1, 2]));
  });
});

describe('fleet scale', () => {
  const names = Array.from({ length: 3000 }, (_, i) => `team-${String.fromCharCode(97 + (i % 3))}/service-${String(i).padStart(4, '0')}`);

  test('given thousands of repositories and the registry\'s others, then one rule routes them with prefixes that cover no other repository', () => {
    const stack = strictStack();
    const members = names.filter((n) => !n.startsWith('team-c/'));
    const others = names.filter((n) => n.startsWith('team-c/'));
    new RegistryEventRouting(stack, 'Ops').addRoute('Fleet', EcrEvent.imageAction({ repositoryNames: members, otherRepositoryNames: others }));
    const template = Template.fromStack(stack);
    const pattern = Object.values<any>(template.findResources('AWS::Events::Rule'))[0].Properties.EventPattern;
    expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(2048);
    for (const name of [members[0], members[members.length - 1], 'team-a/service-0003']) {
      expect(matchesPattern(pattern, samples.withDetail(samples.IMAGE_PUSH, { 'repository-name': name }))).toBe(true);
    }
    for (const name of [others[0], others[others.length - 1]]) {
      expect(matchesPattern(pattern, samples.withDetail(samples.IMAGE_PUSH, { 'repository-name': name }))).toBe(false);
    }
  });

  test('given thousands of names and no other repositories named, then the route is refused with the pattern size quota', () => {
    const routing = new RegistryEventRouting(strictStack(), 'Ops');
    expect(() => routing.addRoute('Fleet', EcrEvent.imageAction({ repositoryNames: names })))
      .toThrow(/the event pattern has \d+ characters, more than the 2048 EventBridge takes/);
  });

  test('given more rules on the bus than the quota, then synthesis fails naming the quota', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const routing = new RegistryEventRouting(stack, 'Ops', { rulesPerBusQuota: 2 });
    for (const id of ['A', 'B', 'C']) routing.addRoute(id, EcrEvent.imageAction());
    expect(() => app.synth()).toThrow(/3 rules on the event bus, more than the rules-per-bus quota of 2/);
  });
});

describe('CentralEventBus', () => {
  test('given an organization, then the bus policy lets only its accounts put events, and a member routes to it', () => {
    const app = new App();
    const central = new CentralEventBus(new Stack(app, 'Central', { env: { account: '999999999999', region: 'eu-west-1' } }), 'Bus', { organizationId: 'o-a1b2c3d4e5' });
    const member = new Stack(app, 'Member', { env: ENV });
    new RegistryEventRouting(member, 'Ops', { targets: [RouteTarget.centralBus(central)] }).addRoute('All', EcrEvent.imageAction());
    Template.fromStack(central.node.scope as Stack).hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: Match.objectLike({ Principal: { AWS: '*' }, Action: 'events:PutEvents', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }),
    });
  });

  test('given source accounts without the routing account, then the route is refused', () => {
    const app = new App();
    const central = new CentralEventBus(new Stack(app, 'Central', { env: { account: '999999999999', region: 'eu-west-1' } }), 'Bus', { sourceAccounts: ['333333333333'] });
    const routing = new RegistryEventRouting(new Stack(app, 'Member', { env: ENV }), 'Ops');
    expect(() => routing.addRoute('All', EcrEvent.imageAction(), { targets: [RouteTarget.centralBus(central)] }))
      .toThrow(/does not let account 111111111111 put events/);
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['no policy', {}, /neither sourceAccounts nor organizationId is given/],
    ['a bad account', { sourceAccounts: ['42'] }, /'42' is not an AWS account ID/],
    ['a bad organization', { organizationId: 'org-1' }, /'org-1' is not an AWS Organizations ID/],
  ])('given %s, then the bus is refused', (_name, props, message) => {
    expect(() => new CentralEventBus(strictStack(), 'Bus', props as any)).toThrow(message);
  });

  test('given source accounts, then the central stack is clean under every check', () => {
    const stack = strictStack({ env: { account: '999999999999', region: 'eu-west-1' } });
    const central = new CentralEventBus(stack, 'Bus', { sourceAccounts: ['111111111111', '222222222222'] });
    new RegistryEventRouting(stack, 'Ops', { eventBus: central.eventBus }).addRoute('ClickOps', EcrEvent.clickOps());
    validTemplate(stack, { nag: true }).hasResourceProperties('AWS::Events::Rule', { EventBusName: Match.anyValue() });
  });
});

describe('failure alarms in one call', () => {
  test('given addFailureAlarms(), then a route and an alarm for failed replications and for failed pull-through cache syncs notify the topic, clean under every check', () => {
    const stack = strictStack();
    const routing = new RegistryEventRouting(stack, 'Ops');
    const [replication, cache] = routing.addFailureAlarms({ repositoryPrefixes: ['team-a/', 'ecr-public/'] });
    const template = validTemplate(stack, { nag: true });
    template.resourceCountIs('AWS::Events::Rule', 2);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    expect(routing.alarms).toHaveLength(2);
    for (const rule of [replication, cache]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Events',
        MetricName: 'MatchedEvents',
        Threshold: 1,
        Dimensions: [{ Name: 'RuleName', Value: { Ref: stack.getLogicalId(rule.node.defaultChild as events.CfnRule) } }],
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^OpsTopic') }],
      });
    }
    const rules = template.findResources('AWS::Events::Rule');
    const pattern = (rule: events.Rule) => rules[stack.getLogicalId(rule.node.defaultChild as events.CfnRule)].Properties.EventPattern;
    expect(matchesPattern(pattern(replication), samples.withDetail(samples.REPLICATION, { result: 'FAILED' }))).toBe(true);
    expect(matchesPattern(pattern(replication), samples.REPLICATION)).toBe(false);
    expect(matchesPattern(pattern(cache), samples.PULL_THROUGH_CACHE_FAILURE)).toBe(true);
    expect(matchesPattern(pattern(cache), samples.PULL_THROUGH_CACHE)).toBe(false);
    expect(matchesPattern(pattern(cache), samples.withDetail(samples.PULL_THROUGH_CACHE_FAILURE, { 'repository-name': 'docker-hub/alpine' }))).toBe(false);
  });

  test('given routes on a central bus, then their alarms and the dashboard watch the metric EventBridge publishes for a rule of that bus (EventBusName and RuleName)', () => {
    const stack = strictStack();
    const central = new CentralEventBus(stack, 'Central', { organizationId: 'o-a1b2c3d4e5' });
    const routing = new RegistryEventRouting(stack, 'Ops', { eventBus: central.eventBus });
    const [replication] = routing.addFailureAlarms();
    new RegistryUsageAlarms(stack, 'Usage', { routing, dashboard: true, apis: [EcrRateLimitedApi.PUT_IMAGE] });
    const template = validTemplate(stack, { nag: true });
    const bus = { Ref: stack.getLogicalId(central.eventBus.node.defaultChild as events.CfnEventBus) };
    const rule = { Ref: stack.getLogicalId(replication.node.defaultChild as events.CfnRule) };
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'MatchedEvents',
      Dimensions: [{ Name: 'EventBusName', Value: bus }, { Name: 'RuleName', Value: rule }],
    });
    const parts: unknown[] = Object.values<any>(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody['Fn::Join'][1];
    const body = parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join('');
    expect(body).toContain('"AWS/Events","MatchedEvents","EventBusName",');
  });

  test('given routes on the default bus, named or not, then their alarms watch RuleName only', () => {
    const stack = strictStack();
    const routing = new RegistryEventRouting(stack, 'Ops', { eventBus: events.EventBus.fromEventBusName(stack, 'Default', 'default') });
    routing.addFailureAlarms();
    const alarms = Object.values<any>(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.map((a) => a.Properties.Dimensions.map((d: any) => d.Name))).toEqual([['RuleName'], ['RuleName']]);
  });

  test('given addFailureAlarms() twice, then the second call is refused naming the routes', () => {
    const routing = new RegistryEventRouting(strictStack(), 'Ops');
    routing.addFailureAlarms();
    expect(() => routing.addFailureAlarms()).toThrow(/RegistryEventRouting 'Stack\/Ops': 1 problem:\n {2}- addFailureAlarms adds the routes ReplicationFailures and PullThroughCacheFailures, but ReplicationFailures and PullThroughCacheFailures already exists/);
  });

  test('given own targets and no alarm topic, then addFailureAlarms() is refused like an alarm of a route', () => {
    const stack = strictStack();
    const routing = new RegistryEventRouting(stack, 'Ops', { targets: [RouteTarget.topic(new sns.Topic(stack, 'T'))] });
    expect(() => routing.addFailureAlarms()).toThrow(/alarm is true, but the construct has no topic/);
  });
});

describe('rules per bus across the stacks of an app', () => {
  function twoStacks(envB: { account: string; region: string }, quota: number) {
    const app = strictApp();
    const a = new Stack(app, 'RegistryA', { env: ENV });
    const b = new Stack(app, 'RegistryB', { env: envB });
    for (const [stack, ids] of [[a, ['A1', 'A2']], [b, ['B1', 'B2']]] as const) {
      const routing = new RegistryEventRouting(stack, 'Ops', { rulesPerBusQuota: quota });
      for (const id of ids) routing.addRoute(id, EcrEvent.imageAction());
    }
    return app;
  }

  test('given two stacks of one account and region whose rules together pass the quota, then synthesis fails naming both stacks and the quota', () => {
    expect(() => twoStacks(ENV, 3).synth())
      .toThrow(/RegistryEventRouting 'RegistryA\/Ops': 4 rules on the event bus of account 111111111111 in eu-west-1, across the app \(RegistryA: 2, RegistryB: 2\), more than the rules-per-bus quota of 3/);
  });

  test('given the same stacks in two regions, then each bus is within the quota', () => {
    expect(() => twoStacks({ ...ENV, region: 'eu-central-1' }, 3).synth()).not.toThrow();
  });

  test('given rules of the app outside the routing on the same default bus, then they count', () => {
    const app = strictApp();
    const a = new Stack(app, 'RegistryA', { env: ENV });
    new RegistryEventRouting(a, 'Ops', { rulesPerBusQuota: 2 }).addRoute('A1', EcrEvent.imageAction());
    const other = new Stack(app, 'Other', { env: ENV });
    new events.Rule(other, 'Mine1', { eventPattern: { source: ['aws.ec2'] } });
    new events.Rule(other, 'Mine2', { eventPattern: { source: ['aws.ec2'] } });
    expect(() => app.synth()).toThrow(/3 rules on the event bus .*\(Other: 2, RegistryA: 1\)|3 rules on the event bus .*\(RegistryA: 1, Other: 2\)/);
  });

  test('given a bus of one stack that routings of two stacks put rules on, then the rules of both count, and rules on the default bus do not', () => {
    const app = strictApp();
    const busStack = new Stack(app, 'Bus', { env: ENV });
    const bus = new events.EventBus(busStack, 'Registry', { eventBusName: 'registry' });
    new RegistryEventRouting(busStack, 'Ops', { eventBus: bus, rulesPerBusQuota: 2 }).addRoute('A', EcrEvent.imageAction());
    const member = new Stack(app, 'Member', { env: ENV });
    const routing = new RegistryEventRouting(member, 'Ops', { eventBus: bus, rulesPerBusQuota: 2 });
    routing.addRoute('B', EcrEvent.imageAction());
    routing.addRoute('C', EcrEvent.imageAction());
    new RegistryEventRouting(member, 'Default', { rulesPerBusQuota: 2 }).addRoute('D', EcrEvent.imageAction());
    expect(() => app.synth()).toThrow(/RegistryEventRouting 'Bus\/Ops': 3 rules on the event bus .*\(Bus: 1, Member: 2\)/);
  });

  test('given a stack whose account is unresolved, then only its own rules count', () => {
    const app = strictApp();
    const a = new Stack(app, 'Agnostic');
    const routing = new RegistryEventRouting(a, 'Ops', { rulesPerBusQuota: 2 });
    for (const id of ['A', 'B']) routing.addRoute(id, EcrEvent.imageAction());
    const b = new Stack(app, 'Other', { env: ENV });
    new RegistryEventRouting(b, 'Ops', { rulesPerBusQuota: 2 }).addRoute('C', EcrEvent.imageAction());
    expect(() => app.synth()).not.toThrow();
  });
});

describe('an event bus of the app in another account', () => {
  function route(policy: (bus: events.EventBus) => void) {
    const app = strictApp();
    const central = new Stack(app, 'Central', { env: { account: '999999999999', region: 'eu-west-1' } });
    const bus = new events.EventBus(central, 'Registry', { eventBusName: 'registry' });
    policy(bus);
    const member = new Stack(app, 'Member', { env: ENV });
    new RegistryEventRouting(member, 'Ops', { targets: [RouteTarget.eventBus(bus)] }).addRoute('All', EcrEvent.allEvents());
    return app;
  }

  test('given no bus policy, then synthesis fails naming the route, the bus and the fix', () => {
    expect(() => route(() => undefined).synth())
      .toThrow(/RegistryEventRouting 'Member\/Ops\/All': 1 problem:\n {2}- the event bus 'Central\/Registry' is in account 999999999999 and has no bus policy, so EventBridge refuses the events of account 111111111111/);
  });

  test('given a bus policy that admits the account, then the route synthesizes', () => {
    const app = route((bus) => bus.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'Member', principals: [new iam.AccountPrincipal(ENV.account)], actions: ['events:PutEvents'], resources: [bus.eventBusArn],
    })));
    expect(() => app.synth()).not.toThrow();
  });
});
