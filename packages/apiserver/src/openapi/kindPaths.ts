/**
 * The path items of one kind, as Kubernetes names them and declares their
 * operations: collection, object, `/status` and `/scale`, and the list
 * across namespaces.
 */
import type { GroupVersionKind } from './kindSchemas';
import { SCALE_SCHEMA_NAME } from './metaSchemas';
import { META, operationStem, ref, schemaName, tagOf } from './names';
import { LIST_QUERY, type ParameterName, parameters } from './parameters';

type PathItem = Record<string, unknown>;

/** What paths a kind gets. */
export interface KindPathOptions {
  readonly plural: string;
  readonly namespaced: boolean;
  /** Serve `/status` (get, put, patch). */
  readonly status: boolean;
  /** Serve `/scale` with an autoscaling/v1 Scale. */
  readonly scale: boolean;
  /** List `application/strategic-merge-patch+json` among PATCH's content types. */
  readonly strategicMerge: boolean;
  /** Only POST on the collection (review kinds such as SelfSubjectAccessReview). */
  readonly createOnly?: boolean;
}

const json = (name: string): Record<string, unknown> => ({ 'application/json': { schema: ref(name) } });

function responses(codes: readonly number[], name: string, extra: Record<string, unknown> = {}): PathItem {
  const out: PathItem = {};
  const text: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted' };
  for (const code of codes)
    out[String(code)] = { description: text[code] ?? 'OK', content: { ...json(name), ...extra } };
  out['401'] = { description: 'Unauthorized' };
  return out;
}

const PATCH_TYPES = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json'];
const STRATEGIC = 'application/strategic-merge-patch+json';

/** The body of PATCH: every patch type the server accepts for the kind. */
function patchBody(strategicMerge: boolean): PathItem {
  const types = strategicMerge ? [...PATCH_TYPES, STRATEGIC] : PATCH_TYPES;
  return {
    content: Object.fromEntries(types.map((t) => [t, { schema: ref(`${META}.Patch`) }])),
    required: true,
  };
}

interface Operation {
  readonly id: string;
  readonly action: string;
  readonly description: string;
  readonly query: readonly ParameterName[];
  readonly body?: PathItem;
  readonly responses: PathItem;
  readonly gvk: GroupVersionKind;
}

function operation(op: Operation, tag: string): PathItem {
  return {
    tags: [tag],
    description: op.description,
    operationId: op.id,
    ...(op.query.length > 0 ? { parameters: parameters(...op.query) } : {}),
    ...(op.body ? { requestBody: op.body } : {}),
    responses: op.responses,
    'x-kubernetes-action': op.action,
    'x-kubernetes-group-version-kind': { group: op.gvk.group, kind: op.gvk.kind, version: op.gvk.version },
  };
}

