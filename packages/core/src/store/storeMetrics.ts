/** The store's Prometheus metrics: requests by kind, verb and code, their latency, watches and events sent. */
import type { Counter, Gauge, Histogram } from 'prom-client';
import { isKeelsonError } from '../errors/index';
import { counterOn, gaugeOn, histogramOn, type MetricsRegistry, secondsSince } from '../observability/metrics';

type RequestLabels = 'group' | 'kind' | 'verb' | 'code';

/** @internal Created by `createStore` when it is given a `metricsRegistry`. */
export class StoreMetrics {
  readonly requests: Counter<RequestLabels>;
  readonly duration: Histogram<'group' | 'kind' | 'verb'>;
  readonly watchers: Gauge<'group' | 'kind'>;
  readonly watchEvents: Counter<'group' | 'kind' | 'type'>;

  constructor(registry: MetricsRegistry) {
    this.requests = counterOn(registry, {
      name: 'keelson_store_requests_total',
      help: 'Store requests by group, kind, verb and response code (as the HTTP API would answer it).',
      labelNames: ['group', 'kind', 'verb', 'code'],
    });
    this.duration = histogramOn(registry, {
      name: 'keelson_store_request_duration_seconds',
      help: 'Processing time of store requests in seconds, by group, kind and verb (watches excluded).',
      labelNames: ['group', 'kind', 'verb'],
    });
    this.watchers = gaugeOn(registry, {
      name: 'keelson_store_watchers',
      help: 'Open watches by group and kind.',
      labelNames: ['group', 'kind'],
    });
    this.watchEvents = counterOn(registry, {
      name: 'keelson_store_watch_events_total',
      help: 'Watch events sent to watchers, by group, kind and event type.',
      labelNames: ['group', 'kind', 'type'],
    });
  }

  /** Runs one request, counting it with its outcome's code and observing its duration. */
  async track<T>(group: string, kind: string, verb: string, run: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      const result = await run();
      this.requests.inc({ group, kind, verb, code: verb === 'create' ? '201' : '200' });
      return result;
    } catch (error) {
      const code = isKeelsonError(error) ? String(error.status) : '500';
      this.requests.inc({ group, kind, verb, code });
      throw error;
    } finally {
      this.duration.observe({ group, kind, verb }, secondsSince(start));
    }
  }
}

/** The group and kind of an object as written (`apps/v1` → `apps`), for metric labels. */
export function groupKindOf(object: unknown): { group: string; kind: string } {
  const { apiVersion, kind } = (object ?? {}) as { apiVersion?: unknown; kind?: unknown };
  const version = typeof apiVersion === 'string' ? apiVersion : '';
  const slash = version.indexOf('/');
  return { group: slash < 0 ? '' : version.slice(0, slash), kind: typeof kind === 'string' ? kind : 'unknown' };
}
