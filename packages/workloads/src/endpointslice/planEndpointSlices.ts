/**
 * The endpoint slice reconciler's policy (Kubernetes' `reconciler.go`), as a
 * pure function: given a Service's desired endpoints, grouped by the port
 * set they serve, and its existing slices, which slices to create, update
 * and delete — with as few writes as possible.
 */
import type { EndpointSlice, Service } from '@keelson/api';
import type { OwnerReference } from '@keelson/core';
import {
  type AddressType,
  type Endpoint,
  type EndpointPort,
  endpointKey,
  endpointsEqualBeyondKey,
  portSetKey,
} from './podEndpoints';
import { ownedBy, serviceOwnerReference, sliceLabelsFor } from './sliceLabels';

/** Kubernetes' default `--max-endpoints-per-slice`. */
export const DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;

/** Endpoints that serve one set of ports. */
export interface EndpointGroup {
  ports: EndpointPort[];
  endpoints: Endpoint[];
}

/** A slice to create: the store names it from `generateName`. */
export interface NewEndpointSlice {
  metadata: {
    generateName: string;
    namespace: string;
    labels: Record<string, string>;
    ownerReferences: OwnerReference[];
  };
  addressType: AddressType;
  ports: EndpointPort[];
  endpoints: Endpoint[];
}

/** What {@link planEndpointSlices} needs. */
export interface SlicePlanInput {
  service: Service;
  addressType: AddressType;
  /** The Service's managed slices that are not being deleted. */
  existing: readonly EndpointSlice[];
  /** The desired endpoints, grouped by port set. */
  desired: readonly EndpointGroup[];
  maxEndpointsPerSlice: number;
}

/** The writes that bring a Service's slices to the desired state; all empty when nothing changed. */
export interface SlicePlan {
  create: NewEndpointSlice[];
  /** Changed copies of existing slices (same name, uid and resourceVersion). */
  update: EndpointSlice[];
  delete: EndpointSlice[];
}

/** A slice being worked on: an existing one (with `source`) or a new one. */
interface Draft {
  source?: EndpointSlice;
  labels: Record<string, string>;
  ports: EndpointPort[];
  endpoints: Endpoint[];
}

function newDraft(service: Service, ports: EndpointPort[]): Draft {
  return { labels: sliceLabelsFor(undefined, service).labels, ports, endpoints: [] };
}

function takeFirst(desired: Map<string, Endpoint>): Endpoint {
  const [key, endpoint] = desired.entries().next().value as [string, Endpoint];
  desired.delete(key);
  return endpoint;
}

function fill(draft: Draft, desired: Map<string, Endpoint>, max: number): void {
  while (desired.size > 0 && draft.endpoints.length < max) draft.endpoints.push(takeFirst(desired));
}

/** Among unchanged slices, the one that would be closest to full after taking `count` endpoints. */
function sliceToFill(candidates: readonly Draft[], count: number, max: number): Draft | undefined {
  let best: Draft | undefined;
  let bestGap = max;
  for (const candidate of candidates) {
    const gap = max - (count + candidate.endpoints.length);
    if (gap >= 0 && gap < bestGap) {
      bestGap = gap;
      best = candidate;
      if (gap === 0) break;
    }
  }
  return best;
}

interface GroupPlan {
  create: Draft[];
  update: Draft[];
  delete: EndpointSlice[];
}

/**
 * One port set (`reconcileByPortMapping`): keep wanted endpoints where they
 * are (updating changed ones in place), drop unwanted ones, then place the
 * rest — first into slices that change anyway (fullest first), then into
 * the unchanged slice they fill best, and only then into new slices.
 */
function planGroup(service: Service, existing: readonly EndpointSlice[], group: EndpointGroup, max: number): GroupPlan {
  const desired = new Map<string, Endpoint>();
  for (const endpoint of group.endpoints) desired.set(endpointKey(endpoint), endpoint);
  const toUpdate: Draft[] = [];
  const unchanged: Draft[] = [];
  const toDelete: EndpointSlice[] = [];

  for (const slice of existing) {
    const kept: Endpoint[] = [];
    let endpointChanged = false;
    for (const endpoint of slice.endpoints) {
      const key = endpointKey(endpoint);
      const wanted = desired.get(key);
      if (wanted === undefined) continue;
      kept.push(wanted);
      if (!endpointsEqualBeyondKey(wanted, endpoint)) endpointChanged = true;
      desired.delete(key);
    }
    const { labels, changed: labelsChanged } = sliceLabelsFor(slice, service);
    if (endpointChanged || kept.length !== slice.endpoints.length) {
      if (kept.length === 0) toDelete.push(slice);
      else toUpdate.push({ source: slice, labels, ports: slice.ports, endpoints: kept });
    } else if (labelsChanged) {
      toUpdate.push({ source: slice, labels, ports: slice.ports, endpoints: [...slice.endpoints] });
    } else {
      const current = { ...slice.metadata.labels };
      unchanged.push({ source: slice, labels: current, ports: slice.ports, endpoints: [...slice.endpoints] });
    }
  }

  if (desired.size > 0 && toUpdate.length > 0) {
    const fullestFirst = [...toUpdate].sort((a, b) => b.endpoints.length - a.endpoints.length);
    for (const draft of fullestFirst) fill(draft, desired, max);
  }

  const toCreate: Draft[] = [];
  while (desired.size > 0) {
    let draft: Draft | undefined;
    if (desired.size < max && unchanged.length > 0) draft = sliceToFill(unchanged, desired.size, max);
    if (draft === undefined) {
      draft = newDraft(service, group.ports);
      toCreate.push(draft);
    } else {
      unchanged.splice(unchanged.indexOf(draft), 1);
      toUpdate.push(draft);
    }
    fill(draft, desired, max);
  }
  return { create: toCreate, update: toUpdate, delete: toDelete };
}

