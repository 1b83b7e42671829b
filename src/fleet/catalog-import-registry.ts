import { NO_CUSTOM_ROLE } from './catalog-registry';
import { FindingAcknowledgement, FleetCreationTemplate, FleetPullThroughCacheRule, FleetRegistrySettings } from './model';
import { ExportedCreationTemplate, ExportedPullThroughCacheRule, ExportedRegistry } from '../adopt/export-model';
import { sortedTags } from '../adopt/mapping';
import { complianceRuleId, EcrComplianceRule } from '../compliance/rule-ids';
import { accountSettingSettable, EncryptionType, hasTagMutabilityExclusions } from '../internal/ecr-facts';
import { openAccessProblems, policyStatements } from '../internal/policy';
import { LifecyclePolicy } from '../lifecycle/policy';
import { upstreamRegistryOfUrl } from '../pull-through-cache/upstream-url';
import { BasicScanTypeVersion, BlobMounting, EcrAccountSettingsProps, RegistryPolicyScope } from '../registry/account-settings';
import { RepositoryCreationTemplateAppliedFor } from '../repository/creation-template';
import { ImageEncryption } from '../repository/encryption';
import { ImageTagMutability } from '../repository/private-repository';
import { SigningRuleOptions } from '../signing/registry-signing';

/*
 * catalog import, for the registry block's pull-through cache rules,
 * repository creation templates, signing rules, pull-time update exclusions
 * and account settings: the catalog keys written from the export, and the
 * fleet's model of them, with exactly the live values (existing secrets,
 * roles and keys by ARN; no lifecycle policy, no custom role or AES256
 * spelt out where the template runs so).
 */

type Settings = { -readonly [K in keyof FleetRegistrySettings]: FleetRegistrySettings[K] };

/** What the import writes for these settings. @internal */
export interface ImportedRegistryResources {
  /** Catalog keys, in the order written. */
  readonly keys: Array<[string, unknown]>;
  /** What runs and the catalog cannot reproduce, one line each. */
  readonly notes: string[];
}

/**
 * The registry block's keys for the export's pull-through cache rules,
 * creation templates, signing rules, pull-time update exclusions and
 * account settings; `settings` receives the fleet's model of them.
 *
 * @param origin `ACCOUNT/REGION`, for the acknowledgements' reasons
 * @param readLifecycle the import's reader of a live lifecycle policy text (the model, or why it cannot reproduce the text)
 * @internal
 */
