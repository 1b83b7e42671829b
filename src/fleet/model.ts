import { RemovalPolicy } from 'aws-cdk-lib';
import { LifecyclePolicy } from '../lifecycle/policy';
import { ReplicationDestination } from '../registry/replication';
import { RepositoryAccess } from '../repository/access';
import { ImageEncryption } from '../repository/encryption';
import { ImageTagMutability } from '../repository/private-repository';
import { ScanFrequency } from '../scanning/enums';

/*
 * The fleet's model of one repository: what RepositoryFleet renders and what
 * the catalog reader produces. The catalog depends on it, never the other
 * way: a catalog entry travels file -> catalog -> model -> fleet -> template.
 */

/**
 * An accepted finding of the `EcrCompliance` pack on a repository, in
 * cdk-nag's terms: the rule ID and why it is accepted. The repository
 * records it as `Validations.of(repository).acknowledge({ id, reason })`
 * does.
 */
export interface FindingAcknowledgement {
  /** The rule ID, for example `EcrCompliance-TagImmutability`: a rule of the pack that checks repositories. */
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
   * Findings of the `EcrCompliance` pack accepted for this repository, each
   * with its reason (for example `EcrCompliance-TagImmutability` for a
   * repository with `MUTABLE` tags).
   *
   * @default - none: every finding is reported
   */
  readonly acknowledgements?: FindingAcknowledgement[];
}
