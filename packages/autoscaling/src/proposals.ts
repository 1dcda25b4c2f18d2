/**
 * Kubernetes' `computeReplicasForMetrics`: a replica proposal per metric of
 * an autoscaler, the metric's current value for the status, and the largest
 * proposal.
 */
import { type HorizontalPodAutoscaler, type Pod, parseQuantity } from '@keelson/api';
import { type LabelSelector, labelSelectorFromStructured } from '@keelson/core';
import type { MetricsSource } from './metricsSource';
import {
  type CalculatorOptions,
  objectMetricReplicas,
  objectPerPodMetricReplicas,
  plainMetricReplicas,
  ReplicaCalculationError,
  resourceReplicas,
} from './replicaCalculator';

type MetricSpec = HorizontalPodAutoscaler['spec']['metrics'][number];
type MetricStatus = NonNullable<NonNullable<HorizontalPodAutoscaler['status']>['currentMetrics']>[number];
type Target = NonNullable<MetricSpec['resource']>['target'];

/** One metric's proposal. */
export interface Proposal {
  replicas: number;
  /** Kubernetes' name of the metric in events: `cpu resource utilization (percentage of request)`, `pods metric qps`. */
  name: string;
  status: MetricStatus;
}

/** Why a metric gave no proposal, as the `ScalingActive=False` condition says it. */
export interface MetricFailure {
  reason: string;
  message: string;
}

/** Milli-units of a quantity. */
export const milli = (quantity: string | undefined): number =>
  quantity === undefined ? 0 : Number(parseQuantity(quantity).milliValue());

/** A quantity from milli-units, written as Kubernetes writes it (`250m`, `2`). */
export const quantityOf = (value: number): string => parseQuantity(`${Math.round(value)}m`).toString();

function selectorOf(selector: { matchLabels?: Record<string, string> } | undefined): LabelSelector | undefined {
  return selector === undefined ? undefined : labelSelectorFromStructured(selector as never);
}

function need<T>(method: T | undefined, what: string): T {
  if (method === undefined) throw new ReplicaCalculationError(`the metrics source does not serve ${what} metrics`);
  return method;
}

async function resourceProposal(
  source: { name: string; container?: string; target: Target },
  ctx: ProposalContext,
): Promise<Proposal> {
  const read = need(ctx.metrics.resourceMetrics, 'resource');
  const samples = await read.call(ctx.metrics, {
    resource: source.name,
    namespace: ctx.namespace,
    selector: ctx.selector,
    ...(source.container === undefined ? {} : { container: source.container }),
  });
  if (samples.size === 0) throw new ReplicaCalculationError('no metrics returned from resource metrics API');
  const type = source.container === undefined ? 'Resource' : 'ContainerResource';
  if (source.target.type === 'Utilization') {
    const result = resourceReplicas(
      {
        currentReplicas: ctx.currentReplicas,
        targetUtilization: source.target.averageUtilization ?? 0,
        resource: source.name,
        pods: ctx.pods,
        metrics: samples,
        ...(source.container === undefined ? {} : { container: source.container }),
      },
      ctx.options,
    );
    const current = { averageUtilization: result.utilization, averageValue: quantityOf(result.rawAverageValue) };
    return {
      replicas: result.replicas,
      name: `${source.name} resource utilization (percentage of request)`,
      status: metricStatus(type, source, current),
    };
  }
  const result = plainMetricReplicas(
    {
      currentReplicas: ctx.currentReplicas,
      targetAverageValue: milli(source.target.averageValue),
      resource: source.name,
      pods: ctx.pods,
      metrics: samples,
    },
    ctx.options,
  );
  return {
    replicas: result.replicas,
    name: `${source.name} resource`,
    status: metricStatus(type, source, { averageValue: quantityOf(result.usage) }),
  };
}

function metricStatus(
  type: 'Resource' | 'ContainerResource',
  source: { name: string; container?: string },
  current: { averageUtilization?: number; averageValue?: string },
): MetricStatus {
  return type === 'Resource'
    ? { type, resource: { name: source.name, current } }
    : { type, containerResource: { name: source.name, container: source.container ?? '', current } };
}

