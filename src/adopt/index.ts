export { RegistryExport } from './registry-export';
export { RepositoryMigration } from './migration';
