import { resolve } from 'node:path';
import { startServer } from './server';

const port = Number(process.env.PORT ?? 6443);
const server = await startServer({ port, kubeconfig: resolve('.keelson/kubeconfig') });

console.log(`Serving the store at ${server.url}, with the kind Website beside the built-in ones.

  export KUBECONFIG=${server.kubeconfig}
  kubectl get websites
  kubectl get website blog -o yaml
  kubectl patch website blog --type=merge -p '{"spec":{"replicas":3}}'

Ctrl-C stops it.`);

const stop = async () => {
  await server.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
