import { defineResource, type ResourceOf } from '@keelson/core';
import { z } from 'zod';

// #region kind
/** A website: which image serves it, how many copies, and (observed) where it answers. */
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
    url: z.string().optional(),
  }),
});
export type Website = ResourceOf<typeof Website>;
// #endregion
