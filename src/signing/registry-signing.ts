import { Annotations, Aspects, IAspect, Lazy, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { signingConfigurationProblems, signingFilterProblems, signingProfileArnProblems, SigningRuleModel } from './checks';
import { checkSigningCoversPullThroughCache } from './pull-through-checks';
import { mergeFilters } from '../internal/filters';
import { guard, listOf, optional, STRING, struct } from '../internal/input';
import { isConcrete, Problems } from '../internal/problems';
import { checkAtSynth } from '../internal/resolve';
import { AppRegistries } from '../registry/app-registries';
import { Registry } from '../registry/registry';
import { RegistrySettingKind } from '../registry/settings';
import { wildcardMatches } from '../scanning/checks';

const SIGNING_ID = 'Signing';

/**
 * Options of a signing rule.
 */
export interface SigningRuleOptions {
  /**
   * The ARN of the AWS Signer signing profile that signs matching images:
   * `arn:PARTITION:signer:REGION:ACCOUNT:/signing-profiles/NAME` (for example
   * `signer.SigningProfile.signingProfileArn`).
   */
  readonly signingProfileArn: string;
  /**
   * WILDCARD_MATCH filters naming the repositories whose pushed images are
   * signed (`*` matches any run of characters, for example `platform/*`).
   * Rules with the same profile are merged; at most 100 filters per rule.
   *
   * @default - every repository of the registry
   */
  readonly repositoryFilters?: string[];
}

/**
 * The signing configuration (`AWS::ECR::SigningConfiguration`) of a stack's
 * registry: one per account and region. ECR asks AWS Signer to sign every
 * image pushed to a matching repository, with the identity of the principal
 * that pushes: that principal needs `signer:SignPayload` on the rule's
 * signing profile, or the push produces no signature. `grantSign` gives it;
 * `PrivateRepository.grantPush` and `grantPullPush` give it for the profiles
 * whose rules cover the repository.
 *
 * @example
 * RegistrySigning.of(this).addRule({
 *   signingProfileArn: 'arn:aws:signer:eu-west-1:111111111111:/signing-profiles/platform',
 *   repositoryFilters: ['platform/*'],
 * });
 */
export class RegistrySigning extends Construct {
  /** The signing configuration of the scope's stack's registry, created on first use. */
  public static of(scope: IConstruct): RegistrySigning {
    const registry = Registry.of(scope);
    const existing = registry.node.tryFindChild(SIGNING_ID);
    if (existing) return existing as RegistrySigning;
    return new RegistrySigning(registry, SIGNING_ID);
  }

  private readonly registry: Registry;
  private resource?: ecr.CfnSigningConfiguration;
  /** Filters per profile ARN; undefined signs every repository. */
  private readonly rules = new Map<string, string[] | undefined>();
  private readonly signers: iam.IGrantable[] = [];

  private constructor(scope: Registry, id: string) {
    super(scope, id);
    this.registry = scope;
  }

  /** The signing configuration resource, once a rule was added. */
  public get cfnSigningConfiguration(): ecr.CfnSigningConfiguration | undefined {
    return this.resource;
  }

  /**
   * Adds a signing rule. Rules naming the same profile are merged; a rule
   * without filters signs every repository.
   */
  public addRule(options: SigningRuleOptions): void {
    const problems = new Problems(`RegistrySigning '${this.node.path}'`);
    guard(`RegistrySigning.addRule '${this.node.path}'`, { options: [options, struct({ signingProfileArn: STRING, repositoryFilters: optional(listOf(STRING)) })] });
    checkAtSynth(this, problems, { arn: options.signingProfileArn, filters: options.repositoryFilters ?? [] }, (p, v) => {
      p.addAll(signingProfileArnProblems(v.arn));
      v.filters.forEach((f) => p.addAll(signingFilterProblems(f)));
    });
    const key = options.signingProfileArn;
    const filters = options.repositoryFilters;
    // An empty list stays empty, so that the configuration check refuses it.
    const merged = filters !== undefined && filters.length === 0
      ? []
      : mergeFilters(this.rules.has(key) ? { filters: this.rules.get(key) } : undefined, filters);
    const next = new Map(this.rules);
    next.set(key, merged);
    problems.addAll(signingConfigurationProblems(modelOf(next)));
    const claim = { kind: RegistrySettingKind.SIGNING, owner: this, subject: problems.subject };
    const clash = this.resource ? undefined : this.registry._checkClaim(claim);
    if (clash !== undefined) problems.add(clash);
    problems.throwIfAny();
    this.rules.set(key, merged);
    if (!this.resource) {
      this.registry._claim(claim);
      checkSigningCoversPullThroughCache(this);
      this.resource = new ecr.CfnSigningConfiguration(this, 'Resource', {
        rules: Lazy.any({ produce: () => this.render() }),
      });
      this.registry._renderAs(this.resource, (resolve) => ({
        Rules: modelOf(this.rules).map((r) => ({
          RepositoryFilters: r.filters?.map((f) => ({ Filter: f, FilterType: 'WILDCARD_MATCH' })),
          SigningProfileArn: resolve(r.signingProfileArn),
        })),
      }));
    }
  }

  /** The rules as ECR will see them. @internal */
  public _rules(): SigningRuleModel[] {
    return modelOf(this.rules);
  }

  /**
   * Lets a principal that pushes images sign them: grants
   * `signer:SignPayload` on the signing profile of every rule of this
   * configuration (rules added later included). A principal the grant
   * cannot be added to (an imported role or another account) gets a warning.
   */
  public grantSign(grantee: iam.IGrantable): void {
    this.signers.push(grantee);
    if (this.signers.length === 1) Aspects.of(this).add(new SignerGrants(this, () => this.grantSigners()));
  }

  private grantSigners(): void {
    const profiles = modelOf(this.rules).map((r) => r.signingProfileArn);
    for (const grantee of this.signers) _grantSignPayload(this, grantee, profiles, 'its pushes');
  }

  private render(): ecr.CfnSigningConfiguration.RuleProperty[] {
    return modelOf(this.rules).map((r) => ({
      signingProfileArn: r.signingProfileArn,
      repositoryFilters: r.filters?.map((f) => ({ filter: f, filterType: 'WILDCARD_MATCH' })),
    }));
  }
}

/**
 * The signing profiles whose rules cover a repository name, in every
 * signing configuration of the registry in the app (the stacks with the
 * same concrete account and region, or the stack alone when its environment
 * is not known). WILDCARD_MATCH filters are anchored, `*` matching any run
 * of characters; a rule without filters covers every repository. A name
 * unknown at synth (undefined) is covered only by such rules and `*`.
 *
 * @internal
 */
export function signingProfilesCovering(stack: Stack, repositoryName: string | undefined): string[] {
  const stacks = AppRegistries.of(stack).registryStacks(stack);
  const profiles: string[] = [];
  for (const s of stacks) {
    const signing = s.node.tryFindChild('EcrRegistry')?.node.tryFindChild(SIGNING_ID);
    if (!(signing instanceof RegistrySigning)) continue;
    for (const rule of signing._rules()) {
      const covers = rule.filters === undefined || rule.filters.some((f) => f === '*' || (repositoryName !== undefined && isConcrete(f) && wildcardMatches(f, repositoryName)));
      if (covers) profiles.push(rule.signingProfileArn);
    }
  }
  return profiles;
}

/**
 * Grants `signer:SignPayload` on signing profiles, or warns on `scope` naming
 * the principal when the grant cannot be added to it.
 *
 * @internal
 */
export function _grantSignPayload(scope: IConstruct, grantee: iam.IGrantable, profileArns: string[], what: string): void {
  if (profileArns.length === 0) return;
  const grant = iam.Grant.addToPrincipal({ grantee, actions: ['signer:SignPayload'], resourceArns: [...new Set(profileArns)] });
  if (grant.success) return;
  Annotations.of(scope).addWarningV2('cdk-ecr-platform:pusherCannotSign',
    `Principal ${grantee.grantPrincipal} pushes to a repository that ECR signs, but signer:SignPayload on ${describeProfiles(scope, profileArns)} could not be added to its policy: ECR signs with the identity of the pusher, so ${what} would produce no signature. Grant signer:SignPayload on the signing profile to that principal where it is defined.`);
}

/**
 * Signing profile ARNs for a message: literal ARNs as they are, tokens as
 * the CloudFormation they resolve to (for example the profile's GetAtt).
 *
 * @internal
 */
export function describeProfiles(scope: IConstruct, profileArns: string[]): string {
  return [...new Set(profileArns)].map((arn) => (isConcrete(arn) ? arn : JSON.stringify(Stack.of(scope).resolve(arn)))).join(', ');
}

/** Runs a grant once, when the whole app is known. */
class SignerGrants implements IAspect {
  private done = false;
  constructor(private readonly target: IConstruct, private readonly run: () => void) {}
  public visit(node: IConstruct): void {
    if (node !== this.target || this.done) return;
    this.done = true;
    this.run();
  }
}

/** Runs `run` once at synth, when every signing rule of the app is known. @internal */
export function _atSynth(target: IConstruct, run: () => void): void {
  Aspects.of(target).add(new SignerGrants(target, run));
}

function modelOf(rules: Map<string, string[] | undefined>): SigningRuleModel[] {
  return [...rules.entries()].map(([signingProfileArn, filters]) => ({ signingProfileArn, filters }));
}
