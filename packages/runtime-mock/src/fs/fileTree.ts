/**
 * An in-memory file tree with Unix semantics where the volume code needs
 * them: directories, files with modes, symlinks, special files, and a mount
 * table of bind mounts. Entries are objects (inodes): a bind mount holds
 * the object it was given, so it keeps seeing it after its old name is
 * removed or replaced — which is why a subPath mount of a configMap key
 * does not follow updates, as on Linux.
 */
import { CriError, type NodeFileStat, type NodeFileType } from '@keelson/cri';

export interface DirNode {
  kind: 'Directory';
  mode: number;
  readonly entries: Map<string, FsNode>;
}
export interface FileNode {
  kind: 'File';
  mode: number;
  content: string;
}
export interface LinkNode {
  kind: 'Symlink';
  readonly target: string;
}
export interface SpecialNode {
  kind: 'Socket' | 'CharDevice' | 'BlockDevice';
  mode: number;
}
export type FsNode = DirNode | FileNode | LinkNode | SpecialNode;

/** The errno of a {@link FileSystemError}. */
export type FsErrno = 'ENOENT' | 'EEXIST' | 'ENOTDIR' | 'EISDIR' | 'EROFS' | 'EBUSY' | 'ELOOP' | 'EINVAL';

const CODES = {
  ENOENT: ['NotFound', 'no such file or directory'],
  EEXIST: ['AlreadyExists', 'file exists'],
  ENOTDIR: ['FailedPrecondition', 'not a directory'],
  EISDIR: ['FailedPrecondition', 'is a directory'],
  EROFS: ['FailedPrecondition', 'read-only file system'],
  EBUSY: ['FailedPrecondition', 'device or resource busy'],
  ELOOP: ['InvalidArgument', 'too many levels of symbolic links'],
  EINVAL: ['InvalidArgument', 'invalid argument'],
} as const;

/**
 * A failed file operation of the mock's filesystems, as Go's `*PathError`
 * prints it (`open /data/x: read-only file system`); `errno` says which.
 */
export class FileSystemError extends CriError {
  constructor(
    readonly errno: FsErrno,
    readonly op: string,
    readonly path: string,
  ) {
    super(CODES[errno][0], `${op} ${path}: ${CODES[errno][1]}`);
    this.name = 'FileSystemError';
  }
}

/** Where a path led: the node (if any), the directory that holds its name, and whether a read-only mount is on the way. */
export interface Resolved {
  node: FsNode | undefined;
  parent: DirNode | undefined;
  name: string;
  /** The canonical path (symlinks followed, `..` applied). */
  path: string;
  readOnly: boolean;
}

interface MountEntry {
  node: FsNode;
  readOnly: boolean;
}

const MAX_LINKS = 40;

/** The components of an absolute path, or an `EINVAL` error naming `op`. */
export function splitPath(path: unknown, op: string): string[] {
  if (typeof path !== 'string' || !path.startsWith('/') || path.includes('\0')) {
    throw new CriError(
      'InvalidArgument',
      `${op}: path must be an absolute path such as "/data/file", got ${JSON.stringify(path)}`,
    );
  }
  return path.split('/').filter((part) => part !== '' && part !== '.');
}

export const newDir = (mode = 0o755): DirNode => ({ kind: 'Directory', mode, entries: new Map() });

/** A tree with its own root and mount table (a node's host filesystem, a container's view, a disk). */
export class FileTree {
  readonly mounts = new Map<string, MountEntry>();

  constructor(readonly root: DirNode = newDir()) {}

  /** Follows the path through mounts and symlinks (the last one only when `followLast`). */
  resolve(path: string, op: string, followLast = true): Resolved {
    const stack = splitPath(path, op);
    const names: string[] = [];
    const dirs: FsNode[] = [this.mounts.get('/')?.node ?? this.root];
    const readOnly: boolean[] = [this.mounts.get('/')?.readOnly ?? false];
    let links = 0;
    while (stack.length > 0) {
      const part = stack.shift() as string;
      if (part === '..') {
        if (names.length > 0) {
          names.pop();
          dirs.pop();
          readOnly.pop();
        }
        continue;
      }
      const dir = dirs[dirs.length - 1] as FsNode;
      const here = `/${names.join('/')}`;
      if (dir.kind !== 'Directory') throw new FileSystemError('ENOTDIR', op, here);
      const childPath = `/${[...names, part].join('/')}`;
      const mount = this.mounts.get(childPath);
      const child = mount?.node ?? dir.entries.get(part);
      const ro = (readOnly[readOnly.length - 1] ?? false) || mount?.readOnly === true;
      if (child?.kind === 'Symlink' && mount === undefined && (stack.length > 0 || followLast)) {
        if (++links > MAX_LINKS) throw new FileSystemError('ELOOP', op, path);
        const target = child.target.split('/').filter((p) => p !== '' && p !== '.');
        if (child.target.startsWith('/')) {
          names.length = 0;
          dirs.length = 1;
          readOnly.length = 1;
        }
        stack.unshift(...target);
        continue;
      }
      if (child === undefined) {
        if (stack.length > 0) throw new FileSystemError('ENOENT', op, path);
        return { node: undefined, parent: dir, name: part, path: childPath, readOnly: ro };
      }
      names.push(part);
      dirs.push(child);
      readOnly.push(ro);
    }
    const node = dirs[dirs.length - 1];
    const parent = dirs.length > 1 ? dirs[dirs.length - 2] : undefined;
    return {
      node,
      parent: parent?.kind === 'Directory' ? parent : undefined,
      name: names[names.length - 1] ?? '',
      path: `/${names.join('/')}`,
      readOnly: readOnly[readOnly.length - 1] ?? false,
    };
  }

