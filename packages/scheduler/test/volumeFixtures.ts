/**
 * Claims, volumes and storage classes for the volume plugins' tests
 * (validated and defaulted like the store does), and a stand-in for the PV
 * controller's side of the binding contract.
 */
import { PersistentVolume, PersistentVolumeClaim, StorageClass } from '@keelson/api';
import { createInformer } from '@keelson/controller';
import { type Store, validateObject } from '@keelson/core';
import { ANN_SELECTED_NODE } from '../src/plugins/volumes/matching';

export const ZONE = 'topology.kubernetes.io/zone';

export function makeClaim(
  name: string,
  options: {
    className?: string;
    volumeName?: string;
    storage?: string;
    modes?: string[];
    phase?: 'Pending' | 'Bound' | 'Lost';
    annotations?: Record<string, string>;
    selector?: { matchLabels: Record<string, string> };
    deleting?: boolean;
  } = {},
): PersistentVolumeClaim {
  const input = {
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      ...(options.annotations ? { annotations: options.annotations } : {}),
      ...(options.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    spec: {
      accessModes: options.modes ?? ['ReadWriteOnce'],
      resources: { requests: { storage: options.storage ?? '1Gi' } },
      ...(options.className === undefined ? {} : { storageClassName: options.className }),
      ...(options.volumeName === undefined ? {} : { volumeName: options.volumeName }),
      ...(options.selector ? { selector: options.selector } : {}),
    },
    status: { phase: options.phase ?? (options.volumeName ? 'Bound' : 'Pending') },
  };
  return validateObject(PersistentVolumeClaim, input).object as unknown as PersistentVolumeClaim;
}

/** A volume; `nodes` pins it to hostnames, `zone` labels it and pins it to the zone. */
export function makeVolume(
  name: string,
  options: {
    className?: string;
    storage?: string;
    modes?: string[];
    phase?: 'Pending' | 'Available' | 'Bound' | 'Released';
    claim?: string;
    nodes?: string[];
    zone?: string;
    labels?: Record<string, string>;
  } = {},
): PersistentVolume {
  const terms = [
    ...(options.nodes ? [{ key: 'kubernetes.io/hostname', operator: 'In', values: options.nodes }] : []),
    ...(options.zone ? [{ key: ZONE, operator: 'In', values: [options.zone] }] : []),
  ];
  const input = {
    metadata: {
      name,
      uid: `uid-${name}`,
      resourceVersion: '1',
      labels: { ...(options.zone ? { [ZONE]: options.zone } : {}), ...options.labels },
    },
    spec: {
      capacity: { storage: options.storage ?? '1Gi' },
      accessModes: options.modes ?? ['ReadWriteOnce'],
      hostPath: { path: `/data/${name}` },
      ...(options.className === undefined ? {} : { storageClassName: options.className }),
      ...(options.claim
        ? { claimRef: { namespace: 'default', name: options.claim, uid: `uid-${options.claim}` } }
        : {}),
      ...(terms.length > 0 ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: terms }] } } } : {}),
    },
    status: { phase: options.phase ?? (options.claim ? 'Bound' : 'Available') },
  };
  return validateObject(PersistentVolume, input).object as unknown as PersistentVolume;
}

export function makeClass(
  name: string,
  options: {
    mode?: 'Immediate' | 'WaitForFirstConsumer';
    provisioner?: string;
    zones?: string[];
  } = {},
): StorageClass {
  const input = {
    metadata: { name },
    provisioner: options.provisioner ?? 'csi.example.dev',
    volumeBindingMode: options.mode ?? 'WaitForFirstConsumer',
    ...(options.zones
      ? { allowedTopologies: [{ matchLabelExpressions: [{ key: ZONE, values: options.zones }] }] }
      : {}),
  };
  return validateObject(StorageClass, input).object as unknown as StorageClass;
}

/**
 * The PV controller's half of the contract, for tests: a volume given a
 * `claimRef` gets its claim bound to it; a claim carrying the selected-node
 * annotation gets a volume provisioned on that node (pinned to its hostname)
 * and is bound to it. `stop()` ends it.
 */
export function simulatePvController(store: Store): { stop(): void } {
  const volumes = createInformer(store, PersistentVolume);
  const claims = createInformer(store, PersistentVolumeClaim);
  const bindClaim = async (namespace: string, name: string, volumeName: string) => {
    const claim = await store.patch(
      PersistentVolumeClaim,
      name,
      (draft) => {
        draft.spec.volumeName = volumeName;
        return draft;
      },
      { namespace },
    );
    await store.patch(
      PersistentVolumeClaim,
      claim.metadata.name,
      (draft) => {
        draft.status = { phase: 'Bound' };
        return draft;
      },
      { namespace, subresource: 'status' },
    );
  };
  volumes.on('update', (_old, pv) => {
    const ref = pv.spec.claimRef;
    if (ref?.name === undefined || pv.status?.phase === 'Bound') return;
    const claim = claims.get(ref.name, ref.namespace);
    if (claim === undefined || claim.spec.volumeName) return;
    void store
      .patch(PersistentVolume, pv.metadata.name, (d) => ({ ...d, status: { phase: 'Bound' as const } }), {
        subresource: 'status',
      })
      .then(() => bindClaim(ref.namespace ?? '', ref.name as string, pv.metadata.name));
  });
  const provision = (claim: PersistentVolumeClaim) => {
    const node = claim.metadata.annotations?.[ANN_SELECTED_NODE];
    if (node === undefined || claim.spec.volumeName) return;
    const name = `pvc-${claim.metadata.uid}`;
    if (volumes.get(name) !== undefined) return;
    void store
      .create(PersistentVolume, {
        metadata: { name },
        spec: {
          capacity: { storage: claim.spec.resources.requests?.storage ?? '1Gi' },
          accessModes: claim.spec.accessModes ?? ['ReadWriteOnce'],
          ...(claim.spec.storageClassName ? { storageClassName: claim.spec.storageClassName } : {}),
          csi: { driver: 'csi.example.dev', volumeHandle: name },
          claimRef: { namespace: claim.metadata.namespace ?? '', name: claim.metadata.name, uid: claim.metadata.uid },
          nodeAffinity: {
            required: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] },
              ],
            },
          },
        },
      })
      .then(() => bindClaim(claim.metadata.namespace ?? '', claim.metadata.name, name));
  };
  claims.on('add', provision);
  claims.on('update', (_old, claim) => provision(claim));
  volumes.start();
  claims.start();
  return {
    stop() {
      volumes.stop();
      claims.stop();
    },
  };
}
