import { ControllerRevision } from '@keelson/api';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorkloads, type WorkloadHarness } from '../testSupport';
import { hashRevision, revisionData, revisionName } from './revisions';
import { createWeb, liveNames, startStatefulSets, webStatus } from './statefulSetTestSupport';

const harnesses: WorkloadHarness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.stop();
});

describe('statefulSetController: hash collisions', () => {
  it('bumps collisionCount when another revision already has the name', async () => {
    // The name the set's first revision would get, from the same set in a store without the controller.
    const plain = await startWorkloads([]);
    harnesses.push(plain);
    const sameSet = await createWeb(plain.store, { replicas: 1 });
    const taken = revisionName('web', hashRevision(revisionData(sameSet), 0));
    const h = await startStatefulSets();
    harnesses.push(h);
    await h.store.create(ControllerRevision, {
      metadata: { name: taken, namespace: 'default', labels: { other: 'thing' } },
      data: { spec: { template: { metadata: { labels: { other: 'thing' } } } } },
      revision: 1,
    });
    await createWeb(h.store, { replicas: 1 });
    await h.advance();
    const status = await webStatus(h.store);
    expect(status?.collisionCount).toBe(1);
    expect(status?.updateRevision).toBe(revisionName('web', hashRevision(revisionData(sameSet), 1)));
    expect(status?.updateRevision).not.toBe(taken);
    expect(await liveNames(h.store)).toEqual(['web-0']);
    // The other revision is left alone.
    const other = await h.store.get(ControllerRevision, taken, { namespace: 'default' });
    expect(other.metadata.ownerReferences ?? []).toEqual([]);
  });

  it('hashes the data and the collision count, so either change gives another name', () => {
    const data = { spec: { template: { metadata: { labels: { app: 'web' } } } } };
    expect(hashRevision(data, 0)).toBe(hashRevision(structuredClone(data), 0));
    expect(hashRevision(data, 0)).not.toBe(hashRevision(data, 1));
    expect(hashRevision(data, 0)).not.toBe(hashRevision({ spec: { template: { metadata: { labels: {} } } } }, 0));
    expect(revisionName('x'.repeat(300), 'abc')).toBe(`${'x'.repeat(223)}-abc`);
  });
});
