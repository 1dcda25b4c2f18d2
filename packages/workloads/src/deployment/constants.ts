/**
 * The names Kubernetes' deployment controller writes on Deployments and
 * their ReplicaSets (`pkg/controller/deployment/util`): annotation keys,
 * condition reasons and the label that ties a ReplicaSet to one template.
 */

/** The label each ReplicaSet (its selector, its template and so its pods) carries: the hash of its template. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** The rollout sequence number of a ReplicaSet, copied to its Deployment. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

/** The earlier revisions a reused ReplicaSet stood for, comma separated. */
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';

/** `spec.replicas` of the Deployment when it last sized this ReplicaSet: tells scaling apart from rolling out. */
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';

/** `spec.replicas + maxSurge` of the Deployment when it last sized this ReplicaSet: the base of proportional scaling. */
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';

/** The annotation `kubectl rollout restart` stamps on the pod template. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

/** What `kubectl rollout history` shows as CHANGE-CAUSE. */
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

/** Client-side apply's record: never copied between a Deployment and its ReplicaSets. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** The old controller-side rollback request (extensions/v1beta1); never copied either. */
export const DEPRECATED_ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';

/**
 * Annotations that belong to the Deployment or to one ReplicaSet and are
 * never copied from one to the other (upstream's `annotationsToSkip`).
 */
export const ANNOTATIONS_NOT_COPIED: ReadonlySet<string> = new Set([
  LAST_APPLIED_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  DEPRECATED_ROLLBACK_TO_ANNOTATION,
]);

/** The longest `revision-history` annotation the controller writes (`maxRevHistoryLengthInChars`). */
export const MAX_REVISION_HISTORY_CHARS = 2000;

/**
 * `progressDeadlineSeconds` and `revisionHistoryLimit` at this value mean
 * "none", as `math.MaxInt32` does upstream.
 */
export const UNLIMITED = 2_147_483_647;

/** Condition reasons, as Kubernetes spells them. */
export const DeploymentReason = {
  /** Progressing=False: the new ReplicaSet could not be created. */
  FailedReplicaSetCreate: 'ReplicaSetCreateError',
  /** Progressing=True: a new ReplicaSet was created. */
  NewReplicaSetCreated: 'NewReplicaSetCreated',
  /** Progressing=True: an existing ReplicaSet matches the template. */
  FoundNewReplicaSet: 'FoundNewReplicaSet',
  /** Progressing=True: the new ReplicaSet or the old ones moved. */
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  /** Progressing=True: the rollout is complete. */
  NewReplicaSetAvailable: 'NewReplicaSetAvailable',
  /** Progressing=False: no progress within `progressDeadlineSeconds`. */
  ProgressDeadlineExceeded: 'ProgressDeadlineExceeded',
  /** Progressing=Unknown: paused; the deadline does not run. */
  DeploymentPaused: 'DeploymentPaused',
  /** Progressing=Unknown: resumed; the deadline starts again. */
  DeploymentResumed: 'DeploymentResumed',
  /** Available=True. */
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  /** Available=False. */
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** The event reason of every scale of a ReplicaSet by its Deployment. */
export const SCALING_REPLICA_SET_REASON = 'ScalingReplicaSet';

/** Consecutive failed syncs after which the controller drops a key until its next event (`maxRetries`). */
export const MAX_SYNC_RETRIES = 15;
