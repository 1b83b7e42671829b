import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import {
  CentralEventBus, EcrEvent, EcrRateLimitedApi, EventOutcome, ImageActionType, RegistryEventRouting, RegistryUsageAlarms, RepositoryScanFrequency,
} from '../../src';
import { FUZZ_TIMEOUT, fuzzConstruct, lazy, lazyList, lazyNumber, untyped } from '../util/fuzz';

const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const enumOf = <T extends string>(values: Record<string, T>) => untyped(fc.oneof(
  { arbitrary: fc.constantFrom(...Object.values(values)), weight: 12 },
  fc.constantFrom(...Object.values(values)).map((v) => v.toLowerCase() as T),
));
/** Repository names and prefixes, often valid, sometimes not; sometimes Lazy or untyped. */
const name = untyped(lazy(fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z0-9]{1,6}([._/-][a-z0-9]{1,6}){0,2}$/), weight: 12 },
  fc.constantFrom('', 'Team/', '-x', 'a'.repeat(300), 'team-a/'),
  fc.string({ maxLength: 8 }),
)));
/** A name that is a string (Lazy lists hold strings). */
const plainName = fc.oneof({ arbitrary: fc.stringMatching(/^[a-z0-9]{1,6}([._/-][a-z0-9]{1,6}){0,2}$/), weight: 6 }, fc.constantFrom('', 'Team/', '-x'));
const names = fc.option(fc.oneof(
  { arbitrary: untyped(fc.array(name, { minLength: 1, maxLength: 3 }), 80), weight: 6 },
  lazyList(fc.array(plainName, { minLength: 1, maxLength: 3 })),
  fc.constant([] as string[]),
), { nil: undefined, freq: 2 });
const filters = {
  repositoryPrefixes: names,
  repositoryNames: names,
  otherRepositoryNames: fc.option(names, { nil: undefined, freq: 4 }).map((n) => n ?? undefined),
};
/** Mostly a value in range, sometimes one outside. */
const mostly = (inRange: fc.Arbitrary<number>, any: fc.Arbitrary<number>) => fc.oneof({ arbitrary: inRange, weight: 8 }, any);
const account = untyped(fc.oneof({ arbitrary: fc.stringMatching(/^\d{12}$/), weight: 6 }, fc.string({ maxLength: 13 })));
const apiName = untyped(fc.oneof({ arbitrary: fc.constantFrom('CreateRepository', 'DeleteRepository', 'PutImage'), weight: 8 }, fc.constantFrom('DescribeImages', 'CreateBucket'), fc.string({ maxLength: 6 })), 80);

/** One of the events, with random options. */
const event: fc.Arbitrary<() => EcrEvent> = fc.oneof(
  fc.record({
    ...filters, actionTypes: optional(untyped(fc.array(enumOf(ImageActionType), { maxLength: 3 }))), outcome: optional(enumOf(EventOutcome)),
  })
    .map((o) => () => EcrEvent.imageAction(o as any)),
  fc.record({ ...filters, outcome: optional(enumOf(EventOutcome)) }).map((o) => () => EcrEvent.imageScan(o as any)),
  fc.record({ ...filters, outcome: optional(enumOf(EventOutcome)), sourceAccounts: optional(untyped(fc.array(account, { maxLength: 2 }))) })
    .map((o) => () => EcrEvent.replicationAction(o as any)),
  fc.record({ ...filters, outcome: optional(enumOf(EventOutcome)), cachePrefixes: names, upstreamRegistryUrls: names })
    .map((o) => () => EcrEvent.pullThroughCacheAction(o as any)),
  fc.record({ ...filters, scanFrequencies: optional(untyped(fc.array(enumOf(RepositoryScanFrequency), { maxLength: 3 }))) })
    .map((o) => () => EcrEvent.scanResourceChange(o as any)),
  fc.record({ ...filters, outcome: optional(enumOf(EventOutcome)), artifactMediaTypes: names }).map((o) => () => EcrEvent.referrerAction(o as any)),
  fc.constant(() => EcrEvent.artifactAction()),
  fc.record({
    ...filters,
    eventNames: untyped(fc.array(apiName, { maxLength: 3 })),
    outsideCloudFormation: optional(untyped(fc.boolean())),
    failedOnly: optional(fc.boolean()),
  })
    .map((o) => () => EcrEvent.apiCall(o as any)),
  fc.record({ ...filters, eventNames: optional(untyped(fc.array(apiName, { maxLength: 3 }))) }).map((o) => () => EcrEvent.clickOps(o as any)),
);

