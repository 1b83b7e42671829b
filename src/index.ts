export * from './lifecycle';
export * from './repository';
export * from './registry';
export * from './compliance';
export * from './scanning';
export * from './signing';
