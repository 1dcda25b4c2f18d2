import { describe, expect, it } from 'vitest';
import { Website } from '../../test/fixtures';
import { isKeelsonError } from '../errors/index';
import { validateObject } from './validateObject';

describe('validateObject', () => {
  it('applies defaults and reports unknown fields without writing', () => {
    const { object, warnings } = validateObject(Website, {
      apiVersion: 'example.dev/v1',
      kind: 'Website',
      metadata: { name: 'a' },
      spec: { image: 'x', colour: 'red' },
    });
    expect(object).toEqual({
      apiVersion: 'example.dev/v1',
      kind: 'Website',
      metadata: { name: 'a' },
      spec: { image: 'x', replicas: 1, tags: [] },
    });
    expect(warnings).toEqual(['unknown field "spec.colour"']);
  });

  it('names every bad field', () => {
    let error: unknown;
    try {
      validateObject(Website, { metadata: { name: 'A' }, spec: { replicas: 'x' } });
    } catch (e) {
      error = e;
    }
    expect(isKeelsonError(error, 'Validation')).toBe(true);
    expect((error as Error).message).toMatch(/metadata\.name: .*spec\.image: .*spec\.replicas: /s);
    expect(() => validateObject(Website, { apiVersion: 'v1', metadata: { name: 'a' }, spec: { image: 'x' } })).toThrow(
      /apiVersion "v1" is not example.dev\/v1/,
    );
  });
});