/** What a proposal reads. */
export interface ProposalContext {
  metrics: MetricsSource;
  namespace: string;
  selector: LabelSelector;
  pods: readonly Pod[];
  currentReplicas: number;
  options: CalculatorOptions;
}

/** The proposal of one metric; throws `ReplicaCalculationError` (or the source's error) when it has none. */
export async function proposalFor(spec: MetricSpec, ctx: ProposalContext): Promise<Proposal> {
  switch (spec.type) {
    case 'Resource':
      return resourceProposal(spec.resource as NonNullable<MetricSpec['resource']>, ctx);
    case 'ContainerResource':
      return resourceProposal(spec.containerResource as NonNullable<MetricSpec['containerResource']>, ctx);
    case 'Pods': {
      const pods = spec.pods as NonNullable<MetricSpec['pods']>;
      const read = need(ctx.metrics.podMetrics, 'pods');
      const metricSelector = selectorOf(pods.metric.selector);
      const samples = await read.call(ctx.metrics, {
        metric: pods.metric.name,
        namespace: ctx.namespace,
        selector: ctx.selector,
        ...(metricSelector === undefined ? {} : { metricSelector }),
      });
      const result = plainMetricReplicas(
        {
          currentReplicas: ctx.currentReplicas,
          targetAverageValue: milli(pods.target.averageValue),
          pods: ctx.pods,
          metrics: samples,
        },
        ctx.options,
      );
      return {
        replicas: result.replicas,
        name: `pods metric ${pods.metric.name}`,
        status: { type: 'Pods', pods: { metric: pods.metric, current: { averageValue: quantityOf(result.usage) } } },
      };
    }
    case 'Object': {
      const object = spec.object as NonNullable<MetricSpec['object']>;
      const read = need(ctx.metrics.objectMetric, 'object');
      const metricSelector = selectorOf(object.metric.selector);
      const { value } = await read.call(ctx.metrics, {
        metric: object.metric.name,
        namespace: ctx.namespace,
        object: object.describedObject,
        ...(metricSelector === undefined ? {} : { metricSelector }),
      });
      return valueProposal(
        `${object.describedObject.kind} metric ${object.metric.name}`,
        object.target,
        value,
        ctx,
        (current) => ({
          type: 'Object',
          object: { describedObject: object.describedObject, metric: object.metric, current },
        }),
      );
    }
    case 'External': {
      const external = spec.external as NonNullable<MetricSpec['external']>;
      const read = need(ctx.metrics.externalMetric, 'external');
      const metricSelector = selectorOf(external.metric.selector);
      const { values } = await read.call(ctx.metrics, {
        metric: external.metric.name,
        namespace: ctx.namespace,
        ...(metricSelector === undefined ? {} : { metricSelector }),
      });
      const value = values.reduce((sum, v) => sum + v, 0);
      return valueProposal(`external metric ${external.metric.name}`, external.target, value, ctx, (current) => ({
        type: 'External',
        external: { metric: external.metric, current },
      }));
    }
  }
}

function valueProposal(
  name: string,
  target: Target,
  value: number,
  ctx: ProposalContext,
  status: (current: { value?: string; averageValue?: string }) => MetricStatus,
): Proposal {
  if (target.type === 'Value') {
    const replicas = objectMetricReplicas(
      { currentReplicas: ctx.currentReplicas, targetValue: milli(target.value), value, pods: ctx.pods },
      ctx.options,
    );
    return { replicas, name, status: status({ value: quantityOf(value) }) };
  }
  const result = objectPerPodMetricReplicas(
    { currentReplicas: ctx.currentReplicas, targetAverageValue: milli(target.averageValue), value },
    ctx.options,
  );
  return { replicas: result.replicas, name, status: status({ averageValue: quantityOf(result.usage) }) };
}

/** The condition reason Kubernetes gives a metric of this type that failed. */
export function failureReason(spec: MetricSpec): string {
  return {
    Resource: 'FailedGetResourceMetric',
    ContainerResource: 'FailedGetContainerResourceMetric',
    Pods: 'FailedGetPodsMetric',
    Object: 'FailedGetObjectMetric',
    External: 'FailedGetExternalMetric',
  }[spec.type];
}
