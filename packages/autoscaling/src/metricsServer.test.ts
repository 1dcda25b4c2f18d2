import { builtinTypes } from '@keelson/api';
import { VirtualClock } from '@keelson/clock';
import { createStore, InvalidError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { createMetricsServer } from './metricsServer';

describe('createMetricsServer', () => {
  it('refuses bad options with an InvalidError naming the option', async () => {
    const store = await createStore({ types: builtinTypes, clock: new VirtualClock(0) });
    expect(() => createMetricsServer({} as never)).toThrow(InvalidError);
    expect(() => createMetricsServer({ store } as never)).toThrow('options.runtimes must be a function');
    expect(() => createMetricsServer({ store, runtimes: () => [], resolutionMs: 0 })).toThrow(
      'options.resolutionMs must be > 0, got 0',
    );
    await store.close();
  });

  it('answers no metrics before two scrapes, and none for resources other than cpu and memory', async () => {
    const store = await createStore({ types: builtinTypes, clock: new VirtualClock(0) });
    const server = createMetricsServer({ store, runtimes: () => [] });
    await server.scrape();
    expect(server.pods()).toEqual([]);
    expect(server.nodes()).toEqual([]);
    const query = { namespace: 'default', selector: { toString: () => '' } as never };
    expect((await server.resourceMetrics({ ...query, resource: 'nvidia.com/gpu' })).size).toBe(0);
    await store.close();
  });
});