/** Every path a kind serves, keyed by path, in the order Kubernetes lists them. */
export function kindPaths(gvk: GroupVersionKind, options: KindPathOptions): Record<string, PathItem> {
  const { group, version, kind } = gvk;
  const base = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
  const scope = options.namespaced ? 'Namespaced' : '';
  const collection = options.namespaced
    ? `${base}/namespaces/{namespace}/${options.plural}`
    : `${base}/${options.plural}`;
  const item = `${collection}/{name}`;
  const stem = operationStem(group, version);
  const tag = tagOf(group, version);
  const own = schemaName(group, version, kind);
  const list = `${own}List`;
  const status = `${META}.Status`;
  const deleteBody: PathItem = { content: { '*/*': { schema: ref(`${META}.DeleteOptions`) } } };
  const objectBody: PathItem = { content: { '*/*': { schema: ref(own) } }, required: true };
  const write: ParameterName[] = ['dryRun', 'fieldManager', 'fieldValidation'];
  const ns: ParameterName[] = options.namespaced ? ['namespace'] : [];
  const at = (...names: ParameterName[]) => parameters(...names);
  const paths: Record<string, PathItem> = {};

  const post = operation(
    {
      id: `create${stem}${scope}${kind}`,
      action: 'post',
      description: `create a ${kind}`,
      query: write,
      body: objectBody,
      responses: responses([200, 201, 202], own),
      gvk,
    },
    tag,
  );
  if (options.createOnly) {
    paths[collection] = { post, parameters: at(...ns, 'pretty') };
    return paths;
  }

  paths[collection] = {
    get: operation(
      {
        id: `list${stem}${scope}${kind}`,
        action: 'list',
        description: `list or watch objects of kind ${kind}`,
        query: LIST_QUERY,
        responses: responses([200], list, { 'application/json;stream=watch': { schema: ref(list) } }),
        gvk,
      },
      tag,
    ),
    post,
    delete: operation(
      {
        id: `delete${stem}Collection${scope}${kind}`,
        action: 'deletecollection',
        description: `delete collection of ${kind}`,
        query: ['continue', 'dryRun', 'fieldSelector', 'gracePeriodSeconds', 'labelSelector', 'limit']
          .concat(['orphanDependents', 'propagationPolicy', 'resourceVersion', 'resourceVersionMatch'])
          .concat(['sendInitialEvents', 'timeoutSeconds']) as ParameterName[],
        body: deleteBody,
        responses: responses([200], status),
        gvk,
      },
      tag,
    ),
    parameters: at(...ns, 'pretty'),
  };

  const readReplacePatch = (suffix: string, name: string, target: GroupVersionKind, what: string) => ({
    get: operation(
      {
        id: `read${stem}${scope}${kind}${suffix}`,
        action: 'get',
        description: `read ${what}`,
        query: [],
        responses: responses([200], name),
        gvk: target,
      },
      tag,
    ),
    put: operation(
      {
        id: `replace${stem}${scope}${kind}${suffix}`,
        action: 'put',
        description: `replace ${what}`,
        query: write,
        body: { content: { '*/*': { schema: ref(name) } }, required: true },
        responses: responses([200, 201], name),
        gvk: target,
      },
      tag,
    ),
    patch: operation(
      {
        id: `patch${stem}${scope}${kind}${suffix}`,
        action: 'patch',
        description: `partially update ${what}`,
        query: [...write, 'force'],
        body: patchBody(options.strategicMerge && suffix !== 'Scale'),
        responses: responses([200, 201], name),
        gvk: target,
      },
      tag,
    ),
  });

  const { get, put, patch } = readReplacePatch('', own, gvk, `the specified ${kind}`);
  paths[item] = {
    get,
    put,
    delete: operation(
      {
        id: `delete${stem}${scope}${kind}`,
        action: 'delete',
        description: `delete a ${kind}`,
        query: ['dryRun', 'gracePeriodSeconds', 'orphanDependents', 'propagationPolicy'],
        body: deleteBody,
        responses: responses([200, 202], status),
        gvk,
      },
      tag,
    ),
    patch,
    parameters: at('name', ...ns, 'pretty'),
  };
  if (options.status) {
    paths[`${item}/status`] = {
      ...readReplacePatch('Status', own, gvk, `status of the specified ${kind}`),
      parameters: at('name', ...ns, 'pretty'),
    };
  }
  if (options.scale) {
    const scaleGvk = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
    paths[`${item}/scale`] = {
      ...readReplacePatch('Scale', SCALE_SCHEMA_NAME, scaleGvk, `scale of the specified ${kind}`),
      parameters: at('name', ...ns, 'pretty'),
    };
  }
  if (options.namespaced) {
    paths[`${base}/${options.plural}`] = {
      get: operation(
        {
          id: `list${stem}${kind}ForAllNamespaces`,
          action: 'list',
          description: `list or watch objects of kind ${kind}`,
          query: [],
          responses: responses([200], list, { 'application/json;stream=watch': { schema: ref(list) } }),
          gvk,
        },
        tag,
      ),
      parameters: at(...LIST_QUERY, 'pretty'),
    };
  }
  return paths;
}
