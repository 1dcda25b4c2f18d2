/**
 * The names Kubernetes' storage controllers write: annotations, finalizers,
 * controller names and event reasons, spelled exactly as Kubernetes does so
 * tools and people that know them read Keelson's objects the same way.
 */

/** On a claim: the binding has completed once (the PV controller set it). */
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
/** On a claim or volume: the binding was made by the controller, not pre-bound by a user. */
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
/** On a claim: the node the scheduler picked for its first consumer (WaitForFirstConsumer). */
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
/** On a volume: the provisioner that created it. */
export const ANN_DYNAMICALLY_PROVISIONED = 'pv.kubernetes.io/provisioned-by';
/** On a claim: the provisioner asked to make its volume. */
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
/** The deprecated beta spelling of {@link ANN_STORAGE_PROVISIONER}, still written by Kubernetes. */
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
/** The beta storage class annotation, which takes precedence over `storageClassName` when set. */
export const ANN_BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
/** On a StorageClass: claims without a class get this one. */
export const ANN_DEFAULT_STORAGE_CLASS = 'storageclass.kubernetes.io/is-default-class';
/** The beta spelling of {@link ANN_DEFAULT_STORAGE_CLASS}. */
export const ANN_BETA_DEFAULT_STORAGE_CLASS = 'storageclass.beta.kubernetes.io/is-default-class';

/** A claim used by a running pod is not removed until the pod is gone. */
export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
/** A volume bound to a claim is not removed until it is unbound. */
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';
/** Keeps a provisioned volume with policy Delete until its storage asset is deleted. */
export const PV_DELETION_PROTECTION_FINALIZER = 'external-provisioner.volume.kubernetes.io/finalizer';

/** The label provisioned volumes' topology is expressed in. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
/** The node-name label, the topology of volumes on nodes without a zone. */
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** The PV controller's name in a manager (kube-controller-manager's). */
export const PERSISTENT_VOLUME_BINDER_CONTROLLER_NAME = 'persistentvolume-binder-controller';
/** The claim protection controller's name. */
export const PVC_PROTECTION_CONTROLLER_NAME = 'persistentvolumeclaim-protection-controller';
/** The volume protection controller's name. */
export const PV_PROTECTION_CONTROLLER_NAME = 'persistentvolume-protection-controller';
/** The expansion controller's name. */
export const VOLUME_EXPANDER_CONTROLLER_NAME = 'persistentvolume-expander-controller';
/** The component the PV controller's events come from. */
export const PERSISTENT_VOLUME_CONTROLLER_COMPONENT = 'persistentvolume-controller';

/** Event reasons, as `pkg/controller/volume/events` and the CSI sidecars spell them. */
export const StorageEventReason = {
  FailedBinding: 'FailedBinding',
  VolumeMismatch: 'VolumeMismatch',
  WaitForFirstConsumer: 'WaitForFirstConsumer',
  WaitForPodScheduled: 'WaitForPodScheduled',
  ExternalProvisioning: 'ExternalProvisioning',
  Provisioning: 'Provisioning',
  ProvisioningSucceeded: 'ProvisioningSucceeded',
  ProvisioningFailed: 'ProvisioningFailed',
  ClaimLost: 'ClaimLost',
  ClaimMisbound: 'ClaimMisbound',
  VolumeFailedDelete: 'VolumeFailedDelete',
  VolumeUnknownReclaimPolicy: 'VolumeUnknownReclaimPolicy',
  VolumeFailedRecycle: 'VolumeFailedRecycle',
  ExternalExpanding: 'ExternalExpanding',
  Resizing: 'Resizing',
  VolumeResizeFailed: 'VolumeResizeFailed',
  VolumeResizeSuccessful: 'VolumeResizeSuccessful',
} as const;

/** Claim conditions and resize states the resizer writes (Kubernetes 1.32). */
export const ClaimResize = {
  Resizing: 'Resizing',
  ControllerResizeError: 'ControllerResizeError',
  ControllerResizeInProgress: 'ControllerResizeInProgress',
} as const;

/** The first retry of a failed provision, delete or resize (goroutinemap's exponential backoff). */
export const OPERATION_BACKOFF_INITIAL_MS = 500;
/** The longest wait between retries of a failed operation (2 min 2 s). */
export const OPERATION_BACKOFF_MAX_MS = 122_000;
