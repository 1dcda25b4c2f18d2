import { describe, expect, it } from 'vitest';
import { applyDefaults, prune } from './pruning';
import { compileSchema, toJsonSchema } from './schemaValidator';

const spec = {
  type: 'object',
  properties: {
    ports: {
      type: 'array',
      items: {
        type: 'object',
        required: ['port'],
        properties: {
          port: { type: 'integer', minimum: 0, exclusiveMinimum: true },
          protocol: { type: 'string', default: 'TCP' },
        },
      },
    },
    target: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
    note: { type: 'string', nullable: true, maxLength: 3 },
    when: { type: 'string', format: 'date-time' },
    env: { type: 'object', additionalProperties: { type: 'object', properties: { value: { type: 'string' } } } },
    raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    closed: { type: 'object' },
  },
};

describe('custom object schemas', () => {
  it('names each failure at its field in Kubernetes words', () => {
    const check = compileSchema(spec);
    expect(check({ ports: [{ port: 80 }], target: 'http', note: null, when: '2026-12-07T05:00:00Z' }, 'spec')).toEqual(
      [],
    );
    expect(check({ ports: [{ port: 0 }, {}], target: true, note: 'long', when: 'today' }, 'spec')).toEqual([
      { path: ['ports', 0, 'port'], message: 'Invalid value: 0: spec.ports[0].port in body should be greater than 0' },
      { path: ['ports', 1, 'port'], message: 'Required value' },
      { path: ['target'], message: 'Invalid value: true: spec.target in body must match a schema in anyOf' },
      { path: ['note'], message: 'Too long: may not be longer than 3' },
      { path: ['when'], message: 'Invalid value: "today": spec.when in body must be of type date-time: "today"' },
    ]);
  });

  it('turns OpenAPI booleans into JSON Schema bounds and drops x-kubernetes extensions', () => {
    expect(
      toJsonSchema({ type: 'integer', minimum: 1, exclusiveMinimum: true, 'x-kubernetes-list-type': 'set' }),
    ).toEqual({
      type: 'integer',
      exclusiveMinimum: 1,
    });
    expect(toJsonSchema({ type: 'integer', maximum: 9, exclusiveMaximum: false })).toEqual({
      type: 'integer',
      maximum: 9,
    });
  });

  it('prunes what the schema does not declare, keeping maps and preserved fields', () => {
    const input = {
      ports: [{ port: 1, junk: 1 }],
      env: { A: { value: 'x', junk: 2 } },
      raw: { anything: { goes: true } },
      closed: { dropped: 1 },
      unknown: 3,
    };
    expect(prune(input, spec)).toEqual({
      ports: [{ port: 1 }],
      env: { A: { value: 'x' } },
      raw: { anything: { goes: true } },
      closed: {},
    });
    expect(input.ports[0]).toEqual({ port: 1, junk: 1 });
  });

  it('fills defaults where a field is missing, inside arrays too', () => {
    expect(applyDefaults({ ports: [{ port: 1 }, { port: 2, protocol: 'UDP' }] }, spec)).toEqual({
      ports: [
        { port: 1, protocol: 'TCP' },
        { port: 2, protocol: 'UDP' },
      ],
    });
    expect(applyDefaults(undefined, { type: 'object', default: { a: 1 } })).toEqual({ a: 1 });
    expect(applyDefaults({ ports: [{ port: 1, protocol: null }] }, spec)).toEqual({
      ports: [{ port: 1, protocol: 'TCP' }],
    });
  });
});
