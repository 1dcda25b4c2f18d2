/** The HPA controller's options, constants and small helpers. */
import { type HorizontalPodAutoscaler, setCondition } from '@keelson/api';
import type { Logger, MetricsRegistry, ResourceType } from '@keelson/core';
import type { MetricsSource } from './metricsSource';
import type { CalculatorOptions } from './replicaCalculator';

/** The controller's name in a manager. */
export const HPA_CONTROLLER_NAME = 'horizontal-pod-autoscaler';

/** Kubernetes' `--horizontal-pod-autoscaler-sync-period`. */
export const DEFAULT_HPA_SYNC_PERIOD_MS = 15_000;

/** Options for {@link horizontalPodAutoscalerController}. */
export interface HpaControllerOptions {
  /** Where the metrics come from. */
  metrics: MetricsSource;
  /** Kinds a `scaleTargetRef` may name (default `builtinTypes`); each needs a `scale` subresource. */
  types?: readonly ResourceType[];
  /** How often each autoscaler is synced (default 15 s). */
  syncPeriodMs?: number;
  /** Without `behavior`: how long a scale-down waits for recommendations to stay lower (default 300 s). */
  downscaleStabilizationMs?: number;
  /** Tolerance, CPU initialization period and readiness delay (Kubernetes' defaults: 0.1, 5 min, 30 s). */
  calculator?: Omit<CalculatorOptions, 'now'>;
  /** Registers `keelson_horizontal_pod_autoscaler_controller_*` here; none without it. */
  metricsRegistry?: MetricsRegistry;
  /** A pino-compatible logger for rescales and failures (binding `component`); silent by default. */
  logger?: Logger;
}

/** @internal */
export type Hpa = HorizontalPodAutoscaler;
/** @internal */
export type HpaStatus = NonNullable<Hpa['status']>;
/** @internal */
export type Conditions = HpaStatus['conditions'];

/** Sets one condition of the autoscaler's status. @internal */
export function condition(
  conditions: Conditions,
  type: string,
  ok: boolean,
  reason: string,
  message: string,
  now: string,
) {
  return setCondition(conditions, { type, status: ok ? 'True' : 'False', reason, message }, now);
}

/** The kind a `scaleTargetRef` names among `types`. @internal */
export function findType(types: readonly ResourceType[], ref: Hpa['spec']['scaleTargetRef']): ResourceType | undefined {
  return types.find((t) => t.kind === ref.kind && (ref.apiVersion === undefined || ref.apiVersion === t.apiVersion));
}
