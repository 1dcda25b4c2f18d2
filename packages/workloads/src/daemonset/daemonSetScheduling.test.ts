import { createRandom } from '@keelson/clock';
import { createScheduler } from '@keelson/scheduler';
import { afterEach, describe, expect, it } from 'vitest';
import { addReadyNode, startWorkloads, type WorkloadHarness } from '../testSupport';
import { daemonSetController } from './daemonSetController';
import { createAgent, livePods, taintNode } from './daemonSetTestSupport';

let harness: WorkloadHarness | undefined;
let stopScheduler: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stopScheduler?.();
  await harness?.stop();
  harness = undefined;
  stopScheduler = undefined;
});

describe('daemonSetController with the scheduler', () => {
  it('gets every daemon pod bound to the node its affinity names, cordoned nodes included', async () => {
    harness = await startWorkloads([daemonSetController()]);
    const { store, clock, advance } = harness;
    for (const name of ['n1', 'n2', 'n3']) await addReadyNode(store, name);
    await taintNode(store, 'n3', [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]);
    const scheduler = createScheduler({ store, clock, random: createRandom(7, 'scheduler'), recorder: false });
    stopScheduler = () => scheduler.stop();
    await scheduler.start();
    await createAgent(store);
    for (let i = 0; i < 5; i++) {
      await advance(1000);
      await scheduler.idle();
    }
    const pods = await livePods(store);
    const pinnedTo = (p: (typeof pods)[number]) =>
      p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]
        ?.matchFields?.[0]?.values?.[0];
    expect(pods.map((p) => [p.spec.nodeName, pinnedTo(p)])).toEqual([
      ['n1', 'n1'],
      ['n2', 'n2'],
      ['n3', 'n3'],
    ]);
  });
});
