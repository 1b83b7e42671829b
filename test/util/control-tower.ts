import * as fs from 'fs';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1, PolicyValidationPluginReportBeta1, Validations } from 'aws-cdk-lib';
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

/** Every enabled Control Tower rule file, with the resource types it checks (read from the rule text). */
function ruleFiles(): Array<{ file: string; types: string[] }> {
  const disabled = Object.keys(DISABLED_CONTROL_TOWER_RULES);
  return fs.readdirSync(CONTROL_TOWER_RULES).flatMap((service) => {
    const dir = path.join(CONTROL_TOWER_RULES, service);
    return fs.readdirSync(dir)
      .filter((f) => f.endsWith('.guard') && !disabled.includes(path.parse(f).name))
      .map((f) => {
        const file = path.join(dir, f);
        const types = [...new Set([...fs.readFileSync(file, 'utf8').matchAll(/["'](AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)["']/g)].map((m) => m[1]))];
        return { file, types };
      });
  });
}

/**
 * AWS Control Tower's proactive controls as a policy validation plugin,
 * without the rules switched off above.
 *
 * cfn-guard parses every rule file it is given on each run (all 236 take
 * several hundred milliseconds), although a rule can only fail on a template
 * that has a resource of a type it checks. So the plugin reads the
 * templates first and runs the rules of the resource types they contain,
 * with one cfn-guard process per synthesis: the same verdicts as running
 * every rule, at a fraction of the cost.
 */
export function controlTowerChecks(): IPolicyValidationPluginBeta1 {
  const rules = ruleFiles();
  const validators = new Map<string, CfnGuardValidator>();
  const validatorFor = (files: string[]) => {
    const key = files.join('\n');
    let v = validators.get(key);
    if (!v) validators.set(key, v = new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: files }));
    return v;
  };
  const all = validatorFor(rules.map((r) => r.file));
  return {
    name: CONTROL_TOWER_PLUGIN,
    version: all.version,
    ruleIds: all.ruleIds,
    validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
      const present = new Set<string>();
      for (const t of context.templatePaths) {
        const template = JSON.parse(fs.readFileSync(t, 'utf8'));
        for (const r of Object.values<any>(template.Resources ?? {})) present.add(r.Type);
      }
      // a rule file that names no type is run on every template
      const files = rules.filter((r) => r.types.length === 0 || r.types.some((type) => present.has(type))).map((r) => r.file);
      if (files.length === 0) return { success: true, violations: [] };
      return validatorFor(files).validate(context);
    },
  };
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
  SQS_DLQ: 'sqs_dlq_check',
  SQS_ENCRYPTED: 'sqs_queue_encrypted_check',
};
