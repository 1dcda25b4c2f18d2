import { describe, expect, it } from 'vitest';
import { ControllerRevision } from './controllerRevision';
import { builtinStore, rejection } from './testStore';

const revision = {
  metadata: { name: 'web-7b9f', namespace: 'default' },
  data: { spec: { template: { metadata: { labels: { app: 'web' } } } } },
  revision: 1,
};

describe('ControllerRevision', () => {
  it('stores data and a revision number, and lets only the number change', async () => {
    const { store } = await builtinStore();
    const created = await store.create(ControllerRevision, revision);
    expect(created.apiVersion).toBe('apps/v1');
    expect(created.data).toEqual(revision.data);
    const renumbered = await store.patch(
      ControllerRevision,
      'web-7b9f',
      (draft) => {
        draft.revision = 3;
        return draft;
      },
      { namespace: 'default' },
    );
    expect(renumbered.revision).toBe(3);
    const error = await rejection(
      store.patch(
        ControllerRevision,
        'web-7b9f',
        (draft) => {
          draft.data = { spec: {} };
          return draft;
        },
        { namespace: 'default' },
      ),
    );
    expect(error.code).toBe('Validation');
    expect(error.message).toContain('data: Invalid value: field is immutable');
    expect((await store.get(ControllerRevision, 'web-7b9f', { namespace: 'default' })).data).toEqual(revision.data);
  });

  it('refuses a missing or negative revision, writing nothing', async () => {
    const { store } = await builtinStore();
    const negative = await rejection(store.create(ControllerRevision, { ...revision, revision: -1 }));
    expect(negative.code).toBe('Validation');
    expect(negative.message).toContain('revision');
    const { revision: _r, ...missing } = revision;
    const absent = await rejection(store.create(ControllerRevision, missing as typeof revision));
    expect(absent.message).toContain('revision');
    expect((await store.list(ControllerRevision, { namespace: 'default' })).items).toEqual([]);
  });
});
