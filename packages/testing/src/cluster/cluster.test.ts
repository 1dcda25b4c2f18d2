import { Deployment, getCondition, Node, Pod } from '@keelson/api';
import { KeelsonError } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCluster } from './createTestCluster';
import type { TestCluster } from './types';

const clusters: TestCluster[] = [];
afterEach(async () => {
  for (const c of clusters.splice(0)) await c.close();
});

async function cluster(options: Parameters<typeof createTestCluster>[0] = {}) {
  const c = await createTestCluster(options);
  clusters.push(c);
  return c;
}

const WEB = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: app
          image: registry.example.com/web:1.0
          ports: [{ name: http, containerPort: 8080 }]
          readinessProbe: { httpGet: { path: /ready, port: http }, periodSeconds: 5 }
`;

async function readyPods(c: TestCluster): Promise<Pod[]> {
  return (await c.list(Pod)).filter(
    (p) => !p.metadata.deletionTimestamp && getCondition(p.status?.conditions, 'Ready')?.status === 'True',
  );
}

const PODS = 'core/pods';

const DB = `
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db }
spec:
  serviceName: db
  replicas: 3
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      containers: [{ name: db, image: registry.example.com/db:1.0 }]
`;

describe('createTestCluster', () => {
  it('runs a StatefulSet to db-0, db-1, db-2, started in ordinal order', async () => {
    const c = await cluster({ nodes: 2, seed: 3 });
    await c.apply(DB);
    await c.waitFor(async () => (await readyPods(c)).length === 3, { timeout: '2m', description: '3 ready pods' });
    const pods = (await readyPods(c)).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    expect(pods.map((p) => p.metadata.name)).toEqual(['db-0', 'db-1', 'db-2']);
    // OrderedReady: each pod is written only after the one before it turned Ready.
    const firsts: string[] = [];
    const readyAt = new Map<string, number>();
    for await (const entry of c.log.read({ from: 0 })) {
      if (entry.type !== PODS || entry.tombstone) continue;
      const pod = entry.data as Pod;
      if (!firsts.includes(pod.metadata.name)) firsts.push(pod.metadata.name);
      if (!readyAt.has(pod.metadata.name) && getCondition(pod.status?.conditions, 'Ready')?.status === 'True') {
        readyAt.set(pod.metadata.name, firsts.length);
      }
    }
    expect(firsts).toEqual(['db-0', 'db-1', 'db-2']);
    expect(readyAt.get('db-0')).toBe(1);
    expect(readyAt.get('db-1')).toBe(2);
  });

  it('starts Ready nodes and runs a Deployment from YAML to ready pods spread over them', async () => {
    const c = await cluster({ nodes: 3, seed: 7 });
    const nodes = await c.list(Node);
    expect(nodes.map((n) => n.metadata.name)).toEqual(['node-1', 'node-2', 'node-3']);
    expect(nodes.every((n) => getCondition(n.status?.conditions, 'Ready')?.status === 'True')).toBe(true);
    await c.apply(WEB);
    await c.waitFor(async () => (await readyPods(c)).length === 3, { timeout: '2m', description: '3 ready pods' });
    const ready = await readyPods(c);
    expect(new Set(ready.map((p) => p.spec.nodeName)).size).toBe(3);
    const d = await c.get(Deployment, 'web', 'default');
    await c.settle();
    expect((await c.get(Deployment, 'web', 'default')).status?.availableReplicas).toBe(3);
    expect(d.metadata.name).toBe('web');
  });

  it('apply updates an object that exists, by name', async () => {
    const c = await cluster({ nodes: 1 });
    await c.apply(WEB);
    await c.apply(WEB.replace('replicas: 3', 'replicas: 1'));
    expect((await c.get(Deployment, 'web', 'default')).spec.replicas).toBe(1);
    await c.settle();
    expect((await c.list(Pod)).filter((p) => !p.metadata.deletionTimestamp)).toHaveLength(1);
  });

  it('crashContainer makes the agent restart the container', async () => {
    const c = await cluster({ nodes: 1 });
    await c.apply(WEB.replace('replicas: 3', 'replicas: 1'));
    await c.waitFor(async () => (await readyPods(c)).length === 1);
    const [pod] = await readyPods(c);
    await c.faults.crashContainer({ pod: pod?.metadata.name ?? '' });
    await c.waitFor(
      async () =>
        (await c.get(Pod, pod?.metadata.name ?? '', 'default')).status?.containerStatuses?.[0]?.restartCount === 1,
      { timeout: '1m' },
    );
  });

  it('failProbe takes a pod out of readiness for its duration', async () => {
    const c = await cluster({ nodes: 1 });
    await c.apply(WEB.replace('replicas: 3', 'replicas: 1'));
    await c.waitFor(async () => (await readyPods(c)).length === 1);
    const [pod] = await readyPods(c);
    await c.faults.failProbe({ pod: pod?.metadata.name ?? '', probe: 'readiness', for: '1m' });
    await c.waitFor(async () => (await readyPods(c)).length === 0, { timeout: '30s' });
    await c.waitFor(async () => (await readyPods(c)).length === 1, { timeout: '2m' });
  });

  it('a stopped node goes NotReady/Unknown and its pods are replaced elsewhere', async () => {
    const c = await cluster({ nodes: 2, seed: 3 });
    await c.apply(WEB.replace('replicas: 3', 'replicas: 2'));
    await c.waitFor(async () => (await readyPods(c)).length === 2);
    const victim = (await readyPods(c))[0]?.spec.nodeName ?? '';
    await c.faults.stopNode(victim);
    await c.waitFor(
      async () => getCondition((await c.get(Node, victim)).status?.conditions, 'Ready')?.status === 'Unknown',
      { timeout: '2m' },
    );
    await c.waitFor(async () => (await readyPods(c)).filter((p) => p.spec.nodeName !== victim).length === 2, {
      timeout: '10m',
    });
  });

  it('waitFor fails with a TimeoutError that shows the cluster', async () => {
    const c = await cluster({ nodes: 1 });
    const error = await c.waitFor(() => false, { timeout: '5s', description: 'never' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeelsonError);
    expect(String((error as Error).message)).toMatch(/never[\s\S]*nodes \(1\):[\s\S]*node-1/);
  });

  it('refuses bad options with an InvalidError naming the field', async () => {
    await expect(createTestCluster({ nodes: -1 })).rejects.toThrow(/nodes must be/);
    await expect(createTestCluster({ controllers: ['nope'] })).rejects.toThrow(/unknown "nope"/);
    await expect(createTestCluster({ seed: 1.5 })).rejects.toThrow(/seed must be/);
  });

  it('is deterministic: the same seed and steps write the same log, entry for entry', async () => {
    const run = async () => {
      const c = await cluster({ nodes: 2, seed: 42 });
      await c.apply(WEB);
      await c.settle();
      const entries: unknown[] = [];
      for await (const entry of c.log.read()) entries.push(entry);
      await c.close();
      clusters.splice(clusters.indexOf(c), 1);
      return entries;
    };
    const [a, b] = [await run(), await run()];
    expect(a.length).toBeGreaterThan(20);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});
