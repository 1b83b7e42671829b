import { Annotations, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CREDENTIAL_SECRET_PREFIX as SECRET_PREFIX, normalizePrefix } from '../internal/ecr-facts';
import { guard, OBJECT, optional, STRING } from '../internal/input';
import { createLibraryKey } from '../internal/kms';
import { isConcrete, Problems } from '../internal/problems';
import { checkNowAndAtSynth, SynthCheck } from '../internal/resolve';

/** The service-linked role ECR uses to read credential secrets. */
const SERVICE_LINKED_ROLE = 'aws-service-role/pullthroughcache.ecr.amazonaws.com/AWSServiceRoleForECRPullThroughCache';
/** The characters CloudFormation accepts after the prefix in a CredentialArn. */
const SECRET_NAME_REST = /^[a-zA-Z0-9/_+=.@-]+$/;

/**
 * Options of a credential secret the rule creates.
 */
export interface PullThroughCacheSecretOptions {
  /**
   * The secret's name, starting with `ecr-pullthroughcache/`.
   *
   * @default - `ecr-pullthroughcache/` followed by the rule's repository prefix
   */
  readonly secretName?: string;

  /**
   * The customer managed key that encrypts the secret. Its key policy gets a
   * statement that lets ECR's pull-through cache service-linked role decrypt
   * the secret through Secrets Manager (for a key created in the app; add it
   * yourself to an imported key).
   *
   * @default - a new key with rotation enabled, retained on delete
   */
  readonly encryptionKey?: kms.IKey;
}

/** What binding credentials produced. @internal */
export interface BoundCredentials {
  readonly secret: secretsmanager.ISecret;
  readonly key?: kms.IKey;
}

/**
 * The upstream registry credentials of a pull-through cache rule: a Secrets
 * Manager secret in the same account and region, named with the prefix
 * `ecr-pullthroughcache/`, holding `username` and `accessToken`.
 */
export class PullThroughCacheCredentials {
  /**
   * An existing secret. Its name must start with `ecr-pullthroughcache/`
   * (checked when the name is known at synth). Import it with
   * `Secret.fromSecretCompleteArn` so that ECR gets the full ARN.
   */
  public static fromSecret(secret: secretsmanager.ISecret): PullThroughCacheCredentials {
    guard('PullThroughCacheCredentials.fromSecret', { secret: [secret, OBJECT] });
    return new PullThroughCacheCredentials(secret, undefined);
  }

  /**
   * A new secret for you to fill in after deployment (the template holds no
   * credential: `username` is empty and `accessToken` a random placeholder):
   *
   * `aws secretsmanager put-secret-value --secret-id ecr-pullthroughcache/PREFIX --secret-string '{"username":"...","accessToken":"..."}'`
   */
  public static createSecret(options: PullThroughCacheSecretOptions = {}): PullThroughCacheCredentials {
    guard('PullThroughCacheCredentials.createSecret', { options: [options, { secretName: optional(STRING), encryptionKey: optional(OBJECT) }] });
    return new PullThroughCacheCredentials(undefined, options);
  }

  private constructor(
    private readonly secret: secretsmanager.ISecret | undefined,
    private readonly options: PullThroughCacheSecretOptions | undefined,
  ) {}

  /** Whether the rule creates the secret. */
  public get createsSecret(): boolean {
    return this.secret === undefined;
  }

  /**
   * Checks the credentials for a rule (no resource is created).
   *
   * @internal
   */
  public _check(problems: Problems, scope: Construct, ecrRepositoryPrefix: string): void {
    const stack = Stack.of(scope);
    if (this.secret) {
      // A Lazy name or ARN is checked again at synth; a deploy-time one stays unchecked.
      checkNowAndAtSynth(scope, problems, { name: this.secret.secretName, arn: this.secret.secretArn }, checkSecretReference);
      const env = this.secret.env;
      if (isConcrete(env.account) && isConcrete(stack.account) && env.account !== stack.account) {
        problems.add(`credentials secret is in account ${env.account}, the rule in ${stack.account}: the secret must be in the rule's account`);
      }
      if (isConcrete(env.region) && isConcrete(stack.region) && env.region !== stack.region) {
        problems.add(`credentials secret is in region ${env.region}, the rule in ${stack.region}: the secret must be in the rule's region`);
      }
    } else {
      checkNowAndAtSynth(scope, problems, { name: this.options?.secretName ?? defaultSecretName(ecrRepositoryPrefix) }, checkSecretName);
    }
  }

