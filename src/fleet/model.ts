import { RemovalPolicy } from 'aws-cdk-lib';
import { LifecyclePolicy } from '../lifecycle/policy';
import { EcrAccountSettingsProps } from '../registry/account-settings';
import { ReplicationDestination, ReplicationRuleOptions } from '../registry/replication';
import { RepositoryAccess } from '../repository/access';
import { RepositoryCreationTemplateAppliedFor } from '../repository/creation-template';
import { ImageEncryption } from '../repository/encryption';
import { ImageTagMutability } from '../repository/private-repository';
import { ScanFrequency, ScanType } from '../scanning/enums';
import { ScanningRuleOptions } from '../scanning/registry-scanning';
import { SigningRuleOptions } from '../signing/registry-signing';

/*
 * The fleet's model of one repository: what RepositoryFleet renders and what
 * the catalog reader produces. The catalog depends on it, never the other
 * way: a catalog entry travels file -> catalog -> model -> fleet -> template.
 */

/**
 * An accepted finding of the `EcrCompliance` pack on a repository, in
 * cdk-nag's terms: the rule ID and why it is accepted. The repository
 * records it as `Validations.of(repository).acknowledge({ id, reason })`
 * does. An AWS Control Tower control on repositories (`CT.ECR.PR.1` to
 * `CT.ECR.PR.3`) is accepted the same way: the repository then records
 * both the pack's finding that mirrors the control and the finding of AWS's
 * cfn-guard rule for it, as `@cdklabs/cdk-validator-cfnguard` reports it
 * (`cdk-validator-cfnguard::RULE`).
 */
export interface FindingAcknowledgement {
  /**
   * The rule ID, for example `EcrCompliance-TagImmutability`: a rule of the
   * pack that checks repositories; or a Control Tower control on
   * repositories, for example `CT.ECR.PR.3`.
   */
  readonly id: string;
  /** Why the finding is accepted (not empty). */
  readonly reason: string;
}

/**
 * One repository of a fleet: the settings of a `PrivateRepository` plus its
 * owner and cost tags, its replication and its scanning, as data.
 */
