/**
 * `v1` PersistentVolumeClaim: a request for storage of a size and access
 * mode, bound to one PersistentVolume that satisfies it.
 */
import { defineResource, type FieldIssue, type ResourceOf } from '@keelson/core';
import { z } from 'zod';
import { parseQuantity } from '../quantity/index';
import { metaConditionSchema } from './condition';
import { labelSelectorSchema } from './labelSelector';
import {
  accessModeIssues,
  accessModeSchema,
  positiveQuantityIssues,
  storageClassNameIssues,
  volumeModeSchema,
} from './persistentVolume';
import { resourceList, supportedValues } from './primitives';
import { jsonEqual } from './workload';

/** The object a claim is populated from (a VolumeSnapshot, another claim). */
export const typedLocalObjectReferenceSchema = z.object({
  apiGroup: z.string().exactOptional(),
  kind: z.string().min(1, { error: 'Required value' }),
  name: z.string().min(1, { error: 'Required value' }),
});

/** A claim's spec, with `SetDefaults_PersistentVolumeClaimSpec`: volume mode Filesystem. */
export const persistentVolumeClaimSpecSchema = z.object({
  accessModes: z.array(accessModeSchema).exactOptional(),
  selector: labelSelectorSchema.exactOptional(),
  resources: z.object({ requests: resourceList.exactOptional(), limits: resourceList.exactOptional() }).prefault({}),
  volumeName: z.string().exactOptional(),
  storageClassName: z.string().exactOptional(),
  volumeMode: volumeModeSchema.default('Filesystem'),
  dataSource: typedLocalObjectReferenceSchema.exactOptional(),
  dataSourceRef: typedLocalObjectReferenceSchema.extend({ namespace: z.string().exactOptional() }).exactOptional(),
  volumeAttributesClassName: z.string().exactOptional(),
});

/** A claim's phase; a new claim is `Pending`. */
export const persistentVolumeClaimPhaseSchema = supportedValues(['Pending', 'Bound', 'Lost']);

/** What the PV controller observed: the bound volume's access modes and capacity, conditions. */
export const persistentVolumeClaimStatusSchema = z.object({
  phase: persistentVolumeClaimPhaseSchema.default('Pending'),
  accessModes: z.array(accessModeSchema).exactOptional(),
  capacity: resourceList.exactOptional(),
  conditions: z.array(metaConditionSchema).exactOptional(),
  allocatedResources: resourceList.exactOptional(),
  allocatedResourceStatuses: z.record(z.string(), z.string()).exactOptional(),
  currentVolumeAttributesClassName: z.string().exactOptional(),
});

type ClaimSpec = z.output<typeof persistentVolumeClaimSpecSchema>;
type ClaimStatus = z.output<typeof persistentVolumeClaimStatusSchema>;
interface ClaimLike {
  spec: ClaimSpec;
  status?: ClaimStatus;
}

/** The rules on a claim's spec (also a StatefulSet's claim templates), with paths under `path`. */
export function claimSpecIssues(spec: ClaimSpec, path: string): FieldIssue[] {
  const issues = accessModeIssues(spec.accessModes, `${path}.accessModes`, 'at least 1 access mode is required');
  const storage = spec.resources.requests?.storage;
  if (storage === undefined) issues.push({ path: `${path}.resources[storage]`, message: 'Required value' });
  else issues.push(...positiveQuantityIssues(storage, `${path}.resources[storage]`));
  issues.push(...storageClassNameIssues(spec.storageClassName, `${path}.storageClassName`));
  return issues;
}

function specIssues({ spec }: ClaimLike): FieldIssue[] {
  return claimSpecIssues(spec, 'spec');
}

const IMMUTABLE_SPEC =
  'Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';

function updateIssues(old: ClaimLike, next: ClaimLike): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const bound = old.status?.phase === 'Bound';
  // What may change: volumeName once (binding), and for bound claims the storage request.
  const comparable = (
    spec: ClaimSpec,
    volumeName: string | undefined,
    requests: ClaimSpec['resources']['requests'],
  ) => {
    const { volumeName: _name, resources, ...rest } = spec;
    return { ...rest, volumeName, resources: { ...resources, requests } };
  };
  const volumeName = old.spec.volumeName ? old.spec.volumeName : next.spec.volumeName;
  const requests = bound ? next.spec.resources.requests : old.spec.resources.requests;
  if (
    !jsonEqual(
      comparable(old.spec, volumeName, requests),
      comparable(next.spec, next.spec.volumeName, next.spec.resources.requests),
    )
  ) {
    issues.push({ path: 'spec', message: IMMUTABLE_SPEC });
  }
  const before = old.spec.resources.requests?.storage;
  const after = next.spec.resources.requests?.storage;
  // A bound claim may shrink its request back toward (never to) what the volume has, to recover from a failed expansion.
  if (bound && before !== undefined && after !== undefined && parseQuantity(after).cmp(parseQuantity(before)) < 0) {
    const capacity = old.status?.capacity?.storage ?? '0';
    if (parseQuantity(after).cmp(parseQuantity(capacity)) <= 0) {
      issues.push({
        path: 'spec.resources.requests.storage',
        message: 'Forbidden: field can not be less than status.capacity',
      });
    }
  }
  return [...issues, ...specIssues(next)];
}

/**
 * The PersistentVolumeClaim kind. A claim needs at least one access mode
 * and a positive `resources.requests.storage`. Its spec is fixed once
 * created, except `volumeName`, which may be set once (binding), and, for a
 * bound claim, the storage request, which may grow (expansion) and shrink
 * back only while it stays above `status.capacity`. A new claim is `Pending`; `spec.volumeName`,
 * `spec.storageClassName` and `status.phase` are selectable.
 *
 * @example
 * ```ts
 * const claim = await store.create(PersistentVolumeClaim, {
 *   metadata: { name: 'data', namespace: 'default' },
 *   spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'fast' },
 * });
 * claim.status?.phase; // 'Pending'
 * ```
 */
export const PersistentVolumeClaim = defineResource({
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  plural: 'persistentvolumeclaims',
  namespaced: true,
  spec: persistentVolumeClaimSpecSchema,
  status: persistentVolumeClaimStatusSchema,
  fields: {
    'spec.volumeName': { get: (claim) => claim.spec.volumeName ?? '' },
    'spec.storageClassName': { get: (claim) => claim.spec.storageClassName ?? '' },
    'status.phase': { get: (claim) => claim.status?.phase ?? '' },
  },
  strategy: {
    prepareForCreate: (claim) => ({ ...claim, status: { phase: 'Pending' as const } }),
    validate: specIssues,
    validateUpdate: updateIssues,
  },
});
export type PersistentVolumeClaim = ResourceOf<typeof PersistentVolumeClaim>;
