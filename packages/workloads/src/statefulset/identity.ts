/**
 * A stateful pod's identity and storage, as Kubernetes'
 * `stateful_set_utils.go` makes them: the name `<set>-<ordinal>`, the
 * hostname and subdomain, the identity labels, and one claim per claim
 * template named `<template>-<set>-<ordinal>`. Pure.
 */
import { isPodReady, type PersistentVolumeClaim, type Pod, type StatefulSet } from '@keelson/api';
import { CONTROLLER_REVISION_HASH_LABEL } from '../daemonset/constants';
import { isPodAvailable, podFromTemplate } from '../shared/index';
import { POD_INDEX_LABEL, STATEFULSET_POD_NAME_LABEL } from './constants';

const ORDINAL_NAME = /^(.*)-([0-9]+)$/;

/** `getParentNameAndOrdinal`: the set name and ordinal a pod name encodes, or ordinal -1 when it encodes none. */
export function parentAndOrdinal(podName: string): { parent: string; ordinal: number } {
  const match = ORDINAL_NAME.exec(podName);
  if (match === null) return { parent: '', ordinal: -1 };
  const ordinal = Number(match[2]);
  return Number.isSafeInteger(ordinal) ? { parent: match[1] as string, ordinal } : { parent: '', ordinal: -1 };
}

/** The ordinal of a pod's name (-1 when it has none). */
export function ordinalOf(pod: Pod): number {
  return parentAndOrdinal(pod.metadata.name).ordinal;
}

/** `getStartOrdinal`: `spec.ordinals.start`, default 0. */
export function startOrdinal(set: StatefulSet): number {
  return set.spec.ordinals?.start ?? 0;
}

/** `podInOrdinalRange`: whether the pod's ordinal is in `[start, start + replicas)`. */
export function inOrdinalRange(pod: Pod, set: StatefulSet): boolean {
  const ordinal = ordinalOf(pod);
  return ordinal >= startOrdinal(set) && ordinal < startOrdinal(set) + set.spec.replicas;
}

/** `isMemberOf`: whether the pod's name says it belongs to the set. */
export function isMemberOf(set: StatefulSet, pod: Pod): boolean {
  return parentAndOrdinal(pod.metadata.name).parent === set.metadata.name;
}

/** `getPodName`: `<set>-<ordinal>`. */
export function statefulPodName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata.name}-${ordinal}`;
}

/** `getPersistentVolumeClaimName`: `<template>-<set>-<ordinal>`. */
export function claimName(set: StatefulSet, template: string, ordinal: number): string {
  return `${template}-${set.metadata.name}-${ordinal}`;
}

/** What a claim looks like before the store fills it in. */
export interface ClaimManifest {
  metadata: { name: string; namespace?: string; labels: Record<string, string>; annotations?: Record<string, string> };
  spec: PersistentVolumeClaim['spec'];
}

/**
 * `getPersistentVolumeClaims`: by template name, the claims the pod of this
 * ordinal uses — the template with its name, the set's namespace, and the
 * template's labels plus the selector's `matchLabels`.
 */
export function claimsFor(set: StatefulSet, ordinal: number): Map<string, ClaimManifest> {
  const claims = new Map<string, ClaimManifest>();
  for (const template of set.spec.volumeClaimTemplates ?? []) {
    const { annotations } = template.metadata;
    claims.set(template.metadata.name, {
      metadata: {
        name: claimName(set, template.metadata.name, ordinal),
        ...(set.metadata.namespace === undefined ? {} : { namespace: set.metadata.namespace }),
        labels: { ...template.metadata.labels, ...set.spec.selector.matchLabels },
        ...(annotations === undefined ? {} : { annotations: { ...annotations } }),
      },
      spec: template.spec as PersistentVolumeClaim['spec'],
    });
  }
  return claims;
}

/**
 * `newStatefulSetPod` with `setPodRevision`: the pod of `ordinal` made from
 * the set's template — named `<set>-<ordinal>`, hostname its name, subdomain
 * `spec.serviceName`, the identity and revision labels, and every claim
 * template's volume pointing at that ordinal's claim (before the template's
 * other volumes, replacing one of the same name).
 */
export function statefulPodFor(set: StatefulSet, ordinal: number, revision: string): Pod {
  const name = statefulPodName(set, ordinal);
  const claims = claimsFor(set, ordinal);
  const templateVolumes = set.spec.template.spec.volumes ?? [];
  const volumes = [
    ...[...claims].map(([volume, claim]) => ({
      name: volume,
      persistentVolumeClaim: { claimName: claim.metadata.name },
    })),
    ...templateVolumes.filter((v) => !claims.has(v.name)),
  ];
  const manifest = podFromTemplate(set.spec.template, set, {
    name,
    labels: {
      [STATEFULSET_POD_NAME_LABEL]: name,
      [POD_INDEX_LABEL]: String(ordinal),
      [CONTROLLER_REVISION_HASH_LABEL]: revision,
    },
    spec: {
      hostname: name,
      ...(set.spec.serviceName ? { subdomain: set.spec.serviceName } : {}),
      ...(volumes.length === 0 ? {} : { volumes }),
    },
  });
  return manifest as unknown as Pod;
}

/** `identityMatches` (labels part): the pod carries its name and index labels. */
export function identityLabelsMatch(pod: Pod): boolean {
  const labels = pod.metadata.labels ?? {};
  return labels[STATEFULSET_POD_NAME_LABEL] === pod.metadata.name && labels[POD_INDEX_LABEL] === String(ordinalOf(pod));
}

/** `getPodRevision`: the pod's `controller-revision-hash` label. */
export function podRevision(pod: Pod): string {
  return pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
}

/** `isRunningAndReady`: phase Running and the Ready condition True. */
export function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

/** `isRunningAndAvailable`: running, ready, and ready for `minReadySeconds`. */
export function isRunningAndAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  return pod.status?.phase === 'Running' && isPodAvailable(pod, minReadySeconds, now);
}

/** `isTerminating`: the pod is being deleted. */
export function isTerminating(pod: Pod): boolean {
  return pod.metadata.deletionTimestamp !== undefined;
}

/** `isHealthy`: running, ready and not being deleted. */
export function isHealthy(pod: Pod): boolean {
  return isRunningAndReady(pod) && !isTerminating(pod);
}
