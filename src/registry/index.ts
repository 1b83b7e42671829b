export * from './replication';
export * from './registry';
export * from './creation-template';
export { RegistrySetting, RegistrySettingKind } from './settings';
