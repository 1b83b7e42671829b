import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { matchesPattern } from './matcher';
import * as samples from './samples';
import {
  CentralEventBus, EcrEvent, EcrRateLimitedApi, RegistryBaseline, RegistryBaselineStackSet, RegistryEventRouting, RegistryUsageAlarms,
  RouteTarget, StackSetTarget,
} from '../../src';
import { strictApp, validTemplate } from '../util/harness';

describe('the registry baseline carries the routing to a central bus', () => {
  test('given a baseline that forwards every ECR event to the central bus of the organization, then the baseline stays self-contained and clean, and the StackSet rolls the rule out', () => {
    const app = strictApp();
    const centralStack = new Stack(app, 'Central', { env: { account: '999999999999', region: 'eu-west-1' } });
    const central = new CentralEventBus(centralStack, 'Registry', { eventBusName: 'registry-events', organizationId: 'o-a1b2c3d4e5' });
    new RegistryEventRouting(centralStack, 'Operations', { eventBus: central.eventBus }).addRoute('ClickOps', EcrEvent.clickOps());

    const baseline = new RegistryBaseline(app, 'Baseline');
    const bus = events.EventBus.fromEventBusArn(baseline, 'CentralBus', 'arn:aws:events:eu-west-1:999999999999:event-bus/registry-events');
    new RegistryEventRouting(baseline, 'Forward', { targets: [RouteTarget.eventBus(bus)] }).addRoute('AllEvents', EcrEvent.allEvents());
    new RegistryEventRouting(baseline, 'Local', { auditLog: true }).addRoute('ReplicationFailures', EcrEvent.replicationAction());
    const organization = new Stack(app, 'Organization', { env: { account: '999999999999', region: 'us-east-1' } });
    new RegistryBaselineStackSet(organization, 'Rollout', { baseline, target: StackSetTarget.fromOrganizationalUnits(['ou-ab12-cd34ef56']), regions: ['eu-west-1'] });

    const template = validTemplate(baseline, { nag: true }).toJSON();
    const rule = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::Events::Rule' && r.Properties.Description === 'Amazon ECR: every event');
    expect(rule.Properties.EventPattern).toEqual({ source: ['aws.ecr'] });
    for (const sample of [samples.IMAGE_PUSH, samples.PULL_THROUGH_CACHE, samples.apiCall('CreateRepository')]) {
      expect(matchesPattern(rule.Properties.EventPattern, sample)).toBe(true);
    }
    expect(rule.Properties.Targets[0].Arn).toBe('arn:aws:events:eu-west-1:999999999999:event-bus/registry-events');
    expect(rule.Properties.Targets[0].DeadLetterConfig).toBeDefined();
    // The StackSet body carries the same resources as the baseline's own template.
    const stackSet = Object.values<any>(Template.fromStack(organization).toJSON().Resources).find((r) => r.Type === 'AWS::CloudFormation::StackSet');
    const body = JSON.parse(stackSet.Properties.TemplateBody);
    expect(Object.keys(body.Resources).sort()).toEqual(Object.keys(template.Resources).sort());
    for (const [logicalId, resource] of Object.entries<any>(template.Resources)) {
      expect(JSON.stringify(body.Resources[logicalId].Properties)).toEqual(JSON.stringify(resource.Properties));
    }
  });
});

describe('alarms in a registry baseline', () => {
  test('given route alarms, the failure alarms and usage alarms in a baseline, then the StackSet body carries them exactly as the baseline template, clean under every check', () => {
    const app = strictApp();
    const baseline = new RegistryBaseline(app, 'Baseline');
    const routing = new RegistryEventRouting(baseline, 'Local', { auditLog: true });
    routing.addRoute('ClickOps', EcrEvent.clickOps(), { alarm: true });
    routing.addFailureAlarms();
    new RegistryUsageAlarms(baseline, 'Usage', { routing, apis: [EcrRateLimitedApi.BATCH_GET_IMAGE, EcrRateLimitedApi.PUT_IMAGE], quotas: { BatchGetImage: 4000 } });
    const organization = new Stack(app, 'Organization', { env: { account: '999999999999', region: 'us-east-1' } });
    new RegistryBaselineStackSet(organization, 'Rollout', { baseline, target: StackSetTarget.fromOrganizationalUnits(['ou-ab12-cd34ef56']), regions: ['eu-west-1'] });

    const template = validTemplate(baseline, { nag: true }).toJSON();
    const alarms = Object.entries<any>(template.Resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(5);
    const stackSet = Object.values<any>(Template.fromStack(organization).toJSON().Resources).find((r) => r.Type === 'AWS::CloudFormation::StackSet');
    const body = JSON.parse(stackSet.Properties.TemplateBody);
    expect(Object.keys(body.Resources).sort()).toEqual(Object.keys(template.Resources).sort());
    for (const [logicalId, resource] of Object.entries<any>(template.Resources)) {
      expect(JSON.stringify(body.Resources[logicalId].Properties)).toEqual(JSON.stringify(resource.Properties));
    }
    for (const [logicalId] of alarms) expect(body.Resources[logicalId].Properties.Dimensions.length).toBeGreaterThan(0);
  });
});
