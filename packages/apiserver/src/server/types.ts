import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger, MetricsRegistry, ResourceType, Store } from '@keelson/core';
import type { PrinterColumn } from '../table/index';
import type { ResourceNames } from './catalog';

/** Who a request is from, as an authenticator decides. */
export interface UserInfo {
  username: string;
  groups?: readonly string[];
}

/** Decides who sent a request (e.g. from its bearer token); undefined means not authenticated (401). */
export type Authenticator = (request: IncomingMessage) => UserInfo | undefined | Promise<UserInfo | undefined>;

/** What the server asks its authorizer, as Kubernetes' authorization attributes. */
export interface ApiRequestAttributes {
  user: UserInfo;
  /** get, list, watch, create, update, patch, delete, deletecollection. */
  verb: string;
  /** API group ('' for the core group). */
  group: string;
  version: string;
  /** The resource plural (`pods`). */
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** Allows or refuses a request; a refusal is a 403 and leaves no trace. */
export type ApiAuthorizer = (request: ApiRequestAttributes) => boolean | Promise<boolean>;

/**
 * The logger the server reports requests to: `Logger` of `@keelson/core` (pino's interface,
 * fields first), the one every Keelson component takes. `console` does not fit; pino does.
 */
export type ApiLogger = Logger;

/** A request for a container's log (`GET …/pods/{name}/log`). */
export interface PodLogRequest {
  namespace: string;
  pod: string;
  container?: string;
  follow?: boolean;
  previous?: boolean;
  timestamps?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
}

/** Where pod logs come from (e.g. `createTestCluster`'s `podLogs`): text chunks, until the container stops or `signal` aborts when following. */
export type PodLogSource = (request: PodLogRequest, signal: AbortSignal) => AsyncIterable<string>;

/** A pod's latest usage, as a metrics server keeps it (`cluster.metrics.pods()` of @keelson/testing). */
export interface PodUsageSample {
  namespace: string;
  name: string;
  /** When the window ended (ms). */
  timestamp: number;
  windowMs: number;
  /** CPU in millicores, memory (working set) in bytes. */
  containers: readonly { name: string; cpu: number; memory: number }[];
}

/** A node's latest usage. */
export interface NodeUsageSample {
  name: string;
  timestamp: number;
  windowMs: number;
  cpu: number;
  memory: number;
}

/** Where `metrics.k8s.io` (`kubectl top`) reads usage, e.g. `createTestCluster`'s `metrics`. */
export interface ResourceMetricsSource {
  pods(namespace?: string): readonly PodUsageSample[];
  nodes(): readonly NodeUsageSample[];
}

/** What a kind adds to its resource for the API server (CRDs: names, printer columns, schema). */
export interface ResourceExtras {
  names?: ResourceNames;
  printerColumns?: readonly PrinterColumn[];
  /** The kind's JSON schema for OpenAPI (instead of one derived from its zod schemas). */
  schema?: Record<string, unknown>;
}

/** Options of {@link createApiServer}. */
export interface ApiServerOptions {
  /** The store served; requests act as `store.as(user.username)`, so its authorizer applies too. */
  store: Store;
  /** Who a request is from; without one, every request except health and version is a 401 (unless `anonymous`). */
  authenticate?: Authenticator;
  /** Treat unauthenticated requests from loopback as `system:anonymous` (never from other addresses). Default false. */
  anonymous?: boolean;
  /** Allows or refuses each request before it reaches the store (default: allow). */
  authorize?: ApiAuthorizer;
  /** Request logs (binding `component: 'apiserver'`): one `info` per request with method, path, status, ms and user; silent by default. */
  logger?: ApiLogger;
  /** Serves `pods/log`; without it, log requests are a 404 Status saying so. */
  podLogs?: PodLogSource;
  /** Largest request body, in bytes (default: the store's object limit, 1.5 MiB). */
  maxRequestBytes?: number;
  /** Watches one user may hold open at once (default 100); beyond it, a 429 Status. */
  maxWatchesPerUser?: number;
  /**
   * Longest a request other than a watch or a followed log may take, in
   * seconds of the store's clock (default 60, as kube-apiserver's
   * --request-timeout); a request's own `timeout` parameter may shorten it.
   * Beyond it, a 504 Timeout Status.
   */
  requestTimeoutSeconds?: number;
  /**
   * A prom-client registry (`new Registry()` from prom-client): the server
   * counts its requests on it (`keelson_apiserver_request_total`, …) and
   * serves it at `GET /metrics` to authenticated users, as kube-apiserver does.
   * Pass the same registry to `createStore` for the store's metrics.
   */
  metricsRegistry?: MetricsRegistry;
  /** Serves `metrics.k8s.io/v1beta1` (PodMetrics, NodeMetrics) for `kubectl top` from this source. */
  resourceMetrics?: ResourceMetricsSource;
  /** Serve CustomResourceDefinitions (default true). */
  customResources?: boolean;
}

/** A Kubernetes API server over a store. */
export interface ApiServer {
  /** The Node `http` request handler, to mount in an app's own server. */
  readonly handler: (request: IncomingMessage, response: ServerResponse) => void;
  /**
   * Listens on `host:port` (default 127.0.0.1 and any free port) and resolves
   * with the URL; with `tls` (e.g. from `servingCertificate()`), over HTTPS —
   * which kubectl needs to send a bearer token at all.
   */
  listen(options?: {
    port?: number;
    host?: string;
    tls?: { key: string; cert: string };
  }): Promise<{ url: string; port: number }>;
  /** Ends open watches, stops listening and stops serving custom resources. */
  close(): Promise<void>;
}

/** @internal What request handlers share. */
export interface ServerContext {
  readonly store: Store;
  readonly options: ApiServerOptions;
  readonly maxRequestBytes: number;
  extrasOf(type: ResourceType): ResourceExtras | undefined;
}
