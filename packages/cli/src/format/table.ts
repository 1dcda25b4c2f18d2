/** Plain-text tables and sizes, as kubectl prints them: upper-case headers, columns padded with spaces. */

/** A column's header and whether its cells line up on the right (numbers). */
export interface Column {
  header: string;
  align?: 'left' | 'right';
}

/** Lays `rows` out under `columns`, three spaces between columns, no trailing spaces. */
export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string[] {
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    columns
      .map((column, i) => {
        const cell = cells[i] ?? '';
        const width = widths[i] ?? 0;
        return column.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('   ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)];
}

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB'];

/** `bytes` in binary units with one decimal (`4.2 KiB`); plain bytes below 1 KiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** `label value` lines with the values lined up. */
export function formatFields(fields: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...fields.map(([label]) => label.length));
  return fields.map(([label, value]) => `${label.padEnd(width)}   ${value}`);
}
