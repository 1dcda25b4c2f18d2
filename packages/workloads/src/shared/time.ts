/** RFC 3339 at second precision, as Kubernetes writes `metav1.Time`. */
export { formatTime } from '@keelson/core';
