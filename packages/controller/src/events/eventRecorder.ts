/**
 * The event recorder: client-go's `EventRecorder` and its sink in one, writing
 * `v1` Events through the store after the {@link EventCorrelator} has filtered,
 * combined and counted them, plus the apiserver's 1-hour event TTL as one sweep.
 */
import { Event } from '@keelson/api';
import { type Clock, cryptoRandom, type Random, type TimerHandle } from '@keelson/clock';
import {
  errorFields,
  InvalidError,
  isKeelsonError,
  type KubeObject,
  type Logger,
  type Store,
  silentLogger,
} from '@keelson/core';
import {
  type CorrelatedEvent,
  type Correlation,
  EventCorrelator,
  type EventCorrelatorOptions,
  type EventType,
  type InvolvedObject,
} from './eventCorrelator';
import { createEventNamer } from './eventNaming';
import { sprintf } from './sprintf';

/** The apiserver's default `--event-ttl`: Events live one hour after their last write. */
export const DEFAULT_EVENT_TTL_MS = 3_600_000;
/** How often the TTL sweep looks for expired Events. */
export const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

/** What the recorder needs of a store (a {@link Store} has it all). */
export type EventStore = Pick<Store, 'create' | 'patch' | 'list' | 'delete' | 'clock'>;

/** Options for {@link createEventRecorder}. */
export interface EventRecorderOptions {
  /** Who reports: `source.component` and `reportingComponent` (e.g. `deployment-controller`). */
  component: string;
  /** Where it runs: `source.host` and `reportingInstance` (e.g. the node name). */
  host?: string;
  /** Timestamps and the sweep timer (default: the store's clock). */
  clock?: Clock;
  /** Sub-millisecond digits of Event names, and UUID names when `<name>.<hex>` is invalid (default: crypto-backed). */
  random?: Random;
  /** How long an Event lives after its `lastTimestamp` (default 1 h, as the apiserver's `--event-ttl`). */
  ttlMs?: number;
  /** How often the sweep runs (default 60 s). */
  sweepIntervalMs?: number;
  /**
   * Run the TTL sweep (default true). The sweep deletes **every** expired
   * Event in the store, whoever wrote it, as the apiserver's TTL does: with
   * several recorders on one store, let only one of them (or the test
   * cluster) sweep and pass `sweep: false` to the others.
   */
  sweep?: boolean;
  /** Store failures (default: a `warn` line on `logger`, with the event's `reason` and the error). */
  onError?: (error: unknown, event: CorrelatedEvent | undefined) => void;
  /** A pino-compatible logger for store failures when no `onError` is given; silent by default. */
  logger?: Logger;
  /** Tuning of aggregation, dedup and the spam filter (defaults: client-go's). */
  correlator?: Omit<EventCorrelatorOptions, 'namer'>;
}

/** Records Events about objects, as client-go's `record.EventRecorder`. */
export interface EventRecorder {
  /**
   * Records an event about `object` (any KubeObject): `type` `'Normal'` or
   * `'Warning'`, `reason` UpperCamelCase (`FailedScheduling`), a human
   * message. Bad arguments throw `InvalidError` at once (synchronously) and
   * write nothing. Store failures never throw: they go to `onError` and the
   * event is dropped, as client-go drops events it cannot write. Writes are
   * made in call order; the promise settles when this one is done (for tests).
   */
  event(object: KubeObject, type: EventType, reason: string, message: string): Promise<void>;
  /** {@link EventRecorder.event} with a Go-style message: `%s`, `%d`, `%v`, `%q`, `%f`, `%%`. */
  eventf(object: KubeObject, type: EventType, reason: string, format: string, ...args: unknown[]): Promise<void>;
  /** Deletes every Event whose `lastTimestamp` is `ttlMs` old or older (what the sweep runs); resolves to how many. */
  deleteExpired(): Promise<number>;
  /** Stops the sweep timer. Recording still works. */
  stop(): void;
}

