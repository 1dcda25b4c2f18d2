import type { KubeObject } from '@keelson/core';

/** One column of a `meta.k8s.io/v1` Table; `priority` > 0 columns show only with `kubectl get -o wide`. */
export interface TableColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
}

/** A condition of a row; Kubernetes marks finished pods `Completed`. */
export interface TableRowCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

/** `{ kind: 'PartialObjectMetadata' }`: what a row carries by default (`includeObject=Metadata`). */
export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: 'meta.k8s.io/v1';
  metadata: KubeObject['metadata'];
}

export interface TableRow {
  cells: unknown[];
  conditions?: TableRowCondition[];
  object?: PartialObjectMetadata | KubeObject;
}

/** A `meta.k8s.io/v1` Table, what `kubectl get` asks for with `Accept: …;as=Table;v=v1;g=meta.k8s.io`. */
export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

/** A CustomResourceDefinition's `additionalPrinterColumns` entry. */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  priority?: number;
  format?: string;
}

export interface TableOptions {
  /** The kind's `apiVersion` (e.g. `apps/v1`) and `kind`, which choose the printer. */
  apiVersion: string;
  kind: string;
  /** The current time in ms, for AGE and other durations. */
  now: number;
  /**
   * Include the priority > 0 columns (default true). A Kubernetes API server always
   * does; kubectl hides them unless `-o wide`.
   */
  wide?: boolean;
  /** What each row carries as `object` (default `Metadata`): the query's `includeObject`. */
  includeObject?: 'None' | 'Metadata' | 'Object';
  /** A custom kind's columns (CRD `additionalPrinterColumns`); ignored for built-in kinds. */
  printerColumns?: readonly PrinterColumn[];
  resourceVersion?: string;
  continue?: string;
}

/** What a printer knows when it prints a row. */
export interface PrintContext {
  now: number;
  /** Whether the table includes the wide columns; long load-balancer lists are clipped without. */
  wide: boolean;
}

/** The columns of one kind and how to fill them from an object (every column, in order). */
export interface Printer {
  columns: readonly TableColumnDefinition[];
  cells(object: Record<string, unknown>, context: PrintContext): unknown[];
  conditions?(object: Record<string, unknown>): TableRowCondition[] | undefined;
}
