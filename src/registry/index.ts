export * from './replication';
export * from './registry';
export * from './creation-template';
export { RegistrySettingKind } from './settings';
export type { RegistrySetting } from './settings';
