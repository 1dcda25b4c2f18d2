import type { LogStream } from './behaviour';

/** One line of a container's log, as the runtime wrote it (the CRI log format's fields). */
export interface ContainerLogEntry {
  /** When the line was written: nanoseconds since the epoch, as CRI timestamps are. */
  readonly timestamp: bigint;
  readonly stream: LogStream;
  /** `F`: a full line (the mock writes no partial `P` lines). */
  readonly tag: 'F';
  /** The text, without its newline. */
  readonly text: string;
}

const NANOS_PER_MS = 1_000_000n;

/** The date and time to the second, `2026-01-01T00:00:01`, and the nanoseconds within it. */
function split(nanos: bigint): { seconds: string; fraction: string } {
  const ms = nanos / NANOS_PER_MS;
  const iso = new Date(Number(ms)).toISOString();
  const withinSecond = ((nanos % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
  return { seconds: iso.slice(0, 19), fraction: withinSecond.toString().padStart(9, '0') };
}

/**
 * A CRI timestamp (nanoseconds) as RFC 3339 in UTC. `fixed` gives all nine
 * fractional digits, as the kubelet prints `--timestamps`
 * (`2026-01-01T00:00:01.500000000Z`); otherwise trailing zeros go, as
 * containerd writes log files (`2026-01-01T00:00:01.5Z`, `…:01Z`).
 */
export function formatLogTimestamp(nanos: bigint, fixed = false): string {
  const { seconds, fraction } = split(nanos);
  if (fixed) return `${seconds}.${fraction}Z`;
  const trimmed = fraction.replace(/0+$/, '');
  return trimmed === '' ? `${seconds}Z` : `${seconds}.${trimmed}Z`;
}

/** The entry as a line of a CRI log file, without its newline: `2026-01-01T00:00:01Z stdout F hello`. */
export function formatCriLogLine(entry: ContainerLogEntry): string {
  return `${formatLogTimestamp(entry.timestamp)} ${entry.stream} ${entry.tag} ${entry.text}`;
}
