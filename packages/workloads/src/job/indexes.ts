/** An Indexed job's `status.completedIndexes`: sorted indexes written as ranges, `"0-2,5,7-9"`. */

/** The indexes in a `completedIndexes` text (out-of-range and malformed parts are dropped). */
export function parseIndexes(text: string | undefined, completions: number): Set<number> {
  const indexes = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!match) continue;
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    for (let i = first; i <= Math.min(last, completions - 1); i++) indexes.add(i);
  }
  return indexes;
}

/** Indexes as Kubernetes writes them: ascending, consecutive runs as `a-b`. */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
