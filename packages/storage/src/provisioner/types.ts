/**
 * The seam between the PV controller and the storage it provisions: a
 * provisioner makes and deletes volumes for one driver name, as a CSI
 * driver's controller service does behind Kubernetes' external-provisioner.
 */
import type { Node, PersistentVolume, PersistentVolumeClaim, StorageClass } from '@keelson/api';

/** What a provisioner is asked to make. */
export interface ProvisionRequest {
  /** The claim to make a volume for. */
  claim: PersistentVolumeClaim;
  /** Its class: parameters, reclaim policy, mount options, allowed topologies. */
  storageClass: StorageClass;
  /** The name the volume must have: `pvc-<claim uid>`. */
  volumeName: string;
  /** The node the scheduler chose for the claim's first consumer (WaitForFirstConsumer), when there is one. */
  selectedNode?: Node;
  /** Aborts when the controller stops: give up and throw. */
  signal?: AbortSignal;
}

/**
 * A volume to create, as a provisioner returns it: its `spec` (source,
 * capacity, access modes, reclaim policy, node affinity …) and any labels
 * or annotations of its own. The controller names it, binds it to the
 * claim (`claimRef`) and sets its class.
 */
export interface ProvisionedVolume {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: Omit<PersistentVolume['spec'], 'claimRef' | 'storageClassName'>;
}

/** What an expansion achieved. */
export interface ExpansionResult {
  /** The volume's new size (at least the size asked for). */
  capacity: string;
}

/**
 * A dynamic provisioner, registered with the PV controller under the
 * driver name StorageClasses name in `provisioner`.
 *
 * @example
 * ```ts
 * const provisioner: Provisioner = {
 *   name: 'disk.example.dev',
 *   async provision({ claim, storageClass, volumeName }) {
 *     const handle = await cloud.createDisk(volumeName, claim.spec.resources.requests?.storage);
 *     return { spec: { capacity: { storage: claim.spec.resources.requests?.storage ?? '1Gi' },
 *       accessModes: claim.spec.accessModes, persistentVolumeReclaimPolicy: storageClass.reclaimPolicy,
 *       volumeMode: claim.spec.volumeMode, csi: { driver: 'disk.example.dev', volumeHandle: handle } } };
 *   },
 *   async delete(pv) { await cloud.deleteDisk(pv.spec.csi?.volumeHandle); },
 * };
 * ```
 */
export interface Provisioner {
  /** The driver name, as StorageClasses name it in `provisioner` (e.g. `mock.csi.keelson.dev`). */
  readonly name: string;
  /** Makes the storage for a claim and returns the volume to create; throw to fail (the claim gets a ProvisioningFailed event and is retried). */
  provision(request: ProvisionRequest): Promise<ProvisionedVolume>;
  /** Deletes a released volume's storage (reclaim policy Delete); throw to fail (the volume goes Failed and is retried). */
  delete(volume: PersistentVolume, options?: { signal?: AbortSignal }): Promise<void>;
  /** Grows a volume's storage to at least `size`; absent when the driver cannot expand volumes. */
  expand?(volume: PersistentVolume, size: string, options?: { signal?: AbortSignal }): Promise<ExpansionResult>;
}
