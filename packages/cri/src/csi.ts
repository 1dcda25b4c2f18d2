// The node side of the Container Storage Interface (container-storage-interface/spec
// csi.proto, service `Node`) as TypeScript types, and the slice of a node's
// filesystem the node agent writes volumes into. Types only: drivers and
// filesystems are implemented elsewhere (the mock runtime has both).

import type { StringMap } from './types';

/** CSI `VolumeCapability.AccessMode.Mode`. */
export type CsiAccessMode =
  | 'SINGLE_NODE_WRITER'
  | 'SINGLE_NODE_READER_ONLY'
  | 'MULTI_NODE_READER_ONLY'
  | 'MULTI_NODE_SINGLE_WRITER'
  | 'MULTI_NODE_MULTI_WRITER'
  | 'SINGLE_NODE_SINGLE_WRITER'
  | 'SINGLE_NODE_MULTI_WRITER';

/** CSI `VolumeCapability`: how the volume is used (a mounted filesystem or a raw block device). */
export interface CsiVolumeCapability {
  mount?: { fsType?: string; mountFlags?: string[] };
  block?: Record<string, never>;
  accessMode?: { mode: CsiAccessMode };
}

/** CSI `NodePublishVolumeRequest`: make volume `volumeId` available at `targetPath`. */
export interface NodePublishVolumeRequest {
  /** The PersistentVolume's `spec.csi.volumeHandle`. */
  volumeId: string;
  publishContext?: StringMap;
  /** Set only for drivers with the `STAGE_UNSTAGE_VOLUME` capability. */
  stagingTargetPath?: string;
  /**
   * Where to publish: the kubelet passes
   * `/var/lib/kubelet/pods/<uid>/volumes/kubernetes.io~csi/<pv>/mount`. The
   * driver creates it (the parent exists).
   */
  targetPath: string;
  volumeCapability?: CsiVolumeCapability;
  /** Publish read-only (the claim's or the PV's `readOnly`). */
  readonly: boolean;
  secrets?: StringMap;
  /** The PV's `spec.csi.volumeAttributes`. */
  volumeContext?: StringMap;
}

/** CSI `NodeUnpublishVolumeRequest`: undo a publish. Unpublishing what is not published succeeds. */
export interface NodeUnpublishVolumeRequest {
  volumeId: string;
  targetPath: string;
}

/** CSI `NodeGetInfoResponse`. */
export interface NodeGetInfoResponse {
  nodeId: string;
  /** 0: no limit. */
  maxVolumesPerNode: number;
  accessibleTopology?: { segments: StringMap };
}

/**
 * A CSI node plugin, as the kubelet talks to it over `csi.sock`: the
 * `NodePublishVolume` and `NodeUnpublishVolume` calls of CSI's `Node`
 * service, and the driver's name (a PersistentVolume's `spec.csi.driver`).
 * Both calls are idempotent, and fail with a `CriError` carrying the gRPC
 * code CSI prescribes (`NotFound` for an unknown volume, `InvalidArgument`
 * for a missing field).
 */
export interface CsiNodeDriver {
  /** The driver's name, e.g. `mock.csi.keelson.dev`. */
  readonly name: string;
  nodePublishVolume(request: NodePublishVolumeRequest): Promise<void>;
  nodeUnpublishVolume(request: NodeUnpublishVolumeRequest): Promise<void>;
  nodeGetInfo?(): Promise<NodeGetInfoResponse>;
}

/** What is at a path of a {@link NodeFilesystem}. */
export type NodeFileType = 'Directory' | 'File' | 'Symlink' | 'Socket' | 'CharDevice' | 'BlockDevice';

/** `stat` of a path: its type and permission bits (e.g. `0o644`). */
export interface NodeFileStat {
  type: NodeFileType;
  mode: number;
}

/**
 * The node's host filesystem and mount table, as far as the kubelet's
 * volume plugins use them: directories, files with modes, symlinks (for the
 * atomic writer of configMap and secret volumes), renames and bind mounts.
 * Paths are absolute. Errors are `CriError`s (`NotFound` for a missing path,
 * `FailedPrecondition` for a path of the wrong type or a busy mount).
 */
export interface NodeFilesystem {
  /** Follows symlinks; undefined when nothing is there. */
  stat(path: string): Promise<NodeFileStat | undefined>;
  /** Does not follow a final symlink. */
  lstat(path: string): Promise<NodeFileStat | undefined>;
  readFile(path: string): Promise<string>;
  /** Creates or replaces a file; its directory must exist. */
  writeFile(path: string, content: string, mode?: number): Promise<void>;
  /** `mkdir -p`; an existing directory is fine. */
  mkdir(path: string, mode?: number): Promise<void>;
  /** Names in a directory, sorted. */
  readdir(path: string): Promise<string[]>;
  readlink(path: string): Promise<string>;
  symlink(target: string, path: string): Promise<void>;
  /** Moves an entry, replacing a file or symlink at `to` (atomically, as rename(2)). */
  rename(from: string, to: string): Promise<void>;
  /** `rm -rf`; a missing path is fine; refuses (FailedPrecondition) to remove a mount point or what holds one. */
  remove(path: string): Promise<void>;
  /** Bind-mounts what `source` resolves to at `target` (which must exist). */
  mount(source: string, target: string, options?: { readOnly?: boolean }): Promise<void>;
  /** Undoes a mount; a path that is no mount point is fine. */
  unmount(target: string): Promise<void>;
  isMountPoint(path: string): Promise<boolean>;
}
