import { builtinTypes } from '@keelson/api';
import { createRandom, VirtualClock } from '@keelson/clock';
import { type Authorizer, createMemoryLogger, createStore, defineResource, type ResourceOf } from '@keelson/core';
import { z } from 'zod';

/** A small kind for controller tests: a desired size and an observed one. */
export const Widget = defineResource({
  group: 'test.keelson.dev',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
  spec: z.object({ size: z.number().int().min(0).default(1), owner: z.string().optional() }),
  status: z.object({ observedSize: z.number().int().optional() }),
  fields: { 'spec.owner': { get: (w) => w.spec.owner ?? '', indexed: true } },
});
export type Widget = ResourceOf<typeof Widget>;

export async function harness(seed = 1, options: { authorizer?: Authorizer } = {}) {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const store = await createStore({
    types: [Widget, ...builtinTypes],
    clock,
    random: createRandom(seed, 'controller-test'),
    logger: { warn: () => undefined },
    ...options,
  });
  return { clock, store };
}

export const widget = (name: string, size = 1, extra: Record<string, unknown> = {}) => ({
  metadata: { name, namespace: 'default', ...extra },
  spec: { size },
});

/** Lets promise chains and tracked work finish without moving virtual time. */
export const settle = (clock: VirtualClock) => clock.advance(0);

/** A logger that keeps what it is told. */
export const memoryLogger = createMemoryLogger;
