import { App, Stack } from 'aws-cdk-lib';
import { checkKeys, field, noDuplicateKeys, Obj, readEnum, readList, readString, readStrings, Report, toPlain } from './catalog-nodes';
import { renderRegistryResources } from './fleet-registry-settings';
import { FindingAcknowledgement, FleetCreationTemplate, FleetPullThroughCacheRule, FleetRegistrySettings } from './model';
import { CatalogNode } from './text';
import { complianceRuleId, EcrComplianceRule } from '../compliance/rule-ids';
import { EncryptionType, SETTABLE_ACCOUNT_SETTING_VALUES } from '../internal/ecr-facts';
import { closest } from '../internal/edit-distance';
import { ProblemsError } from '../internal/input';
import { LifecyclePolicy } from '../lifecycle/policy';
import { BasicScanTypeVersion, BlobMounting, EcrAccountSettingsProps, RegistryPolicyScope } from '../registry/account-settings';
import { RepositoryCreationTemplateAppliedFor } from '../repository/creation-template';
import { ImageEncryption } from '../repository/encryption';
import { ImageTagMutability } from '../repository/private-repository';
import { SigningRuleOptions } from '../signing/registry-signing';

/*
 * The keys of the catalog's registry block that reproduce a registry's
 * pull-through cache rules, repository creation templates, signing rules,
 * pull-time update exclusions and account settings. The reader checks the
 * shape of each key here; the rules of ECR are the constructs' own: each
 * rule or template is built once in a scratch stack of its own registry, so
 * that every problem the fleet would find (prefixes, upstreams, secrets,
 * tags, policies, duplicates) is reported at its place in the catalog.
 */

/** The keys of these parts of the registry block (also the source of the JSON Schema). @internal */
export const REGISTRY_RESOURCE_KEYS = {
  registry: ['pullThroughCache', 'creationTemplates', 'signing', 'pullTimeUpdateExclusions', 'accountSettings'],
  pullThroughCache: ['prefix', 'upstream', 'upstreamPrefix', 'credentialArn', 'customRoleArn'],
  creationTemplate: ['prefix', 'appliedFor', 'description', 'encryption', 'kmsKey', 'tagMutability', 'tagMutabilityExclusions', 'lifecycle',
    'repositoryPolicy', 'tags', 'customRoleArn', 'acknowledge'],
  signingRule: ['profileArn', 'filters'],
  accountSettings: Object.keys(SETTABLE_ACCOUNT_SETTING_VALUES),
  appliedFor: Object.values(RepositoryCreationTemplateAppliedFor) as string[],
  /** The compliance rules that check a creation template, which a template of the catalog may acknowledge. */
  templateRules: (['LifecyclePolicy', 'CustomerManagedKey', 'OpenAccess'] as EcrComplianceRule[]).map(complianceRuleId),
};

/** What `customRoleArn: none` says: ECR's service-linked role, even with tags or KMS. */
export const NO_CUSTOM_ROLE = 'none';

type Settings = { -readonly [K in keyof FleetRegistrySettings]: FleetRegistrySettings[K] };

/**
 * Reads the registry block's keys of `REGISTRY_RESOURCE_KEYS.registry` into
 * `out`, reporting every problem at its place.
 *
 * @internal
 */
