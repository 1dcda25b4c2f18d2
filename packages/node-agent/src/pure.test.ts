import type { ContainerStatus, Pod } from '@keelson/api';
import { describe, expect, it } from 'vitest';
import { admitPod } from './admission';
import { Backoff, formatGoDuration } from './backoff';
import { computePodStatus, podPhaseOf, sameJson } from './status';

describe('Backoff', () => {
  it('starts at 10 s, doubles to 300 s and resets after 10 min without a failure', () => {
    const backoff = new Backoff();
    const delays = [0, 1, 2, 3, 4, 5, 6].map((i) => backoff.next('k', i * 1000));
    expect(delays).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    expect(backoff.inBackoffSince('k', 6_000, 305_999)).toBe(true);
    expect(backoff.inBackoffSince('k', 6_000, 306_000)).toBe(false);
    expect(backoff.next('k', 6_000 + 600_000)).toBe(300_000);
    expect(backoff.next('k', 606_000 + 600_001)).toBe(10_000);
  });

  it('tells whether a key is in backoff since its last update', () => {
    const backoff = new Backoff();
    expect(backoff.inBackoffSinceUpdate('k', 0)).toBe(false);
    backoff.next('k', 0);
    expect(backoff.inBackoffSinceUpdate('k', 9_999)).toBe(true);
    expect(backoff.inBackoffSinceUpdate('k', 10_000)).toBe(false);
    expect(backoff.endsAt('k')).toBe(10_000);
    backoff.resetPrefix('k');
    expect(backoff.get('k')).toBe(0);
  });
});

const running = (name: string): ContainerStatus => ({
  name,
  state: { running: {} },
  ready: true,
  restartCount: 0,
  image: 'x',
  imageID: '',
});
const exited = (name: string, exitCode: number): ContainerStatus => ({
  name,
  state: { terminated: { exitCode } },
  ready: false,
  restartCount: 0,
  image: 'x',
  imageID: '',
});
const waiting = (name: string): ContainerStatus => ({
  name,
  state: { waiting: { reason: 'ContainerCreating' } },
  ready: false,
  restartCount: 0,
  image: 'x',
  imageID: '',
});

describe('formatGoDuration', () => {
  it('prints like Go', () => {
    expect([10_000, 80_000, 300_000, 3_600_000].map(formatGoDuration)).toEqual(['10s', '1m20s', '5m0s', '1h0m0s']);
  });
});

describe('podPhaseOf (the kubelet getPhase)', () => {
  const spec = (restartPolicy: 'Always' | 'OnFailure' | 'Never') => ({
    restartPolicy,
    containers: [{ name: 'a' }, { name: 'b' }],
  });
  it('follows Kubernetes rules', () => {
    expect(podPhaseOf(spec('Always'), [], [waiting('a'), running('b')])).toBe('Pending');
    expect(podPhaseOf(spec('Always'), [], [running('a'), exited('b', 1)])).toBe('Running');
    expect(podPhaseOf(spec('Always'), [], [exited('a', 0), exited('b', 0)])).toBe('Running');
    expect(podPhaseOf(spec('Never'), [], [exited('a', 0), exited('b', 0)])).toBe('Succeeded');
    expect(podPhaseOf(spec('OnFailure'), [], [exited('a', 0), exited('b', 0)])).toBe('Succeeded');
    expect(podPhaseOf(spec('Never'), [], [exited('a', 0), exited('b', 1)])).toBe('Failed');
    expect(podPhaseOf(spec('OnFailure'), [], [exited('a', 0), exited('b', 1)])).toBe('Running');
  });
  it('is Pending until init containers succeed, Failed when one fails under Never', () => {
    const withInit = (restartPolicy: 'Always' | 'Never') => ({
      restartPolicy,
      initContainers: [{ name: 'i' }],
      containers: [{ name: 'a' }],
    });
    expect(podPhaseOf(withInit('Always'), [running('i')], [waiting('a')])).toBe('Pending');
    expect(podPhaseOf(withInit('Always'), [exited('i', 1)], [waiting('a')])).toBe('Pending');
    expect(podPhaseOf(withInit('Never'), [exited('i', 1)], [waiting('a')])).toBe('Failed');
    expect(podPhaseOf(withInit('Never'), [exited('i', 0)], [running('a')])).toBe('Running');
  });
});

describe('computePodStatus', () => {
  it('moves lastTransitionTime only when a condition flips', () => {
    const base = {
      spec: { restartPolicy: 'Always' as const, containers: [{ name: 'a' }] },
      initContainerStatuses: [],
      sandboxReady: true,
      hostIP: '10.0.0.1',
      podIP: '10.88.0.2',
      startTime: '2026-01-01T00:00:00Z',
    };
    const first = computePodStatus({ ...base, previous: undefined, containerStatuses: [running('a')], now: 'T1' });
    const second = computePodStatus({ ...base, previous: first, containerStatuses: [running('a')], now: 'T2' });
    expect(sameJson(first, second)).toBe(true);
    const third = computePodStatus({ ...base, previous: second, containerStatuses: [waiting('a')], now: 'T3' });
    expect(third.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      lastTransitionTime: 'T3',
      message: 'containers with unready status: [a]',
    });
    expect(third.conditions?.find((c) => c.type === 'PodScheduled')?.lastTransitionTime).toBe('T1');
  });
});

describe('admitPod', () => {
  const pod = (cpu: string, memory = '1Gi') =>
    ({
      spec: { containers: [{ name: 'a', image: 'x', resources: { requests: { cpu, memory } } }] },
    }) as unknown as Pod;
  it('counts admitted pods and names the resource that does not fit', () => {
    expect(admitPod(pod('2'), [pod('1')], { cpu: '4', memory: '8Gi', pods: '110' })).toBeUndefined();
    expect(admitPod(pod('2'), [pod('3')], { cpu: '4', memory: '8Gi', pods: '110' })).toEqual({
      reason: 'OutOfcpu',
      message: "Pod was rejected: Node didn't have enough resource: cpu, requested: 2000, used: 3000, capacity: 4000",
    });
    expect(admitPod(pod('1', '9Gi'), [], { cpu: '4', memory: '8Gi' })?.reason).toBe('OutOfmemory');
    expect(admitPod(pod('1'), [pod('1')], { cpu: '4', memory: '8Gi', pods: '1' })?.reason).toBe('OutOfpods');
  });

  it('counts an admitted pod again after its requests change in place, and a frozen one the same each time', () => {
    const other = pod('1') as unknown as { spec: { containers: Array<{ resources: { requests: { cpu: string } } }> } };
    const allocatable = { cpu: '4', memory: '8Gi', pods: '110' };
    expect(admitPod(pod('2'), [other as unknown as Pod], allocatable)).toBeUndefined();
    (other.spec.containers[0] as { resources: { requests: { cpu: string } } }).resources.requests.cpu = '3';
    expect(admitPod(pod('2'), [other as unknown as Pod], allocatable)?.reason).toBe('OutOfcpu');
    const frozen = Object.freeze({ ...other, spec: Object.freeze(other.spec) }) as unknown as Pod;
    expect(admitPod(pod('1'), [frozen], allocatable)).toBeUndefined();
    expect(admitPod(pod('2'), [frozen], allocatable)?.message).toContain('used: 3000');
  });
});
