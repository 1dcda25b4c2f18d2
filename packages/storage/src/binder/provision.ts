/**
 * Dynamic provisioning (pv_controller's provisionClaim and the CSI
 * external-provisioner's flow): annotate the claim with its provisioner,
 * have the provisioner make the storage, create the volume `pvc-<uid>`
 * pre-bound to the claim. The binding itself is the next claim sync's.
 */
import { Node, PersistentVolume, type PersistentVolumeClaim, StorageClass } from '@keelson/api';
import { isKeelsonError } from '@keelson/core';
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  PV_DELETION_PROTECTION_FINALIZER,
  StorageEventReason,
} from '../constants';
import type { Provisioner } from '../provisioner/types';
import { type BinderContext, errorMessage, runOperation } from './context';
import { claimClass, claimKey } from './volumes';
import { claimRefFor } from './writes';

/** The name Kubernetes gives a provisioned volume. */
export function provisionedVolumeName(claim: PersistentVolumeClaim): string {
  return `pvc-${claim.metadata.uid}`;
}

async function setClaimProvisioner(
  context: BinderContext,
  claim: PersistentVolumeClaim,
  provisioner: string,
): Promise<PersistentVolumeClaim> {
  const annotations = claim.metadata.annotations ?? {};
  if (
    annotations[ANN_STORAGE_PROVISIONER] === provisioner &&
    annotations[ANN_BETA_STORAGE_PROVISIONER] === provisioner
  ) {
    return claim;
  }
  return context.client.update({
    ...claim,
    metadata: {
      ...claim.metadata,
      annotations: {
        ...annotations,
        [ANN_STORAGE_PROVISIONER]: provisioner,
        [ANN_BETA_STORAGE_PROVISIONER]: provisioner,
      },
    },
  });
}

/** A scheduler-selected node whose provisioning failed is given back, so the scheduler can choose again. */
async function rescheduleProvisioning(context: BinderContext, claim: PersistentVolumeClaim): Promise<void> {
  const annotations = claim.metadata.annotations ?? {};
  if (annotations[ANN_SELECTED_NODE] === undefined) return;
  const { [ANN_SELECTED_NODE]: _node, ...rest } = annotations;
  await context.client.update({ ...claim, metadata: { ...claim.metadata, annotations: rest } });
}

async function volumeExists(context: BinderContext, name: string): Promise<boolean> {
  if (context.cache.get(PersistentVolume, name) !== undefined) return true;
  try {
    await context.client.get(PersistentVolume, name);
    return true;
  } catch (error) {
    if (isKeelsonError(error, 'NotFound')) return false;
    throw error;
  }
}

async function provisionWith(
  context: BinderContext,
  claim: PersistentVolumeClaim,
  storageClass: StorageClass,
  provisioner: Provisioner,
): Promise<void> {
  const volumeName = provisionedVolumeName(claim);
  if (await volumeExists(context, volumeName)) return;
  const selected = claim.metadata.annotations?.[ANN_SELECTED_NODE];
  let selectedNode: Node | undefined;
  if (selected !== undefined) {
    try {
      selectedNode = context.cache.get(Node, selected) ?? (await context.client.get(Node, selected));
    } catch (error) {
      await context.event(
        claim,
        'Warning',
        StorageEventReason.ProvisioningFailed,
        `Failed to get target node: ${errorMessage(error)}`,
      );
      throw error;
    }
  }
  await context.event(
    claim,
    'Normal',
    StorageEventReason.Provisioning,
    `External provisioner is provisioning volume for claim "${claimKey(claim)}"`,
  );
  let made: Awaited<ReturnType<Provisioner['provision']>>;
  try {
    made = await provisioner.provision({
      claim,
      storageClass,
      volumeName,
      signal: context.signal,
      ...(selectedNode === undefined ? {} : { selectedNode }),
    });
  } catch (error) {
    if (context.signal.aborted) throw error;
    await context.event(
      claim,
      'Warning',
      StorageEventReason.ProvisioningFailed,
      `failed to provision volume with StorageClass "${storageClass.metadata.name}": ${errorMessage(error)}`,
    );
    await rescheduleProvisioning(context, claim);
    // With a selected node given back the claim's own update brings it round again; otherwise retry with backoff.
    if (selected !== undefined) return;
    throw error;
  }
  const spec = made.spec;
  const volume = {
    metadata: {
      name: volumeName,
      labels: { ...made.metadata?.labels },
      annotations: { ...made.metadata?.annotations, [ANN_DYNAMICALLY_PROVISIONED]: provisioner.name },
      ...(spec.persistentVolumeReclaimPolicy === 'Delete' ? { finalizers: [PV_DELETION_PROTECTION_FINALIZER] } : {}),
    },
    spec: { ...spec, claimRef: claimRefFor(claim), storageClassName: claimClass(claim) },
  };
  try {
    await context.client.create(PersistentVolume, volume as never);
  } catch (error) {
    if (!isKeelsonError(error, 'AlreadyExists')) {
      await context.event(
        claim,
        'Warning',
        StorageEventReason.ProvisioningFailed,
        `Error creating provisioned PV object for claim ${claimKey(claim)}: ${errorMessage(error)}. Deleting the volume.`,
      );
      await provisioner.delete({ ...volume, status: { phase: 'Pending' } } as unknown as PersistentVolume);
      throw error;
    }
  }
  await context.event(
    claim,
    'Normal',
    StorageEventReason.ProvisioningSucceeded,
    `Successfully provisioned volume ${volumeName}`,
  );
}

/**
 * Provisions a volume for a claim of a class: through the registered
 * provisioner of the class's `provisioner` name; an unknown name outside
 * `kubernetes.io/` is left to an external provisioner (or an administrator),
 * as Kubernetes does.
 */
export async function provisionClaim(context: BinderContext, claim: PersistentVolumeClaim): Promise<void> {
  const className = claimClass(claim);
  const storageClass = context.cache.get(StorageClass, className);
  if (storageClass === undefined) {
    await context.event(
      claim,
      'Warning',
      StorageEventReason.ProvisioningFailed,
      `storageclass.storage.k8s.io "${className}" not found`,
    );
    return;
  }
  const name = storageClass.provisioner;
  const provisioner = context.provisioners.get(name);
  if (provisioner === undefined && name.startsWith('kubernetes.io/')) {
    await context.event(
      claim,
      'Warning',
      StorageEventReason.ProvisioningFailed,
      `no volume plugin matched name: ${name}`,
    );
    return;
  }
  const annotated = await setClaimProvisioner(context, claim, name);
  await context.event(
    annotated,
    'Normal',
    StorageEventReason.ExternalProvisioning,
    `Waiting for a volume to be created either by the external provisioner '${name}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
  );
  if (provisioner === undefined) return;
  await runOperation(context, `provision-${claimKey(annotated)}[${annotated.metadata.uid}]`, () =>
    provisionWith(context, annotated, storageClass, provisioner),
  );
}
