/** Which built-in components and controllers a test cluster runs, from its `controllers` option. */
import type { Controller } from '@keelson/controller';
import { InvalidError } from '@keelson/core';

const BUILTIN_COMPONENTS = ['scheduler', 'node-lifecycle'] as const;

/** The chosen names (all by default) and the controllers among `available` they pick; unknown names throw. */
export function chooseControllers(
  chosen: readonly string[] | undefined,
  available: readonly Controller[],
): { names: Set<string>; workloads: Controller[] } {
  const known = [...BUILTIN_COMPONENTS, ...available.map((c) => c.name)];
  if (chosen === undefined) return { names: new Set(known), workloads: [...available] };
  if (!Array.isArray(chosen)) throw new InvalidError('createTestCluster: controllers must be a list of names');
  for (const name of chosen) {
    if (!known.includes(name)) {
      throw new InvalidError(`createTestCluster: controllers: unknown "${String(name)}"; known: ${known.join(', ')}`);
    }
  }
  const names = new Set(chosen);
  return { names, workloads: available.filter((c) => names.has(c.name)) };
}
