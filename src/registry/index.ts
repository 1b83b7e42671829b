export * from './replication';
export * from './registry';
export * from './account-settings';
export * from './settings-provider-placement';
export { _settingsProvider } from './account-settings-provider';
export * from './pull-time-update-exclusion';
