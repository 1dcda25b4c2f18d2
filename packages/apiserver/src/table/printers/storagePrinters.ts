import { ageOf } from '../humanDuration';
import { at, type Json, listAt, stringAt } from '../objectFields';
import type { PrintContext, Printer } from '../tableTypes';
import { ageColumn, column, nameColumn } from './columns';

/* StorageClasses, PersistentVolumes and PersistentVolumeClaims, with Kubernetes' columns. */

const DEFAULT_CLASS_ANNOTATIONS = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

const BETA_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

const ACCESS_MODES: readonly [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** `RWO,ROX`: the modes present, in Kubernetes' fixed order, each once. */
function accessModes(modes: readonly unknown[]): string {
  return ACCESS_MODES.filter(([mode]) => modes.includes(mode))
    .map(([, short]) => short)
    .join(',');
}

/** The class of a volume or claim: the field, else the beta annotation. */
function storageClassOf(object: Json): string {
  return (
    stringAt(object, 'spec', 'storageClassName') || stringAt(object, 'metadata', 'annotations', BETA_CLASS_ANNOTATION)
  );
}

function phaseOf(object: Json): string {
  return at(object, 'metadata', 'deletionTimestamp') === undefined
    ? stringAt(object, 'status', 'phase')
    : 'Terminating';
}

function unset(text: string): string {
  return text === '' ? '<unset>' : text;
}

function age(object: Json, now: number): string {
  return ageOf(at(object, 'metadata', 'creationTimestamp'), now);
}

export const storageClassPrinter: Printer = {
  columns: [
    nameColumn,
    column('Provisioner', 'string', 'Indicates the type of the provisioner.'),
    column('ReclaimPolicy', 'string', 'Indicates the type of the reclaim policy.'),
    column('VolumeBindingMode', 'string', 'Indicates when volume binding and dynamic provisioning should occur.'),
    column('AllowVolumeExpansion', 'string', 'Indicates whether the storage class allow volume expand.'),
    ageColumn,
  ],
  cells: (sc: Json, { now }: PrintContext) => {
    const isDefault = DEFAULT_CLASS_ANNOTATIONS.some((key) => stringAt(sc, 'metadata', 'annotations', key) === 'true');
    return [
      `${stringAt(sc, 'metadata', 'name')}${isDefault ? ' (default)' : ''}`,
      stringAt(sc, 'provisioner'),
      stringAt(sc, 'reclaimPolicy') || 'Delete',
      stringAt(sc, 'volumeBindingMode') || 'Immediate',
      at(sc, 'allowVolumeExpansion') === true,
      age(sc, now),
    ];
  },
};

export const persistentVolumePrinter: Printer = {
  columns: [
    nameColumn,
    column('Capacity', 'string', "capacity is the description of the persistent volume's resources and capacity."),
    column('Access Modes', 'string', 'accessModes contains all ways the volume can be mounted.'),
    column(
      'Reclaim Policy',
      'string',
      'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.',
    ),
    column('Status', 'string', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    column(
      'Claim',
      'string',
      'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.',
    ),
    column('StorageClass', 'string', 'StorageClass of the pv'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    column('Reason', 'string', 'reason is a brief CamelCase string that describes any failure.'),
    ageColumn,
    column(
      'VolumeMode',
      'string',
      'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.',
      { priority: 1 },
    ),
  ],
  cells: (pv: Json, { now }: PrintContext) => {
    const claim =
      at(pv, 'spec', 'claimRef') === undefined
        ? ''
        : `${stringAt(pv, 'spec', 'claimRef', 'namespace')}/${stringAt(pv, 'spec', 'claimRef', 'name')}`;
    return [
      stringAt(pv, 'metadata', 'name'),
      stringAt(pv, 'spec', 'capacity', 'storage') || '0',
      accessModes(listAt(pv, 'spec', 'accessModes')),
      stringAt(pv, 'spec', 'persistentVolumeReclaimPolicy'),
      phaseOf(pv),
      claim,
      storageClassOf(pv),
      unset(stringAt(pv, 'spec', 'volumeAttributesClassName')),
      stringAt(pv, 'status', 'reason'),
      age(pv, now),
      unset(stringAt(pv, 'spec', 'volumeMode')),
    ];
  },
};

export const persistentVolumeClaimPrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'string', 'phase represents the current phase of PersistentVolumeClaim.'),
    column('Volume', 'string', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    column('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.'),
    column('Access Modes', 'string', 'accessModes contains the desired access modes the volume should have.'),
    column('StorageClass', 'string', 'StorageClass of the pvc'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    ageColumn,
    column('VolumeMode', 'string', 'volumeMode defines what type of volume is required by the claim.', { priority: 1 }),
  ],
  // Capacity and access modes are the bound volume's, shown once the claim names one.
  cells: (claim: Json, { now }: PrintContext) => {
    const volume = stringAt(claim, 'spec', 'volumeName');
    return [
      stringAt(claim, 'metadata', 'name'),
      phaseOf(claim),
      volume,
      volume === '' ? '' : stringAt(claim, 'status', 'capacity', 'storage') || '0',
      volume === '' ? '' : accessModes(listAt(claim, 'status', 'accessModes')),
      storageClassOf(claim),
      unset(stringAt(claim, 'spec', 'volumeAttributesClassName')),
      age(claim, now),
      unset(stringAt(claim, 'spec', 'volumeMode')),
    ];
  },
};