export function importRegistryResources(
  r: ExportedRegistry, origin: string, settings: Settings, report: (message: string) => void,
  readLifecycle: (text: string) => LifecyclePolicy | string[],
): ImportedRegistryResources {
  const keys: Array<[string, unknown]> = [];
  const notes: string[] = [];
  const byKey = <T>(list: readonly T[] | undefined, key: (t: T) => string) =>
    [...list ?? []].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

  // In prefix order; a problem names the rule's place in the export.
  const rules = byKey((r.pullThroughCacheRules ?? []).map((rule, i) => ({ rule, i })), (x) => x.rule.ecrRepositoryPrefix);
  if (rules.length > 0) {
    const imported = rules.map(({ rule, i }) => pullThroughCacheRule(rule, (m) => report(`pullThroughCacheRules[${i}] '${rule.ecrRepositoryPrefix}': ${m}`)));
    keys.push(['pullThroughCache', imported.map((x) => x.key)]);
    settings.pullThroughCacheRules = imported.map((x) => x.model);
  }

  const templates = byKey(r.repositoryCreationTemplates, (x) => x.prefix);
  if (templates.length > 0) {
    const imported = templates.map((t) =>
      creationTemplate(t, origin, (m) => report(`repositoryCreationTemplates '${t.prefix}': ${m}`), notes, readLifecycle));
    keys.push(['creationTemplates', imported.map((x) => x.key)]);
    settings.creationTemplates = imported.map((x) => x.model);
  }

  const signing = r.signingConfiguration?.rules ?? [];
  if (signing.length > 0) {
    const rulesOut: SigningRuleOptions[] = signing.map((rule) => {
      const filters = (rule.repositoryFilters ?? []).map((f) => f.filter);
      const signingProfileArn = rule.signingProfileArn;
      return filters.length > 0 ? { signingProfileArn, repositoryFilters: filters } : { signingProfileArn };
    });
    keys.push(['signing', rulesOut.map((x) => ({ profileArn: x.signingProfileArn, ...(x.repositoryFilters ? { filters: x.repositoryFilters } : {}) }))]);
    settings.signingRules = rulesOut;
  }

  const exclusions = [...r.pullTimeUpdateExclusions ?? []].sort();
  if (exclusions.length > 0) {
    keys.push(['pullTimeUpdateExclusions', exclusions]);
    settings.pullTimeUpdateExclusions = exclusions;
  }

  const account = r.accountSettings ?? {};
  const kept: Record<string, string> = {};
  for (const name of Object.keys(account).sort()) {
    if (accountSettingSettable(name, account[name])) kept[name] = account[name];
    else notes.push(`the account setting ${name} ${account[name]} (ECR's PutAccountSetting no longer sets this value, so no template can hold it)`);
  }
  if (Object.keys(kept).length > 0) {
    keys.push(['accountSettings', kept]);
    const props: { -readonly [K in keyof EcrAccountSettingsProps]: EcrAccountSettingsProps[K] } = {};
    if (kept.BASIC_SCAN_TYPE_VERSION) props.basicScanTypeVersion = kept.BASIC_SCAN_TYPE_VERSION as BasicScanTypeVersion;
    if (kept.REGISTRY_POLICY_SCOPE) props.registryPolicyScope = kept.REGISTRY_POLICY_SCOPE as RegistryPolicyScope;
    if (kept.BLOB_MOUNTING) props.blobMounting = kept.BLOB_MOUNTING as BlobMounting;
    settings.accountSettings = props;
  }
  return { keys, notes };
}

function pullThroughCacheRule(
  rule: ExportedPullThroughCacheRule, report: (m: string) => void,
): { key: Record<string, unknown>; model: FleetPullThroughCacheRule } {
  const upstream = upstreamRegistryOfUrl(rule.upstreamRegistryUrl);
  if (typeof upstream === 'string') {
    report(`upstreamRegistryUrl ${upstream}`);
  } else if (rule.upstreamRegistry !== undefined && rule.upstreamRegistry !== upstream.registryType) {
    report(`upstreamRegistry ${rule.upstreamRegistry} does not go with the URL ${rule.upstreamRegistryUrl}, which is ${upstream.registryType}'s`);
  }
  const model = definedOnly({
    ecrRepositoryPrefix: rule.ecrRepositoryPrefix,
    upstreamRegistryUrl: rule.upstreamRegistryUrl,
    upstreamRepositoryPrefix: rule.upstreamRepositoryPrefix,
    credentialArn: rule.credentialArn,
    customRoleArn: rule.customRoleArn,
  }) as unknown as FleetPullThroughCacheRule;
  const key = definedOnly({
    prefix: rule.ecrRepositoryPrefix,
    upstream: rule.upstreamRegistryUrl,
    upstreamPrefix: rule.upstreamRepositoryPrefix,
    credentialArn: rule.credentialArn,
    customRoleArn: rule.customRoleArn,
  });
  return { key, model };
}

