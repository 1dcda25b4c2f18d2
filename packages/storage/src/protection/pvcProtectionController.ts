/**
 * The claim protection controller (pvc_protection_controller.go): every
 * claim carries `kubernetes.io/pvc-protection`; a deleted claim keeps it
 * while a scheduled pod that has not finished uses the claim, so the data
 * under a running pod is never pulled away.
 */
import { PersistentVolumeClaim, Pod } from '@keelson/api';
import { type Controller, defineController, type Request, watchSource } from '@keelson/controller';
import { PVC_PROTECTION_CONTROLLER_NAME, PVC_PROTECTION_FINALIZER } from '../constants';
import { addFinalizer, removeFinalizer } from './finalizers';

/** Claim names a pod's volumes use (`persistentVolumeClaim.claimName`). */
export function claimsOfPod(pod: Pod): string[] {
  return (pod.spec.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));
}

/** A pod holds a claim once it is scheduled (the kubelet may be using it) and until it has finished. */
export function podUsesClaim(pod: Pod, claimName: string): boolean {
  if ((pod.spec.nodeName ?? '') === '') return false;
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return false;
  return claimsOfPod(pod).includes(claimName);
}

/**
 * The claim protection controller, for a manager.
 *
 * @example
 * ```ts
 * manager.add(pvcProtectionController());
 * ```
 */
export function pvcProtectionController(): Controller<PersistentVolumeClaim> {
  return defineController({
    name: PVC_PROTECTION_CONTROLLER_NAME,
    for: PersistentVolumeClaim,
    watches: [
      watchSource(Pod, (pod) =>
        claimsOfPod(pod).map((name): Request => ({ name, namespace: pod.metadata.namespace ?? 'default' })),
      ),
    ],
    async reconcile(request, { cache, client }) {
      const claim = cache.get(PersistentVolumeClaim, request.name, request.namespace);
      if (claim === undefined) return;
      if (claim.metadata.deletionTimestamp === undefined) {
        await addFinalizer(client, claim, PVC_PROTECTION_FINALIZER);
        return;
      }
      if (!claim.metadata.finalizers?.includes(PVC_PROTECTION_FINALIZER)) return;
      const inCache = cache.list(Pod, { namespace: request.namespace }).some((p) => podUsesClaim(p, request.name));
      if (inCache) return;
      // The cache may lag a pod just scheduled: ask the store before letting the claim go.
      const live = await client.list(Pod, { namespace: request.namespace });
      if (live.items.some((p) => podUsesClaim(p, request.name))) return;
      await removeFinalizer(client, claim, PVC_PROTECTION_FINALIZER);
    },
  });
}
