import {
  CriError,
  type CsiNodeDriver,
  type NodePublishVolumeRequest,
  type NodeUnpublishVolumeRequest,
} from '@keelson/cri';
import { MOCK_CSI_DRIVER, type MockDisks } from './disks';
import type { FileTree } from './fileTree';

/** Options of {@link createMockCsiDriver}. */
export interface MockCsiDriverOptions {
  /** The cluster's disk store (one for all nodes). */
  disks: MockDisks;
  /** The node's runtime, whose host filesystem the driver publishes into. */
  runtime: { readonly hostTree: FileTree };
  /** The node's name, for `nodeGetInfo` and {@link MockDisks.publications} (default `node`). */
  nodeId?: string;
}

function required(op: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || value === '')
    throw new CriError('InvalidArgument', `${op}: ${field} missing in request`);
  return value;
}

/**
 * The mock CSI node plugin `mock.csi.keelson.dev`: `nodePublishVolume`
 * creates the target path and bind-mounts the disk named by `volumeId` (the
 * PV's `volumeHandle`) there, read-only when asked; `nodeUnpublishVolume`
 * unmounts it and removes the target path. The data stays on the disk.
 * Both are idempotent, as CSI requires.
 */
export function createMockCsiDriver(options: MockCsiDriverOptions): CsiNodeDriver {
  const { disks } = options;
  const tree = options.runtime?.hostTree;
  if (disks === undefined || tree === undefined) {
    throw new CriError('InvalidArgument', 'createMockCsiDriver: disks and runtime (a mock runtime) are required');
  }
  const nodeId = options.nodeId ?? 'node';
  return {
    name: MOCK_CSI_DRIVER,
    async nodePublishVolume(request: NodePublishVolumeRequest) {
      const volumeId = required('NodePublishVolume', 'volume ID', request?.volumeId);
      const targetPath = required('NodePublishVolume', 'target path', request.targetPath);
      if (request.volumeCapability?.block !== undefined) {
        throw new CriError('InvalidArgument', 'NodePublishVolume: block volumes are not supported by the mock driver');
      }
      const root = disks.publish(volumeId, `${nodeId}:${targetPath}`);
      tree.mkdir(targetPath, 0o750);
      tree.mountNode(root, targetPath, request.readonly === true);
    },
    async nodeUnpublishVolume(request: NodeUnpublishVolumeRequest) {
      const volumeId = required('NodeUnpublishVolume', 'volume ID', request?.volumeId);
      const targetPath = required('NodeUnpublishVolume', 'target path', request.targetPath);
      tree.unmount(targetPath);
      tree.remove(targetPath);
      disks.unpublish(volumeId, `${nodeId}:${targetPath}`);
    },
    async nodeGetInfo() {
      return { nodeId, maxVolumesPerNode: 0 };
    },
  };
}
