/**
 * The StatefulSet controller's writes to pods and claims, as Kubernetes'
 * `StatefulPodControl`: a pod's claims are created before the pod, every
 * write is recorded as an event, and the claims' owner references follow
 * `persistentVolumeClaimRetentionPolicy`.
 */
import { PersistentVolumeClaim, Pod, type StatefulSet } from '@keelson/api';
import type { ReconcileContext } from '@keelson/controller';
import { isKeelsonError, type OwnerReference } from '@keelson/core';
import { deletePodWithRetry, errorMessage } from '../shared/index';
import { claimsFor, inOrdinalRange, ordinalOf } from './identity';

type Context = Pick<ReconcileContext, 'client' | 'cache' | 'recorder'>;

async function podEvent(context: Context, set: StatefulSet, verb: string, pod: Pod, error?: unknown): Promise<void> {
  const title = `${verb[0]?.toUpperCase()}${verb.slice(1)}`;
  const name = pod.metadata.name;
  if (error === undefined) {
    await context.recorder?.event(
      set,
      'Normal',
      `Successful${title}`,
      `${verb} Pod ${name} in StatefulSet ${set.metadata.name} successful`,
    );
  } else {
    await context.recorder?.event(
      set,
      'Warning',
      `Failed${title}`,
      `${verb} Pod ${name} in StatefulSet ${set.metadata.name} failed error: ${errorMessage(error)}`,
    );
  }
}

function cachedClaim(context: Context, set: StatefulSet, name: string): PersistentVolumeClaim | undefined {
  return context.cache.get(PersistentVolumeClaim, name, set.metadata.namespace);
}

/**
 * `createPersistentVolumeClaims`: creates the pod's claims that do not exist
 * yet; a claim being deleted is an error (the pod must wait for it to go).
 */
export async function createMissingClaims(context: Context, set: StatefulSet, pod: Pod): Promise<void> {
  for (const claim of claimsFor(set, ordinalOf(pod)).values()) {
    const existing = cachedClaim(context, set, claim.metadata.name);
    if (existing?.metadata.deletionTimestamp !== undefined) {
      throw new Error(`pvc ${claim.metadata.name} is being deleted`);
    }
    if (existing !== undefined) continue;
    try {
      await context.client.create(PersistentVolumeClaim, claim as unknown as PersistentVolumeClaim);
      await context.recorder?.event(
        set,
        'Normal',
        'SuccessfulCreate',
        `create Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`,
      );
    } catch (error) {
      if (isKeelsonError(error, 'AlreadyExists')) continue;
      await context.recorder?.event(
        set,
        'Warning',
        'FailedCreate',
        `create Claim ${claim.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${errorMessage(error)}`,
      );
      throw error;
    }
  }
}

type Owner = { apiVersion: string; kind: string; metadata: { name: string; uid: string } };

function refTo(owner: Owner): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid };
}

/**
 * `updateClaimOwnerRefForSetAndPod`: the owner references the claim should
 * carry — the set's when `whenDeleted` is Delete (and the pod is in range or
 * `whenScaled` is Retain), the pod's when `whenScaled` is Delete and the pod
 * is condemned — with every other reference kept as it is.
 */
export function retentionOwnerRefs(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): OwnerReference[] {
  const { whenDeleted, whenScaled } = set.spec.persistentVolumeClaimRetentionPolicy;
  const scaledDown = !inOrdinalRange(pod, set);
  const wantSet = whenDeleted === 'Delete' && !(whenScaled === 'Delete' && scaledDown);
  const wantPod = whenScaled === 'Delete' && scaledDown;
  const podRef = { apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata };
  const refs = (claim.metadata.ownerReferences ?? []).filter(
    (r) => r.uid !== set.metadata.uid && !(r.uid === pod.metadata.uid && r.kind === 'Pod'),
  );
  const had = claim.metadata.ownerReferences ?? [];
  const keep = (owner: Owner) => had.find((r) => r.uid === owner.metadata.uid) ?? refTo(owner);
  if (wantSet) refs.push(keep(set));
  if (wantPod) refs.push(keep(podRef));
  return refs;
}

