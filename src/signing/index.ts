export { RegistrySigning } from './registry-signing';
export type { SigningRuleOptions } from './registry-signing';
