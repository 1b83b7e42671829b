import { CfnParameter, Lazy, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EcrEvent, EcrRateLimitedApi, RegistryEventRouting, RegistryUsageAlarms } from '../../src';
import { strictStack, validTemplate } from '../util/harness';

describe('RegistryUsageAlarms', () => {
  test('given the defaults, then one alarm per rate-limited API on AWS/Usage CallCount at 80% of ECR\'s default quota per minute, clean under every check', () => {
    const stack = strictStack();
    new RegistryUsageAlarms(stack, 'Usage');
    const template = validTemplate(stack, { nag: true });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 8);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Usage',
      MetricName: 'CallCount',
      Statistic: 'Sum',
      Period: 60,
      Dimensions: [{ Name: 'Resource', Value: 'BatchGetImage' }, { Name: 'Service', Value: 'ECR' }, { Name: 'Type', Value: 'API' }],
      Threshold: 2000 * 60 * 0.8,
      EvaluationPeriods: 3,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^UsageTopic') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Dimensions: Match.arrayWith([{ Name: 'Resource', Value: 'PutImage' }]), Threshold: 480 });
  });

  test('given an overridden quota and a threshold, then the alarm follows the account\'s quota', () => {
    const stack = strictStack();
    new RegistryUsageAlarms(stack, 'Usage', { apis: [EcrRateLimitedApi.BATCH_GET_IMAGE], quotas: { BatchGetImage: 4000 }, thresholdPercent: 50 });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 4000 * 60 * 0.5 });
  });

  test('given a routing, then alarms notify its topic and the dashboard shows usage against quotas and events per route, clean under every check', () => {
    const stack = strictStack();
    const routing = new RegistryEventRouting(stack, 'Ops');
    routing.addRoute('ReplicationFailures', EcrEvent.replicationAction(), { alarm: true });
    routing.addRoute('CacheFailures', EcrEvent.pullThroughCacheAction(), { alarm: true });
    new RegistryUsageAlarms(stack, 'Usage', { routing, dashboard: true });
    const template = validTemplate(stack, { nag: true });
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 10);
    const body = JSON.stringify(Object.values<any>(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
    expect(body).toContain('CallCount');
    expect(body).toContain('MatchedEvents');
    expect(body).toContain('quota');
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'CloudWatchEncryptsAlarms', Principal: { Service: 'cloudwatch.amazonaws.com' } })]) },
    });
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['a threshold above the quota', { thresholdPercent: 120 }, /thresholdPercent is 120: the alarm must go off at or below the quota/],
    ['a zero threshold', { thresholdPercent: 0 }, /thresholdPercent is 0/],
    ['a quota of an API without a usage metric', { quotas: { DescribeImages: 10 } }, /quotas names 'DescribeImages', which is not a rate-limited ECR API action/],
    ['a negative quota', { quotas: { PutImage: -1 } }, /quotas.PutImage is -1/],
    ['no API', { apis: [] }, /apis is empty/],
    ['an API outside the enum (untyped callers)', { apis: ['ListImages'] }, /apis\[0\] is "ListImages": expected one of/],
    ['a bad dashboard name', { dashboard: true, dashboardName: 'my dashboard' }, /dashboardName 'my dashboard' is not a dashboard name/],
    ['an evaluation longer than a day', { evaluationMinutes: 1441 }, /evaluationMinutes is 1441: a whole number from 1 to 1440/],
    ['a quota known only at deploy', { quotas: { PutImage: Token.asNumber(new CfnParameter(new Stack(), 'Quota', { type: 'Number' }).valueAsNumber) } },
      /quotas.PutImage is known only at deploy: the alarms' thresholds are computed at synth/],
    ['a threshold known only at deploy', { thresholdPercent: Lazy.number({ produce: () => 80 }) }, /thresholdPercent is known only at deploy/],
  ])('given %s, then the construct is refused naming itself and the rule', (_name, props, message) => {
    expect(() => new RegistryUsageAlarms(strictStack(), 'Usage', props as any)).toThrow(message);
    expect(() => new RegistryUsageAlarms(strictStack(), 'Usage', props as any)).toThrow(/^RegistryUsageAlarms 'Stack\/Usage': /);
  });

  test('given an evaluation of a whole day, then the alarms evaluate 1,440 one-minute periods', () => {
    const stack = strictStack();
    new RegistryUsageAlarms(stack, 'Usage', { apis: [EcrRateLimitedApi.PUT_IMAGE], evaluationMinutes: 1440 });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { Period: 60, EvaluationPeriods: 1440, DatapointsToAlarm: 1440 });
  });

  test('given 150 routes, then the dashboard draws them in two graphs of at most 100 metrics (CloudWatch\'s limit per graph), as valid JSON', () => {
    const stack = strictStack();
    const routing = new RegistryEventRouting(stack, 'Ops');
    for (let i = 0; i < 150; i++) routing.addRoute(`Route${i}`, EcrEvent.imageAction({ repositoryPrefixes: [`team-${i}/`] }));
    new RegistryUsageAlarms(stack, 'Usage', { routing, dashboard: true, apis: [EcrRateLimitedApi.PUT_IMAGE] });
    const body = Object.values<any>(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody;
    const text = (body['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'x')).join('');
    const widgets: any[] = JSON.parse(text).widgets;
    const routeGraphs = widgets.filter((w) => String(w.properties.title).startsWith('Registry events per route'));
    expect(routeGraphs.map((w) => w.properties.metrics.length)).toEqual([100, 50]);
    expect(widgets.length).toBeLessThanOrEqual(500);
  });

  test('given a topic, then no topic or key is created', () => {
    const stack = strictStack();
    new RegistryUsageAlarms(stack, 'Usage', { alarmTopic: new sns.Topic(stack, 'Mine') });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::KMS::Key', 0);
  });
});
