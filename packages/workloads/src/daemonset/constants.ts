/**
 * The DaemonSet controller's names and numbers, as Kubernetes'
 * `pkg/controller/daemon` and `apps/v1` define them.
 */
import type { Toleration } from '@keelson/api';

/** The label carrying the hash of the template a daemon pod was made from (`apps.DefaultDaemonSetUniqueLabelKey`). */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';

/** The label carrying the DaemonSet generation a daemon pod was made at (`extensions.DaemonSetTemplateGenerationKey`). */
export const POD_TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

/** Kubernetes' `BurstReplicas` for DaemonSets: the most pods one sync creates or deletes. */
export const DAEMONSET_BURST_REPLICAS = 250;

/** The first delay before a failed daemon pod on a node is replaced again (`flowcontrol.NewBackOff(1s, 15m)`). */
export const FAILED_POD_BACKOFF_INITIAL_MS = 1_000;

/** The longest delay between replacements of failed daemon pods on one node. */
export const FAILED_POD_BACKOFF_MAX_MS = 15 * 60 * 1000;

/** Kubernetes' event reason when a failed daemon pod is deleted to be replaced. */
export const FAILED_DAEMON_POD_REASON = 'FailedDaemonPod';

/** Kubernetes' event reason for a DaemonSet whose selector selects every pod. */
export const SELECTING_ALL_REASON = 'SelectingAll';

function exists(key: string, effect: 'NoSchedule' | 'NoExecute'): Toleration {
  return Object.freeze({ key, operator: 'Exists' as const, effect });
}

/**
 * The tolerations Kubernetes adds to every daemon pod
 * (`AddOrUpdateDaemonPodTolerations`): not-ready and unreachable NoExecute
 * (without `tolerationSeconds`: daemon pods are never evicted for them),
 * disk-, memory- and pid-pressure and unschedulable NoSchedule.
 */
export const DAEMON_POD_TOLERATIONS: readonly Toleration[] = Object.freeze([
  exists('node.kubernetes.io/not-ready', 'NoExecute'),
  exists('node.kubernetes.io/unreachable', 'NoExecute'),
  exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
  exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
  exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
  exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
]);

/** The toleration daemon pods with `hostNetwork: true` also get: network-unavailable NoSchedule. */
export const HOST_NETWORK_TOLERATION: Toleration = exists('node.kubernetes.io/network-unavailable', 'NoSchedule');
