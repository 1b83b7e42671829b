import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { FleetCreationTemplate, FleetPullThroughCacheRule, FleetRegistrySettings } from './model';
import { acknowledgedIds } from '../compliance/rule-ids';
import { BOOLEAN, guard, listOf, OBJECT, optional, ProblemsError, STRING, struct } from '../internal/input';
import { PullThroughCacheCredentials } from '../pull-through-cache/credentials';
import { PullThroughCacheRule } from '../pull-through-cache/rule';
import { upstreamRegistryOfUrl } from '../pull-through-cache/upstream-url';
import { EcrAccountSettings } from '../registry/account-settings';
import { PullTimeUpdateExclusion } from '../registry/pull-time-update-exclusion';
import { RepositoryCreationTemplate } from '../repository/creation-template';
import { ImageEncryption } from '../repository/encryption';
import { RegistrySigning } from '../signing/registry-signing';

/*
 * The registry settings of a fleet's registry block besides replication,
 * scanning and the registry policy: pull-through cache rules, repository
 * creation templates, signing rules, pull-time update exclusions and account
 * settings, each rendered through the library's own construct with exactly
 * the values given (existing secrets, roles and keys by ARN).
 */

/** Whether the settings hold any of the settings rendered here. @internal */
export function hasRegistryResources(settings: FleetRegistrySettings): boolean {
  return (settings.pullThroughCacheRules?.length ?? 0) > 0 || (settings.creationTemplates?.length ?? 0) > 0
    || (settings.signingRules?.length ?? 0) > 0 || (settings.pullTimeUpdateExclusions?.length ?? 0) > 0
    || settings.accountSettings !== undefined;
}

/**
 * Renders the settings into the registry stack, in a stable order (by
 * prefix, by principal), so that the template does not depend on the order
 * given.
 *
 * @internal
 */
export function renderRegistryResources(stack: Stack, settings: FleetRegistrySettings, subject = 'RepositoryFleet registry'): void {
  // Untyped callers: the shapes of the fleet's own fields (each construct checks the rest of its props).
  guard(subject, {
    pullThroughCacheRules: [settings.pullThroughCacheRules, optional(listOf(struct({
      ecrRepositoryPrefix: STRING,
      upstreamRegistryUrl: STRING,
      credentialArn: optional(STRING),
      customRoleArn: optional(STRING),
      upstreamRepositoryPrefix: optional(STRING),
    })))],
    creationTemplates: [settings.creationTemplates, optional(listOf(struct({
      prefix: STRING,
      kmsKeyArn: optional(STRING),
      customRoleArn: optional(STRING),
      noCustomRole: optional(BOOLEAN),
      acknowledgements: optional(listOf(struct({ id: STRING, reason: STRING }))),
    })))],
    signingRules: [settings.signingRules, optional(listOf(OBJECT))],
    pullTimeUpdateExclusions: [settings.pullTimeUpdateExclusions, optional(listOf(STRING))],
    accountSettings: [settings.accountSettings, optional(OBJECT)],
  });
  const byKey = <T>(list: readonly T[] | undefined, key: (t: T) => string) => [...list ?? []].sort((a, b) => compare(key(a), key(b)));
  for (const t of byKey(settings.creationTemplates, (x) => x.prefix)) creationTemplate(stack, t);
  for (const r of byKey(settings.pullThroughCacheRules, (x) => x.ecrRepositoryPrefix)) pullThroughCacheRule(stack, r, subject);
  for (const rule of settings.signingRules ?? []) RegistrySigning.of(stack).addRule(rule);
  for (const principalArn of byKey(settings.pullTimeUpdateExclusions, (x) => x)) {
    new PullTimeUpdateExclusion(stack, `PullTimeUpdateExclusion${idOf(principalArn)}`, { principalArn });
  }
  if (settings.accountSettings !== undefined) new EcrAccountSettings(stack, 'AccountSettings', settings.accountSettings);
}

function pullThroughCacheRule(stack: Stack, r: FleetPullThroughCacheRule, subject: string): PullThroughCacheRule {
  const id = `PullThroughCache${idOf(r.ecrRepositoryPrefix)}`;
  const upstream = upstreamRegistryOfUrl(r.upstreamRegistryUrl);
  if (typeof upstream === 'string') throw new ProblemsError(subject, [`pull-through cache rule '${r.ecrRepositoryPrefix}': upstreamRegistryUrl ${upstream}`]);
  return new PullThroughCacheRule(stack, id, {
    ecrRepositoryPrefix: r.ecrRepositoryPrefix,
    upstream,
    upstreamRepositoryPrefix: r.upstreamRepositoryPrefix,
    credentials: r.credentialArn !== undefined
      ? PullThroughCacheCredentials.fromSecret(secretsmanager.Secret.fromSecretCompleteArn(stack, `${id}Credentials`, r.credentialArn))
      : undefined,
    customRole: r.customRoleArn !== undefined ? iam.Role.fromRoleArn(stack, `${id}Role`, r.customRoleArn, { mutable: false }) : undefined,
    // The registry's templates are given on their own, as they run.
    createTemplate: false,
  });
}

function creationTemplate(stack: Stack, t: FleetCreationTemplate): RepositoryCreationTemplate {
  const id = `CreationTemplate${idOf(t.prefix)}`;
  const encryption = t.kmsKeyArn !== undefined ? ImageEncryption.kms(kms.Key.fromKeyArn(stack, `${id}Key`, t.kmsKeyArn)) : t.encryption;
  const template = new RepositoryCreationTemplate(stack, id, {
    prefix: t.prefix,
    appliedFor: t.appliedFor,
    description: t.description,
    encryption,
    imageTagMutability: t.imageTagMutability,
    imageTagMutabilityExclusions: t.imageTagMutabilityExclusions,
    lifecyclePolicy: t.lifecyclePolicy,
    noLifecyclePolicy: t.noLifecyclePolicy,
    repositoryPolicyText: t.repositoryPolicyText,
    resourceTags: t.resourceTags,
    customRole: t.customRoleArn !== undefined ? iam.Role.fromRoleArn(stack, `${id}Role`, t.customRoleArn, { mutable: false }) : undefined,
    createRole: t.noCustomRole ? false : undefined,
  });
  for (const a of t.acknowledgements ?? []) {
    for (const rule of acknowledgedIds(a.id)) Validations.of(template.cfnTemplate).acknowledge({ id: rule, reason: a.reason });
  }
  return template;
}

/** A construct ID part for a prefix or ARN: '/' (a path separator in construct IDs) as '|', which neither takes. */
function idOf(value: string): string {
  return value.replace(/\//g, '|');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
