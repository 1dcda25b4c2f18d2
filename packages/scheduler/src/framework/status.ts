/**
 * The outcome of one plugin at one extension point, as the Kubernetes scheduling
 * framework reports it. `undefined` (or {@link SUCCESS}) means success, so the
 * filter loop allocates nothing for nodes that pass.
 */

/** Kubernetes' status codes. */
export type StatusCode =
  | 'Success'
  | 'Error'
  | 'Unschedulable'
  | 'UnschedulableAndUnresolvable'
  | 'Wait'
  | 'Skip'
  | 'Pending';

/** A plugin's verdict: a code, the reasons a user reads, the plugin that gave it. */
export interface Status {
  readonly code: StatusCode;
  /** Human-readable reasons, Kubernetes' strings (e.g. `Insufficient cpu`). */
  readonly reasons: readonly string[];
  /** The plugin that returned this status (set by the framework when absent). */
  readonly plugin?: string;
  /** For `Error`: what went wrong. */
  readonly error?: unknown;
}

/** What a plugin returns: a status, or `undefined` for success. */
export type PluginResult = Status | undefined;

function status(code: StatusCode, reasons: readonly string[], plugin?: string, error?: unknown): Status {
  const made: { code: StatusCode; reasons: readonly string[]; plugin?: string; error?: unknown } = {
    code,
    reasons: Object.freeze([...reasons]),
  };
  if (plugin !== undefined) made.plugin = plugin;
  if (error !== undefined) made.error = error;
  return Object.freeze(made);
}

/** Success, spelled out. */
export const SUCCESS: Status = status('Success', []);
/** "This plugin has nothing to do for this pod" (PreFilter / PreScore). */
export const SKIP: Status = status('Skip', []);

/** The pod does not fit here now, but might after preemption or a cluster change. */
export function unschedulable(...reasons: string[]): Status {
  return status('Unschedulable', reasons);
}

/** The pod does not fit here and preemption cannot change that. */
export function unresolvable(...reasons: string[]): Status {
  return status('UnschedulableAndUnresolvable', reasons);
}

/** The plugin failed; the pod is retried with backoff. */
export function errorStatus(error: unknown): Status {
  const message = error instanceof Error ? error.message : String(error);
  return status('Error', [message], undefined, error);
}

/** Permit: hold the pod until another party allows or rejects it. */
export const WAIT: Status = status('Wait', []);

/** A copy of `s` attributed to `plugin` (statuses are frozen and may be shared). */
export function withPlugin(s: Status, plugin: string): Status {
  return s.plugin === plugin ? s : status(s.code, s.reasons, plugin, s.error);
}

/** Whether `s` is a success (`undefined` counts). */
export function isSuccess(s: PluginResult): boolean {
  return s === undefined || s.code === 'Success';
}

/** Whether `s` rejects the pod (Unschedulable or UnschedulableAndUnresolvable). */
export function isRejection(s: PluginResult): s is Status {
  return s !== undefined && (s.code === 'Unschedulable' || s.code === 'UnschedulableAndUnresolvable');
}
