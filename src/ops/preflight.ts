import { join, resolve } from 'node:path';
import { discoverAppDomain } from '../cluster/app-domain.js';
import { checkAuth } from '../cluster/auth-check.js';
import { checkQuota, plannedUsage } from '../cluster/quota.js';
import type { KubeObject } from '../cluster/resources.js';
import { DeployError, isDeployError } from '../core/errors.js';
import { readGitFacts } from '../core/image/git-facts.js';
import type { Docker } from '../core/image/docker-port.js';
import type { Runner } from '../core/ports.js';
import { readState } from '../core/state/store.js';
import { instantiate } from '../core/template/instantiate.js';
import { regionFacts } from '../sealos/region-facts.js';
import { nodeStateIo } from '../system/atomic-file.js';
import { createDocker } from '../system/docker.js';
import { execaRunner } from '../system/runner.js';
import { openCluster, type ClusterContext, type ClusterOptions } from './cluster-context.js';
import { loadBuildResult, loadTemplate, resolveImage, type TemplateArtifact } from './deploy-artifacts.js';
import { shellWord } from '../core/shell-word.js';

export type PreflightCheckId = 'kubeconfig' | 'tls' | 'api' | 'auth' | 'permissions' | 'artifacts' | 'quota' | 'app-domain' | 'git' | 'docker';
export type PreflightStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface PreflightCheck {
  id: PreflightCheckId;
  status: PreflightStatus;
  /** Stable: `OK`, a DeployError code, or a preflight code (TLS_VERIFY_OFF, APP_DOMAIN_UNKNOWN, GIT_DIRTY, GIT_UNAVAILABLE, SKIPPED). */
  code: string;
  summary: string;
  next: string | null;
  details?: Record<string, unknown>;
}

export interface PreflightIssue {
  check: PreflightCheckId;
  code: string;
  message: string;
  next: string;
}

export interface PreflightReport {
  ready: boolean;
  blockers: PreflightIssue[];
  warnings: PreflightIssue[];
  checks: PreflightCheck[];
  cluster: { kubeconfig_source: string; kubeconfig_path: string; context: string; namespace: string; server: string } | null;
}

export interface PreflightOptions extends ClusterOptions {
  domain?: string;
  /** `--image`: a build is not needed. */
  image?: string;
  inputs?: Record<string, string>;
  runner?: Runner;
  docker?: Docker;
  regionFacts?: typeof regionFacts;
}

interface Needed {
  verb: string;
  resource: string;
  group: string;
}

const CORE: Array<[string, string]> = [
  ['apps', 'deployments'],
  ['apps', 'statefulsets'],
  ['', 'services'],
  ['networking.k8s.io', 'ingresses'],
  ['', 'secrets'],
  ['', 'configmaps'],
  ['batch', 'jobs'],
  ['app.sealos.io', 'apps'],
  ['app.sealos.io', 'instances'],
  ['apps.kubeblocks.io', 'clusters'],
  ['dataprotection.kubeblocks.io', 'backups'],
];
const DB_ONLY: Array<[string, string]> = [
  ['', 'serviceaccounts'],
  ['rbac.authorization.k8s.io', 'roles'],
  ['rbac.authorization.k8s.io', 'rolebindings'],
];
const VERBS = ['create', 'patch', 'get', 'list', 'delete'];

/** Every permission a deploy, status and rollback use in the namespace. */
export function neededPermissions(withDatabase: boolean): Needed[] {
  const out: Needed[] = [];
  for (const [group, resource] of [...CORE, ...(withDatabase ? DB_ONLY : [])]) for (const verb of VERBS) out.push({ verb, resource, group });
  out.push({ verb: 'get', resource: 'pods/log', group: '' }, { verb: 'list', resource: 'pods', group: '' }, { verb: 'list', resource: 'events', group: '' });
  return out;
}

const ok = (id: PreflightCheckId, summary: string, details?: Record<string, unknown>): PreflightCheck => ({ id, status: 'pass', code: 'OK', summary, next: null, ...(details ? { details } : {}) });
const skip = (id: PreflightCheckId, summary: string): PreflightCheck => ({ id, status: 'skip', code: 'SKIPPED', summary, next: null });
const fromError = (id: PreflightCheckId, err: unknown, status: PreflightStatus = 'fail'): PreflightCheck => {
  const e = isDeployError(err) ? err : new DeployError('INTERNAL', `Unexpected failure: ${(err as Error).message}`, 'Re-run with --json and report the message.');
  return { id, status, code: e.code, summary: e.message, next: e.next, ...(e.details ? { details: e.details } : {}) };
};

