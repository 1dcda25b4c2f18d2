/** Adding and removing one finalizer, writing only when it changes. */
import type { Client } from '@keelson/controller';
import type { KubeObject } from '@keelson/core';
import { isKeelsonError } from '@keelson/core';

/** Adds `finalizer` to a live object that lacks it. */
export async function addFinalizer<T extends KubeObject>(client: Client, object: T, finalizer: string): Promise<void> {
  const finalizers = object.metadata.finalizers ?? [];
  if (finalizers.includes(finalizer) || object.metadata.deletionTimestamp !== undefined) return;
  await client.update({ ...object, metadata: { ...object.metadata, finalizers: [...finalizers, finalizer] } });
}

/** Removes `finalizer`; an object already gone is fine. */
export async function removeFinalizer<T extends KubeObject>(
  client: Client,
  object: T,
  finalizer: string,
): Promise<void> {
  const finalizers = object.metadata.finalizers ?? [];
  if (!finalizers.includes(finalizer)) return;
  try {
    await client.update({
      ...object,
      metadata: { ...object.metadata, finalizers: finalizers.filter((f) => f !== finalizer) },
    });
  } catch (error) {
    if (!isKeelsonError(error, 'NotFound')) throw error;
  }
}
