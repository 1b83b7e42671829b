/**
 * The custom resource types the handler serves and the prefixes of the
 * physical IDs it writes for each (the physical ID records what a resource
 * did: see each kind's module).
 */

/** Amazon Inspector scanning of ECR images in this account. */
export const INSPECTOR_ID = 'inspector-ecr';
export const INSPECTOR_TYPE = 'Custom::EcrInspectorScanning';
/** An ECR account setting (PutAccountSetting). */
export const SETTING_ID = 'ecr-account-setting';
export const SETTING_TYPE = 'Custom::EcrAccountSetting';
/** Amazon Inspector's delegated administrator, designated from the management account. */
export const ADMIN_ID = 'inspector-delegated-admin';
export const ADMIN_TYPE = 'Custom::EcrInspectorDelegatedAdmin';
/** Amazon Inspector's ECR auto-enable across the organization, from the delegated administrator. */
export const ORGANIZATION_ID = 'inspector-organization-ecr';
export const ORGANIZATION_TYPE = 'Custom::EcrInspectorOrganization';
