import { systemClock } from '@keelson/clock';
import type { EventLog, LogEntry, NewLogEntry } from '@keelson/eventlog';
import { firstValueFrom, type Observable, take, toArray } from 'rxjs';

let time = 1_700_000_000_000;

/** A new entry for `key`. */
export function entry(key: string, data: unknown = { key }, extra: Partial<NewLogEntry> = {}): NewLogEntry {
  return { key, type: 'Thing', time: time++, data, ...extra };
}

export async function readAll(log: EventLog, options?: Parameters<EventLog['read']>[0]): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for await (const e of log.read(options)) out.push(e);
  return out;
}

export function collect(source: Observable<LogEntry>, count: number): Promise<LogEntry[]> {
  return firstValueFrom(source.pipe(take(count), toArray()));
}

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** Polls `check` every 20 ms until it holds, failing after `ms`. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  ms = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = systemClock.now() + ms;
  while (!(await check())) {
    if (systemClock.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    systemClock.setTimeout(resolve, ms);
  });
