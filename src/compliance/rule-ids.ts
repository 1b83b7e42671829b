/**
 * The rule IDs of the EcrCompliance pack, without cdk-nag: the pack's
 * definitions use them, and a catalog's or a fleet's acknowledgements are
 * checked against them (the fleet loads without cdk-nag).
 */

import { CONTROL_TOWER_ECR_CONTROLS, ControlTowerEcrControl } from '../internal/ecr-facts';

/** The pack's name: the prefix of every rule ID. @internal */
export const ECR_COMPLIANCE_PACK = 'EcrCompliance';

/** The pack's rules that check a repository (AWS::ECR::Repository), by suffix. @internal */
export const REPOSITORY_RULES = [
  'RepositoryScanning',
  'ControlTowerScanOnPush',
  'TagImmutability',
  'ControlTowerImmutableTags',
  'LifecyclePolicy',
  'CustomerManagedKey',
  'OpenAccess',
] as const;

/** The pack's rules that check other resources only, by suffix. @internal */
export const OTHER_RULES = ['PublicRepositoryTags', 'PullThroughCacheCredentials', 'ReplicationDestinationPolicy', 'RegistrySingleton'] as const;

/** A rule of the pack, by suffix. @internal */
export type EcrComplianceRule = typeof REPOSITORY_RULES[number] | typeof OTHER_RULES[number];

/**
 * The findings a rule of the pack reports on their own (`EcrCompliance-LifecyclePolicy[Missing]`),
 * by rule: an acknowledgement of the rule covers each of them. @internal
 */
export const RULE_FINDINGS: Partial<Record<EcrComplianceRule, readonly string[]>> = {
  LifecyclePolicy: ['Missing', 'Invalid'],
};

/**
 * The pack's finding that mirrors each AWS Control Tower control on
 * repositories: an acknowledgement of the control (`CT.ECR.PR.3`) records it,
 * besides the cfn-guard plugin's rule. CT.ECR.PR.1 is the LifecyclePolicy
 * rule's `Missing` finding only (an invalid policy is no Control Tower matter).
 *
 * @internal
 */
export const CONTROL_TOWER_MIRRORS: Readonly<Record<ControlTowerEcrControl, string>> = {
  'CT.ECR.PR.1': `${ECR_COMPLIANCE_PACK}-LifecyclePolicy[${RULE_FINDINGS.LifecyclePolicy![0]}]`,
  'CT.ECR.PR.2': `${ECR_COMPLIANCE_PACK}-ControlTowerScanOnPush`,
  'CT.ECR.PR.3': `${ECR_COMPLIANCE_PACK}-ControlTowerImmutableTags`,
};

/** Whether an acknowledgement ID names an AWS Control Tower control on repositories (`CT.ECR.PR.1` to `CT.ECR.PR.3`). @internal */
export function isControlTowerAcknowledgement(id: unknown): id is ControlTowerEcrControl {
  return typeof id === 'string' && Object.prototype.hasOwnProperty.call(CONTROL_TOWER_ECR_CONTROLS, id);
}

/**
 * The IDs an acknowledgement of a rule (full ID) records: the rule's, and each
 * of its findings'; for a Control Tower control, the pack's finding that
 * mirrors it (the cfn-guard rule's ID, which has a plugin prefix, is recorded
 * apart: `controlTowerGuardRuleId`).
 *
 * @internal
 */
export function acknowledgedIds(id: string): string[] {
  if (isControlTowerAcknowledgement(id)) return [CONTROL_TOWER_MIRRORS[id]];
  const findings = RULE_FINDINGS[id.replace(`${ECR_COMPLIANCE_PACK}-`, '') as EcrComplianceRule] ?? [];
  return [id, ...findings.map((f) => `${id}[${f}]`)];
}

/** The full ID (`EcrCompliance-TagImmutability`) of a rule. @internal */
export function complianceRuleId(rule: EcrComplianceRule): string {
  return `${ECR_COMPLIANCE_PACK}-${rule}`;
}

/**
 * Problems of an acknowledgement of a finding on a repository, each for the
 * field it is about: the ID must name a rule of the pack that checks
 * repositories (with a did-you-mean otherwise), and the reason must say
 * something.
 *
 * @param closest the closest of some candidates to a word, or undefined
 * @internal
 */
export function repositoryAcknowledgementProblems(
  id: unknown, reason: unknown, closest: (word: string, candidates: string[]) => string | undefined,
): { field: 'id' | 'reason'; message: string }[] {
  const problems: { field: 'id' | 'reason'; message: string }[] = [];
  const ids = REPOSITORY_RULES.map(complianceRuleId);
  const controls = Object.keys(CONTROL_TOWER_ECR_CONTROLS);
  if (typeof id !== 'string') {
    problems.push({ field: 'id', message: `id must be a rule ID such as ${ids[2]}, not ${JSON.stringify(id) ?? 'undefined'}` });
  } else if (!ids.includes(id) && !isControlTowerAcknowledgement(id)) {
    const other = OTHER_RULES.map(complianceRuleId).includes(id);
    const hint = other ? undefined : closest(id, [...ids, ...controls]);
    problems.push({
      field: 'id',
      message: other
        ? `${id} checks no repository, so a repository cannot acknowledge it: acknowledge it on the construct it names, with Validations.of(construct).acknowledge({ id, reason })`
        : `'${id}' is no rule of the ${ECR_COMPLIANCE_PACK} pack that checks repositories${hint ? `: did you mean '${hint}'?` : ''} (its rules: ${ids.join(', ')}), nor an AWS Control Tower control on repositories (${Object.keys(CONTROL_TOWER_ECR_CONTROLS).sort().join(', ')})`,
    });
  }
  if (typeof reason !== 'string' || reason.trim() === '') {
    problems.push({ field: 'reason', message: `the acknowledgement of ${typeof id === 'string' ? id : 'a finding'} needs a reason: say why the finding is accepted (the cloud assembly records it for auditors)` });
  }
  return problems;
}
