export * from './upstream';
export { PullThroughCacheCredentials } from './credentials';
export type { PullThroughCacheSecretOptions } from './credentials';
export * from './rule';
