export { tokenAuthenticator } from './auth';
export { createApiServer, SERVER_VERSION } from './createApiServer';
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
  PodLogRequest,
  PodLogSource,
  UserInfo,
} from './types';
