import { describe, expect, it } from 'vitest';
import { harness, memoryLogger, settle, Widget, widget } from '../../test/harness';
import { defineController } from '../controller/defineController';
import { createManager, type Manager } from '../manager/createManager';

const election = (identity: string, extra: object = {}) => ({
  name: 'widgets',
  namespace: 'kube-system',
  identity,
  ...extra,
});

/** A controller that stamps its manager's id on the widget every 300 ms, recording each write that landed. */
function stamping(
  id: string,
  managers: Record<string, Manager>,
  landed: Array<{ id: string; revision: number; leaders: string[] }>,
) {
  return defineController({
    name: 'stamp',
    for: Widget,
    reconcile: async (request, { client }) => {
      try {
        const written = await client.patch(
          Widget,
          request.name,
          (d) => {
            d.spec.owner = id;
          },
          { namespace: request.namespace },
        );
        const leaders = Object.entries(managers)
          .filter(([, m]) => m.isLeader())
          .map(([name]) => name);
        landed.push({ id, revision: Number(written.metadata.resourceVersion), leaders });
      } catch {
        // refused: this manager's term is over
      }
      return { requeueAfter: 300 };
    },
  });
}

describe('leader election: leading again after a lost lease', () => {
  it('stops its controllers on a partition, never writes in the other term, and leads again once the other is gone', async () => {
    let partitioned = false;
    const { clock, store } = await harness(1, {
      authorizer: (r) => !(partitioned && r.actor === 'a' && r.resource === 'leases' && r.verb !== 'get'),
    });
    await store.create(Widget, widget('w'));
    const managers: Record<string, Manager> = {};
    const landed: Array<{ id: string; revision: number; leaders: string[] }> = [];
    const events: string[] = [];
    for (const id of ['a', 'b']) {
      const manager = createManager({ store, leaderElection: election(id), logger: memoryLogger() });
      manager.add(stamping(id, managers, landed));
      manager.on('started-leading', () => events.push(`${id} leads`));
      manager.on('stopped-leading', () => events.push(`${id} stops`));
      managers[id] = manager;
    }
    await managers.a?.start();
    await settle(clock);
    await managers.b?.start();
    await clock.advance(10_000);
    partitioned = true; // a cannot renew: it stops at its renew deadline, b takes over after the lease expires
    await clock.advance(40_000);
    expect(managers.a?.isLeader()).toBe(false);
    expect(managers.b?.isLeader()).toBe(true);
    partitioned = false; // healed: a campaigns, but b holds the lease
    await clock.advance(20_000);
    expect(managers.a?.isLeader()).toBe(false);
    await managers.b?.stop(); // b gone: a wins the lease back once b's lease has expired
    await clock.advance(30_000);
    expect(managers.a?.isLeader()).toBe(true);
    expect(events).toEqual(['a leads', 'a stops', 'b leads', 'b stops', 'a leads']);

    // Every write that landed came from the only leader at that revision, in three terms a, b, a.
    const byRevision = [...landed].sort((x, y) => x.revision - y.revision);
    for (const write of byRevision) expect(write.leaders).toEqual([write.id]);
    const terms = byRevision.map((w) => w.id).filter((id, i, all) => i === 0 || all[i - 1] !== id);
    expect(terms).toEqual(['a', 'b', 'a']);
    expect((await store.get(Widget, 'w', { namespace: 'default' })).spec.owner).toBe('a');
    await managers.a?.stop();
  });

  it('with rejoin: false stops for good after losing the lease', async () => {
    let partitioned = false;
    const { clock, store } = await harness(1, {
      authorizer: (r) => !(partitioned && r.actor === 'a' && r.resource === 'leases' && r.verb !== 'get'),
    });
    const events: string[] = [];
    const a = createManager({ store, leaderElection: election('a', { rejoin: false }), logger: memoryLogger() });
    a.on('started-leading', () => events.push('a leads'));
    a.on('stopped-leading', () => events.push('a stops'));
    await a.start();
    await clock.advance(5_000);
    partitioned = true;
    await clock.advance(20_000);
    partitioned = false; // nobody else holds the lease, yet a does not lead again
    await clock.advance(60_000);
    expect(a.isLeader()).toBe(false);
    expect(events).toEqual(['a leads', 'a stops']);
    await a.stop();
  });
});
