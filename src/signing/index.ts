export * from './registry-signing';
