/**
 * VolumeBinding's PreBind: write the chosen bindings (a volume's `claimRef`,
 * a claim's selected-node annotation) and wait until the PV controller has
 * bound every claim — Kubernetes' `BindPodVolumes` and `checkBindings`,
 * with the wait on the scheduler's clock.
 */
import { type Node, PersistentVolume, PersistentVolumeClaim } from '@keelson/api';
import type { Clock } from '@keelson/clock';
import type { Store } from '@keelson/core';
import type { VolumeLister } from './lister';
import { ANN_BOUND_BY_CONTROLLER, ANN_SELECTED_NODE, volumeAllowsNode, volumeBoundToClaim } from './matching';
import type { PodVolumes } from './podVolumes';

/** How often the bindings are re-checked when the lister cannot report changes (Kubernetes polls every second). */
const POLL_MS = 1_000;

/** Writes the bindings of `volumes` for `node`; throws when a volume was taken meanwhile. */
export async function writeBindings(store: Store, volumes: PodVolumes, nodeName: string): Promise<void> {
  for (const { claim, volume } of volumes.bindings) {
    const written = await store.patch(PersistentVolume, volume.metadata.name, (draft) => {
      if (draft.spec.claimRef !== undefined && !volumeBoundToClaim(draft, claim)) return undefined;
      draft.spec.claimRef = {
        kind: 'PersistentVolumeClaim',
        apiVersion: 'v1',
        namespace: claim.metadata.namespace ?? '',
        name: claim.metadata.name,
        uid: claim.metadata.uid,
      };
      draft.metadata.annotations = { ...draft.metadata.annotations, [ANN_BOUND_BY_CONTROLLER]: 'yes' };
      return draft;
    });
    if (!volumeBoundToClaim(written, claim)) {
      throw new Error(`binding volumes: persistentvolume "${volume.metadata.name}" is bound to another claim`);
    }
  }
  for (const claim of volumes.provisions) {
    await store.patch(
      PersistentVolumeClaim,
      claim.metadata.name,
      (draft) => {
        draft.metadata.annotations = { ...draft.metadata.annotations, [ANN_SELECTED_NODE]: nodeName };
        return draft;
      },
      { namespace: claim.metadata.namespace ?? '' },
    );
  }
}

/**
 * `checkBindings`: `true` once every claim is bound (`spec.volumeName` set,
 * `status.phase` Bound) to a volume that allows the node; throws when the
 * binding was undone (claim gone, selected-node annotation reset, volume's
 * claimRef removed).
 */
export function bindingsDone(lister: VolumeLister, volumes: PodVolumes, node: Node): boolean {
  let done = true;
  const check = (name: string, namespace: string) => {
    const claim = lister.claim(namespace, name);
    if (claim === undefined) throw new Error(`binding volumes: persistentvolumeclaim "${name}" not found`);
    if (!claim.spec.volumeName || claim.status?.phase !== 'Bound') return claim;
    const volume = lister.volume(claim.spec.volumeName);
    if (volume === undefined) {
      throw new Error(`binding volumes: persistentvolume "${claim.spec.volumeName}" not found`);
    }
    if (!volumeAllowsNode(volume, node)) {
      throw new Error(
        `binding volumes: pv "${volume.metadata.name}" node affinity doesn't match node "${node.metadata.name}"`,
      );
    }
    return undefined;
  };
  for (const { claim, volume } of volumes.bindings) {
    const namespace = claim.metadata.namespace ?? '';
    if (check(claim.metadata.name, namespace) === undefined) continue;
    done = false;
    const current = lister.volume(volume.metadata.name);
    if (
      current !== undefined &&
      current.spec.claimRef === undefined &&
      current.metadata.resourceVersion !== volume.metadata.resourceVersion
    ) {
      throw new Error(`binding volumes: pv "${volume.metadata.name}" claimRef removed`);
    }
  }
  for (const claim of volumes.provisions) {
    const pending = check(claim.metadata.name, claim.metadata.namespace ?? '');
    if (pending === undefined) continue;
    done = false;
    if (pending.metadata.annotations?.[ANN_SELECTED_NODE] === undefined) {
      throw new Error(`binding volumes: selectedNode annotation reset for PVC "${claim.metadata.name}"`);
    }
  }
  return done;
}

/** Resolves once `done()` is true, rejects when it throws or after `timeoutMs` of `clock`. */
export function waitForBindings(
  lister: VolumeLister,
  clock: Clock,
  timeoutMs: number,
  done: () => boolean,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let finished = false;
    let poll: ReturnType<Clock['setTimeout']> | undefined;
    const finish = (error?: unknown) => {
      if (finished) return;
      finished = true;
      unsubscribe();
      clock.clearTimeout(deadline);
      if (poll !== undefined) clock.clearTimeout(poll);
      if (error === undefined) resolve();
      else reject(error);
    };
    const check = () => {
      try {
        if (lister.closed === true) finish(new Error('binding volumes: scheduler stopped'));
        else if (done()) finish();
      } catch (error) {
        finish(error);
      }
    };
    const schedulePoll = () => {
      poll = clock.setTimeout(() => {
        check();
        if (!finished) schedulePoll();
      }, POLL_MS);
    };
    const deadline = clock.setTimeout(() => finish(new Error('binding volumes: context deadline exceeded')), timeoutMs);
    const unsubscribe = lister.onChange?.(check) ?? (() => undefined);
    if (lister.onChange === undefined) schedulePoll();
    check();
  });
}
