import { createMemoryLogger } from '@keelson/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestCluster } from './createTestCluster';

afterEach(() => vi.restoreAllMocks());

const WEB = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: app, image: web:1.0 }] }
`;

describe('createTestCluster logs', () => {
  it('sends every component’s lines to the one logger, each under its component binding', async () => {
    const logger = createMemoryLogger();
    const cluster = await createTestCluster({ nodes: 2, logger });
    await cluster.apply(WEB);
    await cluster.settle();
    await cluster.close();
    const from = (component: string) => logger.lines.filter((l) => l.fields.component === component);
    const bound = from('scheduler').filter((l) => l.message === 'Successfully bound pod to node');
    expect(bound).toHaveLength(2);
    expect(bound[0]?.fields).toEqual({
      component: 'scheduler',
      pod: expect.stringMatching(/^default\/web-/),
      node: expect.stringMatching(/^node-\d$/),
    });
    const manager = from('controller-manager');
    expect(manager).toContainEqual({
      level: 'info',
      message: 'starting workers',
      fields: { component: 'controller-manager', controller: 'deployment-controller', workers: expect.any(Number) },
    });
    const started = from('node-agent').filter((l) => l.fields.reason === 'Started');
    expect(started).toHaveLength(2);
    expect(started[0]).toMatchObject({
      level: 'info',
      fields: { component: 'node-agent', node: expect.stringMatching(/^node-\d$/), pod: expect.any(String) },
    });
    expect(from('node-lifecycle').map((l) => l.fields.reason)).toContain('RegisteredNode');
    // Every line names its component.
    expect(logger.lines.filter((l) => typeof l.fields.component !== 'string')).toEqual([]);
  });

  it('prints nothing without a logger', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));
    const cluster = await createTestCluster({ nodes: 2 });
    await cluster.apply(WEB);
    await cluster.apply(WEB.replace('web:1.0', 'missing:0').replace('name: web', 'name: broken'));
    await cluster.settle();
    await cluster.close();
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});
