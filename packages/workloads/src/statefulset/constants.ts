/**
 * The StatefulSet controller's names, as Kubernetes' `apps/v1` and
 * `pkg/controller/statefulset` define them.
 */

/** The label carrying a pod's own name, for per-pod Services (`apps.StatefulSetPodNameLabel`). */
export const STATEFULSET_POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';

/** The label carrying a pod's ordinal (`apps.PodIndexLabel`). */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

/** The controller's name in a manager. */
export const STATEFULSET_CONTROLLER_NAME = 'statefulset';

/** Event reason when a failed pod is deleted to be recreated with the same name. */
export const RECREATING_FAILED_POD_REASON = 'RecreatingFailedPod';

/** Event reason when a succeeded pod is deleted to be recreated with the same name. */
export const RECREATING_TERMINATED_POD_REASON = 'RecreatingTerminatedPod';

/** The longest prefix of a ControllerRevision name (`ControllerRevisionName`: 223 characters). */
export const MAX_REVISION_NAME_PREFIX = 223;
