import { Lazy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { exclusionPrincipalProblems, signingConfigurationProblems, signingFilterProblems, signingProfileArnProblems, SigningRuleModel } from './checks';
import { guard, guardConstruct, listOf, OBJECT, optional, STRING, struct } from '../internal/input';
import { isConcrete, Problems, subjectOf } from '../internal/problems';
import { checkAtSynth, checkNowAndAtSynth } from '../internal/resolve';
import { Registry } from '../registry/registry';

const SIGNING_CONFIGURATION = 'AWS::ECR::SigningConfiguration';
const PULL_TIME_UPDATE_EXCLUSION = 'AWS::ECR::PullTimeUpdateExclusion';
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
 * image pushed to a matching repository.
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

  /** The signing configuration resource, once a rule was added. */
  public cfnSigningConfiguration?: ecr.CfnSigningConfiguration;

  private readonly registry: Registry;
  /** Filters per profile ARN; undefined signs every repository. */
  private readonly rules = new Map<string, string[] | undefined>();

  private constructor(scope: Registry, id: string) {
    super(scope, id);
    this.registry = scope;
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
    const existing = this.rules.has(key);
    const before = this.rules.get(key);
    const filters = options.repositoryFilters;
    let merged: string[] | undefined;
    if (filters !== undefined && filters.length === 0) {
      merged = [];
    } else if (!existing) {
      merged = filters ? [...new Set(filters)] : undefined;
    } else {
      merged = before === undefined || filters === undefined ? undefined : [...new Set([...before, ...filters])];
    }
    const next = new Map(this.rules);
    next.set(key, merged);
    problems.addAll(signingConfigurationProblems(modelOf(next)));
    problems.throwIfAny();
    this.rules.set(key, merged);
    if (!this.cfnSigningConfiguration) {
      this.registry._claim(SIGNING_CONFIGURATION, this.node.path, `RegistrySigning '${this.node.path}'`);
      this.cfnSigningConfiguration = new ecr.CfnSigningConfiguration(this, 'Resource', {
        rules: Lazy.any({ produce: () => this.render() }),
      });
    }
  }

  /** The rules as ECR will see them. @internal */
  public _rules(): SigningRuleModel[] {
    return modelOf(this.rules);
  }

  private render(): ecr.CfnSigningConfiguration.RuleProperty[] {
    return modelOf(this.rules).map((r) => ({
      signingProfileArn: r.signingProfileArn,
      repositoryFilters: r.filters?.map((f) => ({ filter: f, filterType: 'WILDCARD_MATCH' })),
    }));
  }
}

function modelOf(rules: Map<string, string[] | undefined>): SigningRuleModel[] {
  return [...rules.entries()].map(([signingProfileArn, filters]) => ({ signingProfileArn, filters }));
}

/**
 * Properties of a pull-time-update exclusion.
 */
export interface PullTimeUpdateExclusionProps {
  /**
   * The IAM role or user whose pulls do not update an image's "last pulled"
   * time: `arn:PARTITION:iam::ACCOUNT:role/NAME` or `user/NAME`.
   */
  readonly principalArn: string;
}

/**
 * Excludes a principal's pulls from updating an image's "last pulled" time
 * (`AWS::ECR::PullTimeUpdateExclusion`).
 *
 * A scanner or replication checker that pulls every image would otherwise
 * keep every image "recently pulled", so lifecycle rules counting
 * `sinceImagePulled` would never act. One exclusion per principal and
 * registry.
 *
 * @example
 * new PullTimeUpdateExclusion(this, 'Scanner', { principalArn: scannerRole.roleArn });
 */
export class PullTimeUpdateExclusion extends Construct {
  /** Excludes an IAM role's pulls from updating "last pulled" times. */
  public static forRole(scope: Construct, id: string, role: iam.IRole): PullTimeUpdateExclusion {
    guard('PullTimeUpdateExclusion.forRole', { role: [role, OBJECT] });
    return new PullTimeUpdateExclusion(scope, id, { principalArn: role.roleArn });
  }

  /** The underlying CloudFormation resource. */
  public readonly cfnPullTimeUpdateExclusion: ecr.CfnPullTimeUpdateExclusion;

  constructor(scope: Construct, id: string, props: PullTimeUpdateExclusionProps) {
    guardConstruct('PullTimeUpdateExclusion', scope, id, props, { principalArn: STRING });
    super(scope, id);
    const subject = subjectOf('PullTimeUpdateExclusion', scope, id);
    const problems = new Problems(subject);
    checkNowAndAtSynth(this, problems, props.principalArn, (p, arn) => p.addAll(exclusionPrincipalProblems(arn)));
    problems.throwIfAny();
    if (isConcrete(props.principalArn)) {
      Registry.of(this)._claim(`${PULL_TIME_UPDATE_EXCLUSION} ${props.principalArn}`, this.node.path, subject);
    }
    this.cfnPullTimeUpdateExclusion = new ecr.CfnPullTimeUpdateExclusion(this, 'Resource', { principalArn: props.principalArn });
  }
}
