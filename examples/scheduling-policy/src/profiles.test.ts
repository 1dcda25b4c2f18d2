import { isKeelsonError } from '@keelson/core';
import { type SchedulerProfile, schedulePod } from '@keelson/scheduler';
import { describe, expect, it } from 'vitest';
import { nodes, pod } from './cluster';
import { gpuProfile, registry } from './policy';
import { binPackingProfile, sweetSpotProfile } from './profiles';

/** cpu-1 runs 8 of its 16 cpus, cpu-2 runs 12. */
const running = [
  pod('half', { cpu: '8', memory: '8Gi', nodeName: 'cpu-1' }),
  pod('most', { cpu: '12', memory: '8Gi', nodeName: 'cpu-2' }),
];
const FIT = 'NodeResourcesFit';
const batch = pod('batch', { cpu: '2', memory: '1Gi' });
const place = (profile: SchedulerProfile) => schedulePod(batch, nodes, { pods: running, profile, registry });

describe("NodeResourcesFit's scoring strategies", () => {
  it('LeastAllocated (the default) spreads: the emptier node wins', () => {
    expect(place(gpuProfile).nodeName).toBe('cpu-1');
  });

  it('MostAllocated packs: the fuller node wins', () => {
    const result = place(binPackingProfile);
    expect(result.nodeName).toBe('cpu-2');
    // cpu after placing: 10/16 → 62, 14/16 → 87 (requested × 100 / capacity, truncated).
    expect(result.scores['cpu-1']?.plugins[FIT]).toBe(62);
    expect(result.scores['cpu-2']?.plugins[FIT]).toBe(87);
  });

  it('RequestedToCapacityRatio follows its shape: 62 % scores higher than 87 %', () => {
    const result = place(sweetSpotProfile);
    expect(result.nodeName).toBe('cpu-1');
    // 62 % lies on the rising segment (0 % → 0, 70 % → 100): 62 × 100 / 70 = 88.
    expect(result.scores['cpu-1']?.plugins[FIT]).toBe(88);
    // 87 % lies on the falling one (70 % → 100, 100 % → 20): 100 − 17 × 80 / 30 = 55.
    expect(result.scores['cpu-2']?.plugins[FIT]).toBe(55);
  });

  it('refuses a bad strategy when the profile is compiled, naming the field', () => {
    const bad: SchedulerProfile = {
      pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'Fullest' } } }],
    };
    try {
      place(bad);
      expect.unreachable();
    } catch (error) {
      expect(isKeelsonError(error, 'Invalid')).toBe(true);
      expect((error as Error).message).toContain('NodeResourcesFit args: scoringStrategy.type must be');
    }
  });
});
