import { guard, STRING } from '../internal/input';
import { checkAccountId, checkRegion, isConcrete, Problems } from '../internal/problems';

/**
 * Where a replication rule copies images to: a registry, named by its account
 * and region. The source's own account in another region is a cross-region
 * replication; another account is a cross-account replication, which needs a
 * registry policy in the destination (see `Registry.allowReplicationFrom`).
 */
export class ReplicationDestination {
  /**
   * The registry of an account in a region.
   *
   * @param account the 12-digit account ID (no token: ECR needs it at synth to wire both sides)
   * @param region the region name, for example `eu-central-1`
   */
  public static of(account: string, region: string): ReplicationDestination {
    const problems = new Problems('ReplicationDestination.of');
    guard(problems.subject, { account: [account, STRING], region: [region, STRING] });
    if (!isConcrete(account) || !isConcrete(region)) {
      problems.add(`destination (${account}, ${region}) is a token: replication destinations must be literal account IDs and region names, because both sides are wired at synth and stacks in different accounts cannot share references`);
    }
    checkAccountId(problems, 'account', account);
    checkRegion(problems, 'region', region);
    problems.throwIfAny();
    return new ReplicationDestination(account, region);
  }

  private constructor(
    /** The destination account ID. */
    public readonly account: string,
    /** The destination region. */
    public readonly region: string,
  ) {}

  /** `ACCOUNT/REGION`, for messages and keys. */
  public toString(): string {
    return `${this.account}/${this.region}`;
  }
}

/**
 * A replication rule: where to copy images, and which repositories.
 */
export interface ReplicationRuleOptions {
  /**
   * Where to copy the images: 1 to 25 distinct registries, none of them the
   * source registry itself.
   */
  readonly destinations: ReplicationDestination[];

  /**
   * Repository name prefixes (PREFIX_MATCH): a repository is replicated when
   * its name starts with one of them. 1 to 100 per rule, 2 to 256 characters.
   * Rules with the same set of destinations are merged into one rule.
   *
   * @default - every repository of the registry is replicated
   */
  readonly repositoryFilters?: string[];
}
