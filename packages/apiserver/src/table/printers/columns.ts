import type { TableColumnDefinition } from '../tableTypes';

/** A column definition; descriptions follow the Kubernetes API field docs they come from. */
export function column(
  name: string,
  type: TableColumnDefinition['type'],
  description: string,
  more: { priority?: number; format?: string } = {},
): TableColumnDefinition {
  return { name, type, format: more.format ?? '', description, priority: more.priority ?? 0 };
}

export const nameColumn = column(
  'Name',
  'string',
  'Name must be unique within a namespace. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  { format: 'name' },
);

export const ageColumn = column(
  'Age',
  'string',
  'CreationTimestamp is a timestamp representing the server time when this object was created. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
);

export const containersColumn = column('Containers', 'string', 'Names of each container in the template.', {
  priority: 1,
});
export const imagesColumn = column('Images', 'string', 'Images referenced by each container in the template.', {
  priority: 1,
});
export const selectorColumn = column('Selector', 'string', 'A label query over pods.', { priority: 1 });
