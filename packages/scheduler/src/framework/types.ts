/**
 * The scheduling framework's plugin contract: one object per plugin with a
 * method for each extension point it implements, in Kubernetes' order
 * (PreEnqueue, QueueSort, PreFilter, Filter, PostFilter, PreScore, Score,
 * NormalizeScore, Reserve/Unreserve, Permit, PreBind, Bind, PostBind).
 */
import type { Pod } from '@keelson/api';
import type { Clock, Random } from '@keelson/clock';
import type { EventRecorder } from '@keelson/controller';
import type { Store } from '@keelson/core';
import type { CycleState } from './cycleState';
import type { NodeInfo } from './nodeInfo';
import type { PodInfo } from './podInfo';
import type { PluginResult, Status } from './status';

/** Scores run from 0 to this, before weighting. */
export const MAX_NODE_SCORE = 100;

/** A pod waiting in the scheduling queue. */
export interface QueuedPodInfo {
  readonly podInfo: PodInfo;
  /** When the pod was (last) added to the queue, by the scheduler's clock. */
  timestamp: number;
  /** When the pod was first queued. */
  readonly initialAttemptTimestamp: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** The plugins that rejected it last time (they decide which events may help). */
  unschedulablePlugins: Set<string>;
}

/** PreFilter may narrow the nodes worth filtering (e.g. `spec.nodeName`, node affinity on `metadata.name`). */
export interface PreFilterResult {
  readonly nodeNames: ReadonlySet<string>;
}

/** PostFilter's answer: usually preemption's nominated node. */
export interface PostFilterResult {
  readonly status: PluginResult;
  readonly nominatedNodeName?: string;
}

/** Permit's answer: allow (undefined / Success), reject, or `Wait` up to `timeoutMs`. */
export interface PermitResult {
  readonly status: PluginResult;
  readonly timeoutMs?: number;
}

/** Cluster changes that may make a rejected pod schedulable (queueing hints). */
export type ClusterEventKind =
  | 'NodeAdd'
  | 'NodeUpdate'
  | 'NodeDelete'
  | 'PodAdd'
  | 'PodUpdate'
  | 'PodDelete'
  | 'AssignedPodAdd'
  | 'AssignedPodUpdate'
  | 'AssignedPodDelete'
  | 'PersistentVolumeClaimAdd'
  | 'PersistentVolumeClaimUpdate'
  | 'PersistentVolumeAdd'
  | 'PersistentVolumeUpdate'
  | 'StorageClassAdd'
  | 'StorageClassUpdate';

/** What the plugins read of the cluster: the snapshot taken at the start of the cycle. */
export interface ClusterView {
  /** Every node, in a stable order. */
  readonly nodes: readonly NodeInfo[];
  get(nodeName: string): NodeInfo | undefined;
  /** Nodes that carry at least one pod with pod affinity or anti-affinity. */
  nodesWithAffinityPods(): readonly NodeInfo[];
  /** Nodes that carry at least one pod with required pod anti-affinity. */
  nodesWithRequiredAntiAffinityPods(): readonly NodeInfo[];
  /** On how many nodes an image (normalised name) is present. */
  imageNodeCount(image: string): number;
}

/** What a plugin factory is given. */
export interface PluginHandle {
  readonly cluster: ClusterView;
  readonly clock: Clock;
  readonly random: Random;
  /** The store, when the plugin runs inside `createScheduler` (absent for `schedulePod`). */
  readonly store?: Store;
  /** Records Events (inside `createScheduler`). */
  readonly recorder?: EventRecorder;
  /** Marks `pod` nominated to `nodeName` (preemption), so lower-priority pods leave room for it. */
  nominate?(pod: PodInfo, nodeName: string): void;
  /**
   * Runs every Filter plugin of the profile on a what-if node (preemption's
   * simulation), with the PreFilter state of the cycle.
   */
  runFilters(state: CycleState, pod: PodInfo, node: NodeInfo): PluginResult;
  /** Runs every PreFilter extension's `addPod` / `removePod` on a what-if node. */
  runRemovePod(state: CycleState, pod: PodInfo, removed: PodInfo, node: NodeInfo): PluginResult;
  runAddPod(state: CycleState, pod: PodInfo, added: PodInfo, node: NodeInfo): PluginResult;
}

