import { readFile, stat } from 'node:fs/promises';
import { DeployError, type ErrorCode } from '../core/errors.js';
import { createRedactor, type Redactor } from '../core/redact.js';
import { readTextIfExists } from '../system/atomic-file.js';
import { callRegion, isObject, type RegionResponse } from './api-call.js';
import { endpointsFor, sealosContext, type SealosOptions } from './context.js';
import { readAuthFile } from './home-files.js';
import { kubeconfigFacts } from './kubeconfig-facts.js';
import { parseRegion, type Region } from './region.js';

export const TEMPLATE_RAW_PATH = '/api/v2alpha/templates/raw';

export interface TemplateResource {
  name: string;
  uid: string;
  resourceType: string;
  quota?: { cpu?: number; memory?: number; storage?: number; replicas?: number };
}

interface Base {
  region: string;
  endpoint: string;
  args_supplied: number;
}

export interface TemplatePlanned extends Base {
  outcome: 'planned';
  /** The name the server rendered for this dry run; the real create renders app_name again. */
  preview_name: string;
  resources: TemplateResource[];
}

export interface TemplateCreated extends Base {
  outcome: 'created';
  /** Authoritative: the Instance the server created (its own random() render of app_name). */
  instance_name: string;
  uid: string;
  created_at: string;
  /** The dry-run preview name, kept apart from the real one. */
  preview_name: string | null;
  resources: TemplateResource[];
}

/** The region lacks the Template API (404) or it is down (503): the caller applies directly instead. */
export interface TemplateFallback extends Base {
  outcome: 'fallback';
  fallback: 'direct-apply';
  reason: string;
  status: number;
}

export type DeliverTemplateResult = TemplatePlanned | TemplateCreated | TemplateFallback;

export interface DeliverTemplateOptions extends SealosOptions {
  /** The template YAML (Template CR first). */
  yaml: string;
  /** Template inputs. Travel only in the request body; never logged, never echoed back. */
  args?: Record<string, string>;
  /** `plan` runs the dry run only; `apply` runs the dry run, then creates. Default `plan`. */
  mode?: 'plan' | 'apply';
  /** Default: the login's region for ~/.sealos/kubeconfig; the kubeconfig server's host for a supplied kubeconfig. */
  region?: string;
  /** Default: ~/.sealos/kubeconfig. */
  kubeconfigYaml?: string;
  extraLabels?: Record<string, string>;
}

function toResources(v: unknown): TemplateResource[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObject).map((r) => {
    const out: TemplateResource = {
      name: typeof r.name === 'string' ? r.name : '',
      uid: typeof r.uid === 'string' ? r.uid : '',
      resourceType: typeof r.resourceType === 'string' ? r.resourceType : typeof r.kind === 'string' ? r.kind.toLowerCase() : '',
    };
    if (isObject(r.quota)) {
      const q: NonNullable<TemplateResource['quota']> = {};
      for (const k of ['cpu', 'memory', 'storage', 'replicas'] as const) if (typeof r.quota[k] === 'number') q[k] = r.quota[k] as number;
      out.quota = q;
    }
    return out;
  });
}

function apiError(res: RegionResponse, redactor: Redactor): { code: string; message: string; details: string } {
  const err = isObject(res.json) && isObject(res.json.error) ? res.json.error : {};
  const details = typeof err.details === 'string' ? err.details : Array.isArray(err.details) ? err.details.map((d) => (isObject(d) ? `${String(d.field)}: ${String(d.message)}` : '')).join('; ') : '';
  return {
    code: typeof err.code === 'string' ? err.code : '',
    message: redactor.redact(typeof err.message === 'string' ? err.message : `HTTP ${res.status}`).slice(0, 300),
    details: redactor.redact(details).slice(0, 500),
  };
}

