/**
 * `v1` PersistentVolume: a piece of storage in the cluster, provisioned by
 * an administrator or a StorageClass, bound to at most one claim.
 */
import { defineResource, type FieldIssue, invalidName, type ResourceOf } from '@keelson/core';
import { z } from 'zod';
import { parseQuantity } from '../quantity/index';
import { metaConditionSchema } from './condition';
import { objectReference, resourceList, supportedValues, time } from './primitives';
import { nodeSelectorSchema } from './scheduling';
import { jsonEqual } from './workload';

/** How a volume may be mounted: by one node, read-only by many, read-write by many, or by one pod. */
export const accessModeSchema = supportedValues(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod']);

/** Whether a volume is a mounted filesystem (default) or a raw block device. */
export const volumeModeSchema = supportedValues(['Filesystem', 'Block']);

/** The volume sources a PersistentVolume may have; exactly one is required. */
export const PERSISTENT_VOLUME_SOURCES = ['hostPath', 'local', 'csi'] as const;

/** A persistent volume's spec, with `SetDefaults_PersistentVolume`: reclaim policy Retain, volume mode Filesystem. */
export const persistentVolumeSpecSchema = z.object({
  capacity: resourceList.exactOptional(),
  accessModes: z.array(accessModeSchema).exactOptional(),
  persistentVolumeReclaimPolicy: supportedValues(['Retain', 'Delete', 'Recycle']).default('Retain'),
  storageClassName: z.string().exactOptional(),
  volumeMode: volumeModeSchema.default('Filesystem'),
  claimRef: objectReference.exactOptional(),
  nodeAffinity: z.object({ required: nodeSelectorSchema.exactOptional() }).exactOptional(),
  mountOptions: z.array(z.string()).exactOptional(),
  hostPath: z
    .object({
      path: z.string().min(1, { error: 'Required value' }),
      type: z
        .enum(['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'])
        .default(''),
    })
    .exactOptional(),
  local: z
    .object({ path: z.string().min(1, { error: 'Required value' }), fsType: z.string().exactOptional() })
    .exactOptional(),
  csi: z
    .object({
      driver: z.string().min(1, { error: 'Required value' }),
      volumeHandle: z.string().min(1, { error: 'Required value' }),
      readOnly: z.boolean().exactOptional(),
      fsType: z.string().exactOptional(),
      volumeAttributes: z.record(z.string(), z.string()).exactOptional(),
    })
    .exactOptional(),
});

/** A persistent volume's phase; a new volume is `Pending`. */
export const persistentVolumePhaseSchema = supportedValues(['Pending', 'Available', 'Bound', 'Released', 'Failed']);

/** What the PV controller observed. */
export const persistentVolumeStatusSchema = z.object({
  phase: persistentVolumePhaseSchema.default('Pending'),
  message: z.string().exactOptional(),
  reason: z.string().exactOptional(),
  lastPhaseTransitionTime: time.exactOptional(),
  conditions: z.array(metaConditionSchema).exactOptional(),
});

type AccessMode = z.output<typeof accessModeSchema>;

/** The rules on access modes PersistentVolumes and claims share; `ReadWriteOncePod` stands alone. */
export function accessModeIssues(modes: readonly AccessMode[] | undefined, path: string, detail = ''): FieldIssue[] {
  if (modes === undefined || modes.length === 0) {
    return [{ path, message: detail ? `Required value: ${detail}` : 'Required value' }];
  }
  return modes.includes('ReadWriteOncePod') && modes.length > 1
    ? [{ path, message: 'Forbidden: may not use ReadWriteOncePod with other access modes' }]
    : [];
}

/** Issues for a storage quantity that must be positive, at `path`. */
export function positiveQuantityIssues(value: string, path: string): FieldIssue[] {
  return parseQuantity(value).cmp(parseQuantity('0')) > 0 ? [] : [{ path, message: 'must be greater than zero' }];
}

/** Issues for a `storageClassName`, which must be a DNS subdomain when set. */
export function storageClassNameIssues(name: string | undefined, path: string): FieldIssue[] {
  const problem = name === undefined || name === '' ? undefined : invalidName(name, 'subdomain');
  return problem ? [{ path, message: problem }] : [];
}

type PersistentVolumeSpec = z.output<typeof persistentVolumeSpecSchema>;

function specIssues({ spec }: { spec: PersistentVolumeSpec }): FieldIssue[] {
  const issues = accessModeIssues(spec.accessModes, 'spec.accessModes');
  const capacity = spec.capacity ?? {};
  const resources = Object.keys(capacity);
  if (resources.length === 0) issues.push({ path: 'spec.capacity', message: 'Required value' });
  else if (capacity.storage === undefined || resources.length > 1) {
    issues.push({
      path: 'spec.capacity',
      message: `Unsupported value: ${JSON.stringify(resources.sort().join(', '))}: supported values: "storage"`,
    });
  } else issues.push(...positiveQuantityIssues(capacity.storage, 'spec.capacity[storage]'));
  const sources = PERSISTENT_VOLUME_SOURCES.filter((source) => spec[source] !== undefined);
  if (sources.length === 0) issues.push({ path: 'spec', message: 'Required value: must specify a volume type' });
  for (const extra of sources.slice(1)) {
    issues.push({ path: `spec.${extra}`, message: 'Forbidden: may not specify more than 1 volume type' });
  }
  issues.push(...storageClassNameIssues(spec.storageClassName, 'spec.storageClassName'));
  if (spec.local !== undefined && spec.nodeAffinity === undefined) {
    issues.push({ path: 'spec.nodeAffinity', message: 'Required value: Local volume requires node affinity' });
  }
  if (spec.nodeAffinity !== undefined) {
    const required = spec.nodeAffinity.required;
    if (required === undefined) {
      issues.push({
        path: 'spec.nodeAffinity.required',
        message: 'Required value: must specify required node constraints',
      });
    } else if (required.nodeSelectorTerms.length === 0) {
      issues.push({
        path: 'spec.nodeAffinity.required.nodeSelectorTerms',
        message: 'Required value: must have at least one node selector term',
      });
    }
  }
  if (spec.persistentVolumeReclaimPolicy === 'Recycle' && spec.hostPath?.path.replace(/\/+$/, '') === '') {
    issues.push({
      path: 'spec.persistentVolumeReclaimPolicy',
      message: "Forbidden: may not be 'recycle' for a hostPath volume with path '/'",
    });
  }
  return issues;
}

function updateIssues(old: { spec: PersistentVolumeSpec }, next: { spec: PersistentVolumeSpec }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (PERSISTENT_VOLUME_SOURCES.some((source) => !jsonEqual(old.spec[source], next.spec[source]))) {
    issues.push({
      path: 'spec.persistentvolumesource',
      message: 'Forbidden: spec.persistentvolumesource is immutable after creation',
    });
  }
  if (old.spec.volumeMode !== next.spec.volumeMode) {
    issues.push({ path: 'spec.volumeMode', message: 'field is immutable' });
  }
  if (old.spec.nodeAffinity !== undefined && !jsonEqual(old.spec.nodeAffinity, next.spec.nodeAffinity)) {
    issues.push({ path: 'spec.nodeAffinity', message: 'field is immutable' });
  }
  return [...issues, ...specIssues(next)];
}

/**
 * The PersistentVolume kind (cluster-scoped). It needs `capacity.storage`
 * (positive), at least one access mode and exactly one source (`hostPath`,
 * `local` with node affinity, or `csi`); its source and `volumeMode` never
 * change. A new volume is `Pending`, stamped with its creation time;
 * `spec.storageClassName`, `spec.claimRef.name`, `spec.claimRef.namespace`
 * and `status.phase` are selectable.
 *
 * @example
 * ```ts
 * const pv = await store.create(PersistentVolume, {
 *   metadata: { name: 'pv-1' },
 *   spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data/pv-1' } },
 * });
 * pv.spec.persistentVolumeReclaimPolicy; // 'Retain'
 * ```
 */
export const PersistentVolume = defineResource({
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  plural: 'persistentvolumes',
  namespaced: false,
  spec: persistentVolumeSpecSchema,
  status: persistentVolumeStatusSchema,
  fields: {
    'spec.storageClassName': { get: (pv) => pv.spec.storageClassName ?? '' },
    'spec.claimRef.name': { get: (pv) => pv.spec.claimRef?.name ?? '' },
    'spec.claimRef.namespace': { get: (pv) => pv.spec.claimRef?.namespace ?? '' },
    'status.phase': { get: (pv) => pv.status?.phase ?? '' },
  },
  strategy: {
    prepareForCreate: (pv) => ({
      ...pv,
      status: { phase: 'Pending' as const, lastPhaseTransitionTime: pv.metadata.creationTimestamp },
    }),
    validate: specIssues,
    validateUpdate: updateIssues,
  },
});
export type PersistentVolume = ResourceOf<typeof PersistentVolume>;
