export * from './replication';
export { Registry } from './registry';
export { RegistrySettingKind } from './settings';
export type { RegistrySetting } from './settings';
export * from './account-settings';
export * from './settings-provider-placement';
export * from './pull-time-update-exclusion';
