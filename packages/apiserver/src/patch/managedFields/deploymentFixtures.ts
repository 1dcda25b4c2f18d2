import { strategicMergeSchemaFor } from '../index';

/* Deployments as kubectl applies them, for the server-side apply tests. */

export const schema = strategicMergeSchemaFor('apps/v1', 'Deployment');
export const T0 = '2024-05-01T12:00:00Z';
export const T1 = '2024-05-01T12:05:00Z';
export const T2 = '2024-05-01T12:10:00Z';

export type Obj = Record<string, unknown>;

export function deployment(
  replicas: number,
  labels: Record<string, string> = { app: 'web' },
  image = 'nginx:1.25',
): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 80 }] }] },
      },
    },
  };
}

/** What the store adds on create. */
export function stored(object: Obj): Obj {
  const metadata = object.metadata as Obj;
  return {
    ...object,
    metadata: { ...metadata, uid: 'u-1', resourceVersion: '7', creationTimestamp: T0, generation: 1 },
  };
}

export function managedFields(object: Obj): Obj[] {
  return ((object.metadata as Obj).managedFields ?? []) as Obj[];
}

export function spec(object: Obj): Obj {
  return object.spec as Obj;
}
