/**
 * The taint eviction shell: one timer per pod on a NoExecute-tainted node that
 * tolerates the taint for a while, and an immediate delete for one that does
 * not tolerate it. Decisions come from {@link evictionTime}; this file only
 * keeps the timers in line with the informers. Internal to the controller.
 */
import { type Node, Pod } from '@keelson/api';
import type { Clock, TimerHandle } from '@keelson/clock';
import { cacheKey, type Informer, type Recorder } from '@keelson/controller';
import { ConflictError, errorFields, isKeelsonError, type Logger, type Store } from '@keelson/core';
import { markDisruptionTarget } from './conditions';
import { formatTime } from './time';
import { evictionTime } from './tolerations';

interface ScheduledEviction {
  readonly due: number;
  readonly uid: string;
  readonly nodeName: string;
  readonly timer: TimerHandle;
}

/** What the evictor needs from the controller. */
export interface PodEvictorDeps {
  store: Store;
  clock: Clock;
  pods: Informer<Pod>;
  nodes: Informer<Node>;
  recorder: Recorder | undefined;
  logger: Logger;
}

/** Deletes pods from NoExecute-tainted nodes when their tolerations run out. */
export class PodEvictor {
  private readonly scheduled = new Map<string, ScheduledEviction>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: PodEvictorDeps) {}

  /** Pending evictions (one timer each). */
  get pending(): number {
    return this.scheduled.size;
  }

  /** Re-judges every pod bound to `node` (its NoExecute taints changed). */
  nodeChanged(node: Node): void {
    for (const pod of this.deps.pods.byIndex('byNode', node.metadata.name)) this.podChanged(pod);
  }

  /** Re-judges one pod (it was added, bound, or its tolerations changed). */
  podChanged(pod: Pod): void {
    const key = cacheKey(pod);
    const nodeName = pod.spec.nodeName;
    if (!nodeName || pod.metadata.deletionTimestamp !== undefined) {
      this.cancel(key, false); // already leaving: nothing to do
      return;
    }
    const node = this.deps.nodes.get(nodeName);
    if (node === undefined) return;
    const now = this.deps.clock.now();
    const noExecute = (node.spec.taints ?? []).filter((taint) => taint.effect === 'NoExecute');
    const due = noExecute.length === 0 ? undefined : evictionTime(noExecute, pod.spec.tolerations ?? [], now);
    if (due === undefined) {
      this.cancel(key, true);
      return;
    }
    const existing = this.scheduled.get(key);
    // Never postpone an eviction already due sooner for the same pod, as Kubernetes keeps the first start time.
    const same = existing !== undefined && existing.uid === pod.metadata.uid && existing.nodeName === nodeName;
    if (same && existing.due <= due) return;
    this.cancel(key, false);
    if (due <= now) {
      this.evict(pod);
      return;
    }
    const timer = this.deps.clock.setTimeout(() => this.fire(key), due - now);
    this.scheduled.set(key, { due, uid: pod.metadata.uid, nodeName, timer });
  }

  /** The pod is gone: forget its eviction quietly. */
  podDeleted(pod: Pod): void {
    this.cancel(cacheKey(pod), false);
  }

  /** Cancels every timer and waits for deletions already under way. */
  async stop(): Promise<void> {
    for (const { timer } of this.scheduled.values()) this.deps.clock.clearTimeout(timer);
    this.scheduled.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private cancel(key: string, announce: boolean): void {
    const existing = this.scheduled.get(key);
    if (existing === undefined) return;
    this.deps.clock.clearTimeout(existing.timer);
    this.scheduled.delete(key);
    if (!announce) return;
    const pod = this.deps.pods.get(...nameAndNamespace(key));
    if (pod !== undefined) this.record(pod, `Cancelling deletion of Pod ${key}`);
  }

  private fire(key: string): void {
    const scheduled = this.scheduled.get(key);
    this.scheduled.delete(key);
    const pod = this.deps.pods.get(...nameAndNamespace(key));
    if (scheduled === undefined || pod === undefined) return;
    if (pod.metadata.uid !== scheduled.uid || pod.spec.nodeName !== scheduled.nodeName) return;
    if (pod.metadata.deletionTimestamp !== undefined) return;
    this.evict(pod);
  }

  private evict(pod: Pod): void {
    const work = this.deletePod(pod).finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  private async deletePod(pod: Pod): Promise<void> {
    const { name, namespace, uid } = pod.metadata;
    this.record(pod, `Marking for deletion Pod ${cacheKey(pod)}`);
    try {
      const now = formatTime(this.deps.clock.now());
      await this.deps.store.patch(
        Pod,
        name,
        (draft) => {
          if (draft.metadata.uid !== uid) throw new ConflictError(`pod ${cacheKey(pod)} was replaced`);
          const conditions = markDisruptionTarget(draft.status?.conditions, now);
          if (conditions === undefined) return;
          if (draft.status === undefined) draft.status = { conditions };
          else draft.status.conditions = conditions;
        },
        { namespace, subresource: 'status' },
      );
      // The pod's own grace period applies; finishing the deletion is the node agent's business.
      await this.deps.store.delete(Pod, name, { namespace, preconditions: { uid } });
    } catch (error) {
      if (isKeelsonError(error, 'NotFound') || isKeelsonError(error, 'Conflict')) return; // gone or replaced
      this.deps.logger.error({ object: cacheKey(pod), ...errorFields(error) }, 'could not evict pod');
    }
  }

  private record(pod: Pod, message: string): void {
    this.deps.logger.info({ kind: 'Pod', object: cacheKey(pod), reason: 'TaintManagerEviction' }, message);
    const recorder = this.deps.recorder;
    if (recorder === undefined) return;
    recorder.event(pod, 'Normal', 'TaintManagerEviction', message).catch((error: unknown) => {
      this.deps.logger.error(
        { object: cacheKey(pod), reason: 'TaintManagerEviction', ...errorFields(error) },
        'could not record event',
      );
    });
  }
}

function nameAndNamespace(key: string): [string, string] {
  const slash = key.indexOf('/');
  return [key.slice(slash + 1), key.slice(0, slash)];
}
