import type { IncomingMessage } from 'node:http';
import { allowed } from './auth';
import { parseBody, readBody } from './http';
import { decodeAccessReview, isProtobuf } from './protobuf';
import { HttpError } from './status';
import type { ApiServerOptions, UserInfo } from './types';

const attributes = (names: readonly string[]) => ({
  type: 'object',
  properties: Object.fromEntries(names.map((name) => [name, { type: 'string' }])),
});

/** SelfSubjectAccessReview's schema, for the OpenAPI document of authorization.k8s.io/v1. */
export const SELF_SUBJECT_ACCESS_REVIEW = {
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectAccessReview',
  plural: 'selfsubjectaccessreviews',
  namespaced: false,
  schema: {
    type: 'object',
    required: ['spec'],
    properties: {
      spec: {
        type: 'object',
        properties: {
          resourceAttributes: attributes(['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name']),
          nonResourceAttributes: attributes(['path', 'verb']),
        },
      },
      status: {
        type: 'object',
        properties: {
          allowed: { type: 'boolean' },
          denied: { type: 'boolean' },
          reason: { type: 'string' },
          evaluationError: { type: 'string' },
        },
      },
    },
  },
} as const;

/** `POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews` (`kubectl auth can-i`): asks the authorizer about the caller. */
export async function selfSubjectAccessReview(
  options: ApiServerOptions,
  request: IncomingMessage,
  user: UserInfo,
  limit: number,
): Promise<object> {
  const raw = await readBody(request, limit);
  const body = (isProtobuf(raw) ? decodeAccessReview(raw) : parseBody(raw, request.headers['content-type'])) as {
    spec?: { resourceAttributes?: Record<string, string>; nonResourceAttributes?: { path?: string; verb?: string } };
  };
  const spec = body?.spec;
  const resource = spec?.resourceAttributes;
  if (resource === undefined && spec?.nonResourceAttributes === undefined) {
    throw new HttpError(
      422,
      'Invalid',
      'SelfSubjectAccessReview is invalid: spec: Invalid value: exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
  }
  let verdict = true;
  if (resource !== undefined) {
    verdict = await allowed(options, {
      user,
      verb: resource.verb ?? '',
      group: resource.group ?? '',
      version: resource.version ?? '',
      resource: resource.resource ?? '',
      ...(resource.subresource ? { subresource: resource.subresource } : {}),
      ...(resource.namespace ? { namespace: resource.namespace } : {}),
      ...(resource.name ? { name: resource.name } : {}),
    });
  }
  return {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    metadata: {},
    spec,
    status: { allowed: verdict },
  };
}