async function clusterChecks(ctx: ClusterContext, dir: string, template: TemplateArtifact | null, opts: PreflightOptions, checks: PreflightCheck[]): Promise<void> {
  const timeoutMs = opts.requestTimeoutMs ?? 15_000;
  try {
    const v = await ctx.api.request<{ gitVersion?: string }>('GET', '/version', { what: 'read the API server version', timeoutMs });
    checks.push(ok('api', `API server ${ctx.api.server} answers over ${ctx.api.server.startsWith('https') ? 'verified TLS' : 'http'} (Kubernetes ${v?.gitVersion ?? 'unknown version'}).`));
  } catch (err) {
    checks.push(fromError('api', err));
    for (const id of ['auth', 'permissions', 'quota', 'app-domain'] as const) checks.push(skip(id, 'Skipped: the API server is not reachable.'));
    return;
  }
  try {
    const a = await checkAuth(ctx.config, { timeoutMs });
    checks.push(ok('auth', `The API server accepts the credentials${a.user ? ` as ${a.user}` : ''}.`, { via: a.via }));
  } catch (err) {
    checks.push(fromError('auth', err));
    for (const id of ['permissions', 'quota', 'app-domain'] as const) checks.push(skip(id, 'Skipped: the credentials were not accepted.'));
    return;
  }

  const withDb = template ? /\nkind:\s*Cluster\b/.test(template.text) : false;
  try {
    const needed = neededPermissions(withDb);
    const answers = await Promise.all(needed.map((n) => ctx.res.can(n.verb, n.resource, n.group)));
    const denied = needed.filter((_, i) => !answers[i]!.allowed).map((n) => `${n.verb} ${n.resource}${n.group ? `.${n.group}` : ''}`);
    if (denied.length) {
      checks.push({
        id: 'permissions',
        status: 'fail',
        code: 'NAMESPACE_FORBIDDEN',
        summary: `The credentials may not ${denied.slice(0, 8).join(', ')}${denied.length > 8 ? ` and ${denied.length - 8} more` : ''} in namespace ${ctx.namespace}.`,
        next: `Use a kubeconfig whose account owns ${ctx.namespace} (Sealos grants full access only inside your own workspace), or switch workspace with \`sealos-deploy workspace switch\`.`,
        details: { denied },
      });
    } else checks.push(ok('permissions', `All ${needed.length} permissions a deploy needs are granted in ${ctx.namespace}${withDb ? ' (database included)' : ''}.`));
  } catch (err) {
    checks.push(fromError('permissions', err));
  }

  let domain: { app_domain: string; cert_secret_name: string } | null = null;
  try {
    const d = await discoverAppDomain(ctx.res, { ...(opts.domain ? { override: opts.domain } : {}), ...(opts.env ? { env: opts.env } : {}), ...(opts.home ? { home: opts.home } : {}), ...(opts.regionFacts ? { regionFacts: opts.regionFacts } : {}) });
    domain = d;
    checks.push(ok('app-domain', `Apps are served on *.${d.app_domain} with TLS secret ${d.cert_secret_name} (${d.detail}).`));
  } catch (err) {
    const c = fromError('app-domain', err);
    checks.push(isDeployError(err) && err.code === 'INPUT_MISSING' ? { ...c, code: 'APP_DOMAIN_UNKNOWN' } : c);
  }

  if (!template) {
    checks.push(skip('quota', 'Skipped: no rendered template yet (.sealos/template/index.yaml), so the planned resources are unknown.'));
    return;
  }
  try {
    const state = await readState(join(dir, '.sealos'), nodeStateIo()).catch(() => null);
    const identity = state && state.last_deploy.namespace === ctx.namespace ? { app_name: state.last_deploy.app_name, app_host: state.last_deploy.app_host } : null;
    // Quota does not depend on input values: stand-ins for the ones not given.
    const placeholders = Object.fromEntries(Object.keys((template.templateSpec.inputs ?? {}) as object).map((k) => [k, 'preflight']));
    const inst = instantiate(template.text, {
      namespace: ctx.namespace,
      cloudDomain: domain?.app_domain ?? 'preflight.invalid',
      certSecretName: domain?.cert_secret_name ?? 'wildcard-cert',
      inputs: { ...placeholders, ...(opts.inputs ?? {}) },
      ...(identity ? { defaults: identity } : {}),
    });
    const live: KubeObject[] = [];
    if (identity) {
      for (const o of inst.objects.filter((x) => ['Deployment', 'StatefulSet', 'Cluster'].includes(x.kind))) {
        const l = await ctx.res.get(o.apiVersion, o.kind, o.metadata.name).catch(() => null);
        if (l) live.push(l);
      }
    }
    const quota = await checkQuota(ctx.res, inst.objects as KubeObject[], plannedUsage(live));
    const over = quota.filter((q) => !q.ok);
    if (over.length) {
      checks.push({
        id: 'quota',
        status: 'fail',
        code: 'QUOTA_EXCEEDED',
        summary: `The planned resources do not fit the quota of ${ctx.namespace}: ${over.map((q) => `${q.resource} ${q.used} used + ${q.planned} planned > ${q.hard}`).join('; ')}.`,
        next: 'Lower replicas/CPU/memory (re-render), delete unused apps, or raise the workspace quota.',
        details: { quota },
      });
    } else checks.push(ok('quota', quota.length ? `The planned resources fit the quota (${quota.map((q) => `${q.resource} ${q.planned} of ${q.hard}, ${q.used} used`).join('; ')}).` : `No ResourceQuota limits the planned resources in ${ctx.namespace}.`, { quota }));
  } catch (err) {
    checks.push(fromError('quota', err));
  }
}