/** Every documented status → a coded error with the next step (Sealos plugin table, plus 5xx). */
export function templateApiError(res: RegionResponse, redactor: Redactor = createRedactor()): DeployError {
  const e = apiError(res, redactor);
  const text = `${e.message}${e.details ? ` (${e.details})` : ''}`;
  const details = { status: res.status, api_code: e.code || null };
  const make = (code: ErrorCode, message: string, next: string) => new DeployError(code, message, next, details);
  const quota = /exceeded quota|quota exceeded/i.test(text);
  switch (res.status) {
    case 400:
      return make('TEMPLATE_INVALID', `The Template API rejected the template (${e.code || 'INVALID_PARAMETER'}): ${text}`, 'Fix the template (first document must be kind: Template with spec.defaults.app_name) or the args, re-render and retry.');
    case 401:
      return make('AUTH_EXPIRED', `The Template API did not accept the kubeconfig (${e.code || 'AUTHENTICATION_REQUIRED'}).`, 'Run `sealos-deploy login` (or `sealos-deploy workspace switch <id>`) to refresh ~/.sealos/kubeconfig, then retry.');
    case 403:
      if (e.code === 'INSUFFICIENT_BALANCE' || /balance/i.test(text)) return make('NAMESPACE_FORBIDDEN', `The Template API refused: the account balance is too low (${text}).`, 'Top up the Sealos account, then retry.');
      if (quota) return make('QUOTA_EXCEEDED', `The workspace quota does not fit this template: ${text}`, 'Lower replicas/CPU/memory/storage in the template or free quota, then retry.');
      return make('NAMESPACE_FORBIDDEN', `The Template API refused (${e.code || 'FORBIDDEN'}): ${text}`, 'Switch to a workspace where you are owner or manager (`sealos-deploy workspace switch <id>`), then retry.');
    case 409:
      return make('CLUSTER_CONFLICT', `An instance with this app_name already exists (${e.code || 'ALREADY_EXISTS'}): ${text}`, 'Update the existing deployment instead, or re-render with a fresh app_name.');
    case 422:
      if (quota) return make('QUOTA_EXCEEDED', `The workspace quota does not fit this template: ${text}`, 'Lower replicas/CPU/memory/storage in the template or free quota, then retry.');
      return make('CLUSTER_ERROR', `The cluster refused a resource of the template (${e.code || 'RESOURCE_ERROR'}): ${text}`, 'Fix the resource named in the message (re-render .sealos/template/index.yaml) and retry.');
    default:
      return make('TEMPLATE_API_ERROR', `The Template API answered HTTP ${res.status}${e.code ? ` (${e.code})` : ''}: ${text}`, res.status >= 500 ? 'Retry in a minute, or deploy with direct apply (deploy without --via template-api).' : 'Check the region and retry.');
  }
}

/**
 * The kubeconfig only ever goes to its own region: an explicit region wins; a caller-supplied
 * kubeconfig goes to its server's host; ~/.sealos/kubeconfig goes to the region of the login.
 */
function resolveRegion(opts: DeliverTemplateOptions, authRegion: string | undefined, kubeconfig: string): Region {
  if (opts.region) return parseRegion(opts.region);
  if (authRegion && opts.kubeconfigYaml === undefined) return parseRegion(authRegion);
  const server = new URL(kubeconfigFacts(kubeconfig).server);
  return parseRegion(`https://${server.hostname}`);
}

