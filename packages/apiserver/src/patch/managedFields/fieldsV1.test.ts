import { describe, expect, it } from 'vitest';
import { FieldSet, formatFieldPath } from './fieldSet';
import { decodeFieldsV1, encodeFieldsV1 } from './fieldsV1';

describe('fieldsV1', () => {
  it('writes "." for a member with children and reads the tree back', () => {
    const set = new FieldSet([
      ['f:spec', 'f:replicas'],
      ['f:spec', 'f:containers', 'k:{"name":"web"}'],
      ['f:spec', 'f:containers', 'k:{"name":"web"}', 'f:image'],
      ['f:metadata', 'f:finalizers', 'v:"example.com/x"'],
    ]);
    const tree = encodeFieldsV1(set);
    expect(tree).toEqual({
      'f:spec': { 'f:replicas': {}, 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {} } } },
      'f:metadata': { 'f:finalizers': { 'v:"example.com/x"': {} } },
    });
    expect(decodeFieldsV1(tree, 'test').equals(set)).toBe(true);
    expect(() => decodeFieldsV1({ 'x:y': {} }, 'entry')).toThrow(
      'entry: fieldsV1 key "x:y" is not f:, k:, v:, i: or .',
    );
  });

  it('prints paths as Kubernetes does in conflicts', () => {
    expect(formatFieldPath(['f:spec', 'f:ports', 'k:{"port":80,"protocol":"TCP"}', 'f:targetPort'])).toBe(
      '.spec.ports[port=80,protocol="TCP"].targetPort',
    );
    expect(formatFieldPath(['f:metadata', 'f:finalizers', 'v:"a"'])).toBe('.metadata.finalizers[="a"]');
    expect(formatFieldPath(['f:spec', 'f:args', 'i:0'])).toBe('.spec.args[0]');
  });
});
