import { Event, Lease } from '@keelson/api';
import { describe, expect, it } from 'vitest';
import { harness, memoryLogger, settle, Widget, widget } from '../../test/harness';
import { defineController } from '../controller/defineController';
import { createEventRecorder } from '../events/index';
import { createManager, type Manager } from '../manager/createManager';

const T0 = Date.UTC(2026, 0, 1);
const election = (identity: string) => ({ name: 'widgets', namespace: 'kube-system', identity });

describe('leader election', () => {
  it('elects one leader and fails over after the lease expires as the other saw it', async () => {
    const { clock, store } = await harness();
    const events: string[] = [];
    const managers: Record<string, Manager> = {};
    for (const id of ['a', 'b']) {
      const manager = createManager({ store, leaderElection: election(id) });
      manager.on('started-leading', () => events.push(`${id} leads at ${(clock.now() - T0) / 1000}s`));
      manager.on('stopped-leading', () => events.push(`${id} stops at ${(clock.now() - T0) / 1000}s`));
      managers[id] = manager;
    }
    await managers.a?.start();
    await settle(clock);
    await managers.b?.start();
    await clock.advance(30_000);
    expect(events).toEqual(['a leads at 0s']);
    const lease = await store.get(Lease, 'widgets', { namespace: 'kube-system' });
    expect(lease.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
    expect(lease.spec.renewTime).toBe('2026-01-01T00:00:30.000000Z');

    // a crashes: it stops renewing without releasing the lease.
    await managers.a?.stop();
    await clock.advance(60_000);
    // a last renewed at 30 s; b saw that renewal at its next try (30 s or 32 s) and waits 15 s from then.
    expect(events[1]).toBe('a stops at 30s');
    const took = Number(events[2]?.match(/^b leads at (\d+)s$/)?.[1]);
    expect(took).toBeGreaterThanOrEqual(45);
    expect(took).toBeLessThanOrEqual(49);
    const after = await store.get(Lease, 'widgets', { namespace: 'kube-system' });
    expect(after.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    await managers.b?.stop();
  });

  it('never lets two managers reconcile at once when the leader is cut off', async () => {
    let partitioned = false;
    const { clock, store } = await harness(1, {
      authorizer: (r) => !(partitioned && r.actor === 'a' && r.resource === 'leases' && r.verb !== 'get'),
    });
    await store.create(Widget, widget('w'));
    const intervals: Array<{ id: string; from: number; to: number }> = [];
    const refused: string[] = [];
    const controllerFor = (id: string) =>
      defineController({
        name: 'busy',
        for: Widget,
        reconcile: async (request, { client, signal, clock: c }) => {
          const from = c.now();
          await new Promise<void>((resolve) => {
            const timer = c.setTimeout(resolve, 700);
            signal.addEventListener('abort', () => {
              c.clearTimeout(timer);
              resolve();
            });
          });
          intervals.push({ id, from, to: c.now() });
          try {
            await client.patch(
              Widget,
              request.name,
              (d) => {
                d.spec.owner = id;
              },
              { namespace: request.namespace },
            );
          } catch (error) {
            refused.push(`${id}: ${(error as Error).message.slice(0, 40)}`);
          }
          return { requeueAfter: 300 };
        },
      });
    const a = createManager({ store, leaderElection: election('a'), logger: memoryLogger() }).add(controllerFor('a'));
    const b = createManager({ store, leaderElection: election('b'), logger: memoryLogger() }).add(controllerFor('b'));
    await a.start();
    await settle(clock);
    await b.start();
    await clock.advance(20_000);
    partitioned = true; // a can no longer renew
    await clock.advance(60_000);
    expect(a.isLeader()).toBe(false);
    expect(b.isLeader()).toBe(true);
    const aLast = Math.max(...intervals.filter((i) => i.id === 'a').map((i) => i.to));
    const bFirst = Math.min(...intervals.filter((i) => i.id === 'b').map((i) => i.from));
    expect(intervals.some((i) => i.id === 'a')).toBe(true);
    expect(intervals.some((i) => i.id === 'b')).toBe(true);
    // No overlap: every reconcile of a ended before the first of b started.
    expect(aLast).toBeLessThan(bFirst);
    expect(refused.every((r) => r.startsWith('a:'))).toBe(true);
    expect((await store.get(Widget, 'w', { namespace: 'default' })).spec.owner).toBe('b');
    await a.stop();
    await b.stop();
  });

  it('gives up leading at the renew deadline even while a renewal hangs on a stuck store', async () => {
    let stuck = false;
    const { clock, store } = await harness(1, {
      // a's lease writes never answer (a store stalled by an outage), while gets still do.
      authorizer: (r) =>
        stuck && r.actor === 'a' && r.resource === 'leases' && r.verb !== 'get' ? new Promise<boolean>(() => {}) : true,
    });
    const events: string[] = [];
    const managers: Manager[] = [];
    for (const id of ['a', 'b']) {
      const manager = createManager({ store, leaderElection: election(id), logger: memoryLogger() });
      manager.on('started-leading', () => events.push(`${id} leads at ${(clock.now() - T0) / 1000}s`));
      manager.on('stopped-leading', () => events.push(`${id} stops at ${(clock.now() - T0) / 1000}s`));
      managers.push(manager);
      await manager.start();
      await settle(clock);
    }
    await clock.advance(20_000); // a renewed last at 20 s
    stuck = true;
    await clock.advance(60_000);
    // a's renewal at 22 s never returns; it must still stop at 30 s, before b's takeover (no earlier than 35 s).
    expect(events[0]).toBe('a leads at 0s');
    expect(events[1]).toBe('a stops at 30s');
    const took = Number(events[2]?.match(/^b leads at (\d+)s$/)?.[1]);
    expect(took).toBeGreaterThanOrEqual(35);
    for (const manager of managers) await manager.stop();
  });

  it('records leadership changes as events on the Lease', async () => {
    const { clock, store } = await harness();
    const recorder = createEventRecorder(store, { component: 'widgets-manager', sweep: false });
    const a = createManager({ store, leaderElection: election('a'), recorder });
    await a.start();
    await settle(clock);
    await a.stop();
    await settle(clock);
    const events = (await store.list(Event, { namespace: 'kube-system' })).items;
    expect(events.map((e) => [e.reason, e.message, e.involvedObject.kind])).toEqual([
      ['LeaderElection', 'a became leader', 'Lease'],
      ['LeaderElection', 'a stopped leading', 'Lease'],
    ]);
  });

  it('refuses times that break client-go’s rule', async () => {
    const { store } = await harness();
    const bad = (times: object) => () => createManager({ store, leaderElection: { ...election('a'), ...times } });
    expect(bad({ leaseDurationMs: 5_000 })).toThrow(/leaseDurationMs must be greater than renewDeadlineMs/);
    expect(bad({ retryPeriodMs: 9_000 })).toThrow(/renewDeadlineMs must be greater than 1.2 × retryPeriodMs/);
    expect(() => createManager({ store: {} as never })).toThrow(/options.store must be a store/);
  });
});
