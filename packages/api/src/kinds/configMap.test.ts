import { describe, expect, it } from 'vitest';
import { ConfigMap } from './configMap';
import { Secret } from './secret';
import { builtinStore, issuesOf } from './testStore';

const meta = { name: 'web', namespace: 'default' };

describe('ConfigMap', () => {
  it('is served as v1 configmaps with data, binaryData and immutable at the top level', async () => {
    const { store } = await builtinStore();
    const cm = await store.create(ConfigMap, {
      metadata: meta,
      data: { 'nginx.conf': 'worker_processes 1;', LOG_LEVEL: 'info' },
      binaryData: { 'logo.png': 'iVBORw0KGgo=' },
    });
    expect(cm.apiVersion).toBe('v1');
    expect(ConfigMap.plural).toBe('configmaps');
    expect(cm.data).toEqual({ 'nginx.conf': 'worker_processes 1;', LOG_LEVEL: 'info' });
    expect(cm.binaryData).toEqual({ 'logo.png': 'iVBORw0KGgo=' });
    expect(cm.immutable).toBeUndefined();
  });

  it('an update replaces the top-level fields: a key or map left out is gone, and nothing else changes', async () => {
    const { store } = await builtinStore();
    const cm = await store.create(ConfigMap, { metadata: meta, data: { a: '1', b: '2' }, binaryData: { c: 'eA==' } });
    const dropped = await store.update<ConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: cm.metadata,
      data: { a: '1' },
    });
    expect(dropped.data).toEqual({ a: '1' });
    expect(dropped.binaryData).toBeUndefined();
    expect(Number(dropped.metadata.resourceVersion)).toBeGreaterThan(Number(cm.metadata.resourceVersion));
    const emptied = await store.update<ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: dropped.metadata });
    expect(emptied.data).toBeUndefined();
    expect(await store.get(ConfigMap, 'web', { namespace: 'default' })).toEqual(emptied);
    const same = await store.update<ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: emptied.metadata });
    expect(same.metadata.resourceVersion).toBe(emptied.metadata.resourceVersion);
  });

  it('refuses bad keys, keys in both maps, bad base64 and more than 1 MiB, writing nothing', async () => {
    const { store } = await builtinStore();
    expect(await issuesOf(store.create(ConfigMap, { metadata: meta, data: { 'bad key': 'x', '..x': 'y' } }))).toEqual([
      { path: 'data[..x]', message: "must not start with '..'" },
      { path: 'data[bad key]', message: expect.stringContaining('a valid config key must consist of alphanumeric') },
    ]);
    const long = 'k'.repeat(254);
    expect(await issuesOf(store.create(ConfigMap, { metadata: meta, binaryData: { [long]: 'eA==' } }))).toEqual([
      { path: `binaryData[${long}]`, message: 'must be no more than 253 characters' },
    ]);
    expect(
      await issuesOf(store.create(ConfigMap, { metadata: meta, data: { a: 'x' }, binaryData: { a: 'eA==' } })),
    ).toEqual([{ path: 'data[a]', message: 'duplicate of key present in binaryData' }]);
    expect(await issuesOf(store.create(ConfigMap, { metadata: meta, binaryData: { a: 'not base64!' } }))).toEqual([
      { path: 'binaryData.a', message: 'illegal base64 data at input byte 3' },
    ]);
    const big = { a: 'x'.repeat(600_000), b: 'y'.repeat(600_000) };
    expect(await issuesOf(store.create(ConfigMap, { metadata: meta, data: big }))).toEqual([
      { path: '(object)', message: 'Too long: may not be more than 1048576 bytes' },
    ]);
    expect((await store.list(ConfigMap)).items).toEqual([]);
  });

  it('keeps an immutable config map as it is: data, binaryData and immutable itself', async () => {
    const { store } = await builtinStore();
    const mutable = await store.create(ConfigMap, { metadata: { ...meta, name: 'm' }, data: { a: '1' } });
    await expect(store.update({ ...mutable, data: { a: '2' } })).resolves.toMatchObject({ data: { a: '2' } });
    const cm = await store.create(ConfigMap, { metadata: meta, data: { a: '1' }, immutable: true });
    const message = 'Forbidden: field is immutable when `immutable` is set';
    expect(await issuesOf(store.update({ ...cm, data: { a: '2' }, binaryData: { b: 'eA==' } }))).toEqual([
      { path: 'binaryData', message },
      { path: 'data', message },
    ]);
    expect(await issuesOf(store.update({ ...cm, immutable: false }))).toEqual([{ path: 'immutable', message }]);
    const labelled = await store.update({ ...cm, metadata: { ...cm.metadata, labels: { team: 'a' } } });
    expect(labelled.metadata.labels).toEqual({ team: 'a' });
    expect((await store.get(ConfigMap, 'web', { namespace: 'default' })).data).toEqual({ a: '1' });
  });
});

