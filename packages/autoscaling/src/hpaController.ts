/**
 * The HorizontalPodAutoscaler controller (podautoscaler/horizontal.go):
 * every sync period it reads the target's scale, asks each metric for a
 * replica count, takes the largest, stabilizes and rate-limits it, writes
 * the new scale and reports what it saw in the autoscaler's status.
 */
import { builtinTypes, HorizontalPodAutoscaler, Pod } from '@keelson/api';
import {
  type Controller,
  defineController,
  generationChanged,
  type ReconcileContext,
  type Result,
} from '@keelson/controller';
import {
  componentLogger,
  errorFields,
  formatTime,
  InvalidError,
  isKeelsonError,
  parseLabelSelector,
  type ResourceType,
  type Scale,
} from '@keelson/core';
import {
  type Decision,
  emptyHistory,
  limit,
  limitWithBehavior,
  recordScaleEvent,
  type ScalingHistory,
  stabilize,
  stabilizeWithBehavior,
} from './behavior';
import { type HpaAction, type HpaErrorLabel, HpaMetrics, hpaAction } from './hpaMetrics';
import type { HpaControllerOptions, HpaStatus } from './hpaOptions';
import { condition, DEFAULT_HPA_SYNC_PERIOD_MS, findType, HPA_CONTROLLER_NAME, type Hpa } from './hpaOptions';
import { failureReason, type MetricFailure, type Proposal, proposalFor } from './proposals';

export type { HpaControllerOptions } from './hpaOptions';
export { DEFAULT_HPA_SYNC_PERIOD_MS, HPA_CONTROLLER_NAME } from './hpaOptions';

interface Outcome {
  action: HpaAction;
  error: HpaErrorLabel;
}

/**
 * The HorizontalPodAutoscaler controller, for a manager: scales any kind
 * with a `scale` subresource on the metrics `options.metrics` serves.
 *
 * @example
 * ```ts
 * manager.add(horizontalPodAutoscalerController({ metrics }));
 * ```
 * @throws InvalidError for bad options.
 */
