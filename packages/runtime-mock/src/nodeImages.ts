import type { Image, ImageFsInfoResponse } from '@keelson/cri';
import type { ImageBehaviour } from './behaviour';
import { isImageId, parseImageReference, qualifyImageId } from './imageReference';
import type { RegistryImage } from './MockRegistry';

/** An image present on the node. */
export interface NodeImage {
  readonly id: string;
  readonly repoTags: string[];
  readonly repoDigests: string[];
  readonly size: number;
  readonly behaviour: ImageBehaviour;
}

const IMAGE_FS_MOUNTPOINT = '/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs';

/** The node's image store: what has been pulled, by id, tag and digest. */
export class NodeImages {
  private readonly byId = new Map<string, NodeImage>();

  /** The image `ref` names: an id (with or without `sha256:`), a tag or a digest reference. */
  find(ref: string): NodeImage | undefined {
    if (isImageId(ref)) return this.byId.get(qualifyImageId(ref));
    const parsed = parseImageReference(ref);
    if (typeof parsed === 'string') return undefined;
    for (const image of this.byId.values()) {
      if (parsed.digest !== undefined) {
        if (image.repoDigests.includes(`${parsed.repository}@${parsed.digest}`)) return image;
      } else if (image.repoTags.includes(parsed.normalized)) {
        return image;
      }
    }
    return undefined;
  }

  /**
   * Records a pulled image under the reference it was pulled by. A tag moves:
   * the image it named before keeps only its other names, as in containerd.
   */
  store(pulled: RegistryImage, reference: string): NodeImage {
    const parsed = parseImageReference(reference);
    const tag =
      typeof parsed === 'object' && parsed.tag !== undefined ? `${parsed.repository}:${parsed.tag}` : undefined;
    if (tag !== undefined) {
      for (const other of this.byId.values()) {
        const at = other.repoTags.indexOf(tag);
        if (other.id !== pulled.id && at >= 0) other.repoTags.splice(at, 1);
      }
    }
    let image = this.byId.get(pulled.id);
    if (image === undefined) {
      image = { id: pulled.id, repoTags: [], repoDigests: [], size: pulled.size, behaviour: pulled.behaviour };
      this.byId.set(image.id, image);
    }
    if (tag !== undefined && !image.repoTags.includes(tag)) image.repoTags.push(tag);
    if (!image.repoDigests.includes(pulled.repoDigest)) image.repoDigests.push(pulled.repoDigest);
    return image;
  }

  /** Removes the image `ref` names with all its names; nothing if absent. */
  remove(ref: string): void {
    const image = this.find(ref);
    if (image !== undefined) this.byId.delete(image.id);
  }

  /** Every image, in the order first pulled. */
  list(): NodeImage[] {
    return [...this.byId.values()];
  }

  /** The CRI view of an image: a fresh object. */
  static toImage(image: NodeImage): Image {
    return {
      id: image.id,
      repoTags: [...image.repoTags],
      repoDigests: [...image.repoDigests],
      size: image.size,
      username: '',
      spec: { image: image.id },
      pinned: false,
    };
  }

  /** Usage of the image file system, for the kubelet's image GC. */
  fsInfo(timestamp: bigint): ImageFsInfoResponse {
    let usedBytes = 0;
    for (const image of this.byId.values()) usedBytes += image.size;
    return {
      imageFilesystems: [
        { timestamp, fsId: { mountpoint: IMAGE_FS_MOUNTPOINT }, usedBytes, inodesUsed: this.byId.size },
      ],
      containerFilesystems: [],
    };
  }
}
