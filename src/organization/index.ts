export * from './baseline';
export * from './stackset';
export * from './inspector-organization';
export * from './role-defaults';
