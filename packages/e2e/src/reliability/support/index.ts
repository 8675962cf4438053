// The reliability suites' harness, by concern.
export * from './catalog';
export * from './databases';
export * from './deployment';
export * from './repositories';
export * from './tasks';
