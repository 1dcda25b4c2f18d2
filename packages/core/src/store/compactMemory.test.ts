import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { site, testStore, Website } from '../../test/fixtures';

function collectGarbage(): void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) {
    exposed();
    return;
  }
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('compaction frees memory', () => {
  it('lets the versions it dropped be garbage collected', async () => {
    const { store } = await testStore();
    await store.create(Website, site('a'));
    for (let i = 2; i <= 4; i++) {
      await store.patch(Website, 'a', (d) => {
        d.spec.replicas = i;
      });
    }
    const refs: WeakRef<object>[] = [];
    for await (const version of store.history(Website, 'a')) refs.push(new WeakRef(version.object));
    expect(refs).toHaveLength(4);
    await store.compact(store.revision);
    // WeakRef targets stay alive until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(refs.slice(0, 2).map((ref) => ref.deref())).toEqual([undefined, undefined]);
    // The version in effect just before the compaction point and the head remain readable.
    const kept = [];
    for await (const version of store.history(Website, 'a')) kept.push(version.object.spec.replicas);
    expect(kept).toEqual([3, 4]);
  });
});
