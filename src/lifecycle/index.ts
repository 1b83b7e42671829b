export * from './enums';
export * from './rule';
export * from './policy';
export * from './presets';