/**
 * Everything a deploy needs, checked without changing anything: kubeconfig, API reachability and TLS,
 * accepted credentials, every permission, quota headroom for the rendered template, the app domain,
 * the git state, and Docker when an image still has to be built.
 */
export async function preflight(dirArg: string, opts: PreflightOptions = {}): Promise<PreflightReport> {
  const dir = resolve(dirArg);
  const checks: PreflightCheck[] = [];
  let cluster: PreflightReport['cluster'] = null;

  let template: TemplateArtifact | null = null;
  let build = null as Awaited<ReturnType<typeof loadBuildResult>>;
  try {
    build = await loadBuildResult(dir);
    template = await loadTemplate(dir).catch((err: unknown) => {
      if (isDeployError(err) && err.code === 'ARTIFACT_MISSING') return null;
      throw err;
    });
    if (template) {
      const img = resolveImage(template, build, opts.image);
      checks.push(ok('artifacts', `The rendered template deploys ${img.image} (from ${img.source === 'template' ? 'the template' : img.source === 'argument' ? '--image' : 'build-result.json'}).`));
    } else checks.push({ id: 'artifacts', status: 'warn', code: 'ARTIFACT_MISSING', summary: 'No rendered template yet (.sealos/template/index.yaml).', next: `Run sealos-deploy render ${shellWord(dir)} before deploying.` });
  } catch (err) {
    checks.push(fromError('artifacts', err));
  }

  let ctx: ClusterContext | null = null;
  try {
    ctx = openCluster(opts);
    const c = ctx.config;
    cluster = { kubeconfig_source: c.source, kubeconfig_path: c.path, context: c.context, namespace: c.namespace, server: c.server };
    checks.push(ok('kubeconfig', `Using the kubeconfig from ${c.source === 'argument' ? '--kubeconfig' : c.source} (${c.path}): context ${c.context}, namespace ${c.namespace}, server ${c.server}.`));
    if (c.insecure) {
      checks.push({ id: 'tls', status: 'warn', code: 'TLS_VERIFY_OFF', summary: `The kubeconfig turns TLS verification off for ${c.server} (insecure-skip-tls-verify).`, next: 'Use the kubeconfig from the Sealos console, which carries the cluster CA.' });
    }
  } catch (err) {
    checks.push(fromError('kubeconfig', err));
    for (const id of ['api', 'auth', 'permissions', 'quota', 'app-domain'] as const) checks.push(skip(id, 'Skipped: no usable kubeconfig.'));
  }
  if (ctx) await clusterChecks(ctx, dir, template, opts, checks);

  const runner = opts.runner ?? execaRunner;
  const git = await readGitFacts(runner, dir).catch(() => null);
  if (!git?.commit) checks.push({ id: 'git', status: 'warn', code: 'GIT_UNAVAILABLE', summary: `${dir} is not a git checkout (or git is missing): releases cannot be tied to a commit.`, next: 'Deploy from a git checkout so each release records its commit.' });
  else if (git.dirty) checks.push({ id: 'git', status: 'warn', code: 'GIT_DIRTY', summary: `The checkout has uncommitted changes (HEAD ${git.commit.slice(0, 12)}): a built image would not match any commit.`, next: 'Commit or stash your changes before building and deploying.' });
  else checks.push(ok('git', `Clean checkout at ${git.commit.slice(0, 12)}.`));

  const needsBuild = !opts.image && build?.outcome !== 'success' && !template;
  if (needsBuild) {
    const st = await (opts.docker ?? createDocker(runner)).status();
    if (st.ok) checks.push(ok('docker', `Docker ${st.server ?? ''} with buildx ${st.buildx ?? ''} is available to build the image.`.replace(/\s+/g, ' ')));
    else checks.push({ id: 'docker', status: 'fail', code: 'DOCKER_UNAVAILABLE', summary: `An image must be built, but ${st.problem ?? 'Docker is unavailable'}`, next: 'Install/start Docker with buildx, or pass --image <registry>/<name>:<tag> of an image you built elsewhere.' });
  } else checks.push(skip('docker', 'Skipped: no build is needed (an image is given, built, or already rendered into the template).'));

  const issue = (c: PreflightCheck): PreflightIssue => ({ check: c.id, code: c.code, message: c.summary, next: c.next ?? '' });
  const blockers = checks.filter((c) => c.status === 'fail').map(issue);
  const warnings = checks.filter((c) => c.status === 'warn').map(issue);
  return { ready: blockers.length === 0, blockers, warnings, checks, cluster };
}
