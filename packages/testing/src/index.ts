export * from './cluster/index';
export * from './load/index';
export type { ManifestInput, ManifestObject, TypedObject } from './manifests';
export { lookupType, typedObjects } from './manifests';
export * from './replay/index';
export * from './spec/index';
