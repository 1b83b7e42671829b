export * from './enums';
export * from './registry-scanning';
export * from './findings';
export * from './inspector';
