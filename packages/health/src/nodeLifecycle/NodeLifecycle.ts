/**
 * The node lifecycle controller's implementation: the shell around the pure
 * policies of this folder. Informers keep Nodes, heartbeat Leases and Pods
 * (indexed by node) in memory; one background timer checks every node each monitor period; one
 * timer per pending eviction lives in the {@link PodEvictor}. Writes to one
 * node are serialised, so a check and a reaction to an event never race.
 */
import { Lease, Node, Pod } from '@keelson/api';
import type { Clock, TimerHandle } from '@keelson/clock';
import { cacheKey, createInformer, type Informer } from '@keelson/controller';
import { errorFields, isKeelsonError, type KubeObject, type Logger, type Store } from '@keelson/core';
import { markNodeStatusUnknown, markPodNotReady } from './conditions';
import { gracePeriodFor, type HeartbeatRecord, heartbeatExpired, lastHeartbeat, observeHeartbeat } from './heartbeat';
import type { NodeLifecycleController } from './nodeLifecycleController';
import type { NodeLifecycleSettings } from './options';
import { PodEvictor } from './podEvictor';
import { type ReconcileTaintsOptions, reconcileNodeTaints } from './taints';
import { formatTime } from './time';

function readyStatus(node: Node | undefined): string | undefined {
  return node?.status?.conditions?.find((condition) => condition.type === 'Ready')?.status;
}

/** The controller behind `createNodeLifecycleController` (not exported from the package). */
export class NodeLifecycle implements NodeLifecycleController {
  private readonly nodes: Informer<Node>;
  private readonly leases: Informer<Lease>;
  private readonly pods: Informer<Pod>;
  private readonly evictor: PodEvictor;
  private readonly health = new Map<string, HeartbeatRecord>();
  /** Nodes whose pods still have to be marked not ready (a write failed). */
  private readonly podsToMark = new Set<string>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private timer: TimerHandle | undefined;
  private pass: Promise<void> | undefined;
  private running = false;

  constructor(
    private readonly store: Store,
    private readonly settings: NodeLifecycleSettings,
  ) {
    this.clock = settings.clock;
    this.logger = settings.logger;
    this.nodes = createInformer(store, Node);
    this.leases = createInformer(store, Lease, { namespace: settings.leaseNamespace });
    this.pods = createInformer(store, Pod, {
      indexers: { byNode: (pod) => (pod.spec.nodeName ? [pod.spec.nodeName] : []) },
    });
    this.evictor = new PodEvictor({
      store,
      clock: this.clock,
      pods: this.pods,
      nodes: this.nodes,
      recorder: settings.recorder,
      logger: this.logger,
    });
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.nodes.on('add', this.onNodeAdd).on('update', this.onNodeUpdate).on('delete', this.onNodeDelete);
    this.leases.on('add', this.onLease).on('update', this.onLeaseUpdate);
    this.pods.on('add', this.onPodAdd).on('update', this.onPodUpdate).on('delete', this.onPodDelete);
    const informers = [this.nodes, this.leases, this.pods] as const;
    for (const informer of informers) informer.start();
    await Promise.all(informers.map((informer) => informer.waitForSync()));
    if (!this.running) return;
    this.pass = this.monitor();
    await this.pass;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.nodes.off('add', this.onNodeAdd).off('update', this.onNodeUpdate).off('delete', this.onNodeDelete);
    this.leases.off('add', this.onLease).off('update', this.onLeaseUpdate);
    this.pods.off('add', this.onPodAdd).off('update', this.onPodUpdate).off('delete', this.onPodDelete);
    for (const informer of [this.nodes, this.leases, this.pods]) informer.stop();
    await this.pass;
    await Promise.allSettled([...this.queues.values()]);
    await this.evictor.stop();
  }

  // Events: heartbeats are observed the moment they arrive, so grace periods run from then.

  private readonly onNodeAdd = (node: Node): void => {
    const name = node.metadata.name;
    this.observe(name);
    this.record(node, 'Normal', 'RegisteredNode', `Registered Node ${name} in Controller`);
    void this.enqueue(name, () => this.syncTaints(name, { noExecute: false }));
    this.evictor.nodeChanged(node);
  };

