import type { Clock } from '@keelson/clock';
import type { ContainerRecord } from './context';

/** Resolves after `ms` on the clock. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

/**
 * Waits `ms` on the clock (forever when `ms` is undefined) or until the
 * container's process ends, whichever is first, and says which it was.
 */
export function waitOrExit(
  clock: Clock,
  record: ContainerRecord,
  ms: number | undefined,
): Promise<'elapsed' | 'exited'> {
  if (record.state !== 'CONTAINER_RUNNING') return Promise.resolve('exited');
  return new Promise((resolve) => {
    const onExit = () => {
      if (timer !== undefined) clock.clearTimeout(timer);
      resolve('exited');
    };
    const timer =
      ms === undefined
        ? undefined
        : clock.setTimeout(() => {
            const at = record.onExit.indexOf(onExit);
            if (at >= 0) record.onExit.splice(at, 1);
            resolve('elapsed');
          }, ms);
    record.onExit.push(onExit);
  });
}
