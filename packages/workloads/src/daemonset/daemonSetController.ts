/**
 * The DaemonSet controller (daemon_controller.go and update.go): one pod on
 * every node that should run it. Each sync claims the pods the selector
 * picks, then — once its own earlier creates and deletes are visible —
 * creates pods for nodes without one, deletes pods on nodes that stopped
 * qualifying or are gone, extras and finished pods, takes one RollingUpdate
 * step, and writes the status. Pods are placed by the scheduler through a
 * required node affinity on `metadata.name`, as Kubernetes does since 1.12.
 */
import { DaemonSet, Node, type Node as NodeObject, Pod } from '@keelson/api';
import {
  type Cache,
  type Controller,
  defineController,
  type ReconcileContext,
  type Request,
  type Result,
  watchSource,
} from '@keelson/controller';
import { InvalidError, isKeelsonError, labelSelectorFromStructured } from '@keelson/core';
import {
  claimCandidates,
  claimObjects,
  Expectations,
  observedPods,
  ownersSelecting,
  requestFor,
} from '../shared/index';
import {
  DAEMONSET_BURST_REPLICAS,
  FAILED_DAEMON_POD_REASON,
  FAILED_POD_BACKOFF_INITIAL_MS,
  FAILED_POD_BACKOFF_MAX_MS,
  SELECTING_ALL_REASON,
} from './constants';
import { daemonSetHash } from './daemonPods';
import { storeStatus, syncNodes } from './daemonSetWrites';
import { FailedPodBackoff } from './failedPodBackoff';
import { daemonPodsByNode, planManage } from './managePlan';
import { planRollingUpdate } from './rollingPlan';
import { daemonSetCounts } from './status';

/** Options for {@link daemonSetController}. */
export interface DaemonSetControllerOptions {
  /** The most pods one sync creates, and the most it deletes (Kubernetes: 250). */
  burstReplicas?: number;
  /** The first delay before failed daemon pods on a node are replaced again (Kubernetes: 1 s, doubling). */
  failedPodBackoffMs?: number;
  /** The longest such delay (Kubernetes: 15 min). */
  maxFailedPodBackoffMs?: number;
}

/** A node event may change where every DaemonSet should run. */
function allDaemonSets(_node: NodeObject, cache: Cache): Request[] {
  return cache.list(DaemonSet).map(requestFor);
}

