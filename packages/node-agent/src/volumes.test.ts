import { ConfigMap, Secret } from '@keelson/api';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './testHarness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.agent.stop();
  h = undefined;
});

const namespace = 'default';
const running = async (name: string) => (await h?.pod(name))?.status?.phase === 'Running';
const failedMounts = async () =>
  (await (h as Harness).events()).filter((e) => e.reason === 'FailedMount').map((e) => e.message);

describe('pod volumes', () => {
  it('shares an emptyDir between two containers and removes it with the pod', async () => {
    h = await startHarness();
    h.registry.add('writer:1', { behaviour: { files: [{ path: '/cache/hello', content: 'hi' }] } });
    h.registry.add('reader:1');
    const pod = await h.runPod(
      'share',
      [
        { name: 'writer', image: 'writer:1', volumeMounts: [{ name: 'cache', mountPath: '/cache' }] },
        { name: 'reader', image: 'reader:1', volumeMounts: [{ name: 'cache', mountPath: '/shared' }] },
      ],
      { volumes: [{ name: 'cache', emptyDir: {} }] },
    );
    await h.advance(1_000);
    expect((await h.files('share', 'reader')).read('/shared/hello')).toBe('hi');
    const dir = `/var/lib/kubelet/pods/${pod.metadata.uid}/volumes/kubernetes.io~empty-dir/cache`;
    expect(h.runtime.hostFiles.read(`${dir}/hello`)).toBe('hi');
    await h.store.delete((await import('@keelson/api')).Pod, 'share', { namespace, gracePeriodSeconds: 0 });
    await h.advance(1_000);
    expect(h.runtime.hostFiles.exists(`/var/lib/kubelet/pods/${pod.metadata.uid}`)).toBe(false);
  });

  it('projects configMap and secret keys with items and modes, read-only, and follows updates within the sync period', async () => {
    h = await startHarness();
    h.registry.add('app:1');
    await h.store.create(ConfigMap, { metadata: { name: 'cfg', namespace }, data: { a: '1', b: '2' } });
    await h.store.create(Secret, { metadata: { name: 'creds', namespace }, stringData: { password: 's3cret' } });
    await h.runPod(
      'app',
      [
        {
          name: 'app',
          image: 'app:1',
          volumeMounts: [
            { name: 'cfg', mountPath: '/etc/cfg' },
            { name: 'creds', mountPath: '/etc/creds' },
            { name: 'cfg', mountPath: '/etc/a.conf', subPath: 'a' },
          ],
        },
      ],
      {
        volumes: [
          { name: 'cfg', configMap: { name: 'cfg' } },
          {
            name: 'creds',
            secret: { secretName: 'creds', defaultMode: 0o400, items: [{ key: 'password', path: 'db/pw' }] },
          },
        ],
      },
    );
    await h.advance(1_000);
    const files = await h.files('app', 'app');
    expect(files.read('/etc/cfg/a')).toBe('1');
    expect(files.stat('/etc/cfg/b')?.mode).toBe(0o644);
    expect(files.read('/etc/creds/db/pw')).toBe('s3cret');
    expect(files.stat('/etc/creds/db/pw')?.mode).toBe(0o400);
    expect(files.list('/etc/creds').filter((n) => !n.startsWith('..'))).toEqual(['db']);
    expect(() => files.write('/etc/cfg/a', 'x')).toThrow('read-only file system');
    await h.store.patch(ConfigMap, 'cfg', (d) => void Object.assign(d, { data: { a: '10', c: '3' } }), { namespace });
    await h.advance(30_000);
    expect(files.read('/etc/cfg/a')).toBe('1');
    await h.advance(30_000);
    expect(files.read('/etc/cfg/a')).toBe('10');
    expect(files.read('/etc/cfg/c')).toBe('3');
    expect(files.exists('/etc/cfg/b')).toBe(false);
    // a subPath mount keeps what it bound
    expect(files.read('/etc/a.conf')).toBe('1');
  });

  it('holds the pod with FailedMount while a configMap is missing, and starts it once it exists; optional ones are empty', async () => {
    h = await startHarness(undefined, { events: true });
    h.registry.add('app:1');
    await h.runPod(
      'app',
      [
        {
          name: 'app',
          image: 'app:1',
          volumeMounts: [
            { name: 'cfg', mountPath: '/cfg' },
            { name: 'opt', mountPath: '/opt' },
          ],
        },
      ],
      {
        volumes: [
          { name: 'cfg', configMap: { name: 'later' } },
          { name: 'opt', secret: { secretName: 'absent', optional: true } },
        ],
      },
    );
    await h.advance(5_000);
    const pod = await h.pod('app');
    expect(pod.status?.phase).toBe('Pending');
    expect(pod.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ContainerCreating');
    expect(await failedMounts()).toContain('MountVolume.SetUp failed for volume "cfg" : configmap "later" not found');
    await h.store.create(ConfigMap, { metadata: { name: 'later', namespace }, data: { k: 'v' } });
    await h.advance(10_000);
    expect(await running('app')).toBe(true);
    const files = await h.files('app', 'app');
    expect(files.read('/cfg/k')).toBe('v');
    expect(files.list('/opt').filter((n) => !n.startsWith('..'))).toEqual([]);
  });

  it('fails a missing item key unless optional', async () => {
    h = await startHarness(undefined, { events: true });
    h.registry.add('app:1');
    await h.store.create(ConfigMap, { metadata: { name: 'cfg', namespace }, data: { k: 'v' } });
    await h.runPod('app', [{ name: 'app', image: 'app:1' }], {
      volumes: [{ name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'nope', path: 'x' }] } }],
    });
    await h.advance(2_000);
    expect(await failedMounts()).toContain(
      'MountVolume.SetUp failed for volume "cfg" : configmap references non-existent config key: nope',
    );
    expect(await running('app')).toBe(false);
  });

  it('projects configMap, secret and downward API sources into one directory', async () => {
    h = await startHarness();
    h.registry.add('app:1');
    await h.store.create(ConfigMap, { metadata: { name: 'cfg', namespace }, data: { mode: 'fast' } });
    await h.store.create(Secret, { metadata: { name: 's', namespace }, stringData: { token: 't0k' } });
    await h.runPod('app', [{ name: 'app', image: 'app:1', volumeMounts: [{ name: 'all', mountPath: '/all' }] }], {
      volumes: [
        {
          name: 'all',
          projected: {
            defaultMode: 0o440,
            sources: [
              { configMap: { name: 'cfg' } },
              { secret: { name: 's', items: [{ key: 'token', path: 'auth/token', mode: 0o400 }] } },
              { downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
            ],
          },
        },
        { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
      ],
    });
    await h.advance(1_000);
    const files = await h.files('app', 'app');
    expect(files.read('/all/mode')).toBe('fast');
    expect(files.stat('/all/mode')?.mode).toBe(0o440);
    expect(files.read('/all/auth/token')).toBe('t0k');
    expect(files.stat('/all/auth/token')?.mode).toBe(0o400);
    expect(files.read('/all/name')).toBe('app');
  });

  it('checks hostPath types on the node and creates DirectoryOrCreate paths', async () => {
    h = await startHarness(undefined, { events: true });
    h.registry.add('app:1');
    h.runtime.hostFiles.write('/etc/node.conf', 'node');
    await h.runPod(
      'ok',
      [
        {
          name: 'app',
          image: 'app:1',
          volumeMounts: [
            { name: 'conf', mountPath: '/conf', readOnly: true },
            { name: 'data', mountPath: '/data' },
          ],
        },
      ],
      {
        volumes: [
          { name: 'conf', hostPath: { path: '/etc/node.conf', type: 'File' } },
          { name: 'data', hostPath: { path: '/srv/data', type: 'DirectoryOrCreate' } },
        ],
      },
    );
    await h.runPod('bad', [{ name: 'app', image: 'app:1' }], {
      volumes: [{ name: 'dir', hostPath: { path: '/etc/node.conf', type: 'Directory' } }],
    });
    await h.advance(2_000);
    const files = await h.files('ok', 'app');
    expect(files.read('/conf')).toBe('node');
    expect(() => files.write('/conf', 'x')).toThrow('read-only file system');
    files.write('/data/out', 'written');
    expect(h.runtime.hostFiles.read('/srv/data/out')).toBe('written');
    expect(await running('bad')).toBe(false);
    expect(await failedMounts()).toContain(
      'MountVolume.SetUp failed for volume "dir" : hostPath type check failed: /etc/node.conf is not a directory',
    );
  });
});
