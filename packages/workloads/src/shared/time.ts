/** RFC 3339 at second precision, as Kubernetes writes `metav1.Time`. */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
