export * from './replication';
export * from './registry';
