/**
 * PrioritySort, the default QueueSort: higher `spec.priority` first, then
 * the pod queued earlier.
 */
import type { PluginFactory } from '../framework/types';
import { rejectArgs } from './args';

export const PRIORITY_SORT = 'PrioritySort';

export const prioritySort: PluginFactory = (args) => {
  rejectArgs(PRIORITY_SORT, args);
  return {
    name: PRIORITY_SORT,
    less(a, b) {
      const pa = a.podInfo.priority;
      const pb = b.podInfo.priority;
      return pa > pb || (pa === pb && a.timestamp < b.timestamp);
    },
  };
};