  private readonly onNodeUpdate = (old: Node, node: Node): void => {
    const name = node.metadata.name;
    this.observe(name);
    // NoSchedule taints follow conditions at once (TaintNodesByCondition); NoExecute ones wait for the check.
    void this.enqueue(name, () => this.syncTaints(name, { noExecute: false }));
    if (noExecuteTaints(old) !== noExecuteTaints(node)) this.evictor.nodeChanged(node);
  };

  private readonly onNodeDelete = (node: Node): void => {
    const name = node.metadata.name;
    this.health.delete(name);
    this.podsToMark.delete(name);
    this.record(node, 'Normal', 'RemovingNode', `Removing Node ${name} from Controller`);
  };

  private readonly onLease = (lease: Lease): void => this.observe(lease.metadata.name);

  private readonly onLeaseUpdate = (_old: Lease, lease: Lease): void => this.observe(lease.metadata.name);

  private readonly onPodAdd = (pod: Pod): void => {
    this.evictor.podChanged(pod);
    this.podBound(pod);
  };

  private readonly onPodUpdate = (old: Pod, pod: Pod): void => {
    const rebound = old.spec.nodeName !== pod.spec.nodeName;
    // Unchanged subtrees are shared by reference between versions, so this compares cheaply.
    if (
      rebound ||
      old.spec.tolerations !== pod.spec.tolerations ||
      old.metadata.deletionTimestamp !== pod.metadata.deletionTimestamp
    ) {
      this.evictor.podChanged(pod);
    }
    if (rebound) this.podBound(pod);
  };

  private readonly onPodDelete = (pod: Pod): void => this.evictor.podDeleted(pod);

  private observe(name: string): void {
    const node = this.nodes.get(name);
    if (node === undefined) return;
    const lease = this.leases.get(name, this.settings.leaseNamespace);
    this.health.set(name, observeHeartbeat(this.health.get(name), lastHeartbeat(node, lease), this.clock.now()));
  }

  /** A pod newly bound to a node that is already not ready is marked not ready too (upstream `processPod`). */
  private podBound(pod: Pod): void {
    const nodeName = pod.spec.nodeName;
    if (!nodeName || !this.health.has(nodeName)) return;
    const ready = readyStatus(this.nodes.get(nodeName));
    if (ready === undefined || ready === 'True') return;
    void this.enqueue(nodeName, async () => {
      const current = this.pods.get(pod.metadata.name, pod.metadata.namespace);
      if (current !== undefined && !(await this.markPodsNotReady(nodeName, [current]))) this.podsToMark.add(nodeName);
    });
  }

  // The periodic check.

  private schedule(startedAt: number): void {
    if (!this.running) return;
    const delay = Math.max(0, startedAt + this.settings.monitorPeriodMs - this.clock.now());
    const tick = () => {
      this.timer = undefined;
      this.pass = this.monitor();
    };
    // Background: a periodic check must not keep VirtualClock.runUntilIdle() from returning.
    this.timer = this.clock.setTimeout(tick, delay, { background: true });
  }

  private async monitor(): Promise<void> {
    const startedAt = this.clock.now();
    try {
      const names = this.nodes.list().map((node) => node.metadata.name);
      await Promise.all(names.map((name) => this.enqueue(name, () => this.monitorNode(name))));
    } finally {
      this.schedule(startedAt);
    }
  }

