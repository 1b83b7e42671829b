import { CfnResource, IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { AppIndex } from './app-index';
import { ECR_COMPLIANCE_PACK, EcrComplianceRule } from './rule-ids';
import { controlTowerImmutableTags, controlTowerScanOnPush } from './rules/control-tower';
import { EcrType, POLICY_PROPERTY, REGISTRY_SINGLETON_TYPES } from '../internal/ecr-facts';
import { guard, OBJECT, oneOf, optional } from '../internal/input';
import { customerManagedKey } from './rules/customer-managed-key';
import { lifecyclePolicy } from './rules/lifecycle-policy';
import { openAccess } from './rules/open-access';
import { publicRepositoryTags } from './rules/public-repository-tags';
import { pullThroughCacheCredentials } from './rules/pull-through-cache-credentials';
import { registrySingleton } from './rules/registry-singleton';
import { replicationDestinationPolicy } from './rules/replication-destination-policy';
import { repositoryScanning } from './rules/repository-scanning';
import { tagImmutability } from './rules/tag-immutability';

/**
 * Options of the ECR compliance pack.
 */
export interface EcrComplianceChecksProps extends NagPackProps {
  /**
   * How a repository without a customer managed KMS key is reported
   * (Security Hub ECR.5): many platforms accept AES256 for most repositories.
   *
   * @default NagMessageLevel.WARN
   */
  readonly customerManagedKeyLevel?: NagMessageLevel;

  /**
   * Whether the pack also checks ECR repositories the way AWS Control
   * Tower's proactive controls do, where they are stricter than Security Hub:
   * `ControlTowerScanOnPush` (CT.ECR.PR.2: the repository's own scan on
   * push; a registry scanning rule does not count) and
   * `ControlTowerImmutableTags` (CT.ECR.PR.3: `IMMUTABLE` exactly, no
   * exclusions). Turn them off when your organization does not use Control
   * Tower's ECR controls.
   *
   * @default true
   */
  readonly controlTowerRules?: boolean;
}

type Rule = (node: CfnResource, index: AppIndex) => NagRuleResult;

interface RuleDefinition {
  readonly id: EcrComplianceRule;
  readonly level: NagMessageLevel;
  readonly info: string;
  readonly explanation: string;
  readonly check: Rule;
  /** The resource types the rule looks at; others are skipped without a call. */
  readonly types: string[];
  /** Whether the rule follows a Control Tower control where Security Hub is laxer. */
  readonly controlTower?: boolean;
}

/**
 * A cdk-nag (v3) rule pack for Amazon ECR: the controls auditors check
 * (Security Hub ECR.1 to ECR.5, Control Tower CT.ECR.PR.1 to PR.3, each rule following the control it names) and the
 * mistakes that break a registry at run time. Rules read resolved L1
 * properties, so they work on repositories built with this library,
 * aws-cdk-lib's `Repository` or `CfnRepository` alike; values that cannot be
 * resolved are not applicable rather than guessed.
 *
 * ```ts
 * Validations.of(app).addPlugins(new EcrComplianceChecks(app));
 * ```
 *
 * Rule IDs are `EcrCompliance-<Rule>`; acknowledge a finding with
 * `Validations.of(construct).acknowledge({ id, reason })`.
 */
export class EcrComplianceChecks extends NagPack {
  /** The plugin name shown in validation reports. */
  public readonly name = 'EcrCompliance';
  private readonly rules: RuleDefinition[];
  private readonly byType = new Map<string, RuleDefinition[]>();
  private index?: AppIndex;

  constructor(scope?: IConstruct, props: EcrComplianceChecksProps = {}) {
    super(scope, props);
    guard('EcrComplianceChecks', { scope: [scope, optional(OBJECT)], props: [props, { customerManagedKeyLevel: optional(oneOf(NagMessageLevel)) }] });
    this.packName = ECR_COMPLIANCE_PACK;
    this.rules = ruleDefinitions(props.customerManagedKeyLevel ?? NagMessageLevel.WARN)
      .filter((r) => props.controlTowerRules !== false || !r.controlTower);
    for (const rule of this.rules) {
      for (const type of rule.types) this.byType.set(type, [...(this.byType.get(type) ?? []), rule]);
    }
  }

  /**
   * The pack's name, `EcrCompliance`: the prefix of every rule ID
   * (`EcrCompliance-TagImmutability`, ...).
   */
  public get readPackName(): string {
    return super.readPackName;
  }

  /**
   * Called by aws-cdk-lib at synthesis for every plugin added with
   * `Validations.of(app).addPlugins(...)`: checks the whole app and returns
   * the findings that are not acknowledged. Apps do not call it; to check a
   * construct tree directly (in a test, for example), use `validateScope`.
   *
   * @param context what aws-cdk-lib passes to validation plugins
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return super.validate(context);
  }

  /**
   * Checks a construct tree (usually the app) and returns the findings that
   * are not acknowledged, indexing the tree once for the rules that look
   * across stacks.
   *
   * @param scope the construct tree to check
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    this.index = new AppIndex(scope.node.root);
    try {
      return super.validateScope(scope);
    } finally {
      this.index = undefined;
    }
  }

  protected checkResource(node: CfnResource): void {
    const rules = this.byType.get(node.cfnResourceType);
    if (!rules) return;
    const index = this.index ??= new AppIndex(node.node.root);
    for (const rule of rules) {
      this.applyRule({
        ruleSuffixOverride: rule.id,
        info: rule.info,
        explanation: rule.explanation,
        level: rule.level,
        node,
        rule: (n: CfnResource) => rule.check(n, index),
      });
    }
  }
}

function ruleDefinitions(cmkLevel: NagMessageLevel): RuleDefinition[] {
  return [
    {
      id: 'RepositoryScanning',
      level: NagMessageLevel.ERROR,
      info: 'The ECR repository is not scanned: no registry scanning rule of its account and region matches its name, and scan on push is off. To comply: keep imageScanOnPush on (the PrivateRepository default), or add RegistryScanning.of(stack).addRule({ frequency, repositoryFilters }) with a filter matching the name.',
      explanation: 'Security Hub ECR.1 requires image scanning. Add a registry scanning configuration rule whose filter matches the repository (or set scan on push).',
      check: repositoryScanning,
      types: [EcrType.REPOSITORY],
    },
    {
      id: 'ControlTowerScanOnPush',
      level: NagMessageLevel.ERROR,
      info: 'The ECR repository does not scan on push itself (ImageScanningConfiguration.ScanOnPush is not true). To comply: keep imageScanOnPush on (the PrivateRepository default); a registry scanning rule does not count for Control Tower CT.ECR.PR.2.',
      explanation: 'Control Tower CT.ECR.PR.2 reads the repository\'s own ScanOnPush and refuses the template otherwise, even when a registry scanning rule covers the repository. Set imageScanOnPush (the default of PrivateRepository), or turn these rules off with controlTowerRules: false.',
      check: controlTowerScanOnPush,
      types: [EcrType.REPOSITORY],
      controlTower: true,
    },
    {
      id: 'TagImmutability',
      level: NagMessageLevel.ERROR,
      info: 'The ECR repository has mutable tags. To comply: use imageTagMutability IMMUTABLE (the PrivateRepository default), with imageTagMutabilityExclusions for moving tags such as latest.',
      explanation: 'Security Hub ECR.2: a tag that can be moved can silently change what is deployed. Use IMMUTABLE, with exclusion filters for moving tags such as latest.',
      check: tagImmutability,
      types: [EcrType.REPOSITORY],
    },
    {
      id: 'ControlTowerImmutableTags',
      level: NagMessageLevel.ERROR,
      info: 'The ECR repository\'s tag mutability is not IMMUTABLE exactly. To comply: use imageTagMutability IMMUTABLE without exclusion filters (Control Tower CT.ECR.PR.3 rejects IMMUTABLE_WITH_EXCLUSION), or set controlTowerRules: false.',
      explanation: 'Control Tower CT.ECR.PR.3 accepts ImageTagMutability IMMUTABLE only and refuses IMMUTABLE_WITH_EXCLUSION. Drop the exclusion filters, or turn these rules off with controlTowerRules: false.',
      check: controlTowerImmutableTags,
      types: [EcrType.REPOSITORY],
      controlTower: true,
    },
    {
      id: 'LifecyclePolicy',
      level: NagMessageLevel.ERROR,
      info: 'The ECR repository has no lifecycle policy, or its lifecycle policy is one ECR would reject. To comply: set lifecyclePolicy (LifecyclePolicy.recommended() is the PrivateRepository default); `npx cdk-ecr-platform lifecycle validate --policy policy.json` lists every problem of a policy.',
      explanation: 'Security Hub ECR.3 and Control Tower CT.ECR.PR.1 require a lifecycle policy. Run `cdk-ecr-platform lifecycle validate` on the policy to see every problem.',
      check: lifecyclePolicy,
      types: [EcrType.REPOSITORY, EcrType.REPOSITORY_CREATION_TEMPLATE],
    },
    {
      id: 'PublicRepositoryTags',
      level: NagMessageLevel.ERROR,
      info: 'The ECR Public repository has no tags. To comply: Tags.of(repository).add(\'owner\', \'...\').',
      explanation: 'Security Hub ECR.4: tags say who owns a public repository and what it costs. Add tags with Tags.of(repository).add(...).',
      check: publicRepositoryTags,
      types: [EcrType.PUBLIC_REPOSITORY],
    },
    {
      id: 'CustomerManagedKey',
      level: cmkLevel,
      info: 'The ECR repository is not encrypted with a customer managed KMS key (AES256, or KMS without a key: the AWS managed key aws/ecr, ImageEncryption.KMS_AWS_MANAGED). To comply: encryption ImageEncryption.kms(key) or .kms() (the PrivateRepository default uses the stack key), or acknowledge where AES256 or the AWS managed key is accepted.',
      explanation: 'Security Hub ECR.5: a customer managed key lets you control and audit who can decrypt images. Use KMS or KMS_DSSE encryption with your own key.',
      check: customerManagedKey,
      types: [EcrType.REPOSITORY, EcrType.REPOSITORY_CREATION_TEMPLATE],
    },
    {
      id: 'OpenAccess',
      level: NagMessageLevel.ERROR,
      info: 'The ECR policy allows the * principal without a condition that restricts it to named accounts or organizations. To comply: name the principals (RepositoryAccess.pullFromAccounts), or restrict * with StringEquals on aws:PrincipalOrgID or aws:PrincipalOrgPaths (RepositoryAccess.pullFromOrganization).',
      explanation: 'Anyone with an AWS account could use these repositories. Name the principals, or restrict * with StringEquals (or StringLike) on aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalAccount or aws:SourceAccount with literal IDs; negated operators, ...IfExists, ForAllValues and wildcards matching any account do not restrict.',
      check: openAccess,
      types: Object.keys(POLICY_PROPERTY),
    },
    {
      id: 'PullThroughCacheCredentials',
      level: NagMessageLevel.ERROR,
      info: 'The pull-through cache credential secret is not named ecr-pullthroughcache/... or is not encrypted with a customer managed KMS key. To comply: PullThroughCacheCredentials.createSecret() names and encrypts it.',
      explanation: 'ECR only reads credential secrets whose name starts with ecr-pullthroughcache/, and registry tokens deserve a key you control.',
      check: pullThroughCacheCredentials,
      types: [EcrType.PULL_THROUGH_CACHE_RULE],
    },
    {
      id: 'ReplicationDestinationPolicy',
      level: NagMessageLevel.ERROR,
      info: 'A cross-account replication destination in this app does not let the source account replicate into it. To comply: Registry.of(destinationStack).allowReplicationFrom(sourceAccount) (PrivateRepository.replicateTo wires it when both stacks are in the app).',
      explanation: 'Replication fails at run time unless the destination registry policy allows ecr:CreateRepository and ecr:ReplicateImage for the source account. Call Registry.of(destinationStack).allowReplicationFrom(sourceAccount).',
      check: replicationDestinationPolicy,
      types: [EcrType.REPLICATION_CONFIGURATION],
    },
    {
      id: 'RegistrySingleton',
      level: NagMessageLevel.ERROR,
      info: 'This registry-level resource is written more than once for the same account and region. To comply: declare it in one stack per account and region (Registry.of(stack) and its methods).',
      explanation: 'ECR keeps one registry policy, replication, scanning and signing configuration per account and region; two declarations overwrite each other. Declare it in one stack.',
      check: registrySingleton,
      types: [...REGISTRY_SINGLETON_TYPES],
    },
  ];
}
