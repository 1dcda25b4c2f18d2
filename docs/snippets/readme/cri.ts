// #region example
import { ContainerState, isCriError, type RuntimeService } from '@keelson/cri';

/** The names of a runtime's running containers — any CRI runtime, real or mock. */
export async function runningContainers(runtime: RuntimeService): Promise<string[]> {
  try {
    const containers = await runtime.listContainers({ state: ContainerState.CONTAINER_RUNNING });
    return containers.map((c) => c.metadata.name);
  } catch (error) {
    if (isCriError(error, 'Unavailable')) return []; // the runtime is down: nothing known to run
    throw error;
  }
}
// #endregion
