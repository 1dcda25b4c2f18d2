/**
 * InterPodAffinity's args (Kubernetes' `InterPodAffinityArgs`), checked as
 * kube-scheduler's `ValidateInterPodAffinityArgs` checks them.
 */
import { InvalidError } from '@keelson/core';

/** The args as configured in a profile's `pluginConfig`. */
export interface InterPodAffinityArgs {
  /**
   * Score weight of an existing pod's required affinity term that the
   * incoming pod matches (symmetry), 0–100; default 1.
   */
  hardPodAffinityWeight?: number;
  /** Skip scoring when the incoming pod has no preferred terms, ignoring existing pods' terms; default false. */
  ignorePreferredTermsOfExistingPods?: boolean;
}

/** The args after validation and defaulting. */
export interface InterPodAffinityConfig {
  readonly hardPodAffinityWeight: number;
  readonly ignorePreferredTermsOfExistingPods: boolean;
}

/** Kubernetes' default `hardPodAffinityWeight`. */
export const DEFAULT_HARD_POD_AFFINITY_WEIGHT = 1;

const KEYS = new Set(['hardPodAffinityWeight', 'ignorePreferredTermsOfExistingPods']);

function fail(detail: string): never {
  throw new InvalidError(`InterPodAffinity args: ${detail}`);
}

/**
 * Validates and defaults InterPodAffinity's args.
 *
 * @throws InvalidError for an unknown key, a `hardPodAffinityWeight` outside
 * [0, 100] or not an integer, a non-boolean `ignorePreferredTermsOfExistingPods`.
 */
export function parseInterPodAffinityArgs(args: unknown): InterPodAffinityConfig {
  if (args === undefined || args === null) {
    return { hardPodAffinityWeight: DEFAULT_HARD_POD_AFFINITY_WEIGHT, ignorePreferredTermsOfExistingPods: false };
  }
  if (typeof args !== 'object' || Array.isArray(args)) {
    fail('expected an object with hardPodAffinityWeight and ignorePreferredTermsOfExistingPods');
  }
  const record = args as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!KEYS.has(key)) {
      fail(
        `unknown field ${JSON.stringify(key)}; expected hardPodAffinityWeight or ignorePreferredTermsOfExistingPods`,
      );
    }
  }
  const weight = record.hardPodAffinityWeight ?? DEFAULT_HARD_POD_AFFINITY_WEIGHT;
  if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0 || weight > 100) {
    fail(
      `hardPodAffinityWeight ${JSON.stringify(weight)} is not in valid range [0, 100]; use an integer from 0 to 100`,
    );
  }
  const ignore = record.ignorePreferredTermsOfExistingPods ?? false;
  if (typeof ignore !== 'boolean') fail('ignorePreferredTermsOfExistingPods must be true or false');
  return { hardPodAffinityWeight: weight, ignorePreferredTermsOfExistingPods: ignore };
}
