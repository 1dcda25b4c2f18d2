/**
 * The replica-calculator cases of Kubernetes' replica_calculator_test.go,
 * as test vectors (one container per pod; its request and samples in
 * milli-units). Kubernetes runs them with a 2 min CPU initialization period
 * and a 10 s readiness delay; "hot" pods started within the period, "cool"
 * ones before it.
 */
import type { Pod } from '@keelson/api';
import { describe, expect, it } from 'vitest';
import {
  objectMetricReplicas,
  objectPerPodMetricReplicas,
  type PodMetric,
  plainMetricReplicas,
  ReplicaCalculationError,
  resourceReplicas,
} from './replicaCalculator';

const NOW = Date.UTC(2026, 0, 1, 12);
const OPTIONS = { now: NOW, cpuInitializationPeriodMs: 120_000, delayOfInitialReadinessStatusMs: 10_000 };
const iso = (ms: number) => new Date(ms).toISOString();

type Ready = 'T' | 'F';
type Phase = 'Running' | 'Pending' | 'Failed';

interface PodsSpec {
  count: number;
  ready?: Ready[];
  phase?: Phase[];
  deleting?: boolean[];
  hot?: boolean[];
  requests?: string[];
}

function pods(spec: PodsSpec): Pod[] {
  return Array.from({ length: spec.count }, (_, i) => {
    const start = spec.hot?.[i] ? NOW - 60_000 : NOW - 180_000;
    const request = spec.requests === undefined ? '1' : spec.requests[i];
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `test-pod-${i}`,
        namespace: 'test',
        uid: `uid-${i}`,
        resourceVersion: '1',
        generation: 1,
        ...(spec.deleting?.[i] ? { deletionTimestamp: iso(NOW) } : {}),
      },
      spec: {
        containers: [
          { name: 'c', image: 'x', ...(request === undefined ? {} : { resources: { requests: { cpu: request } } }) },
        ],
      },
      status: {
        phase: spec.phase?.[i] ?? 'Running',
        startTime: iso(start),
        conditions: [
          {
            type: 'Ready',
            status: (spec.ready?.[i] ?? 'T') === 'T' ? 'True' : 'False',
            lastTransitionTime: iso(start),
          },
        ],
      },
    } as unknown as Pod;
  });
}

/** Samples of the first `levels.length` pods (or of the names given), taken 30 s ago over a 1 min window. */
function samples(levels: number[], names?: string[]): Map<string, PodMetric> {
  return new Map(
    levels.map((value, i) => [names?.[i] ?? `test-pod-${i}`, { value, timestamp: NOW - 30_000, windowMs: 60_000 }]),
  );
}

interface ResourceCase {
  name: string;
  current: number;
  pods: PodsSpec;
  levels: number[];
  target: number;
  expected: [replicas: number, utilization: number, rawAverageValue: number];
}

