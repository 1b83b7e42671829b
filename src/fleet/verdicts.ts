import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CatalogRead } from './catalog';
import { RepositoryFleet } from './fleet';
import { MultiRegistryFleet, registryFleetId } from './multi-registry';
import { repositoryNameOf } from './placement';
import { ECR_COMPLIANCE_PACK, EcrComplianceRule } from '../compliance/rule-ids';

/** A compliance pack that checks a construct tree (`EcrComplianceChecks`; the fleet loads without cdk-nag). @internal */
export interface CompliancePack {
  validateScope(scope: IConstruct): PolicyValidationPluginReport;
}

/** The compliance verdicts on a catalog: errors fail the synthesis, warnings do not. @internal */
export interface CatalogVerdicts {
  readonly errors: string[];
  readonly warnings: string[];
}

/** The catalog keys whose value a finding of a rule is about, most specific first. */
const RULE_SETTINGS: Partial<Record<EcrComplianceRule, string[]>> = {
  TagImmutability: ['tagMutability'],
  ControlTowerImmutableTags: ['tagMutabilityExclusions', 'tagMutability'],
  CustomerManagedKey: ['kmsKey', 'encryption'],
  LifecyclePolicy: ['lifecycle'],
  OpenAccess: ['repositoryPolicy', 'access'],
  RepositoryScanning: ['scanOnPush', 'scanning'],
  ControlTowerScanOnPush: ['scanOnPush', 'scanning'],
};

/**
 * The findings a synthesis of the catalog's fleet gets from a compliance
 * pack, reported where the catalog sets the value (the entry's key, or the
 * `defaults` key it inherits), with the acknowledgement that accepts them.
 * The fleet is built as the synthesis builds it (without a placement file
 * or an environment, which no repository rule reads) and checked, not
 * synthesized. Call it on a catalog without problems.
 *
 * @internal
 */
export function catalogVerdicts(read: CatalogRead, file: string, pack: CompliancePack): CatalogVerdicts {
  // A catalog whose entries name accounts or regions is built as the synth builds it: one fleet per
  // registry, whose registries wire each other (replication between them) when the app is synthesized.
  const multi = read.repositories.some((r) => r.account !== undefined || r.region !== undefined);
  const outdir = multi ? mkdtempSync(join(tmpdir(), 'cdk-ecr-platform-verdicts-')) : undefined;
  const app = new App(outdir ? { outdir } : {});
  try {
    if (multi) {
      new MultiRegistryFleet(app, 'Fleet', { repositories: read.repositories });
      try {
        app.synth();
      } finally {
        rmSync(outdir!, { recursive: true, force: true });
      }
    } else {
      new RepositoryFleet(app, 'Fleet', { repositories: read.repositories, registry: read.registry });
    }
  } catch (error) {
    return { errors: [`${file}: ${error instanceof Error ? error.message : String(error)}`], warnings: [] };
  }
  // By registry and name: in a catalog across registries, one name may live in several.
  const registryOf = (r: { account?: string; region?: string } | undefined) => (multi ? registryFleetId(String(r?.account), String(r?.region)) : '');
  const entries = new Map(read.entries.map((e, i) => [`${registryOf(read.repositories[i])}/${e.name}`, e]));
  const found: { error: boolean; line: number; column: number; text: string }[] = [];
  for (const violation of pack.validateScope(app).violations) {
    const rule = violation.ruleName.replace(`${ECR_COMPLIANCE_PACK}-`, '').replace(/\[.*$/, '') as EcrComplianceRule;
    for (const resource of violation.violatingResources) {
      const at0 = repositoryAt(resource.constructPath ?? '');
      const entry = at0 === undefined ? undefined : entries.get(`${at0.registry}/${at0.name}`);
      const setting = (RULE_SETTINGS[rule] ?? []).map((k) => entry?.settings.get(k)).find((s) => s !== undefined);
      const at = setting ?? (entry ? { pos: entry.pos, where: entry.where } : undefined);
      const text = `${violation.ruleName} (${violation.severity ?? 'error'}): ${violation.description}${entry
        ? ` To accept it: acknowledge: [{ id: ${violation.ruleName}, reason: '...' }] in the entry or in defaults.`
        : ''}`;
      found.push({
        error: violation.severity !== 'warning',
        line: at?.pos.line ?? 0,
        column: at?.pos.column ?? 0,
        text: at ? `${file}:${at.pos.line}:${at.pos.column}: ${at.where}: ${text}` : `${file}: ${resource.constructPath}: ${text}`,
      });
    }
  }
  // In the catalog's order, as the reader reports its problems.
  found.sort((a, b) => a.line - b.line || a.column - b.column || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  return { errors: found.filter((f) => f.error).map((f) => f.text), warnings: found.filter((f) => !f.error).map((f) => f.text) };
}

/**
 * The repository a path of the fleet's tree belongs to (`Fleet/Shard1/team-a--api/...`, or
 * `Fleet/111111111111-eu-west-1/Shard1/...` in a catalog across registries), with its
 * registry (`ACCOUNT-REGION`, empty for a single fleet), if any.
 */
function repositoryAt(path: string): { registry: string; name: string } | undefined {
  const m = /^Fleet\/(?:(\d{12}-[a-z0-9-]+)\/)?Shard\d+\/([^/]+)/.exec(path);
  return m ? { registry: m[1] ?? '', name: repositoryNameOf(m[2]) } : undefined;
}
