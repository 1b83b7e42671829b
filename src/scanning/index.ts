export * from './enums';
export * from './registry-scanning';
export * from './finding-filters';
export * from './findings';
export * from './inspector';
