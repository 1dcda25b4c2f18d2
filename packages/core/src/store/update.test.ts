import { describe, expect, it, vi } from 'vitest';
import { Job, rejection, site, testStore, Website } from '../../test/fixtures';
import { isKeelsonError } from '../errors/index';

describe('store: update, status and patch', () => {
  it('bumps generation on spec changes only and ignores .status on update', async () => {
    const { store } = await testStore();
    const created = await store.create(Website, site('a'));
    const relabelled = await store.update({ ...created, metadata: { ...created.metadata, labels: { x: 'y' } } });
    expect(relabelled.metadata.generation).toBe(1);
    expect(Number(relabelled.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    const scaled = await store.update({
      ...relabelled,
      spec: { ...relabelled.spec, replicas: 3 },
      status: { readyReplicas: 9 },
    });
    expect(scaled.metadata.generation).toBe(2);
    expect(scaled.status).toBeUndefined();
    const status = await store.updateStatus({
      ...scaled,
      spec: { ...scaled.spec, replicas: 7 },
      status: { readyReplicas: 3 },
    });
    expect(status.status).toEqual({ readyReplicas: 3 });
    expect(status.spec.replicas).toBe(3);
    expect(status.metadata.generation).toBe(2);
  });

  it('refuses a stale resourceVersion with Kubernetes’ conflict message and writes nothing', async () => {
    const { store, log } = await testStore();
    const created = await store.create(Website, site('a'));
    await store.update({ ...created, spec: { ...created.spec, replicas: 2 } });
    const head = await log.head();
    const error = await rejection(store.update({ ...created, spec: { ...created.spec, replicas: 5 } }));
    expect(isKeelsonError(error, 'Conflict')).toBe(true);
    expect(error.message).toBe(
      'Operation cannot be fulfilled on websites.example.dev "a": the object has been modified; please apply your changes to the latest version and try again',
    );
    expect(await log.head()).toBe(head);
  });

  it('does not re-parse a spec the update left untouched (metadata-only patches stay cheap)', async () => {
    const { store } = await testStore();
    await store.create(Website, site('a'));
    const parse = vi.spyOn(Website.schemas.spec as { safeParse: (v: unknown) => unknown }, 'safeParse');
    try {
      await store.patch(Website, 'a', (d) => {
        d.metadata.labels = { touched: 'yes' };
      });
      expect(parse).not.toHaveBeenCalled();
      await store.patch(Website, 'a', (d) => {
        d.spec.replicas = 4;
      });
      expect(parse).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
    }
  });

  it('writes nothing for a no-op update', async () => {
    const { store, log } = await testStore();
    const created = await store.create(Website, site('a'));
    const head = await log.head();
    expect(await store.update(created)).toBe(created);
    expect(await log.head()).toBe(head);
  });

  it('keeps server-owned metadata and refuses a changed uid', async () => {
    const { store } = await testStore();
    const created = await store.create(Website, site('a'));
    const updated = await store.update({
      ...created,
      metadata: { ...created.metadata, creationTimestamp: '1999-01-01T00:00:00Z', generation: 50, labels: { a: 'b' } },
    });
    expect(updated.metadata.creationTimestamp).toBe(created.metadata.creationTimestamp);
    expect(updated.metadata.generation).toBe(1);
    const error = await rejection(store.update({ ...created, metadata: { ...updated.metadata, uid: 'other' } }));
    expect(error.message).toMatch(/metadata\.uid: field is immutable/);
  });

  it('applies the strategy’s update rules', async () => {
    const { store } = await testStore();
    const job = await store.create(Job, { metadata: { name: 'j' }, spec: { command: 'run' } });
    const error = await rejection(store.update({ ...job, spec: { ...job.spec, command: 'other' } }));
    expect(isKeelsonError(error, 'Validation')).toBe(true);
    expect(error.message).toMatch(/spec\.command: field is immutable/);
  });

  it('shares unchanged subtrees with the previous version', async () => {
    const { store } = await testStore();
    const created = await store.create(Website, site('a', { tags: ['x', 'y'] }, { labels: { app: 'web' } }));
    const updated = await store.update({ ...created, spec: { ...created.spec, replicas: 4, tags: ['x', 'y'] } });
    expect(updated.spec.tags).toBe(created.spec.tags);
    expect(updated.metadata.labels).toBe(created.metadata.labels);
    expect(updated.spec).not.toBe(created.spec);
  });

  it('patches with an immer recipe, retrying conflicts without a precondition', async () => {
    const { store } = await testStore();
    await store.create(Website, site('a'));
    const other = store.as('racer');
    let calls = 0;
    const patched = await store.patch(Website, 'a', (draft) => {
      calls++;
      if (calls === 1) {
        // Someone else writes between our read and our write.
        void other.patch(Website, 'a', (d) => {
          d.spec.tags.push('theirs');
        });
      }
      draft.spec.replicas += 1;
    });
    expect(patched.spec.replicas).toBe(2);
    expect(patched.spec.tags).toEqual(['theirs']);
    expect(calls).toBe(2);
  });

  it('fails a patch pinned to an old resourceVersion, and patches status only with subresource', async () => {
    const { store } = await testStore();
    const created = await store.create(Website, site('a'));
    await store.patch(Website, 'a', (d) => {
      d.spec.replicas = 2;
    });
    const error = await rejection(
      store.patch(
        Website,
        'a',
        (d) => {
          d.spec.replicas = 3;
        },
        { resourceVersion: created.metadata.resourceVersion },
      ),
    );
    expect(isKeelsonError(error, 'Conflict')).toBe(true);
    const status = await store.patch(
      Website,
      'a',
      (d) => {
        d.status = { readyReplicas: 2 };
        d.spec.replicas = 100;
      },
      { subresource: 'status' },
    );
    expect(status.status).toEqual({ readyReplicas: 2 });
    expect(status.spec.replicas).toBe(2);
  });
});
