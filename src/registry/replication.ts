import { RegistryRef } from './app-registries';
import { guard, STRING } from '../internal/input';
import { checkAccountId, isConcrete, Problems } from '../internal/problems';
import { RegionOptions } from '../region-options';

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
   * @param region the region name, for example `eu-central-1`, checked against aws-cdk-lib's region list
   * @param options `allowUnknownRegion` for a region newer than your aws-cdk-lib
   */
  public static of(account: string, region: string, options: RegionOptions = {}): ReplicationDestination {
    const problems = new Problems('ReplicationDestination.of');
    guard(problems.subject, { account: [account, STRING], region: [region, STRING] });
    checkDestination(problems, '', account, region, options);
    problems.throwIfAny();
    return new ReplicationDestination(account, region);
  }

  /**
   * The registries of one account in several regions. Every bad or repeated
   * region is reported in one error.
   *
   * @param account the 12-digit account ID
   * @param regions region names, for example `['eu-central-1', 'us-east-1']`
   * @param options `allowUnknownRegion` for regions newer than your aws-cdk-lib
   */
  public static inRegions(account: string, regions: string[], options: RegionOptions = {}): ReplicationDestination[] {
    const problems = new Problems('ReplicationDestination.inRegions');
    if (!Array.isArray(regions) || regions.length === 0) {
      problems.add('regions is empty: name at least one region');
      problems.throwIfAny();
    }
    checkAccountId(problems, 'account', account);
    const seen = new Set<string>();
    regions.forEach((region, i) => {
      checkDestination(problems, `regions[${i}]: `, account, region, options, false);
      if (seen.has(region)) problems.add(`regions[${i}]: region '${region}' is listed twice`);
      seen.add(region);
    });
    problems.throwIfAny();
    return regions.map((region) => new ReplicationDestination(account, region));
  }

  /** The destination account ID. */
  public readonly account: string;
  /** The destination region. */
  public readonly region: string;
  /** The destination registry. @internal */
  public readonly _ref: RegistryRef;

  private constructor(account: string, region: string) {
    this._ref = new RegistryRef(account, region);
    this.account = account;
    this.region = region;
  }

  /** `ACCOUNT/REGION`, for messages and keys. */
  public toString(): string {
    return this._ref.key;
  }
}

function checkDestination(problems: Problems, label: string, account: string, region: string, options: RegionOptions, checkAccount = true): void {
  if (!isConcrete(account) || !isConcrete(region)) {
    problems.add(`${label}destination (${account}, ${region}) is a token: replication destinations must be literal account IDs and region names, because both sides are wired at synth and stacks in different accounts cannot share references`);
  }
  RegistryRef.check(problems, { account: checkAccount ? 'account' : undefined, region: `${label}region` }, account, region, options);
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
