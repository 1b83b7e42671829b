import * as lambda from 'aws-cdk-lib/aws-lambda';
import { InspectorRescanDuration, InspectorScanning } from '../../src';
import { latestNodeRuntime } from '../../src/internal/lambda-runtime';
import { strictStack, validTemplate } from '../util/harness';

function numbered(name: string): number {
  return Number(/^nodejs(\d+)\.x$/.exec(name)?.[1] ?? -1);
}

describe('the settings provider function runtime', () => {
  test('given the installed aws-cdk-lib, then the function runs on the highest numbered Node.js runtime it lists, which AwsSolutions-L1 accepts', () => {
    const highest = Math.max(...lambda.Runtime.ALL.filter((r) => r.family === lambda.RuntimeFamily.NODEJS).map((r) => numbered(r.name)));
    const stack = strictStack();
    new InspectorScanning(stack, 'Inspector', { rescanDuration: InspectorRescanDuration.DAYS_180 });

    const template = validTemplate(stack, { nag: true });

    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: `nodejs${highest}.x`, Handler: 'index.handler' });
  });

  test('given an aws-cdk-lib that adds a newer Node.js runtime, then the function follows it and AwsSolutions-L1 still passes', () => {
    // what aws-cdk-lib 2.278 did: one more entry in Runtime.ALL, nodejs26.x, which
    // the CloudFormation schema of 2.276 already lists (this test file has its
    // own module registry, so no other test sees the entry)
    const newer = lambda.Runtime.ALL.find((r) => r.name === 'nodejs26.x')
      ?? new lambda.Runtime('nodejs26.x', lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true });
    const stack = strictStack();
    new InspectorScanning(stack, 'Inspector', { rescanDuration: InspectorRescanDuration.DAYS_180 });

    const template = validTemplate(stack, { nag: true });

    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: newer.name });
  });

  test('given runtimes of other families and unnumbered Node.js names, then only numbered Node.js runtimes count', () => {
    new lambda.Runtime('nodejs1000', lambda.RuntimeFamily.NODEJS);
    new lambda.Runtime('python99.x', lambda.RuntimeFamily.PYTHON);

    const runtime = latestNodeRuntime();

    expect(runtime.family).toBe(lambda.RuntimeFamily.NODEJS);
    expect(runtime.name).toMatch(/^nodejs\d+\.x$/);
  });
});
