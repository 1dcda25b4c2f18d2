import { Deployment } from '@keelson/api';
import { defineController, generationChanged } from '@keelson/controller';
import { isKeelsonError } from '@keelson/core';
import { Website } from './website';

// #region desired
/** The Deployment a website should have: a pure function of the website. */
export function desiredDeployment(site: Website) {
  const labels = { 'app.kubernetes.io/name': site.metadata.name };
  return {
    metadata: {
      name: `${site.metadata.name}-web`,
      namespace: site.metadata.namespace,
      labels,
      ownerReferences: [
        {
          apiVersion: Website.apiVersion,
          kind: Website.kind,
          name: site.metadata.name,
          uid: site.metadata.uid,
          controller: true,
        },
      ],
    },
    spec: {
      replicas: site.spec.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'web', image: site.spec.image }] },
      },
    },
  };
}
// #endregion

// #region controller
export const websiteController = defineController({
  name: 'website',
  for: Website,
  owns: [Deployment], // a change to (or deletion of) our Deployment reconciles its Website
  predicates: [generationChanged()], // status-only writes (our own) do not wake us
  async reconcile({ name, namespace }, { client, cache, recorder }) {
    const site = cache.get(Website, name, namespace);
    if (!site || site.metadata.deletionTimestamp) return; // gone: the garbage collector removes what it owned

    const want = desiredDeployment(site);
    const have = cache.get(Deployment, want.metadata.name, namespace);
    if (!have) {
      await client.create(Deployment, want);
      await recorder?.event(site, 'Normal', 'Created', `created deployment ${want.metadata.name}`);
    } else if (
      have.spec.replicas !== want.spec.replicas ||
      have.spec.template.spec.containers[0]?.image !== site.spec.image
    ) {
      await client.patch(
        Deployment,
        have.metadata.name,
        (d) => {
          d.spec.replicas = want.spec.replicas;
          const web = d.spec.template.spec.containers[0];
          if (web) web.image = site.spec.image;
        },
        { namespace },
      );
    }

    if (site.status?.observedGeneration !== site.metadata.generation) {
      try {
        await client.patch(
          Website,
          name,
          (d) => {
            d.status = { observedGeneration: site.metadata.generation, deployment: want.metadata.name };
          },
          { namespace, subresource: 'status' },
        );
      } catch (error) {
        if (!isKeelsonError(error, 'NotFound')) throw error; // deleted meanwhile: nothing to report
      }
    }
    return undefined; // done until something changes: level-triggered, no polling
  },
});
// #endregion