export function readRegistryResources(node: Obj, report: Report, out: Settings): void {
  const scratch = new Stack(new App(), 'CatalogRegistry');
  const ptc = field(node, 'pullThroughCache');
  if (ptc) {
    out.pullThroughCacheRules = readList(ptc, report, 'pullThroughCache', (n, w) => {
      const rule = readPullThroughCacheRule(n, report, w);
      return rule && built(n, report, w, () => renderRegistryResources(scratch, { pullThroughCacheRules: [rule] })) ? rule : undefined;
    });
  }
  const templates = field(node, 'creationTemplates');
  if (templates) {
    out.creationTemplates = readList(templates, report, 'creationTemplates', (n, w) => {
      const template = readCreationTemplate(n, report, w);
      return template && built(n, report, w, () => renderRegistryResources(scratch, { creationTemplates: [template] })) ? template : undefined;
    });
  }
  const signing = field(node, 'signing');
  if (signing) {
    out.signingRules = readList(signing, report, 'signing', (n, w) => {
      if (n.kind !== 'object') { report(n.pos, `${w} must be a mapping with profileArn and filters`); return undefined; }
      checkKeys(n, REGISTRY_RESOURCE_KEYS.signingRule, '', (pos, _x, m) => report(pos, `${w}: ${m}`));
      const p = field(n, 'profileArn'); const f = field(n, 'filters');
      if (!p) { report(n.pos, `${w} needs profileArn`); return undefined; }
      const signingProfileArn = readString(p, report, `${w}.profileArn`);
      const repositoryFilters = f ? readStrings(f, report, `${w}.filters`) : undefined;
      if (signingProfileArn === undefined || (f && repositoryFilters === undefined)) return undefined;
      const rule: SigningRuleOptions = repositoryFilters ? { signingProfileArn, repositoryFilters } : { signingProfileArn };
      return built(n, report, w, () => renderRegistryResources(scratch, { signingRules: [rule] })) ? rule : undefined;
    });
  }
  const exclusions = field(node, 'pullTimeUpdateExclusions');
  if (exclusions) {
    out.pullTimeUpdateExclusions = readList(exclusions, report, 'pullTimeUpdateExclusions', (n, w) => {
      const arn = readString(n, report, w);
      return arn !== undefined && built(n, report, w, () => renderRegistryResources(scratch, { pullTimeUpdateExclusions: [arn] })) ? arn : undefined;
    });
  }
  const account = field(node, 'accountSettings');
  if (account) out.accountSettings = readAccountSettings(account, report);
}

/** Builds a setting in the scratch stack: the construct's problems, reported at the node. */
function built(node: CatalogNode, report: Report, what: string, build: () => void): boolean {
  try {
    build();
    return true;
  } catch (error) {
    const problems = error instanceof ProblemsError ? error.problems : [error instanceof Error ? error.message : String(error)];
    for (const m of problems) report(node.pos, `${what}: ${m}`);
    return false;
  }
}

function readPullThroughCacheRule(n: CatalogNode, report: Report, w: string): FleetPullThroughCacheRule | undefined {
  if (n.kind !== 'object') { report(n.pos, `${w} must be a mapping with prefix and upstream`); return undefined; }
  checkKeys(n, REGISTRY_RESOURCE_KEYS.pullThroughCache, '', (pos, _x, m) => report(pos, `${w}: ${m}`));
  const prefix = field(n, 'prefix'); const upstream = field(n, 'upstream');
  if (!prefix || !upstream) { report(n.pos, `${w} needs prefix and upstream (the upstream registry's URL)`); return undefined; }
  const values = {
    ecrRepositoryPrefix: readString(prefix, report, `${w}.prefix`),
    upstreamRegistryUrl: readString(upstream, report, `${w}.upstream`),
    upstreamRepositoryPrefix: optionalString(n, 'upstreamPrefix', report, w),
    credentialArn: optionalString(n, 'credentialArn', report, w),
    customRoleArn: optionalString(n, 'customRoleArn', report, w),
  };
  if (values.ecrRepositoryPrefix === undefined || values.upstreamRegistryUrl === undefined) return undefined;
  if (Object.values(values).includes(null)) return undefined;
  return definedOnly(values) as unknown as FleetPullThroughCacheRule;
}

