/**
 * What workload controllers ask of their pods, answered as Kubernetes'
 * `controller_utils` and `podutil` answer it.
 */
import { getCondition, isPodTerminal, type Pod, type PodTemplateSpec } from '@keelson/api';
import type { OwnerReference } from '@keelson/core';
import { controllerRefTo, type OwnerLike } from './controllerRef';

/** A pod that counts toward a controller's replicas: not finished and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  return !isPodTerminal(pod) && pod.metadata.deletionTimestamp === undefined;
}

/** When the pod's `Ready` condition last turned `True` (ms), or `undefined` while it is not ready. */
export function podReadySince(pod: Pod): number | undefined {
  const ready = getCondition(pod.status?.conditions, 'Ready');
  if (ready?.status !== 'True') return undefined;
  return ready.lastTransitionTime === undefined ? undefined : Date.parse(ready.lastTransitionTime);
}

/** Whether the pod is ready. */
export function isPodReadyNow(pod: Pod): boolean {
  return getCondition(pod.status?.conditions, 'Ready')?.status === 'True';
}

/**
 * Kubernetes' `IsPodAvailable`: ready, and (with `minReadySeconds` > 0)
 * ready for at least that long at `now`.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReadyNow(pod)) return false;
  if (minReadySeconds === 0) return true;
  const since = podReadySince(pod);
  return since !== undefined && since + minReadySeconds * 1000 <= now;
}

/**
 * When a ready pod that is not yet available will become available (ms),
 * so a controller can requeue for it; `undefined` when there is nothing to wait for.
 */
export function podAvailableAt(pod: Pod, minReadySeconds: number): number | undefined {
  if (minReadySeconds === 0) return undefined;
  const since = podReadySince(pod);
  return since === undefined ? undefined : since + minReadySeconds * 1000;
}

/** The longest `generateName` prefix Kubernetes keeps (a name is at most 63 characters before the 5 random ones). */
const MAX_GENERATED_PREFIX = 58;

/** Kubernetes' generated-name prefix for what `ownerName` creates: `<name>-`, truncated to fit. */
export function generatedNamePrefix(ownerName: string): string {
  const prefix = `${ownerName}-`;
  return prefix.length > MAX_GENERATED_PREFIX ? prefix.slice(0, MAX_GENERATED_PREFIX) : prefix;
}

/** Options for {@link podFromTemplate}. */
export interface PodFromTemplateOptions {
  /** Extra labels (e.g. `pod-template-hash`), over the template's. */
  labels?: Record<string, string>;
  /** A fixed name instead of a generated one. */
  name?: string;
  /** Default: `<owner name>-`. */
  generateName?: string;
  /** Extra fields for the pod's spec (e.g. a DaemonSet's node affinity). */
  spec?: Record<string, unknown>;
}

/** What a pod made from a template looks like before the store fills it in. */
export interface PodManifest {
  metadata: {
    name?: string;
    generateName?: string;
    namespace?: string;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences: OwnerReference[];
  };
  spec: PodTemplateSpec['spec'] & Record<string, unknown>;
}

/**
 * Kubernetes' `GetPodFromTemplate`: a pod with the template's labels,
 * annotations and spec, the owner's namespace, a controller reference to
 * the owner, and a name generated from the owner's.
 */
export function podFromTemplate(
  template: PodTemplateSpec,
  owner: OwnerLike,
  options: PodFromTemplateOptions = {},
): PodManifest {
  const { annotations } = template.metadata;
  return {
    metadata: {
      ...(options.name === undefined
        ? { generateName: options.generateName ?? generatedNamePrefix(owner.metadata.name) }
        : { name: options.name }),
      ...(owner.metadata.namespace === undefined ? {} : { namespace: owner.metadata.namespace }),
      labels: { ...template.metadata.labels, ...options.labels },
      ...(annotations === undefined ? {} : { annotations: { ...annotations } }),
      ownerReferences: [controllerRefTo(owner)],
    },
    spec: { ...template.spec, ...options.spec },
  };
}
