/**
 * Which pods a drain evicts, as `kubectl drain` sorts them
 * (k8s.io/kubectl/pkg/drain/filters.go): DaemonSet pods stay, mirror pods
 * stay, pods with local storage or without a controller are refused unless
 * the caller overrides. Pure: the caller says which DaemonSets exist.
 */
import type { Pod } from '@keelson/api';
import { controllerOf } from '../shared/index';

/** The annotation a kubelet puts on the API mirror of a static pod. */
export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/** kubectl's messages. */
export const DrainMessage = {
  daemonSetFatal: 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)',
  daemonSetWarning: 'ignoring DaemonSet-managed Pods',
  localStorageFatal: 'Pods with local storage (use --delete-emptydir-data to override)',
  localStorageWarning: 'deleting Pods with local storage',
  unmanagedFatal: 'Pods declare no controller (use --force to override)',
  unmanagedWarning: 'deleting Pods that declare no controller',
  mirrorPod: 'mirror pod',
} as const;

/** What the filters decide for one pod. */
export interface PodVerdict {
  /** Evict it. */
  evict: boolean;
  /** Why it is not evicted (or what to warn about). */
  message?: string;
  /** It blocks the drain: nothing is evicted until the caller overrides. */
  fatal?: boolean;
}

/** The switches of the filters (kubectl's flags). */
export interface DrainFilterOptions {
  ignoreDaemonSets: boolean;
  deleteEmptyDirData: boolean;
  force: boolean;
  /** Whether the DaemonSet `namespace/name` (with this uid) still exists. */
  daemonSetExists(namespace: string, name: string, uid: string): boolean;
}

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

const OTHER_SOURCES = ['hostPath', 'configMap', 'secret', 'persistentVolumeClaim', 'downwardAPI'] as const;

/** kubectl's `hasLocalStorage`: an `emptyDir` volume (a volume with no source is one). */
function hasLocalStorage(pod: Pod): boolean {
  return (pod.spec.volumes ?? []).some(
    (volume) => volume.emptyDir !== undefined || !OTHER_SOURCES.some((source) => volume[source] !== undefined),
  );
}

/** kubectl's `daemonSetFilter`. */
function daemonSetVerdict(pod: Pod, options: DrainFilterOptions): PodVerdict {
  const ref = controllerOf(pod);
  if (ref?.kind !== 'DaemonSet') return { evict: true };
  // A pod whose DaemonSet is gone would never come back: evict it only when forced.
  if (!options.daemonSetExists(pod.metadata.namespace ?? 'default', ref.name, ref.uid)) {
    const message = `daemonsets.apps "${ref.name}" not found`;
    return options.force ? { evict: true, message } : { evict: false, fatal: true, message };
  }
  if (!options.ignoreDaemonSets) return { evict: false, fatal: true, message: DrainMessage.daemonSetFatal };
  return { evict: false, message: DrainMessage.daemonSetWarning };
}

/** kubectl's `localStorageFilter`. */
function localStorageVerdict(pod: Pod, options: DrainFilterOptions): PodVerdict {
  if (!hasLocalStorage(pod) || isTerminal(pod)) return { evict: true };
  if (!options.deleteEmptyDirData) return { evict: false, fatal: true, message: DrainMessage.localStorageFatal };
  return { evict: true, message: DrainMessage.localStorageWarning };
}

/** kubectl's `unreplicatedFilter`. */
function unmanagedVerdict(pod: Pod, options: DrainFilterOptions): PodVerdict {
  if (isTerminal(pod) || controllerOf(pod) !== undefined) return { evict: true };
  if (!options.force) return { evict: false, fatal: true, message: DrainMessage.unmanagedFatal };
  return { evict: true, message: DrainMessage.unmanagedWarning };
}

/** kubectl's `mirrorPodFilter`. */
function mirrorVerdict(pod: Pod): PodVerdict {
  return pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] === undefined
    ? { evict: true }
    : { evict: false, message: DrainMessage.mirrorPod };
}

/**
 * Runs kubectl's filters in its order (DaemonSet, mirror, local storage,
 * unmanaged), stopping at the first that keeps the pod; warnings of the
 * filters it passes are joined.
 */
export function drainVerdict(pod: Pod, options: DrainFilterOptions): PodVerdict {
  const warnings: string[] = [];
  for (const verdict of [
    () => daemonSetVerdict(pod, options),
    () => mirrorVerdict(pod),
    () => localStorageVerdict(pod, options),
    () => unmanagedVerdict(pod, options),
  ]) {
    const result = verdict();
    if (!result.evict) return result;
    if (result.message !== undefined) warnings.push(result.message);
  }
  return warnings.length === 0 ? { evict: true } : { evict: true, message: warnings.join('; ') };
}
