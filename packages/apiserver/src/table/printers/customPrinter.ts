import { ageOf } from '../humanDuration';
import { evaluateJsonPath } from '../jsonPath';
import { at, type Json } from '../objectFields';
import type { PrintContext, Printer, PrinterColumn, TableColumnDefinition } from '../tableTypes';
import { ageColumn, column, nameColumn } from './columns';

/** NAME and AGE: the columns of a kind without a printer or printer columns. */
export const defaultPrinter: Printer = {
  columns: [nameColumn, ageColumn],
  cells: (object: Json, { now }: PrintContext) => [
    at(object, 'metadata', 'name') ?? '',
    ageOf(at(object, 'metadata', 'creationTimestamp'), now),
  ],
};

const COLUMN_TYPES = new Set(['string', 'integer', 'number', 'boolean', 'date']);

/**
 * A custom kind's printer from its CRD `additionalPrinterColumns`: NAME, then
 * each column (as Kubernetes, AGE only when the CRD lists it; without columns
 * the CRD default is NAME and AGE). A `date` column shows the age of the
 * timestamp; a missing value is `null`, which kubectl prints as `<none>`.
 */
export function customPrinter(printerColumns: readonly PrinterColumn[]): Printer {
  if (printerColumns.length === 0) return defaultPrinter;
  const columns: TableColumnDefinition[] = [
    nameColumn,
    ...printerColumns.map((c) =>
      column(c.name, columnType(c.type), c.description ?? '', { priority: c.priority ?? 0, format: c.format ?? '' }),
    ),
  ];
  return {
    columns,
    cells: (object: Json, { now }: PrintContext) => [
      at(object, 'metadata', 'name') ?? '',
      ...printerColumns.map((c) => cellFor(c, evaluateJsonPath(object, c.jsonPath), now)),
    ],
  };
}

function columnType(type: string): TableColumnDefinition['type'] {
  return COLUMN_TYPES.has(type) ? (type as TableColumnDefinition['type']) : 'string';
}

function cellFor(printerColumn: PrinterColumn, values: unknown[], now: number): unknown {
  const value = values[0];
  if (value === undefined || value === null) return null;
  switch (printerColumn.type) {
    case 'date':
      return typeof value === 'string' ? ageOf(value, now) : null;
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? value : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    default:
      return values.map(printed).join(' ');
  }
}

function printed(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
