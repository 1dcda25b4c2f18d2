import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * A guide shows code between a marker and a fenced block:
 *
 *   <!-- snippet: snippets/eventlog.ts#append -->
 *   ```ts
 *   …the lines between `// #region append` and `// #endregion` in that file…
 *   ```
 *
 * so every snippet is a real file that is type-checked and tested.
 */
const MARKER = /<!-- snippet: ([\w./-]+)#([\w-]+) -->\n```ts\n([\s\S]*?)```/g;

function region(source: string, file: string, name: string): string {
  const lines = source.split('\n');
  const start = lines.findIndex((line) => line.trim() === `// #region ${name}`);
  const end = lines.findIndex((line, i) => i > start && line.trim() === '// #endregion');
  if (start < 0 || end < 0) throw new Error(`${file} has no region "${name}"`);
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return `${body.map((l) => l.slice(indent)).join('\n')}\n`;
}

/** Markdown files under `dir`, not descending into node_modules. */
async function markdownFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await markdownFiles(path)));
    else if (entry.name.endsWith('.md')) out.push(path);
  }
  return out.sort();
}

/** Each guide whose snippets differ from their source regions, with the text they should have. */
export async function staleGuides(docsDir: string): Promise<Array<{ file: string; expected: string }>> {
  const stale: Array<{ file: string; expected: string }> = [];
  for (const file of await markdownFiles(docsDir)) {
    const text = await readFile(file, 'utf8');
    const sources = new Map<string, string>();
    let expected = text;
    for (const match of text.matchAll(MARKER)) {
      const [whole, path, regionName] = match as unknown as [string, string, string, string];
      const source = sources.get(path) ?? (await readFile(join(dirname(file), path), 'utf8'));
      sources.set(path, source);
      const fresh = `<!-- snippet: ${path}#${regionName} -->\n\`\`\`ts\n${region(source, path, regionName)}\`\`\``;
      expected = expected.replace(whole, fresh);
    }
    if (expected !== text) stale.push({ file, expected });
  }
  return stale;
}

/** Rewrites stale guides in place. */
export async function syncGuides(docsDir: string): Promise<string[]> {
  const stale = await staleGuides(docsDir);
  for (const { file, expected } of stale) await writeFile(file, expected);
  return stale.map((s) => s.file);
}
