import { CfnParameter, Fn, Lazy } from 'aws-cdk-lib';
import { PullThroughCacheRule, UpstreamRegistry } from '../src';
import { strictStack, validTemplate } from './util/harness';

test.each([
  ['param', (s: any) => new CfnParameter(s, 'P').valueAsString],
  ['import', () => Fn.importValue('x')],
  ['lazy', () => Lazy.string({ produce: () => 'mirror' })],
])('probe %s', (_n, f) => {
  const stack = strictStack();
  new PullThroughCacheRule(stack, 'R', { ecrRepositoryPrefix: f(stack), upstream: UpstreamRegistry.ecr('222222222222', 'eu-west-1') });
  validTemplate(stack, { nag: true });
});