const RESOURCE_CASES: ResourceCase[] = [
  { name: 'ScaleUp', current: 3, pods: { count: 3 }, levels: [300, 500, 700], target: 30, expected: [5, 50, 500] },
  {
    name: 'ScaleUpUnreadyLessScale',
    current: 3,
    pods: { count: 3, ready: ['F', 'T', 'T'] },
    levels: [300, 500, 700],
    target: 30,
    expected: [4, 60, 600],
  },
  {
    name: 'ScaleUpHotCpuLessScale',
    current: 3,
    pods: { count: 3, hot: [true, false, false] },
    levels: [300, 500, 700],
    target: 30,
    expected: [4, 60, 600],
  },
  {
    name: 'ScaleUpUnreadyNoScale',
    current: 3,
    pods: { count: 3, ready: ['T', 'F', 'F'] },
    levels: [400, 500, 700],
    target: 30,
    expected: [3, 40, 400],
  },
  {
    name: 'ScaleHotCpuNoScale',
    current: 3,
    pods: { count: 3, ready: ['T', 'F', 'F'], hot: [false, true, true] },
    levels: [400, 500, 700],
    target: 30,
    expected: [3, 40, 400],
  },
  {
    name: 'ScaleUpIgnoresFailedPods',
    current: 2,
    pods: { count: 4, ready: ['T', 'T', 'F', 'F'], phase: ['Running', 'Running', 'Failed', 'Failed'] },
    levels: [500, 700],
    target: 30,
    expected: [4, 60, 600],
  },
  {
    name: 'ScaleUpIgnoresDeletionPods',
    current: 2,
    pods: { count: 4, ready: ['T', 'T', 'F', 'F'], deleting: [false, false, true, true] },
    levels: [500, 700],
    target: 30,
    expected: [4, 60, 600],
  },
  {
    name: 'ScaleDown',
    current: 5,
    pods: { count: 5 },
    levels: [100, 300, 500, 250, 250],
    target: 50,
    expected: [3, 28, 280],
  },
  {
    name: 'ScaleDownIncludeUnreadyPods',
    current: 5,
    pods: { count: 5, ready: ['T', 'T', 'T', 'F', 'F'] },
    levels: [100, 300, 500, 250, 250],
    target: 50,
    expected: [2, 30, 300],
  },
  {
    name: 'ScaleDownExcludeUnscheduledPods',
    current: 5,
    pods: {
      count: 5,
      ready: ['T', 'F', 'F', 'F', 'F'],
      phase: ['Running', 'Pending', 'Pending', 'Pending', 'Pending'],
    },
    levels: [100],
    target: 50,
    expected: [1, 10, 100],
  },
  {
    name: 'ScaleDownIgnoreHotCpuPods',
    current: 5,
    pods: { count: 5, hot: [false, false, false, true, true] },
    levels: [100, 300, 500, 250, 250],
    target: 50,
    expected: [2, 30, 300],
  },
  {
    name: 'ScaleDownIgnoresFailedPods',
    current: 5,
    pods: {
      count: 7,
      ready: ['T', 'T', 'T', 'T', 'T', 'F', 'F'],
      phase: ['Running', 'Running', 'Running', 'Running', 'Running', 'Failed', 'Failed'],
    },
    levels: [100, 300, 500, 250, 250],
    target: 50,
    expected: [3, 28, 280],
  },
  {
    name: 'ScaleDownIgnoresDeletionPods',
    current: 5,
    pods: {
      count: 7,
      ready: ['T', 'T', 'T', 'T', 'T', 'F', 'F'],
      deleting: [false, false, false, false, false, true, true],
    },
    levels: [100, 300, 500, 250, 250],
    target: 50,
    expected: [3, 28, 280],
  },
  {
    name: 'Tolerance',
    current: 3,
    pods: { count: 3, requests: ['900m', '1', '1100m'] },
    levels: [1010, 1030, 1020],
    target: 100,
    expected: [3, 102, 1020],
  },
  {
    name: 'SuperfluousMetrics',
    current: 4,
    pods: { count: 4 },
    levels: [4000, 9500, 3000, 7000, 3200, 2000],
    target: 100,
    expected: [24, 587, 5875],
  },
  { name: 'MissingMetrics', current: 4, pods: { count: 4 }, levels: [400, 95], target: 100, expected: [3, 24, 247] },
  {
    name: 'MissingMetricsNoChangeEq',
    current: 2,
    pods: { count: 2 },
    levels: [1000],
    target: 100,
    expected: [2, 100, 1000],
  },
  {
    name: 'MissingMetricsNoChangeGt',
    current: 2,
    pods: { count: 2 },
    levels: [1900],
    target: 100,
    expected: [2, 190, 1900],
  },
  {
    name: 'MissingMetricsNoChangeLt',
    current: 2,
    pods: { count: 2 },
    levels: [600],
    target: 100,
    expected: [2, 60, 600],
  },
  {
    name: 'MissingMetricsUnreadyChange',
    current: 3,
    pods: { count: 3, ready: ['F', 'T', 'T'] },
    levels: [100, 450],
    target: 50,
    expected: [3, 45, 450],
  },
  {
    name: 'MissingMetricsHotCpuNoChange',
    current: 3,
    pods: { count: 3, hot: [true, false, false] },
    levels: [100, 450],
    target: 50,
    expected: [3, 45, 450],
  },
  {
    name: 'MissingMetricsUnreadyScaleUp',
    current: 3,
    pods: { count: 3, ready: ['F', 'T', 'T'] },
    levels: [100, 2000],
    target: 50,
    expected: [4, 200, 2000],
  },
  {
    name: 'MissingMetricsHotCpuScaleUp',
    current: 3,
    pods: { count: 3, ready: ['F', 'T', 'T'], hot: [true, false, false] },
    levels: [100, 2000],
    target: 50,
    expected: [4, 200, 2000],
  },
  {
    name: 'MissingMetricsUnreadyScaleDown',
    current: 4,
    pods: { count: 4, ready: ['F', 'T', 'T', 'T'] },
    levels: [100, 100, 100],
    target: 50,
    expected: [3, 10, 100],
  },
  {
    name: 'DuringRollingUpdateWithMaxSurge',
    current: 2,
    pods: { count: 3 },
    levels: [100, 100],
    target: 50,
    expected: [2, 10, 100],
  },
];

