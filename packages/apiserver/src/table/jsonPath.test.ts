import { describe, expect, it } from 'vitest';
import { evaluateJsonPath } from './jsonPath';

const object = {
  metadata: { labels: { 'app.kubernetes.io/name': 'web' } },
  spec: {
    replicas: 3,
    containers: [
      { name: 'a', image: 'x:1' },
      { name: 'b', image: 'y:2' },
    ],
  },
  status: {
    conditions: [
      { type: 'Ready', status: 'True', observedGeneration: 2 },
      { type: 'Progressing', status: 'False' },
    ],
  },
};

describe('evaluateJsonPath', () => {
  it('reads fields, indexes and wildcards', () => {
    expect(evaluateJsonPath(object, '.spec.replicas')).toEqual([3]);
    expect(evaluateJsonPath(object, '{.spec.replicas}')).toEqual([3]);
    expect(evaluateJsonPath(object, '.spec.containers[1].name')).toEqual(['b']);
    expect(evaluateJsonPath(object, '.spec.containers[-1].name')).toEqual(['b']);
    expect(evaluateJsonPath(object, '.spec.containers[*].image')).toEqual(['x:1', 'y:2']);
    expect(evaluateJsonPath(object, ".metadata.labels['app.kubernetes.io/name']")).toEqual(['web']);
    expect(evaluateJsonPath(object, '.metadata.labels.app\\.kubernetes\\.io/name')).toEqual(['web']);
    expect(evaluateJsonPath(object, '.spec.missing.deeper')).toEqual([]);
  });

  it('filters list items', () => {
    expect(evaluateJsonPath(object, '.status.conditions[?(@.type=="Ready")].status')).toEqual(['True']);
    expect(evaluateJsonPath(object, ".status.conditions[?(@.type == 'Progressing')].status")).toEqual(['False']);
    expect(evaluateJsonPath(object, '.status.conditions[?(@.type!="Ready")].type')).toEqual(['Progressing']);
    expect(evaluateJsonPath(object, '.status.conditions[?(@.observedGeneration==2)].type')).toEqual(['Ready']);
    expect(evaluateJsonPath(object, '.status.conditions[?(@.observedGeneration)].type')).toEqual(['Ready']);
  });

  it('refuses what it does not support', () => {
    expect(() => evaluateJsonPath(object, '.spec.containers[1:2]')).toThrow(
      'JSONPath ".spec.containers[1:2]": unsupported "[1:2]"',
    );
    expect(() => evaluateJsonPath(object, '.spec[0')).toThrow(/missing "\]"/);
  });
});