function readCreationTemplate(n: CatalogNode, report: Report, w: string): FleetCreationTemplate | undefined {
  if (n.kind !== 'object') { report(n.pos, `${w} must be a mapping with prefix and appliedFor`); return undefined; }
  checkKeys(n, REGISTRY_RESOURCE_KEYS.creationTemplate, '', (pos, _x, m) => report(pos, `${w}: ${m}`));
  let ok = true;
  const fail = () => { ok = false; return undefined; };
  const prefixNode = field(n, 'prefix'); const appliedForNode = field(n, 'appliedFor');
  if (!prefixNode || !appliedForNode) { report(n.pos, `${w} needs prefix and appliedFor`); return undefined; }
  const out: { -readonly [K in keyof FleetCreationTemplate]: FleetCreationTemplate[K] } = {
    prefix: readString(prefixNode, report, `${w}.prefix`) ?? fail()!,
    appliedFor: (readList(appliedForNode, report, `${w}.appliedFor`, (x, ww) => readEnum(x, report, ww, REGISTRY_RESOURCE_KEYS.appliedFor))
      ?? fail()!) as RepositoryCreationTemplateAppliedFor[],
  };
  const description = optionalString(n, 'description', report, w);
  if (description === null) fail(); else if (description !== undefined) out.description = description;

  const encryptionNode = field(n, 'encryption');
  const kmsKey = optionalString(n, 'kmsKey', report, w);
  if (kmsKey === null) fail();
  if (encryptionNode) {
    const type = readEnum(encryptionNode, report, `${w}.encryption`, [EncryptionType.AES256, EncryptionType.KMS]);
    if (type === undefined) {
      fail();
    } else if (type === EncryptionType.AES256 && kmsKey !== undefined) {
      report(encryptionNode.pos, `${w}: kmsKey is for encryption KMS, not AES256`);
      fail();
    } else if (type === EncryptionType.AES256) {
      out.encryption = ImageEncryption.AES256;
    } else if (kmsKey) {
      out.kmsKeyArn = kmsKey;
    } else {
      out.encryption = ImageEncryption.KMS_AWS_MANAGED;
    }
  } else if (kmsKey) {
    out.kmsKeyArn = kmsKey;
  }

  const mutabilityNode = field(n, 'tagMutability');
  if (mutabilityNode) {
    const m = readEnum(mutabilityNode, report, `${w}.tagMutability`, [ImageTagMutability.MUTABLE, ImageTagMutability.IMMUTABLE]);
    if (m === undefined) fail(); else out.imageTagMutability = m as ImageTagMutability;
  }
  const exclusionsNode = field(n, 'tagMutabilityExclusions');
  if (exclusionsNode) {
    const e = readStrings(exclusionsNode, report, `${w}.tagMutabilityExclusions`);
    if (e === undefined) fail(); else out.imageTagMutabilityExclusions = e;
  }

  const lifecycleNode = field(n, 'lifecycle');
  if (lifecycleNode) {
    if (lifecycleNode.kind === 'scalar' && lifecycleNode.value === 'none') {
      out.noLifecyclePolicy = true;
    } else if (lifecycleNode.kind === 'object' && field(lifecycleNode, 'policy') && lifecycleNode.entries.length === 1) {
      const policyNode = field(lifecycleNode, 'policy')!;
      if (!noDuplicateKeys(policyNode, (pos, m) => report(pos, `${w}.lifecycle.policy: ${m}`))) {
        fail();
      } else {
        try {
          const policy = LifecyclePolicy.fromJson(JSON.stringify(toPlain(policyNode)));
          const problems = policy.validate();
          for (const m of problems) report(policyNode.pos, `${w}.lifecycle.policy: ${m}`);
          if (problems.length > 0) fail(); else out.lifecyclePolicy = policy;
        } catch (error) {
          report(policyNode.pos, `${w}.lifecycle.policy: ${(error as Error).message}`);
          fail();
        }
      }
    } else {
      report(lifecycleNode.pos, `${w}.lifecycle must be none or { policy: {...} } (the lifecycle policy of the repositories ECR creates)`);
      fail();
    }
  }

  const policyNode = field(n, 'repositoryPolicy');
  if (policyNode) {
    if (policyNode.kind !== 'object') {
      report(policyNode.pos, `${w}.repositoryPolicy must be a policy document: a mapping with Version and Statement`);
      fail();
    } else if (!noDuplicateKeys(policyNode, (pos, m) => report(pos, `${w}.repositoryPolicy: ${m}`))) {
      fail();
    } else {
      out.repositoryPolicyText = JSON.stringify(toPlain(policyNode));
    }
  }

  const tagsNode = field(n, 'tags');
  if (tagsNode) {
    if (tagsNode.kind !== 'object') {
      report(tagsNode.pos, `${w}.tags must be a mapping of tag keys to values`);
      fail();
    } else {
      const tags: Record<string, string> = {};
      for (const e of tagsNode.entries) {
        const v = readString(e.value, report, `${w}.tags.${e.key}`);
        if (v === undefined) fail(); else tags[e.key] = v;
      }
      out.resourceTags = tags;
    }
  }

  const role = optionalString(n, 'customRoleArn', report, w);
  if (role === null) fail(); else if (role === NO_CUSTOM_ROLE) out.noCustomRole = true; else if (role !== undefined) out.customRoleArn = role;

  const ackNode = field(n, 'acknowledge');
  if (ackNode) {
    const acks = readTemplateAcknowledgements(ackNode, report, `${w}.acknowledge`);
    if (acks === undefined) fail(); else out.acknowledgements = acks;
  }
  return ok ? out : undefined;
}

