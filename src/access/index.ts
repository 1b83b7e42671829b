export * from './report';
export * from './diff';
