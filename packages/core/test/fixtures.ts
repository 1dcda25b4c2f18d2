import { createRandom, VirtualClock } from '@keelson/clock';
import { createMemoryLog, type EventLog } from '@keelson/eventlog';
import { z } from 'zod';
import { defineResource, type ResourceOf } from '../src/resource/defineResource';
import { createStore, type StoreOptions } from '../src/store/createStore';

/** A namespaced kind with spec and status, an indexed field and a plain one. */
export const Website = defineResource({
  group: 'example.dev',
  version: 'v1',
  kind: 'Website',
  plural: 'websites',
  namespaced: true,
  spec: z.object({
    replicas: z.number().int().min(0).default(1),
    image: z.string().min(1),
    nodeName: z.string().optional(),
    tags: z.array(z.string()).default([]),
  }),
  status: z.object({ readyReplicas: z.number().int().default(0), phase: z.string().optional() }),
  fields: {
    'spec.nodeName': { get: (w) => w.spec.nodeName ?? '', indexed: true },
    'spec.image': { get: (w) => w.spec.image },
  },
});
export type Website = ResourceOf<typeof Website>;

/** A cluster-scoped kind whose names are DNS labels. */
export const Zone = defineResource({
  group: 'example.dev',
  version: 'v1',
  kind: 'Zone',
  plural: 'zones',
  namespaced: false,
  nameRule: 'label',
  spec: z.object({ region: z.string() }),
});
export type Zone = ResourceOf<typeof Zone>;

/** A kind deleted gracefully by default, with an immutable field, like pods. */
export const Job = defineResource({
  group: '',
  version: 'v1',
  kind: 'Job',
  plural: 'jobs',
  namespaced: true,
  spec: z.object({ command: z.string(), graceSeconds: z.number().int().default(30) }),
  status: z.object({ done: z.boolean().default(false) }),
  strategy: {
    gracefulDeleteSeconds: (job, requested) => requested ?? job.spec.graceSeconds,
    validateUpdate: (old, next) =>
      old.spec.command === next.spec.command ? [] : [{ path: 'spec.command', message: 'field is immutable' }],
  },
});
export type Job = ResourceOf<typeof Job>;

export const START = Date.UTC(2026, 0, 1);

export interface Harness {
  clock: VirtualClock;
  log: EventLog;
  warnings: string[];
}

/** A store on a virtual clock, a seeded random source and a memory log, collecting warnings. */
export async function testStore(options: Partial<StoreOptions> = {}) {
  const clock = new VirtualClock(START);
  const log = options.log ?? createMemoryLog();
  const warnings: string[] = [];
  const store = await createStore({
    types: [Website, Zone, Job],
    clock,
    random: createRandom(7, 'store'),
    log,
    logger: { warn: (m) => warnings.push(m) },
    ...options,
  });
  return { store, clock, log, warnings };
}

export const site = (name: string, spec: Partial<Website['spec']> = {}, extra: Record<string, unknown> = {}) => ({
  metadata: { name, ...extra },
  spec: { image: 'nginx:1.25', ...spec },
});

/** Rejection value of a promise (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the promise to reject');
}
