import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { exclusionPrincipalProblems } from './pull-time-update-exclusion-checks';
import { Registry } from './registry';
import { RegistrySettingKind } from './settings';
import { guard, guardConstruct, OBJECT, STRING } from '../internal/input';
import { isConcrete, Problems, subjectOf } from '../internal/problems';
import { checkAtSynth, checkNowAndAtSynth } from '../internal/resolve';

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
    // One exclusion per principal and registry. A principal known only at
    // synth (Lazy) is claimed once resolved, so that duplicates are found.
    const registry = Registry.of(this);
    const claim = (arn: string) => ({ kind: RegistrySettingKind.PULL_TIME_UPDATE_EXCLUSION, key: arn, owner: this, subject });
    if (isConcrete(props.principalArn)) {
      const clash = registry._claim(claim(props.principalArn));
      if (clash !== undefined) problems.add(clash);
      problems.throwIfAny();
    }
    checkAtSynth(this, problems, props.principalArn, (p, arn) => {
      if (!isConcrete(arn)) return;
      const atSynth = registry._claim(claim(arn));
      if (atSynth !== undefined) p.add(atSynth);
    });
    this.cfnPullTimeUpdateExclusion = new ecr.CfnPullTimeUpdateExclusion(this, 'Resource', { principalArn: props.principalArn });
    Registry.of(this)._renderAs(this.cfnPullTimeUpdateExclusion, () => ({ PrincipalArn: props.principalArn }));
  }
}
