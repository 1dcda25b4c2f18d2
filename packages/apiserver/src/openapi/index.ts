/**
 * OpenAPI v3 documents of the served kinds, in the shape kubectl 1.32 and
 * client generators expect from a Kubernetes API server.
 */

export type { OpenApi, OpenApiOptions } from './createOpenApi';
export { createOpenApi } from './createOpenApi';
export type { CreateOnlyKind } from './documents';
export { documentPath, schemaName } from './names';
export { OPENAPI_V2_PROTOBUF, openApiV2Document } from './openApiV2';
