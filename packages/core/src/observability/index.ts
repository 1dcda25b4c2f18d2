export type { LogFn, Logger } from './logger';
export { componentLogger, errorFields, silentLogger } from './logger';
export type { MetricsRegistry } from './metrics';
export { counterOn, DURATION_BUCKETS, gaugeOn, histogramOn, LATENCY_BUCKETS, secondsSince } from './metrics';
