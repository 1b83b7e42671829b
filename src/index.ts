export * from './lifecycle';
export * from './repository';
export * from './registry';
export * from './pull-through-cache';
export * from './compliance';
export * from './scanning';
export * from './signing';
export * from './fleet';
export { RegionOptions } from './internal/regions';
