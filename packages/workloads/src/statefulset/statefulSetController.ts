/**
 * The StatefulSet controller (pkg/controller/statefulset): pods with stable
 * names `<set>-<ordinal>`, stable claims `<template>-<set>-<ordinal>`, made,
 * replaced and removed in ordinal order. Each sync claims the set's pods and
 * ControllerRevisions, finds or makes the revision of the current template,
 * runs one `updateStatefulSet` pass once its own earlier creates and deletes
 * are visible, writes the status, and trims the revision history.
 */
import { ControllerRevision, PersistentVolumeClaim, Pod, StatefulSet } from '@keelson/api';
import {
  type Cache,
  type Controller,
  defineController,
  type ReconcileContext,
  type Request,
  type Result,
  watchSource,
} from '@keelson/controller';
import { isKeelsonError, labelSelectorFromStructured } from '@keelson/core';
import {
  claimCandidates,
  claimObjects,
  Expectations,
  observedPods,
  ownersSelecting,
  podAvailableAt,
  requestFor,
} from '../shared/index';
import { STATEFULSET_CONTROLLER_NAME } from './constants';
import { isMemberOf, isRunningAndReady, podRevision } from './identity';
import { revisionsToTruncate, setRevisions, sortRevisions, templateOf } from './revisions';
import { completeRollingUpdate, countPods, type StatefulSetCounts, storeStatus } from './status';
import { updateStatefulSet } from './updateSet';

/** A claim event wakes the sets whose claim names it has (a pod may be waiting for a stale claim to go). */
function setsOfClaim(claim: PersistentVolumeClaim, cache: Cache): Request[] {
  return cache
    .list(StatefulSet, { namespace: claim.metadata.namespace })
    .filter((set) =>
      (set.spec.volumeClaimTemplates ?? []).some((t) =>
        claim.metadata.name.startsWith(`${t.metadata.name}-${set.metadata.name}-`),
      ),
    )
    .map(requestFor);
}

function withTemplate(set: StatefulSet, revision: ControllerRevision): StatefulSet {
  return { ...set, spec: { ...set.spec, template: templateOf(revision) } };
}

/** When the earliest ready pod turns available (ms from now), if any is waiting for `minReadySeconds`. */
function availabilityWait(set: StatefulSet, pods: readonly Pod[], now: number): number | undefined {
  let earliest: number | undefined;
  for (const pod of pods) {
    if (!isRunningAndReady(pod)) continue;
    const at = podAvailableAt(pod, set.spec.minReadySeconds);
    if (at !== undefined && at > now) earliest = Math.min(earliest ?? at, at);
  }
  return earliest === undefined ? undefined : earliest - now;
}

async function canAdopt(context: ReconcileContext, set: StatefulSet): Promise<boolean> {
  try {
    const fresh = await context.client.get(StatefulSet, set.metadata.name, { namespace: set.metadata.namespace });
    return fresh.metadata.uid === set.metadata.uid && fresh.metadata.deletionTimestamp === undefined;
  } catch (error) {
    if (isKeelsonError(error, 'NotFound')) return false;
    throw error;
  }
}

/** `syncStatefulSet`: one level-triggered pass over one StatefulSet. */
async function syncStatefulSet(
  set: StatefulSet,
  context: ReconcileContext,
  expectations: Expectations,
): Promise<Result | undefined> {
  const { client, cache, clock } = context;
  const key = `${set.metadata.namespace ?? ''}/${set.metadata.name}`;
  const selector = labelSelectorFromStructured(set.spec.selector);
  if (selector.empty) return undefined;
  const namespace = set.metadata.namespace;
  const adopt = () => canAdopt(context, set);
  const candidates = claimCandidates(cache, Pod, namespace, set.metadata.uid).filter((pod) => isMemberOf(set, pod));
  const pods = await claimObjects({ client, owner: set, type: Pod, selector, candidates, canAdopt: adopt });
  const ownedRevisions = await claimObjects({
    client,
    owner: set,
    type: ControllerRevision,
    selector,
    candidates: claimCandidates(cache, ControllerRevision, namespace, set.metadata.uid),
    canAdopt: adopt,
  });
  const revisions = sortRevisions(ownedRevisions);
  const { current, update, collisionCount } = await setRevisions(client, set, revisions);
  const names = { current: current.metadata.name, update: update.metadata.name };
  const status = (counted: readonly Pod[], observedGeneration: number | undefined): StatefulSetCounts => ({
    ...(observedGeneration === undefined ? {} : { observedGeneration }),
    ...countPods(counted, set.spec.minReadySeconds, clock.now(), names),
    currentRevision: names.current,
    updateRevision: names.update,
    collisionCount,
  });
  const observed = observedPods(cache, namespace);
  let counts: StatefulSetCounts;
  let failure: unknown;
  if (!expectations.satisfied(key, observed)) {
    counts = status(pods, set.status?.observedGeneration);
  } else {
    try {
      const result = await updateStatefulSet({
        context,
        set,
        currentSet: withTemplate(set, current),
        updateSet: withTemplate(set, update),
        currentRevision: names.current,
        updateRevision: names.update,
        pods,
        track: { created: (name) => expectations.created(key, name), deleted: (uid) => expectations.deleted(key, uid) },
      });
      counts = status(result.counted, set.metadata.generation);
      counts.currentReplicas -= result.currentReplicasDeleted;
    } catch (error) {
      failure = error;
      counts = status(pods, set.metadata.generation);
    }
  }
  await storeStatus(context, set, completeRollingUpdate(set, counts));
  if (failure !== undefined) throw failure;
  const used = new Set([names.current, names.update, ...pods.map(podRevision)]);
  for (const old of revisionsToTruncate(revisions, used, set.spec.revisionHistoryLimit)) {
    try {
      await client.delete(ControllerRevision, old.metadata.name, { namespace });
    } catch (error) {
      if (!isKeelsonError(error, 'NotFound')) throw error;
    }
  }
  const wait = availabilityWait(set, pods, clock.now());
  return wait === undefined ? undefined : { requeueAfter: wait };
}

/**
 * The StatefulSet controller, for a manager (name `statefulset`): owns Pods
 * and ControllerRevisions, watches orphaned ones (for adoption) and
 * PersistentVolumeClaims (a pod waiting for a stale claim to go).
 *
 * @example
 * ```ts
 * const manager = createManager({ store, clock });
 * manager.add(statefulSetController());
 * await manager.start();
 * ```
 */
export function statefulSetController(): Controller<StatefulSet> {
  let expectations: Expectations | undefined;
  return defineController({
    name: STATEFULSET_CONTROLLER_NAME,
    for: StatefulSet,
    owns: [Pod, ControllerRevision],
    watches: [
      watchSource(Pod, ownersSelecting(StatefulSet)),
      watchSource(ControllerRevision, ownersSelecting(StatefulSet)),
      watchSource(PersistentVolumeClaim, setsOfClaim),
    ],
    async reconcile(request, context) {
      expectations ??= new Expectations(context.clock);
      const set = context.cache.get(StatefulSet, request.name, request.namespace);
      if (set === undefined) {
        expectations.forget(`${request.namespace ?? ''}/${request.name}`);
        return undefined;
      }
      return syncStatefulSet(set, context, expectations);
    },
  });
}