describe('Secret', () => {
  it('defaults type to Opaque and merges stringData into data, base64-encoded, without storing it', async () => {
    const { store } = await builtinStore();
    const secret = await store.create(Secret, {
      metadata: meta,
      data: { user: 'YWRtaW4=', password: 'b2xk' },
      stringData: { password: 's3cret', note: 'héllo' },
    });
    expect(secret.type).toBe('Opaque');
    expect(secret.data).toEqual({ user: 'YWRtaW4=', password: 'czNjcmV0', note: 'aMOpbGxv' });
    expect('stringData' in secret).toBe(false);
    const updated = await store.update({ ...secret, stringData: { user: 'root' } });
    expect(updated.data).toEqual({ user: 'cm9vdA==', password: 'czNjcmV0', note: 'aMOpbGxv' });
    expect('stringData' in updated).toBe(false);
    const listed = await store.list(Secret, { fieldSelector: 'type=Opaque' });
    expect(listed.items.map((s) => s.data)).toEqual([updated.data]);
  });

  it('checks keys, base64 values and the keys each type requires', async () => {
    const { store } = await builtinStore();
    expect(await issuesOf(store.create(Secret, { metadata: meta, data: { a: 'abc' } }))).toEqual([
      { path: 'data.a', message: 'illegal base64 data at input byte 3' },
    ]);
    expect(await issuesOf(store.create(Secret, { metadata: meta, stringData: { 'bad key': 'x' } }))).toEqual([
      { path: 'data[bad key]', message: expect.stringContaining('a valid config key') },
    ]);
    const cases: [string, Record<string, string>, string[]][] = [
      ['kubernetes.io/tls', { 'tls.crt': 'x' }, ['data[tls.key]']],
      ['kubernetes.io/dockerconfigjson', {}, ['data[.dockerconfigjson]']],
      ['kubernetes.io/basic-auth', {}, ['data[password]', 'data[username]']],
      ['kubernetes.io/ssh-auth', { key: 'x' }, ['data[ssh-privatekey]']],
    ];
    for (const [type, stringData, paths] of cases) {
      const issues = await issuesOf(store.create(Secret, { metadata: meta, type, stringData }));
      expect(issues).toEqual(paths.map((path) => ({ path, message: 'Required value' })));
    }
    const json = await issuesOf(
      store.create(Secret, {
        metadata: meta,
        type: 'kubernetes.io/dockerconfigjson',
        stringData: { '.dockerconfigjson': '{' },
      }),
    );
    expect(json).toEqual([{ path: 'data[.dockerconfigjson]', message: 'must be valid JSON' }]);
    expect((await store.list(Secret)).items).toEqual([]);
    const tls = await store.create(Secret, {
      metadata: meta,
      type: 'kubernetes.io/tls',
      stringData: { 'tls.crt': 'cert', 'tls.key': 'key' },
    });
    expect(tls.type).toBe('kubernetes.io/tls');
  });

  it('keeps type on update, and immutable secrets as they are', async () => {
    const { store } = await builtinStore();
    const secret = await store.create(Secret, { metadata: meta, stringData: { a: '1' }, immutable: true });
    expect(await issuesOf(store.update({ ...secret, type: 'kubernetes.io/basic-auth' }))).toContainEqual({
      path: 'type',
      message: 'field is immutable',
    });
    expect(await issuesOf(store.update({ ...secret, stringData: { a: '2' } }))).toEqual([
      { path: 'data', message: 'Forbidden: field is immutable when `immutable` is set' },
    ]);
    expect((await store.get(Secret, 'web', { namespace: 'default' })).data).toEqual({ a: 'MQ==' });
  });
});
