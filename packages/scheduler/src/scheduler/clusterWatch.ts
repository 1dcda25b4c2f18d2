/**
 * The scheduler's view of pods and nodes, fed by informers: bound pods and
 * nodes go into the cache (confirming assumed pods), pending pods of the
 * scheduler's profiles into the queue, preemption nominations into the
 * nominator; cluster events move unschedulable pods they may help.
 */
import { Node, Pod } from '@keelson/api';
import { createInformer, type Informer } from '@keelson/controller';
import type { Store } from '@keelson/core';
import { podInfoOf } from '../framework/podInfo';
import type { ClusterEventKind } from '../framework/types';
import type { SchedulingQueue } from '../queue/schedulingQueue';
import type { SchedulerCache } from './cache';
import type { Nominator } from './nominator';

export function isAssigned(pod: Pod): boolean {
  return Boolean(pod.spec.nodeName);
}

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** Whether what scheduling reads changed (a status-only write leaves an unschedulable pod waiting). */
function schedulingInputsChanged(old: Pod, next: Pod): boolean {
  return (
    old.spec !== next.spec ||
    old.metadata.labels !== next.metadata.labels ||
    old.metadata.annotations !== next.metadata.annotations
  );
}

export interface ClusterWatchTargets {
  cache: SchedulerCache;
  queue: SchedulingQueue;
  nominator: Nominator;
  /** Whether a pending pod is this scheduler's (its `schedulerName` names a profile). */
  responsibleFor: (pod: Pod) => boolean;
  /** Called after every pod event has reached the queue (the pending-pods gauge is refreshed here). */
  onPodEvent?: () => void;
}

export class ClusterWatch {
  readonly #pods: Informer<Pod>;
  readonly #nodes: Informer<Node>;

  constructor(
    store: Store,
    private readonly targets: ClusterWatchTargets,
  ) {
    this.#pods = createInformer(store, Pod);
    this.#nodes = createInformer(store, Node);
    const { cache, queue, nominator } = targets;
    const event = (kind: ClusterEventKind) => queue.moveOnEvent(kind);
    this.#nodes.on('add', (node) => {
      cache.setNode(node);
      event('NodeAdd');
    });
    this.#nodes.on('update', (_old, node) => {
      cache.setNode(node);
      event('NodeUpdate');
    });
    this.#nodes.on('delete', (node) => {
      cache.removeNode(node.metadata.name);
      event('NodeDelete');
    });
    this.#pods.on('add', (pod) => {
      this.#podChanged(undefined, pod);
      targets.onPodEvent?.();
    });
    this.#pods.on('update', (old, pod) => {
      this.#podChanged(old, pod);
      targets.onPodEvent?.();
    });
    this.#pods.on('delete', (pod) => {
      targets.onPodEvent?.();
      const info = podInfoOf(pod);
      queue.delete(info.key);
      nominator.delete(info.key);
      if (cache.nodeOf(info.key) !== undefined) {
        cache.removePod(info.key);
        event('AssignedPodDelete');
      }
    });
  }

  /** Nodes first, so pods already bound find their nodes; resolves once both are synced. */
  async start(): Promise<void> {
    this.#nodes.start();
    await this.#nodes.waitForSync();
    this.#pods.start();
    await this.#pods.waitForSync();
  }

  stop(): void {
    this.#pods.stop();
    this.#nodes.stop();
  }

  /** The pod as the informer last saw it. */
  pod(name: string, namespace: string | undefined): Pod | undefined {
    return this.#pods.get(name, namespace);
  }

  #podChanged(old: Pod | undefined, pod: Pod): void {
    const { cache, queue, nominator, responsibleFor } = this.targets;
    const info = podInfoOf(pod);
    if (isAssigned(pod)) {
      if (old === undefined || !isAssigned(old)) {
        queue.delete(info.key);
        nominator.delete(info.key);
      }
      if (isTerminal(pod)) {
        if (cache.nodeOf(info.key) !== undefined) {
          cache.removePod(info.key);
          queue.moveOnEvent('AssignedPodDelete');
        }
        return;
      }
      const wasCounted = cache.nodeOf(info.key) !== undefined && !cache.isAssumed(info.key);
      cache.addPod(info, pod.spec.nodeName as string);
      queue.moveOnEvent(wasCounted ? 'AssignedPodUpdate' : 'AssignedPodAdd');
      return;
    }
    if (!responsibleFor(pod) || isTerminal(pod)) return;
    if (pod.metadata.deletionTimestamp !== undefined) {
      queue.delete(info.key);
      nominator.delete(info.key);
      return;
    }
    nominator.set(info, pod.status?.nominatedNodeName);
    if (old === undefined) queue.add(info);
    else queue.update(info, schedulingInputsChanged(old, pod));
  }
}
