import type { Clock, TimerHandle } from '@keelson/clock';
import { KubeletLabel, type RuntimeService } from '@keelson/cri';

/** How often the agent relists as a safety net besides runtime events (the PLEG relist period). */
export const RELIST_PERIOD_MS = 10_000;

/**
 * Follows `getContainerEvents()` until `signal` aborts, calling `onPod` with
 * the uid of the pod each event is about. Errors end the stream quietly (the
 * relist covers for it).
 */
export async function followContainerEvents(
  runtime: RuntimeService,
  signal: AbortSignal,
  onPod: (uid: string) => void,
): Promise<void> {
  try {
    for await (const event of runtime.getContainerEvents({ signal })) {
      const uid =
        event.podSandboxStatus?.metadata.uid ??
        event.containersStatuses.find((s) => s.id === event.containerId)?.labels[KubeletLabel.PodUid];
      if (uid !== undefined) onPod(uid);
    }
  } catch {
    // runtime unavailable or events unimplemented: the periodic relist keeps pods in sync
  }
}

/** Calls `relist` every `periodMs` on background timers until the returned function is called. */
export function startRelist(clock: Clock, relist: () => void, periodMs = RELIST_PERIOD_MS): () => void {
  let handle: TimerHandle | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    relist();
    handle = clock.setTimeout(tick, periodMs, { background: true });
  };
  handle = clock.setTimeout(tick, periodMs, { background: true });
  return () => {
    stopped = true;
    if (handle !== undefined) clock.clearTimeout(handle);
  };
}
