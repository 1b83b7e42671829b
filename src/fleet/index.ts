export { CatalogFormat, RepositoryCatalog } from './catalog';
export type { FindingAcknowledgement, FleetCreationTemplate, FleetPullThroughCacheRule, FleetRegistrySettings, FleetRepositoryProps } from './model';
export { FleetKeyScope } from './key-scope';
export { RepositoryFleet } from './fleet';
export type { RepositoryFleetProps } from './fleet';
export { MultiRegistryFleet } from './multi-registry';
export type { MultiRegistryFleetProps } from './multi-registry';