function creationTemplate(
  t: ExportedCreationTemplate, origin: string, report: (m: string) => void, notes: string[],
  readLifecycle: (text: string) => LifecyclePolicy | string[],
): { key: Record<string, unknown>; model: FleetCreationTemplate } {
  // appliedFor and the exclusion filters are sets: in one order, whatever the export's.
  const key: Record<string, unknown> = { prefix: t.prefix, appliedFor: [...t.appliedFor].sort() };
  const model: { -readonly [K in keyof FleetCreationTemplate]: FleetCreationTemplate[K] } = {
    prefix: t.prefix, appliedFor: [...t.appliedFor].sort() as RepositoryCreationTemplateAppliedFor[],
  };
  const acknowledgements: FindingAcknowledgement[] = [];
  const acknowledge = (rule: EcrComplianceRule, what: string) => acknowledgements.push({
    id: complianceRuleId(rule),
    reason: `Kept as it runs in ${origin} (catalog import): ${what}. Change the template and drop this acknowledgement to comply.`,
  });
  if (t.description !== undefined) key.description = model.description = t.description;

  // Encryption: as it runs. ECR encrypts with AES256 when a template says nothing.
  const encryption = t.encryptionConfiguration ?? { encryptionType: EncryptionType.AES256 };
  if (encryption.encryptionType === EncryptionType.AES256) {
    key.encryption = EncryptionType.AES256;
    model.encryption = ImageEncryption.AES256;
    acknowledge('CustomerManagedKey', 'the repositories ECR creates are encrypted with AES256');
  } else if (encryption.encryptionType === EncryptionType.KMS) {
    key.encryption = EncryptionType.KMS;
    if (encryption.kmsKey !== undefined) {
      key.kmsKey = model.kmsKeyArn = encryption.kmsKey;
    } else {
      model.encryption = ImageEncryption.KMS_AWS_MANAGED;
      acknowledge('CustomerManagedKey', 'the repositories ECR creates are encrypted with the AWS managed key aws/ecr');
    }
  } else {
    report(`encryption ${encryption.encryptionType} cannot be written in a catalog, which takes AES256, or KMS with or without the key's ARN`);
  }

  // Tag mutability: ECR's default, MUTABLE, when the template says nothing.
  const mutability = t.imageTagMutability ?? ImageTagMutability.MUTABLE;
  const base = mutability.replace(/_WITH_EXCLUSION$/, '');
  const exclusions = (t.imageTagMutabilityExclusionFilters ?? []).map((f) => f.filter).sort();
  if (base !== ImageTagMutability.MUTABLE && base !== ImageTagMutability.IMMUTABLE) {
    report(`imageTagMutability ${JSON.stringify(t.imageTagMutability)} is not one ECR returns`);
  } else if (hasTagMutabilityExclusions(mutability) !== exclusions.length > 0) {
    report(`imageTagMutability ${mutability} with ${exclusions.length} exclusion filters: a template has filters exactly when its mutability ends with _WITH_EXCLUSION`);
  }
  key.tagMutability = base;
  model.imageTagMutability = base as ImageTagMutability;
  if (exclusions.length > 0) key.tagMutabilityExclusions = model.imageTagMutabilityExclusions = exclusions;

  if (t.lifecyclePolicy === undefined) {
    key.lifecycle = 'none';
    model.noLifecyclePolicy = true;
  } else {
    const read = readLifecycle(t.lifecyclePolicy);
    if (Array.isArray(read)) {
      read.forEach((m) => report(`lifecyclePolicy: ${m}`));
    } else {
      key.lifecycle = { policy: JSON.parse(t.lifecyclePolicy) };
      model.lifecyclePolicy = read;
    }
  }

  if (t.repositoryPolicy !== undefined) {
    try {
      const document = JSON.parse(t.repositoryPolicy);
      key.repositoryPolicy = document;
      model.repositoryPolicyText = t.repositoryPolicy;
      const open = openAccessProblems(policyStatements(document) ?? []);
      if (open.length > 0) {
        notes.push(`the repository policy of creation template '${t.prefix}' as it runs is open (${open.join('; ')}): the compliance pack refuses it until you restrict it, or acknowledge ${complianceRuleId('OpenAccess')} in the template`);
      }
    } catch (error) {
      report(`repositoryPolicy is not JSON: ${(error as Error).message}`);
    }
  }

  const tags = sortedTags(t.resourceTags ?? []);
  if (tags.length > 0) key.tags = model.resourceTags = Object.fromEntries(tags.map((x) => [x.Key, x.Value]));

  if (t.customRoleArn !== undefined) {
    key.customRoleArn = model.customRoleArn = t.customRoleArn;
  } else if (tags.length > 0 || encryption.encryptionType === EncryptionType.KMS) {
    // The construct would create a role for tags or KMS: the template runs with ECR's service-linked role.
    key.customRoleArn = NO_CUSTOM_ROLE;
    model.noCustomRole = true;
  }
  if (acknowledgements.length > 0) {
    key.acknowledge = acknowledgements;
    model.acknowledgements = acknowledgements;
  }
  return { key, model };
}

function definedOnly<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