export interface FleetRepositoryProps {
  /** The repository's name (ECR's naming rule). */
  readonly repositoryName: string;
  /**
   * The account of the registry the repository lives in. A `RepositoryFleet`
   * takes only repositories of its own environment; a catalog that spans
   * accounts or regions is built by `MultiRegistryFleet`, one fleet (shards
   * and registry stack) per account and region.
   *
   * @default - the fleet's account
   */
  readonly account?: string;
  /**
   * The region of the registry the repository lives in (see `account`).
   *
   * @default - the fleet's region
   */
  readonly region?: string;
  /**
   * Value of the `owner` tag.
   *
   * @default - no owner tag
   */
  readonly owner?: string;
  /**
   * Value of the `cost-center` tag.
   *
   * @default - no cost-center tag
   */
  readonly costCenter?: string;
  /**
   * The lifecycle policy.
   *
   * @default LifecyclePolicy.recommended()
   */
  readonly lifecyclePolicy?: LifecyclePolicy;
  /**
   * Whether the repository has no lifecycle policy at all, as an existing
   * repository may have: the template then renders none (rather than the
   * default `LifecyclePolicy.recommended()`). Security Hub ECR.3 and
   * Control Tower CT.ECR.PR.1 fail such a repository (`EcrCompliance-LifecyclePolicy`).
   * Not with `lifecyclePolicy`.
   *
   * @default false
   */
  readonly noLifecyclePolicy?: boolean;
  /**
   * Whether tags can be overwritten.
   *
   * @default ImageTagMutability.IMMUTABLE
   */
  readonly imageTagMutability?: ImageTagMutability;
  /**
   * Tags that do not follow `imageTagMutability`.
   *
   * @default - no exclusions
   */
  readonly imageTagMutabilityExclusions?: string[];
  /**
   * How images are encrypted at rest.
   *
   * @default - KMS with the shard stack's shared key
   */
  readonly encryption?: ImageEncryption;
  /**
   * An existing customer managed key (or the AWS managed key `aws/ecr`, as
   * `DescribeRepositories` reports it) that encrypts the repository, by its
   * ARN (`arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID`, in the repository's
   * region): KMS encryption, with exactly that ARN as `KmsKey`. No key is
   * created or recorded for it. Not with `encryption`.
   *
   * @default - as `encryption` says
   */
  readonly kmsKeyArn?: string;
  /**
   * Whether `kmsKeyArn`'s key encrypts the repository in two layers:
   * dual-layer server-side encryption (`KMS_DSSE`) rather than `KMS`, as an
   * existing repository may have it. Amazon ECR offers it only in the AWS
   * GovCloud (US) Regions. Only with `kmsKeyArn` (with the AWS managed key,
   * give `encryption: ImageEncryption.KMS_DSSE_AWS_MANAGED`).
   *
   * @default false
   */
  readonly dualLayerEncryption?: boolean;
  /**
   * A repository policy document (JSON text), kept as it runs: its Version
   * and statements are rendered as given, followed by the statements of
   * `access`. It is judged by the library's open-access check: a statement
   * that allows `*` without a condition that restricts it to named accounts
   * or organizations is refused unless the entry acknowledges
   * `EcrCompliance-OpenAccess`.
   *
   * @default - no policy statements other than those of `access`
   */
  readonly repositoryPolicyText?: string;
  /**
   * Tags of the repository, key to value, besides `owner` and `cost-center`
   * (which `owner` and `costCenter` set): at most 50 tags in all, keys of 1
   * to 128 characters, values of up to 256, no `aws:` prefix.
   *
   * @default - no other tags
   */
  readonly tags?: { [key: string]: string };
  /**
   * The repository's own scan on push (`ImageScanningConfiguration.ScanOnPush`).
   * Control Tower CT.ECR.PR.2 fails `false` (`EcrCompliance-ControlTowerScanOnPush`).
   *
   * @default true
   */
  readonly imageScanOnPush?: boolean;
  /**
   * Who else may use the repository.
   *
   * @default - no resource policy
   */
  readonly access?: RepositoryAccess[];
  /**
   * Registries the repository's images are replicated to.
   *
   * @default - no replication
   */
  readonly replicationDestinations?: ReplicationDestination[];
  /**
   * How the registry scans the repository. In a `RepositoryFleet`, any entry
   * with a frequency gives the fleet's registry a `*` SCAN_ON_PUSH rule (so
   * every repository stays scanned once a registry scanning configuration
   * exists); CONTINUOUS_SCAN adds the repository's name to the
   * CONTINUOUS_SCAN rule.
   *
   * @default - no registry scanning rule for this repository (its own scan on push applies while the registry has no scanning configuration)
   */
  readonly scanFrequency?: ScanFrequency;
  /**
   * What happens to the repository when it leaves the fleet.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Findings of the `EcrCompliance` pack, or AWS Control Tower controls on
   * repositories, accepted for this repository, each with its reason (for
   * example `EcrCompliance-TagImmutability` and `CT.ECR.PR.3` for a
   * repository with `MUTABLE` tags).
   *
   * @default - none: every finding is reported
   */
  readonly acknowledgements?: FindingAcknowledgement[];
}

/**
 * Registry-wide settings a fleet's registry stack renders as given, besides
 * those its repositories' `replicationDestinations` and `scanFrequency` add:
 * replication rules by name prefix and the registry scanning configuration,
 * as an existing registry has them (`catalog import` writes them from an
 * export). Rules with the same destinations, and scanning filters of the
 * same frequency, are merged into one rule, as `Registry` and
 * `RegistryScanning` do.
 */
export interface FleetRegistrySettings {
  /**
   * Replication rules: destinations and PREFIX_MATCH repository filters.
   *
   * @default - none besides the repositories' own
   */
  readonly replicationRules?: ReplicationRuleOptions[];
  /**
   * The scan type of the registry scanning configuration.
   *
   * @default - BASIC, or ENHANCED when a rule scans continuously
   */
  readonly scanType?: ScanType;
  /**
   * Registry scanning rules: a frequency and WILDCARD repository filters.
   *
   * @default - none besides the repositories' own
   */
  readonly scanningRules?: ScanningRuleOptions[];
  /**
   * The registry policy as it runs (`GetRegistryPolicy`'s policy text): its
   * statements go to the registry stack's registry policy as they are,
   * checked by the registry's own rules (`Registry.addToPolicy`).
   *
   * @default - no registry policy besides what the fleet's own settings add
   */
  readonly policyText?: string;
  /**
   * Pull-through cache rules as they run: each is a `PullThroughCacheRule`
   * of the registry stack with exactly these values (an existing
   * credentials secret and role by ARN, no creation template of its own:
   * templates are `creationTemplates`).
   *
   * @default - no pull-through cache rule
   */
  readonly pullThroughCacheRules?: FleetPullThroughCacheRule[];
  /**
   * Repository creation templates as they run: each is a
   * `RepositoryCreationTemplate` of the registry stack with exactly these
   * values.
   *
   * @default - no repository creation template
   */
  readonly creationTemplates?: FleetCreationTemplate[];
  /**
   * Signing rules of the registry's signing configuration
   * (`RegistrySigning.addRule`).
   *
   * @default - no signing configuration
   */
  readonly signingRules?: SigningRuleOptions[];
  /**
   * Principals (IAM role or user ARNs) whose pulls do not update an image's
   * "last pulled" time: one `PullTimeUpdateExclusion` each.
   *
   * @default - none
   */
  readonly pullTimeUpdateExclusions?: string[];
  /**
   * ECR account settings (`EcrAccountSettings`, a custom resource: no
   * CloudFormation type sets them, and CloudFormation cannot import it).
   *
   * @default - the account settings are left as they are
   */
  readonly accountSettings?: EcrAccountSettingsProps;
}

