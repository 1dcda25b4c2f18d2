import { describe, expect, it } from 'vitest';
import { formatPatch, valueAtPointer } from '../log/formatPatch';
import { formatBytes, formatTable } from './table';

describe('formatPatch', () => {
  const before = { spec: { replicas: 3, 'a/b~c': 'x', list: [1, 2, 3] }, metadata: { labels: { tier: 'web' } } };

  it('prints each operation on one line with the old value read from the previous version', () => {
    expect(
      formatPatch(
        [
          { op: 'replace', path: '/spec/replicas', value: 5 },
          { op: 'add', path: '/spec/paused', value: true },
          { op: 'remove', path: '/metadata/labels/tier' },
          { op: 'remove', path: '/spec/list/2' },
          { op: 'replace', path: '/spec/a~1b~0c', value: 'y' },
        ],
        before,
      ),
    ).toEqual([
      'replace /spec/replicas: 3 → 5',
      'add /spec/paused: true',
      'remove /metadata/labels/tier (was "web")',
      'remove /spec/list/2 (was 3)',
      'replace /spec/a~1b~0c: "x" → "y"',
    ]);
  });

  it('names a root replace and shortens long values to one line', () => {
    const [line] = formatPatch([{ op: 'replace', path: '', value: { data: 'x'.repeat(500) } }], null);
    expect(line).toMatch(/^replace \(whole object\): null → \{"data":"x+…$/);
    expect(line?.length).toBeLessThan(140);
  });

  it('reads JSON pointers with escapes, and nothing for a path that is not there', () => {
    expect(valueAtPointer(before, '/spec/a~1b~0c')).toBe('x');
    expect(valueAtPointer(before, '/spec/list/1')).toBe(2);
    expect(valueAtPointer(before, '/spec/missing/deeper')).toBeUndefined();
    expect(valueAtPointer(before, '/spec/toString')).toBeUndefined();
  });
});

describe('formatTable and formatBytes', () => {
  it('pads columns, right-aligns numbers and leaves no trailing spaces', () => {
    const lines = formatTable(
      [{ header: 'TYPE' }, { header: 'COUNT', align: 'right' }, { header: 'NOTE' }],
      [
        ['apps/deployments', '12', ''],
        ['core/pods', '3', 'x'],
      ],
    );
    expect(lines).toEqual([
      'TYPE               COUNT   NOTE',
      'apps/deployments      12',
      'core/pods              3   x',
    ]);
  });

  it('prints sizes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MiB');
  });
});
