export { tokenAuthenticator } from './auth';
export { createApiServer } from './createApiServer';
export { SERVER_VERSION } from './publicPaths';
export type { Status, StatusDetails } from './status';
export type { ServingCertificate } from './tls';
export { servingCertificate } from './tls';
export type {
  ApiAuthorizer,
  ApiLogger,
  ApiRequestAttributes,
  ApiServer,
  ApiServerOptions,
  Authenticator,
  NodeUsageSample,
  PodLogRequest,
  PodLogSource,
  PodUsageSample,
  ResourceMetricsSource,
  UserInfo,
} from './types';
