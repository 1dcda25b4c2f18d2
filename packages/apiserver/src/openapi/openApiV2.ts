/**
 * A Swagger 2.0 document with no definitions, in the protobuf encoding
 * (gnostic's `openapi_v2.Document`) that kubectl requests from `/openapi/v2`.
 */

/**
 * The Content-Type to answer `/openapi/v2` with, as kube-openapi does. kubectl
 * asks for `application/com.github.proto-openapi.spec.v2@v1.0+protobuf`, but
 * Go's mime parser refuses the `@` in a response ("unexpected content after
 * media subtype"), so Kubernetes answers with this spelling.
 */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

function field(number: number, bytes: Uint8Array): Uint8Array {
  if (bytes.length > 127) throw new RangeError('openapi v2: field too long for a one-byte length');
  return Uint8Array.from([(number << 3) | 2, bytes.length, ...bytes]);
}

function text(value: string): Uint8Array {
  return new TextEncoder().encode(value);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

/**
 * The body of `GET /openapi/v2`: `{ swagger: "2.0", info: { title, version } }`,
 * no paths and no definitions.
 *
 * kubectl 1.32 still reads v2 where v3 cannot answer: to validate a manifest
 * of kind `List` (whose items it then sends with `fieldValidation=Strict`, so
 * the server validates them), and as its fallback when a group-version has
 * no v3 document. A 404 there fails `kubectl apply -f` of such a List with
 * "error validating data: the server could not find the requested resource";
 * with this empty document kubectl finds no schema for the item and leaves
 * its validation to the server, as the v3 path does.
 */
export function openApiV2Document(): Uint8Array {
  const info = concat(field(1, text('Kubernetes')), field(2, text('unversioned')));
  return concat(field(1, text('2.0')), field(2, info));
}
