import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { latestNodeRuntime } from '../internal/lambda-runtime';

/** Props of the settings provider's function: everything but its code, handler and runtime. */
export interface AccountSettingsFunctionProps extends lambda.FunctionOptions {
}

/**
 * The function of the account-settings custom resources: the handler
 * src/registry/account-settings.lambda.ts, bundled by the `bundle` task into
 * assets/registry/account-settings.lambda, on the newest Node.js runtime the
 * app's aws-cdk-lib knows (see `latestNodeRuntime`), so that a new
 * aws-cdk-lib release does not make cdk-nag's AwsSolutions-L1 flag it. A
 * newer runtime is an in-place update of the function.
 */
export class AccountSettingsFunction extends lambda.Function {
  constructor(scope: Construct, id: string, props: AccountSettingsFunctionProps = {}) {
    super(scope, id, {
      description: 'src/registry/account-settings.lambda.ts',
      ...props,
      runtime: latestNodeRuntime(),
      handler: 'index.handler',
      code: lambda.Code.fromAsset(path.join(__dirname, '../../assets/registry/account-settings.lambda')),
    });
    this.addEnvironment('AWS_NODEJS_CONNECTION_REUSE_ENABLED', '1', { removeInEdge: true });
  }
}
