/** Provisioners by driver name, checked once when a controller is built. */
import { InvalidError } from '@keelson/core';
import type { Provisioner } from './types';

/** Checks a list of provisioners and indexes them by name. */
export function provisionerRegistry(
  provisioners: readonly Provisioner[] | undefined,
  owner: string,
): ReadonlyMap<string, Provisioner> {
  if (provisioners === undefined) return new Map();
  if (!Array.isArray(provisioners)) {
    throw new InvalidError(`${owner}: options.provisioners must be a list of provisioners`);
  }
  const byName = new Map<string, Provisioner>();
  provisioners.forEach((provisioner: Provisioner | undefined, index) => {
    const where = `${owner}: options.provisioners[${index}]`;
    if (provisioner === null || typeof provisioner !== 'object') {
      throw new InvalidError(`${where} must be an object with name, provision and delete`);
    }
    if (typeof provisioner.name !== 'string' || provisioner.name === '') {
      throw new InvalidError(
        `${where}.name must be the driver name StorageClasses use, such as "mock.csi.keelson.dev"`,
      );
    }
    for (const method of ['provision', 'delete'] as const) {
      if (typeof provisioner[method] !== 'function') {
        throw new InvalidError(`${where}.${method} must be a function (provisioner "${provisioner.name}")`);
      }
    }
    if (provisioner.expand !== undefined && typeof provisioner.expand !== 'function') {
      throw new InvalidError(`${where}.expand must be a function when given (provisioner "${provisioner.name}")`);
    }
    if (byName.has(provisioner.name)) {
      throw new InvalidError(
        `${where}: a provisioner named "${provisioner.name}" is registered twice; give each driver once`,
      );
    }
    byName.set(provisioner.name, provisioner);
  });
  return byName;
}
