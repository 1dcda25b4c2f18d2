/**
 * What the strategic merge patch and server-side apply need to know of a kind's
 * shape: per field, how its lists merge. It mirrors the struct tags of
 * Kubernetes' Go types — `patchStrategy` / `patchMergeKey` for strategic merge
 * patch and `+listType` / `+listMapKey` for server-side apply.
 */
export interface MergeSchema {
  /** The schema of each named field of an object. */
  readonly fields?: Readonly<Record<string, MergeSchema>>;
  /** The schema of each item of a list. */
  readonly items?: MergeSchema;
  /**
   * Strategic merge patch: `merge` merges a list (by `patchMergeKey`, or as a
   * set of primitives without one); `replace` replaces a map as a whole;
   * `retainKeys` honours `$retainKeys`. A list without `merge` is replaced.
   */
  readonly patchStrategy?: 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys';
  /** Strategic merge patch: the field that identifies an item of a merged list. */
  readonly patchMergeKey?: string;
  /** Server-side apply: `map` (items keyed by `listMapKeys`), `set` (primitive items) or `atomic` (the default). */
  readonly listType?: 'atomic' | 'set' | 'map';
  /** Server-side apply: the fields that together identify an item of a `map` list. */
  readonly listMapKeys?: readonly string[];
  /** Values a list-map key takes when an item leaves it out (Kubernetes defaults `protocol` to `TCP`). */
  readonly listMapKeyDefaults?: Readonly<Record<string, unknown>>;
}

/** The schema of field `name` of an object schema, if any. */
export function fieldSchema(schema: MergeSchema | undefined, name: string): MergeSchema | undefined {
  return schema?.fields?.[name];
}

export function mergesList(schema: MergeSchema | undefined): boolean {
  return schema?.patchStrategy === 'merge' || schema?.patchStrategy === 'merge,retainKeys';
}
