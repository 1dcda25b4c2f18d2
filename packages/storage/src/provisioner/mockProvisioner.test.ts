import { isKeelsonError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { persistentVolumeController } from '../binder/persistentVolumeController';
import { storageControllers } from '../storageControllers';
import { createMockProvisioner } from './mockProvisioner';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('createMockProvisioner options', () => {
  it('refuses bad options with an InvalidError that names the field', () => {
    const cases: [unknown, RegExp][] = [
      [{ delayMs: { provision: -1 } }, /options\.delayMs\.provision must be a number of milliseconds >= 0/],
      [{ delayMs: { attach: 5 } }, /options\.delayMs\.attach is not an operation/],
      [{ name: '' }, /options\.name must be a non-empty driver name/],
      [{ onDelete: 'wipe' }, /options\.onDelete must be a function/],
    ];
    for (const [options, message] of cases) {
      const error = thrown(() => createMockProvisioner(options as never));
      expect(isKeelsonError(error, 'Invalid')).toBe(true);
      expect(error.message).toMatch(message);
    }
    const mock = createMockProvisioner();
    expect(
      isKeelsonError(
        thrown(() => mock.failNext('provision', 'x', 0)),
        'Invalid',
      ),
    ).toBe(true);
  });
});

describe('provisioner registration', () => {
  it('refuses provisioners without a name or methods, and the same driver twice', () => {
    const mock = createMockProvisioner();
    const cases: [unknown, RegExp][] = [
      [
        [{ name: 'x.example.dev', provision: async () => ({}) }],
        /options\.provisioners\[0\]\.delete must be a function/,
      ],
      [[{ provision: async () => ({}), delete: async () => undefined }], /options\.provisioners\[0\]\.name must be/],
      [[mock, createMockProvisioner()], /"mock\.csi\.keelson\.dev" is registered twice/],
      ['mock', /options\.provisioners must be a list/],
    ];
    for (const [provisioners, message] of cases) {
      const error = thrown(() => persistentVolumeController({ provisioners: provisioners as never }));
      expect(isKeelsonError(error, 'Invalid')).toBe(true);
      expect(error.message).toMatch(message);
    }
    expect(
      isKeelsonError(
        thrown(() => storageControllers({ provisioners: [{}] as never })),
        'Invalid',
      ),
    ).toBe(true);
  });
});
