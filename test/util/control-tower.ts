import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
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
 * (docs/compliance.md repeats it). Keys are rule files
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

/** One cfn-guard violation, as the plugin reports it. */
type Violation = PolicyValidationPluginReportBeta1['violations'][number];

/** Stands for a template's path in a remembered verdict. */
const TEMPLATE = '@@control-tower-template@@';

/**
 * Whether the plugin remembers each template's verdict (see
 * `controlTowerChecks`): `disk` (the default of `npm test`) remembers them in
 * the process and in the system's temporary folder, for every test file and
 * the next run; `memory` in the process only; `off` (the default when `CI` is
 * set: the full tier) runs cfn-guard on every synthesis. Set it with
 * `CONTROL_TOWER_CACHE=disk|memory|off`.
 */
export const CONTROL_TOWER_CACHE: 'disk' | 'memory' | 'off' = (() => {
  const v = process.env.CONTROL_TOWER_CACHE;
  if (v === undefined || v === '') return process.env.CI ? 'off' : 'disk';
  if (v === 'disk' || v === 'memory' || v === 'off') return v;
  throw new Error(`CONTROL_TOWER_CACHE=${v}: expected disk, memory or off`);
})();

/** Where verdicts are kept on disk: one folder per set of rules, one file per template. */
const CACHE_DIR = path.join(os.tmpdir(), 'cdk-ecr-platform-control-tower');

/** Verdicts by template hash: in the process, and on disk when `dir` is given. */
class Verdicts {
  private readonly memory = new Map<string, string>();
  constructor(private readonly dir?: string) {
    if (dir) fs.mkdirSync(dir, { recursive: true });
  }
  get(hash: string): string | undefined {
    let v = this.memory.get(hash);
    if (v === undefined && this.dir) {
      try {
        v = fs.readFileSync(path.join(this.dir, `${hash}.json`), 'utf8');
        this.memory.set(hash, v);
      } catch {
        return undefined;
      }
    }
    return v;
  }
  set(hash: string, verdict: string): void {
    this.memory.set(hash, verdict);
    if (!this.dir) return;
    // written whole, then renamed: another worker never reads half a verdict
    const tmp = path.join(this.dir, `${hash}.${process.pid}.tmp`);
    fs.writeFileSync(tmp, verdict);
    fs.renameSync(tmp, path.join(this.dir, `${hash}.json`));
  }
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
 *
 * With `cache` (the default is `CONTROL_TOWER_CACHE`), the verdict of each
 * template is remembered by the hash of its text: a template identical to
 * one already checked (in this test file, or with `disk` in any test file of
 * this run or an earlier one, under the same rules) is not checked again,
 * and its violations are reported again at its own path. A
 * verdict depends only on the template's text and the rules, so the findings
 * are the same; acknowledgements are applied by aws-cdk-lib afterwards, on
 * the constructs, as without the cache.
 */
export function controlTowerChecks(cache: 'disk' | 'memory' | 'off' = CONTROL_TOWER_CACHE): IPolicyValidationPluginBeta1 {
  const rules = ruleFiles();
  const validators = new Map<string, CfnGuardValidator>();
  const validatorFor = (files: string[]) => {
    const key = files.join('\n');
    let v = validators.get(key);
    if (!v) validators.set(key, v = new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: files }));
    return v;
  };
  const all = validatorFor(rules.map((r) => r.file));
  // Each checked template's violations, by the hash of its text, its path replaced by `TEMPLATE`.
  // On disk, under a digest of everything a verdict depends on besides the template: the
  // plugin's version (its cfn-guard binary) and each enabled rule file's name and text.
  const digest = crypto.createHash('sha256').update(all.version ?? '');
  for (const r of rules) digest.update(`\0${path.relative(CONTROL_TOWER_RULES, r.file)}\0${fs.readFileSync(r.file, 'utf8')}`);
  const verdicts = new Verdicts(cache === 'disk' ? path.join(CACHE_DIR, digest.digest('hex').slice(0, 16)) : undefined);

  /** Runs the rules of the resource types of the templates, in one cfn-guard process. */
  const check = (context: IPolicyValidationContextBeta1, templates: Array<{ path: string; text: string }>): PolicyValidationPluginReportBeta1 => {
    const present = new Set<string>();
    for (const t of templates) {
      for (const r of Object.values<any>(JSON.parse(t.text).Resources ?? {})) present.add(r.Type);
    }
    // a rule file that names no type is run on every template
    const files = rules.filter((r) => r.types.length === 0 || r.types.some((type) => present.has(type))).map((r) => r.file);
    if (files.length === 0) return { success: true, violations: [] };
    return validatorFor(files).validate({ ...context, templatePaths: templates.map((t) => t.path) });
  };

  return {
    name: CONTROL_TOWER_PLUGIN,
    version: all.version,
    ruleIds: all.ruleIds,
    validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
      const templates = context.templatePaths.map((p) => {
        const text = fs.readFileSync(p, 'utf8');
        return { path: p, text, hash: crypto.createHash('sha256').update(text).digest('hex') };
      });
      if (cache === 'off') return check(context, templates);

      const unknown = templates.filter((t, i) => verdicts.get(t.hash) === undefined && templates.findIndex((u) => u.hash === t.hash) === i);
      if (unknown.length > 0) {
        const report = check(context, unknown);
        // each violation names its template: split the report by template
        const split = splitByTemplate(report.violations, unknown.map((t) => t.path));
        // a violation without a template of this synthesis: report as cfn-guard did, remember nothing
        if (split === undefined) return report;
        unknown.forEach((t, i) => verdicts.set(t.hash, JSON.stringify(split[i]).split(inJson(t.path)).join(TEMPLATE)));
      }
      // in the order of the templates, as cfn-guard reports them
      const violations = templates.flatMap((t) => JSON.parse(verdicts.get(t.hash)!.split(TEMPLATE).join(inJson(t.path))) as Violation[]);
      return { success: violations.length === 0, violations };
    },
  };
}

/** A string as it appears inside a JSON string. */
function inJson(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/**
 * The violations of each template (in the order of `paths`): a violation
 * whose resources are in several templates is split into one per template.
 * `undefined` when a resource names no template of `paths`.
 */
function splitByTemplate(violations: Violation[], paths: string[]): Violation[][] | undefined {
  const out: Violation[][] = paths.map(() => []);
  for (const v of violations) {
    for (const [i, p] of paths.entries()) {
      const resources = v.violatingResources.filter((r) => r.templatePath === p);
      if (resources.length > 0) out[i].push({ ...v, violatingResources: resources });
    }
    if (v.violatingResources.some((r) => !paths.includes(r.templatePath))) return undefined;
  }
  return out;
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
