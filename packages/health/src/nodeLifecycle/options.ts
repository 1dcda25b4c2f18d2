/**
 * Options of the node lifecycle controller, their Kubernetes defaults
 * (kube-controller-manager's `--node-monitor-period`,
 * `--node-monitor-grace-period`, `--node-startup-grace-period`) and their
 * validation.
 */
import type { Clock } from '@keelson/clock';
import type { Recorder } from '@keelson/controller';
import { componentLogger, InvalidError, type Logger, type Store } from '@keelson/core';

/** How often nodes are checked (`--node-monitor-period`). */
export const DEFAULT_NODE_MONITOR_PERIOD_MS = 5_000;
/** How long a node may stay silent before it is `Unknown` (`--node-monitor-grace-period`). */
export const DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS = 50_000;
/** How long a node that never reported may take (`--node-startup-grace-period`). */
export const DEFAULT_NODE_STARTUP_GRACE_PERIOD_MS = 60_000;
/** Where kubelets keep their heartbeat Leases, one per node, named after it. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** Options for `createNodeLifecycleController`. */
export interface NodeLifecycleOptions {
  /** Timers and the time decisions are judged by (default: the store's clock). */
  clock?: Clock;
  /** How often every node is checked, in ms (default 5 s). */
  monitorPeriodMs?: number;
  /** Silence after which a node that has reported is `Unknown`, in ms (default 50 s). */
  gracePeriodMs?: number;
  /** Silence after which a node that never reported is `Unknown`, in ms (default 60 s). */
  startupGracePeriodMs?: number;
  /** Namespace of the nodes' heartbeat Leases (default `kube-node-lease`). */
  leaseNamespace?: string;
  /** Records `RegisteredNode`, `NodeNotReady` and `TaintManagerEviction` events (e.g. `createEventRecorder`). */
  recorder?: Recorder;
  /**
   * A pino-compatible logger (binding `component: 'node-lifecycle'`): the events it records at
   * `info`, failed writes at `error`. Silent by default.
   */
  logger?: Logger;
}

/** The options with every default filled in. */
export interface NodeLifecycleSettings {
  clock: Clock;
  monitorPeriodMs: number;
  gracePeriodMs: number;
  startupGracePeriodMs: number;
  leaseNamespace: string;
  recorder: Recorder | undefined;
  logger: Logger;
}

const WHERE = 'createNodeLifecycleController';

function milliseconds(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidError(`${WHERE}: ${name} must be a finite number of milliseconds > 0, got ${String(value)}`);
  }
  return value;
}

function hasMethods(value: unknown, names: readonly string[]): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function')
  );
}

/** Checks the options and fills in the defaults; anything unusable is an `InvalidError` naming the option. */
export function resolveNodeLifecycleOptions(store: Store, options: NodeLifecycleOptions): NodeLifecycleSettings {
  if (!hasMethods(store, ['watch', 'list', 'patch', 'delete'])) {
    throw new InvalidError(`${WHERE}: store must be a store from createStore`);
  }
  if (typeof options !== 'object' || options === null) {
    throw new InvalidError(`${WHERE}: options must be an object`);
  }
  const { clock, leaseNamespace, recorder, logger } = options;
  if (clock !== undefined && !hasMethods(clock, ['now', 'setTimeout', 'clearTimeout'])) {
    throw new InvalidError(`${WHERE}: clock must be a Clock (now, setTimeout, clearTimeout)`);
  }
  if (leaseNamespace !== undefined && (typeof leaseNamespace !== 'string' || leaseNamespace === '')) {
    throw new InvalidError(`${WHERE}: leaseNamespace must be a non-empty namespace name`);
  }
  if (recorder !== undefined && !hasMethods(recorder, ['event'])) {
    throw new InvalidError(`${WHERE}: recorder must have an event() method, such as createEventRecorder returns`);
  }
  if (logger !== undefined && !hasMethods(logger, ['child', 'debug', 'info', 'warn', 'error'])) {
    throw new InvalidError(`${WHERE}: logger must be pino-compatible (child, debug, info, warn and error methods)`);
  }
  return {
    clock: clock ?? store.clock,
    monitorPeriodMs: milliseconds('monitorPeriodMs', options.monitorPeriodMs, DEFAULT_NODE_MONITOR_PERIOD_MS),
    gracePeriodMs: milliseconds('gracePeriodMs', options.gracePeriodMs, DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS),
    startupGracePeriodMs: milliseconds(
      'startupGracePeriodMs',
      options.startupGracePeriodMs,
      DEFAULT_NODE_STARTUP_GRACE_PERIOD_MS,
    ),
    leaseNamespace: leaseNamespace ?? NODE_LEASE_NAMESPACE,
    recorder,
    logger: componentLogger(logger, 'node-lifecycle'),
  };
}