  /** The node at `path` following symlinks, or undefined (also when a directory on the way is missing). */
  find(path: string, op: string, followLast = true): FsNode | undefined {
    try {
      return this.resolve(path, op, followLast).node;
    } catch (error) {
      if (error instanceof FileSystemError && error.errno === 'ENOENT') return undefined;
      throw error;
    }
  }

  stat(path: string, followLast = true): NodeFileStat | undefined {
    const node = this.find(path, 'stat', followLast);
    if (node === undefined) return undefined;
    return { type: node.kind as NodeFileType, mode: node.kind === 'Symlink' ? 0o777 : node.mode };
  }

  readFile(path: string): string {
    const node = this.resolve(path, 'open', true).node;
    if (node === undefined) throw new FileSystemError('ENOENT', 'open', path);
    if (node.kind === 'Directory') throw new FileSystemError('EISDIR', 'read', path);
    if (node.kind !== 'File') throw new FileSystemError('EINVAL', 'read', path);
    return node.content;
  }

  /** A writable place for a new entry at `path`: its parent directory, not through a read-only mount. */
  private writable(path: string, op: string, followLast: boolean): Resolved {
    const found = this.resolve(path, op, followLast);
    if (found.readOnly) throw new FileSystemError('EROFS', op, path);
    if (found.parent === undefined) throw new FileSystemError('EINVAL', op, path);
    return found;
  }

  writeFile(path: string, content: string, mode?: number, append = false): void {
    const found = this.writable(path, 'open', true);
    const node = found.node;
    if (node?.kind === 'Directory') throw new FileSystemError('EISDIR', 'open', path);
    if (node?.kind === 'File') {
      node.content = append ? node.content + content : content;
      if (mode !== undefined) node.mode = mode;
      return;
    }
    found.parent?.entries.set(found.name, { kind: 'File', mode: mode ?? 0o644, content });
  }

  mkdir(path: string, mode = 0o755): void {
    const parts = splitPath(path, 'mkdir');
    for (let i = 1; i <= parts.length; i++) {
      const sub = `/${parts.slice(0, i).join('/')}`;
      const node = this.find(sub, 'mkdir');
      if (node?.kind === 'Directory') continue;
      if (node !== undefined) throw new FileSystemError('ENOTDIR', 'mkdir', sub);
      const found = this.writable(sub, 'mkdir', true);
      found.parent?.entries.set(found.name, newDir(mode));
    }
  }

  /** A special file (socket, character or block device) at `path`, as mknod(2) makes one. */
  mknod(path: string, kind: SpecialNode['kind'], mode = 0o660): void {
    const found = this.writable(path, 'mknod', false);
    if (found.node !== undefined) throw new FileSystemError('EEXIST', 'mknod', path);
    found.parent?.entries.set(found.name, { kind, mode });
  }

  readdir(path: string): string[] {
    const node = this.resolve(path, 'open', true).node;
    if (node === undefined) throw new FileSystemError('ENOENT', 'open', path);
    if (node.kind !== 'Directory') throw new FileSystemError('ENOTDIR', 'readdirent', path);
    return [...node.entries.keys()].sort();
  }

  readlink(path: string): string {
    const node = this.resolve(path, 'readlink', false).node;
    if (node === undefined) throw new FileSystemError('ENOENT', 'readlink', path);
    if (node.kind !== 'Symlink') throw new FileSystemError('EINVAL', 'readlink', path);
    return node.target;
  }

  symlink(target: string, path: string): void {
    const found = this.writable(path, 'symlink', false);
    if (found.node !== undefined) throw new FileSystemError('EEXIST', 'symlink', path);
    found.parent?.entries.set(found.name, { kind: 'Symlink', target });
  }

  rename(from: string, to: string): void {
    const source = this.writable(from, 'rename', false);
    const target = this.writable(to, 'rename', false);
    if (source.node === undefined) throw new FileSystemError('ENOENT', 'rename', from);
    if (this.mounts.has(source.path)) throw new FileSystemError('EBUSY', 'rename', from);
    if (target.node?.kind === 'Directory' && target.node.entries.size > 0) {
      throw new FileSystemError('EEXIST', 'rename', to);
    }
    source.parent?.entries.delete(source.name);
    target.parent?.entries.set(target.name, source.node);
  }

  remove(path: string): void {
    if (this.find(path, 'unlinkat', false) === undefined) return;
    const found = this.resolve(path, 'unlinkat', false);
    if (found.node === undefined) return;
    const prefix = found.path === '/' ? '/' : `${found.path}/`;
    for (const mounted of this.mounts.keys()) {
      if (mounted === found.path || mounted.startsWith(prefix)) throw new FileSystemError('EBUSY', 'unlinkat', mounted);
    }
    if (found.readOnly) throw new FileSystemError('EROFS', 'unlinkat', path);
    if (found.parent === undefined) throw new FileSystemError('EBUSY', 'unlinkat', path);
    found.parent.entries.delete(found.name);
  }

  /** Binds `node` at `target`, which must exist (the mount point). */
  mountNode(node: FsNode, target: string, readOnly: boolean): void {
    const found = this.resolve(target, 'mount', true);
    if (found.node === undefined) throw new FileSystemError('ENOENT', 'mount', target);
    this.mounts.set(found.path, { node, readOnly });
  }

  unmount(target: string): void {
    const found = this.find(target, 'umount') === undefined ? undefined : this.resolve(target, 'umount', true);
    if (found !== undefined) this.mounts.delete(found.path);
  }

  isMountPoint(path: string): boolean {
    const node = this.find(path, 'stat');
    return node !== undefined && this.mounts.has(this.resolve(path, 'stat', true).path);
  }
}