  /**
   * The secret, created under the scope when needed.
   *
   * @internal
   */
  public _bind(scope: Construct, ecrRepositoryPrefix: string): BoundCredentials {
    if (this.secret) return { secret: this.secret };
    const stack = Stack.of(scope);
    const key = this.options?.encryptionKey ?? createLibraryKey(scope, 'CredentialsKey', {
      description: `Encrypts the upstream registry credentials of pull-through cache rule ${scope.node.path}`,
    });
    const statement = new iam.PolicyStatement({
      sid: 'PullThroughCacheReadsCredentials',
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: {
        StringEquals: {
          'kms:CallerAccount': stack.account,
          'kms:ViaService': `secretsmanager.${stack.region}.${stack.urlSuffix}`,
          'aws:PrincipalArn': `arn:${stack.partition}:iam::${stack.account}:role/${SERVICE_LINKED_ROLE}`,
        },
      },
    });
    let added = false;
    try {
      added = key.addToResourcePolicy(statement, false).statementAdded;
    } catch {
      added = false; // an imported key: its policy cannot be changed here
    }
    if (!added) {
      Annotations.of(scope).addWarningV2('cdk-ecr-platform:pullThroughCacheImportedKey',
        `The credentials key of ${scope.node.path} is imported: its key policy must let the role ${SERVICE_LINKED_ROLE} call kms:Decrypt through Secrets Manager, or ECR cannot read the credentials.`);
    }
    const secret = new secretsmanager.Secret(scope, 'Credentials', {
      secretName: this.options?.secretName ?? defaultSecretName(ecrRepositoryPrefix),
      description: `Upstream registry credentials of pull-through cache rule ${scope.node.path}: fill in username and accessToken`,
      encryptionKey: key,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: '' }),
        generateStringKey: 'accessToken',
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(secret).acknowledge(
      {
        id: 'AwsSolutions-SMG4',
        reason: 'The secret holds an access token issued by the upstream registry: Secrets Manager cannot rotate it, the token is rotated at the upstream and written with put-secret-value.',
      },
      ...['NIST.800.53.R5-SecretsManagerRotationEnabled', 'HIPAA.Security-SecretsManagerRotationEnabled', 'PCI.DSS.321-SecretsManagerRotationEnabled'].map((id) => ({
        id,
        reason: 'The secret holds an access token issued by the upstream registry: Secrets Manager cannot rotate it, the token is rotated at the upstream and written with put-secret-value.',
      })),
    );
    return { secret, key };
  }
}

/** `ecr-pullthroughcache/` and the repository prefix without a trailing '/'. */
function defaultSecretName(ecrRepositoryPrefix: string): string {
  if (Token.isUnresolved(ecrRepositoryPrefix)) return `${SECRET_PREFIX}${ecrRepositoryPrefix}`;
  return `${SECRET_PREFIX}${normalizePrefix(ecrRepositoryPrefix)}`;
}

/** An existing secret must be named with the prefix ECR's pull-through cache may read. */
const checkSecretReference: SynthCheck<{ name: string; arn: string }> = (problems, { name, arn }) => {
  if (isConcrete(name) && !name.startsWith(SECRET_PREFIX)) {
    problems.add(`credentials secret '${name}' does not start with '${SECRET_PREFIX}': ECR's pull-through cache may only read secrets with that name prefix`);
  }
  if (!isConcrete(name) && isConcrete(arn) && !arn.includes(`:secret:${SECRET_PREFIX}`)) {
    problems.add(`credentials secret '${arn}' is not named '${SECRET_PREFIX}...': ECR's pull-through cache may only read secrets with that name prefix`);
  }
};

/** A secret the rule creates must be named with that prefix, in Secrets Manager's name syntax. */
const checkSecretName: SynthCheck<{ name: string }> = (problems, { name }) => {
  if (isConcrete(name) && (!name.startsWith(SECRET_PREFIX) || !SECRET_NAME_REST.test(name.slice(SECRET_PREFIX.length)) || name.length > 512)) {
    problems.add(`secretName '${name}' must be '${SECRET_PREFIX}' followed by letters, digits or /_+=.@- (at most 512 characters): ECR's pull-through cache may only read secrets with that name prefix`);
  }
};