/** Tokens inside the kubeconfig, so a server message that quotes one is still redacted. */
function kubeconfigSecrets(kubeconfig: string): string[] {
  return [...kubeconfig.matchAll(/^\s*(?:token|client-key-data|password):\s*["']?([^"'\s]+)/gm)].map((m) => m[1]!).filter(Boolean);
}

/**
 * Delivers a template through the region's Template API: POST template.<region>/api/v2alpha/templates/raw
 * with {yaml, args, dryRun}, Authorization = encodeURIComponent(kubeconfig). The dry run is the plan;
 * `apply` creates afterwards and reports the server's instance name, which is authoritative.
 */
export async function deliverTemplate(opts: DeliverTemplateOptions): Promise<DeliverTemplateResult> {
  if (!opts.yaml?.trim()) throw new DeployError('TEMPLATE_INVALID', 'The template is empty.', 'Render it first (`sealos-deploy render`), then deliver .sealos/template/index.yaml.');
  const ctx = sealosContext(opts);
  const kubeconfig = opts.kubeconfigYaml ?? (await readTextIfExists(ctx.paths.kubeconfig));
  if (!kubeconfig?.trim()) throw new DeployError('LOGIN_REQUIRED', `No kubeconfig at ${ctx.paths.kubeconfig}.`, 'Run `sealos-deploy login` first.');
  const region = resolveRegion(opts, (await readAuthFile(ctx.paths).catch(() => null))?.region, kubeconfig);
  const endpoint = `${endpointsFor(region, opts, ctx).template}${TEMPLATE_RAW_PATH}`;
  const args = opts.args ?? {};
  for (const [k, v] of Object.entries(args)) if (typeof v !== 'string') throw new DeployError('USAGE', `Template arg ${k} must be a string.`, 'Pass every arg value as a string ("true", "3").');
  const redactor = createRedactor([...Object.values(args), ...kubeconfigSecrets(kubeconfig)]);
  const base: Base = { region: region.url, endpoint, args_supplied: Object.keys(args).length };

  const post = async (dryRun: boolean) =>
    callRegion(
      endpoint,
      {
        method: 'POST',
        headers: { authorization: encodeURIComponent(kubeconfig), 'content-type': 'application/json' },
        body: JSON.stringify({ yaml: opts.yaml, args, dryRun, ...(opts.extraLabels ? { extraLabels: opts.extraLabels } : {}) }),
        what: dryRun ? 'dry-run the template' : 'create the template instance',
      },
      ctx.call,
    );
  const fallback = (res: RegionResponse): TemplateFallback | null => {
    if (res.status !== 404 && res.status !== 503) return null;
    const reason =
      res.status === 404
        ? `${region.host} has no Template API (HTTP 404 from ${endpoint}); deliver with direct apply instead.`
        : `The Template API of ${region.host} is unavailable (HTTP 503${apiError(res, redactor).code ? `, ${apiError(res, redactor).code}` : ''}); deliver with direct apply instead.`;
    return { ...base, outcome: 'fallback', fallback: 'direct-apply', reason, status: res.status };
  };

  opts.progress?.(`Template API dry run at ${region.host}`);
  const dry = await post(true);
  const fb = fallback(dry);
  if (fb) return fb;
  if (dry.status !== 200 && dry.status !== 201) throw templateApiError(dry, redactor);
  const preview = isObject(dry.json) ? dry.json : {};
  const previewName = typeof preview.name === 'string' ? preview.name : '';
  const resources = toResources(preview.resources);
  if ((opts.mode ?? 'plan') === 'plan') return { ...base, outcome: 'planned', preview_name: previewName, resources };

  opts.progress?.(`Template API create at ${region.host}`);
  const res = await post(false);
  const fb2 = fallback(res);
  if (fb2) return fb2;
  if (res.status !== 201 && res.status !== 200) throw templateApiError(res, redactor);
  const body = isObject(res.json) ? res.json : {};
  const name = typeof body.name === 'string' ? body.name : '';
  if (!name) throw new DeployError('TEMPLATE_API_ERROR', `The Template API answered HTTP ${res.status} without an instance name.`, 'Check the workspace for a new instances.app.sealos.io object before retrying (it may have been created).');
  return {
    ...base,
    outcome: 'created',
    instance_name: name,
    uid: typeof body.uid === 'string' ? body.uid : '',
    created_at: typeof body.createdAt === 'string' ? body.createdAt : '',
    preview_name: previewName || null,
    resources: toResources(body.resources),
  };
}

/**
 * Template args from a JSON file the caller keeps private: group/other-readable files are refused
 * (as the Sealos plugin does), and no parse error ever quotes the content.
 */
export async function readArgsFile(path: string): Promise<Record<string, string>> {
  let st;
  try {
    st = await stat(path);
  } catch {
    throw new DeployError('USAGE', `The inputs file ${path} does not exist.`, 'Pass a JSON file of template inputs with mode 0600.');
  }
  if (!st.isFile()) throw new DeployError('USAGE', `The inputs file ${path} is not a regular file.`, 'Pass a JSON file of template inputs with mode 0600.');
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    throw new DeployError('USAGE', `The inputs file ${path} is readable by other users (mode ${(st.mode & 0o777).toString(8)}).`, `Run \`chmod 600 ${path}\` and retry.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new DeployError('USAGE', `The inputs file ${path} is not valid JSON.`, 'Write a JSON object of input names to string values.');
  }
  if (!isObject(value)) throw new DeployError('USAGE', `The inputs file ${path} must hold a JSON object.`, 'Write a JSON object of input names to string values.');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else throw new DeployError('USAGE', `The inputs file value of ${k} is not a string, number or boolean.`, 'Template inputs are strings; write nested values as JSON text.');
  }
  return out;
}
