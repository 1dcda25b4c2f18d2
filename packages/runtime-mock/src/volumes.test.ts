import type { Mount } from '@keelson/cri';
import { describe, expect, it } from 'vitest';
import type { ImageBehaviour } from './behaviour';
import { createMockCsiDriver } from './fs/csiDriver';
import { createMockDisks } from './fs/disks';
import { FileSystemError } from './fs/fileTree';
import { setup } from './testHarness';

async function runWithMounts(
  h: ReturnType<typeof setup>,
  image: string,
  mounts: Mount[],
  behaviour: ImageBehaviour = {},
) {
  if (h.registry.get(image) === undefined) h.registry.add(image, { behaviour });
  await h.runtime.pullImage({ image });
  const sandbox = h.sandboxConfig();
  const sandboxId = await h.runtime.runPodSandbox(sandbox);
  const id = await h.runtime.createContainer(sandboxId, { ...h.containerConfig(image), mounts }, sandbox);
  await h.runtime.startContainer(id);
  return id;
}

describe('mock runtime volumes', () => {
  it('binds host paths into the container, shared both ways, and refuses writes through a read-only mount', async () => {
    const h = setup();
    h.runtime.hostFiles.mkdir('/srv/shared');
    h.runtime.hostFiles.write('/srv/shared/in.txt', 'from host');
    const id = await runWithMounts(h, 'app:1', [
      { containerPath: '/data', hostPath: '/srv/shared' },
      { containerPath: '/ro', hostPath: '/srv/shared', readonly: true },
    ]);
    const files = h.runtime.containerFiles(id);
    expect(files.read('/data/in.txt')).toBe('from host');
    files.write('/data/out.txt', 'from container');
    expect(h.runtime.hostFiles.read('/srv/shared/out.txt')).toBe('from container');
    expect(files.read('/ro/out.txt')).toBe('from container');
    expect(() => files.write('/ro/x', 'no')).toThrow(FileSystemError);
    expect(() => files.write('/ro/x', 'no')).toThrow('open /ro/x: read-only file system');
    expect(() => files.read('/nope')).toThrow('no such file or directory');
    // the container's own root is its own
    files.write('/tmp/own', 'mine');
    expect(h.runtime.hostFiles.exists('/tmp/own')).toBe(false);
  });

  it('creates a missing host path as a directory, as containerd does', async () => {
    const h = setup();
    await runWithMounts(h, 'app:1', [{ containerPath: '/cache', hostPath: '/var/cache/app' }]);
    expect(h.runtime.hostFiles.stat('/var/cache/app')?.type).toBe('Directory');
  });

  it('rejects a relative container path with InvalidArgument', async () => {
    const h = setup();
    await expect(runWithMounts(h, 'app:1', [{ containerPath: 'data', hostPath: '/srv' }])).rejects.toMatchObject({
      code: 'InvalidArgument',
      message: expect.stringContaining('config.mounts[0].containerPath must be an absolute path'),
    });
  });

  it('scripted containers write files on the clock and exec reads and writes them', async () => {
    const h = setup();
    h.runtime.hostFiles.mkdir('/srv/out');
    const id = await runWithMounts(h, 'writer:1', [{ containerPath: '/out', hostPath: '/srv/out' }], {
      files: [
        { path: '/out/start.txt', content: 'started' },
        { atMs: 5_000, path: '/out/later.txt', content: (p) => `after ${p.elapsedMs}ms` },
        { atMs: 1_000, path: '/missing/dir/x', content: 'lost' },
      ],
      exec: (cmd, _elapsed, p) => {
        if (cmd[0] === 'cat') return { exitCode: 0, stdout: p.fs.read(cmd[1] ?? '') };
        p.fs.write('/out/exec.txt', cmd.join(' '));
        return { exitCode: 0 };
      },
    });
    expect(h.runtime.hostFiles.read('/srv/out/start.txt')).toBe('started');
    expect(h.runtime.hostFiles.exists('/srv/out/later.txt')).toBe(false);
    await h.clock.advance(5_000);
    expect(h.runtime.hostFiles.read('/srv/out/later.txt')).toBe('after 5000ms');
    const cat = await h.runtime.execSync(id, ['cat', '/out/later.txt'], 1);
    expect(new TextDecoder().decode(cat.stdout)).toBe('after 5000ms');
    await h.runtime.execSync(id, ['touch', 'x'], 1);
    expect(h.runtime.hostFiles.read('/srv/out/exec.txt')).toBe('touch x');
    const stderr = h.runtime.readContainerLog(id).filter((e) => e.stream === 'stderr');
    expect(stderr.map((e) => e.text)).toEqual(['open /missing/dir/x: no such file or directory']);
  });

  it('rejects a bad file script where the image is added', () => {
    const h = setup();
    expect(() => h.registry.add('bad:1', { behaviour: { files: [{ path: 'rel', content: 'x' }] } })).toThrow(
      'behaviour.files[0].path must be an absolute path',
    );
  });

  it('publishes a shared disk on one node and then another; the data outlives both and the disk can be deleted', async () => {
    const disks = createMockDisks();
    const a = setup();
    const b = setup({ seed: 8 });
    const driverA = createMockCsiDriver({ disks, runtime: a.runtime, nodeId: 'a' });
    const driverB = createMockCsiDriver({ disks, runtime: b.runtime, nodeId: 'b' });
    const target = '/var/lib/kubelet/pods/u1/volumes/kubernetes.io~csi/pv-1/mount';
    await a.runtime.hostFilesystem.mkdir('/var/lib/kubelet/pods/u1/volumes/kubernetes.io~csi/pv-1');
    await driverA.nodePublishVolume({ volumeId: 'disk-1', targetPath: target, readonly: false });
    const writer = await runWithMounts(a, 'app:1', [{ containerPath: '/data', hostPath: target }]);
    a.runtime.containerFiles(writer).write('/data/state', 'v1');
    expect(() => disks.delete('disk-1')).toThrow('disk "disk-1" is in use at a:');
    await driverA.nodeUnpublishVolume({ volumeId: 'disk-1', targetPath: target });
    await driverA.nodeUnpublishVolume({ volumeId: 'disk-1', targetPath: target }); // idempotent
    expect(a.runtime.hostFiles.exists(target)).toBe(false);

    const targetB = '/var/lib/kubelet/pods/u2/volumes/kubernetes.io~csi/pv-1/mount';
    await b.runtime.hostFilesystem.mkdir('/var/lib/kubelet/pods/u2/volumes/kubernetes.io~csi/pv-1');
    await driverB.nodePublishVolume({ volumeId: 'disk-1', targetPath: targetB, readonly: true });
    const reader = await runWithMounts(b, 'app:1', [{ containerPath: '/data', hostPath: targetB }]);
    expect(b.runtime.containerFiles(reader).read('/data/state')).toBe('v1');
    expect(() => b.runtime.containerFiles(reader).write('/data/state', 'v2')).toThrow('read-only file system');
    await driverB.nodeUnpublishVolume({ volumeId: 'disk-1', targetPath: targetB });
    expect(disks.files('disk-1').read('/state')).toBe('v1');
    expect(disks.delete('disk-1')).toBe(true);
    expect(disks.list()).toEqual([]);
    expect(() => disks.files('disk-1')).toThrow('disk "disk-1" does not exist');
    await expect(
      driverB.nodePublishVolume({ volumeId: '', targetPath: targetB, readonly: false }),
    ).rejects.toMatchObject({ code: 'InvalidArgument' });
  });

  it('keeps what a bind mount held when the source name is replaced (subPath semantics)', async () => {
    const h = setup();
    const fs = h.runtime.hostFilesystem;
    await fs.mkdir('/vol/..v1');
    await fs.writeFile('/vol/..v1/key', 'old');
    await fs.symlink('..v1', '/vol/..data');
    await fs.symlink('..data/key', '/vol/key');
    const id = await runWithMounts(h, 'app:1', [
      { containerPath: '/etc/app', hostPath: '/vol' },
      { containerPath: '/etc/key', hostPath: '/vol/key' },
    ]);
    await fs.mkdir('/vol/..v2');
    await fs.writeFile('/vol/..v2/key', 'new');
    await fs.symlink('..v2', '/vol/..tmp');
    await fs.rename('/vol/..tmp', '/vol/..data');
    await fs.remove('/vol/..v1');
    const files = h.runtime.containerFiles(id);
    expect(files.read('/etc/app/key')).toBe('new');
    expect(files.read('/etc/key')).toBe('old');
  });
});
