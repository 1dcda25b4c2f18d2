/**
 * VolumeZone: the zone and region labels of a pod's bound volumes
 * (`topology.kubernetes.io/zone`, `topology.kubernetes.io/region` and the
 * legacy `failure-domain.beta.kubernetes.io/*` keys) must match the node's.
 * A label value may list several zones joined by `__`. Nodes without any
 * such label pass; unbound WaitForFirstConsumer claims are left to
 * VolumeBinding.
 */
import type { CycleState } from '../../framework/cycleState';
import { errorStatus, SKIP, unresolvable } from '../../framework/status';
import type { Plugin, PluginFactory } from '../../framework/types';
import { claimNotFound, createVolumeLister, podClaimNames, type VolumeLister } from './lister';

/** The plugin's name. */
export const VOLUME_ZONE = 'VolumeZone';

/** Filter: a bound volume's zone or region labels do not match the node's. */
export const ERR_REASON_VOLUME_ZONE_CONFLICT = 'node(s) had no available volume zone';

const BETA_ZONE = 'failure-domain.beta.kubernetes.io/zone';
const BETA_REGION = 'failure-domain.beta.kubernetes.io/region';
const ZONE = 'topology.kubernetes.io/zone';
const REGION = 'topology.kubernetes.io/region';

/** The topology keys checked, in Kubernetes' order. */
export const VOLUME_TOPOLOGY_LABELS: readonly string[] = Object.freeze([BETA_ZONE, BETA_REGION, ZONE, REGION]);

const GA_LABEL: Readonly<Record<string, string>> = { [BETA_ZONE]: ZONE, [BETA_REGION]: REGION };

const STATE_KEY = `PreFilter${VOLUME_ZONE}`;

interface VolumeTopology {
  readonly key: string;
  readonly values: ReadonlySet<string>;
}

class ZoneState {
  constructor(readonly topologies: readonly VolumeTopology[]) {}
}

/** Hooks a host gives VolumeZone. */
export interface VolumeZoneOptions {
  /** Claims, volumes and classes (default: none, so every claim is not found). */
  volumes?: VolumeLister;
}

/** Builds the VolumeZone factory over a lister. */
export function createVolumeZone(options: VolumeZoneOptions = {}): PluginFactory {
  return (): Plugin => {
    const lister = options.volumes ?? createVolumeLister();
    const stateOf = (state: CycleState) => {
      const value = state.read<unknown>(STATE_KEY);
      return value instanceof ZoneState ? value : undefined;
    };

    return {
      name: VOLUME_ZONE,
      events: [
        'NodeAdd',
        'NodeUpdate',
        'PersistentVolumeClaimAdd',
        'PersistentVolumeClaimUpdate',
        'PersistentVolumeAdd',
        'PersistentVolumeUpdate',
        'StorageClassAdd',
      ],

      preFilter(state, pod) {
        const names = podClaimNames(pod.pod);
        if (names.length === 0) return SKIP;
        const namespace = pod.pod.metadata.namespace ?? '';
        const topologies: VolumeTopology[] = [];
        for (const name of names) {
          if (name === '') return unresolvable('PersistentVolumeClaim had no name');
          const claim = lister.claim(namespace, name);
          if (claim === undefined) return unresolvable(claimNotFound(name));
          const volumeName = claim.spec.volumeName ?? '';
          if (volumeName === '') {
            const className = claim.spec.storageClassName ?? '';
            if (className === '') return unresolvable('PersistentVolumeClaim had no pv name and storageClass name');
            const storageClass = lister.storageClass(className);
            if (storageClass === undefined) return unresolvable(`storageclass.storage.k8s.io "${className}" not found`);
            if (storageClass.volumeBindingMode === 'WaitForFirstConsumer') continue;
            return unresolvable('PersistentVolume had no name');
          }
          const volume = lister.volume(volumeName);
          if (volume === undefined) return unresolvable(`persistentvolume "${volumeName}" not found`);
          const labels = volume.metadata.labels ?? {};
          for (const key of VOLUME_TOPOLOGY_LABELS) {
            const value = labels[key];
            if (value === undefined) continue;
            const values = new Set(value.split('__').map((zone) => zone.trim()));
            values.delete('');
            if (values.size === 0) return errorStatus(new Error(`${key}: invalid zone label value "${value}"`));
            topologies.push({ key, values });
          }
        }
        if (topologies.length === 0) return SKIP;
        state.write(STATE_KEY, new ZoneState(topologies));
        return undefined;
      },

      filter(state, _pod, node) {
        const data = stateOf(state);
        if (data === undefined) return undefined;
        const labels = node.node.metadata.labels ?? {};
        if (!VOLUME_TOPOLOGY_LABELS.some((key) => labels[key] !== undefined)) return undefined;
        for (const topology of data.topologies) {
          const ga = GA_LABEL[topology.key];
          const value = labels[topology.key] ?? (ga === undefined ? undefined : labels[ga]);
          if (value === undefined || !topology.values.has(value)) return unresolvable(ERR_REASON_VOLUME_ZONE_CONFLICT);
        }
        return undefined;
      },
    };
  };
}

/** VolumeZone with no claims known (for `schedulePod`; `createScheduler` serves them from informers). */
export const volumeZone: PluginFactory = createVolumeZone();
