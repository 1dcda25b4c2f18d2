import { CriError, type Mount } from '@keelson/cri';
import { FileTree } from './fileTree';

/**
 * A new container's filesystem: its own root (the writable layer), with
 * each CRI mount binding what its host path holds now. As containerd does,
 * mounts are applied parents first, a missing host path is created as a
 * directory, and mount points are made in the container's root.
 */
export function containerTree(host: FileTree, mounts: readonly Mount[]): FileTree {
  const tree = new FileTree();
  for (const dir of ['/etc', '/tmp', '/var', '/dev']) tree.mkdir(dir);
  const depth = (path: string) => path.split('/').filter(Boolean).length;
  const ordered = [...mounts].sort((a, b) => depth(a.containerPath) - depth(b.containerPath));
  for (const [index, mount] of ordered.entries()) {
    const where = `createContainer: config.mounts[${index}]`;
    if (typeof mount?.containerPath !== 'string' || !mount.containerPath.startsWith('/')) {
      throw new CriError(
        'InvalidArgument',
        `${where}.containerPath must be an absolute path, got ${JSON.stringify(mount?.containerPath)}`,
      );
    }
    if (mount.image !== undefined) {
      throw new CriError('Unimplemented', `${where}: image volumes are not supported by the mock runtime`);
    }
    if (typeof mount.hostPath !== 'string' || !mount.hostPath.startsWith('/')) {
      throw new CriError(
        'InvalidArgument',
        `${where}.hostPath must be an absolute path, got ${JSON.stringify(mount.hostPath)}`,
      );
    }
    if (host.find(mount.hostPath, 'mount') === undefined) host.mkdir(mount.hostPath);
    const source = host.resolve(mount.hostPath, 'mount', true);
    const node = source.node;
    if (node === undefined) continue;
    const target = tree.find(mount.containerPath, 'mount');
    if (target === undefined) {
      if (node.kind === 'Directory') tree.mkdir(mount.containerPath);
      else {
        tree.mkdir(mount.containerPath.replace(/\/[^/]+\/*$/, '') || '/');
        tree.writeFile(mount.containerPath, '');
      }
    }
    tree.mountNode(node, mount.containerPath, mount.readonly === true || source.readOnly);
  }
  return tree;
}
