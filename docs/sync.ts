import { fileURLToPath } from 'node:url';
import { syncGuides } from './markdownSnippets';

const updated = [
  ...(await syncGuides(fileURLToPath(new URL('.', import.meta.url)))),
  ...(await syncGuides(fileURLToPath(new URL('../examples', import.meta.url)))),
  ...(await syncGuides(fileURLToPath(new URL('../packages', import.meta.url)))),
];
console.log(updated.length === 0 ? 'guides are in sync' : `updated ${updated.join(', ')}`);