/** A plugin implements the extension points it needs. */
export interface Plugin {
  readonly name: string;
  /** Gate a pod before it enters the active queue. */
  preEnqueue?(pod: Pod): PluginResult;
  /** QueueSort: whether `a` is scheduled before `b`. Exactly one per profile. */
  less?(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
  /** Once per cycle, before filtering: compute state, or reject the pod outright, or narrow the nodes. */
  preFilter?(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): PluginResult | PreFilterResult;
  /** PreFilter extensions: keep the cycle's state right when a pod is added to / removed from a node. */
  addPod?(state: CycleState, pod: PodInfo, added: PodInfo, node: NodeInfo): PluginResult;
  removePod?(state: CycleState, pod: PodInfo, removed: PodInfo, node: NodeInfo): PluginResult;
  /** Whether the pod can run on `node`. Called for many nodes per pod: allocate nothing on success. */
  filter?(state: CycleState, pod: PodInfo, node: NodeInfo): PluginResult;
  /** When no node fits: e.g. preemption. `statuses` holds each rejected node's status. */
  postFilter?(
    state: CycleState,
    pod: PodInfo,
    statuses: ReadonlyMap<string, Status>,
  ): PostFilterResult | Promise<PostFilterResult>;
  /** Once per cycle, before scoring the feasible nodes. */
  preScore?(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): PluginResult;
  /** A raw score for `node` (normalised afterwards into 0–100 when the plugin normalises). */
  score?(state: CycleState, pod: PodInfo, node: NodeInfo): number;
  /** Rewrites `scores` (parallel to `nodes`) in place into 0–100. */
  normalizeScore?(state: CycleState, pod: PodInfo, scores: number[], nodes: readonly NodeInfo[]): void;
  /** The pod is assumed on `nodeName`; claim what the plugin tracks. */
  reserve?(state: CycleState, pod: PodInfo, nodeName: string): PluginResult;
  /** Undo `reserve` (the cycle failed later on). Must be idempotent. */
  unreserve?(state: CycleState, pod: PodInfo, nodeName: string): void;
  permit?(state: CycleState, pod: PodInfo, nodeName: string): PermitResult | undefined;
  preBind?(state: CycleState, pod: PodInfo, nodeName: string): Promise<PluginResult> | PluginResult;
  /** Binds the pod; `Skip` hands it to the next binder. */
  bind?(state: CycleState, pod: PodInfo, nodeName: string): Promise<PluginResult> | PluginResult;
  postBind?(state: CycleState, pod: PodInfo, nodeName: string): void;
  /** Which cluster events may make a pod this plugin rejected schedulable again. */
  readonly events?: readonly ClusterEventKind[];
}

/** Builds a plugin from its configured args. */
export type PluginFactory = (args: unknown, handle: PluginHandle) => Plugin;

/** The extension points a profile configures. */
export type ExtensionPoint =
  | 'preEnqueue'
  | 'queueSort'
  | 'preFilter'
  | 'filter'
  | 'postFilter'
  | 'preScore'
  | 'score'
  | 'reserve'
  | 'permit'
  | 'preBind'
  | 'bind'
  | 'postBind';

/** A plugin named in a profile; `weight` only matters for `score` / `multiPoint`. */
export interface PluginRef {
  name: string;
  weight?: number;
}

/** Plugins enabled and disabled at one extension point; `{ name: '*' }` disables every default. */
export interface PluginSet {
  enabled?: PluginRef[];
  disabled?: Array<{ name: string }>;
}

/**
 * A scheduling profile, in the shape of kube-scheduler's
 * `KubeSchedulerProfile`: pods choose it by `spec.schedulerName`.
 */
export interface SchedulerProfile {
  /** Default `default-scheduler`. */
  schedulerName?: string;
  /** Changes to the default plugins, per extension point (`multiPoint`: every point the plugin implements). */
  plugins?: Partial<Record<ExtensionPoint | 'multiPoint', PluginSet>>;
  /** Per-plugin args, e.g. `{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated' } } }`. */
  pluginConfig?: Array<{ name: string; args: unknown }>;
  /** Percentage of nodes to find feasible before scoring; 0 or absent = Kubernetes' adaptive formula. */
  percentageOfNodesToScore?: number;
}
