import { createRandom, VirtualClock } from '@keelson/clock';
import { createMemoryLog } from '@keelson/eventlog';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Website as WebsiteObject } from '../../test/fixtures';
import { site, Website } from '../../test/fixtures';
import { isKeelsonError } from '../errors/index';
import { createStore } from './createStore';
import type { WatchEvent } from './types';

type Op =
  | { op: 'create'; name: number; replicas: number; finalizer: boolean }
  | { op: 'update'; name: number; replicas: number; stale: boolean }
  | { op: 'patch'; name: number; replicas: number }
  | { op: 'delete'; name: number }
  | { op: 'unfinalize'; name: number };

const NAMES = ['a', 'b', 'c'];
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('create' as const), name: fc.nat(2), replicas: fc.nat(5), finalizer: fc.boolean() }),
  fc.record({ op: fc.constant('update' as const), name: fc.nat(2), replicas: fc.nat(5), stale: fc.boolean() }),
  fc.record({ op: fc.constant('patch' as const), name: fc.nat(2), replicas: fc.nat(5) }),
  fc.record({ op: fc.constant('delete' as const), name: fc.nat(2) }),
  fc.record({ op: fc.constant('unfinalize' as const), name: fc.nat(2) }),
);

interface ModelObject {
  replicas: number;
  finalizers: string[];
  deleting: boolean;
  writes: number;
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (isKeelsonError(error)) return error.code;
    throw error;
  }
}

describe('store against a model', () => {
  it('random create / update / patch / delete / finalizer sequences match the model, for the store, every watcher and a replay', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 30, size: 'max' }), async (ops) => {
        const log = createMemoryLog();
        const options = { types: [Website], log, clock: new VirtualClock(0), random: createRandom(1, 'model') };
        const store = await createStore(options);
        const events: Array<WatchEvent<WebsiteObject>> = [];
        const sub = store.watch(Website).subscribe((e) => events.push(e));
        await new Promise((resolve) => setImmediate(resolve));
        const model = new Map<string, ModelObject>();
        const expectedEvents: string[] = [];
        for (const step of ops) {
          const name = NAMES[step.name] as string;
          const current = model.get(name);
          let expected: string;
          let result: string;
          if (step.op === 'create') {
            expected = current ? 'AlreadyExists' : 'ok';
            result = await outcome(
              store.create(
                Website,
                site(name, { replicas: step.replicas }, step.finalizer ? { finalizers: ['x/y'] } : {}),
              ),
            );
            if (expected === 'ok') {
              model.set(name, {
                replicas: step.replicas,
                finalizers: step.finalizer ? ['x/y'] : [],
                deleting: false,
                writes: 1,
              });
              expectedEvents.push(`ADDED ${name} ${step.replicas}`);
            }
          } else if (step.op === 'update' || step.op === 'patch') {
            const stale = step.op === 'update' && step.stale && current !== undefined && current.writes > 1;
            expected = !current ? 'NotFound' : stale ? 'Conflict' : 'ok';
            if (step.op === 'update') {
              const object = current ? await store.get(Website, name) : undefined;
              const rv = stale ? '1' : object?.metadata.resourceVersion;
              const input = object
                ? {
                    ...object,
                    metadata: { ...object.metadata, resourceVersion: rv },
                    spec: { ...object.spec, replicas: step.replicas },
                  }
                : { apiVersion: Website.apiVersion, kind: Website.kind, ...site(name, { replicas: step.replicas }) };
              result = await outcome(store.update(input as WebsiteObject));
            } else {
              result = await outcome(
                store.patch(Website, name, (d) => {
                  d.spec.replicas = step.replicas;
                }),
              );
            }
            if (expected === 'ok' && current && current.replicas !== step.replicas) {
              current.replicas = step.replicas;
              current.writes++;
              expectedEvents.push(`MODIFIED ${name} ${step.replicas}`);
            }
          } else if (step.op === 'delete') {
            expected = current ? 'ok' : 'NotFound';
            result = await outcome(store.delete(Website, name));
            if (current && current.finalizers.length === 0) {
              model.delete(name);
              expectedEvents.push(`DELETED ${name} ${current.replicas}`);
            } else if (current && !current.deleting) {
              current.deleting = true;
              current.writes++;
              expectedEvents.push(`MODIFIED ${name} ${current.replicas}`);
            }
          } else {
            expected = current ? 'ok' : 'NotFound';
            result = await outcome(
              store.patch(Website, name, (d) => {
                d.metadata.finalizers = [];
              }),
            );
            if (current && current.finalizers.length > 0) {
              current.finalizers = [];
              current.writes++;
              if (current.deleting) {
                model.delete(name);
                expectedEvents.push(`DELETED ${name} ${current.replicas}`);
              } else {
                expectedEvents.push(`MODIFIED ${name} ${current.replicas}`);
              }
            }
          }
          expect(result).toBe(expected);
          const listed = (await store.list(Website)).items.map((w) => [w.metadata.name, w.spec.replicas]);
          expect(listed).toEqual([...model].sort(([x], [y]) => (x < y ? -1 : 1)).map(([n, o]) => [n, o.replicas]));
        }
        sub.unsubscribe();
        expect(
          events.map(
            (e) =>
              `${e.type} ${(e.object as WebsiteObject).metadata.name} ${(e.object as WebsiteObject).spec.replicas}`,
          ),
        ).toEqual(expectedEvents);
        const replay = await createStore({ ...options, clock: new VirtualClock(0) });
        expect(await replay.list(Website)).toEqual(await store.list(Website));
      }),
      { numRuns: 150 },
    );
  });
});
