/**
 * Kubernetes `metav1.Time` text for the node lifecycle controller's writes
 * (taints' `timeAdded`, condition transition times), and its parsing.
 * Internal: not exported from the package.
 */

/** `2026-01-01T00:00:05Z`: RFC 3339 at second precision, as Kubernetes serialises `metav1.Time`. */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Milliseconds since the epoch, or `undefined` for a missing or unparsable timestamp. */
export function parseTime(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