describe('resourceReplicas: Kubernetes replica-calculator cases for a CPU utilization target', () => {
  it.each(RESOURCE_CASES)('$name', ({ current, pods: spec, levels, target, expected }) => {
    const result = resourceReplicas(
      {
        currentReplicas: current,
        targetUtilization: target,
        resource: 'cpu',
        pods: pods(spec),
        metrics: samples(levels),
      },
      OPTIONS,
    );
    expect([result.replicas, result.utilization, result.rawAverageValue]).toEqual(expected);
  });

  it('ComputedToleranceAlgImplementation: scales down just past the tolerance, not just inside it', () => {
    // 10 pods using 150m each, requesting about 300m each: 50 % of the requests.
    const requests = [400, 200, 310, 290, 302, 298, 301, 299, 300, 300].map((m) => `${m}m`);
    const run = (target: number) =>
      resourceReplicas(
        {
          currentReplicas: 10,
          targetUtilization: target,
          resource: 'cpu',
          pods: pods({ count: 10, requests }),
          metrics: samples(Array(10).fill(150)),
        },
        OPTIONS,
      );
    // target 56 %: ratio 50/56 = 0.89, just past the tolerance → ceil(0.89 × 10) = 9.
    expect(run(56)).toEqual({ replicas: 9, utilization: 50, rawAverageValue: 150 });
    // target 55 %: ratio 0.909, within the tolerance → no change.
    expect(run(55).replicas).toBe(10);
  });

  it('fails without pods, without samples of known pods, or with a container that requests nothing', () => {
    const run = (spec: PodsSpec, metrics: Map<string, PodMetric>) => () =>
      resourceReplicas(
        { currentReplicas: 1, targetUtilization: 100, resource: 'cpu', pods: pods(spec), metrics },
        OPTIONS,
      );
    expect(run({ count: 0 }, samples([100]))).toThrow('no pods returned by selector while calculating replica count');
    expect(run({ count: 1 }, samples([100], ['an-older-pod-name']))).toThrow(ReplicaCalculationError);
    expect(run({ count: 1 }, samples([100], ['an-older-pod-name']))).toThrow('no metrics returned matched known pods');
    expect(run({ count: 1, requests: [undefined as unknown as string] }, samples([200]))).toThrow(
      'missing request for cpu in container c of Pod test-pod-0',
    );
    expect(run({ count: 2, ready: ['F', 'F'] }, samples([100, 100]))).toThrow(
      'did not receive metrics for targeted pods (pods might be unready)',
    );
  });
});

