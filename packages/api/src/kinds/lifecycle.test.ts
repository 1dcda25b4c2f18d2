import { isKeelsonError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { Pod } from './pod';
import { builtinStore } from './testStore';

// loosely typed on purpose: the tests write invalid manifests
const pod = (containers: unknown[], extra: Record<string, unknown> = {}) =>
  ({ metadata: { name: 'p', namespace: 'default' }, spec: { containers, ...extra } }) as never;

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.catch((e: unknown) => e);
  expect(isKeelsonError(error, 'Validation')).toBe(true);
  return (error as Error).message;
};

describe('Pod containers: lifecycle hooks', () => {
  it('accepts one handler per hook, with the httpGet defaults', async () => {
    const { store } = await builtinStore();
    const created = await store.create(
      Pod,
      pod([
        {
          name: 'c',
          image: 'web:1',
          lifecycle: { postStart: { httpGet: { port: 8080 } }, preStop: { sleep: { seconds: 5 } } },
        },
      ]),
    );
    expect(created.spec.containers[0]?.lifecycle).toEqual({
      postStart: { httpGet: { path: '/', port: 8080, scheme: 'HTTP' } },
      preStop: { sleep: { seconds: 5 } },
    });
  });

  it('refuses no handler, two handlers, an exec without command and a sleep past the grace period', async () => {
    const { store } = await builtinStore();
    const c = (lifecycle: unknown) => [{ name: 'c', image: 'web:1', lifecycle }];
    expect(await refusal(store.create(Pod, pod(c({ preStop: {} }))))).toContain(
      'spec.containers[0].lifecycle.preStop: must specify a handler type',
    );
    expect(
      await refusal(store.create(Pod, pod(c({ preStop: { sleep: { seconds: 1 }, exec: { command: ['x'] } } })))),
    ).toContain('spec.containers[0].lifecycle.preStop.sleep: may not specify more than 1 handler type');
    expect(await refusal(store.create(Pod, pod(c({ postStart: { exec: {} } }))))).toContain(
      'spec.containers[0].lifecycle.postStart.exec.command',
    );
    expect(
      await refusal(
        store.create(Pod, pod(c({ preStop: { sleep: { seconds: 40 } } }), { terminationGracePeriodSeconds: 30 })),
      ),
    ).toContain('must be non-negative and less than terminationGracePeriodSeconds (30)');
  });

  it('allows hooks on sidecars only among init containers', async () => {
    const { store } = await builtinStore();
    const hook = { preStop: { exec: { command: ['drain'] } } };
    const message = await refusal(
      store.create(
        Pod,
        pod([{ name: 'c', image: 'web:1' }], { initContainers: [{ name: 'i', image: 'i:1', lifecycle: hook }] }),
      ),
    );
    expect(message).toContain(
      'spec.initContainers[0].lifecycle: may not be set for init containers without restartPolicy=Always',
    );
    const ok = await store.create(
      Pod,
      pod([{ name: 'c', image: 'web:1' }], {
        initContainers: [{ name: 'i', image: 'i:1', restartPolicy: 'Always', lifecycle: hook }],
      }),
    );
    expect(ok.spec.initContainers?.[0]?.lifecycle).toEqual(hook);
  });
});
