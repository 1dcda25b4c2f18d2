// CRI's enums as const objects whose keys and values are the proto value
// names, each paired with a string-literal union type of the same name. A
// proto3 enum field that is absent means its first value (index 0); the TSDoc
// of each optional field says which that is.

/**
 * Whether a pod sandbox is running (proto `PodSandboxState`). A sandbox is
 * `SANDBOX_READY` from `runPodSandbox` until `stopPodSandbox` (or a failure of
 * its infrastructure) makes it `SANDBOX_NOTREADY`; it never becomes ready
 * again, the kubelet runs a new sandbox with `attempt + 1` instead.
 */
export const PodSandboxState = {
  SANDBOX_READY: 'SANDBOX_READY',
  SANDBOX_NOTREADY: 'SANDBOX_NOTREADY',
} as const;
/** One of {@link PodSandboxState}'s values. */
export type PodSandboxState = (typeof PodSandboxState)[keyof typeof PodSandboxState];

/**
 * Where a container is in its one-way lifecycle (proto `ContainerState`):
 * `CONTAINER_CREATED` → `CONTAINER_RUNNING` → `CONTAINER_EXITED`. A container
 * is never restarted; the kubelet creates a new one with `attempt + 1`.
 * `CONTAINER_UNKNOWN` is for a runtime that lost track of a container's
 * process (after a crash of the runtime itself, say).
 */
export const ContainerState = {
  CONTAINER_CREATED: 'CONTAINER_CREATED',
  CONTAINER_RUNNING: 'CONTAINER_RUNNING',
  CONTAINER_EXITED: 'CONTAINER_EXITED',
  CONTAINER_UNKNOWN: 'CONTAINER_UNKNOWN',
} as const;
/** One of {@link ContainerState}'s values. */
export type ContainerState = (typeof ContainerState)[keyof typeof ContainerState];

/**
 * The transition a {@link ContainerEventResponse} reports (proto
 * `ContainerEventType`). The kubelet's evented PLEG relists a pod on each one
 * instead of polling every container.
 */
export const ContainerEventType = {
  CONTAINER_CREATED_EVENT: 'CONTAINER_CREATED_EVENT',
  CONTAINER_STARTED_EVENT: 'CONTAINER_STARTED_EVENT',
  CONTAINER_STOPPED_EVENT: 'CONTAINER_STOPPED_EVENT',
  CONTAINER_DELETED_EVENT: 'CONTAINER_DELETED_EVENT',
} as const;
/** One of {@link ContainerEventType}'s values. */
export type ContainerEventType = (typeof ContainerEventType)[keyof typeof ContainerEventType];

/** Transport protocol of a {@link PortMapping} (proto `Protocol`); absent means `TCP`. */
export const Protocol = { TCP: 'TCP', UDP: 'UDP', SCTP: 'SCTP' } as const;
/** One of {@link Protocol}'s values. */
export type Protocol = (typeof Protocol)[keyof typeof Protocol];

/** Mount propagation of a {@link Mount} (proto `MountPropagation`); absent means `PROPAGATION_PRIVATE`. */
export const MountPropagation = {
  PROPAGATION_PRIVATE: 'PROPAGATION_PRIVATE',
  PROPAGATION_HOST_TO_CONTAINER: 'PROPAGATION_HOST_TO_CONTAINER',
  PROPAGATION_BIDIRECTIONAL: 'PROPAGATION_BIDIRECTIONAL',
} as const;
/** One of {@link MountPropagation}'s values. */
export type MountPropagation = (typeof MountPropagation)[keyof typeof MountPropagation];

/**
 * Scope of a Linux namespace in a {@link NamespaceOption} (proto
 * `NamespaceMode`); absent means `POD`. `POD` is shared by the pod's
 * containers, `CONTAINER` is the container's own, `NODE` is the host's, and
 * `TARGET` joins the namespace of `NamespaceOption.targetId` (ephemeral
 * debug containers).
 */
export const NamespaceMode = { POD: 'POD', CONTAINER: 'CONTAINER', NODE: 'NODE', TARGET: 'TARGET' } as const;
/** One of {@link NamespaceMode}'s values. */
export type NamespaceMode = (typeof NamespaceMode)[keyof typeof NamespaceMode];

