export type { FieldIssue, StatusCause, TooManyRequestsDetails } from './errors/index';
export {
  AlreadyExistsError,
  ConflictError,
  ExpiredError,
  ForbiddenError,
  InvalidError,
  isKeelsonError,
  KeelsonError,
  NotFoundError,
  TimeoutError,
  TooManyRequestsError,
  ValidationError,
} from './errors/index';
export type { JsonPatchOperation } from './history/jsonPatch';
export { applyJsonPatch, diffJson } from './history/jsonPatch';
export { MAX_OBJECT_BYTES } from './objects/inspectInput';
export * from './observability/index';
export type {
  FieldDefinition,
  InputOf,
  KubeObject,
  ResourceDefinition,
  ResourceInput,
  ResourceObject,
  ResourceOf,
  ResourceType,
  ScaleSubresource,
  Strategy,
  StrategyContext,
} from './resource/defineResource';
export { defineResource } from './resource/defineResource';
export type { ManagedFieldsEntry, NameRule, ObjectMeta, ObjectMetaInput, OwnerReference } from './resource/objectMeta';
export { invalidName } from './resource/objectMeta';
export { reuseOutputs } from './resource/reuseOutputs';
export * from './selectors/index';
export type { StoreOptions } from './store/createStore';
export { createStore } from './store/createStore';
export { formatTime } from './store/keys';
export type { ObjectOf } from './store/Store';
export { BOOKMARK_INTERVAL_MS, Store, StoreView } from './store/Store';
export type { StoreLogger } from './store/StoreCore';
export { FUTURE_VERSION_WAIT_MS } from './store/StoreCore';
export type { Scale, ScaleUpdate } from './store/scale';
export { scaleOf } from './store/scale';
export { BOOTSTRAP_NAMESPACES, createSystemNamespaces } from './store/systemNamespaces';
export type {
  AdmissionPlugin,
  AdmissionRequest,
  Authorizer,
  CreateOptions,
  DeleteOptions,
  GetOptions,
  HistoryEntry,
  ListOptions,
  ListResult,
  PatchOptions,
  PropagationPolicy,
  RequestAttributes,
  StoreReader,
  WatchEvent,
  WatchOptions,
  WriteOptions,
} from './store/types';
export type { ValidatedObject } from './store/validateObject';
export { validateObject } from './store/validateObject';
