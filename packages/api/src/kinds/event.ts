/**
 * `v1` Event: a report that something happened to an object, as components
 * record them and `kubectl describe` shows them.
 */
import { defineResource, type FieldIssue, type ResourceOf } from '@keelson/core';
import { z } from 'zod';
import { int32, microTime, objectReference, time } from './primitives';

/**
 * An event's top-level fields (events have no spec or status). Kubernetes
 * writes the reporter as `reportingComponent` (Go: `ReportingController`).
 */
export const eventFieldsSchema = z.object({
  involvedObject: objectReference,
  reason: z.string().exactOptional(),
  message: z.string().exactOptional(),
  source: z.object({ component: z.string().exactOptional(), host: z.string().exactOptional() }).exactOptional(),
  firstTimestamp: time.exactOptional(),
  lastTimestamp: time.exactOptional(),
  count: int32.exactOptional(),
  type: z.enum(['Normal', 'Warning']).exactOptional(),
  eventTime: microTime.exactOptional(),
  series: z.object({ count: int32.exactOptional(), lastObservedTime: microTime.exactOptional() }).exactOptional(),
  action: z.string().exactOptional(),
  related: objectReference.exactOptional(),
  reportingComponent: z.string().default(''),
  reportingInstance: z.string().default(''),
});

/** Upstream's rule: an event lives in its object's namespace (cluster-scoped objects: `default`). */
function namespaceIssues(event: {
  metadata: { namespace?: string };
  involvedObject: { namespace?: string };
}): FieldIssue[] {
  const own = event.metadata.namespace ?? '';
  const theirs = event.involvedObject.namespace ?? '';
  const ok = theirs === '' ? own === '' || own === 'default' : own === theirs;
  return ok ? [] : [{ path: 'involvedObject.namespace', message: 'does not match event.namespace' }];
}

/**
 * The Event kind. Field selectors are Kubernetes': `involvedObject.*`,
 * `reason`, `reportingComponent`, `source` and `type`.
 *
 * @example
 * ```ts
 * await store.create(Event, {
 *   metadata: { name: 'web.1', namespace: 'default' },
 *   involvedObject: { kind: 'Pod', namespace: 'default', name: 'web' },
 *   reason: 'Scheduled', message: 'Successfully assigned default/web to node-1', type: 'Normal',
 * });
 * ```
 */
export const Event = defineResource({
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  namespaced: true,
  root: eventFieldsSchema,
  fields: {
    'involvedObject.kind': { get: (event) => event.involvedObject.kind ?? '' },
    'involvedObject.namespace': { get: (event) => event.involvedObject.namespace ?? '' },
    'involvedObject.name': { get: (event) => event.involvedObject.name ?? '' },
    'involvedObject.uid': { get: (event) => event.involvedObject.uid ?? '' },
    'involvedObject.apiVersion': { get: (event) => event.involvedObject.apiVersion ?? '' },
    'involvedObject.resourceVersion': { get: (event) => event.involvedObject.resourceVersion ?? '' },
    'involvedObject.fieldPath': { get: (event) => event.involvedObject.fieldPath ?? '' },
    reason: { get: (event) => event.reason ?? '' },
    reportingComponent: { get: (event) => event.reportingComponent },
    source: { get: (event) => event.source?.component ?? '' },
    type: { get: (event) => event.type ?? '' },
  },
  strategy: { validate: namespaceIssues },
});
export type Event = ResourceOf<typeof Event>;