/**
 * How the first process's supplemental groups are computed (proto
 * `SupplementalGroupsPolicy`); absent means `Merge` (with the image's
 * `/etc/group`), `Strict` uses only the configured groups.
 */
export const SupplementalGroupsPolicy = { Merge: 'Merge', Strict: 'Strict' } as const;
/** One of {@link SupplementalGroupsPolicy}'s values. */
export type SupplementalGroupsPolicy = (typeof SupplementalGroupsPolicy)[keyof typeof SupplementalGroupsPolicy];

/** Kind of a seccomp or AppArmor {@link SecurityProfile} (proto `SecurityProfile.ProfileType`). */
export const SecurityProfileType = {
  RuntimeDefault: 'RuntimeDefault',
  Unconfined: 'Unconfined',
  Localhost: 'Localhost',
} as const;
/** One of {@link SecurityProfileType}'s values. */
export type SecurityProfileType = (typeof SecurityProfileType)[keyof typeof SecurityProfileType];

/**
 * The signal that asks a container to stop (proto `Signal`, from the pod
 * spec's `lifecycle.stopSignal`); absent or `SIGNAL_RUNTIME_DEFAULT` means the
 * image's `STOPSIGNAL`, else `SIGTERM`.
 */
export const Signal = {
  SIGNAL_RUNTIME_DEFAULT: 'SIGNAL_RUNTIME_DEFAULT',
  SIGNAL_SIGABRT: 'SIGNAL_SIGABRT',
  SIGNAL_SIGALRM: 'SIGNAL_SIGALRM',
  SIGNAL_SIGBUS: 'SIGNAL_SIGBUS',
  SIGNAL_SIGCHLD: 'SIGNAL_SIGCHLD',
  SIGNAL_SIGCLD: 'SIGNAL_SIGCLD',
  SIGNAL_SIGCONT: 'SIGNAL_SIGCONT',
  SIGNAL_SIGFPE: 'SIGNAL_SIGFPE',
  SIGNAL_SIGHUP: 'SIGNAL_SIGHUP',
  SIGNAL_SIGILL: 'SIGNAL_SIGILL',
  SIGNAL_SIGINT: 'SIGNAL_SIGINT',
  SIGNAL_SIGIO: 'SIGNAL_SIGIO',
  SIGNAL_SIGIOT: 'SIGNAL_SIGIOT',
  SIGNAL_SIGKILL: 'SIGNAL_SIGKILL',
  SIGNAL_SIGPIPE: 'SIGNAL_SIGPIPE',
  SIGNAL_SIGPOLL: 'SIGNAL_SIGPOLL',
  SIGNAL_SIGPROF: 'SIGNAL_SIGPROF',
  SIGNAL_SIGPWR: 'SIGNAL_SIGPWR',
  SIGNAL_SIGQUIT: 'SIGNAL_SIGQUIT',
  SIGNAL_SIGSEGV: 'SIGNAL_SIGSEGV',
  SIGNAL_SIGSTKFLT: 'SIGNAL_SIGSTKFLT',
  SIGNAL_SIGSTOP: 'SIGNAL_SIGSTOP',
  SIGNAL_SIGSYS: 'SIGNAL_SIGSYS',
  SIGNAL_SIGTERM: 'SIGNAL_SIGTERM',
  SIGNAL_SIGTRAP: 'SIGNAL_SIGTRAP',
  SIGNAL_SIGTSTP: 'SIGNAL_SIGTSTP',
  SIGNAL_SIGTTIN: 'SIGNAL_SIGTTIN',
  SIGNAL_SIGTTOU: 'SIGNAL_SIGTTOU',
  SIGNAL_SIGURG: 'SIGNAL_SIGURG',
  SIGNAL_SIGUSR1: 'SIGNAL_SIGUSR1',
  SIGNAL_SIGUSR2: 'SIGNAL_SIGUSR2',
  SIGNAL_SIGVTALRM: 'SIGNAL_SIGVTALRM',
  SIGNAL_SIGWINCH: 'SIGNAL_SIGWINCH',
  SIGNAL_SIGXCPU: 'SIGNAL_SIGXCPU',
  SIGNAL_SIGXFSZ: 'SIGNAL_SIGXFSZ',
  SIGNAL_SIGRTMIN: 'SIGNAL_SIGRTMIN',
  SIGNAL_SIGRTMINPLUS1: 'SIGNAL_SIGRTMINPLUS1',
  SIGNAL_SIGRTMINPLUS2: 'SIGNAL_SIGRTMINPLUS2',
  SIGNAL_SIGRTMINPLUS3: 'SIGNAL_SIGRTMINPLUS3',
  SIGNAL_SIGRTMINPLUS4: 'SIGNAL_SIGRTMINPLUS4',
  SIGNAL_SIGRTMINPLUS5: 'SIGNAL_SIGRTMINPLUS5',
  SIGNAL_SIGRTMINPLUS6: 'SIGNAL_SIGRTMINPLUS6',
  SIGNAL_SIGRTMINPLUS7: 'SIGNAL_SIGRTMINPLUS7',
  SIGNAL_SIGRTMINPLUS8: 'SIGNAL_SIGRTMINPLUS8',
  SIGNAL_SIGRTMINPLUS9: 'SIGNAL_SIGRTMINPLUS9',
  SIGNAL_SIGRTMINPLUS10: 'SIGNAL_SIGRTMINPLUS10',
  SIGNAL_SIGRTMINPLUS11: 'SIGNAL_SIGRTMINPLUS11',
  SIGNAL_SIGRTMINPLUS12: 'SIGNAL_SIGRTMINPLUS12',
  SIGNAL_SIGRTMINPLUS13: 'SIGNAL_SIGRTMINPLUS13',
  SIGNAL_SIGRTMINPLUS14: 'SIGNAL_SIGRTMINPLUS14',
  SIGNAL_SIGRTMINPLUS15: 'SIGNAL_SIGRTMINPLUS15',
  SIGNAL_SIGRTMAXMINUS14: 'SIGNAL_SIGRTMAXMINUS14',
  SIGNAL_SIGRTMAXMINUS13: 'SIGNAL_SIGRTMAXMINUS13',
  SIGNAL_SIGRTMAXMINUS12: 'SIGNAL_SIGRTMAXMINUS12',
  SIGNAL_SIGRTMAXMINUS11: 'SIGNAL_SIGRTMAXMINUS11',
  SIGNAL_SIGRTMAXMINUS10: 'SIGNAL_SIGRTMAXMINUS10',
  SIGNAL_SIGRTMAXMINUS9: 'SIGNAL_SIGRTMAXMINUS9',
  SIGNAL_SIGRTMAXMINUS8: 'SIGNAL_SIGRTMAXMINUS8',
  SIGNAL_SIGRTMAXMINUS7: 'SIGNAL_SIGRTMAXMINUS7',
  SIGNAL_SIGRTMAXMINUS6: 'SIGNAL_SIGRTMAXMINUS6',
  SIGNAL_SIGRTMAXMINUS5: 'SIGNAL_SIGRTMAXMINUS5',
  SIGNAL_SIGRTMAXMINUS4: 'SIGNAL_SIGRTMAXMINUS4',
  SIGNAL_SIGRTMAXMINUS3: 'SIGNAL_SIGRTMAXMINUS3',
  SIGNAL_SIGRTMAXMINUS2: 'SIGNAL_SIGRTMAXMINUS2',
  SIGNAL_SIGRTMAXMINUS1: 'SIGNAL_SIGRTMAXMINUS1',
  SIGNAL_SIGRTMAX: 'SIGNAL_SIGRTMAX',
} as const;
/** One of {@link Signal}'s values. */
export type Signal = (typeof Signal)[keyof typeof Signal];

/** Whether a {@link Metric} only grows or goes up and down (proto `MetricType`). */
export const MetricType = { COUNTER: 'COUNTER', GAUGE: 'GAUGE' } as const;
/** One of {@link MetricType}'s values. */
export type MetricType = (typeof MetricType)[keyof typeof MetricType];

/**
 * The cgroup driver the runtime uses (proto `CgroupDriver`), which the
 * kubelet must match when it builds the pod cgroup hierarchy.
 */
export const CgroupDriver = { SYSTEMD: 'SYSTEMD', CGROUPFS: 'CGROUPFS' } as const;
/** One of {@link CgroupDriver}'s values. */
export type CgroupDriver = (typeof CgroupDriver)[keyof typeof CgroupDriver];
