/**
 * The storage admission plugins Kubernetes enables by default:
 * DefaultStorageClass (a claim without a class gets the default one) and
 * PersistentVolumeClaimResize (only claims of a class that allows
 * expansion may grow).
 */
import { type AdmissionPlugin, ForbiddenError, type KubeObject } from '@keelson/core';
import { StorageClass } from '../kinds/storageClass';
import { parseQuantity } from '../quantity/index';

const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
const BETA_DEFAULT_CLASS = 'storageclass.beta.kubernetes.io/is-default-class';
const BETA_CLASS = 'volume.beta.kubernetes.io/storage-class';

interface ClaimInput extends KubeObject {
  spec?: { storageClassName?: string; resources?: { requests?: Record<string, string> } };
  status?: { phase?: string };
}

const isClaim = (type: { kind: string; group: string }) => type.kind === 'PersistentVolumeClaim' && type.group === '';

function isDefaultClass(storageClass: KubeObject): boolean {
  const annotations = storageClass.metadata.annotations ?? {};
  return annotations[DEFAULT_CLASS] === 'true' || annotations[BETA_DEFAULT_CLASS] === 'true';
}

/** The class a claim names, through the beta annotation or `spec.storageClassName`. */
function claimClassOf(claim: ClaimInput): string | undefined {
  return claim.metadata.annotations?.[BETA_CLASS] ?? claim.spec?.storageClassName;
}

/**
 * The DefaultStorageClass plugin: a claim created without
 * `storageClassName` (and without the beta class annotation) gets the
 * StorageClass annotated `storageclass.kubernetes.io/is-default-class:
 * "true"` — the newest when several are, by name on a tie. A claim that
 * names a class, even `""`, is left alone; with no default class nothing
 * changes.
 */
export function defaultStorageClass(): AdmissionPlugin {
  return {
    name: 'DefaultStorageClass',
    async mutate({ operation, type, object, store }) {
      if (operation !== 'CREATE' || !isClaim(type)) return undefined;
      const claim = object as ClaimInput;
      if (claimClassOf(claim) !== undefined) return undefined;
      const defaults = (await store.list(StorageClass)).items.filter(isDefaultClass);
      defaults.sort(
        (a, b) =>
          (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') ||
          a.metadata.name.localeCompare(b.metadata.name),
      );
      const chosen = defaults[0];
      if (chosen === undefined) return undefined;
      return { ...claim, spec: { ...claim.spec, storageClassName: chosen.metadata.name } } as KubeObject;
    },
  };
}

/**
 * The PersistentVolumeClaimResize plugin: raising a claim's storage request
 * is refused unless the claim is Bound and its StorageClass sets
 * `allowVolumeExpansion: true`, with Kubernetes' messages.
 */
export function persistentVolumeClaimResize(): AdmissionPlugin {
  return {
    name: 'PersistentVolumeClaimResize',
    async validate({ operation, type, object, oldObject, subresource, store }) {
      if (operation !== 'UPDATE' || !isClaim(type) || subresource !== undefined || oldObject === undefined) return;
      const claim = object as ClaimInput;
      const old = oldObject as ClaimInput;
      const before = old.spec?.resources?.requests?.storage;
      const after = claim.spec?.resources?.requests?.storage;
      if (before === undefined || after === undefined || parseQuantity(after).cmp(parseQuantity(before)) <= 0) return;
      const what = `persistentvolumeclaims "${claim.metadata.name}" is forbidden`;
      if (old.status?.phase !== 'Bound') {
        throw new ForbiddenError(`${what}: Only bound persistent volume claims can be expanded`);
      }
      const className = claimClassOf(claim) ?? '';
      let allowed = false;
      if (className !== '' && className === (claimClassOf(old) ?? '')) {
        const storageClass = (await store.list(StorageClass)).items.find((c) => c.metadata.name === className);
        allowed = storageClass?.allowVolumeExpansion === true;
      }
      if (!allowed) {
        throw new ForbiddenError(
          `${what}: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize`,
        );
      }
    },
  };
}
