import * as lambda from 'aws-cdk-lib/aws-lambda';

/** The runtime name of a numbered Node.js runtime, such as `nodejs24.x`. */
const NODE_RUNTIME = /^nodejs(\d+)\.x$/;

/**
 * The newest Node.js runtime the app's aws-cdk-lib knows: the highest
 * numbered `nodejsNN.x` of `Runtime.ALL`.
 *
 * cdk-nag's AwsSolutions-L1 compares a function's runtime with the newest
 * runtime of its family that the same aws-cdk-lib knows, so a runtime pinned
 * by the library would fail a user's nag gate on the first aws-cdk-lib
 * release that adds a Node.js runtime. aws-cdk-lib's own
 * `determineLatestNodeRuntime` follows a regional fact that lags behind
 * `Runtime.ALL`, so it does not answer that question.
 *
 * @internal
 */
export function latestNodeRuntime(): lambda.Runtime {
  let best: { version: number; runtime: lambda.Runtime } | undefined;
  for (const runtime of lambda.Runtime.ALL) {
    if (runtime.family !== lambda.RuntimeFamily.NODEJS) continue;
    const match = NODE_RUNTIME.exec(runtime.name);
    if (!match) continue;
    const version = Number(match[1]);
    if (best === undefined || version > best.version) best = { version, runtime };
  }
  if (best === undefined) {
    // aws-cdk-lib has listed numbered Node.js runtimes since its first release
    throw new Error('aws-cdk-lib lists no Node.js Lambda runtime (lambda.Runtime.ALL)');
  }
  // aws-cdk-lib's own instance: a new Runtime would add itself to Runtime.ALL
  return best.runtime;
}
