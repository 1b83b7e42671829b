import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** What differs between the customer managed keys the library creates. */
export interface LibraryKeyProps {
  /** The key's description. */
  readonly description: string;
}

/**
 * What deleting a library key does: nothing. Every default key of the
 * library (the stack's repository key, a repository's or template's own key,
 * the credentials key of a pull-through cache, the findings topic key, the
 * settings provider's log key) is retained, because data encrypted with it
 * (images, replicas, secrets, logs) may outlive the stack, and a deleted key
 * makes that data unreadable.
 */
const LIBRARY_KEY_REMOVAL_POLICY = RemovalPolicy.RETAIN;

/** The `Sid` of the statement that limits grants to AWS services. */
export const CREATE_GRANT_SID = 'GrantsOnlyForAwsServices';

/**
 * Creates a customer managed key the way every key of the library is
 * created: symmetric, rotation on, retained on delete, with a key policy
 * that lets AWS services, and only them, create grants.
 *
 * @internal
 */
export function createLibraryKey(scope: Construct, id: string, props: LibraryKeyProps): kms.Key {
  const key = new kms.Key(scope, id, {
    description: props.description,
    enableKeyRotation: true,
    removalPolicy: LIBRARY_KEY_REMOVAL_POLICY,
  });
  limitGrantsToAwsServices(key);
  return key;
}

/**
 * Adds the key-policy statement of AWS Control Tower's CT.KMS.PR.3
 * (`kms_create_grant_aws_service_check`): deny `kms:CreateGrant` to every
 * principal when neither `kms:GrantIsForAWSResource` nor
 * `aws:PrincipalIsAWSService` is true (`BoolIfExists`, both `false`).
 *
 * Every service that uses the library's keys still works, because none of
 * them needs a grant created by a principal acting on its own:
 * - ECR repositories (KMS and KMS_DSSE), and the repositories ECR creates by
 *   replication or from a creation template (with its custom role), get
 *   their key grant from ECR, which calls `CreateGrant` on the caller's
 *   behalf: KMS sets `kms:GrantIsForAWSResource` to true for such calls.
 * - Secrets Manager (pull-through cache credentials) encrypts and decrypts
 *   with `GenerateDataKey` and `Decrypt` through `kms:ViaService`; no grant.
 * - SNS publishes from EventBridge with `GenerateDataKey`/`Decrypt` granted
 *   to `events.amazonaws.com` in the key policy; no grant.
 * - CloudWatch Logs uses the key through its service principal; no grant.
 *
 * The statement only denies; every permission still comes from the other
 * statements of the key policy and from IAM.
 *
 * @internal
 */
export function limitGrantsToAwsServices(key: kms.Key): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: CREATE_GRANT_SID,
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: {
      BoolIfExists: {
        'kms:GrantIsForAWSResource': 'false',
        'aws:PrincipalIsAWSService': 'false',
      },
    },
  }));
}