function conditionStates(node: NodeObject): string {
  return (node.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`).join(',');
}

/** Heartbeats and resource reports do not move daemon pods (`shouldIgnoreNodeUpdate`); labels, spec and condition states do. */
const nodePlacementChanged = {
  update: (old: NodeObject, next: NodeObject) =>
    JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(next.metadata.labels ?? {}) ||
    JSON.stringify(old.spec) !== JSON.stringify(next.spec) ||
    conditionStates(old) !== conditionStates(next),
};

function checkCount(name: string, value: number | undefined, fallback: number, min: number): number {
  const result = value ?? fallback;
  if (!Number.isSafeInteger(result) || result < min) {
    throw new InvalidError(
      `daemonSetController: options.${name} must be an integer >= ${min} (Kubernetes uses ${fallback}), got ${String(value)}`,
    );
  }
  return result;
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : Math.min(a, b);
}

interface SyncState {
  expectations: Expectations;
  backoff: FailedPodBackoff;
  burst: number;
}

/** `syncDaemonSet`: one level-triggered pass over one DaemonSet. */
async function syncDaemonSet(ds: DaemonSet, context: ReconcileContext, state: SyncState): Promise<Result | undefined> {
  const { client, cache, clock } = context;
  const key = `${ds.metadata.namespace ?? ''}/${ds.metadata.name}`;
  const selector = labelSelectorFromStructured(ds.spec.selector);
  if (selector.empty) {
    // The schema refuses such a DaemonSet; one that got in anyway must not adopt the whole namespace.
    await context.recorder?.event(
      ds,
      'Warning',
      SELECTING_ALL_REASON,
      'This daemon set is selecting all pods. A non-empty selector is required.',
    );
    return undefined;
  }
  if (ds.metadata.deletionTimestamp !== undefined) return undefined;
  const nodes = cache.list(Node);
  const candidates = claimCandidates(cache, Pod, ds.metadata.namespace, ds.metadata.uid);
  const pods = await claimObjects({
    client,
    owner: ds,
    type: Pod,
    selector,
    candidates,
    canAdopt: async () => {
      try {
        const fresh = await client.get(DaemonSet, ds.metadata.name, { namespace: ds.metadata.namespace });
        return fresh.metadata.uid === ds.metadata.uid && fresh.metadata.deletionTimestamp === undefined;
      } catch (error) {
        if (isKeelsonError(error, 'NotFound')) return false;
        throw error;
      }
    },
  });
  const hash = daemonSetHash(ds);
  const observed = observedPods(cache, ds.metadata.namespace);
  const status = async (updateObservedGeneration: boolean): Promise<number | undefined> => {
    const counts = daemonSetCounts(ds, nodes, daemonPodsByNode(pods, true), hash, clock.now());
    await storeStatus(context, ds, counts, updateObservedGeneration);
    // Pods turn available minReadySeconds after turning ready: look again then.
    return ds.spec.minReadySeconds > 0 && counts.numberReady !== counts.numberAvailable
      ? ds.spec.minReadySeconds * 1000
      : undefined;
  };
  if (!state.expectations.satisfied(key, observed)) {
    // Only the status: observedGeneration stays, this sync did not act on the generation.
    const after = await status(false);
    return after === undefined ? undefined : { requeueAfter: after };
  }
  const now = clock.now();
  const byNode = daemonPodsByNode(pods, false);
  const manage = planManage(ds, nodes, byNode, hash, state.backoff, now);
  for (const pod of manage.failedPods) {
    await context.recorder?.event(
      ds,
      'Warning',
      FAILED_DAEMON_POD_REASON,
      `Found failed daemon pod ${ds.metadata.namespace ?? ''}/${pod.metadata.name} on node ${pod.spec.nodeName ?? ''}, will try to kill it`,
    );
  }
  let failure: unknown;
  try {
    await syncNodes(
      context,
      ds,
      key,
      state.expectations,
      { podsToDelete: manage.podsToDelete, nodesToCreate: manage.nodesNeedingPods },
      hash,
      state.burst,
    );
    if (
      ds.spec.updateStrategy.type === 'RollingUpdate' &&
      manage.nodesNeedingPods.length === 0 &&
      manage.podsToDelete.length === 0
    ) {
      // Kubernetes rolls only once manage has nothing in flight (its expectations are satisfied).
      const rolling = planRollingUpdate(ds, nodes, byNode, hash, now);
      await syncNodes(context, ds, key, state.expectations, rolling, hash, state.burst);
    }
  } catch (error) {
    failure = error;
  }
  const after = await status(true);
  if (failure !== undefined) throw failure;
  const requeueAfter = earliest(manage.retryAfter, after);
  return requeueAfter === undefined ? undefined : { requeueAfter };
}

/**
 * The DaemonSet controller, for a manager (name `daemonset`): owns Pods,
 * watches Nodes (labels, taints and condition changes move daemon pods) and
 * orphaned Pods (for adoption). Daemon pods carry the
 * `controller-revision-hash` and `pod-template-generation` labels, the
 * tolerations Kubernetes adds to daemon pods, and a required node affinity
 * on `metadata.name` that the scheduler honours.
 *
 * @example
 * ```ts
 * const manager = createManager({ store, clock });
 * manager.add(daemonSetController());
 * await manager.start();
 * ```
 */
export function daemonSetController(options: DaemonSetControllerOptions = {}): Controller<DaemonSet> {
  const burst = checkCount('burstReplicas', options.burstReplicas, DAEMONSET_BURST_REPLICAS, 1);
  const backoff = new FailedPodBackoff(
    checkCount('failedPodBackoffMs', options.failedPodBackoffMs, FAILED_POD_BACKOFF_INITIAL_MS, 1),
    checkCount('maxFailedPodBackoffMs', options.maxFailedPodBackoffMs, FAILED_POD_BACKOFF_MAX_MS, 1),
  );
  let expectations: Expectations | undefined;
  return defineController({
    name: 'daemonset',
    for: DaemonSet,
    owns: [Pod],
    watches: [watchSource(Node, allDaemonSets, [nodePlacementChanged]), watchSource(Pod, ownersSelecting(DaemonSet))],
    async reconcile(request, context) {
      expectations ??= new Expectations(context.clock);
      const key = `${request.namespace ?? ''}/${request.name}`;
      const ds = context.cache.get(DaemonSet, request.name, request.namespace);
      if (ds === undefined) {
        expectations.forget(key);
        backoff.forgetPrefix(`${key}/`);
        return undefined;
      }
      return syncDaemonSet(ds, context, { expectations, backoff, burst });
    },
  });
}
