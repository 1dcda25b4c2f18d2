import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { componentLogger, InvalidError, isKeelsonError, MAX_OBJECT_BYTES, type ResourceType } from '@keelson/core';
import { crdNamesOf, crdSchemaOf, printerColumnsOf, serveCustomResources } from '../crd/index';
import { createOpenApi, OPENAPI_V2_PROTOBUF, openApiV2Document } from '../openapi/index';
import { SELF_SUBJECT_ACCESS_REVIEW, selfSubjectAccessReview } from './accessReview';
import { allowed, authenticate, forbiddenMessage } from './auth';
import type { Call } from './call';
import { ResourceCatalog } from './catalog';
import {
  AGGREGATED_DISCOVERY,
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  VIRTUAL_RESOURCES,
} from './discovery';
import { sendJson, sendStatus } from './http';
import { ApiServerMetrics, type RequestLabels, sendMetrics } from './metrics';
import { serveOpenApi } from './openApiRoutes';
import { parseResourcePath } from './paths';
import { publicPath } from './publicPaths';
import { METRICS_RESOURCES, parseMetricsPath, serveResourceMetrics } from './resourceMetrics';
import { route, verbOf } from './routes';
import { HttpError, statusOf } from './status';
import { requestTimeoutMs, withTimeout } from './timeouts';
import type { ApiRequestAttributes, ApiServer, ApiServerOptions, ResourceExtras, ServerContext } from './types';
import { WatchRegistry } from './watch';

/**
 * Serves a store over Kubernetes' REST API, for kubectl and
 * `@kubernetes/client-node`: discovery, CRUD, list paging, watch, the four
 * patch types, subresources, Tables and `metav1.Status` errors, for every
 * kind the store serves (built-in, `defineResource` and applied CRDs alike).
 *
 * @example
 * ```ts
 * const server = createApiServer({ store, authenticate: tokenAuthenticator({ s3cret: { username: 'admin' } }) });
 * const { url } = await server.listen({ port: 6443 });
 * // KUBECONFIG with server: url and token: s3cret → kubectl get pods
 * ```
 */
