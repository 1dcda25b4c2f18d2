import { VirtualClock } from '@keelson/clock';
import { InvalidError } from '@keelson/core';
import { createTestCluster, TEST_CLUSTER_START } from '@keelson/testing';
import { describe, expect, it } from 'vitest';
import { createDemoLogger, formatEntry, logLevelFrom } from './logging';

describe('the demo log', () => {
  it('takes its level from --log=, else from KEELSON_LOG, and none by default', () => {
    expect(logLevelFrom([], undefined)).toBeUndefined();
    expect(logLevelFrom([], '')).toBeUndefined();
    expect(logLevelFrom([], 'info')).toBe('info');
    expect(logLevelFrom(['--tour', '--log=debug'], 'info')).toBe('debug');
    expect(() => logLevelFrom([], 'loud')).toThrow(InvalidError);
    expect(() => logLevelFrom([], 'loud')).toThrow('KEELSON_LOG must be one of debug, info, warn, error');
    expect(() => logLevelFrom(['--log=trace'], undefined)).toThrow('--log must be one of');
  });

  it('formats an entry as time, level, source, message and fields', () => {
    const json = JSON.stringify({
      level: 30,
      time: Date.UTC(2026, 0, 1, 0, 1, 5),
      component: 'controller-manager',
      controller: 'deployment-controller',
      msg: 'starting workers',
      workers: 1,
    });
    expect(formatEntry(json)).toBe(
      '00:01:05.000 INFO  controller-manager/deployment-controller starting workers workers=1',
    );
    expect(formatEntry('not json\n')).toBe('not json');
  });

  it('logs a cluster’s components through pino on the cluster clock, at the level asked for', async () => {
    const clock = new VirtualClock(TEST_CLUSTER_START);
    const info: string[] = [];
    const cluster = await createTestCluster({
      nodes: 1,
      clock,
      logger: createDemoLogger('info', clock, (l) => info.push(l)),
    });
    await cluster.apply(`
apiVersion: v1
kind: Pod
metadata: { name: web }
spec: { containers: [{ name: app, image: web:1.0 }] }
`);
    await cluster.settle();
    await cluster.close();
    expect(info).toContain('00:00:00.000 INFO  scheduler Successfully bound pod to node pod=default/web node=node-1');
    expect(info.some((l) => / INFO {2}node-agent\/node-1 Started container app /.test(l))).toBe(true);
    expect(info.filter((l) => l.includes(' DEBUG '))).toEqual([]);
  });
});
