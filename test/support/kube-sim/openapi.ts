/**
 * A minimal OpenAPI v3 surface: the /openapi/v3 index and one document per group-version whose
 * PATCH operations carry `x-kubernetes-group-version-kind` and the `fieldValidation` query
 * parameter. kubectl apply checks exactly this to use server-side field validation instead of
 * downloading the full OpenAPI v2 schema (which the simulator does not serve: 404).
 */
import { createHash } from 'node:crypto';
import type { Catalogue } from './discovery.js';
import { RESOURCES } from './discovery.js';

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function hash(text: string): string {
  return createHash('sha512').update(text).digest('hex').slice(0, 128).toUpperCase();
}

const QUERY = (name: string) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });

export function openapiDocument(catalogue: Catalogue, group: string, version: string): object | undefined {
  if (!catalogue.hasGroupVersion(group, version)) return undefined;
  const paths: Record<string, object> = {};
  for (const r of RESOURCES.filter((x) => x.group === group && x.version === version && !x.createOnly)) {
    const base = `/${gvPath(group, version)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.resource}/{name}`;
    const gvk = { group, version, kind: r.kind };
    const common = { 'x-kubernetes-group-version-kind': gvk, responses: { '200': { description: 'OK' } } };
    paths[base] = {
      get: { ...common, operationId: `read${r.kind}`, 'x-kubernetes-action': 'get', parameters: [] },
      ...(r.verbs.includes('patch')
        ? {
            patch: {
              ...common,
              operationId: `patch${r.kind}`,
              'x-kubernetes-action': 'patch',
              parameters: [QUERY('dryRun'), QUERY('fieldManager'), QUERY('fieldValidation'), { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } }],
              requestBody: { content: { 'application/apply-patch+yaml': { schema: { type: 'object' } }, 'application/json-patch+json': { schema: { type: 'object' } }, 'application/merge-patch+json': { schema: { type: 'object' } }, 'application/strategic-merge-patch+json': { schema: { type: 'object' } } }, required: true },
            },
          }
        : {}),
      parameters: [
        { name: 'name', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } },
        ...(r.namespaced ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }] : []),
      ],
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.4-kube-sim' },
    paths,
    components: { schemas: {} },
  };
}

export function openapiIndex(catalogue: Catalogue): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  const seen = new Set<string>();
  for (const r of RESOURCES) {
    const key = gvPath(r.group, r.version);
    if (seen.has(key) || !catalogue.hasGroupVersion(r.group, r.version)) continue;
    seen.add(key);
    const doc = JSON.stringify(openapiDocument(catalogue, r.group, r.version));
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash(doc)}` };
  }
  return { paths };
}
