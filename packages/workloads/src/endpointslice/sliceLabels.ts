/**
 * The labels and owner of the EndpointSlices the controller manages, as
 * Kubernetes sets them (`setEndpointSliceLabels`, `newEndpointSlice`,
 * `ownedBy`).
 */
import type { EndpointSlice, Service } from '@keelson/api';
import type { OwnerReference } from '@keelson/core';

/** The label naming the Service a slice belongs to. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** The label naming the controller that manages a slice. */
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
/** The `managed-by` value of the slices this controller writes (Kubernetes' own). */
export const ENDPOINTSLICE_CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
/** The label on slices of a headless Service (`clusterIP: None`). */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

const RESERVED = new Set([SERVICE_NAME_LABEL, MANAGED_BY_LABEL, HEADLESS_LABEL]);

function withoutReserved(labels: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels ?? {})) if (!RESERVED.has(key)) out[key] = value;
  return out;
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}

/**
 * The labels a slice of `service` should carry: the Service's own labels
 * (minus the reserved ones), the service name, the manager, and the
 * headless marker. `changed` says whether the slice's non-reserved labels
 * differ from the Service's, which is what makes Kubernetes rewrite them.
 */
export function sliceLabelsFor(
  slice: { metadata: { labels?: Readonly<Record<string, string>> } } | undefined,
  service: Service,
): { labels: Record<string, string>; changed: boolean } {
  const own = withoutReserved(service.metadata.labels);
  const changed = slice !== undefined && !sameLabels(withoutReserved(slice.metadata.labels), own);
  const labels: Record<string, string> = { ...own };
  // Keelson allocates no cluster IPs, so only an explicit `None` marks a Service headless.
  if (service.spec.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  labels[SERVICE_NAME_LABEL] = service.metadata.name;
  labels[MANAGED_BY_LABEL] = ENDPOINTSLICE_CONTROLLER_NAME;
  return { labels, changed };
}

/** The controller reference a slice carries to its Service. */
export function serviceOwnerReference(service: Service): OwnerReference {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    name: service.metadata.name,
    uid: service.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Whether a slice is owned by this very Service (by uid), not an older one of the same name. */
export function ownedBy(slice: EndpointSlice, service: Service): boolean {
  return (slice.metadata.ownerReferences ?? []).some(
    (ref) => ref.uid === service.metadata.uid && ref.kind === 'Service' && ref.apiVersion === 'v1',
  );
}
