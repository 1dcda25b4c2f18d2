/** Service → EndpointSlice: the controller and the pure pieces it is made of. */
export type { EndpointSliceControllerOptions } from './endpointSliceController';
export { endpointSliceController } from './endpointSliceController';
export type { EndpointGroup, NewEndpointSlice, SlicePlan, SlicePlanInput } from './planEndpointSlices';
export { DEFAULT_MAX_ENDPOINTS_PER_SLICE, planEndpointSlices } from './planEndpointSlices';
export type { AddressType, Endpoint, EndpointPort } from './podEndpoints';
export {
  endpointKey,
  endpointPortsFor,
  findPodPort,
  podToEndpoint,
  portSetKey,
  shouldPodBeInEndpoints,
  ZONE_LABEL,
} from './podEndpoints';
export {
  ENDPOINTSLICE_CONTROLLER_NAME,
  HEADLESS_LABEL,
  MANAGED_BY_LABEL,
  SERVICE_NAME_LABEL,
} from './sliceLabels';
