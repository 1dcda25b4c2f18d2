import { describe, expect, it } from 'vitest';
import { ContainerEventType, ContainerState, PodSandboxState, Signal } from './enums';
import { KubeletAnnotation, KubeletLabel, matchesLabelSelector } from './wellKnown';

describe('matchesLabelSelector', () => {
  const labels = { app: 'web', tier: 'frontend', empty: '' };

  it('matches when every selector key has exactly that value', () => {
    expect(matchesLabelSelector(labels, { app: 'web' })).toBe(true);
    expect(matchesLabelSelector(labels, { app: 'web', tier: 'frontend' })).toBe(true);
    expect(matchesLabelSelector(labels, { empty: '' })).toBe(true);
  });

  it('does not match a different value or a missing key', () => {
    expect(matchesLabelSelector(labels, { app: 'db' })).toBe(false);
    expect(matchesLabelSelector(labels, { app: 'web', zone: 'a' })).toBe(false);
    expect(matchesLabelSelector(labels, { missing: '' })).toBe(false);
    expect(matchesLabelSelector(labels, { toString: 'x' })).toBe(false);
  });

  it('matches everything with an absent or empty selector', () => {
    expect(matchesLabelSelector(labels, undefined)).toBe(true);
    expect(matchesLabelSelector(labels, {})).toBe(true);
    expect(matchesLabelSelector({}, {})).toBe(true);
  });
});

describe('constants', () => {
  it('spell enum values as the proto names', () => {
    for (const e of [PodSandboxState, ContainerState, ContainerEventType, Signal]) {
      for (const [key, value] of Object.entries(e)) expect(value).toBe(key);
    }
    expect(Object.keys(Signal)).toHaveLength(66);
  });

  it('use the kubelet keys', () => {
    expect(KubeletLabel).toEqual({
      PodName: 'io.kubernetes.pod.name',
      PodNamespace: 'io.kubernetes.pod.namespace',
      PodUid: 'io.kubernetes.pod.uid',
      ContainerName: 'io.kubernetes.container.name',
    });
    expect(KubeletAnnotation.ContainerRestartCount).toBe('io.kubernetes.container.restartCount');
  });
});