/**
 * A pull-through cache rule of a fleet's registry, with the values ECR's
 * `DescribePullThroughCacheRules` returns for it.
 */
export interface FleetPullThroughCacheRule {
  /** The repository name prefix of the cache (2 to 30 characters, or `ROOT`). */
  readonly ecrRepositoryPrefix: string;
  /**
   * The upstream registry's URL (`registry-1.docker.io`, `ghcr.io`,
   * `NAME.azurecr.io`, `ACCOUNT.dkr.ecr.REGION.amazonaws.com`, ...): it
   * names one of the upstreams of `UpstreamRegistry`.
   */
  readonly upstreamRegistryUrl: string;
  /**
   * The ARN of the existing Secrets Manager secret (named
   * `ecr-pullthroughcache/...`) with the upstream's credentials.
   *
   * @default - none: for upstreams that take no credentials
   */
  readonly credentialArn?: string;
  /**
   * The ARN of the existing role ECR assumes to pull from a private Amazon
   * ECR upstream.
   *
   * @default - none; for an upstream in another account the rule creates one
   */
  readonly customRoleArn?: string;
  /**
   * The repository name prefix in a private Amazon ECR upstream.
   *
   * @default - every repository of the upstream
   */
  readonly upstreamRepositoryPrefix?: string;
}

/**
 * A repository creation template of a fleet's registry, with the values
 * ECR's `DescribeRepositoryCreationTemplates` returns for it.
 */
export interface FleetCreationTemplate {
  /** The repository name prefix, or `ROOT`. */
  readonly prefix: string;
  /** When ECR applies the template. */
  readonly appliedFor: RepositoryCreationTemplateAppliedFor[];
  /**
   * The template's description.
   *
   * @default - none
   */
  readonly description?: string;
  /**
   * How the repositories ECR creates are encrypted, unless `kmsKeyArn` names the key.
   *
   * @default - the construct's default: KMS with the registry stack's shared key
   */
  readonly encryption?: ImageEncryption;
  /**
   * KMS encryption with this existing key (its ARN).
   *
   * @default - `encryption`
   */
  readonly kmsKeyArn?: string;
  /**
   * Tag mutability of the repositories ECR creates.
   *
   * @default ImageTagMutability.IMMUTABLE
   */
  readonly imageTagMutability?: ImageTagMutability;
  /**
   * WILDCARD filters of tags that do not follow `imageTagMutability`.
   *
   * @default - none
   */
  readonly imageTagMutabilityExclusions?: string[];
  /**
   * The lifecycle policy of the repositories ECR creates.
   *
   * @default LifecyclePolicy.recommended(), unless `noLifecyclePolicy`
   */
  readonly lifecyclePolicy?: LifecyclePolicy;
  /**
   * No lifecycle policy, as a template that runs without one.
   *
   * @default false
   */
  readonly noLifecyclePolicy?: boolean;
  /**
   * The repository policy of the repositories ECR creates, as its JSON text.
   *
   * @default - none
   */
  readonly repositoryPolicyText?: string;
  /**
   * Tags of the repositories ECR creates.
   *
   * @default - none
   */
  readonly resourceTags?: Record<string, string>;
  /**
   * The ARN of the existing role ECR assumes to create repositories.
   *
   * @default - a role is created for tags or KMS, unless `noCustomRole`
   */
  readonly customRoleArn?: string;
  /**
   * Keep ECR's service-linked role even with tags or KMS (as a template
   * that runs without a custom role).
   *
   * @default false
   */
  readonly noCustomRole?: boolean;
  /**
   * Findings of the `EcrCompliance` pack accepted for this template (for
   * example `EcrCompliance-LifecyclePolicy`), each with its reason.
   *
   * @default - none
   */
  readonly acknowledgements?: FindingAcknowledgement[];
}
