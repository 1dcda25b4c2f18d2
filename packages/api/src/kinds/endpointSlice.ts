/**
 * `discovery.k8s.io/v1` EndpointSlice: the addresses behind a Service, as
 * the endpoint slice controller publishes them and proxies read them.
 */
import { defineResource, type FieldIssue, invalidName, type ResourceOf } from '@keelson/core';
import { z } from 'zod';
import { objectReference, portNumber, protocol } from './primitives';

/** Which kind of address every endpoint of the slice has. */
export const addressTypeSchema = z.enum(['IPv4', 'IPv6', 'FQDN']);

/** Whether an endpoint takes traffic: `ready` (serving and not terminating), `serving`, `terminating`. */
export const endpointConditionsSchema = z.object({
  ready: z.boolean().exactOptional(),
  serving: z.boolean().exactOptional(),
  terminating: z.boolean().exactOptional(),
});

/** One backend: its addresses (usually a pod's IP) and where it runs. */
export const endpointSchema = z.object({
  addresses: z.array(z.string()).min(1, { error: 'must contain at least 1 address' }).max(100),
  conditions: endpointConditionsSchema.prefault({}),
  hostname: z.string().exactOptional(),
  targetRef: objectReference.exactOptional(),
  nodeName: z.string().exactOptional(),
  zone: z.string().exactOptional(),
  hints: z
    .object({
      forZones: z.array(z.object({ name: z.string() })).exactOptional(),
      forNodes: z.array(z.object({ name: z.string() })).exactOptional(),
    })
    .exactOptional(),
});

/** A port every endpoint serves; `name` defaults to `''` and `protocol` to TCP. */
export const endpointPortSchema = z.object({
  name: z.string().default(''),
  protocol: protocol.default('TCP'),
  port: portNumber.exactOptional(),
  appProtocol: z.string().exactOptional(),
});

/** An endpoint slice's top-level fields (it has no spec or status). */
export const endpointSliceFieldsSchema = z.object({
  addressType: addressTypeSchema,
  endpoints: z.array(endpointSchema).max(1000).default([]),
  ports: z.array(endpointPortSchema).max(100).default([]),
});

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function addressProblem(type: z.output<typeof addressTypeSchema>, address: string): string | undefined {
  if (type === 'IPv4') return IPV4.test(address) ? undefined : 'must be a valid IPv4 address';
  if (type === 'IPv6')
    return /^[0-9a-fA-F:.]+$/.test(address) && address.includes(':') ? undefined : 'must be a valid IPv6 address';
  return invalidName(address, 'subdomain');
}

type EndpointSliceFields = z.output<typeof endpointSliceFieldsSchema>;

function sliceIssues(slice: EndpointSliceFields): FieldIssue[] {
  const issues: FieldIssue[] = [];
  slice.endpoints.forEach((endpoint, i) => {
    endpoint.addresses.forEach((address, j) => {
      const problem = addressProblem(slice.addressType, address);
      if (problem) issues.push({ path: `endpoints[${i}].addresses[${j}]`, message: problem });
    });
  });
  slice.ports.forEach((port, i) => {
    const problem = port.name === '' ? undefined : invalidName(port.name, 'label');
    if (problem) issues.push({ path: `ports[${i}].name`, message: problem });
  });
  return issues;
}

/**
 * The EndpointSlice kind. Addresses must be of the slice's `addressType`,
 * which never changes.
 */
export const EndpointSlice = defineResource({
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  namespaced: true,
  root: endpointSliceFieldsSchema,
  strategy: {
    validate: sliceIssues,
    validateUpdate: (old, next) => [
      ...(old.addressType === next.addressType ? [] : [{ path: 'addressType', message: 'field is immutable' }]),
      ...sliceIssues(next),
    ],
  },
});
export type EndpointSlice = ResourceOf<typeof EndpointSlice>;
