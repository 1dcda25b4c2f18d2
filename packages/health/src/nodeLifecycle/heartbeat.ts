/**
 * Heartbeat judging, as the node lifecycle controller's `probeTimestamp`
 * bookkeeping does it: a node is alive while its heartbeat keeps changing, and
 * the grace period runs from the LOCAL time at which the controller saw the
 * last change — never from the timestamps the node wrote, so a node whose
 * clock is skewed is judged fairly. Pure: no store, no timers.
 */
import { parseTime } from './time';

/** What heartbeat judging reads of a Node: its `Ready` condition's `lastHeartbeatTime`. */
export interface HeartbeatNode {
  status?: { conditions?: readonly { type: string; lastHeartbeatTime?: string }[] } | undefined;
}

/** What heartbeat judging reads of the node's Lease: its `renewTime`. */
export interface HeartbeatLease {
  spec: { renewTime?: string };
}

/** What the controller remembers about one node's heartbeat. */
export interface HeartbeatRecord {
  /** The last heartbeat seen (the node's own clock, ms), if any was ever posted. */
  readonly heartbeat: number | undefined;
  /** The controller's local time (ms) when that heartbeat was first seen, or when the node was first seen. */
  readonly observedAt: number;
}

/** The two grace periods: for nodes that have posted a `Ready` condition, and for nodes that never did. */
export interface GracePeriods {
  gracePeriodMs: number;
  startupGracePeriodMs: number;
}

/**
 * The node's last heartbeat (ms, by the node's clock): the later of its Lease's
 * `renewTime` and its `Ready` condition's `lastHeartbeatTime`; `undefined`
 * when it has posted neither.
 *
 * @example
 * ```ts
 * lastHeartbeat(node, lease); // Date.parse(lease.spec.renewTime) when the lease is newer
 * ```
 */
export function lastHeartbeat(node: HeartbeatNode, lease: HeartbeatLease | undefined): number | undefined {
  const ready = node.status?.conditions?.find((condition) => condition.type === 'Ready');
  const fromStatus = parseTime(ready?.lastHeartbeatTime);
  const fromLease = parseTime(lease?.spec.renewTime);
  if (fromStatus === undefined) return fromLease;
  if (fromLease === undefined) return fromStatus;
  return Math.max(fromStatus, fromLease);
}

/**
 * Folds one observation of a node's heartbeat into its record. A node seen for
 * the first time, or a heartbeat that changed since the last observation,
 * stamps `observedAt` with `now` (the controller's clock); an unchanged
 * heartbeat keeps the old stamp, so the grace period keeps running.
 *
 * @example
 * ```ts
 * let record = observeHeartbeat(undefined, lastHeartbeat(node, lease), clock.now());
 * record = observeHeartbeat(record, lastHeartbeat(node, renewedLease), clock.now()); // observedAt moves
 * ```
 */
export function observeHeartbeat(
  previous: HeartbeatRecord | undefined,
  heartbeat: number | undefined,
  now: number,
): HeartbeatRecord {
  if (previous === undefined) return { heartbeat, observedAt: now };
  // "Changed", not "later": a node whose clock jumped back is still alive.
  if (heartbeat === undefined || heartbeat === previous.heartbeat) return previous;
  return { heartbeat, observedAt: now };
}

/**
 * The grace period a node is entitled to: `startupGracePeriodMs` while it has
 * never posted a `Ready` condition (it may still be booting), else
 * `gracePeriodMs`.
 */
export function gracePeriodFor(node: HeartbeatNode, periods: GracePeriods): number {
  const hasReady = node.status?.conditions?.some((condition) => condition.type === 'Ready') === true;
  return hasReady ? periods.gracePeriodMs : periods.startupGracePeriodMs;
}

/**
 * Whether a node has gone silent: strictly more than `gracePeriodMs` of the
 * controller's time has passed since it observed the node's last heartbeat.
 *
 * @example
 * ```ts
 * heartbeatExpired({ heartbeat: t, observedAt: 0 }, 50_000, 50_000); // false: not yet past the grace period
 * heartbeatExpired({ heartbeat: t, observedAt: 0 }, 50_000, 50_001); // true
 * ```
 */
export function heartbeatExpired(record: HeartbeatRecord, gracePeriodMs: number, now: number): boolean {
  return now > record.observedAt + gracePeriodMs;
}
