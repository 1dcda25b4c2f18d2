import { Pod as PodKind } from '@keelson/api';
import { afterEach, describe, expect, it } from 'vitest';
import { hashContainer } from './containerHash';
import { type Harness, startHarness } from './testHarness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.agent.stop();
  h = undefined;
});

describe('restart on a container spec change', () => {
  it('kills and recreates a running container whose image was updated', async () => {
    h = await startHarness();
    h.registry.add('web:1.0');
    h.registry.add('web:2.0');
    h.registry.add('side:1.0');
    await h.runPod('web', [
      { name: 'web', image: 'web:1.0' },
      { name: 'side', image: 'side:1.0' },
    ]);
    await h.advance(5_000);
    await h.store.patch(
      PodKind,
      'web',
      (d) => {
        const first = d.spec.containers[0];
        if (first) first.image = 'web:2.0';
      },
      { namespace: 'default' },
    );
    await h.advance(1_000);
    const pod = await h.pod('web');
    const [web, side] = pod.status?.containerStatuses ?? [];
    expect(web?.image).toBe('web:2.0');
    expect(web?.restartCount).toBe(1);
    expect(web?.state?.running).toBeDefined();
    expect(web?.lastState?.terminated?.exitCode).toBe(0);
    // the unchanged container keeps running
    expect(side?.restartCount).toBe(0);
    expect(pod.status?.phase).toBe('Running');
    expect(h.errors).toEqual([]);
  });

  it('hashes a container spec stably, and differently when the image changes', () => {
    const base = { name: 'c', image: 'a:1', terminationMessagePath: '/dev/termination-log' } as never;
    expect(hashContainer(base)).toBe(hashContainer({ ...(base as object) } as never));
    expect(hashContainer(base)).not.toBe(hashContainer({ ...(base as object), image: 'a:2' } as never));
  });

  it('hashes a frozen spec as its copy, and a spec changed in place anew', () => {
    const spec = { name: 'c', image: 'a:1' };
    const first = hashContainer(spec as never);
    spec.image = 'a:2';
    const changed = hashContainer(spec as never);
    expect(changed).not.toBe(first);
    const frozen = Object.freeze({ ...spec });
    expect(hashContainer(frozen as never)).toBe(changed);
    expect(hashContainer(frozen as never)).toBe(hashContainer({ ...spec } as never));
  });
});
