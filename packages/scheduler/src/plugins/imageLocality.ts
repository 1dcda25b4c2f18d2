/**
 * ImageLocality: prefers nodes that already hold the pod's images, weighing
 * each image by its size and by how widely it has spread (an image on every
 * node says little about any one of them — Kubernetes' guard against piling
 * pods onto the few nodes that pulled first). Its weight (1 by default)
 * lives in the profile.
 */
import type { Pod } from '@keelson/api';
import { normalizedImageName } from '../framework/nodeInfo';
import { SKIP } from '../framework/status';
import { MAX_NODE_SCORE, type PluginFactory } from '../framework/types';
import { rejectArgs } from './args';

export const IMAGE_LOCALITY = 'ImageLocality';

const MB = 1024 * 1024;
/** Below this much (scaled) image the score is 0: 90% of Docker Hub images are larger. */
export const MIN_THRESHOLD = 23 * MB;
/** Per container, above this much the score is 100. */
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

const IMAGES_KEY = `${IMAGE_LOCALITY}/images`;

/** The normalised images of the pod's init containers and containers, in that order (repeats kept, as upstream). */
function podImages(pod: Pod): readonly string[] {
  const images: string[] = [];
  for (const container of pod.spec.initContainers ?? []) images.push(normalizedImageName(container.image));
  for (const container of pod.spec.containers) images.push(normalizedImageName(container.image));
  return images;
}

/**
 * Kubernetes' `calculatePriority`: clamps the summed image score to
 * `[23 MB, 1000 MB × containers]` and maps it linearly onto 0–100 with
 * int64 division.
 */
export function imageLocalityScore(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  const clamped = Math.min(Math.max(sumScores, MIN_THRESHOLD), maxThreshold);
  return Math.trunc((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

/**
 * The ImageLocality plugin (Score only, already 0–100: no NormalizeScore).
 * Each image present on the node counts `size × nodesWithImage / allNodes`,
 * truncated, as upstream's `scaledImageScore`.
 */
export const imageLocality: PluginFactory = (args, handle) => {
  rejectArgs(IMAGE_LOCALITY, args);
  return {
    name: IMAGE_LOCALITY,
    // Score-only: it never rejects a pod.
    events: [],
    preScore(_state, pod) {
      // Nothing to score when no node has any of the pod's images: every node would score 0.
      const images = pod.memo(IMAGES_KEY, podImages);
      for (let i = 0; i < images.length; i++)
        if (handle.cluster.imageNodeCount(images[i] as string) > 0) return undefined;
      return SKIP;
    },
    score(_state, pod, node) {
      const images = pod.memo(IMAGES_KEY, podImages);
      const totalNodes = handle.cluster.nodes.length;
      let sum = 0;
      for (let i = 0; i < images.length; i++) {
        const image = images[i] as string;
        const size = node.images.get(image);
        if (size === undefined) continue;
        const spread = handle.cluster.imageNodeCount(image) / totalNodes;
        sum += Math.trunc(size * spread);
      }
      return imageLocalityScore(sum, images.length);
    },
  };
};
