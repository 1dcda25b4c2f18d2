/**
 * `v1` Pod: one or more containers scheduled together onto a node.
 */
import { defineResource, type ResourceObject, type ResourceOf } from '@keelson/core';
import { podStrategy } from '../pods/podStrategy';
import type { Container } from './container';
import { type PodSpec, podSpecSchema } from './podSpec';
import { podStatusSchema } from './podStatus';

/** A limit without a request requests the limit (Kubernetes defaults this on pods only, not on templates). */
function requestsFromLimits(container: Container): Container {
  const limits = container.resources?.limits;
  if (limits === undefined) return container;
  const requests = container.resources?.requests;
  // Nothing to add: the container stays the container schema's own output, which a later update can reuse.
  if (requests !== undefined && Object.keys(limits).every((name) => name in requests)) return container;
  return {
    ...container,
    resources: { ...container.resources, requests: { ...limits, ...container.resources?.requests } },
  };
}

/**
 * A Pod's spec: the pod spec with the defaults Kubernetes applies only to
 * Pods (`SetDefaults_Pod`): requests default to limits, and
 * `enableServiceLinks` to true.
 */
export const podObjectSpecSchema = podSpecSchema.transform((spec: PodSpec) => ({
  ...spec,
  containers: spec.containers.map(requestsFromLimits),
  ...(spec.initContainers === undefined ? {} : { initContainers: spec.initContainers.map(requestsFromLimits) }),
  enableServiceLinks: spec.enableServiceLinks ?? true,
}));

/** The stored Pod object, spelled out from its schemas (the strategy needs it before `Pod` exists). */
export type PodObject = ResourceObject<typeof podObjectSpecSchema, typeof podStatusSchema, undefined>;

/**
 * The Pod kind. Field selectors are Kubernetes' for pods: `spec.nodeName`
 * (indexed, `''` when unbound, so `spec.nodeName=` finds pending pods and
 * a kubelet watches `spec.nodeName=<node>`), `spec.restartPolicy`,
 * `spec.schedulerName`, `spec.serviceAccountName`, `spec.hostNetwork`,
 * `status.phase`, `status.podIP` and `status.nominatedNodeName`.
 *
 * @example
 * ```ts
 * const pod = await store.create(Pod, {
 *   metadata: { name: 'web', namespace: 'default' },
 *   spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] },
 * });
 * pod.status?.phase; // 'Pending'
 * pod.spec.containers[0]?.imagePullPolicy; // 'IfNotPresent'
 * ```
 */
export const Pod = defineResource({
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  namespaced: true,
  spec: podObjectSpecSchema,
  status: podStatusSchema,
  fields: {
    'spec.nodeName': { get: (pod) => pod.spec.nodeName ?? '', indexed: true },
    'spec.restartPolicy': { get: (pod) => pod.spec.restartPolicy },
    'spec.schedulerName': { get: (pod) => pod.spec.schedulerName },
    'spec.serviceAccountName': { get: (pod) => pod.spec.serviceAccountName ?? '' },
    'spec.hostNetwork': { get: (pod) => String(pod.spec.hostNetwork ?? false) },
    'status.phase': { get: (pod) => pod.status?.phase ?? '' },
    'status.podIP': { get: (pod) => pod.status?.podIPs?.[0]?.ip ?? pod.status?.podIP ?? '' },
    'status.nominatedNodeName': { get: (pod) => pod.status?.nominatedNodeName ?? '' },
  },
  strategy: podStrategy,
});
export type Pod = ResourceOf<typeof Pod>;
