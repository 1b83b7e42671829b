export { RegistryExport } from './registry-export';
export type { AdoptionPlanReport } from './registry-export';
export { RepositoryMigration } from './migration';
