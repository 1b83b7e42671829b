import { mkdirSync } from 'fs';
import * as path from 'path';
import { Environment } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { RepositoryFleet } from './fleet';
import { FleetKeyScope } from './key-scope';
import { FleetRepositoryProps } from './model';
import { compareNames } from './placement';
import { BOOLEAN, guardConstruct, listOf, NUMBER, OBJECT, oneOf, optional, STRING } from '../internal/input';
import { checkAccountId, isConcrete, Problems, subjectOf } from '../internal/problems';
import { checkRegion } from '../internal/regions';

/**
 * The construct ID of a registry's fleet in a `MultiRegistryFleet` (`ACCOUNT-REGION`).
 *
 * @internal
 */
export function registryFleetId(account: string, region: string): string {
  return `${account}-${region}`;
}

/**
 * Properties of a fleet that spans several registries.
 */
export interface MultiRegistryFleetProps {
  /**
   * The repositories, each naming the account and region of its registry
   * (`account`, `region`), or leaving them to `defaultEnv`.
   */
  readonly repositories: FleetRepositoryProps[];
  /**
   * The account and region of repositories that name none.
   *
   * @default - every repository names its account and region
   */
  readonly defaultEnv?: Environment;
  /**
   * The folder of the placement files: one per registry, named
   * `ACCOUNT.REGION.json`, so that each registry's placement stays stable on
   * its own (see `RepositoryFleetProps.placementFile`).
   *
   * @default - no files: placement starts empty on every synth. Use a folder for anything deployed.
   */
  readonly placementDirectory?: string;
  /**
   * Whether synth writes new placements to the placement files.
   *
   * @default true
   */
  readonly updatePlacementFiles?: boolean;
  /**
   * The most resources a shard stack takes.
   *
   * @default 400
   */
  readonly maxResourcesPerStack?: number;
  /**
   * The most template bytes a shard stack takes.
   *
   * @default 800000
   */
  readonly maxTemplateBytesPerStack?: number;
  /**
   * Which customer managed key encrypts the repositories that do not choose
   * their own encryption, in every registry (see `RepositoryFleetProps.keyScope`).
   *
   * @default FleetKeyScope.SHARD
   */
  readonly keyScope?: FleetKeyScope;
  /**
   * Whether the shard stacks record creation stack traces.
   *
   * @default false
   */
  readonly creationStackTraces?: boolean;
}

/**
 * A catalog of repositories across accounts and regions: one
 * `RepositoryFleet` per registry (account and region), each with its own
 * shard stacks, registry stack (replication, scanning) and placement file,
 * and each checked against ECR's quotas on its own. The fleet of a registry
 * is a child named `ACCOUNT-REGION` (`Fleet/111111111111-eu-west-1/Shard1`);
 * replication from one registry of the catalog to another is wired as for
 * any two stacks of the app.
 *
 * @example
 * const catalog = RepositoryCatalog.fromFile('repositories.yaml');
 * new MultiRegistryFleet(app, 'Fleet', {
 *   repositories: catalog.repositories,
 *   placementDirectory: 'fleet-placement',
 * });
 */
export class MultiRegistryFleet extends Construct {
  /** The fleet of each registry, in account and region order. */
  public readonly fleets: RepositoryFleet[] = [];
  private readonly byRegistry = new Map<string, RepositoryFleet>();

  constructor(scope: Construct, id: string, props: MultiRegistryFleetProps) {
    guardConstruct('MultiRegistryFleet', scope, id, props, {
      repositories: listOf(OBJECT),
      defaultEnv: optional(OBJECT),
      placementDirectory: optional(STRING),
      updatePlacementFiles: optional(BOOLEAN),
      maxResourcesPerStack: optional(NUMBER),
      maxTemplateBytesPerStack: optional(NUMBER),
      keyScope: optional(oneOf(FleetKeyScope)),
      creationStackTraces: optional(BOOLEAN),
    });
    super(scope, id);
    const problems = new Problems(subjectOf('MultiRegistryFleet', scope, id));
    const groups = new Map<string, { account: string; region: string; repositories: FleetRepositoryProps[] }>();
    props.repositories.forEach((r, i) => {
      const account = r.account ?? props.defaultEnv?.account;
      const region = r.region ?? props.defaultEnv?.region;
      const name = typeof r.repositoryName === 'string' ? ` '${r.repositoryName}'` : '';
      if (account === undefined || region === undefined) {
        problems.add(`repositories[${i}]${name} names no ${account === undefined ? 'account' : 'region'}, and defaultEnv gives none: every repository of a MultiRegistryFleet lives in a known account and region`);
        return;
      }
      if (!isConcrete(account) || !isConcrete(region)) {
        problems.add(`repositories[${i}]${name}: the account and region must be literal values (a fleet per registry is chosen at synth), not tokens`);
        return;
      }
      checkAccountId(problems, `repositories[${i}].account`, account);
      checkRegion(problems, `repositories[${i}].region`, region);
      const key = registryFleetId(account, region);
      let group = groups.get(key);
      if (!group) groups.set(key, group = { account, region, repositories: [] });
      group.repositories.push({ ...r, account, region });
    });
    problems.throwIfAny();
    if (props.placementDirectory !== undefined && props.updatePlacementFiles !== false) mkdirSync(props.placementDirectory, { recursive: true });

    // In account and region order, so that the catalog's order never shows.
    for (const key of [...groups.keys()].sort(compareNames)) {
      const group = groups.get(key)!;
      const fleet = new RepositoryFleet(this, key, {
        repositories: group.repositories,
        env: { account: group.account, region: group.region },
        placementFile: props.placementDirectory === undefined ? undefined : path.join(props.placementDirectory, `${group.account}.${group.region}.json`),
        updatePlacementFile: props.updatePlacementFiles,
        maxResourcesPerStack: props.maxResourcesPerStack,
        maxTemplateBytesPerStack: props.maxTemplateBytesPerStack,
        keyScope: props.keyScope,
        creationStackTraces: props.creationStackTraces,
      });
      this.fleets.push(fleet);
      this.byRegistry.set(key, fleet);
    }
  }

  /**
   * The fleet of one registry.
   *
   * @param account the registry's account
   * @param region the registry's region
   */
  public fleet(account: string, region: string): RepositoryFleet {
    const fleet = this.byRegistry.get(registryFleetId(account, region));
    if (!fleet) {
      const known = [...this.byRegistry.keys()].join(', ') || 'none';
      throw new Error(`MultiRegistryFleet '${this.node.path}': no repository of the catalog lives in account ${account}, region ${region} (registries: ${known})`);
    }
    return fleet;
  }
}
