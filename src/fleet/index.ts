export { CatalogFormat, FleetRepositoryProps, RepositoryCatalog } from './catalog';
export { RepositoryFleet, RepositoryFleetProps } from './fleet';