  private async monitorNode(name: string): Promise<void> {
    const node = this.nodes.get(name);
    if (node === undefined) return;
    this.observe(name);
    const record = this.health.get(name) as HeartbeatRecord;
    const now = this.clock.now();
    const observed = readyStatus(node);
    const current = heartbeatExpired(record, gracePeriodFor(node, this.settings), now)
      ? await this.markUnknown(node, record, formatTime(now))
      : node;
    const ready = readyStatus(current);
    if (observed === 'True' && ready !== 'True') {
      this.record(current, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      this.podsToMark.add(name);
    }
    if (ready === 'True') this.podsToMark.delete(name);
    else if (this.podsToMark.has(name) && (await this.markPodsNotReady(name, this.pods.byIndex('byNode', name)))) {
      this.podsToMark.delete(name);
    }
    await this.syncTaints(name, { noExecute: true }, current);
  }

  /** Writes `Unknown` conditions, unless a heartbeat arrived meanwhile; returns the node as it now is. */
  private async markUnknown(node: Node, record: HeartbeatRecord, now: string): Promise<Node> {
    if (markNodeStatusUnknown(node.status?.conditions, now) === undefined) return node;
    const name = node.metadata.name;
    try {
      return await this.store.patch(
        Node,
        name,
        (draft) => {
          const lease = this.leases.get(name, this.settings.leaseNamespace);
          const spoke = this.health.get(name) !== record || lastHeartbeat(draft, lease) !== record.heartbeat;
          if (spoke) return; // it spoke after all (a retried patch sees it): judge again at the next check
          const conditions = markNodeStatusUnknown(draft.status?.conditions, now);
          if (conditions === undefined) return;
          if (draft.status === undefined) draft.status = { conditions };
          else draft.status.conditions = conditions;
        },
        { subresource: 'status' },
      );
    } catch (error) {
      this.failed('could not mark node status unknown', name, error);
      return node;
    }
  }

  /** Turns the pods' `Ready` condition `False`; false when a write failed (retried on the next check). */
  private async markPodsNotReady(nodeName: string, pods: readonly Pod[]): Promise<boolean> {
    const now = formatTime(this.clock.now());
    let done = true;
    for (const pod of pods) {
      if (pod.spec.nodeName !== nodeName || markPodNotReady(pod.status?.conditions, now) === undefined) continue;
      try {
        await this.store.patch(
          Pod,
          pod.metadata.name,
          (draft) => {
            const conditions = markPodNotReady(draft.status?.conditions, now);
            if (conditions !== undefined && draft.status !== undefined) draft.status.conditions = conditions;
          },
          { namespace: pod.metadata.namespace, subresource: 'status' },
        );
        this.record(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (error) {
        if (isKeelsonError(error, 'NotFound')) continue;
        done = false;
        this.failed('could not mark pod not ready', `${pod.metadata.namespace}/${pod.metadata.name}`, error);
      }
    }
    return done;
  }

  /** Brings the controller-owned taints in line with the node's conditions (the cached node unless given). */
  private async syncTaints(name: string, options: ReconcileTaintsOptions, node = this.nodes.get(name)): Promise<void> {
    if (node === undefined) return;
    const now = formatTime(this.clock.now());
    if (reconcileNodeTaints(node, now, options) === undefined) return;
    try {
      await this.store.patch(Node, name, (draft) => {
        const taints = reconcileNodeTaints(draft, now, options);
        if (taints !== undefined) draft.spec.taints = taints;
      });
    } catch (error) {
      this.failed('could not update taints of node', name, error);
    }
  }

  // Plumbing.

  /** Runs `task` after every earlier task for the same node; never rejects. */
  private enqueue(name: string, task: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(name) ?? Promise.resolve();
    const next = previous
      .then(() => (this.running ? task() : undefined))
      .catch((error: unknown) => this.failed('node lifecycle task failed', name, error));
    this.queues.set(name, next);
    void next.then(() => {
      if (this.queues.get(name) === next) this.queues.delete(name);
    });
    return next;
  }

  private failed(what: string, object: string, error: unknown): void {
    if (isKeelsonError(error, 'NotFound')) return; // deleted meanwhile: nothing left to do
    this.logger.error({ object, ...errorFields(error) }, what);
  }

  private record(object: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.logger.info({ kind: object.kind, object: cacheKey(object), reason }, message);
    const recorder = this.settings.recorder;
    if (recorder === undefined) return;
    recorder.event(object, type, reason, message).catch((error: unknown) => {
      this.logger.error({ reason, ...errorFields(error) }, 'could not record event');
    });
  }
}

function noExecuteTaints(node: Node): string {
  return JSON.stringify((node.spec.taints ?? []).filter((taint) => taint.effect === 'NoExecute'));
}