describe('plainMetricReplicas: Pods metrics against an average value', () => {
  it.each([
    {
      name: 'ScaleUpCM',
      current: 3,
      spec: { count: 3 },
      levels: [20000, 10000, 30000],
      target: 15000,
      expected: [4, 20000],
    },
    {
      name: 'ScaleUpCMUnreadyHotCpuNoLessScale',
      current: 3,
      spec: { count: 3, ready: ['T', 'T', 'F'] as Ready[], hot: [false, false, true] },
      levels: [50000, 10000, 30000],
      target: 15000,
      expected: [6, 30000],
    },
    {
      name: 'ScaleUpCMUnreadyHotCpuScaleWouldScaleDown',
      current: 3,
      spec: { count: 3, ready: ['F', 'T', 'F'] as Ready[], hot: [true, false, true] },
      levels: [50000, 15000, 30000],
      target: 15000,
      expected: [7, 31666],
    },
    {
      name: 'ScaleDownCM',
      current: 5,
      spec: { count: 5 },
      levels: [12000, 12000, 12000, 12000, 12000],
      target: 20000,
      expected: [3, 12000],
    },
    {
      name: 'ToleranceCM',
      current: 3,
      spec: { count: 3 },
      levels: [20000, 21000, 21000],
      target: 20000,
      expected: [3, 20666],
    },
  ])('$name', ({ current, spec, levels, target, expected }) => {
    const result = plainMetricReplicas(
      { currentReplicas: current, targetAverageValue: target, pods: pods(spec), metrics: samples(levels) },
      OPTIONS,
    );
    expect([result.replicas, result.usage]).toEqual(expected);
  });
});

describe('object and external metrics', () => {
  it.each([
    { name: 'ScaleUpCMObject', current: 3, spec: { count: 3 }, value: 20000, target: 15000, expected: 4 },
    {
      name: 'ScaleUpCMObjectIgnoresUnreadyPods',
      current: 3,
      spec: { count: 3, ready: ['F', 'T', 'F'] as Ready[] },
      value: 50000,
      target: 10000,
      expected: 5,
    },
    { name: 'ScaleDownCMObject', current: 5, spec: { count: 5 }, value: 12000, target: 20000, expected: 3 },
    { name: 'ToleranceCMObject', current: 3, spec: { count: 3 }, value: 20666, target: 20000, expected: 3 },
    { name: 'ScaleUpCMExternal', current: 1, spec: { count: 1 }, value: 8600, target: 4400, expected: 2 },
    {
      name: 'ScaleUpCMExternalIgnoresUnreadyPods',
      current: 3,
      spec: { count: 3, ready: ['F', 'T', 'F'] as Ready[] },
      value: 8600,
      target: 4400,
      expected: 2,
    },
    { name: 'ScaleDownCMExternal', current: 5, spec: { count: 5 }, value: 8600, target: 14334, expected: 3 },
    { name: 'ToleranceCMExternal', current: 3, spec: { count: 3 }, value: 8600, target: 8888, expected: 3 },
  ])('$name (Value target)', ({ current, spec, value, target, expected }) => {
    expect(objectMetricReplicas({ currentReplicas: current, targetValue: target, value, pods: pods(spec) }, {})).toBe(
      expected,
    );
  });

  it.each([
    { name: 'ScaleUpCMPerPodObject', current: 3, value: 20000, target: 5000, expected: [4, 6667] },
    { name: 'ScaleDownPerPodCMObject', current: 5, value: 6000, target: 2000, expected: [3, 1200] },
    { name: 'TolerancePerPodCMObject', current: 4, value: 20166, target: 5000, expected: [4, 5042] },
    { name: 'ScaleUpPerPodCMExternal', current: 3, value: 8600, target: 2150, expected: [4, 2867] },
    { name: 'ScaleDownPerPodCMExternal', current: 5, value: 8600, target: 2867, expected: [3, 1720] },
    { name: 'TolerancePerPodCMExternal', current: 3, value: 8600, target: 2900, expected: [3, 2867] },
  ])('$name (AverageValue target)', ({ current, value, target, expected }) => {
    const result = objectPerPodMetricReplicas({ currentReplicas: current, targetAverageValue: target, value }, {});
    expect([result.replicas, result.usage]).toEqual(expected);
  });

  it('scales from zero by the ratio alone', () => {
    expect(objectMetricReplicas({ currentReplicas: 0, targetValue: 1000, value: 2500, pods: [] }, {})).toBe(3);
  });
});
