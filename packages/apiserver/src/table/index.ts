/** Table output (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`) as `kubectl get` shows it. */
export {};
