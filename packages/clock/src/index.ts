export type { Clock, TimerHandle, TimerOptions } from './Clock';
export type { Random } from './random';
export { createRandom, cryptoRandom } from './random';
export { schedulerFor } from './schedulerFor';
export { systemClock } from './systemClock';
export type { RunUntilIdleOptions } from './VirtualClock';
export { VirtualClock } from './VirtualClock';
