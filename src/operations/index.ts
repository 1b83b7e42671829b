export * from './events';
export * from './targets';
export * from './routing';
export * from './central-bus';
export * from './alarms';
