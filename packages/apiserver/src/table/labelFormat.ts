import { isObject, listAt, objectAt, stringAt } from './objectFields';

/** apimachinery's `labels.FormatLabels`: `a=1,b=2` sorted by key, `<none>` when empty. */
export function formatLabels(labels: unknown): string {
  const text = labelPairs(labels).join(',');
  return text === '' ? '<none>' : text;
}

function labelPairs(labels: unknown): string[] {
  if (!isObject(labels)) return [];
  return Object.keys(labels)
    .sort()
    .map((key) => `${key}=${String(labels[key])}`);
}

/**
 * A LabelSelector as `metav1.LabelSelectorAsSelector(...).String()` writes it:
 * requirements sorted by key, `key in (a,b)`, `!key`; empty for none.
 */
export function selectorString(selector: unknown): string {
  const requirements: Array<[string, string]> = Object.entries(objectAt(selector, 'matchLabels')).map(
    ([key, value]) => [key, `${key}=${String(value)}`],
  );
  for (const expression of listAt(selector, 'matchExpressions')) {
    const key = stringAt(expression, 'key');
    const values = listAt(expression, 'values').map(String).sort().join(',');
    const text = requirementText(key, stringAt(expression, 'operator'), values);
    requirements.push([key, text]);
  }
  return requirements
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, text]) => text)
    .join(',');
}

function requirementText(key: string, operator: string, values: string): string {
  switch (operator) {
    case 'In':
      return `${key} in (${values})`;
    case 'NotIn':
      return `${key} notin (${values})`;
    case 'Exists':
      return key;
    case 'DoesNotExist':
      return `!${key}`;
    default:
      return `${key} ${operator} (${values})`;
  }
}

/** `metav1.FormatLabelSelector`: the selector string, `<none>` when empty. */
export function formatLabelSelector(selector: unknown): string {
  const text = selectorString(selector);
  return text === '' ? '<none>' : text;
}
