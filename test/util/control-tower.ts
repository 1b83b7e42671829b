import * as fs from 'fs';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The plugin name under which AWS Control Tower findings are reported. */
export const CONTROL_TOWER_PLUGIN = 'cdk-validator-cfnguard';

/** Where `@cdklabs/cdk-validator-cfnguard` keeps AWS Control Tower's proactive controls, one folder per service. */
export const CONTROL_TOWER_RULES = path.join(path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')), 'rules', 'control-tower', 'cfn-guard');

/**
 * The only place where a Control Tower rule is switched off, with the reason
 * (the README's compliance section repeats it). Keys are rule files
 * (without `.guard`).
 */
export const DISABLED_CONTROL_TOWER_RULES: Record<string, string> = {
  'ct-lambda-pr-3': 'CT.LAMBDA.PR.3 (lambda_inside_vpc_check) requires every function in a VPC. The settings provider function only calls the regional Inspector, ECR and CloudWatch Logs APIs while CloudFormation deploys; a VPC is offered (vpc, vpcSubnets, securityGroups on InspectorScanning and EcrAccountSettings) but needs interface endpoints or NAT, so it is not the default.',
};

/**
 * The rule folders of the services whose resources the library and its tests
 * create. Running only these takes a few tens of milliseconds per synthesis;
 * all 237 rules take several hundred, because cfn-guard parses every rule
 * file on each run. The example app runs every folder.
 */
export const LIBRARY_SERVICES = ['ecr', 'keymanagementservice', 'identityandaccessmanagement', 'lambda', 'cloudwatch', 'ec2'];

/**
 * AWS Control Tower's proactive controls as a policy validation plugin,
 * without the rules switched off above. `services` limits them to those
 * rule folders.
 */
export function controlTowerChecks(opts: { services?: string[] } = {}): CfnGuardValidator {
  const disabledRules = Object.keys(DISABLED_CONTROL_TOWER_RULES);
  if (!opts.services) return new CfnGuardValidator({ disabledRules });
  const rules = opts.services.flatMap((service) => {
    const dir = path.join(CONTROL_TOWER_RULES, service);
    return fs.readdirSync(dir)
      .filter((f) => !disabledRules.includes(path.parse(f).name))
      .map((f) => path.join(dir, f));
  });
  return new CfnGuardValidator({ controlTowerRulesEnabled: false, rules });
}

/** The ID that acknowledges a Control Tower rule on a construct, e.g. `ecr_private_tag_immutability_enabled_check`. */
export function controlTowerRuleId(rule: string): string {
  return `${CONTROL_TOWER_PLUGIN}::${rule}`;
}

/**
 * Acknowledges Control Tower rules on a construct whose props deliberately
 * choose what those rules reject (tag exclusions, mutable tags, no scan on
 * push, a key the library did not create): such tests and fuzz inputs check
 * the choice, and a governed organization would refuse the template.
 */
export function acknowledgeControlTower(scope: IConstruct, rules: string[], reason: string): void {
  for (const rule of rules) Validations.of(scope).acknowledge({ id: controlTowerRuleId(rule), reason });
}

/** Control Tower rule names, as the plugin reports them. */
export const CT = {
  ECR_LIFECYCLE: 'ecr_private_lifecycle_policy_configured_check',
  ECR_SCAN_ON_PUSH: 'ecr_private_image_scanning_enabled_check',
  ECR_TAG_IMMUTABILITY: 'ecr_private_tag_immutability_enabled_check',
  KMS_CREATE_GRANT: 'kms_create_grant_aws_service_check',
  KMS_ROTATION: 'kms_key_rotation_enabled_check',
  LOG_GROUP_ENCRYPTED: 'cloudwatch_log_group_encrypted_check',
};
