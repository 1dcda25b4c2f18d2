/**
 * One pass of Kubernetes' `updateStatefulSet` (stateful_set_control.go):
 * sort the pods into replicas (ordinals in range) and condemned ones, make
 * missing replicas at the right revision, process the replicas in ordinal
 * order (recreate failed pods, create missing ones, with OrderedReady stop at
 * the first that is not running, ready and available), delete condemned pods
 * from the highest ordinal, then take one RollingUpdate step from the
 * highest ordinal down to the partition, at most `maxUnavailable` at a time.
 */
import { Pod, type StatefulSet, scaledValue } from '@keelson/api';
import type { ReconcileContext } from '@keelson/controller';
import { slowStartBatch } from '../shared/index';
import {
  POD_INDEX_LABEL,
  RECREATING_FAILED_POD_REASON,
  RECREATING_TERMINATED_POD_REASON,
  STATEFULSET_POD_NAME_LABEL,
} from './constants';
import {
  identityLabelsMatch,
  inOrdinalRange,
  isHealthy,
  isRunningAndAvailable,
  isRunningAndReady,
  isTerminating,
  ordinalOf,
  podRevision,
  startOrdinal,
  statefulPodFor,
} from './identity';
import {
  claimsMatchRetention,
  createMissingClaims,
  createStatefulPod,
  deleteStatefulPod,
  podClaimIsStale,
  updateClaimsForRetention,
} from './podControl';

/** What one pass needs: the set, its pods, the revisions by name, and where to record creates and deletes. */
export interface UpdatePass {
  context: ReconcileContext;
  set: StatefulSet;
  /** The set as the current revision and as the update revision would make pods. */
  currentSet: StatefulSet;
  updateSet: StatefulSet;
  currentRevision: string;
  updateRevision: string;
  pods: readonly Pod[];
  track: { created(name: string): void; deleted(uid: string): void };
}

/** A replica: the pod of an ordinal, or the one to create for it. */
interface Slot {
  pod: Pod;
  created: boolean;
}

/** What a pass did: the pods it counted, and by how many the current pods dropped (rolling deletes). */
export interface PassResult {
  counted: Pod[];
  currentReplicasDeleted: number;
}

/** `newVersionedStatefulSetPod`: ordinals below the partition get the current revision, the rest the update revision. */
function versionedPod(pass: UpdatePass, ordinal: number): Pod {
  const { currentSet, updateSet } = pass;
  const strategy = currentSet.spec.updateStrategy;
  if (strategy.type === 'RollingUpdate' && ordinal < (strategy.rollingUpdate?.partition ?? 0)) {
    return statefulPodFor(currentSet, ordinal, pass.currentRevision);
  }
  return statefulPodFor(updateSet, ordinal, pass.updateRevision);
}

/** `getStatefulSetMaxUnavailable`: `maxUnavailable` (default 1) scaled to the replicas, rounded down, at least 1. */
export function maxUnavailableOf(set: StatefulSet): number {
  const value = set.spec.updateStrategy.rollingUpdate?.maxUnavailable ?? 1;
  return Math.max(1, scaledValue(value, set.spec.replicas, false));
}

/** `runForAll`: in order, stopping at the first that says stop (OrderedReady), or all in slow-start batches (Parallel). */
async function runForAll(count: number, fn: (i: number) => Promise<boolean>, monotonic: boolean): Promise<boolean> {
  if (monotonic) {
    for (let i = 0; i < count; i++) if (await fn(i)) return true;
    return false;
  }
  const result = await slowStartBatch(count, async (i) => {
    await fn(i);
  });
  if (result.error !== undefined) throw result.error;
  return false;
}

/** `processReplica`: returns whether the pass must stop here. */
async function processReplica(pass: UpdatePass, slots: Slot[], i: number, monotonic: boolean): Promise<boolean> {
  const { context, set } = pass;
  const slot = slots[i] as Slot;
  const pod = slot.pod;
  const phase = pod.status?.phase;
  if (slot.created && (phase === 'Failed' || phase === 'Succeeded')) {
    if (!isTerminating(pod)) {
      const reason = phase === 'Failed' ? RECREATING_FAILED_POD_REASON : RECREATING_TERMINATED_POD_REASON;
      const what = phase === 'Failed' ? 'failed' : 'terminated';
      await context.recorder?.event(
        set,
        'Warning',
        reason,
        `StatefulSet ${set.metadata.namespace ?? ''}/${set.metadata.name} is recreating ${what} Pod ${pod.metadata.name}`,
      );
      await deleteStatefulPod(context, set, pod);
      pass.track.deleted(pod.metadata.uid);
    }
    // The pod is made again once the store has removed the old one.
    return true;
  }
  if (!slot.created) {
    if (podClaimIsStale(context, set, pod)) return true;
    const created = await createStatefulPod(context, set, pod);
    pass.track.created(created.metadata.name);
    return monotonic;
  }
  if (phase === 'Pending') await createMissingClaims(context, set, pod);
  if (isTerminating(pod) && monotonic) return true;
  if (!isRunningAndReady(pod) && monotonic) return true;
  if (!isRunningAndAvailable(pod, set.spec.minReadySeconds, context.clock.now()) && monotonic) return true;
  if (!identityLabelsMatch(pod)) await fixIdentity(pass, pod);
  if (!claimsMatchRetention(context, pass.updateSet, pod)) await updateClaimsForRetention(context, pass.updateSet, pod);
  return false;
}

