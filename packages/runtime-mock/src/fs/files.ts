import type { NodeFileStat, NodeFilesystem } from '@keelson/cri';
import { FileSystemError, type FileTree, type SpecialNode } from './fileTree';

/**
 * Synchronous access to a mock filesystem — a container's view, a node's
 * host filesystem or a mock disk — for scripted containers and tests.
 * Paths are absolute; failures throw a `FileSystemError` (`ENOENT`,
 * `EROFS` through a read-only mount, `EISDIR`, …).
 */
export interface MockFiles {
  /** The content of a file (symlinks followed). */
  read(path: string): string;
  /** Whether something is at `path` (symlinks followed). */
  exists(path: string): boolean;
  stat(path: string): NodeFileStat | undefined;
  /** Names in a directory, sorted (dot entries included, e.g. a configMap volume's `..data`). */
  list(path: string): string[];
  /** Creates or replaces (or, with `append`, extends) a file; its directory must exist. */
  write(path: string, content: string, options?: { mode?: number; append?: boolean }): void;
  /** `mkdir -p`. */
  mkdir(path: string, mode?: number): void;
  /** `rm -rf`. */
  remove(path: string): void;
}

/** The {@link MockFiles} of a tree. */
export function filesOf(tree: FileTree): MockFiles {
  return {
    read: (path) => tree.readFile(path),
    exists: (path) => tree.find(path, 'stat') !== undefined,
    stat: (path) => tree.stat(path),
    list: (path) => tree.readdir(path),
    write: (path, content, options = {}) => {
      if (typeof content !== 'string') throw new TypeError(`write ${path}: content must be a string`);
      tree.writeFile(path, content, options.mode, options.append === true);
    },
    mkdir: (path, mode) => tree.mkdir(path, mode),
    remove: (path) => tree.remove(path),
  };
}

/** A node's host files for tests: {@link MockFiles} plus special files and the mount table. */
export interface MockHostFiles extends MockFiles {
  /** A special file, e.g. a socket for a hostPath volume of type `Socket`. */
  mknod(path: string, type: SpecialNode['kind']): void;
  /** Every mount point, sorted. */
  mountPoints(): string[];
}

/** The directories every mock node starts with. */
export function prepareHostTree(tree: FileTree): void {
  for (const dir of ['/etc', '/tmp', '/var/lib/kubelet', '/var/log/pods', '/mnt', '/dev']) tree.mkdir(dir);
}

/** The host files of a node's tree, for tests. */
export function hostFilesOf(tree: FileTree): MockHostFiles {
  return {
    ...filesOf(tree),
    mknod: (path, type) => tree.mknod(path, type),
    mountPoints: () => [...tree.mounts.keys()].sort(),
  };
}

/** The {@link NodeFilesystem} of a node's tree: what the node agent writes volumes into. */
export function nodeFilesystemOf(tree: FileTree): NodeFilesystem {
  // async as a real filesystem is; the work itself is synchronous, so runs stay deterministic
  const run = async <T>(work: () => T): Promise<T> => work();
  return {
    stat: (path) => run(() => tree.stat(path)),
    lstat: (path) => run(() => tree.stat(path, false)),
    readFile: (path) => run(() => tree.readFile(path)),
    writeFile: (path, content, mode) => run(() => tree.writeFile(path, content, mode)),
    mkdir: (path, mode) => run(() => tree.mkdir(path, mode)),
    readdir: (path) => run(() => tree.readdir(path)),
    readlink: (path) => run(() => tree.readlink(path)),
    symlink: (target, path) => run(() => tree.symlink(target, path)),
    rename: (from, to) => run(() => tree.rename(from, to)),
    remove: (path) => run(() => tree.remove(path)),
    mount: (source, target, options = {}) =>
      run(() => {
        const found = tree.resolve(source, 'mount', true);
        if (found.node === undefined) throw new FileSystemError('ENOENT', 'mount', source);
        tree.mountNode(found.node, target, options.readOnly === true || found.readOnly);
      }),
    unmount: (target) => run(() => tree.unmount(target)),
    isMountPoint: (path) => run(() => tree.isMountPoint(path)),
  };
}
