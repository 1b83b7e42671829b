export { RegistryExport } from './registry-export';