function readTemplateAcknowledgements(node: CatalogNode, report: Report, what: string): FindingAcknowledgement[] | undefined {
  const seen = new Set<string>();
  const rules = REGISTRY_RESOURCE_KEYS.templateRules;
  return readList(node, report, what, (n, w) => {
    if (n.kind !== 'object') { report(n.pos, `${w} must be a mapping with id and reason`); return undefined; }
    checkKeys(n, ['id', 'reason'], '', (pos, _x, m) => report(pos, `${w}: ${m}`));
    const idNode = field(n, 'id'); const reasonNode = field(n, 'reason');
    if (!idNode || !reasonNode) { report(n.pos, `${w} needs id and reason: the rule ID and why its finding is accepted`); return undefined; }
    const id = readString(idNode, report, `${w}.id`); const reason = readString(reasonNode, report, `${w}.reason`);
    if (id === undefined || reason === undefined) return undefined;
    let ok = true;
    if (!rules.includes(id)) {
      const hint = closest(id, rules);
      report(idNode.pos, `${w}.id: '${id}' is no rule that checks a repository creation template${hint ? `: did you mean '${hint}'?` : ''} (they are ${rules.join(', ')})`);
      ok = false;
    }
    if (reason.trim() === '') { report(reasonNode.pos, `${w}.reason: say why the finding is accepted (the cloud assembly records it for auditors)`); ok = false; }
    if (seen.has(id)) { report(idNode.pos, `${w}: ${id} is acknowledged twice`); ok = false; }
    seen.add(id);
    return ok ? { id, reason } : undefined;
  });
}

function readAccountSettings(node: CatalogNode, report: Report): EcrAccountSettingsProps | undefined {
  const keys = REGISTRY_RESOURCE_KEYS.accountSettings;
  if (node.kind !== 'object') { report(node.pos, `accountSettings must be a mapping of ${keys.join(', ')} to their values`); return undefined; }
  checkKeys(node, keys, '', (pos, _x, m) => report(pos, `accountSettings: ${m}`));
  const value = (name: string) => {
    const n = field(node, name);
    return n && readEnum(n, report, `accountSettings.${name}`, [...SETTABLE_ACCOUNT_SETTING_VALUES[name]]);
  };
  const props = definedOnly({
    basicScanTypeVersion: value('BASIC_SCAN_TYPE_VERSION') as BasicScanTypeVersion | undefined,
    registryPolicyScope: value('REGISTRY_POLICY_SCOPE') as RegistryPolicyScope | undefined,
    blobMounting: value('BLOB_MOUNTING') as BlobMounting | undefined,
  });
  if (Object.keys(props).length === 0) {
    if (node.entries.length === 0) report(node.pos, `accountSettings is empty: give ${keys.join(', ')}, or leave it out`);
    return undefined;
  }
  return props as EcrAccountSettingsProps;
}

/** An optional string key: its value, undefined when absent, null when it does not read (reported). */
function optionalString(n: Obj, key: string, report: Report, w: string): string | undefined | null {
  const v = field(n, key);
  if (!v) return undefined;
  return readString(v, report, `${w}.${key}`) ?? null;
}

function definedOnly<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
