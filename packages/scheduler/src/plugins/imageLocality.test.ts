import type { Pod } from '@keelson/api';
import { InvalidError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { clusterOf, handleFor, makeNode, makePod } from '../../test/harness';
import { CycleState, podInfoOf } from '../framework/index';
import { IMAGE_LOCALITY, imageLocality, imageLocalityScore } from './imageLocality';

const MB = 1024 * 1024;
type Images = Array<{ names: string[]; sizeBytes: number }>;

// The nodes of upstream's TestImageLocalityPriority.
const node403002000: Images = [
  { names: ['gcr.io/40:latest', 'gcr.io/40:v1', 'gcr.io/40:v1'], sizeBytes: 40 * MB },
  { names: ['gcr.io/300:latest', 'gcr.io/300:v1'], sizeBytes: 300 * MB },
  { names: ['gcr.io/2000:latest'], sizeBytes: 2000 * MB },
];
const node25010: Images = [
  { names: ['gcr.io/250:latest'], sizeBytes: 250 * MB },
  { names: ['gcr.io/10:latest', 'gcr.io/10:v1'], sizeBytes: 10 * MB },
];
const node60040900: Images = [
  { names: ['gcr.io/600:latest'], sizeBytes: 600 * MB },
  { names: ['gcr.io/40:latest'], sizeBytes: 40 * MB },
  { names: ['gcr.io/900:latest'], sizeBytes: 900 * MB },
];
const node300600900: Images = [
  { names: ['gcr.io/300:latest'], sizeBytes: 300 * MB },
  { names: ['gcr.io/600:latest'], sizeBytes: 600 * MB },
  { names: ['gcr.io/900:latest'], sizeBytes: 900 * MB },
];
const node400030: Images = [
  { names: ['gcr.io/4000:latest'], sizeBytes: 4000 * MB },
  { names: ['gcr.io/30:latest'], sizeBytes: 30 * MB },
];
const node203040: Images = [
  { names: ['gcr.io/20:latest'], sizeBytes: 20 * MB },
  { names: ['gcr.io/30:latest'], sizeBytes: 30 * MB },
  { names: ['gcr.io/40:latest'], sizeBytes: 40 * MB },
];

function podWith(images: string[], initImages: string[] = []): Pod {
  return makePod('pod', {
    containers: images.map((image, i) => ({ name: `c${i}`, image })),
    ...(initImages.length > 0 ? { initContainers: initImages.map((image, i) => ({ name: `i${i}`, image })) } : {}),
  });
}

function scores(pod: Pod, nodes: Images[]): number[] {
  const cluster = clusterOf(nodes.map((images, i) => makeNode(`node${i + 1}`, images.length > 0 ? { images } : {})));
  const plugin = imageLocality(undefined, handleFor(cluster));
  expect(plugin.normalizeScore).toBeUndefined();
  const state = new CycleState();
  return cluster.nodes.map((node) => plugin.score?.(state, podInfoOf(pod), node) as number);
}

describe('ImageLocality Score (upstream TestImageLocalityPriority)', () => {
  it('two images spread on two nodes: prefer the larger image (0, 5)', () => {
    expect(scores(podWith(['gcr.io/40', 'gcr.io/250']), [node403002000, node25010])).toEqual([0, 5]);
  });

  it('two images on one node: prefer that node (7, 0)', () => {
    expect(scores(podWith(['gcr.io/40', 'gcr.io/300']), [node403002000, node25010])).toEqual([7, 0]);
  });

  it('above the limit the limit applies (100, 0)', () => {
    expect(scores(podWith(['gcr.io/10', 'gcr.io/4000']), [node400030, node25010])).toEqual([100, 0]);
  });

  it('the spread counts nodes without images too (66, 0, 0)', () => {
    expect(scores(podWith(['gcr.io/10', 'gcr.io/4000']), [node400030, node25010, []])).toEqual([66, 0, 0]);
  });

  it('a pod with several large images prefers the node holding all of them (32, 36, 0)', () => {
    const pod = podWith(['gcr.io/300', 'gcr.io/600', 'gcr.io/900']);
    expect(scores(pod, [node60040900, node300600900, []])).toEqual([32, 36, 0]);
  });

  it('a pod with several small images (1, 0)', () => {
    expect(scores(podWith(['gcr.io/30', 'gcr.io/40']), [node203040, node400030])).toEqual([1, 0]);
  });

  it("counts init containers' images and containers (6, 0)", () => {
    expect(scores(podWith(['gcr.io/30'], ['gcr.io/300']), [node403002000, node203040])).toEqual([6, 0]);
  });

  it('matches tagged names exactly and untagged names as :latest', () => {
    // 300 MB on one node of four: 100 × (75 MB − 23 MB) / (1000 MB − 23 MB) = 5.3…
    expect(scores(podWith(['gcr.io/300:v1']), [node403002000, [], [], []])).toEqual([5, 0, 0, 0]);
    expect(scores(podWith(['gcr.io/300:v2']), [node403002000])).toEqual([0]);
  });
});

describe('imageLocalityScore', () => {
  it('clamps to [23 MB, 1000 MB × containers] and truncates', () => {
    expect(imageLocalityScore(0, 1)).toBe(0);
    expect(imageLocalityScore(23 * MB, 1)).toBe(0);
    expect(imageLocalityScore(1000 * MB, 1)).toBe(100);
    expect(imageLocalityScore(5000 * MB, 2)).toBe(100);
    // 100 × (125 MB − 23 MB) / (2000 MB − 23 MB) = 5.15…
    expect(imageLocalityScore(125 * MB, 2)).toBe(5);
  });
});

describe('ImageLocality plugin', () => {
  it('is score-only, registers no events, and takes no args', () => {
    const plugin = imageLocality(undefined, handleFor(clusterOf([])));
    expect(plugin.name).toBe(IMAGE_LOCALITY);
    expect(plugin.events).toEqual([]);
    expect(plugin.filter).toBeUndefined();
    expect(() => imageLocality({ threshold: 1 }, handleFor(clusterOf([])))).toThrow(InvalidError);
  });
});
