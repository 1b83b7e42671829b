export * from './baseline';
export * from './stackset';
