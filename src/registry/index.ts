export * from './replication';
export * from './registry';
export { RegistrySettingKind } from './settings';
export type { RegistrySetting } from './settings';
export * from './account-settings';
export * from './settings-provider-placement';
export { _settingsProvider } from './account-settings-provider';
export * from './pull-time-update-exclusion';
