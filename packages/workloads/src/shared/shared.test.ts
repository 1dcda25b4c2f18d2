import { ReplicaSet } from '@keelson/api';
import { VirtualClock } from '@keelson/clock';
import { describe, expect, it } from 'vitest';
import { EXPECTATIONS_TIMEOUT_MS, Expectations } from './expectations';
import { podFromTemplate } from './pods';
import { slowStartBatch, slowStartBatchSizes } from './slowStart';

describe('slow start', () => {
  it('batches 1, 2, 4, … and cuts the last batch to fit', () => {
    expect(slowStartBatchSizes(10)).toEqual([1, 2, 4, 3]);
    expect(slowStartBatchSizes(0)).toEqual([]);
    expect(slowStartBatchSizes(1)).toEqual([1]);
  });

  it('stops after the first batch with a failure', async () => {
    const calls: number[] = [];
    const result = await slowStartBatch(10, async (i) => {
      calls.push(i);
      if (i === 2) throw new Error('quota');
    });
    // Batches [0] and [1, 2] ran; the failure in the second stops the rest.
    expect(calls).toEqual([0, 1, 2]);
    expect(result.succeeded).toBe(2);
    expect((result.error as Error).message).toBe('quota');
  });
});

describe('expectations', () => {
  it('hold a key until the cache shows its creates and deletes', () => {
    const clock = new VirtualClock(0);
    const e = new Expectations(clock);
    e.created('default/web', 'web-abcde');
    e.deleted('default/web', 'uid-1');
    const cache = { names: new Set<string>(), live: new Set(['uid-1']) };
    const observed = { has: (n: string) => cache.names.has(n), live: (u: string) => cache.live.has(u) };
    expect(e.satisfied('default/web', observed)).toBe(false);
    cache.names.add('web-abcde');
    expect(e.satisfied('default/web', observed)).toBe(false);
    cache.live.delete('uid-1');
    expect(e.satisfied('default/web', observed)).toBe(true);
    expect(e.satisfied('default/other', observed)).toBe(true);
  });

  it('expire after five minutes', async () => {
    const clock = new VirtualClock(0);
    const e = new Expectations(clock);
    e.created('k', 'never-seen');
    const observed = { has: () => false, live: () => false };
    await clock.advance(EXPECTATIONS_TIMEOUT_MS - 1);
    expect(e.satisfied('k', observed)).toBe(false);
    await clock.advance(1);
    expect(e.satisfied('k', observed)).toBe(true);
  });
});

describe('podFromTemplate', () => {
  it('copies the template and points a controller reference at the owner', () => {
    const owner = {
      apiVersion: ReplicaSet.apiVersion,
      kind: 'ReplicaSet',
      metadata: { name: 'web-5d8f', namespace: 'prod', uid: 'u1' },
    };
    const pod = podFromTemplate({ metadata: { labels: { app: 'web' } }, spec: { containers: [] } as never }, owner, {
      labels: { 'pod-template-hash': '5d8f' },
    });
    expect(pod.metadata).toEqual({
      generateName: 'web-5d8f-',
      namespace: 'prod',
      labels: { app: 'web', 'pod-template-hash': '5d8f' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web-5d8f',
          uid: 'u1',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    });
  });
});
