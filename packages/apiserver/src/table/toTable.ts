import type { KubeObject } from '@keelson/core';
import { printerFor } from './printerRegistry';
import type { PartialObjectMetadata, Table, TableOptions, TableRow } from './tableTypes';

/**
 * Renders objects of one kind as the `meta.k8s.io/v1` Table that `kubectl get`
 * asks for, with the columns and cells of Kubernetes' printers for built-in
 * kinds, of `printerColumns` (CRD `additionalPrinterColumns`) for custom kinds,
 * and NAME / AGE otherwise. Rows carry the object's metadata by default.
 *
 * @example
 * ```ts
 * const table = toTable(pods, { apiVersion: 'v1', kind: 'Pod', now: clock.now(), resourceVersion: list.resourceVersion });
 * table.rows[0]?.cells; // ['web-0', '1/1', 'Running', '0', '5m', '10.0.0.7', 'node-1', '<none>', '<none>']
 * ```
 */
export function toTable(objects: readonly KubeObject[], options: TableOptions): Table {
  const printer = printerFor(options.apiVersion, options.kind, options.printerColumns);
  const wide = options.wide ?? true;
  const keep = printer.columns.map((c) => wide || c.priority === 0);
  const context = { now: options.now, wide };
  const rows = objects.map((object): TableRow => {
    const json = object as unknown as Record<string, unknown>;
    const row: TableRow = { cells: printer.cells(json, context).filter((_, i) => keep[i] === true) };
    const conditions = printer.conditions?.(json);
    if (conditions) row.conditions = conditions;
    const carried = carriedObject(object, options.includeObject ?? 'Metadata');
    if (carried) row.object = carried;
    return row;
  });
  const metadata: Table['metadata'] = {};
  if (options.resourceVersion !== undefined) metadata.resourceVersion = options.resourceVersion;
  if (options.continue !== undefined && options.continue !== '') metadata.continue = options.continue;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: printer.columns.filter((_, i) => keep[i] === true),
    rows,
  };
}

function carriedObject(
  object: KubeObject,
  includeObject: NonNullable<TableOptions['includeObject']>,
): PartialObjectMetadata | KubeObject | undefined {
  if (includeObject === 'None') return undefined;
  if (includeObject === 'Object') return object;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}
