import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { EcrType } from '../internal/ecr-facts';

/**
 * The kinds of setting that Amazon ECR keeps once per account and region
 * (or once per key, such as a template prefix, within them).
 */
export enum RegistrySettingKind {
  /** The registry policy (`AWS::ECR::RegistryPolicy`). */
  REGISTRY_POLICY = 'REGISTRY_POLICY',
  /** The replication configuration (`AWS::ECR::ReplicationConfiguration`). */
  REPLICATION = 'REPLICATION',
  /** The registry scanning configuration (`AWS::ECR::RegistryScanningConfiguration`). */
  SCANNING = 'SCANNING',
  /** The signing configuration (`AWS::ECR::SigningConfiguration`). */
  SIGNING = 'SIGNING',
  /** A repository creation template, one per prefix (`AWS::ECR::RepositoryCreationTemplate`). */
  CREATION_TEMPLATE = 'CREATION_TEMPLATE',
  /** A pull-through cache rule, one per prefix (`AWS::ECR::PullThroughCacheRule`). */
  PULL_THROUGH_CACHE_RULE = 'PULL_THROUGH_CACHE_RULE',
  /** A pull-time-update exclusion, one per principal (`AWS::ECR::PullTimeUpdateExclusion`). */
  PULL_TIME_UPDATE_EXCLUSION = 'PULL_TIME_UPDATE_EXCLUSION',
  /** An ECR account setting, one per name (`ecr:PutAccountSetting`, a custom resource). */
  ACCOUNT_SETTING = 'ACCOUNT_SETTING',
  /** Amazon Inspector scanning of the account's images (`inspector2:Enable`, a custom resource). */
  INSPECTOR_SCANNING = 'INSPECTOR_SCANNING',
}
Object.freeze(RegistrySettingKind);

/**
 * One setting a registry declares: what it is, which construct declared it,
 * and the CloudFormation resources that render it.
 */
export interface RegistrySetting {
  /** What the setting is. */
  readonly kind: RegistrySettingKind;
  /**
   * What makes the setting one of several of its kind: the template or
   * cache prefix (without a trailing '/'), the excluded principal's ARN or
   * the account setting's name.
   *
   * @default - the kind is once per registry
   */
  readonly key?: string;
  /** The path of the construct that declared the setting. */
  readonly owner: string;
  /** How ECR and CloudFormation name the setting in messages, such as `AWS::ECR::RepositoryCreationTemplate with prefix 'team'`. */
  readonly description: string;
  /** The CloudFormation resources that render the setting. */
  readonly resources: CfnResource[];
}

/**
 * A setting a construct claims in its registry: data, never a message.
 *
 * @internal
 */
export interface SettingClaim {
  readonly kind: RegistrySettingKind;
  /** The key, for kinds that are once per key; undefined for a key known only at synth (counted, not yet unique). */
  readonly key?: string;
  /** The construct that declares it. */
  readonly owner: IConstruct;
  /** What is checked, for the messages: the construct's type and path. */
  readonly subject: string;
}

/**
 * Renders a resource's CloudFormation properties (CloudFormation casing)
 * from the model of the setting that declared it, resolving its values in
 * the resource's stack.
 *
 * @internal
 */
export type PropertiesRenderer = (resolve: (value: unknown) => any) => Record<string, unknown>;

/** What each kind is in CloudFormation and in ECR's quotas. */
interface KindFacts {
  /** The resource type that renders it. */
  readonly resourceType: string;
  /** Whether it is keyed (several per registry, one per key). */
  readonly keyed: boolean;
  /** How messages name one setting of a keyed kind; an unkeyed one is named by its resource type. */
  readonly describe?: (key?: string) => string;
  /** ECR's quota of settings of this kind per registry, if any. */
  readonly quota?: { readonly max: number; readonly what: string };
  /** Whether a clash between stacks is a physical-name clash (reported by the app-wide name check). */
  readonly physicalName?: boolean;
}

/** ECR's quota of pull-through cache rules per registry. */
export const MAX_PULL_THROUGH_CACHE_RULES = 50;

const FACTS: Record<RegistrySettingKind, KindFacts> = {
  [RegistrySettingKind.REGISTRY_POLICY]: { resourceType: EcrType.REGISTRY_POLICY, keyed: false },
  [RegistrySettingKind.REPLICATION]: { resourceType: EcrType.REPLICATION_CONFIGURATION, keyed: false },
  [RegistrySettingKind.SCANNING]: { resourceType: EcrType.REGISTRY_SCANNING_CONFIGURATION, keyed: false },
  [RegistrySettingKind.SIGNING]: { resourceType: EcrType.SIGNING_CONFIGURATION, keyed: false },
  [RegistrySettingKind.CREATION_TEMPLATE]: {
    resourceType: EcrType.REPOSITORY_CREATION_TEMPLATE,
    keyed: true,
    describe: (key) => `${EcrType.REPOSITORY_CREATION_TEMPLATE} with prefix '${key}'`,
    physicalName: true,
  },
  [RegistrySettingKind.PULL_THROUGH_CACHE_RULE]: {
    resourceType: EcrType.PULL_THROUGH_CACHE_RULE,
    keyed: true,
    describe: (key) => `${EcrType.PULL_THROUGH_CACHE_RULE} prefix '${key}'`,
    quota: { max: MAX_PULL_THROUGH_CACHE_RULES, what: 'pull-through cache rules' },
    physicalName: true,
  },
  [RegistrySettingKind.PULL_TIME_UPDATE_EXCLUSION]: {
    resourceType: EcrType.PULL_TIME_UPDATE_EXCLUSION,
    keyed: true,
    describe: (key) => `${EcrType.PULL_TIME_UPDATE_EXCLUSION} ${key}`,
  },
  [RegistrySettingKind.ACCOUNT_SETTING]: { resourceType: 'Custom::EcrAccountSetting', keyed: true, describe: (key) => `ECR account setting ${key}` },
  [RegistrySettingKind.INSPECTOR_SCANNING]: { resourceType: 'Custom::EcrInspectorScanning', keyed: false },
};

