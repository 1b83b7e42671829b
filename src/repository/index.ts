export { RepositoryAccess } from './access';
export { ImageEncryption } from './encryption';
export * from './private-repository';
export * from './public-repository';
export { RepositoryCreationTemplate, RepositoryCreationTemplateAppliedFor } from './creation-template';
export type { RepositoryCreationTemplateProps } from './creation-template';
