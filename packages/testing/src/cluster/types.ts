/**
 * The shape of a test cluster: its options, its members and its faults.
 */
import type { Taint } from '@keelson/api';
import type { MetricsServer, MetricsSource } from '@keelson/autoscaling';
import type { Clock } from '@keelson/clock';
import type { Controller } from '@keelson/controller';
import type { KubeObject, Logger, MetricsRegistry, ResourceType, Store } from '@keelson/core';
import type { EventLog } from '@keelson/eventlog';
import type { NodeAgent } from '@keelson/node-agent';
import type { ImageOptions, MockDisks, MockFiles, MockRuntime } from '@keelson/runtime-mock';
import type { SchedulerOptions } from '@keelson/scheduler';
import type { MockProvisioner, MockProvisionerOptions, Provisioner } from '@keelson/storage';
import type { LoadProfile } from '../load/loadProfile';
import type { ServiceLoad, ServiceLoadOptions } from '../load/serviceLoad';
import type { ManifestInput } from '../manifests';
import type { Duration } from './duration';
import type { PodFilesRequest } from './podFiles';
import type { PodLogSource } from './podLogs';

/** One simulated node. */
export interface NodeSpec {
  /** DNS-1123 name (default `node-<n>`, counting from 1). */
  name?: string;
  /** Resources, e.g. `{ cpu: '4', memory: '8Gi', pods: '110' }` (the default). */
  capacity?: Record<string, string>;
  /** Extra labels (`kubernetes.io/hostname` is always set). */
  labels?: Record<string, string>;
  taints?: Taint[];
  /** Sets `topology.kubernetes.io/zone`. */
  zone?: string;
}

/** The built-in components a cluster can run, by name. */
export type BuiltinComponent = 'scheduler' | 'node-lifecycle' | (string & {});

/** Options of `createTestCluster`. */
export interface TestClusterOptions {
  /** How many nodes (named `node-1`…), or one spec per node (default 3). */
  nodes?: number | readonly NodeSpec[];
  /** Seeds every random choice: uids, names, scheduling ties, container ids (default 1). */
  seed?: number;
  /** A `VirtualClock` by default, starting at 2026-01-01T00:00:00Z; `systemClock` for real time. */
  clock?: Clock;
  /** The log under the store (default: a new memory log); a file or etcd log works the same. */
  log?: EventLog;
  /**
   * The built-in components to run, by name (default all): `scheduler`,
   * `node-lifecycle` and each workload and storage controller's name
   * (`deployment`, `replicaset`, `persistentvolume-binder-controller`, …). `[]` runs none: a store and node agents only.
   */
  controllers?: readonly BuiltinComponent[];
  /** Your own controllers (from `defineController`), run by the same manager. */
  extra?: readonly Controller[];
  /** Kinds beyond the built-in ones (from `defineResource`). */
  types?: readonly ResourceType[];
  /**
   * Scripted images for the mock runtimes, by reference. Images not listed
   * run with the default behaviour (start at once, never exit, pass every
   * probe) unless `strictImages` is set, in which case pulling one fails
   * like a missing image.
   */
  images?: Readonly<Record<string, ImageOptions>>;
  /** Pull only images listed in `images` (default false). */
  strictImages?: boolean;
  /**
   * The scheduler's profiles and out-of-tree plugins (as `createScheduler`
   * takes them), to run your scheduling policy in the cluster; default one
   * profile with Kubernetes' default plugins.
   */
  scheduler?: Pick<SchedulerOptions, 'profiles' | 'registry'>;
  /**
   * Where the autoscaler reads its metrics (default: the cluster's metrics server, from the
   * runtimes' stats) — pass your own for custom, object or external metrics or a load model.
   */
  metrics?: MetricsSource;
  /**
   * Dynamic provisioners beyond the cluster's mock CSI driver
   * (`mock.csi.keelson.dev`, which the default StorageClass `standard` uses),
   * by the driver name StorageClasses give in `provisioner`.
   */
  provisioners?: readonly Provisioner[];
  /** Options of the mock CSI driver: delays (on the cluster's clock), failure injection, `onDelete`. */
  mockProvisioner?: Omit<MockProvisionerOptions, 'clock' | 'name'>;
  /** Create the default StorageClass `standard` (default true). */
  defaultStorageClass?: boolean;
  /**
   * A prom-client `Registry` every component registers its metrics on (store, scheduler,
   * controller manager, node agents, autoscaler); none without it. Serve it to scrape the cluster.
   */
  metricsRegistry?: MetricsRegistry;
  /**
   * A pino-compatible logger (e.g. `pino()`) every component logs through, each under its own
   * `component` binding: `store`, `controller-manager` (with `controller` per controller),
   * `scheduler`, `node-lifecycle`, `node-agent` (with `node`), `horizontal-pod-autoscaler` and
   * `event-recorder`. Silent by default: nothing reaches the console.
   */
  logger?: Logger;
}

