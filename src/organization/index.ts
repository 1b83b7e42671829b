export * from './baseline';
export * from './stackset';
export * from './inspector-organization';
