import { DaemonSet, Node, Pod } from '@keelson/api';
import { afterEach, describe, expect, it } from 'vitest';
import { addReadyNode, setPodStatus, startWorkloads, type WorkloadHarness } from '../testSupport';
import { daemonSetHash, targetNodeName } from './daemonPods';
import { daemonSetController } from './daemonSetController';
import {
  agentStatus,
  bindAndReady,
  createAgent,
  finishDeletions,
  labelNode,
  livePods,
  podNodes,
  taintNode,
} from './daemonSetTestSupport';

let harness: WorkloadHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function start(nodes: string[] = ['n1', 'n2', 'n3']): Promise<WorkloadHarness> {
  harness = await startWorkloads([daemonSetController()]);
  for (const name of nodes) await addReadyNode(harness.store, name);
  return harness;
}

describe('daemonSetController: placement', () => {
  it('creates one pod per node, pinned by node affinity, owned and labelled', async () => {
    const { store, advance, errors } = await start();
    const ds = await createAgent(store);
    await advance();
    const pods = await livePods(store);
    expect(pods.map(targetNodeName)).toEqual(['n1', 'n2', 'n3']);
    const pod = pods[0] as Pod;
    expect(pod.spec.nodeName).toBeUndefined();
    expect(pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual({
      nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }],
    });
    expect(pod.metadata.labels).toEqual({
      app: 'agent',
      'controller-revision-hash': daemonSetHash(ds),
      'pod-template-generation': '1',
    });
    expect(pod.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        name: 'agent',
        uid: ds.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(pod.spec.tolerations).toContainEqual({
      key: 'node.kubernetes.io/unreachable',
      operator: 'Exists',
      effect: 'NoExecute',
    });
    expect(errors).toEqual([]);
  });

  it('gives a new node its pod, and removes the pod of a deleted node', async () => {
    const { store, advance } = await start(['n1']);
    await createAgent(store);
    await advance();
    await addReadyNode(store, 'n2');
    await advance();
    expect(await podNodes(store)).toEqual(['n1', 'n2']);
    await bindAndReady(store);
    await store.delete(Node, 'n2');
    await advance();
    expect(await podNodes(store)).toEqual(['n1']);
  });

  it('skips nodes outside the node selector and moves away when a label changes', async () => {
    const { store, advance } = await start([]);
    await addReadyNode(store, 'ssd-1', { disk: 'ssd' });
    await addReadyNode(store, 'hdd-1', { disk: 'hdd' });
    await createAgent(store, {}, { nodeSelector: { disk: 'ssd' } });
    await advance();
    expect(await podNodes(store)).toEqual(['ssd-1']);
    await bindAndReady(store);
    await labelNode(store, 'ssd-1', { disk: 'hdd' });
    await advance();
    expect(await podNodes(store)).toEqual([]);
    await labelNode(store, 'hdd-1', { disk: 'ssd' });
    await advance();
    expect(await podNodes(store)).toEqual(['hdd-1']);
  });

  it('honours required node affinity expressions', async () => {
    const { store, advance } = await start([]);
    await addReadyNode(store, 'a', { zone: 'a' });
    await addReadyNode(store, 'b', { zone: 'b' });
    await createAgent(
      store,
      {},
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }],
            },
          },
        },
      },
    );
    await advance();
    const [pod, ...rest] = await livePods(store);
    expect(rest).toEqual([]);
    // The template's expressions stay, beside the pin to the node.
    expect(pod?.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toEqual(
      [
        {
          matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }],
          matchFields: [{ key: 'metadata.name', operator: 'In', values: ['b'] }],
        },
      ],
    );
  });

  it('keeps off nodes with untolerated NoSchedule taints, but not off the ones daemon pods tolerate', async () => {
    const { store, advance } = await start(['gpu', 'plain', 'cordoned']);
    await taintNode(store, 'gpu', [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
    await taintNode(store, 'cordoned', [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]);
    await createAgent(store);
    await advance();
    expect(await podNodes(store)).toEqual(['cordoned', 'plain']);
    expect((await agentStatus(store))?.desiredNumberScheduled).toBe(2);
  });

  it('runs on a tainted node when the template tolerates the taint', async () => {
    const { store, advance } = await start(['gpu']);
    await taintNode(store, 'gpu', [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
    await createAgent(store, {}, { tolerations: [{ key: 'dedicated', operator: 'Exists' }] });
    await advance();
    expect(await podNodes(store)).toEqual(['gpu']);
  });

  it('leaves a running pod under a new NoSchedule taint, removes it under an untolerated NoExecute one', async () => {
    const { store, advance } = await start(['n1']);
    await createAgent(store);
    await advance();
    await bindAndReady(store);
    await taintNode(store, 'n1', [{ key: 'maintenance', effect: 'NoSchedule' }]);
    await advance();
    expect(await podNodes(store)).toEqual(['n1']);
    expect((await agentStatus(store))?.numberMisscheduled).toBe(1);
    await taintNode(store, 'n1', [{ key: 'maintenance', effect: 'NoExecute' }]);
    await advance();
    expect(await podNodes(store)).toEqual([]);
  });
});

describe('daemonSetController: repairs', () => {
  it('deletes extra pods on a node, keeping the oldest', async () => {
    const { store, advance } = await start(['n1']);
    await createAgent(store);
    await advance();
    await bindAndReady(store);
    const [first] = await livePods(store);
    await advance(1000);
    const { metadata: _m, ...rest } = first as Pod;
    await store.create(Pod, {
      ...rest,
      status: undefined,
      metadata: { name: 'agent-extra', namespace: 'default', labels: first?.metadata.labels ?? {} },
    } as unknown as Pod);
    await advance();
    expect((await livePods(store)).map((p) => p.metadata.name)).toEqual([first?.metadata.name]);
  });

  it('replaces a failed pod, backing off between replacements', async () => {
    const { store, advance } = await start(['n1']);
    await createAgent(store);
    await advance();
    await bindAndReady(store);
    const [pod] = await livePods(store);
    await setPodStatus(store, pod as Pod, { phase: 'Failed' });
    await advance();
    await finishDeletions(store);
    await advance();
    const [second] = await livePods(store);
    expect(second?.metadata.name).not.toBe(pod?.metadata.name);
    await bindAndReady(store);
    await setPodStatus(store, second as Pod, { phase: 'Failed' });
    await advance();
    // Second failure within the 1 s back-off: the pod stays until it has passed.
    expect((await livePods(store)).map((p) => p.metadata.name)).toEqual([second?.metadata.name]);
    await advance(2000);
    const [third, ...others] = await livePods(store);
    expect(others).toEqual([]);
    expect([pod?.metadata.name, second?.metadata.name]).not.toContain(third?.metadata.name);
  });
});

describe('daemonSetController: updates and status', () => {
  async function rollTo(store: WorkloadHarness['store'], image: string): Promise<void> {
    await store.patch(
      DaemonSet,
      'agent',
      (draft) => {
        (draft.spec.template.spec.containers[0] as { image: string }).image = image;
        return draft;
      },
      { namespace: 'default' },
    );
  }

  it('counts scheduled, ready, available and updated pods', async () => {
    const { store, advance } = await start();
    await createAgent(store, { minReadySeconds: 10 });
    await advance();
    expect(await agentStatus(store)).toMatchObject({
      desiredNumberScheduled: 3,
      currentNumberScheduled: 3,
      numberReady: 0,
      numberAvailable: 0,
      numberUnavailable: 3,
      updatedNumberScheduled: 3,
      numberMisscheduled: 0,
      observedGeneration: 1,
    });
    await bindAndReady(store);
    await advance();
    expect(await agentStatus(store)).toMatchObject({ numberReady: 3, numberAvailable: 0 });
    await advance(10_000);
    expect(await agentStatus(store)).toMatchObject({ numberReady: 3, numberAvailable: 3, numberUnavailable: 0 });
  });

  it('replaces at most maxUnavailable (default 1) pods at a time', async () => {
    const { store, advance } = await start();
    await createAgent(store);
    await advance();
    await bindAndReady(store);
    await advance();
    await rollTo(store, 'agent:2');
    for (let round = 1; round <= 3; round++) {
      await advance();
      const { items } = await store.list(Pod, { namespace: 'default' });
      expect(items.filter((p) => p.metadata.deletionTimestamp !== undefined)).toHaveLength(1);
      await finishDeletions(store);
      await advance();
      const images = (await livePods(store)).map((p) => p.spec.containers[0]?.image);
      expect(images.filter((i) => i === 'agent:2')).toHaveLength(round);
      expect(images).toHaveLength(3);
      await bindAndReady(store);
    }
    await advance();
    expect(await agentStatus(store)).toMatchObject({
      updatedNumberScheduled: 3,
      numberAvailable: 3,
      observedGeneration: 2,
    });
  });

  it('with OnDelete, updates a pod only once it is deleted', async () => {
    const { store, advance } = await start(['n1', 'n2']);
    await createAgent(store, { updateStrategy: { type: 'OnDelete' } });
    await advance();
    await bindAndReady(store);
    await rollTo(store, 'agent:2');
    await advance();
    expect((await livePods(store)).map((p) => p.spec.containers[0]?.image)).toEqual(['agent:1', 'agent:1']);
    expect((await agentStatus(store))?.updatedNumberScheduled).toBe(0);
    const [first] = await livePods(store);
    await store.delete(Pod, first?.metadata.name ?? '', { namespace: 'default', gracePeriodSeconds: 0 });
    await advance();
    expect((await livePods(store)).map((p) => p.spec.containers[0]?.image)).toEqual(['agent:2', 'agent:1']);
  });

  it('with maxSurge, starts the new pod beside the old one and removes the old once the new is available', async () => {
    const { store, advance } = await start(['n1']);
    await createAgent(store, {
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    });
    await advance();
    await bindAndReady(store);
    await rollTo(store, 'agent:2');
    await advance();
    expect((await livePods(store)).map((p) => p.spec.containers[0]?.image).sort()).toEqual(['agent:1', 'agent:2']);
    await bindAndReady(store);
    await advance();
    expect((await livePods(store)).map((p) => p.spec.containers[0]?.image)).toEqual(['agent:2']);
  });
});
