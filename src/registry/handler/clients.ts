/**
 * The AWS SDK v3 clients of the Lambda function. They come from the Lambda
 * Node.js runtime: the bundle marks `@aws-sdk/*` external.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ECRClient } from '@aws-sdk/client-ecr';
import { Inspector2Client } from '@aws-sdk/client-inspector2';
/* eslint-enable import/no-extraneous-dependencies */
import { Dependencies } from './request';

/**
 * The SDK client configuration: one attempt per call (the handler's own
 * retries are the only layer) and bounded connection and request times.
 */
export const SDK_CLIENT_CONFIG = {
  maxAttempts: 1,
  requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
};

/** The clients of the Lambda function. */
export function createClients(): Pick<Dependencies, 'inspector' | 'ecr' | 'cloudformation'> {
  return {
    inspector: new Inspector2Client(SDK_CLIENT_CONFIG),
    ecr: new ECRClient(SDK_CLIENT_CONFIG),
    cloudformation: new CloudFormationClient(SDK_CLIENT_CONFIG),
  };
}
