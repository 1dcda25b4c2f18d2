/** What a pod worker reports besides its status: log lines for its events, its share of the running gauges. */
import type { Logger } from '@keelson/core';
import { containerStateLabel, type RunningContribution } from './metrics';
import type { Slot } from './slot';

/**
 * Logs a pod event at the level an operator wants: containers started and killed at info, every
 * warning (failed probes, pulls and hooks, crash-loop back-off) at warn, the rest (Pulling,
 * Created, …) at debug.
 */
export function logPodEvent(logger: Logger, type: 'Normal' | 'Warning', reason: string, message: string): void {
  const fields = { reason };
  if (type === 'Warning') logger.warn(fields, message);
  else if (reason === 'Started' || reason === 'Killing') logger.info(fields, message);
  else logger.debug(fields, message);
}

/** One pod's share of the running gauges: its sandbox when it runs, its containers by state. */
export function runningContribution(
  sandboxRunning: boolean,
  done: boolean,
  slots: Iterable<Slot>,
): RunningContribution {
  const next: RunningContribution = { pods: sandboxRunning && !done ? 1 : 0, containers: {} };
  if (done) return next;
  for (const slot of slots) {
    if (slot.cri === undefined) continue;
    const state = containerStateLabel(slot.cri.state);
    next.containers[state] = (next.containers[state] ?? 0) + 1;
  }
  return next;
}
