import { CustomResource, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { BOOLEAN, guardConstruct, optional, STRING } from '../internal/input';
import { checkAccountId, isConcrete, Problems, subjectOf } from '../internal/problems';
import { isRolledOut } from '../internal/rollout';
import { _settingsProvider } from '../registry/account-settings-provider';
import { SettingsProviderPlacement } from '../registry/settings-provider-placement';

/**
 * Properties of Amazon Inspector's delegated administrator designation.
 */
export interface InspectorDelegatedAdministratorProps extends SettingsProviderPlacement {
  /** The account that administers Amazon Inspector for the organization (often the security tooling account). */
  readonly administratorAccount: string;

  /**
   * Whether deleting the resource removes the designation, when this
   * resource made it and the account is still the administrator. Removing
   * it stops organization-wide management of Inspector in this region.
   *
   * @default false - the designation stays
   */
  readonly disableOnDelete?: boolean;
}

/**
 * Designates Amazon Inspector's delegated administrator for the organization
 * in the stack's region (CloudFormation has no resource for it, so the
 * stack's settings provider calls `inspector2:EnableDelegatedAdminAccount`).
 * Deploy it in the organization's management account, in every region where
 * ECR images are scanned.
 *
 * An account already designated is left as it is (and not owned: a delete
 * never removes it); another account designated fails the deployment, since
 * an organization has one administrator.
 */
export class InspectorDelegatedAdministrator extends Construct {
  /** The custom resource. */
  public readonly resource: CustomResource;
  /** The account designated. */
  public readonly administratorAccount: string;

  constructor(scope: Construct, id: string, props: InspectorDelegatedAdministratorProps) {
    guardConstruct('InspectorDelegatedAdministrator', scope, id, props, {
      administratorAccount: STRING,
      disableOnDelete: optional(BOOLEAN),
    });
    super(scope, id);
    const subject = subjectOf('InspectorDelegatedAdministrator', scope, id);
    const problems = new Problems(subject);
    checkAccountId(problems, 'administratorAccount', props.administratorAccount);
    if (isRolledOut(Stack.of(this))) problems.add('the scope is a registry baseline, rolled out to member accounts: the designation is made once, from the management account');
    problems.throwIfAny();
    this.administratorAccount = props.administratorAccount;
    // An organization has one administrator, the same in every region. Each
    // designation compares itself with those declared before it, so the one
    // synthesized last sees the others (CDK Pipelines synthesizes stages one by one).
    this.node.addValidation({ validate: () => this.otherAdministrators() });
    const provider = _settingsProvider(this, subject, props, [
      'inspector2:ListDelegatedAdminAccounts',
      'inspector2:EnableDelegatedAdminAccount',
      'inspector2:DisableDelegatedAdminAccount',
      // Inspector registers the account with AWS Organizations on the caller's behalf.
      'organizations:EnableAWSServiceAccess',
      'organizations:RegisterDelegatedAdministrator',
      'organizations:DeregisterDelegatedAdministrator',
      'organizations:ListDelegatedAdministrators',
      'organizations:ListAWSServiceAccessForOrganization',
      'organizations:DescribeOrganization',
      'organizations:DescribeOrganizationalUnit',
      'organizations:DescribeAccount',
    ], true);
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      serviceTimeout: provider.serviceTimeout,
      resourceType: 'Custom::EcrInspectorDelegatedAdmin',
      properties: {
        Kind: 'InspectorDelegatedAdmin',
        AdministratorAccount: props.administratorAccount,
        DisableOnDelete: String(props.disableOnDelete ?? false),
      },
    });
    this.resource.node.addDependency(provider.policy);
  }

  /** A designation declared earlier in the app that names another account. */
  private otherAdministrators(): string[] {
    const all = this.node.root.node.findAll().filter((c): c is InspectorDelegatedAdministrator => c instanceof InspectorDelegatedAdministrator);
    if (!isConcrete(this.administratorAccount)) return [];
    const other = all.slice(0, all.indexOf(this))
      .find((d) => isConcrete(d.administratorAccount) && d.administratorAccount !== this.administratorAccount);
    if (!other) return [];
    const where = (d: Construct) => (isConcrete(Stack.of(d).region) ? Stack.of(d).region : 'an unknown region');
    return [`InspectorDelegatedAdministrator '${this.node.path}' designates ${this.administratorAccount} in ${where(this)}, but '${other.node.path}' designates ${other.administratorAccount} in ${where(other)}: an organization has one delegated administrator for Amazon Inspector, the same account in every region. Designate one account everywhere.`];
  }
}

/**
 * Properties of organization-wide Amazon Inspector scanning of ECR.
 */
export interface InspectorOrganizationScanningProps extends SettingsProviderPlacement {
  /**
   * Whether to enable ECR scanning now for the accounts already in the
   * organization (accounts that join later are auto-enabled): accounts not
   * yet associated with the administrator are associated first. Accounts that
   * cannot be associated or enabled (suspended, leaving) are reported in the
   * resource's `MembersFailed` attribute, and accounts whose association has
   * not completed in time are counted in `MembersPending`, without failing
   * the deployment.
   *
   * @default true
   */
  readonly enableExistingMembers?: boolean;

  /**
   * Whether deleting the resource turns ECR auto-enable off again, when this
   * resource turned it on. Members' scanning is never turned off.
   *
   * @default false - auto-enable stays on
   */
  readonly disableOnDelete?: boolean;
}

/**
 * Turns on Amazon Inspector's ECR scanning for the whole organization, from
 * its delegated administrator, in the stack's region: auto-enable for ECR
 * for accounts that join (`inspector2:UpdateOrganizationConfiguration`,
 * keeping the other resource types' auto-enable as they are) and, by
 * default, associates the organization's accounts that are not members yet
 * and enables ECR scanning for every member now. The rescan durations of
 * the administrator (`InspectorScanning` in the same stack) apply to every
 * member it has not configured individually.
 *
 * The deployment fails, with the administrator's account in the message,
 * when the stack's account is not Inspector's delegated administrator.
 */
export class InspectorOrganizationScanning extends Construct {
  /** The custom resource. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: InspectorOrganizationScanningProps = {}) {
    guardConstruct('InspectorOrganizationScanning', scope, id, props, {
      enableExistingMembers: optional(BOOLEAN),
      disableOnDelete: optional(BOOLEAN),
    });
    super(scope, id);
    const subject = subjectOf('InspectorOrganizationScanning', scope, id);
    const problems = new Problems(subject);
    if (isRolledOut(Stack.of(this))) problems.add('the scope is a registry baseline, rolled out to member accounts: the organization configuration is set once, by the delegated administrator');
    problems.throwIfAny();
    const provider = _settingsProvider(this, subject, props, [
      'inspector2:DescribeOrganizationConfiguration',
      'inspector2:UpdateOrganizationConfiguration',
      'inspector2:ListMembers',
      // accounts of the organization that are not members yet
      'inspector2:AssociateMember',
      'inspector2:Enable',
    ], true);
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      serviceTimeout: provider.serviceTimeout,
      resourceType: 'Custom::EcrInspectorOrganization',
      properties: {
        Kind: 'InspectorOrganization',
        EnableExistingMembers: String(props.enableExistingMembers ?? true),
        DisableOnDelete: String(props.disableOnDelete ?? false),
      },
    });
    this.resource.node.addDependency(provider.policy);
  }
}
