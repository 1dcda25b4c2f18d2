import { CriError } from '@keelson/cri';
import { filesOf, type MockFiles } from './files';
import { type DirNode, FileTree, newDir } from './fileTree';

/** The mock CSI driver's name, as PersistentVolumes name it in `spec.csi.driver`. */
export const MOCK_CSI_DRIVER = 'mock.csi.keelson.dev';

const HANDLE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function checkHandle(op: string, handle: unknown): string {
  if (typeof handle !== 'string' || !HANDLE.test(handle)) {
    throw new CriError(
      'InvalidArgument',
      `${op}: volumeHandle must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit, got ${JSON.stringify(handle)}`,
    );
  }
  return handle;
}

/**
 * The disks of one simulated cluster, shared by all its nodes: each disk is
 * a directory tree named by its volume handle, which the mock CSI driver
 * publishes into pods. A disk's contents outlive the pods that used it and
 * follow it to whichever node publishes it next; a disk is made empty the
 * first time it is published (or by {@link MockDisks.create}) and lives
 * until {@link MockDisks.delete}.
 */
export class MockDisks {
  private readonly disks = new Map<string, { root: DirNode; publishedAt: Set<string> }>();

  /** Creates an empty disk; an existing one is left as it is. */
  create(volumeHandle: string): void {
    const handle = checkHandle('MockDisks.create', volumeHandle);
    if (!this.disks.has(handle)) this.disks.set(handle, { root: newDir(0o755), publishedAt: new Set() });
  }

  has(volumeHandle: string): boolean {
    return this.disks.has(volumeHandle);
  }

  /** Every disk's handle, sorted. */
  list(): string[] {
    return [...this.disks.keys()].sort();
  }

  /**
   * The disk's files, for tests (a view of the disk's root: `/` is the
   * volume's top directory).
   *
   * @throws CriError `NotFound` for a disk that does not exist.
   */
  files(volumeHandle: string): MockFiles {
    const disk = this.disks.get(checkHandle('MockDisks.files', volumeHandle));
    if (disk === undefined) throw notFound(volumeHandle);
    return filesOf(new FileTree(disk.root));
  }

  /**
   * Deletes a disk and its data (a provisioner's `DeleteVolume`); returns
   * whether it existed.
   *
   * @throws CriError `FailedPrecondition` while a node still publishes it.
   */
  delete(volumeHandle: string): boolean {
    const handle = checkHandle('MockDisks.delete', volumeHandle);
    const disk = this.disks.get(handle);
    if (disk === undefined) return false;
    if (disk.publishedAt.size > 0) {
      throw new CriError(
        'FailedPrecondition',
        `disk "${handle}" is in use at ${[...disk.publishedAt].sort().join(', ')}; delete the pods using it first`,
      );
    }
    this.disks.delete(handle);
    return true;
  }

  /** Where each disk is published (`node:targetPath`), for dumps and tests. */
  publications(volumeHandle: string): string[] {
    return [...(this.disks.get(volumeHandle)?.publishedAt ?? [])].sort();
  }

  /** @internal the disk's root for the CSI driver, created on first use. */
  publish(volumeHandle: string, where: string): DirNode {
    const handle = checkHandle('NodePublishVolume', volumeHandle);
    this.create(handle);
    const disk = this.disks.get(handle) as { root: DirNode; publishedAt: Set<string> };
    disk.publishedAt.add(where);
    return disk.root;
  }

  /** @internal */
  unpublish(volumeHandle: string, where: string): void {
    this.disks.get(volumeHandle)?.publishedAt.delete(where);
  }
}

const notFound = (handle: string) => new CriError('NotFound', `disk "${handle}" does not exist`);

/**
 * A new, empty disk store; give one to every node of a simulated cluster
 * (through `createMockCsiDriver`), so that a volume written on one node is
 * read on another.
 *
 * @example
 * ```ts
 * const disks = createMockDisks();
 * const driver = createMockCsiDriver({ disks, runtime }); // one per node
 * disks.files('pvc-1234').read('/data.txt');
 * ```
 */
export function createMockDisks(): MockDisks {
  return new MockDisks();
}