describe('fuzz', () => {
  test('RegistryEventRouting: random routes and settings either fail clearly or synthesize valid templates', () => {
    fuzzConstruct(
      fc.record({
        auditLog: optional(untyped(fc.boolean())),
        retryAttempts: optional(untyped(mostly(fc.integer({ min: 0, max: 185 }), fc.integer({ min: -2, max: 200 })), 80)),
        maxEventAgeMinutes: optional(mostly(fc.integer({ min: 1, max: 1440 }), fc.integer({ min: 0, max: 1500 }))),
        rulesPerBusQuota: fc.option(untyped(mostly(fc.integer({ min: 3, max: 5 }), fc.integer({ min: 0, max: 2 })), 80), { nil: undefined, freq: 4 }),
        routes: fc.array(fc.record({ event, alarm: optional(untyped(fc.boolean())) }), { maxLength: 3 }),
        failureAlarms: fc.option(fc.record({ repositoryPrefixes: names }), { nil: undefined, freq: 3 }),
      }),
      (stack, p) => {
        const routing = new RegistryEventRouting(stack, 'Ops', {
          auditLog: p.auditLog,
          retryAttempts: p.retryAttempts,
          maxEventAge: p.maxEventAgeMinutes === undefined ? undefined : Duration.minutes(p.maxEventAgeMinutes),
          rulesPerBusQuota: p.rulesPerBusQuota,
        });
        p.routes.forEach((r, i) => routing.addRoute(`Route${i}`, r.event(), { alarm: r.alarm }));
        if (p.failureAlarms !== undefined) routing.addFailureAlarms(p.failureAlarms as any);
      },
    );
  }, FUZZ_TIMEOUT);

  test('RegistryEventRouting: routes added in any order give the same resources, the dashboard\'s too', () => {
    const routes: [string, () => EcrEvent][] = [
      ['ClickOps', () => EcrEvent.clickOps()], ['Deletes', () => EcrEvent.imageAction({ actionTypes: [ImageActionType.DELETE] })],
      ['Replication', () => EcrEvent.replicationAction()], ['Cache', () => EcrEvent.pullThroughCacheAction()],
      ['Manual', () => EcrEvent.scanResourceChange({ scanFrequencies: [RepositoryScanFrequency.MANUAL] })],
    ];
    const resources = (order: number[], auditLog: boolean) => {
      const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
      const routing = new RegistryEventRouting(stack, 'Ops', { auditLog });
      for (const i of order) routing.addRoute(routes[i][0], routes[i][1](), { alarm: i % 2 === 0 });
      new RegistryUsageAlarms(stack, 'Usage', { routing, dashboard: true, apis: [EcrRateLimitedApi.PUT_IMAGE] });
      const all = Template.fromStack(stack).toJSON().Resources;
      return JSON.stringify(Object.keys(all).sort().map((id) => [id, all[id]]));
    };
    const indexes = routes.map((_, i) => i);
    const reference = { true: resources(indexes, true), false: resources(indexes, false) };
    fc.assert(fc.property(fc.shuffledSubarray(indexes, { minLength: routes.length }), fc.boolean(), (order, auditLog) => {
      expect(resources(order, auditLog)).toEqual(reference[`${auditLog}`]);
    }), { numRuns: 8 });
  }, FUZZ_TIMEOUT);

  test('RegistryUsageAlarms and CentralEventBus: random quotas, thresholds and policies either fail clearly or synthesize valid templates', () => {
    fuzzConstruct(
      fc.record({
        apis: optional(untyped(fc.array(enumOf(EcrRateLimitedApi), { maxLength: 3 }))),
        thresholdPercent: optional(untyped(fc.oneof(
          { arbitrary: fc.integer({ min: 1, max: 100 }), weight: 6 }, fc.integer({ min: -10, max: 150 }), fc.double({ noNaN: true }),
        ))),
        quotas: optional(fc.dictionary(
          fc.constantFrom('BatchGetImage', 'PutImage', 'BatchGetImage', 'ListImages'), untyped(lazyNumber(fc.integer({ min: -5, max: 5000 })), 80), { maxKeys: 2 },
        )),
        evaluationMinutes: optional(untyped(lazyNumber(mostly(fc.integer({ min: 1, max: 1440 }), fc.integer({ min: -1, max: 2000 }))), 80)),
        dashboard: optional(fc.boolean()),
        sourceAccounts: optional(untyped(fc.array(account, { maxLength: 2 }))),
        organizationId: optional(untyped(fc.oneof({ arbitrary: fc.constant('o-a1b2c3d4e5'), weight: 6 }, fc.string({ maxLength: 12 })))),
      }),
      (stack, p) => {
        new RegistryUsageAlarms(stack, 'Usage', {
          apis: p.apis, thresholdPercent: p.thresholdPercent, quotas: p.quotas as any, evaluationMinutes: p.evaluationMinutes, dashboard: p.dashboard,
        });
        new CentralEventBus(stack, 'Bus', { sourceAccounts: p.sourceAccounts, organizationId: p.organizationId });
      },
    );
  }, FUZZ_TIMEOUT);
});
