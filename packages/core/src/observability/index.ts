export type { LogFn, Logger } from './logger';
export { componentLogger, errorFields, silentLogger } from './logger';
export type { LogLine, MemoryLogger } from './memoryLogger';
export { createMemoryLogger } from './memoryLogger';
export type { MetricsRegistry } from './metrics';
export { counterOn, DURATION_BUCKETS, gaugeOn, histogramOn, LATENCY_BUCKETS, secondsSince } from './metrics';