/** Options of `settle`. */
export interface SettleOptions {
  /** How long the log must hear nothing but heartbeats (default `'10s'`). */
  quietMs?: Duration;
  /** Give up after this much cluster time (default `'10m'`): a `TimeoutError` showing the cluster. */
  maxMs?: Duration;
}

/** Options of `waitFor`. */
export interface WaitForOptions {
  /** Cluster time to wait before a `TimeoutError` showing the cluster (default `'5m'`). */
  timeout?: Duration;
  /** How far time moves between checks (default `'1s'`). */
  interval?: Duration;
  /** Names what is awaited in the failure message. */
  description?: string;
}

/** Which pod and container a fault is aimed at. */
export interface ContainerTarget {
  /** Default `default`. */
  namespace?: string;
  pod: string;
  /** Default: the pod's first container. */
  container?: string;
}

/** A fault in effect; `heal()` ends it early (faults with `for` heal themselves). */
export interface ActiveFault {
  heal(): void;
}

/** Fault injection, aimed at nodes, containers and the wire to the store. */
export interface ClusterFaults {
  /** The container's process dies now with `exitCode` (default 1); the agent restarts it per restartPolicy. */
  crashContainer(target: ContainerTarget & { exitCode?: number }): Promise<void>;
  /** The kernel OOM-kills the container now (exit code 137, reason `OOMKilled`). */
  oomKill(target: ContainerTarget): Promise<void>;
  /** The container's readiness, liveness or startup probe fails, for a while or until healed. */
  failProbe(
    target: ContainerTarget & { probe: 'readiness' | 'liveness' | 'startup'; for?: Duration },
  ): Promise<ActiveFault>;
  /** The node's agent stops: heartbeats stop, its containers keep running unseen. */
  stopNode(name: string): Promise<void>;
  /** A stopped node's agent starts again (a running one is restarted), as after a kubelet restart. */
  restartNode(name: string): Promise<void>;
  /** The node's agent runs but cannot reach the store; watches end and calls fail until healed. */
  partitionNode(name: string, options?: { for?: Duration }): ActiveFault;
  /** The node's runtime answers `Unavailable` (containers keep running), for a while or until healed. */
  runtimeOutage(name: string, options?: { for?: Duration }): ActiveFault;
  /** Every component's watches end with `Expired`, so each relists. */
  dropWatches(): void;
  /** A fraction of the components' writes fail with `ConflictError` (seeded), for a while or until healed. */
  conflicts(options: { rate: number; for?: Duration }): ActiveFault;
  /** Every call of the node's agent to the store takes `latencyMs` longer. */
  slowNode(name: string, options: { latencyMs: number; for?: Duration }): ActiveFault;
}