export function createApiServer(options: ApiServerOptions): ApiServer {
  const { store } = options;
  if (typeof store !== 'object' || store === null || typeof store.as !== 'function') {
    throw new InvalidError('createApiServer: store must be a store from createStore');
  }
  const maxRequestBytes = options.maxRequestBytes ?? MAX_OBJECT_BYTES;
  const maxWatches = options.maxWatchesPerUser ?? 100;
  const requestTimeout = options.requestTimeoutSeconds ?? 60;
  for (const [field, value] of [
    ['maxRequestBytes', maxRequestBytes],
    ['maxWatchesPerUser', maxWatches],
  ] as const) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new InvalidError(`createApiServer: ${field} must be a positive integer, got ${String(value)}`);
    }
  }
  const logger = componentLogger(options.logger, 'apiserver');
  const crds = options.customResources === false ? undefined : serveCustomResources(store, { logger });
  const extrasOf = (type: ResourceType): ResourceExtras | undefined => {
    const crd = crds?.definitionOf(type);
    if (crd === undefined) return undefined;
    const schema = crdSchemaOf(crd);
    return {
      names: crdNamesOf(crd),
      printerColumns: printerColumnsOf(crd),
      ...(schema === undefined ? {} : { schema: schema as Record<string, unknown> }),
    };
  };
  const catalog = new ResourceCatalog(
    () => store.types,
    (type) => extrasOf(type)?.names,
  );
  const ctx: ServerContext = { store, options, maxRequestBytes, extrasOf };
  const watches = new WatchRegistry(maxWatches);
  const virtual = [...VIRTUAL_RESOURCES, ...(options.resourceMetrics === undefined ? [] : METRICS_RESOURCES)];
  const metrics = options.metricsRegistry === undefined ? undefined : new ApiServerMetrics(options.metricsRegistry);
  const openApi = createOpenApi({
    types: () => store.types,
    schemaOf: (type) => extrasOf(type)?.schema,
    createOnly: [SELF_SUBJECT_ACCESS_REVIEW],
  });
  let server: Server | undefined;

  const serve = async (request: IncomingMessage, response: ServerResponse, url: URL, log: RequestLog) => {
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = request.method ?? 'GET';
    if (method === 'GET' && publicPath(path, response)) return;
    const user = await authenticate(options, request);
    if (user === undefined) throw new HttpError(401, 'Unauthorized', 'Unauthorized');
    log.user = user.username;
    if (method === 'GET' && discovery(path, request, response, url)) return;
    if (method === 'GET' && path === '/metrics') {
      if (options.metricsRegistry === undefined) {
        throw new HttpError(404, 'NotFound', 'metrics are not served: start the server with a metricsRegistry');
      }
      await sendMetrics(options.metricsRegistry, response);
      return;
    }
    if (method === 'GET' && path.startsWith('/openapi/v3') && serveOpenApi(openApi, path, request, response)) return;
    if (path === '/openapi/v2') {
      // kubectl reads v2 only as protobuf, and only to validate `kind: List` manifests: an empty
      // document lets it send their items to the server, which validates them (fieldValidation).
      if (!(request.headers.accept ?? '').includes('protobuf')) {
        throw new HttpError(404, 'NotFound', 'the server serves OpenAPI v3: use /openapi/v3');
      }
      const body = openApiV2Document();
      response.writeHead(200, { 'Content-Type': OPENAPI_V2_PROTOBUF, 'Content-Length': String(body.length) });
      response.end(body);
      return;
    }
    if (method === 'POST' && path === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') {
      sendJson(response, 201, await selfSubjectAccessReview(options, request, user, maxRequestBytes));
      return;
    }
    const metricsPath = options.resourceMetrics === undefined ? undefined : parseMetricsPath(path);
    if (metricsPath !== undefined && options.resourceMetrics !== undefined) {
      if (method !== 'GET') throw new HttpError(405, 'MethodNotAllowed', 'metrics.k8s.io is read-only: get and list');
      const attributes: ApiRequestAttributes = {
        user,
        verb: metricsPath.name === undefined ? 'list' : 'get',
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        resource: metricsPath.resource,
        ...(metricsPath.namespace === undefined ? {} : { namespace: metricsPath.namespace }),
        ...(metricsPath.name === undefined ? {} : { name: metricsPath.name }),
      };
      if (!(await allowed(options, attributes))) throw new HttpError(403, 'Forbidden', forbiddenMessage(attributes));
      serveResourceMetrics(options.resourceMetrics, metricsPath, url.searchParams, response);
      return;
    }
    const resource = parseResourcePath(path, catalog);
    if (resource?.entry === undefined) {
      throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
    }
    const entry = resource.entry;
    if (!entry.namespaced && resource.namespace !== undefined) {
      throw new HttpError(
        404,
        'NotFound',
        `the server could not find the requested resource: ${entry.plural} are not namespaced`,
      );
    }
    const call: Call = {
      ctx,
      request,
      response,
      query: url.searchParams,
      user,
      store: store.as(user.username),
      path: { ...resource, entry },
      warnings: [],
    };
    const attributes: ApiRequestAttributes = {
      user,
      verb: verbOf(method, call),
      group: entry.group,
      version: entry.version,
      resource: entry.plural,
      ...(resource.subresource === undefined ? {} : { subresource: resource.subresource }),
      ...(resource.namespace === undefined ? {} : { namespace: resource.namespace }),
      ...(resource.name === undefined ? {} : { name: resource.name }),
    };
    log.labels = {
      verb: attributes.verb,
      group: entry.group,
      version: entry.version,
      resource: entry.plural,
      subresource: resource.subresource ?? '',
    };
    log.longRunning =
      attributes.verb === 'watch' || (resource.subresource === 'log' && url.searchParams.get('follow') === 'true');
    log.target = {
      group: entry.group,
      kind: entry.plural,
      ...(resource.name === undefined ? {} : { name: resource.name }),
    };
    if (!(await allowed(options, attributes)))
      throw new HttpError(403, 'Forbidden', forbiddenMessage(attributes), log.target);
    if (attributes.verb === 'watch' || resource.subresource === 'log') {
      const closed = metrics?.opened(log.labels);
      response.on('close', () => closed?.());
      await route(call, method, watches);
    } else
      await withTimeout(store.clock, requestTimeoutMs(url.searchParams, requestTimeout), route(call, method, watches));
  };

  const discovery = (path: string, request: IncomingMessage, response: ServerResponse, url: URL): boolean => {
    const aggregated =
      (request.headers.accept ?? '').includes('g=apidiscovery.k8s.io') &&
      /v=v2(;|,|$)/.test(request.headers.accept ?? '');
    if (path === '/api' || path === '/apis') {
      if (aggregated)
        sendJson(response, 200, aggregatedDiscovery(catalog, path === '/api', virtual), AGGREGATED_DISCOVERY);
      else sendJson(response, 200, path === '/api' ? apiVersions(url.host) : apiGroupList(catalog, virtual));
      return true;
    }
    const core = /^\/api\/([^/]+)$/.exec(path);
    const named = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
    const group = /^\/apis\/([^/]+)$/.exec(path);
    const body = core
      ? apiResourceList(catalog, '', core[1] ?? '', virtual)
      : named
        ? apiResourceList(catalog, named[1] ?? '', named[2] ?? '', virtual)
        : group
          ? apiGroup(catalog, group[1] ?? '', virtual)
          : undefined;
    if (body === undefined) {
      if (core || named || group)
        throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
      return false;
    }
    sendJson(response, 200, body);
    return true;
  };

  const handler = (request: IncomingMessage, response: ServerResponse) => {
    const started = performance.now();
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`);
    const log: RequestLog = {};
    response.on('finish', () => {
      if (metrics !== undefined && log.labels !== undefined) {
        metrics.finished(
          log.labels,
          response.statusCode,
          log.longRunning ? undefined : (performance.now() - started) / 1000,
        );
      }
      logger.info(
        {
          method: request.method,
          path: url.pathname + url.search,
          status: response.statusCode,
          ms: Math.round((performance.now() - started) * 10) / 10,
          ...(log.user === undefined ? {} : { user: log.user }),
        },
        'request',
      );
    });
    serve(request, response, url, log).catch((error: unknown) => {
      if (!isKeelsonError(error)) logger.error({ err: error, path: url.pathname }, 'request failed');
      sendStatus(response, statusOf(error, log.target));
    });
  };

  return {
    handler,
    async listen(listenOptions = {}) {
      if (server !== undefined) throw new InvalidError('createApiServer: listen was already called');
      const host = listenOptions.host ?? '127.0.0.1';
      const port = listenOptions.port ?? 0;
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new InvalidError(`listen: port must be an integer from 0 to 65535, got ${String(port)}`);
      }
      const { tls } = listenOptions;
      if (tls !== undefined && (typeof tls.key !== 'string' || typeof tls.cert !== 'string')) {
        throw new InvalidError('listen: tls must be { key, cert } in PEM, e.g. from servingCertificate()');
      }
      const created: Server =
        tls === undefined ? createServer(handler) : createTlsServer({ key: tls.key, cert: tls.cert }, handler);
      server = created;
      await new Promise<void>((resolve, reject) => {
        created.once('error', reject);
        created.listen(port, host, () => resolve());
      });
      const address = created.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return { url: `${tls === undefined ? 'http' : 'https'}://${shown}:${address.port}`, port: address.port };
    },
    async close() {
      watches.closeAll();
      crds?.stop();
      const current = server;
      server = undefined;
      if (current === undefined) return;
      await new Promise<void>((resolve) => {
        current.close(() => resolve());
        current.closeAllConnections();
      });
    },
  };
}

interface RequestLog {
  user?: string;
  /** The resource request's labels, for metrics. */
  labels?: RequestLabels;
  longRunning?: boolean;
  target?: { group: string; kind: string; name?: string };
}
