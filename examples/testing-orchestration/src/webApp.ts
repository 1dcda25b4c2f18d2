/**
 * WebApp: a custom kind for a web application — an image, a replica count
 * and a port — and its controller, which runs it as a Deployment behind a
 * Service and reports how many replicas are available.
 */
import { Deployment, Service } from '@keelson/api';
import { defineController } from '@keelson/controller';
import { defineResource, isKeelsonError, type ResourceOf } from '@keelson/core';
import { z } from 'zod';

// #region kind
export const WebApp = defineResource({
  group: 'example.dev',
  version: 'v1',
  kind: 'WebApp',
  plural: 'webapps',
  namespaced: true,
  spec: z.object({
    image: z.string().min(1),
    replicas: z.number().int().min(0).default(2),
    port: z.number().int().min(1).max(65535).default(8080),
  }),
  status: z.object({
    observedGeneration: z.number().int().optional(),
    availableReplicas: z.number().int().default(0),
    phase: z.enum(['Progressing', 'Available']).optional(),
  }),
});
export type WebApp = ResourceOf<typeof WebApp>;
// #endregion

/** The labels of an app's pods. */
export const appLabels = (app: WebApp) => ({ 'app.kubernetes.io/name': app.metadata.name });

function ownerRef(app: WebApp) {
  return {
    apiVersion: WebApp.apiVersion,
    kind: WebApp.kind,
    name: app.metadata.name,
    uid: app.metadata.uid,
    controller: true,
  };
}

/** The Deployment an app should have: a pure function of the app. */
export function desiredDeployment(app: WebApp) {
  const labels = appLabels(app);
  return {
    metadata: { name: app.metadata.name, namespace: app.metadata.namespace, labels, ownerReferences: [ownerRef(app)] },
    spec: {
      replicas: app.spec.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'web',
              image: app.spec.image,
              ports: [{ name: 'http', containerPort: app.spec.port }],
              readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 2 },
            },
          ],
        },
      },
    },
  };
}

/** The Service in front of an app's pods. */
export function desiredService(app: WebApp) {
  return {
    metadata: { name: app.metadata.name, namespace: app.metadata.namespace, ownerReferences: [ownerRef(app)] },
    spec: { selector: appLabels(app), ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
}

// #region controller
export const webAppController = defineController({
  name: 'webapp',
  for: WebApp,
  owns: [Deployment, Service], // changes to what we made (its status too) reconcile the app
  async reconcile({ name, namespace }, { client, cache }) {
    const app = cache.get(WebApp, name, namespace);
    if (!app || app.metadata.deletionTimestamp) return; // the garbage collector removes what it owned

    const deployment = cache.get(Deployment, name, namespace);
    const want = desiredDeployment(app);
    if (!deployment) await client.create(Deployment, want);
    else if (
      deployment.spec.replicas !== app.spec.replicas ||
      deployment.spec.template.spec.containers[0]?.image !== app.spec.image
    ) {
      await client.patch(
        Deployment,
        name,
        (d) => {
          d.spec.replicas = app.spec.replicas;
          const web = d.spec.template.spec.containers[0];
          if (web) web.image = app.spec.image;
        },
        { namespace },
      );
    }
    if (!cache.get(Service, name, namespace)) await client.create(Service, desiredService(app));

    const available = deployment?.status?.availableReplicas ?? 0;
    const status = {
      observedGeneration: app.metadata.generation,
      availableReplicas: available,
      phase:
        available >= app.spec.replicas && app.spec.replicas > 0 ? ('Available' as const) : ('Progressing' as const),
    };
    if (JSON.stringify(status) !== JSON.stringify(app.status)) {
      try {
        await client.patch(
          WebApp,
          name,
          (d) => {
            d.status = status;
          },
          { namespace, subresource: 'status' },
        );
      } catch (error) {
        if (!isKeelsonError(error, 'NotFound')) throw error;
      }
    }
    return undefined;
  },
});
// #endregion