function materialize(service: Service, addressType: AddressType, draft: Draft): NewEndpointSlice {
  return {
    metadata: {
      generateName: `${service.metadata.name}-`,
      namespace: service.metadata.namespace ?? 'default',
      labels: draft.labels,
      ownerReferences: [serviceOwnerReference(service)],
    },
    addressType,
    ports: draft.ports,
    endpoints: draft.endpoints,
  };
}

function updated(draft: Draft): EndpointSlice {
  const source = draft.source as EndpointSlice;
  return { ...source, metadata: { ...source.metadata, labels: draft.labels }, endpoints: draft.endpoints };
}

/** The empty slice a selected-but-endpointless Service keeps, so that consumers can tell "no endpoints" from "not synced". */
function isPlaceholder(slice: EndpointSlice, placeholder: NewEndpointSlice): boolean {
  const labels = slice.metadata.labels ?? {};
  const want = placeholder.metadata.labels;
  return (
    slice.addressType === placeholder.addressType &&
    slice.endpoints.length === 0 &&
    slice.ports.length === 0 &&
    Object.keys(labels).length === Object.keys(want).length &&
    Object.entries(want).every(([key, value]) => labels[key] === value)
  );
}

/**
 * Plans the writes for one Service and address type, as Kubernetes'
 * endpoint slice reconciler does: slices owned by another Service of the
 * same name, of another address type, or of a port set no longer wanted are
 * deleted; each port set is planned by {@link planGroup}; a Service with no
 * endpoints keeps one empty placeholder slice; and a slice about to be
 * deleted is reused for one about to be created.
 */
export function planEndpointSlices(input: SlicePlanInput): SlicePlan {
  const { service, addressType, maxEndpointsPerSlice: max } = input;
  const toDelete: EndpointSlice[] = [];
  // Slices of another address type are deleted outright, never reused.
  const foreign: EndpointSlice[] = [];
  const existingByPorts = new Map<string, EndpointSlice[]>();
  const sorted = [...input.existing].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  for (const slice of sorted) {
    if (slice.addressType !== addressType) {
      foreign.push(slice);
      continue;
    }
    if (!ownedBy(slice, service)) {
      toDelete.push(slice);
      continue;
    }
    const key = portSetKey(slice.ports);
    existingByPorts.set(key, [...(existingByPorts.get(key) ?? []), slice]);
  }

  const groups = new Map<string, EndpointGroup>();
  for (const group of input.desired) {
    const key = portSetKey(group.ports);
    const known = groups.get(key);
    if (known) known.endpoints.push(...group.endpoints);
    else groups.set(key, { ports: group.ports, endpoints: [...group.endpoints] });
  }

  const create: NewEndpointSlice[] = [];
  const update: EndpointSlice[] = [];
  for (const [key, group] of groups) {
    const plan = planGroup(service, existingByPorts.get(key) ?? [], group, max);
    create.push(...plan.create.map((draft) => materialize(service, addressType, draft)));
    update.push(...plan.update.map(updated));
    toDelete.push(...plan.delete);
  }
  for (const [key, slices] of existingByPorts) if (!groups.has(key)) toDelete.push(...slices);

  if (input.existing.length - foreign.length === toDelete.length && create.length === 0) {
    const placeholder = materialize(service, addressType, newDraft(service, []));
    const only = toDelete[0];
    if (toDelete.length === 1 && only !== undefined && isPlaceholder(only, placeholder)) toDelete.length = 0;
    else create.push(placeholder);
  }

  // Reuse a slice about to be deleted for one about to be created: one update instead of two writes.
  for (let i = 0; i < toDelete.length && create.length > 0; ) {
    const old = toDelete[i] as EndpointSlice;
    if (!ownedBy(old, service)) {
      i++;
      continue;
    }
    const fresh = create.pop() as NewEndpointSlice;
    update.push({
      ...old,
      metadata: { ...old.metadata, labels: fresh.metadata.labels, ownerReferences: fresh.metadata.ownerReferences },
      ports: fresh.ports,
      endpoints: fresh.endpoints,
    });
    toDelete.splice(i, 1);
  }
  return { create, update, delete: [...toDelete, ...foreign] };
}
