export * from './baseline';
export * from './stackset';
export * from './inspector-organization';
export { RoleDefaults } from './role-defaults';
export type { RoleDefaultsOptions } from './role-defaults';