/** `UpdateStatefulPod` (identity part): puts back the pod's name and index labels. */
async function fixIdentity(pass: UpdatePass, pod: Pod): Promise<void> {
  await pass.context.client.patch(
    Pod,
    pod.metadata.name,
    (draft) => {
      draft.metadata.labels = {
        ...draft.metadata.labels,
        [STATEFULSET_POD_NAME_LABEL]: draft.metadata.name,
        [POD_INDEX_LABEL]: String(ordinalOf(draft)),
      };
      return draft;
    },
    { namespace: pod.metadata.namespace },
  );
}

/** `processCondemned`: returns whether the pass must stop here. */
async function processCondemned(
  pass: UpdatePass,
  condemned: readonly Pod[],
  i: number,
  firstUnhealthy: Pod | undefined,
  monotonic: boolean,
): Promise<boolean> {
  const { context, set } = pass;
  const pod = condemned[i] as Pod;
  if (isTerminating(pod)) return monotonic;
  if (monotonic && pod !== firstUnhealthy) {
    if (!isRunningAndReady(pod)) return true;
    if (!isRunningAndAvailable(pod, set.spec.minReadySeconds, context.clock.now())) return true;
  }
  await deleteStatefulPod(context, set, pod);
  pass.track.deleted(pod.metadata.uid);
  return monotonic;
}

/**
 * `updateStatefulSetAfterInvariantEstablished`: with fewer than
 * `maxUnavailable` replicas unhealthy, deletes (up to the difference) the
 * highest-ordinal pods at or above the partition not at the update revision.
 */
async function rollingUpdateStep(pass: UpdatePass, replicas: readonly Pod[]): Promise<number> {
  const { context, set } = pass;
  const maxUnavailable = maxUnavailableOf(set);
  const partition = set.spec.updateStrategy.rollingUpdate?.partition ?? 0;
  const unavailable = replicas.filter((pod) => !isHealthy(pod)).length;
  if (unavailable >= maxUnavailable) return 0;
  let deleted = 0;
  for (let target = replicas.length - 1; target >= 0 && deleted < maxUnavailable - unavailable; target--) {
    const pod = replicas[target] as Pod;
    if (ordinalOf(pod) < partition) break;
    if (podRevision(pod) !== pass.updateRevision && !isTerminating(pod)) {
      await deleteStatefulPod(context, set, pod);
      pass.track.deleted(pod.metadata.uid);
      deleted++;
    }
  }
  return deleted;
}

/** Runs one pass; returns the pods to count in the status and how many current pods the rolling step deleted. */
export async function updateStatefulSet(pass: UpdatePass): Promise<PassResult> {
  const { set } = pass;
  const start = startOrdinal(set);
  const slots: (Slot | undefined)[] = Array.from({ length: set.spec.replicas }, () => undefined);
  const condemned: Pod[] = [];
  for (const pod of pass.pods) {
    if (inOrdinalRange(pod, set)) slots[ordinalOf(pod) - start] = { pod, created: true };
    else if (ordinalOf(pod) >= 0) condemned.push(pod);
  }
  const replicas: Slot[] = slots.map((slot, i) => slot ?? { pod: versionedPod(pass, start + i), created: false });
  condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));
  const counted = () => [...replicas.filter((s) => s.created).map((s) => s.pod), ...condemned];
  const firstUnhealthy =
    replicas.find((s) => !isHealthy(s.pod))?.pod ?? [...condemned].reverse().find((pod) => !isHealthy(pod));
  if (set.metadata.deletionTimestamp !== undefined) return { counted: counted(), currentReplicasDeleted: 0 };
  const monotonic = set.spec.podManagementPolicy !== 'Parallel';
  const done = { counted: counted(), currentReplicasDeleted: 0 };
  if (await runForAll(replicas.length, (i) => processReplica(pass, replicas, i, monotonic), monotonic)) return done;
  for (const pod of condemned) {
    if (!claimsMatchRetention(pass.context, pass.updateSet, pod)) {
      await updateClaimsForRetention(pass.context, pass.updateSet, pod);
    }
  }
  const stop = await runForAll(
    condemned.length,
    (i) => processCondemned(pass, condemned, i, firstUnhealthy, monotonic),
    monotonic,
  );
  if (stop || set.spec.updateStrategy.type === 'OnDelete') return done;
  const currentReplicasDeleted = await rollingUpdateStep(
    pass,
    replicas.map((s) => s.pod),
  );
  return { counted: done.counted, currentReplicasDeleted };
}
