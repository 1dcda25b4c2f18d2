import type { ServerResponse } from 'node:http';
import { counterOn, gaugeOn, histogramOn, LATENCY_BUCKETS, type MetricsRegistry } from '@keelson/core';

/** What a finished request is counted under, as kube-apiserver's `apiserver_request_total` labels it. */
export interface RequestLabels {
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
}

/**
 * The API server's Prometheus metrics, named after kube-apiserver's with the
 * `keelson_` prefix: requests by verb, resource and code, their latency
 * (long-running requests — watches, followed logs — excluded, as Kubernetes
 * does) and the long-running requests open now.
 */
export class ApiServerMetrics {
  private readonly requests;
  private readonly duration;
  private readonly longRunning;

  constructor(readonly registry: MetricsRegistry) {
    this.requests = counterOn(registry, {
      name: 'keelson_apiserver_request_total',
      help: 'API requests by verb, group, version, resource, subresource and HTTP code.',
      labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'code'],
    });
    this.duration = histogramOn(registry, {
      name: 'keelson_apiserver_request_duration_seconds',
      help: 'Latency of API requests other than watches and followed logs, in seconds.',
      labelNames: ['verb', 'group', 'version', 'resource', 'subresource'],
      buckets: LATENCY_BUCKETS,
    });
    this.longRunning = gaugeOn(registry, {
      name: 'keelson_apiserver_longrunning_requests',
      help: 'Watches and followed logs open now, by verb, group, version and resource.',
      labelNames: ['verb', 'group', 'version', 'resource', 'subresource'],
    });
  }

  /** Counts a finished request; `seconds` is left out for long-running ones. */
  finished(labels: RequestLabels, code: number, seconds: number | undefined): void {
    this.requests.inc({ ...labels, code: String(code) });
    if (seconds !== undefined) this.duration.observe({ ...labels }, seconds);
  }

  /** Marks a long-running request open; the returned function marks it closed. */
  opened(labels: RequestLabels): () => void {
    this.longRunning.inc({ ...labels });
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      this.longRunning.dec({ ...labels });
    };
  }
}

/** `GET /metrics`: the registry in Prometheus' text format. */
export async function sendMetrics(registry: MetricsRegistry, response: ServerResponse): Promise<void> {
  const text = await registry.metrics();
  response.writeHead(200, { 'Content-Type': registry.contentType, 'Content-Length': String(Buffer.byteLength(text)) });
  response.end(text);
}
