/**
 * Pod volumes: the common sources (emptyDir, hostPath, configMap, secret,
 * persistentVolumeClaim, downwardAPI, projected) in Kubernetes' shape and
 * defaults.
 */
import { z } from 'zod';
import { dnsLabel, int32, quantity } from './primitives';

/** 0644, the default file mode of projected keys. */
const DEFAULT_MODE = 0o644;

const keyToPath = z.object({ key: z.string().min(1), path: z.string().min(1), mode: int32.exactOptional() });

const objectFieldSelector = z.object({ apiVersion: z.string().default('v1'), fieldPath: z.string().min(1) });

const downwardAPIFile = z.object({
  path: z.string().min(1),
  fieldRef: objectFieldSelector.exactOptional(),
  mode: int32.exactOptional(),
});

const projection = z.object({
  configMap: z
    .object({
      name: z.string().exactOptional(),
      items: z.array(keyToPath).exactOptional(),
      optional: z.boolean().exactOptional(),
    })
    .exactOptional(),
  secret: z
    .object({
      name: z.string().exactOptional(),
      items: z.array(keyToPath).exactOptional(),
      optional: z.boolean().exactOptional(),
    })
    .exactOptional(),
  downwardAPI: z.object({ items: z.array(downwardAPIFile).exactOptional() }).exactOptional(),
  serviceAccountToken: z
    .object({
      audience: z.string().exactOptional(),
      expirationSeconds: int32.exactOptional(),
      path: z.string().min(1),
    })
    .exactOptional(),
});

const SOURCES = [
  'emptyDir',
  'hostPath',
  'configMap',
  'secret',
  'persistentVolumeClaim',
  'downwardAPI',
  'projected',
] as const;

/**
 * A volume. Without any source it is an `emptyDir`, as in Kubernetes;
 * `configMap`, `secret`, `downwardAPI` and `projected` default `defaultMode`
 * to 0644.
 */
export const volumeSchema = z
  .object({
    name: dnsLabel,
    emptyDir: z
      .object({ medium: z.enum(['', 'Memory']).exactOptional(), sizeLimit: quantity.exactOptional() })
      .exactOptional(),
    hostPath: z
      .object({
        path: z.string().min(1),
        type: z
          .enum(['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'])
          .default(''),
      })
      .exactOptional(),
    configMap: z
      .object({
        name: z.string().exactOptional(),
        items: z.array(keyToPath).exactOptional(),
        defaultMode: int32.default(DEFAULT_MODE),
        optional: z.boolean().exactOptional(),
      })
      .exactOptional(),
    secret: z
      .object({
        secretName: z.string().exactOptional(),
        items: z.array(keyToPath).exactOptional(),
        defaultMode: int32.default(DEFAULT_MODE),
        optional: z.boolean().exactOptional(),
      })
      .exactOptional(),
    persistentVolumeClaim: z
      .object({ claimName: z.string().min(1), readOnly: z.boolean().exactOptional() })
      .exactOptional(),
    downwardAPI: z
      .object({
        items: z.array(downwardAPIFile).exactOptional(),
        defaultMode: int32.default(DEFAULT_MODE),
      })
      .exactOptional(),
    projected: z
      .object({ sources: z.array(projection).default([]), defaultMode: int32.default(DEFAULT_MODE) })
      .exactOptional(),
  })
  .superRefine((volume, ctx) => {
    const sources = SOURCES.filter((source) => volume[source] !== undefined);
    for (const extra of sources.slice(1)) {
      ctx.addIssue({ code: 'custom', path: [extra], message: 'may not specify more than 1 volume type' });
    }
  })
  .transform((volume) =>
    SOURCES.some((source) => volume[source] !== undefined) ? volume : { ...volume, emptyDir: {} },
  );

/** A volume as stored. */
export type Volume = z.output<typeof volumeSchema>;
