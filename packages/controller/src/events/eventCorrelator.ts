/**
 * The event recorder's policy, kept apart from any store so it can be tested
 * on numbers alone: client-go's `EventCorrelator` (tools/record/events_cache.go)
 * with its defaults. Time is an argument (`now`, epoch milliseconds), never read.
 */
import { createEventNamer, type EventNamer, formatEventTime } from './eventNaming';
import { LruCache } from './lru';

/** client-go's `maxLruCacheEntries`: each cache's bound. */
export const DEFAULT_CACHE_SIZE = 4096;
/** client-go's `defaultAggregateMaxEvents`: distinct messages before similar events are combined. */
export const DEFAULT_AGGREGATE_MAX_EVENTS = 10;
/** client-go's `defaultAggregateIntervalInSeconds`, in ms: quiet time after which similar events start over. */
export const DEFAULT_AGGREGATE_INTERVAL_MS = 600_000;
/** client-go's `defaultSpamBurst`: events a source may send about an object at once. */
export const DEFAULT_SPAM_BURST = 25;
/** client-go's `defaultSpamQPS` (1/300) as an interval: one more event every 5 minutes. */
export const DEFAULT_SPAM_REFILL_MS = 300_000;
/** What client-go prefixes to the message of a combined event. */
export const COMBINED_MESSAGE_PREFIX = '(combined from similar events): ';

