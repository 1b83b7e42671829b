export * from './upstream';
export * from './credentials';
export * from './rule';
