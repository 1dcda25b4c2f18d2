import type { DaemonSet, Node, Pod } from '@keelson/api';
import { describe, expect, it } from 'vitest';
import { daemonPodTolerations, nodeNameAffinity, nodeShouldRunDaemonPod, targetNodeName } from './daemonPods';
import { FailedPodBackoff } from './failedPodBackoff';
import { unavailableCount } from './managePlan';

function node(name: string, taints: unknown[] = [], labels: Record<string, string> = {}): Node {
  return { metadata: { name, labels }, spec: { taints } } as unknown as Node;
}

function daemonSet(podSpec: Record<string, unknown> = {}, updateStrategy?: unknown): DaemonSet {
  return {
    metadata: { name: 'agent', namespace: 'default', uid: 'u1', generation: 1 },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [], ...podSpec } },
      updateStrategy: updateStrategy ?? { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      minReadySeconds: 0,
      revisionHistoryLimit: 10,
    },
  } as unknown as DaemonSet;
}

describe('daemonPodTolerations', () => {
  it('adds network-unavailable only for hostNetwork pods and replaces an equal toleration', () => {
    const plain = daemonPodTolerations({});
    expect(plain.map((t) => t.key)).not.toContain('node.kubernetes.io/network-unavailable');
    expect(daemonPodTolerations({ hostNetwork: true }).map((t) => t.key)).toContain(
      'node.kubernetes.io/network-unavailable',
    );
    const own = {
      key: 'node.kubernetes.io/not-ready',
      operator: 'Exists' as const,
      effect: 'NoExecute' as const,
      tolerationSeconds: 5,
    };
    const merged = daemonPodTolerations({ tolerations: [own] });
    expect(merged.filter((t) => t.key === 'node.kubernetes.io/not-ready')).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    ]);
    expect(merged).toHaveLength(plain.length);
  });
});

describe('nodeShouldRunDaemonPod', () => {
  it('runs on nodes whose taints the daemon defaults tolerate (not-ready, unschedulable)', () => {
    const ds = daemonSet();
    expect(
      nodeShouldRunDaemonPod(
        node('n', [
          { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' },
          { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
        ]),
        ds,
      ),
    ).toEqual({ shouldRun: true, shouldContinueRunning: true });
  });

  it('keeps a running pod under NoSchedule, but not under an untolerated NoExecute', () => {
    const ds = daemonSet();
    expect(nodeShouldRunDaemonPod(node('n', [{ key: 'x', effect: 'NoSchedule' }]), ds)).toEqual({
      shouldRun: false,
      shouldContinueRunning: true,
    });
    expect(nodeShouldRunDaemonPod(node('n', [{ key: 'x', effect: 'NoExecute' }]), ds)).toEqual({
      shouldRun: false,
      shouldContinueRunning: false,
    });
    expect(nodeShouldRunDaemonPod(node('n', [{ key: 'x', effect: 'PreferNoSchedule' }]), ds).shouldRun).toBe(true);
  });

  it('respects a template nodeName and the node selector', () => {
    expect(nodeShouldRunDaemonPod(node('a'), daemonSet({ nodeName: 'b' })).shouldContinueRunning).toBe(false);
    expect(
      nodeShouldRunDaemonPod(node('a', [], { disk: 'ssd' }), daemonSet({ nodeSelector: { disk: 'ssd' } })).shouldRun,
    ).toBe(true);
    expect(nodeShouldRunDaemonPod(node('a'), daemonSet({ nodeSelector: { disk: 'ssd' } })).shouldRun).toBe(false);
  });
});

describe('nodeNameAffinity and targetNodeName', () => {
  it('pins every term to the node and reads the node back', () => {
    const affinity = nodeNameAffinity(
      {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] },
              { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['old'] }] },
            ],
          },
        },
      },
      'n7',
    );
    const terms = affinity.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    const pin = [{ key: 'metadata.name', operator: 'In', values: ['n7'] }];
    expect(terms).toEqual([
      { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }], matchFields: pin },
      { matchFields: pin },
    ]);
    expect(targetNodeName({ metadata: {}, spec: { affinity } } as unknown as Pod)).toBe('n7');
    expect(targetNodeName({ metadata: {}, spec: { nodeName: 'bound', affinity } } as unknown as Pod)).toBe('bound');
  });
});

describe('unavailableCount', () => {
  it('rounds a percentage up against the desired nodes; OnDelete has none', () => {
    const strategy = (maxUnavailable: unknown) => ({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable, maxSurge: 0 },
    });
    expect(unavailableCount(daemonSet({}, strategy('10%')), 15)).toBe(2);
    expect(unavailableCount(daemonSet({}, strategy(3)), 15)).toBe(3);
    expect(unavailableCount(daemonSet({}, { type: 'OnDelete' }), 15)).toBe(0);
  });
});

describe('FailedPodBackoff', () => {
  it('doubles from the first delay up to the cap, and forgets after twice the cap', () => {
    const backoff = new FailedPodBackoff(1000, 4000);
    expect(backoff.remaining('k', 0)).toBeUndefined();
    backoff.next('k', 0);
    expect(backoff.remaining('k', 500)).toBe(500);
    expect(backoff.remaining('k', 1000)).toBeUndefined();
    backoff.next('k', 1000);
    backoff.next('k', 3000);
    backoff.next('k', 7000);
    expect(backoff.remaining('k', 7000)).toBe(4000);
    backoff.next('k', 7000 + 8001);
    expect(backoff.remaining('k', 15_001)).toBe(1000);
  });
});
