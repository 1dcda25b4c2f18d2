import { defineResource, type ResourceOf } from '@keelson/core';
import { z } from 'zod';

// #region kind
/** A website: which image to serve, and how many copies. */
export const Website = defineResource({
  group: 'example.dev',
  version: 'v1',
  kind: 'Website',
  plural: 'websites',
  namespaced: true,
  spec: z.object({
    image: z.string().min(1),
    replicas: z.number().int().min(0).default(1),
  }),
  status: z.object({
    observedGeneration: z.number().int().optional(),
    deployment: z.string().optional(),
  }),
});
export type Website = ResourceOf<typeof Website>;
// #endregion
