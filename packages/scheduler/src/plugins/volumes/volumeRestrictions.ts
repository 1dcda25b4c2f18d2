/**
 * VolumeRestrictions: a ReadWriteOncePod claim may be used by one pod only,
 * so a pod whose ReadWriteOncePod claim another (non-terminated) scheduled
 * pod uses is unschedulable (preemption may free it). The inline-disk
 * conflicts Kubernetes also checks (GCE PD, AWS EBS, RBD, iSCSI) do not
 * apply: our Pod has no such volume sources.
 */
import type { Pod } from '@keelson/api';
import type { Cloneable, CycleState } from '../../framework/cycleState';
import type { PodInfo } from '../../framework/podInfo';
import { SKIP, unresolvable, unschedulable } from '../../framework/status';
import type { Plugin, PluginFactory } from '../../framework/types';
import { claimNotFound, createVolumeLister, podClaimNames, type VolumeLister } from './lister';

/** The plugin's name. */
export const VOLUME_RESTRICTIONS = 'VolumeRestrictions';

/** Filter: another pod uses one of the pod's ReadWriteOncePod claims. */
export const ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT =
  'node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode';

const STATE_KEY = `PreFilter${VOLUME_RESTRICTIONS}`;

class RestrictionsState implements Cloneable<RestrictionsState> {
  constructor(
    readonly namespace: string,
    readonly claims: ReadonlySet<string>,
    public conflicts: number,
  ) {}

  /** How many of this pod's ReadWriteOncePod claims `other` uses. */
  uses(other: Pod): number {
    if ((other.metadata.namespace ?? '') !== this.namespace) return 0;
    if (other.status?.phase === 'Succeeded' || other.status?.phase === 'Failed') return 0;
    let count = 0;
    for (const name of podClaimNames(other)) if (this.claims.has(name)) count++;
    return count;
  }

  clone(): RestrictionsState {
    return new RestrictionsState(this.namespace, this.claims, this.conflicts);
  }
}

/** Hooks a host gives VolumeRestrictions. */
export interface VolumeRestrictionsOptions {
  /** The claims (default: none, so every claim is not found). */
  volumes?: VolumeLister;
}

/** Builds the VolumeRestrictions factory over a lister. */
export function createVolumeRestrictions(options: VolumeRestrictionsOptions = {}): PluginFactory {
  return (_args, handle): Plugin => {
    const lister = options.volumes ?? createVolumeLister();
    const stateOf = (state: CycleState) => {
      const value = state.read<unknown>(STATE_KEY);
      return value instanceof RestrictionsState ? value : undefined;
    };
    const update = (state: CycleState, pod: PodInfo, by: 1 | -1) => {
      const data = stateOf(state);
      if (data !== undefined) data.conflicts += by * data.uses(pod.pod);
      return undefined;
    };

    return {
      name: VOLUME_RESTRICTIONS,
      events: ['AssignedPodDelete', 'PodDelete', 'NodeAdd', 'PersistentVolumeClaimAdd'],

      preFilter(state, pod) {
        const names = podClaimNames(pod.pod);
        if (names.length === 0) return SKIP;
        const namespace = pod.pod.metadata.namespace ?? '';
        const claims = new Set<string>();
        for (const name of names) {
          const claim = lister.claim(namespace, name);
          if (claim === undefined) return unresolvable(claimNotFound(name));
          if (claim.spec.accessModes?.includes('ReadWriteOncePod')) claims.add(name);
        }
        if (claims.size === 0) return SKIP;
        const data = new RestrictionsState(namespace, claims, 0);
        // Kubernetes counts each claim once however many pods use it: at most one can.
        const used = new Set<string>();
        for (const node of handle.cluster.nodes) {
          for (const other of node.pods.values()) {
            if (data.uses(other.pod) === 0) continue;
            for (const name of podClaimNames(other.pod)) if (claims.has(name)) used.add(name);
          }
        }
        if (used.size === 0) return SKIP;
        data.conflicts = used.size;
        state.write(STATE_KEY, data);
        return undefined;
      },

      addPod: (state, _pod, added) => update(state, added, 1),
      removePod: (state, _pod, removed) => update(state, removed, -1),

      filter(state) {
        const data = stateOf(state);
        return data !== undefined && data.conflicts > 0
          ? unschedulable(ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT)
          : undefined;
      },
    };
  };
}

/** VolumeRestrictions with no claims known (for `schedulePod`; `createScheduler` serves them from informers). */
export const volumeRestrictions: PluginFactory = createVolumeRestrictions();
