import type { RuntimeContext } from './context';
import { runtimeUnavailable } from './errors';
import { normalizeImageReference } from './imageReference';
import { exitContainer, oomKill, runningContainer } from './lifecycle';
import type { PullFailureKind } from './MockRegistry';

/**
 * Faults to inject into one mock runtime (one simulated node). Faults on a
 * container throw `NotFound` for an unknown id and `FailedPrecondition` for a
 * container that is not running. Pull faults apply to this node only; use
 * the registry's `fail` to break an image for every node.
 */
export interface MockRuntimeFaults {
  /** The container's process dies now with `exitCode` (default 1): reason `Error` (or `Completed` for 0). */
  crash(containerId: string, exitCode?: number): void;
  /**
   * The container's process stops answering: probes time out, `execSync`
   * runs into its timeout, and a stop waits the full timeout, then kills
   * (137). The process still exits when its script says so or when killed.
   */
  hang(containerId: string): void;
  /** Ends a {@link MockRuntimeFaults.hang}: the container answers again. */
  unhang(containerId: string): void;
  /** The cgroup OOM killer ends the container now: exit code 137, reason `OOMKilled`. */
  oom(containerId: string): void;
  /** Pulls of `ref` on this node take `ms` on the clock, whatever the image's own latency. */
  slowPull(ref: string, ms: number): void;
  /**
   * Pulls of `ref` on this node fail, `times` times or until
   * {@link MockRuntimeFaults.clearPullFaults}: `missing` → `NotFound`,
   * `unauthorized` → `Unauthenticated`, `outage` → `Unavailable`.
   */
  failPull(ref: string, kind: PullFailureKind, times?: number): void;
  /** Removes the slow and failing pulls of `ref`, or of every reference. */
  clearPullFaults(ref?: string): void;
  /**
   * The runtime stops serving: `status()` reports `RuntimeReady` and
   * `NetworkReady` false, every other RPC rejects with `Unavailable`, and
   * open `getContainerEvents` streams fail with `Unavailable` (subscribe
   * again after `runtimeUp`). Containers keep running, as under a
   * restarting containerd; their transitions meanwhile reach no stream.
   */
  runtimeDown(): void;
  /** The runtime serves again. */
  runtimeUp(): void;
  /** Whether {@link MockRuntimeFaults.runtimeDown} is in effect. */
  readonly isRuntimeDown: boolean;
}

/** The faults API over a runtime's shared state. */
export function createFaults(ctx: RuntimeContext): MockRuntimeFaults {
  return {
    crash(containerId, exitCode = 1) {
      if (!Number.isInteger(exitCode) || exitCode < 0 || exitCode > 255) {
        throw new RangeError(`faults.crash: exitCode must be a whole number in 0..255, got ${exitCode}`);
      }
      exitContainer(ctx, runningContainer(ctx, containerId, 'faults.crash'), exitCode);
    },
    hang(containerId) {
      runningContainer(ctx, containerId, 'faults.hang').hung = true;
    },
    unhang(containerId) {
      runningContainer(ctx, containerId, 'faults.unhang').hung = false;
    },
    oom(containerId) {
      oomKill(ctx, runningContainer(ctx, containerId, 'faults.oom'));
    },
    slowPull(ref, ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`faults.slowPull: ms must be >= 0, got ${ms}`);
      ctx.pullFaults.slow.set(normalizeImageReference(ref), ms);
    },
    failPull(ref, kind, times = Number.POSITIVE_INFINITY) {
      if (!(times >= 0)) throw new RangeError(`faults.failPull: times must be >= 0, got ${times}`);
      const reference = normalizeImageReference(ref);
      if (times === 0) ctx.pullFaults.failing.delete(reference);
      else ctx.pullFaults.failing.set(reference, { kind, remaining: times });
    },
    clearPullFaults(ref) {
      if (ref === undefined) {
        ctx.pullFaults.slow.clear();
        ctx.pullFaults.failing.clear();
        return;
      }
      const reference = normalizeImageReference(ref);
      ctx.pullFaults.slow.delete(reference);
      ctx.pullFaults.failing.delete(reference);
    },
    runtimeDown() {
      if (ctx.down) return;
      ctx.down = true;
      ctx.events.failAll(runtimeUnavailable());
    },
    runtimeUp() {
      ctx.down = false;
    },
    get isRuntimeDown() {
      return ctx.down;
    },
  };
}