/** The facts of a kind. @internal */
export function settingFacts(kind: RegistrySettingKind): KindFacts {
  return FACTS[kind];
}

/**
 * The settings one registry declares, with the checks ECR's "one per
 * registry" rules and quotas need. Every answer is data: a problem is a
 * message for the caller's collector, never a thrown error to parse.
 *
 * @internal
 */
export class RegistrySettings {
  /** Claimed settings by their description (kind and key). */
  private readonly byDescription = new Map<string, { kind: RegistrySettingKind; key?: string; owner: IConstruct }>();
  /** Distinct owners per counted kind (quotas), keys known or not. */
  private readonly owners = new Map<RegistrySettingKind, Set<IConstruct>>();

  /**
   * Checks a claim and records it when it breaks no rule.
   *
   * @returns the problem, for the claimer's collector, or undefined
   */
  public claim(claim: SettingClaim): string | undefined {
    const problem = this.check(claim);
    if (problem !== undefined) return problem;
    const counted = this.owners.get(claim.kind) ?? new Set<IConstruct>();
    counted.add(claim.owner);
    this.owners.set(claim.kind, counted);
    if (!FACTS[claim.kind].keyed || claim.key !== undefined) {
      const description = describeSetting(claim.kind, claim.key);
      if (!this.byDescription.has(description)) this.byDescription.set(description, { kind: claim.kind, key: claim.key, owner: claim.owner });
    }
    return undefined;
  }

  /**
   * Checks a claim without recording it.
   *
   * @returns the problem, for the claimer's collector, or undefined
   */
  public check(claim: SettingClaim): string | undefined {
    const facts = FACTS[claim.kind];
    const counted = this.owners.get(claim.kind) ?? new Set<IConstruct>();
    if (facts.quota && !counted.has(claim.owner) && counted.size + 1 > facts.quota.max) {
      return `the registry would have ${counted.size + 1} ${facts.quota.what}: ECR takes at most ${facts.quota.max} per registry`;
    }
    if (facts.keyed && claim.key === undefined) return undefined;
    const description = describeSetting(claim.kind, claim.key);
    const existing = this.byDescription.get(description);
    if (existing !== undefined && existing.owner !== claim.owner) {
      return `${description} is already declared by '${existing.owner.node.path}' in this registry: ECR keeps one per registry`;
    }
    return undefined;
  }

  /** Whether nothing was claimed. */
  public get empty(): boolean {
    return this.byDescription.size === 0;
  }

  /** The claimed settings, in the order they were claimed. */
  public list(): RegistrySetting[] {
    return [...this.byDescription.entries()].map(([description, s]) => ({
      kind: s.kind,
      key: s.key,
      owner: s.owner.node.path,
      description,
      resources: resourcesOf(s.kind, s.key, s.owner),
    }));
  }

  /** Description to owner path, for clash messages. */
  public described(): Map<string, string> {
    return new Map([...this.byDescription.entries()].map(([d, s]) => [d, s.owner.node.path]));
  }

  /** The descriptions of the settings that are not physical names (checked across stacks here). */
  public singletonDescriptions(): string[] {
    return [...this.byDescription.entries()].filter(([, s]) => !FACTS[s.kind].physicalName).map(([d]) => d);
  }

  /** Whether a setting of that description is claimed. */
  public has(description: string): boolean {
    return this.byDescription.has(description);
  }
}

/**
 * The CloudFormation resources of a setting: the resources of its type in
 * the owner's subtree (for an account setting, the one named by its key),
 * without walking into other stacks.
 */
function resourcesOf(kind: RegistrySettingKind, key: string | undefined, owner: IConstruct): CfnResource[] {
  const type = FACTS[kind].resourceType;
  const found: CfnResource[] = [];
  const walk = (c: IConstruct) => {
    if (CfnResource.isCfnResource(c) && c.cfnResourceType === type) {
      if (kind !== RegistrySettingKind.ACCOUNT_SETTING || c.node.scope?.node.id === key) found.push(c);
    }
    for (const child of c.node.children) {
      if (!Stack.isStack(child)) walk(child);
    }
  };
  walk(owner);
  return found;
}


/** How messages name a setting, such as `AWS::ECR::RepositoryCreationTemplate with prefix 'team'`. @internal */
export function describeSetting(kind: RegistrySettingKind, key?: string): string {
  const facts = FACTS[kind];
  return facts.describe ? facts.describe(key) : facts.resourceType;
}

/** Whether a kind is once per key rather than once per registry. @internal */
export function settingKeyed(kind: RegistrySettingKind): boolean {
  return FACTS[kind].keyed;
}