/** The object an event is about, as `involvedObject` holds it. */
export interface InvolvedObject {
  kind: string;
  apiVersion: string;
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

/** Kubernetes' two event types. */
export type EventType = 'Normal' | 'Warning';

/** An event as a recorder reports it, before correlation gives it a name, count and timestamps. */
export interface EventDraft {
  /** Where the Event object lives: the involved object's namespace, `default` for cluster-scoped ones. */
  namespace: string;
  involvedObject: InvolvedObject;
  type: EventType;
  reason: string;
  message: string;
  source: { component: string; host?: string };
  reportingComponent: string;
  reportingInstance: string;
}

/** An event ready to write: a new Event (`count` 1) or the next occurrence of one already written. */
export interface CorrelatedEvent extends EventDraft {
  name: string;
  count: number;
  firstTimestamp: string;
  lastTimestamp: string;
}

/**
 * What to do with an event: drop it (over the spam budget), create a new
 * Event, or patch `count`, `lastTimestamp` and `message` of the Event named
 * `event.name`. `key` identifies the occurrence series for {@link EventCorrelator.observe}.
 */
export type Correlation = { action: 'skip' } | { action: 'create' | 'patch'; event: CorrelatedEvent; key: string };

/** Tuning for {@link EventCorrelator}; every default is client-go's. */
export interface EventCorrelatorOptions {
  /** Entries per cache (aggregation, dedup, spam). Default 4096. */
  cacheSize?: number;
  /** Distinct messages of similar events before they are combined. Default 10. */
  maxEvents?: number;
  /** Quiet time (since the last similar event) after which aggregation starts over. Default 600 000 ms. */
  maxIntervalMs?: number;
  /** Token bucket size per source, object and type. Default 25. */
  burst?: number;
  /** Time to earn one more token. Default 300 000 ms (5 minutes). */
  refillMs?: number;
  /** Names new Events; default `<name>.<hex nanoseconds>` with a counter for the sub-millisecond digits. */
  namer?: EventNamer;
}

interface AggregateRecord {
  /** Distinct messages seen in this window, oldest first. */
  messages: Set<string>;
  lastMs: number;
}

interface Observation {
  name: string;
  count: number;
  firstTimestamp: string;
}

interface TokenBucket {
  tokens: number;
  lastMs: number;
}

const SEP = '\u0000';

function objectKey(e: EventDraft): string {
  const o = e.involvedObject;
  return (
    e.source.component +
    SEP +
    (e.source.host ?? '') +
    SEP +
    o.kind +
    SEP +
    (o.namespace ?? '') +
    SEP +
    o.name +
    SEP +
    (o.uid ?? '') +
    SEP +
    o.apiVersion
  );
}

/** Upstream `getEventKey`: everything, message included; equal keys are one Event with a count. */
function eventKey(e: EventDraft): string {
  return `${objectKey(e)}${SEP}${e.involvedObject.fieldPath ?? ''}${SEP}${e.type}${SEP}${e.reason}${SEP}${e.message}`;
}

/** Upstream `EventAggregatorByReasonFunc`: similar events differ only in message (and field path). */
function aggregateKey(e: EventDraft): string {
  return `${objectKey(e)}${SEP}${e.type}${SEP}${e.reason}${SEP}${e.reportingComponent}${SEP}${e.reportingInstance}`;
}

/** Upstream `getSpamKey`: the source, the object and the event type. */
function spamKey(e: EventDraft): string {
  return `${objectKey(e)}${SEP}${e.type}`;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`EventCorrelator: ${name} must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}

/**
 * Filters, combines and counts events before they reach the store, so a
 * component stuck in a failure loop cannot flood it:
 *
 * - **Aggregation:** events that differ only in message are "similar". Once
 *   `maxEvents` (10) distinct messages were seen with no gap over
 *   `maxIntervalMs` (600 s) between them, similar events go into one Event
 *   whose message is `(combined from similar events): <latest message>`.
 * - **Dedup:** an event equal to an earlier one (message included) bumps that
 *   Event's `count` and `lastTimestamp` instead of making a new Event.
 * - **Spam filter:** per source, involved object and type, a token bucket of
 *   `burst` (25) refilled one token per `refillMs` (5 min); events with no
 *   token are dropped. Like upstream, the filter runs after dedup, so a
 *   dropped repeat still counts toward the `count` of the next one written.
 *
 * One correlator serves one recorder; it keeps no timers.
 */
export class EventCorrelator {
  private readonly aggregates: LruCache<AggregateRecord>;
  private readonly observations: LruCache<Observation>;
  private readonly buckets: LruCache<TokenBucket>;
  private readonly maxEvents: number;
  private readonly maxIntervalMs: number;
  private readonly burst: number;
  private readonly refillMs: number;
  private readonly namer: EventNamer;

  constructor(options: EventCorrelatorOptions = {}) {
    const cacheSize = positive('cacheSize', options.cacheSize, DEFAULT_CACHE_SIZE);
    this.aggregates = new LruCache(cacheSize);
    this.observations = new LruCache(cacheSize);
    this.buckets = new LruCache(cacheSize);
    this.maxEvents = positive('maxEvents', options.maxEvents, DEFAULT_AGGREGATE_MAX_EVENTS);
    this.maxIntervalMs = positive('maxIntervalMs', options.maxIntervalMs, DEFAULT_AGGREGATE_INTERVAL_MS);
    this.burst = positive('burst', options.burst, DEFAULT_SPAM_BURST);
    this.refillMs = positive('refillMs', options.refillMs, DEFAULT_SPAM_REFILL_MS);
    this.namer = options.namer ?? createEventNamer();
  }

  /** Decides what to write for `draft`, reported at `now`, and updates the correlator's state. */
  correlate(draft: EventDraft, now: number): Correlation {
    const { event, key } = this.aggregate(draft, now);
    const observed = this.countOccurrence(event, key, now);
    if (!this.takeToken(spamKey(observed), now)) return { action: 'skip' };
    return { action: observed.count > 1 ? 'patch' : 'create', event: observed, key };
  }

  /**
   * Records what the store now holds for `key` (after a successful write),
   * like upstream `UpdateState`: later occurrences patch that Event.
   */
  observe(key: string, stored: { name: string; count?: number; firstTimestamp?: string }): void {
    const previous = this.observations.get(key);
    const count = stored.count ?? previous?.count ?? 1;
    const firstTimestamp = stored.firstTimestamp ?? previous?.firstTimestamp ?? '';
    this.observations.set(key, { name: stored.name, count, firstTimestamp });
  }

  private aggregate(draft: EventDraft, now: number): { event: EventDraft; key: string } {
    const similar = aggregateKey(draft);
    let record = this.aggregates.get(similar);
    if (record === undefined || now - record.lastMs > this.maxIntervalMs) {
      record = { messages: new Set(), lastMs: now };
    }
    record.messages.add(draft.message);
    record.lastMs = now;
    this.aggregates.set(similar, record);
    if (record.messages.size < this.maxEvents) return { event: draft, key: eventKey(draft) };
    // Keep the set at most maxEvents - 1, as upstream does (it pops an arbitrary one; we pop the oldest).
    const oldest = record.messages.values().next();
    if (!oldest.done) record.messages.delete(oldest.value);
    return { event: { ...draft, message: COMBINED_MESSAGE_PREFIX + draft.message }, key: similar };
  }

  private countOccurrence(draft: EventDraft, key: string, now: number): CorrelatedEvent {
    const stamp = formatEventTime(now);
    const previous = this.observations.get(key);
    const event: CorrelatedEvent =
      previous === undefined
        ? {
            ...draft,
            name: this.namer(draft.involvedObject.name, now),
            count: 1,
            firstTimestamp: stamp,
            lastTimestamp: stamp,
          }
        : {
            ...draft,
            name: previous.name,
            count: previous.count + 1,
            firstTimestamp: previous.firstTimestamp,
            lastTimestamp: stamp,
          };
    this.observations.set(key, { name: event.name, count: event.count, firstTimestamp: event.firstTimestamp });
    return event;
  }

  private takeToken(key: string, now: number): boolean {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, lastMs: now };
    const earned = Math.max(0, now - bucket.lastMs) / this.refillMs;
    bucket.tokens = Math.min(this.burst, bucket.tokens + earned);
    bucket.lastMs = Math.max(bucket.lastMs, now);
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    return allowed;
  }
}
