/** Pod writes the workload controllers share. */
import { Pod } from '@keelson/api';
import type { Client } from '@keelson/controller';
import { isKeelsonError } from '@keelson/core';

/**
 * Deletes a pod by uid (a newer pod of the same name is left alone),
 * retrying when a concurrent status write (the kubelet's) wins the race.
 */
export async function deletePodWithRetry(client: Client, pod: Pod): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.delete(Pod, pod.metadata.name, {
        namespace: pod.metadata.namespace,
        preconditions: { uid: pod.metadata.uid },
      });
      return;
    } catch (error) {
      if (!isKeelsonError(error, 'Conflict') || attempt >= 5) throw error;
    }
  }
}

/** An error's message. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
