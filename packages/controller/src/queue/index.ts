export type { RateLimiter, RateLimiterClockOptions } from './rateLimiters';
export {
  bucketRateLimiter,
  defaultControllerRateLimiter,
  exponentialFailureRateLimiter,
  itemFastSlowRateLimiter,
  maxOfRateLimiter,
} from './rateLimiters';
export type { WorkQueue, WorkQueueGetResult, WorkQueueOptions } from './workQueue';
export { createWorkQueue } from './workQueue';
