/**
 * DefaultBinder: binds the pod through `bindPod`, as Kubernetes' default
 * binder posts a `pods/binding`. Without a store (policy unit tests) there
 * is nothing to bind to, and the binder reports an error.
 */
import { bindPod } from '@keelson/api';
import { errorStatus } from '../framework/status';
import type { PluginFactory } from '../framework/types';
import { rejectArgs } from './args';

export const DEFAULT_BINDER = 'DefaultBinder';

export const defaultBinder: PluginFactory = (args, handle) => {
  rejectArgs(DEFAULT_BINDER, args);
  return {
    name: DEFAULT_BINDER,
    async bind(_state, pod, nodeName) {
      const store = handle.store;
      if (store === undefined) return errorStatus(new Error('DefaultBinder: no store to bind through'));
      await bindPod(store, pod.pod, nodeName);
      return undefined;
    },
  };
};
