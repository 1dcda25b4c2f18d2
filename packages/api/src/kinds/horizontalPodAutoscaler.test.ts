import { describe, expect, it } from 'vitest';
import { HorizontalPodAutoscaler } from './horizontalPodAutoscaler';
import { builtinStore, issuesOf } from './testStore';

const target = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

describe('HorizontalPodAutoscaler', () => {
  it('defaults minReplicas to 1 and the metrics to 80 % CPU; behavior only when given, filled in', async () => {
    const { store } = await builtinStore();
    const plain = await store.create(HorizontalPodAutoscaler, {
      metadata: { name: 'web', namespace: 'default' },
      spec: { scaleTargetRef: target, maxReplicas: 10 },
    });
    expect(plain.spec.minReplicas).toBe(1);
    expect(plain.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
    ]);
    expect(plain.spec.behavior).toBeUndefined();
    const tuned = await store.create(HorizontalPodAutoscaler, {
      metadata: { name: 'tuned', namespace: 'default' },
      spec: { scaleTargetRef: target, maxReplicas: 10, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } },
    });
    expect(tuned.spec.behavior).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      },
      scaleDown: {
        stabilizationWindowSeconds: 60,
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
      },
    });
  });

  it('refuses bad bounds, targets and policies, naming each field, writing nothing', async () => {
    const { store } = await builtinStore();
    const issues = await issuesOf(
      store.create(HorizontalPodAutoscaler, {
        metadata: { name: 'bad', namespace: 'default' },
        spec: {
          scaleTargetRef: target,
          minReplicas: 5,
          maxReplicas: 2,
          metrics: [
            {
              type: 'Pods',
              pods: { metric: { name: 'qps' }, target: { type: 'Utilization', averageUtilization: 50 } },
            },
            { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } },
            { type: 'Object' },
          ],
          behavior: { scaleUp: { policies: [{ type: 'Pods', value: 0, periodSeconds: 4000 }] } },
        },
      }),
    );
    expect(issues.map((i) => i.path)).toEqual([
      'spec.behavior.scaleUp.policies[0].periodSeconds',
      'spec.behavior.scaleUp.policies[0].value',
      'spec.maxReplicas',
      'spec.metrics[0].pods.target.type',
      'spec.metrics[1].resource.target.averageUtilization',
      'spec.metrics[2].object',
    ]);
    expect((await store.list(HorizontalPodAutoscaler)).items).toEqual([]);
  });
});
