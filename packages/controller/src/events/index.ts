export type {
  CorrelatedEvent,
  Correlation,
  EventCorrelatorOptions,
  EventDraft,
  EventType,
  InvolvedObject,
} from './eventCorrelator';
export {
  COMBINED_MESSAGE_PREFIX,
  DEFAULT_AGGREGATE_INTERVAL_MS,
  DEFAULT_AGGREGATE_MAX_EVENTS,
  DEFAULT_CACHE_SIZE,
  DEFAULT_SPAM_BURST,
  DEFAULT_SPAM_REFILL_MS,
  EventCorrelator,
} from './eventCorrelator';
export type { EventNamer } from './eventNaming';
export { createEventNamer, formatEventTime } from './eventNaming';
export type { EventRecorder, EventRecorderOptions, EventStore } from './eventRecorder';
export { createEventRecorder, DEFAULT_EVENT_TTL_MS, DEFAULT_SWEEP_INTERVAL_MS } from './eventRecorder';
export { sprintf } from './sprintf';