export function horizontalPodAutoscalerController(options: HpaControllerOptions): Controller {
  if (
    options === null ||
    typeof options !== 'object' ||
    typeof options.metrics !== 'object' ||
    options.metrics === null
  ) {
    throw new InvalidError('horizontalPodAutoscalerController: options.metrics must be a MetricsSource');
  }
  const syncPeriod = options.syncPeriodMs ?? DEFAULT_HPA_SYNC_PERIOD_MS;
  if (!Number.isFinite(syncPeriod) || syncPeriod <= 0) {
    throw new InvalidError(
      `horizontalPodAutoscalerController: options.syncPeriodMs must be > 0, got ${String(syncPeriod)}`,
    );
  }
  const types = options.types ?? builtinTypes;
  const histories = new Map<string, ScalingHistory>();
  const hpaMetrics = new HpaMetrics(options.metricsRegistry);
  const baseLogger = componentLogger(options.logger, HPA_CONTROLLER_NAME);

  async function sync(hpa: Hpa, context: ReconcileContext): Promise<Outcome> {
    const { client, clock, cache, recorder } = context;
    const now = clock.now();
    const nowText = formatTime(now);
    const namespace = hpa.metadata.namespace ?? 'default';
    const key = `${namespace}/${hpa.metadata.name}`;
    const logger = baseLogger.child({ hpa: key });
    const history = histories.get(key) ?? emptyHistory();
    histories.set(key, history);
    let conditions = hpa.status?.conditions;
    const writeStatus = async (status: Partial<HpaStatus>) => {
      const next: HpaStatus = {
        ...hpa.status,
        currentReplicas: hpa.status?.currentReplicas ?? 0,
        desiredReplicas: hpa.status?.desiredReplicas ?? 0,
        ...status,
        observedGeneration: hpa.metadata.generation,
        ...(conditions === undefined ? {} : { conditions }),
      };
      if (JSON.stringify(next) === JSON.stringify(hpa.status ?? {})) return;
      try {
        await client.updateStatus({ ...hpa, status: next });
      } catch (error) {
        if (!isKeelsonError(error, 'NotFound')) throw error;
      }
    };

    const ref = hpa.spec.scaleTargetRef;
    const type = findType(types, ref);
    let scale: Scale;
    try {
      if (type === undefined)
        throw new InvalidError(`no kind ${ref.apiVersion ?? ''} ${ref.kind} is known to the controller`);
      scale = await client.getScale(type, ref.name, { namespace });
    } catch (error) {
      const message = `the HPA controller was unable to get the target's current scale: ${error instanceof Error ? error.message : String(error)}`;
      conditions = condition(conditions, 'AbleToScale', false, 'FailedGetScale', message, nowText);
      logger.warn({ reason: 'FailedGetScale', ...errorFields(error) }, message);
      await recorder?.event(hpa, 'Warning', 'FailedGetScale', message);
      await writeStatus({});
      return { action: 'none', error: type === undefined ? 'spec' : 'internal' };
    }
    conditions = condition(
      conditions,
      'AbleToScale',
      true,
      'SucceededGetScale',
      "the HPA controller was able to get the target's current scale",
      nowText,
    );
    const current = scale.spec.replicas;
    const { minReplicas: min, maxReplicas: max, behavior } = hpa.spec;
    let desired = current;
    let reason = '';
    const proposals: Proposal[] = [];
    if (current === 0 && min !== 0) {
      conditions = condition(
        conditions,
        'ScalingActive',
        false,
        'ScalingDisabled',
        'scaling is disabled since the replica count of the target is zero',
        nowText,
      );
    } else if (current > max) {
      desired = max;
      reason = 'Current number of replicas above Spec.MaxReplicas';
    } else if (current < min) {
      desired = min;
      reason = 'Current number of replicas below Spec.MinReplicas';
    } else {
      const selector = parseLabelSelector(scale.status.selector ?? '');
      const pods = cache.list(Pod, { namespace, labelSelector: scale.status.selector ?? '' });
      const ctx = {
        metrics: options.metrics,
        namespace,
        selector,
        pods: scale.status.selector ? pods : [],
        currentReplicas: current,
        options: { ...options.calculator, now },
      };
      let failure: MetricFailure | undefined;
      for (const spec of hpa.spec.metrics) {
        const began = clock.now();
        const took = () => (clock.now() - began) / 1_000;
        try {
          proposals.push(await proposalFor(spec, ctx));
          hpaMetrics.computed(hpaAction(current, proposals.at(-1)?.replicas ?? current), 'none', spec.type, took());
        } catch (error) {
          hpaMetrics.computed('none', 'internal', spec.type, took());
          failure ??= {
            reason: failureReason(spec),
            message: `the HPA was unable to compute the replica count: ${error instanceof Error ? error.message : String(error)}`,
          };
        }
      }
      const best = proposals.reduce<Proposal | undefined>(
        (a, p) => (a === undefined || p.replicas > a.replicas ? p : a),
        undefined,
      );
      if (failure !== undefined && (best === undefined || best.replicas < current)) {
        // All metrics failed, or some did and the rest would scale down: do nothing.
        conditions = condition(conditions, 'ScalingActive', false, failure.reason, failure.message, nowText);
        logger.warn({ reason: failure.reason }, failure.message);
        await recorder?.event(hpa, 'Warning', failure.reason, failure.message);
        await writeStatus({ currentReplicas: current, currentMetrics: proposals.map((p) => p.status) });
        return { action: 'none', error: 'internal' };
      }
      const metricDesired = best?.replicas ?? current;
      conditions = condition(
        conditions,
        'ScalingActive',
        true,
        'ValidMetricFound',
        `the HPA was able to successfully calculate a replica count from ${best?.name ?? 'its metrics'}`,
        nowText,
      );
      reason = metricDesired > current ? `${best?.name} above target` : 'All metrics below target';
      let stabilized: Decision;
      let limited: Decision;
      if (behavior === undefined) {
        stabilized = stabilize(history, metricDesired, now, options.downscaleStabilizationMs);
        limited = limit({ current, desired: stabilized.replicas, min, max });
      } else {
        stabilized = stabilizeWithBehavior(history, {
          current,
          desired: metricDesired,
          now,
          scaleUp: behavior.scaleUp ?? {},
          scaleDown: behavior.scaleDown ?? {},
        });
        limited = limitWithBehavior(history, {
          current,
          desired: stabilized.replicas,
          min,
          max,
          now,
          scaleUp: behavior.scaleUp ?? {},
          scaleDown: behavior.scaleDown ?? {},
        });
      }
      conditions = condition(conditions, 'AbleToScale', true, stabilized.reason, stabilized.message, nowText);
      conditions = condition(
        conditions,
        'ScalingLimited',
        limited.replicas !== stabilized.replicas,
        limited.reason,
        limited.message,
        nowText,
      );
      desired = limited.replicas;
    }

    const rescale = desired !== current;
    if (rescale) {
      try {
        await client.updateScale(type as ResourceType, ref.name, { spec: { replicas: desired } }, { namespace });
      } catch (error) {
        const message = `the HPA controller was unable to update the target scale: ${error instanceof Error ? error.message : String(error)}`;
        conditions = condition(conditions, 'AbleToScale', false, 'FailedUpdateScale', message, nowText);
        logger.warn({ reason: 'FailedRescale', replicas: desired, ...errorFields(error) }, message);
        await recorder?.event(
          hpa,
          'Warning',
          'FailedRescale',
          `New size: ${desired}; reason: ${reason}; error: ${message}`,
        );
        await writeStatus({ currentReplicas: current });
        return { action: hpaAction(current, desired), error: 'internal' };
      }
      recordScaleEvent(history, current, desired, now, behavior ?? {});
      conditions = condition(
        conditions,
        'AbleToScale',
        true,
        'SucceededRescale',
        `the HPA controller was able to update the target scale to ${desired}`,
        nowText,
      );
      logger.info({ from: current, to: desired, reason }, `rescaled ${ref.kind} ${ref.name} to ${desired}`);
      await recorder?.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`);
    }
    await writeStatus({
      currentReplicas: current,
      desiredReplicas: desired,
      currentMetrics: proposals.map((p) => p.status),
      ...(rescale ? { lastScaleTime: nowText } : {}),
    });
    return { action: hpaAction(current, desired), error: 'none' };
  }

  return defineController({
    name: HPA_CONTROLLER_NAME,
    for: HorizontalPodAutoscaler,
    // Its own status writes must not trigger a sync: one every sync period, and at once on a spec change.
    predicates: [generationChanged()],
    async reconcile(request, context): Promise<Result | undefined> {
      const hpa = context.cache.get(HorizontalPodAutoscaler, request.name, request.namespace);
      if (hpa === undefined || hpa.metadata.deletionTimestamp !== undefined) {
        histories.delete(`${request.namespace ?? 'default'}/${request.name}`);
        return undefined;
      }
      const began = context.clock.now();
      let outcome: Outcome = { action: 'none', error: 'internal' };
      try {
        outcome = await sync(hpa, context);
      } finally {
        hpaMetrics.reconciled(outcome.action, outcome.error, (context.clock.now() - began) / 1_000);
      }
      return { requeueAfter: syncPeriod };
    },
  });
}