const REASON = /^[A-Z][A-Za-z0-9]*$/;

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new InvalidError(`createEventRecorder: ${name} must be a finite number of milliseconds > 0`);
  }
  return value;
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** The `involvedObject` for `object`, or `InvalidError` for arguments Kubernetes would not record. */
function checkArguments(where: string, object: unknown, type: unknown, reason: unknown, text: unknown): InvolvedObject {
  const o = object as Partial<KubeObject> | null | undefined;
  if (
    typeof o !== 'object' ||
    o === null ||
    !nonEmpty(o.kind) ||
    !nonEmpty(o.apiVersion) ||
    !nonEmpty(o.metadata?.name)
  ) {
    throw new InvalidError(`${where}: object must be a Kubernetes object with kind, apiVersion and metadata.name`);
  }
  if (type !== 'Normal' && type !== 'Warning') {
    throw new InvalidError(`${where}: type must be "Normal" or "Warning", got ${JSON.stringify(type) ?? String(type)}`);
  }
  if (typeof reason !== 'string' || !REASON.test(reason)) {
    throw new InvalidError(
      `${where}: reason must be a non-empty UpperCamelCase word such as "FailedScheduling", got ${JSON.stringify(reason) ?? String(reason)}`,
    );
  }
  if (typeof text !== 'string') throw new InvalidError(`${where}: message must be a string, got ${typeof text}`);
  const { metadata } = o as KubeObject;
  const ref: InvolvedObject = { kind: o.kind, apiVersion: o.apiVersion, name: metadata.name };
  if (nonEmpty(metadata.namespace)) ref.namespace = metadata.namespace;
  if (nonEmpty(metadata.uid)) ref.uid = metadata.uid;
  if (nonEmpty(metadata.resourceVersion)) ref.resourceVersion = metadata.resourceVersion;
  return ref;
}

/** When an Event was last written: `lastTimestamp`, else `eventTime`, else its creation. */
function lastSeenMs(event: Event): number {
  return Date.parse(event.lastTimestamp ?? event.eventTime ?? event.metadata.creationTimestamp);
}

/**
 * Creates an event recorder writing Events to `store` as `component`, with
 * client-go's correlation (aggregation of similar events, counting of
 * repeats, a spam filter per object) and, unless `sweep: false`, one
 * background timer deleting Events older than the TTL.
 *
 * @example
 * ```ts
 * const recorder = createEventRecorder(store, { component: 'deployment-controller' });
 * void recorder.eventf(deployment, 'Normal', 'ScalingReplicaSet', 'Scaled up replica set %s to %d', rs.metadata.name, 3);
 * // later: recorder.stop();
 * ```
 */
