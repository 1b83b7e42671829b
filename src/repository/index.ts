export * from './access';
export * from './encryption';
export * from './private-repository';
export * from './public-repository';
export * from './creation-template';