function sameRefs(a: readonly OwnerReference[], b: readonly OwnerReference[]): boolean {
  const key = (refs: readonly OwnerReference[]) =>
    refs
      .map((r) => r.uid)
      .sort()
      .join(',');
  return key(a) === key(b);
}

/** `ClaimsMatchRetentionPolicy`: whether every existing claim of the pod already has the owners the policy wants. */
export function claimsMatchRetention(context: Context, set: StatefulSet, pod: Pod): boolean {
  for (const claim of claimsFor(set, ordinalOf(pod)).values()) {
    const existing = cachedClaim(context, set, claim.metadata.name);
    if (existing === undefined) continue;
    if (!sameRefs(existing.metadata.ownerReferences ?? [], retentionOwnerRefs(existing, set, pod))) return false;
  }
  return true;
}

/** `UpdatePodClaimForRetentionPolicy`: writes the owner references the policy wants onto the pod's claims. */
export async function updateClaimsForRetention(context: Context, set: StatefulSet, pod: Pod): Promise<void> {
  for (const claim of claimsFor(set, ordinalOf(pod)).values()) {
    const existing = cachedClaim(context, set, claim.metadata.name);
    if (existing === undefined) continue;
    if (sameRefs(existing.metadata.ownerReferences ?? [], retentionOwnerRefs(existing, set, pod))) continue;
    try {
      await context.client.patch(
        PersistentVolumeClaim,
        existing.metadata.name,
        (draft) => {
          draft.metadata.ownerReferences = retentionOwnerRefs(draft, set, pod);
          return draft;
        },
        { namespace: set.metadata.namespace },
      );
    } catch (error) {
      if (!isKeelsonError(error, 'NotFound')) throw error;
    }
  }
}

/**
 * `PodClaimIsStale`: whether a claim of the pod about to be created is being
 * deleted or still owned by an earlier pod of that name (the garbage
 * collector will remove it; the pod waits).
 */
export function podClaimIsStale(context: Context, set: StatefulSet, pod: Pod): boolean {
  for (const claim of claimsFor(set, ordinalOf(pod)).values()) {
    const existing = cachedClaim(context, set, claim.metadata.name);
    if (existing === undefined) continue;
    if (existing.metadata.deletionTimestamp !== undefined) return true;
    const stale = (existing.metadata.ownerReferences ?? []).some(
      (r) => r.kind === 'Pod' && r.name === pod.metadata.name && r.uid !== pod.metadata.uid,
    );
    if (stale) return true;
  }
  return false;
}

/** `CreateStatefulPod`: the pod's claims, then the pod, then the claims' retention owners. Returns the created pod. */
export async function createStatefulPod(context: Context, set: StatefulSet, pod: Pod): Promise<Pod> {
  try {
    await createMissingClaims(context, set, pod);
  } catch (error) {
    await podEvent(context, set, 'create', pod, error);
    throw error;
  }
  let created: Pod;
  try {
    created = await context.client.create(Pod, pod);
  } catch (error) {
    if (isKeelsonError(error, 'AlreadyExists')) throw error;
    await podEvent(context, set, 'create', pod, error);
    throw error;
  }
  await updateClaimsForRetention(context, set, created);
  await podEvent(context, set, 'create', created);
  return created;
}

/** `DeleteStatefulPod`: deletes the pod (this uid only) and records it. */
export async function deleteStatefulPod(context: Context, set: StatefulSet, pod: Pod): Promise<void> {
  try {
    await deletePodWithRetry(context.client, pod);
  } catch (error) {
    if (isKeelsonError(error, 'NotFound')) return;
    await podEvent(context, set, 'delete', pod, error);
    throw error;
  }
  await podEvent(context, set, 'delete', pod);
}
