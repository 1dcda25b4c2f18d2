import type { KubeObject } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { toTable } from './index';

const now = Date.parse('2024-05-01T12:00:00Z');

const website = {
  apiVersion: 'example.dev/v1',
  kind: 'Website',
  metadata: {
    name: 'blog',
    namespace: 'default',
    uid: 'u-1',
    resourceVersion: '42',
    creationTimestamp: '2024-05-01T11:00:00Z',
  },
  spec: { replicas: 2, image: 'ghost:5' },
  status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-05-01T11:58:00Z' }] },
} as unknown as KubeObject;

describe('toTable', () => {
  it('builds a meta.k8s.io/v1 Table with partial metadata rows by default', () => {
    const table = toTable([website], {
      apiVersion: 'example.dev/v1',
      kind: 'Website',
      now,
      resourceVersion: '57',
      continue: 'abc',
    });
    expect(table).toEqual({
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '57', continue: 'abc' },
      columnDefinitions: [
        expect.objectContaining({ name: 'Name', type: 'string', format: 'name', priority: 0 }),
        expect.objectContaining({ name: 'Age', type: 'string', format: '', priority: 0 }),
      ],
      rows: [
        {
          cells: ['blog', '60m'],
          object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: website.metadata },
        },
      ],
    });
  });

  it('carries the whole object or none as includeObject says', () => {
    expect(
      toTable([website], { apiVersion: 'example.dev/v1', kind: 'Website', now, includeObject: 'Object' }).rows[0]
        ?.object,
    ).toBe(website);
    expect(
      toTable([website], { apiVersion: 'example.dev/v1', kind: 'Website', now, includeObject: 'None' }).rows[0],
    ).toEqual({
      cells: ['blog', '60m'],
    });
  });

  it('prints CRD additionalPrinterColumns with their types, a date as an age and missing values as null', () => {
    const table = toTable([website], {
      apiVersion: 'example.dev/v1',
      kind: 'Website',
      now,
      printerColumns: [
        { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
        { name: 'Image', type: 'string', jsonPath: '.spec.image', priority: 1, description: 'The image served' },
        { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
        { name: 'Since', type: 'date', jsonPath: '.status.conditions[?(@.type=="Ready")].lastTransitionTime' },
        { name: 'Domain', type: 'string', jsonPath: '.spec.domain' },
        { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
      ],
    });
    expect(table.columnDefinitions.map((c) => [c.name, c.type, c.priority])).toEqual([
      ['Name', 'string', 0],
      ['Replicas', 'integer', 0],
      ['Image', 'string', 1],
      ['Ready', 'string', 0],
      ['Since', 'date', 0],
      ['Domain', 'string', 0],
      ['Age', 'date', 0],
    ]);
    expect(table.rows[0]?.cells).toEqual(['blog', 2, 'ghost:5', 'True', '2m', null, '60m']);
  });

  it('drops the wide columns and their cells when wide is false', () => {
    const table = toTable([website], {
      apiVersion: 'example.dev/v1',
      kind: 'Website',
      now,
      wide: false,
      printerColumns: [{ name: 'Image', type: 'string', jsonPath: '.spec.image', priority: 1 }],
    });
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name']);
    expect(table.rows[0]?.cells).toEqual(['blog']);
  });

  it('uses the built-in printer for a built-in kind whatever printer columns say', () => {
    const ns = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'default', creationTimestamp: '2024-05-01T11:00:00Z' },
      status: { phase: 'Active' },
    };
    const table = toTable([ns as unknown as KubeObject], {
      apiVersion: 'v1',
      kind: 'Namespace',
      now,
      printerColumns: [{ name: 'X', type: 'string', jsonPath: '.x' }],
    });
    expect(table.rows[0]?.cells).toEqual(['default', 'Active', '60m']);
  });
});
