import { Annotations, Stack, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { PullThroughCacheCredentials } from './credentials';
import { UpstreamAuthentication, UpstreamRegistry } from './upstream';
import { BATCH_IMPORT_UPSTREAM_IMAGE_ACTION, normalizePrefix, PULL_THROUGH_ACTIONS, repositoryNamePrefix, UPSTREAM_PULL_ACTIONS } from '../internal/ecr-facts';
import { BOOLEAN, guard, guardConstruct, instanceOf, listOf, mapOf, OBJECT, oneOf, optional, STRING } from '../internal/input';
import { addOrganizationProblems } from '../internal/organizations';
import { statementSid } from '../internal/policy-text';
import { checkAccountId, isConcrete, Problems, subjectOf } from '../internal/problems';
import { checkAtSynth, checkNowAndAtSynth } from '../internal/resolve';
import { LifecyclePolicy, LifecyclePresets } from '../lifecycle';
import { addToWiringPass, AppRegistries, RegistryRef, wireCrossAccount } from '../registry/app-registries';
import { checkPhysicalNames } from '../registry/physical-names';
import { Registry } from '../registry/registry';
import { RegistrySettingKind } from '../registry/settings';
import { PULL_ACTIONS, RepositoryAccess } from '../repository/access';
import { acknowledgeFindings, nagResourceString, RepositoryCreationTemplate, RepositoryCreationTemplateAppliedFor } from '../repository/creation-template';
import { ImageEncryption } from '../repository/encryption';
import { ImageTagMutability } from '../repository/private-repository';
import { checkSigningCoversPullThroughCache } from '../signing/pull-through-checks';

/** The CloudFormation schema's pattern for EcrRepositoryPrefix and UpstreamRepositoryPrefix. */
const PREFIX = /^([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*\/?|ROOT)$/;
const MIN_PREFIX = 2;
const MAX_PREFIX = 30;
/** What ECR's role needs to write the images it imports into the cache's repositories. */
const CACHE_WRITE_ACTIONS = [
  'ecr:BatchCheckLayerAvailability',
  BATCH_IMPORT_UPSTREAM_IMAGE_ACTION,
  'ecr:CompleteLayerUpload',
  'ecr:GetImageCopyStatus',
  'ecr:InitiateLayerUpload',
  'ecr:PutImage',
  'ecr:UploadLayerPart',
];

/** What untyped callers must pass (built on use: classes of other modules may still be loading). */
const propsSpec = () => ({
  ecrRepositoryPrefix: STRING,
  upstream: instanceOf(UpstreamRegistry),
  credentials: optional(instanceOf(PullThroughCacheCredentials)),
  upstreamRepositoryPrefix: optional(STRING),
  customRole: optional(OBJECT),
  createTemplate: optional(BOOLEAN),
  lifecyclePolicy: optional(instanceOf(LifecyclePolicy)),
  encryption: optional(instanceOf(ImageEncryption)),
  imageTagMutability: optional(oneOf(ImageTagMutability)),
  access: optional(listOf(instanceOf(RepositoryAccess))),
  resourceTags: optional(mapOf(STRING)),
});


/**
 * Properties of a pull-through cache rule.
 */
export interface PullThroughCacheRuleProps {
  /**
   * The repository name prefix of the cache in this registry (pulling
   * `ACCOUNT.dkr.ecr.REGION.amazonaws.com/PREFIX/library/nginx` caches
   * `library/nginx` of the upstream): 2 to 30 characters, or `ROOT`. One
   * rule per prefix and registry.
   */
  readonly ecrRepositoryPrefix: string;

  /** The registry to cache images from. */
  readonly upstream: UpstreamRegistry;

  /**
   * The upstream registry credentials, for upstreams that need them
   * (Docker Hub, GitHub, GitLab, Azure, Chainguard).
   *
   * @default - none; an upstream that needs credentials fails validation
   */
  readonly credentials?: PullThroughCacheCredentials;

  /**
   * The repository name prefix in a private Amazon ECR upstream to cache
   * (2 to 30 characters, or `ROOT`). Only for `UpstreamRegistry.ecr()`.
   *
   * @default - every repository of the upstream registry
   */
  readonly upstreamRepositoryPrefix?: string;

  /**
   * The role ECR assumes to pull from a private Amazon ECR upstream in
   * another account. It must trust `pullthroughcache.ecr.amazonaws.com`.
   * Only for `UpstreamRegistry.ecr()`.
   *
   * @default - a least-privilege role is created when the upstream is in another account
   */
  readonly customRole?: iam.IRole;

  /**
   * Whether the rule creates a repository creation template for its prefix,
   * applied for PULL_THROUGH_CACHE, which gives cached repositories their
   * lifecycle policy, encryption, tag mutability and repository policy. Turn
   * it off when you declare a template for the prefix yourself.
   *
   * @default true
   */
  readonly createTemplate?: boolean;

  /**
   * The lifecycle policy of cached repositories. ECR cannot expire by last
   * pull time, and a cache can fetch an image again, so the default expires
   * untagged images after 7 days and keeps at most 200 images.
   *
   * @default LifecyclePolicy.combine(LifecyclePresets.expireUntagged(7), LifecyclePresets.capTotal(200))
   */
  readonly lifecyclePolicy?: LifecyclePolicy;

  /**
   * How cached repositories encrypt images at rest.
   *
   * @default - KMS with the stack's shared customer managed key
   */
  readonly encryption?: ImageEncryption;

  /**
   * Whether tags can be overwritten in cached repositories. Upstream tags
   * such as `latest` move, and the cache must follow them.
   *
   * @default ImageTagMutability.MUTABLE
   */
  readonly imageTagMutability?: ImageTagMutability;

  /**
   * Who else may pull from cached repositories (their repository policy).
   *
   * @default - no repository policy
   */
  readonly access?: RepositoryAccess[];

  /**
   * Tags of cached repositories. Principals that pull through the cache then
   * also need `ecr:TagResource`, which `grantPull` adds.
   *
   * @default - no tags
   */
  readonly resourceTags?: Record<string, string>;
}

/**
 * A pull-through cache rule (`AWS::ECR::PullThroughCacheRule`): ECR caches
 * images of an upstream registry in repositories under a prefix of this
 * registry, creating each repository on first pull.
 *
 * The rule creates what the upstream needs: a credentials secret shell
 * (`PullThroughCacheCredentials.createSecret()`), or for a private ECR
 * upstream in another account a least-privilege role plus, when a stack of
 * the upstream account and region is in the app, the upstream's registry
 * policy statement. A repository creation template for the prefix gives
 * cached repositories a lifecycle policy.
 *
 * @example
 * new PullThroughCacheRule(this, 'DockerHub', {
 *   ecrRepositoryPrefix: 'docker-hub',
 *   upstream: UpstreamRegistry.dockerHub(),
 *   credentials: PullThroughCacheCredentials.createSecret(),
 * });
 */
export class PullThroughCacheRule extends Construct {
  /** The repository name prefix of the cache. */
  public readonly ecrRepositoryPrefix: string;
  /** The upstream registry. */
  public readonly upstream: UpstreamRegistry;
  /** The credentials secret, for upstreams that use one. */
  public readonly credentialsSecret?: secretsmanager.ISecret;
  /** The key of a credentials secret the rule created. */
  public readonly credentialsKey?: kms.IKey;
  /** The role ECR assumes to pull from a private ECR upstream. */
  public readonly customRole?: iam.IRole;
  /** The repository creation template of cached repositories, unless turned off. */
  public readonly creationTemplate?: RepositoryCreationTemplate;
  /** The underlying CloudFormation resource. */
  public readonly cfnRule: ecr.CfnPullThroughCacheRule;

  private readonly tagged: boolean;
  private readonly pullThroughAccounts = new Set<string>();
  private readonly pullThroughOrganizations = new Set<string>();
  private readonly upstreamRepositoryPrefix?: string;

  constructor(scope: Construct, id: string, props: PullThroughCacheRuleProps) {
    guardConstruct('PullThroughCacheRule', scope, id, props, propsSpec());
    super(scope, id);
    const subject = subjectOf('PullThroughCacheRule', scope, id);
    checkPhysicalNames(this);
    checkSigningCoversPullThroughCache(this);
    const problems = new Problems(subject);
    const stack = Stack.of(this);
    const registry = Registry.of(this);
    const upstream = props.upstream;

    if (props.upstreamRepositoryPrefix !== undefined && !upstream.isEcr) {
      problems.add(`upstreamRepositoryPrefix is set, but the upstream is ${upstream}: only a private Amazon ECR upstream takes one`);
    }
    const values = {
      prefix: props.ecrRepositoryPrefix,
      upstreamPrefix: upstream.isEcr ? props.upstreamRepositoryPrefix : undefined,
      account: upstream.account,
      region: upstream.region,
    };
    checkNowAndAtSynth(this, problems, values, (p, v) => {
      checkPrefix(p, 'ecrRepositoryPrefix', v.prefix);
      if (v.upstreamPrefix !== undefined) checkPrefix(p, 'upstreamRepositoryPrefix', v.upstreamPrefix);
      // UpstreamRegistry.ecr checked a literal region against the known ones (or was told to allow
      // an unknown one); here the shape of the region is checked, also once a Lazy value resolves
      if (v.account !== undefined && v.region !== undefined) {
        RegistryRef.check(p, { account: 'upstream account', region: 'upstream region' }, v.account, v.region, { allowUnknownRegion: true });
      }
    });

    switch (upstream.authentication) {
      case UpstreamAuthentication.SECRET:
        if (!props.credentials) {
          problems.add(`the upstream ${upstream} needs credentials: use PullThroughCacheCredentials.createSecret() and fill it in, or PullThroughCacheCredentials.fromSecret(secret)`);
        }
        break;
      case UpstreamAuthentication.NONE:
      case UpstreamAuthentication.IAM_ROLE:
        if (props.credentials) {
          problems.add(`credentials are set, but the upstream ${upstream} takes none${upstream.isEcr ? ': ECR authenticates to a private ECR upstream with an IAM role' : ''}`);
        }
        break;
    }
    props.credentials?._check(problems, this, props.ecrRepositoryPrefix);

    if (props.customRole && !upstream.isEcr) {
      problems.add(`customRole is set, but the upstream is ${upstream}: only a private Amazon ECR upstream takes a role`);
    }
    const sameAccount = upstream.isEcr && isConcrete(upstream.account) && isConcrete(stack.account) && upstream.account === stack.account;
    if (sameAccount && isConcrete(upstream.region) && isConcrete(stack.region) && upstream.region === stack.region) {
      problems.add(`the upstream ${upstream} is this registry itself: a pull-through cache needs another account or region`);
    }

    // The registry keeps the prefixes (one rule per prefix) and ECR's quota of rules per registry.
    // A prefix known only at synth (Lazy) counts now and is claimed once resolved, so that duplicates are found.
    const claim = (prefix: string | undefined) => ({
      kind: RegistrySettingKind.PULL_THROUGH_CACHE_RULE,
      // ECR reads 'team' and 'team/' as the same prefix.
      key: isConcrete(prefix) ? normalizePrefix(prefix) : undefined,
      owner: this,
      subject,
    });
    const clash = registry._checkClaim(claim(props.ecrRepositoryPrefix));
    if (clash !== undefined) problems.add(clash);
    checkAtSynth(this, problems, props.ecrRepositoryPrefix, (p, prefix) => {
      if (!isConcrete(prefix)) return;
      const atSynth = registry._claim(claim(prefix));
      if (atSynth !== undefined) p.add(atSynth);
    });
    problems.throwIfAny();
    registry._claim(claim(props.ecrRepositoryPrefix));

    this.ecrRepositoryPrefix = props.ecrRepositoryPrefix;
    this.upstream = upstream;
    this.tagged = Object.keys(props.resourceTags ?? {}).length > 0;

    if (props.createTemplate ?? true) {
      this.creationTemplate = new RepositoryCreationTemplate(this, 'Template', {
        prefix: props.ecrRepositoryPrefix,
        appliedFor: [RepositoryCreationTemplateAppliedFor.PULL_THROUGH_CACHE],
        description: `Repositories of pull-through cache rule ${this.node.path} (${upstream.registryType})`,
        lifecyclePolicy: props.lifecyclePolicy ?? LifecyclePolicy.combine(LifecyclePresets.expireUntagged(7), LifecyclePresets.capTotal(200)),
        encryption: props.encryption,
        imageTagMutability: props.imageTagMutability ?? ImageTagMutability.MUTABLE,
        access: props.access,
        resourceTags: props.resourceTags,
      });
    } else if (props.lifecyclePolicy || props.encryption || props.imageTagMutability || props.access || props.resourceTags) {
      Annotations.of(this).addWarningV2('cdk-ecr-platform:pullThroughCacheSettingsIgnored',
        'createTemplate is false, so lifecyclePolicy, encryption, imageTagMutability, access and resourceTags are ignored: set them on your own repository creation template for this prefix.');
    }

    const bound = props.credentials?._bind(this, props.ecrRepositoryPrefix);
    this.credentialsSecret = bound?.secret;
    this.credentialsKey = bound?.key;

    const crossAccount = upstream.isEcr && !sameAccount;
    this.customRole = props.customRole ?? (crossAccount ? this.createRole(props.upstreamRepositoryPrefix) : undefined);

    this.cfnRule = new ecr.CfnPullThroughCacheRule(this, 'Resource', {
      ecrRepositoryPrefix: props.ecrRepositoryPrefix,
      upstreamRegistry: upstream.registryType,
      upstreamRegistryUrl: upstream.url,
      credentialArn: this.credentialsSecret?.secretArn,
      customRoleArn: this.customRole?.roleArn,
      upstreamRepositoryPrefix: props.upstreamRepositoryPrefix,
    });
    const credentialArn = this.credentialsSecret?.secretArn;
    const customRoleArn = this.customRole?.roleArn;
    registry._renderAs(this.cfnRule, () => ({
      CredentialArn: credentialArn,
      CustomRoleArn: customRoleArn,
      EcrRepositoryPrefix: props.ecrRepositoryPrefix,
      UpstreamRegistry: upstream.registryType,
      UpstreamRegistryUrl: upstream.url,
      UpstreamRepositoryPrefix: props.upstreamRepositoryPrefix,
    }));
    if (this.creationTemplate) this.cfnRule.node.addDependency(this.creationTemplate);

    this.upstreamRepositoryPrefix = props.upstreamRepositoryPrefix;
    // The upstream side is wired when the whole app is known (its stack may be declared later).
    if (crossAccount) addToWiringPass(this);
  }

  /**
   * The ARN pattern of the cached repositories in this registry.
   */
  public get repositoryArns(): string {
    return Registry.of(this).arnForRepositories(repositoryNamePrefix(this.ecrRepositoryPrefix));
  }

  /**
   * Lets a principal of this account pull images through the cache: the
   * pull actions, `ecr:BatchImportUpstreamImage` and `ecr:CreateRepository`
   * (for the first pull of an image) on the cached repositories, and
   * `ecr:GetAuthorizationToken`, which has no resource-level permission.
   * With resource tags, `ecr:TagResource` too.
   *
   * Both wildcards are inherent, and cdk-nag's AwsSolutions-IAM5 reports them
   * on the grantee's policy: `AwsSolutions-IAM5[Resource::*]` and
   * `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecr:REGION:ACCOUNT:repository/PREFIX/*]`
   * (the cached repositories are created on first pull, so their names are
   * not known). Acknowledge them on the grantee with
   * `Validations.of(role).acknowledge(...)`.
   */
  public grantPull(grantee: iam.IGrantable): iam.Grant {
    guard(`PullThroughCacheRule.grantPull '${this.node.path}'`, { grantee: [grantee, OBJECT] });
    const actions = [...PULL_ACTIONS, ...PULL_THROUGH_ACTIONS];
    if (this.tagged) actions.push('ecr:TagResource');
    const grant = iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.repositoryArns] });
    iam.Grant.addToPrincipal({ grantee, actions: ['ecr:GetAuthorizationToken'], resourceArns: ['*'] });
    return grant;
  }

  /**
   * Lets principals of other accounts pull through this cache: adds
   * `ecr:BatchImportUpstreamImage` and `ecr:CreateRepository` on the cached
   * repositories for those accounts to the registry policy. They also need
   * pull access to the cached repositories: give it with
   * `access: [RepositoryAccess.pullFromAccounts(...)]`.
   *
   * @param accountIds the accounts whose principals pull through the cache
   */
  public allowPullThroughFromAccounts(accountIds: string[]): void {
    const problems = new Problems(`PullThroughCacheRule '${this.node.path}'`);
    guard(`PullThroughCacheRule.allowPullThroughFromAccounts '${this.node.path}'`, { accountIds: [accountIds, listOf(STRING)] });
    if (accountIds.length === 0) problems.add('accountIds is empty: name at least one account');
    accountIds.forEach((a) => checkAccountId(problems, 'account', a));
    problems.throwIfAny();
    const fresh = accountIds.filter((a) => !this.pullThroughAccounts.has(a));
    if (fresh.length === 0) return;
    fresh.forEach((a) => this.pullThroughAccounts.add(a));
    Registry.of(this).addToPolicy(new iam.PolicyStatement({
      sid: statementSid('PullThroughCache', [this.ecrRepositoryPrefix, ...fresh]),
      principals: fresh.map((a) => new iam.AccountPrincipal(a)),
      actions: [...PULL_THROUGH_ACTIONS],
      resources: [this.repositoryArns],
    }));
  }

  /**
   * Lets principals of an AWS Organization, or of some of its organizational
   * units, pull through this cache: adds `ecr:BatchImportUpstreamImage` and
   * `ecr:CreateRepository` on the cached repositories to the registry policy,
   * for the `*` principal restricted by `aws:PrincipalOrgID` (or, with
   * units, by `ForAnyValue:StringLike` on `aws:PrincipalOrgPaths`). They also
   * need pull access to the cached repositories: give it with
   * `access: [RepositoryAccess.pullFromOrganization(...)]`.
   *
   * @param organizationId the organization's ID, for example `o-a1b2c3d4e5`
   * @param organizationalUnitPaths paths from the root, for example `r-ab12/ou-ab12-11111111`. @default - the whole organization
   */
  public allowPullThroughFromOrganization(organizationId: string, organizationalUnitPaths?: string[]): void {
    const problems = new Problems(`PullThroughCacheRule '${this.node.path}'`);
    if (organizationalUnitPaths !== undefined && organizationalUnitPaths.length === 0) {
      problems.add('organizationalUnitPaths is empty: leave it out for the whole organization, or name at least one organizational unit');
    }
    addOrganizationProblems(problems, organizationId, organizationalUnitPaths ?? []);
    problems.throwIfAny();
    const key = `${organizationId} ${(organizationalUnitPaths ?? []).join(',')}`;
    if (this.pullThroughOrganizations.has(key)) return;
    this.pullThroughOrganizations.add(key);
    Registry.of(this).addToPolicy(new iam.PolicyStatement({
      sid: statementSid('PullThroughCache', [this.ecrRepositoryPrefix, organizationId, ...(organizationalUnitPaths ?? [])]),
      principals: [new iam.StarPrincipal()],
      actions: [...PULL_THROUGH_ACTIONS],
      resources: [this.repositoryArns],
      conditions: organizationalUnitPaths === undefined
        ? { StringEquals: { 'aws:PrincipalOrgID': organizationId } }
        : { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': organizationalUnitPaths.map((p) => `${organizationId}/${p}/*`) } },
    }));
    Validations.of(Registry.of(this).cfnRegistryPolicy!).acknowledge({
      id: 'AwsSolutions-ECR1',
      reason: 'The * principals of this registry policy are restricted to an AWS Organization by aws:PrincipalOrgID or aws:PrincipalOrgPaths; Registry.addToPolicy refuses every * statement without such a condition.',
    });
  }

  /**
   * Wires the upstream registry's policy when a stack of its account and
   * region is in the app, or warns. Called by the app's wiring pass.
   *
   * @internal
   */
  public _wire(registries: AppRegistries): void {
    const upstreamPrefix = this.upstreamRepositoryPrefix;
    wireCrossAccount(registries, {
      scope: this,
      target: this.upstream._ref!,
      grant: (target, account) => Registry.of(target).allowPullThroughCacheFrom(account, upstreamPrefix),
      sourceUnknown: {
        id: 'cdk-ecr-platform:pullThroughCacheAccountUnknown',
        message: `Pull-through cache from ${this.upstream} in an environment-agnostic stack: the upstream registry policy cannot name this account, so it is not wired. Give the stack an env, or deploy Registry.of(upstreamStack).allowPullThroughCacheFrom(account) in the upstream account.`,
      },
      targetOutsideApp: (account) => ({
        id: 'cdk-ecr-platform:pullThroughCacheUpstreamOutsideApp',
        message: `Pull-through cache from ${this.upstream}: no stack of that account and region is in this app, so deploy Registry.of(stack).allowPullThroughCacheFrom('${account}'${upstreamPrefix ? `, '${upstreamPrefix}'` : ''}) there, or ECR cannot pull.`,
      }),
    });
  }

  /**
   * A role for ECR with only what the rule needs: pull the upstream's
   * repositories under the upstream prefix, authenticate, and write the
   * images it imports into the cache's repositories.
   */
  private createRole(upstreamRepositoryPrefix: string | undefined): iam.IRole {
    const stack = Stack.of(this);
    const upstreamPrefix = repositoryNamePrefix(upstreamRepositoryPrefix);
    const upstreamArn = stack.formatArn({
      service: 'ecr',
      account: this.upstream.account,
      region: this.upstream.region,
      resource: 'repository',
      resourceName: `${upstreamPrefix ?? ''}*`,
    });
    const policy = new iam.ManagedPolicy(this, 'RolePolicy', {
      description: `What ECR needs to pull from ${this.upstream.url} for pull-through cache rule ${this.node.path}`,
      statements: [
        new iam.PolicyStatement({ actions: [...UPSTREAM_PULL_ACTIONS], resources: [upstreamArn] }),
        new iam.PolicyStatement({ actions: CACHE_WRITE_ACTIONS, resources: [this.repositoryArns] }),
        new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
      ],
    });
    // How cdk-nag names a resource in a finding, built from resolved values: a finding ID
    // must be a plain string, even when a prefix is a token.
    const arnFinding = (arn: string) => `AwsSolutions-IAM5[Resource::${nagResourceString(stack, arn)}]`;
    acknowledgeFindings(policy,
      {
        id: arnFinding(upstreamArn),
        reason: 'ECR pulls whichever upstream image a user asks for: the wildcard covers only repositories under the upstream repository prefix of the one upstream registry.',
      },
      {
        id: arnFinding(this.repositoryArns),
        reason: 'ECR writes cached images into repositories it creates on first pull: the wildcard covers only repository names under the cache prefix in this registry.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ecr:GetAuthorizationToken has no resource-level permissions; it is the only action granted on *.',
      },
    );
    return new iam.Role(this, 'Role', {
      // Against the confused deputy: ECR may assume it only for this account.
      // Pull-through cache rules have no ARN, so aws:SourceArn does not apply.
      assumedBy: new iam.ServicePrincipal('pullthroughcache.ecr.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
      }),
      description: `Assumed by ECR to pull from ${this.upstream.url} for pull-through cache rule ${this.node.path}`,
      managedPolicies: [policy],
    });
  }
}

/** Checks a prefix against the CloudFormation schema. */
function checkPrefix(problems: Problems, what: string, prefix: string): void {
  if (!isConcrete(prefix)) return;
  if (prefix.length < MIN_PREFIX || prefix.length > MAX_PREFIX) {
    problems.add(`${what} '${prefix}' has ${prefix.length} characters: it must have ${MIN_PREFIX} to ${MAX_PREFIX}`);
  }
  if (!PREFIX.test(prefix)) {
    problems.add(`${what} '${prefix}' is neither 'ROOT' nor a repository namespace: lowercase letters and digits in groups separated by '.', '_', '__' or dashes, with '/' between namespaces`);
  }
}
