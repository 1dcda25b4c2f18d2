import type { Random } from '@keelson/clock';
import { invalidName } from '@keelson/core';

let lastFormatted = { ms: Number.NaN, text: '' };

/**
 * Formats epoch milliseconds as a `metav1.Time`: RFC 3339 at second
 * precision (`2026-01-01T00:00:00Z`), as Kubernetes serializes
 * `firstTimestamp` and `lastTimestamp`.
 */
export function formatEventTime(ms: number): string {
  // Events come in bursts at one instant (a virtual clock may stamp thousands
  // with one millisecond): remember the last one formatted.
  if (ms !== lastFormatted.ms) lastFormatted = { ms, text: `${new Date(ms).toISOString().slice(0, 19)}Z` };
  return lastFormatted.text;
}

/** Makes the name of a new Event about the object named `refName`, at `nowMs`. */
export type EventNamer = (refName: string, nowMs: number) => string;

/**
 * Names Events as client-go does, `<involvedObject.name>.<hex nanoseconds>`
 * (16 hex digits for present-day times), so `kubectl get events` sorts them
 * by time. The clock gives milliseconds only, so the sub-millisecond part is
 * a per-namer counter (offset by one draw from `random`, when given, so two
 * recorders in one millisecond do not collide). A name that would not be a
 * valid DNS subdomain (a long or upper-case `refName`) becomes a UUID from
 * `random`, as upstream does, or the bare hex without `random`.
 */
export function createEventNamer(random?: Random): EventNamer {
  let sequence = random === undefined ? 0 : random.int(1_000_000);
  let lastMillis = Number.NaN;
  let lastNanos = 0n;
  return (refName, nowMs) => {
    const millis = Math.max(0, Math.floor(nowMs));
    if (millis !== lastMillis) {
      lastMillis = millis;
      lastNanos = BigInt(millis) * 1_000_000n;
    }
    const nanos = lastNanos + BigInt(sequence % 1_000_000);
    sequence += 1;
    const hex = nanos.toString(16).padStart(16, '0');
    const name = `${refName}.${hex}`;
    if (invalidName(name, 'subdomain') === undefined) return name;
    return random === undefined ? hex : random.uuid();
  };
}
