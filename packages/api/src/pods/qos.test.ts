import { describe, expect, it } from 'vitest';
import { parseQuantity } from '../quantity/index';
import { qosClassOf } from './qos';
import { podRequests } from './resources';

const both = (cpu: string, memory: string) => ({ cpu, memory });

describe('qosClassOf', () => {
  it('is BestEffort without CPU or memory requests and limits', () => {
    expect(qosClassOf({ containers: [{}] })).toBe('BestEffort');
    expect(qosClassOf({ containers: [{ resources: { requests: { 'nvidia.com/gpu': '1' } } }] })).toBe('BestEffort');
    expect(qosClassOf({ containers: [{ resources: { requests: { cpu: '0' } } }] })).toBe('BestEffort');
  });

  it('is Guaranteed when every container limits CPU and memory at its requests', () => {
    const guaranteed = { resources: { requests: both('500m', '128Mi'), limits: both('0.5', '128Mi') } };
    expect(qosClassOf({ containers: [guaranteed, guaranteed] })).toBe('Guaranteed');
    // Limits alone count as requests, as Kubernetes defaults them.
    expect(qosClassOf({ containers: [{ resources: { limits: both('1', '1Gi') } }] })).toBe('Guaranteed');
    expect(qosClassOf({ containers: [guaranteed], initContainers: [guaranteed] })).toBe('Guaranteed');
  });

  it('is Burstable otherwise', () => {
    expect(qosClassOf({ containers: [{ resources: { requests: { cpu: '1' } } }] })).toBe('Burstable');
    expect(qosClassOf({ containers: [{ resources: { requests: both('1', '1Gi'), limits: both('2', '1Gi') } }] })).toBe(
      'Burstable',
    );
    expect(qosClassOf({ containers: [{ resources: { limits: { cpu: '1' } } }] })).toBe('Burstable');
    expect(
      qosClassOf({
        containers: [{ resources: { limits: both('1', '1Gi') } }, { resources: { requests: { cpu: '1' } } }],
      }),
    ).toBe('Burstable');
  });
});

describe('podRequests', () => {
  const text = (requests: Record<string, { toString(): string }>) =>
    Object.fromEntries(Object.entries(requests).map(([name, value]) => [name, value.toString()]));

  it('sums the containers and takes the largest init container where it is larger', () => {
    const requests = podRequests({
      spec: {
        containers: [
          { resources: { requests: { cpu: '250m', memory: '64Mi' } } },
          { resources: { requests: { cpu: '500m' }, limits: { memory: '128Mi' } } },
        ],
        initContainers: [
          { resources: { requests: { cpu: '1', memory: '32Mi' } } },
          { resources: { requests: { memory: '512Mi' } } },
        ],
      },
    });
    expect(text(requests)).toEqual({ cpu: '1', memory: '512Mi' });
    expect(requests.cpu?.cmp(parseQuantity('1000m'))).toBe(0);
  });

  it('adds sidecars to the sum and to every later init container', () => {
    const requests = podRequests({
      spec: {
        containers: [{ resources: { requests: { cpu: '100m' } } }],
        initContainers: [
          { restartPolicy: 'Always', resources: { requests: { cpu: '200m' } } },
          { resources: { requests: { cpu: '250m' } } },
        ],
      },
    });
    // sum: 100m + 200m (sidecar) = 300m; init peak: 250m + 200m = 450m.
    expect(text(requests)).toEqual({ cpu: '450m' });
  });

  it("adds the pod's overhead on top of the containers", () => {
    const requests = podRequests({
      spec: {
        containers: [{ resources: { requests: { cpu: '100m', memory: '64Mi' } } }],
        initContainers: [{ resources: { requests: { cpu: '1' } } }],
        overhead: { cpu: '250m', memory: '120Mi' },
      },
    });
    // max(100m, init 1) + 250m overhead; 64Mi + 120Mi.
    expect(text(requests)).toEqual({ cpu: '1250m', memory: '184Mi' });
  });

  it('is empty for a pod that requests nothing', () => {
    expect(podRequests({ spec: { containers: [{}] } })).toEqual({});
  });
});