/** A whole cluster in one process. */
export interface TestCluster {
  /** The store, direct (faults act on the components' links, not on this). */
  readonly store: Store;
  readonly clock: Clock;
  readonly log: EventLog;
  /**
   * The metrics server: the pods' and nodes' CPU and memory from the runtimes' stats every
   * 15 s (`pods()`, `nodes()` like `kubectl top`); the autoscaler's resource metrics.
   */
  readonly metrics: MetricsServer;
  /** The names of the nodes the cluster has now. */
  readonly nodes: readonly string[];
  /** The mock runtime of a node (its `faults`, `snapshot()`, `inspectContainer`…). */
  runtime(nodeName: string): MockRuntime;
  /** The agent of a node. */
  nodeAgent(nodeName: string): NodeAgent;
  /**
   * The cluster's disks, shared by every node: the mock CSI driver
   * `mock.csi.keelson.dev` (which every node's agent has) publishes them for
   * PersistentVolumes with `csi: { driver: 'mock.csi.keelson.dev', volumeHandle }`.
   */
  readonly disks: MockDisks;
  /** What a pod's container sees of its files (root and volume mounts), to read or write. */
  files(pod: string, options?: PodFilesRequest): Promise<MockFiles>;
  /** Creates or updates by name each object: one, an array, a `List`, or multi-document YAML. */
  apply(input: ManifestInput): Promise<KubeObject[]>;
  get<T extends KubeObject>(type: ResourceType<T, unknown>, name: string, namespace?: string): Promise<T>;
  list<T extends KubeObject>(
    type: ResourceType<T, unknown>,
    options?: { namespace?: string; labelSelector?: string },
  ): Promise<T[]>;
  delete<T extends KubeObject>(
    type: ResourceType<T, unknown>,
    name: string,
    options?: {
      namespace?: string;
      propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
      gracePeriodSeconds?: number;
    },
  ): Promise<T>;
  /** Moves cluster time forward, running everything due on the way. */
  advance(duration: Duration): Promise<void>;
  /** Runs time until every controller queue is empty and the log hears only heartbeats for `quietMs`. */
  settle(options?: SettleOptions): Promise<void>;
  /** Runs time until `predicate` holds; on timeout, a `TimeoutError` whose message shows the cluster. */
  waitFor(predicate: (cluster: TestCluster) => boolean | Promise<boolean>, options?: WaitForOptions): Promise<void>;
  /** Adds and starts a node. */
  addNode(spec?: NodeSpec): Promise<string>;
  /** Stops a node's agent and deletes its Node (its pods are left to the controllers, as in Kubernetes). */
  removeNode(name: string): Promise<void>;
  /**
   * Containers' logs as `GET …/pods/{name}/log` serves them (what the API
   * server streams for `kubectl logs`): read from the pod's node's mock
   * runtime, with `tailLines`, `sinceSeconds`, `limitBytes`, `timestamps`,
   * `previous` and `follow` as the kubelet does them.
   */
  readonly podLogs: PodLogSource;
  /** A container's log so far, as one text: `kubectl logs pod [-c container] [-p]`. */
  logs(pod: string, options?: { namespace?: string; container?: string; previous?: boolean }): Promise<string>;
  /** Text showing nodes, pods, workloads and recent events, as `waitFor` prints on failure. */
  dump(): Promise<string>;
  readonly faults: ClusterFaults;
  /**
   * Puts a load on a Service: `profile` requests per second (a number, or a
   * function of the time since now such as `stepLoad`, `rampLoad`,
   * `dailyLoad`), spread evenly over its ready endpoints, each pod's share
   * costing `costPerRequestMillicores` per request/s on its container's CPU
   * as its node's runtime reports it. Followed every second as endpoints come
   * and go.
   *
   * @throws InvalidError naming the field for a bad rate, cost or an unknown Service; nothing changes then.
   */
  load(service: string, profile: LoadProfile | number, options: ServiceLoadOptions): Promise<ServiceLoad>;
  /** The mock CSI driver behind the `standard` class: its `disks()`, and `failNext` to inject failures. */
  readonly provisioner: MockProvisioner;
  /** Stops every component and closes the store (and the log, when the cluster made it). */
  close(): Promise<void>;
}
