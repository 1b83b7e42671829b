export { CdkBootstrapTemplate } from './harden';
export type { CdkBootstrapHardeningOptions } from './harden';
