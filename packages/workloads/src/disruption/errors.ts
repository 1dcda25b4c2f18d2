/**
 * The errors of evictions and drains, each a `KeelsonError` recognisable by
 * its code.
 */
import { KeelsonError, TimeoutError } from '@keelson/core';

/**
 * 500: more than one budget selects the pod, which the eviction subresource
 * does not support (it could not decrement several budgets atomically).
 * Change the budgets' selectors so that each pod has at most one.
 */
export class MultipleDisruptionBudgetsError extends KeelsonError {
  constructor(
    readonly pod: string,
    readonly budgets: readonly string[],
  ) {
    super(
      'InternalError',
      500,
      'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    );
  }
}

/** One group of pods a drain refuses to evict, and kubectl's reason. */
export interface DrainProblem {
  message: string;
  /** `namespace/name` of each pod. */
  pods: readonly string[];
}

/**
 * 400: the node holds pods a drain will not evict as asked — pods that
 * declare no controller (pass `force: true`, kubectl's `--force`), pods with
 * `emptyDir` volumes (pass `deleteEmptyDirData: true`, kubectl's
 * `--delete-emptydir-data`), or pods of a DaemonSet that no longer exists
 * (`force: true`). Nothing was evicted; the node stays cordoned, as kubectl
 * leaves it. The message is kubectl's.
 */
export class DrainRefusedError extends KeelsonError {
  constructor(
    readonly node: string,
    readonly problems: readonly DrainProblem[],
  ) {
    const lines = problems.map((p) => {
      const text = p.message.toLowerCase().startsWith('cannot delete') ? p.message : `cannot delete ${p.message}`;
      return `${text}: ${p.pods.join(', ')}`;
    });
    super('DrainRefused', 400, lines.length === 1 ? (lines[0] as string) : `[${lines.join(', ')}]`);
  }
}

/** One pod a drain could not evict, with why. */
export interface DrainFailure {
  /** `namespace/name`. */
  pod: string;
  error: unknown;
}

/**
 * 500: some evictions failed for another reason than the budget (which a
 * drain waits out) — e.g. {@link MultipleDisruptionBudgetsError}. The other
 * pods were evicted; `failures` holds each error as thrown.
 */
export class DrainFailedError extends KeelsonError {
  constructor(
    readonly node: string,
    readonly failures: readonly DrainFailure[],
  ) {
    const lines = failures.map(({ pod, error }) => {
      const [namespace, name] = pod.split('/');
      return `error when evicting pods/"${name}" -n "${namespace}": ${(error as Error)?.message ?? String(error)}`;
    });
    super('DrainFailed', 500, lines.length === 1 ? (lines[0] as string) : `[${lines.join(', ')}]`);
  }
}

/**
 * 504: the drain's `timeout` passed before every pod was evicted and gone.
 * `pods` (`namespace/name`) are those left; the node stays cordoned. Drain
 * again (evictions are idempotent), or raise the timeout.
 */
export class DrainTimeoutError extends TimeoutError {
  constructor(
    readonly node: string,
    readonly pods: readonly string[],
    timeoutMs: number,
  ) {
    super(
      `drain of node "${node}" timed out after ${timeoutMs / 1000}s; pods left: ${pods.join(', ')} (raise the timeout, or check their disruption budgets)`,
    );
  }
}