export function createEventRecorder(store: EventStore, options: EventRecorderOptions): EventRecorder {
  if (typeof options !== 'object' || options === null || !nonEmpty(options.component)) {
    throw new InvalidError('createEventRecorder: options.component must be a non-empty string');
  }
  if (options.host !== undefined && !nonEmpty(options.host)) {
    throw new InvalidError('createEventRecorder: options.host must be a non-empty string when given');
  }
  const { component, host } = options;
  const clock = options.clock ?? store.clock;
  const ttlMs = positive('ttlMs', options.ttlMs, DEFAULT_EVENT_TTL_MS);
  const sweepIntervalMs = positive('sweepIntervalMs', options.sweepIntervalMs, DEFAULT_SWEEP_INTERVAL_MS);
  const correlator = new EventCorrelator({
    ...options.correlator,
    namer: createEventNamer(options.random ?? cryptoRandom()),
  });
  const logger = options.logger ?? silentLogger;
  const onError =
    options.onError ??
    ((error: unknown, event: CorrelatedEvent | undefined) =>
      logger.warn(
        { source: component, ...(event && { reason: event.reason }), ...errorFields(error) },
        'could not record event',
      ));
  const report = (error: unknown, event?: CorrelatedEvent) => {
    try {
      onError(error, event);
    } catch {
      // A failing error handler must not break recording either.
    }
  };
  const source = host === undefined ? { component } : { component, host };
  let queue: Promise<void> = Promise.resolve();

  async function write(correlation: Exclude<Correlation, { action: 'skip' }>): Promise<void> {
    const { event, key } = correlation;
    const { name, namespace } = event;
    try {
      let stored: Event | undefined;
      if (correlation.action === 'patch') {
        try {
          stored = await store.patch(
            Event,
            name,
            (draft) => {
              draft.count = event.count;
              draft.lastTimestamp = event.lastTimestamp;
              draft.message = event.message;
              return undefined;
            },
            { namespace },
          );
        } catch (error) {
          // Gone (the TTL, or the first write failed): create it again, as client-go does.
          if (!isKeelsonError(error, 'NotFound')) throw error;
        }
      }
      stored ??= await store.create(
        Event,
        {
          metadata: { name, namespace },
          involvedObject: event.involvedObject,
          reason: event.reason,
          message: event.message,
          type: event.type,
          source: event.source,
          firstTimestamp: event.firstTimestamp,
          lastTimestamp: event.lastTimestamp,
          count: event.count,
          reportingComponent: event.reportingComponent,
          reportingInstance: event.reportingInstance,
        },
        { namespace },
      );
      const observed: { name: string; count?: number; firstTimestamp?: string } = { name: stored.metadata.name };
      if (stored.count !== undefined) observed.count = stored.count;
      if (stored.firstTimestamp !== undefined) observed.firstTimestamp = stored.firstTimestamp;
      correlator.observe(key, observed);
    } catch (error) {
      report(error, event);
    }
  }

  function record(where: string, object: KubeObject, type: EventType, reason: string, message: string) {
    const involvedObject = checkArguments(where, object, type, reason, message);
    const correlation = correlator.correlate(
      {
        namespace: involvedObject.namespace ?? 'default',
        involvedObject,
        type,
        reason,
        message,
        source,
        reportingComponent: component,
        reportingInstance: host ?? '',
      },
      clock.now(),
    );
    if (correlation.action === 'skip') return queue;
    const done = queue.then(() => write(correlation));
    queue = done;
    return done;
  }

  let sweeping = false;
  async function deleteExpired(): Promise<number> {
    const cutoff = clock.now() - ttlMs;
    const { items } = await store.list(Event);
    let deleted = 0;
    for (const expired of items.filter((item) => lastSeenMs(item) <= cutoff)) {
      const { name, namespace, resourceVersion } = expired.metadata;
      try {
        // The precondition spares an Event counted again since the list.
        await store.delete(Event, name, {
          ...(namespace === undefined ? {} : { namespace }),
          ...(resourceVersion === undefined ? {} : { preconditions: { resourceVersion } }),
        });
        deleted++;
      } catch (error) {
        if (!isKeelsonError(error, 'NotFound') && !isKeelsonError(error, 'Conflict')) report(error);
      }
    }
    return deleted;
  }

  let timer: TimerHandle | undefined;
  const tick = () => {
    timer = clock.setTimeout(tick, sweepIntervalMs, { background: true });
    if (sweeping) return;
    sweeping = true;
    deleteExpired()
      .catch((error: unknown) => report(error))
      .finally(() => {
        sweeping = false;
      });
  };
  if (options.sweep !== false) timer = clock.setTimeout(tick, sweepIntervalMs, { background: true });

  return {
    event: (object, type, reason, message) => record('event', object, type, reason, message),
    eventf(object, type, reason, format, ...args) {
      if (typeof format !== 'string') throw new InvalidError(`eventf: format must be a string, got ${typeof format}`);
      return record('eventf', object, type, reason, sprintf(format, ...args));
    },
    deleteExpired,
    stop() {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
