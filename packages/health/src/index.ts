export * from './nodeLifecycle/index';
export * from './probes/index';
